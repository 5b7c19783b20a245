"""Service feedback (the "Feedback on this service" page), and archive reasons written by the
system stored as their English source, so that each reader sees them in their own language.
Rows archived before this change hold the Indonesian text; they get the source back (the
ARCHIVED event's body too). Staff-typed reasons are not touched."""

from django.db import migrations, models

SOURCE = "The requested information was not supplied in time."
INDONESIAN = "Informasi yang diminta tidak dikirim tepat waktu."


def store_source(apps, schema_editor):
    Complaint = apps.get_model("complaints", "Complaint")
    ComplaintEvent = apps.get_model("complaints", "ComplaintEvent")
    Complaint.objects.filter(status="archived", archive_reason=INDONESIAN).update(
        archive_reason=SOURCE
    )
    ComplaintEvent.objects.filter(type="archived", actor__isnull=True, body=INDONESIAN).update(
        body=SOURCE
    )


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0012_escalated_on_any_clock"),
    ]

    operations = [
        migrations.CreateModel(
            name="ServiceFeedback",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "rating",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (5, "Very satisfied"),
                            (4, "Satisfied"),
                            (3, "Neither satisfied nor dissatisfied"),
                            (2, "Dissatisfied"),
                            (1, "Very dissatisfied"),
                        ],
                        verbose_name="rating",
                    ),
                ),
                ("comment", models.TextField(blank=True, verbose_name="comment")),
                ("page", models.CharField(blank=True, max_length=200, verbose_name="page")),
                (
                    "language",
                    models.CharField(default="id", max_length=8, verbose_name="language"),
                ),
                ("created_at", models.DateTimeField(verbose_name="sent at")),
            ],
            options={
                "verbose_name": "service feedback",
                "verbose_name_plural": "service feedback",
                "ordering": ("-created_at", "-id"),
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("rating__gte", 1), ("rating__lte", 5)),
                        name="servicefeedback_rating_1_5",
                    )
                ],
            },
        ),
        migrations.RunPython(store_source, migrations.RunPython.noop, elidable=True),
    ]
