"""Nudges: a recorded reminder from a focal point to the units handling open complaints."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotFound
from complaints.access import users_with_role_over
from complaints.models import OPEN_STATUSES, Complaint, Role
from complaints.services.core import event_build, events_append
from focal_points.models import Nudge
from focal_points.services.core import notify, require_focal
from focal_points.vocabulary import OversightEvent

NUDGE_BATCH_MAX = 100


def nudge_send(
    *,
    actor: User,
    complaint_ids: Iterable[int],
    message: str,
    now: dt.datetime | None = None,
) -> list[Nudge]:
    """A recorded reminder to the units handling one or more open complaints: a `Nudge` row
    and an internal "nudged" timeline event per complaint, and an email to the unit's officers
    (the assignee when there is one). All or nothing: one complaint out of scope or closed
    refuses the whole batch."""
    now = now or timezone.now()
    ids = sorted({int(pk) for pk in complaint_ids})
    if not ids:
        raise ApplicationError(_("Choose at least one complaint."))
    if len(ids) > NUDGE_BATCH_MAX:
        raise ApplicationError(
            _("Nudge at most %(n)s complaints at a time.") % {"n": NUDGE_BATCH_MAX}
        )
    message = message.strip()
    if not message:
        raise ApplicationError(_("Write the message for the unit."))
    batch = uuid.uuid4()
    with transaction.atomic():
        # One statement locks every row, in pk order (no deadlock with other batch writers).
        complaints = list(
            Complaint.objects.select_for_update(of=("self",))
            .select_related("agency", "unit", "assignee")
            .filter(pk__in=ids)
            .order_by("pk")
        )
        if len(complaints) != len(ids):
            raise NotFound(_("Complaint not found."))
        for c in complaints:
            require_focal(actor, c.scope_path)
            if c.status not in OPEN_STATUSES or c.agency_id is None:
                raise ApplicationError(
                    _("Complaint %(number)s is no longer open.")
                    % {"number": c.display_tracking_number}
                )
        nudges = Nudge.objects.bulk_create(
            [
                Nudge(
                    batch=batch,
                    complaint=c,
                    agency_id=c.agency_id,
                    unit_id=c.unit_id,
                    actor=actor,
                    message=message,
                    created_at=now,
                )
                for c in complaints
            ]
        )
        events_append(
            event_build(
                c,
                OversightEvent.NUDGED,
                actor=actor,
                actor_label=actor.get_full_name(),
                from_status=c.status,
                to_status=c.status,
                is_public=False,
                body=message,
                data={"nudge": n.pk, "batch": str(batch)},
                now=now,
            )
            for c, n in zip(complaints, nudges, strict=True)
        )
        for c, n in zip(complaints, nudges, strict=True):
            if c.assignee_id:
                recipients = [c.assignee]
            elif c.unit_id:
                recipients = users_with_role_over(node=c.unit, roles=[Role.OFFICER])
            else:
                recipients = users_with_role_over(node=c.agency, roles=[Role.VERIFIER])
            notify(
                recipients,
                "nudge",
                f"nudge:{n.pk}",
                complaint=c,
                message=message,
                sender=actor.get_full_name(),
            )
    return nudges
