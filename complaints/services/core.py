"""What every write shares: the row lock, the version check, the transition table, the event
appended in the same transaction, the clocks recomputed, notifications queued after commit.
Other apps write complaint timelines only through `event_append`."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from common.exceptions import (
    NotFound,
    StaleState,
    TransitionNotAllowed,
)
from complaints.clock import WorkingCalendar
from complaints.models import (
    PUBLIC_EVENT_TYPES,
    TRANSITIONS,
    Attachment,
    Clock,
    Complaint,
    ComplaintEvent,
    Response,
    Status,
)
from complaints.outbox.links import follower_link, tracking_link, unfollow_link
from complaints.outbox.queue import notification_queue


def capped_at_ceiling(due: dt.datetime, ceiling: dt.datetime | None) -> dt.datetime:
    return min(due, ceiling) if ceiling else due


def deadlines_into_calendar(
    complaint: Complaint, before: WorkingCalendar, after: WorkingCalendar
) -> set[str]:
    """Routing to a unit in another time zone (or with other local days off) moves the running
    deadlines to the same working day in the unit's calendar: the day counted does not change,
    its end is the unit's. The clocks keep their escalation level: it is the same deadline."""
    if before == after:
        return set()
    fields = set()
    for name in ("response_due_at", "resolution_due_at"):
        due = getattr(complaint, name)
        if due is not None:
            setattr(
                complaint,
                name,
                capped_at_ceiling(after.same_working_day(due, before), complaint.hard_ceiling_at),
            )
            fields.add(name)
    if complaint.current_clock == Clock.RESPONSE and complaint.response_due_at is not None:
        # current_due_at follows here, so set_current_clock sees no new clock
        complaint.current_due_at = complaint.response_due_at
        fields.add("current_due_at")
    return fields


def set_current_clock(complaint: Complaint) -> list[str]:
    """Point current_clock/current_due_at at the clock that governs the status."""
    status = complaint.status
    if status == Status.SUBMITTED:
        clock, due = Clock.VERIFY, complaint.verify_due_at
    elif status == Status.NEEDS_INFO:
        clock, due = Clock.REPORTER_INFO, complaint.reporter_info_due_at
    elif status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS):
        clock, due = Clock.RESPONSE, complaint.response_due_at
    elif status == Status.AWAITING_REPORTER:
        clock, due = Clock.REPORTER_REPLY, complaint.reporter_reply_due_at
    else:
        clock, due = "", None
    changed = []
    if complaint.current_clock != clock or complaint.current_due_at != due:
        complaint.current_clock = clock
        complaint.current_due_at = due
        complaint.escalation_level = 0
        changed = ["current_clock", "current_due_at", "escalation_level"]
    return changed


def breaches_at_end(complaint: Complaint, now: dt.datetime) -> list[dict[str, Any]]:
    """The agency deadlines a complaint had already missed when it ends (archived, closed),
    read before its clocks stop: the event that ends it keeps them, so a breach stays on
    record after the complaint leaves every board."""
    c = complaint
    missed: list[dict[str, Any]] = []

    def add(clock: str, due: dt.datetime | None, level: int | None) -> None:
        if due is not None and due < now:
            missed.append({"clock": clock, "due_at": due.isoformat(), "level": level})

    if c.status == Status.NEEDS_INFO:
        # The verification clock is paused; negative days left: paused after its breach.
        if c.verify_remaining_days is not None and c.verify_remaining_days < 0:
            missed.append({"clock": Clock.VERIFY, "due_at": None, "level": None})
    elif c.current_clock in (Clock.VERIFY, Clock.RESPONSE):
        add(c.current_clock, c.current_due_at, c.escalation_level)
    if c.verified_at is not None and c.resolved_at is None:
        add(Clock.RESOLUTION, c.resolution_due_at, c.resolution_escalation_level)
    add(Clock.HARD_CEILING, c.hard_ceiling_at, c.ceiling_escalation_level)
    return missed


def lock_complaint(complaint_id: int) -> Complaint:
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("agency", "unit")
            .get(pk=complaint_id)
        )
    except Complaint.DoesNotExist as exc:
        raise NotFound(_("Complaint not found.")) from exc


def last_change(complaint: Complaint, types: Iterable[str] | None = None) -> dict[str, str]:
    """Who made the complaint's latest change (of `types`) and what it was, for a stale-write
    message."""
    events = ComplaintEvent.objects.filter(complaint=complaint)
    if types is not None:
        events = events.filter(type__in=list(types))
    last = events.select_related("actor").order_by("-created_at", "-id").first()
    who = (last.actor.get_full_name() if last and last.actor else "") or (
        last.actor_label if last else ""
    )
    return {
        "who": who or _("someone else"),
        "what": last.get_type_display() if last else "",
    }


def check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and complaint.version != expected_version:
        raise StaleState(
            _(
                "This complaint was changed by %(who)s while you were looking at it "
                "(%(what)s). It is now: %(status)s. Check it and try again."
            )
            % {**last_change(complaint), "status": complaint.get_status_display()},
            extra={"status": complaint.status, "version": complaint.version},
        )


def check_transition(complaint: Complaint, to_status: str, allowed: bool = True) -> None:
    if not allowed or to_status not in TRANSITIONS[Status(complaint.status)]:
        refuse_in_status(complaint)


def refuse_in_status(complaint: Complaint) -> None:
    """The complaint's status does not allow the action (one message for every action)."""
    raise TransitionNotAllowed(
        _("This action is not possible while the complaint is “%(status)s”.")
        % {"status": complaint.get_status_display()},
        extra={"status": complaint.status},
    )


