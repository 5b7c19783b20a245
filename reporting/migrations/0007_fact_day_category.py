from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reporting", "0006_agency_monthly_figures"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="complaintfact",
            index=models.Index(
                fields=["submitted_on"],
                include=["category_id", "agency_id", "is_current", "is_confidential"],
                name="fact_day_category",
            ),
        ),
    ]
