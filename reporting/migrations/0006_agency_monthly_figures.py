from django.db import migrations, models


def build_from_facts(apps, schema_editor):
    # The figures of the facts already there (a new database has none).
    from reporting.facts import agency_figures_refresh

    agency_figures_refresh(days=None)


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0001_initial"),
        ("reporting", "0005_monthly_figures"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgencyMonthlyFigure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("month", models.DateField()),
                ("is_confidential", models.BooleanField()),
                ("figure", models.CharField(max_length=24)),
                ("value", models.CharField(blank=True, max_length=40)),
                ("n", models.IntegerField()),
                (
                    "agency",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="complaints.agency",
                    ),
                ),
            ],
            options={
                "verbose_name": "monthly figure of an agency",
                "verbose_name_plural": "monthly figures of agencies",
                "indexes": [
                    models.Index(fields=["agency", "figure", "month"], name="agency_figure_month"),
                    models.Index(fields=["month"], name="agency_figure_by_month"),
                ],
            },
        ),
        migrations.RunPython(build_from_facts, migrations.RunPython.noop),
    ]
