"""What oversight adds to the complaint domain's words: the timeline entries focal points write
and the messages they send. complaints names none of them; focal_points registers them when
the app is ready (FocalPointsConfig.ready)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from complaints.models import register_event_types, register_message_kinds
from complaints.selectors.case import register_timeline_group


class OversightEvent(models.TextChoices):
    """Entries on a complaint's (internal) timeline."""

    NUDGED = "nudged", _("Nudge")
    CORRECTIVE_ACTION = "corrective_action", _("Corrective action")


class OversightMessage(models.TextChoices):
    """Kinds of outbox message; each names its templates emails/<kind>.txt and
    emails/<kind>_subject.txt."""

    CORRECTIVE_ACTION_CLOSED = (
        "corrective_action_closed",
        pgettext_lazy("message kind", "Corrective action closed"),
    )
    CORRECTIVE_ACTION_ISSUED = (
        "corrective_action_issued",
        pgettext_lazy("message kind", "Corrective action issued"),
    )
    CORRECTIVE_ACTION_OVERDUE = (
        "corrective_action_overdue",
        pgettext_lazy("message kind", "Corrective action overdue"),
    )
    CORRECTIVE_ACTION_PROGRESS = (
        "corrective_action_progress",
        pgettext_lazy("message kind", "Corrective action progress"),
    )
    CORRECTIVE_ACTION_REMINDER = (
        "corrective_action_reminder",
        pgettext_lazy("message kind", "Corrective action reminder"),
    )
    DIGEST = "digest", pgettext_lazy("message kind", "Daily overdue summary")
    FOCAL_DIGEST = "focal_digest", pgettext_lazy("message kind", "Weekly focal point digest")
    NUDGE = "nudge", pgettext_lazy("message kind", "Nudge")


def register() -> None:
    register_event_types(OversightEvent.choices)
    register_message_kinds(OversightMessage.choices)
    register_timeline_group(OversightEvent.NUDGED, "nudge", _("Nudge"))
    register_timeline_group(OversightEvent.CORRECTIVE_ACTION, "escalation", _("Corrective action"))
