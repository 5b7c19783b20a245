"""Translated labels for the admin (verbose names only: no schema change, no SQL)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0015_verbose_names"),
        ("focal_points", "0005_board_index_escalated_flag"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="correctiveactionevent",
            options={
                "ordering": ("-created_at", "-id"),
                "verbose_name": "corrective action event",
                "verbose_name_plural": "corrective action events",
            },
        ),
        migrations.AlterField(
            model_name="coordinationgroup",
            name="agencies",
            field=models.ManyToManyField(
                blank=True,
                related_name="coordination_groups",
                to="complaints.agency",
                verbose_name="agencies",
            ),
        ),
        migrations.AlterField(
            model_name="coordinationgroup",
            name="coordinators",
            field=models.ManyToManyField(
                blank=True,
                related_name="coordination_groups",
                to=settings.AUTH_USER_MODEL,
                verbose_name="coordinators",
            ),
        ),
        migrations.AlterField(
            model_name="coordinationgroup",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="coordinationgroup",
            name="lead_agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="led_groups",
                to="complaints.agency",
                verbose_name="lead agency",
            ),
        ),
        migrations.AlterField(
            model_name="coordinationgroup",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="corrective_actions",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="closed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="closed by",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="complaint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="corrective_actions",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="escalation_level",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="escalation level"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="issuer",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="issuer",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="reminder_sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reminder sent at"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="state",
            field=models.CharField(
                choices=[
                    ("open", "Open"),
                    ("in_progress", "In progress"),
                    ("overdue", "Overdue"),
                    ("closed_accepted", "Closed: accepted"),
                    ("closed_rejected", "Closed: rejected"),
                ],
                default="open",
                max_length=20,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="correctiveaction",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="action",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="focal_points.correctiveaction",
                verbose_name="corrective action",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="body",
            field=models.TextField(blank=True, verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="from_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="from state"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="to_state",
            field=models.CharField(blank=True, max_length=20, verbose_name="to state"),
        ),
        migrations.AlterField(
            model_name="correctiveactionevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("issued", "Issued"),
                    ("progress", "Progress reported"),
                    ("reminder", "Reminder sent"),
                    ("overdue", "Overdue: agency focal point told"),
                    ("escalated", "Escalated to the coordinating focal point"),
                    ("closed_accepted", "Closed: accepted"),
                    ("closed_rejected", "Closed: rejected"),
                ],
                max_length=20,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="focalpoint",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="focal_points",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="focalpoint",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="focalpoint",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="focalpoint",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="focal_point_roles",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="actor",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="batch",
            field=models.UUIDField(db_index=True, verbose_name="batch"),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="complaint",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="nudges",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="nudge",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="complaints.agency",
                verbose_name="unit",
            ),
        ),
        migrations.AlterField(
            model_name="scoreband",
            name="green_min",
            field=models.DecimalField(
                decimal_places=2, max_digits=8, verbose_name="green threshold"
            ),
        ),
        migrations.AlterField(
            model_name="scoreband",
            name="higher_is_better",
            field=models.BooleanField(default=True, verbose_name="higher is better"),
        ),
        migrations.AlterField(
            model_name="scoreband",
            name="metric",
            field=models.CharField(
                choices=[
                    ("verified_within_pct", "Verified within 3 working days (%)"),
                    ("responded_within_pct", "First response within 5 working days (%)"),
                    ("resolved_within_pct", "Resolved within tier (%)"),
                    ("verify_median", "Median working days to verify"),
                    ("response_median", "Median working days to first response"),
                    ("close_median", "Median working days to close"),
                    ("reopen_pct", "Reopen rate (%)"),
                    ("mean_rating", "Mean rating"),
                    ("overdue_now", "Overdue now"),
                ],
                max_length=32,
                unique=True,
                verbose_name="metric",
            ),
        ),
        migrations.AlterField(
            model_name="scoreband",
            name="yellow_min",
            field=models.DecimalField(
                decimal_places=2, max_digits=8, verbose_name="yellow threshold"
            ),
        ),
    ]
