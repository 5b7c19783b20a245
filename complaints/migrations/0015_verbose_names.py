"""Translated labels for the admin (verbose names only: no schema change, no SQL)."""

import complaints.models
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0014_notification_cancelled"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="agency",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="agency",
            name="path",
            field=models.CharField(
                db_index=True, default="", editable=False, max_length=255, verbose_name="path"
            ),
        ),
        migrations.AlterField(
            model_name="agency",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="attachment",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="calendarday",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                help_text="Only for local days: the agency (and its units) that observe it.",
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="calendar_days",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="calendarday",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="calendarday",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="cannedresponse",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="canned_responses",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="cannedresponse",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="cannedresponse",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="category",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="categories",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="category",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        migrations.AlterField(
            model_name="category",
            name="ordering",
            field=models.PositiveIntegerField(default=0, verbose_name="sort order"),
        ),
        migrations.AlterField(
            model_name="category",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="children",
                to="complaints.category",
                verbose_name="parent",
            ),
        ),
        migrations.AlterField(
            model_name="category",
            name="slug",
            field=models.SlugField(max_length=80, verbose_name="slug"),
        ),
        migrations.AlterField(
            model_name="category",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="access_code_hash",
            field=models.CharField(max_length=128, verbose_name="access code hash"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                help_text="Empty: national triage.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="complaints",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="archived_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="archived at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="assignee",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="assigned_complaints",
                to=settings.AUTH_USER_MODEL,
                verbose_name="assignee",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="category",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="complaints",
                to="complaints.category",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="ceiling_escalation_level",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="hard ceiling escalation level"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="clock_cycle",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="clock cycle"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="closed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="closed at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="current_clock",
            field=models.CharField(
                blank=True,
                choices=[
                    ("verify", "Verification"),
                    ("response", "First response"),
                    ("resolution", "Resolution"),
                    ("reporter_reply", "Reporter reply"),
                    ("reporter_info", "Reporter information"),
                    ("hard_ceiling", "Hard ceiling"),
                ],
                max_length=20,
                verbose_name="current clock",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="current_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="current due at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="escalation_level",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="escalation level"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="first_response_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first response at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="hard_ceiling_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="hard ceiling at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="is_escalated",
            field=models.GeneratedField(
                db_persist=True,
                expression=models.ExpressionWrapper(
                    models.Q(
                        ("escalation_level__gte", 3),
                        ("resolution_escalation_level__gte", 3),
                        ("ceiling_escalation_level__gte", 3),
                        _connector="OR",
                    ),
                    output_field=models.BooleanField(),
                ),
                output_field=models.BooleanField(),
                verbose_name="escalated",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="language",
            field=models.CharField(default="id", max_length=8, verbose_name="language"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="lapor_id",
            field=models.CharField(blank=True, max_length=64, verbose_name="SP4N-LAPOR! id"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="latitude"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="longitude"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="duplicates",
                to="complaints.complaint",
                verbose_name="merged into",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="rated_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="rated at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="rating",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="rating"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="rating_comment",
            field=models.TextField(blank=True, verbose_name="rating comment"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="reopen_count",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="times reopened"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="reporter",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="reported_complaints",
                to=settings.AUTH_USER_MODEL,
                verbose_name="reporter account",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="reporter_info_due_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="reporter information due at"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="reporter_reply_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="reporter reply due at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="resolution_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="resolution due at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="resolution_escalation_level",
            field=models.PositiveSmallIntegerField(
                default=0, verbose_name="resolution escalation level"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="resolved_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="resolved at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="response_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="first response due at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="scope_path",
            field=models.CharField(
                default="", editable=False, max_length=255, verbose_name="scope path"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="submitted_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="submitted at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="unit",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="unit_complaints",
                to="complaints.agency",
                verbose_name="unit",
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="verified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verified at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="verify_due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="verification due at"),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="verify_remaining_days",
            field=models.PositiveSmallIntegerField(
                blank=True, null=True, verbose_name="verification working days left"
            ),
        ),
        migrations.AlterField(
            model_name="complaint",
            name="version",
            field=models.PositiveIntegerField(default=1, verbose_name="version"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="actor",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="actor",
            ),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="actor_label",
            field=models.CharField(blank=True, max_length=200, verbose_name="actor as shown"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="body",
            field=models.TextField(blank=True, verbose_name="text"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="complaint",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="events",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="data",
            field=models.JSONField(blank=True, default=dict, verbose_name="data"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="from_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="from status"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="is_public",
            field=models.BooleanField(default=False, verbose_name="public"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="to_status",
            field=models.CharField(blank=True, max_length=20, verbose_name="to status"),
        ),
        migrations.AlterField(
            model_name="complaintevent",
            name="type",
            field=models.CharField(
                choices=[
                    ("submitted", "Filed"),
                    ("verified", "Verified"),
                    ("held_for_info", "Information requested"),
                    ("info_supplied", "Information supplied"),
                    ("archived", "Archived"),
                    ("routed", "Routed to a unit"),
                    ("forwarded", "Forwarded to another agency"),
                    ("taken", "Taken"),
                    ("assigned", "Assigned"),
                    ("note", "Internal note"),
                    ("draft_saved", "Draft answer saved"),
                    ("draft_approved", "Draft approved"),
                    ("draft_returned", "Draft returned"),
                    ("response_published", "Answer published"),
                    ("resolved", "Marked resolved"),
                    ("accepted", "Answer accepted by the reporter"),
                    ("objected", "Answer objected to by the reporter"),
                    ("rated", "Rated"),
                    ("closed", "Closed"),
                    ("reclassified", "Reclassified"),
                    ("privacy_changed", "Privacy changed"),
                    ("merged", "Merged into another complaint"),
                    ("escalated", "Escalated"),
                    ("escalation_acknowledged", "Escalation acknowledged"),
                    ("nudged", "Nudge"),
                    ("reminder_sent", "Reminder sent"),
                    ("corrective_action", "Corrective action"),
                    ("lapor_sync", "SP4N-LAPOR! sync"),
                ],
                max_length=32,
                verbose_name="type",
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="acknowledged_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="acknowledged at"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="acknowledged_by",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="acknowledged by",
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="clock",
            field=models.CharField(
                choices=[
                    ("verify", "Verification"),
                    ("response", "First response"),
                    ("resolution", "Resolution"),
                    ("reporter_reply", "Reporter reply"),
                    ("reporter_info", "Reporter information"),
                    ("hard_ceiling", "Hard ceiling"),
                ],
                max_length=20,
                verbose_name="clock",
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="complaint",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="escalations",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="cycle",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="clock cycle"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="deliver_after",
            field=models.DateTimeField(blank=True, null=True, verbose_name="deliver after"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="due_at",
            field=models.DateTimeField(
                help_text="The clock deadline that was passed.", verbose_name="due at"
            ),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="level",
            field=models.PositiveSmallIntegerField(verbose_name="level"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="name",
            field=models.CharField(blank=True, max_length=32, verbose_name="step"),
        ),
        migrations.AlterField(
            model_name="escalation",
            name="notified_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="notified at"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="agency",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="source",
            field=models.CharField(blank=True, default="", max_length=50, verbose_name="source"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to=settings.AUTH_USER_MODEL,
                verbose_name="user",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="attempts"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="body",
            field=models.TextField(verbose_name="message"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="cause_key",
            field=models.CharField(max_length=200, verbose_name="cause key"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="channel",
            field=models.CharField(
                choices=[("email", "Email"), ("lapor", "SP4N-LAPOR!"), ("webhook", "Webhook")],
                default="email",
                max_length=16,
                verbose_name="channel",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="complaint",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="notifications",
                to="complaints.complaint",
                verbose_name="complaint",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="created_at",
            field=models.DateTimeField(verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(max_length=50, verbose_name="kind"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="language",
            field=models.CharField(default="id", max_length=8, verbose_name="language"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="last_error",
            field=models.TextField(blank=True, verbose_name="last error"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="leased_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="leased at"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="not_before",
            field=models.DateTimeField(blank=True, null=True, verbose_name="not before"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="payload",
            field=models.JSONField(blank=True, default=dict, verbose_name="payload"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="recipient",
            field=models.CharField(max_length=254, verbose_name="recipient"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="recipient_user",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="recipient account",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="sent_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="sent at"),
        ),
        migrations.AlterField(
            model_name="notification",
            name="state",
            field=models.CharField(
                choices=[
                    ("pending", "Pending"),
                    ("sending", "Sending"),
                    ("sent", "Sent"),
                    ("failed", "Failed"),
                    ("cancelled", "Cancelled"),
                ],
                default="pending",
                max_length=16,
                verbose_name="state",
            ),
        ),
        migrations.AlterField(
            model_name="notification",
            name="subject",
            field=models.CharField(max_length=255, verbose_name="message subject"),
        ),
        migrations.AlterField(
            model_name="response",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="response",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="savedfilter",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="savedfilter",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="agency",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sla_policies",
                to="complaints.agency",
                verbose_name="agency",
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="auto_close_reminder_days",
            field=models.PositiveSmallIntegerField(
                default=2,
                help_text="Working days before auto-close when the reporter is reminded.",
                verbose_name="auto-close reminder (working days)",
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="category",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="sla_policies",
                to="complaints.category",
                verbose_name="category",
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at"),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="due_soon_days",
            field=models.PositiveSmallIntegerField(
                default=1,
                help_text="Working days left at which a clock counts as due soon.",
                verbose_name="due soon (working days)",
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="escalation_ladder",
            field=models.JSONField(
                default=complaints.models.default_escalation_ladder,
                verbose_name="escalation ladder",
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="hard_ceiling_calendar_days",
            field=models.PositiveSmallIntegerField(
                default=60, verbose_name="hard ceiling (calendar days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="is_active",
            field=models.BooleanField(default=True, verbose_name="active"),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="reporter_info_days",
            field=models.PositiveSmallIntegerField(
                default=10, verbose_name="reporter information (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="reporter_info_reminder_days",
            field=models.PositiveSmallIntegerField(
                default=5, verbose_name="information reminder after (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="reporter_reply_days",
            field=models.PositiveSmallIntegerField(
                default=10, verbose_name="reporter reply (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="tier_field_days",
            field=models.PositiveSmallIntegerField(
                default=60, verbose_name="field inspection tier (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="tier_information_days",
            field=models.PositiveSmallIntegerField(
                default=5, verbose_name="information tier (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="tier_standard_days",
            field=models.PositiveSmallIntegerField(
                default=14, verbose_name="standard tier (working days)"
            ),
        ),
        migrations.AlterField(
            model_name="slapolicy",
            name="updated_at",
            field=models.DateTimeField(auto_now=True, verbose_name="updated at"),
        ),
    ]