def actor_label_for(actor: User | None, complaint: Complaint) -> str:
    if actor is None:
        return "system"
    if actor.is_authenticated and actor.pk == complaint.reporter_id:
        return "reporter"
    return actor.get_full_name()


def event_build(
    complaint: Complaint,
    type: str,
    *,
    actor: User | None,
    from_status: str = "",
    to_status: str | None = None,
    body: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool | None = None,
    actor_label: str | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    """One timeline entry, unsaved (events_append writes several in one statement). Internal
    unless its type is one of the public ones; `to_status` defaults to the complaint's."""
    return ComplaintEvent(
        complaint=complaint,
        type=type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label if actor_label is not None else actor_label_for(actor, complaint),
        from_status=from_status,
        to_status=complaint.status if to_status is None else to_status,
        is_public=(type in PUBLIC_EVENT_TYPES) if is_public is None else is_public,
        body=body,
        data=data or {},
        created_at=now or timezone.now(),
    )


def event_append(complaint: Complaint, type: str, **fields: Any) -> ComplaintEvent:
    """Append one entry to the complaint's timeline (append-only: nothing updates it). The
    one way any app writes a complaint's timeline; takes event_build's arguments."""
    event = event_build(complaint, type, **fields)
    event.save(force_insert=True)
    return event


def events_append(events: Iterable[ComplaintEvent]) -> list[ComplaintEvent]:
    """Append entries made by event_build, in one statement."""
    return ComplaintEvent.objects.bulk_create(list(events))


def complaint_save(complaint: Complaint, fields: Iterable[str]) -> None:
    fields = set(fields) | {"version", "updated_at"}
    complaint.version += 1
    complaint.save(update_fields=sorted(fields))


def scope_path_of(complaint: Complaint) -> str:
    node = complaint.unit or complaint.agency
    return node.path if node else ""


def notify_reporter(complaint: Complaint, kind: str, event: ComplaintEvent, **context) -> None:
    email = complaint.reporter_email or (complaint.reporter.email if complaint.reporter else "")
    if not email:
        return
    notification_queue(
        kind=kind,
        cause_key=f"{kind}:{complaint.pk}:{event.pk}",
        recipient=email,
        recipient_user=complaint.reporter,
        complaint=complaint,
        language=complaint.language,
        context={"link": tracking_link(complaint), "event": event, **context},
    )


def notify_users(
    users: Iterable[User], complaint: Complaint | None, kind: str, cause: str, **context
) -> None:
    for user in users:
        if not user.email or not user.is_active:
            continue
        notification_queue(
            kind=kind,
            cause_key=f"{cause}",
            recipient=user.email,
            recipient_user=user,
            complaint=complaint,
            context=context,
        )


def attachments_store(
    complaint: Complaint,
    files: Iterable[UploadedFile],
    *,
    actor: User | None,
    event: ComplaintEvent | None = None,
    response: Response | None = None,
    is_public: bool = True,
) -> list[Attachment]:
    from complaints.uploads import sanitize_upload

    stored = []
    for upload in files:
        clean = sanitize_upload(upload)
        attachment = Attachment(
            complaint=complaint,
            event=event,
            response=response,
            original_name=clean.original_name,
            content_type=clean.content_type,
            size=clean.size,
            sha256=clean.sha256,
            uploaded_by=actor if actor is not None and actor.is_authenticated else None,
            is_public=is_public,
        )
        # The stored name never reuses the uploaded one.
        attachment.file.save(f"{secrets.token_hex(16)}{clean.extension}", clean.content, save=False)
        attachment.save()
        stored.append(attachment)
    return stored


ARCHIVE_REASON_INFO_NOT_SUPPLIED = gettext_noop(
    "The requested information was not supplied in time."
)


# The reasons staff choose from when they archive (forms_staff.ArchiveForm), stored as their
# English source ("Spam or abuse", or "Spam or abuse: <what they added>") and translated when
# shown; "other" is only what they typed.
ARCHIVE_REASON_CHOICES = {
    "spam": gettext_noop("Spam or abuse"),
    "unclear": gettext_noop("Unclear and the reporter did not complete it"),
    "not_public_service": gettext_noop("Not a public-service matter"),
}


# Reasons written from a fixed list (the system's own and the choices above); anything else
# was typed by staff and is shown as written.
SYSTEM_ARCHIVE_REASONS = frozenset(
    {ARCHIVE_REASON_INFO_NOT_SUPPLIED, *ARCHIVE_REASON_CHOICES.values()}
)


def notify_followers(complaint: Complaint, kind: str, event: ComplaintEvent) -> None:
    """Tell the confirmed followers, each in their language, that the followed report moved
    on. The messages name only the tracking number and title and link to the follower page:
    never the reporter, never the account."""
    if complaint.is_confidential:
        return
    reporter_email = (complaint.reporter_email or "").strip().lower()
    followers = complaint.followers.filter(confirmed_at__isnull=False).order_by("pk")
    for follower in followers:
        if follower.email == reporter_email:
            continue  # the reporter already gets their own message
        notification_queue(
            kind=kind,
            cause_key=f"{kind}:{complaint.pk}:{event.pk}",
            recipient=follower.email,
            complaint=complaint,
            language=follower.language,
            context={
                "link": follower_link(follower.token),
                "unfollow_link": unfollow_link(follower.token),
            },
        )
