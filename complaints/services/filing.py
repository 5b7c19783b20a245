"""Filing: a complaint enters, once, whatever the channel; following an existing one instead."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotAllowed,
    NotFound,
)
from complaints.access import (
    ACCESS_CODE_LENGTH,
    STAFF_ROLES,
    TRACKING_NUMBER_LENGTH,
    access_code_hash,
    actor_is_national_admin,
    actor_roles_for,
    follow_confirm_read,
    random_code,
)
from complaints.models import (
    Agency,
    Category,
    Channel,
    Complaint,
    ComplaintFollower,
    EventType,
    Kind,
    ResolutionTier,
    ServiceFeedback,
    Status,
)
from complaints.outbox.links import follow_confirm_link, unfollow_link
from complaints.outbox.queue import notification_queue
from complaints.policy import calendar_for, sla_policy_for
from complaints.selectors.public import (
    complaint_filed_with_submit_key,
    tracking_number_filed_with_submit_key,
)
from complaints.services.core import (
    attachments_store,
    event_append,
    notify_reporter,
    scope_path_of,
    set_current_clock,
)


class AlreadySubmitted(ApplicationError):
    """The draft was filed before; `complaint` is the complaint it became and `receipt` what
    its receipt page shows (filing_receipt)."""

    code = "already_submitted"

    def __init__(self, message: Any, *, complaint: Complaint, receipt: dict | None = None) -> None:
        super().__init__(message)
        self.complaint = complaint
        self.receipt = receipt or {"number": complaint.tracking_number, "code": "", "at": 0}


# The double-submit guard is the database's: a draft's submit key is unique among submitted
# events (constraint event_submit_key_once), so of two taps racing with one draft the second
# waits on the first's row and finds it filed. The first tap leaves its receipt, with the
# access code, here for as long as the receipt may show the code, so the second tap shows the
# same receipt; nothing in a request waits or polls.
RECEIPT_CACHE_PREFIX = "filing:receipt:"
# The access code is shown on the receipt for this long after filing (a reload on a flaky
# connection still shows it), and never again.
RECEIPT_CODE_SECONDS = 600


def filing_receipt(*, submit_key: str) -> dict[str, Any] | None:
    """What the receipt of the complaint a filing draft became shows: its number, and its
    access code while that may still be shown (`at`: when it was filed, a Unix time); None
    when the draft has filed nothing."""
    if not submit_key:
        return None
    cached = cache.get(RECEIPT_CACHE_PREFIX + submit_key)
    if isinstance(cached, dict):
        return cached
    number = tracking_number_filed_with_submit_key(submit_key=submit_key)
    if number is None:
        return None
    return {"number": number, "code": "", "at": 0}


def _already_submitted(submit_key: str) -> AlreadySubmitted | None:
    earlier = complaint_filed_with_submit_key(submit_key=submit_key)
    if earlier is None:
        return None
    return AlreadySubmitted(
        _("This report has already been sent."),
        complaint=earlier,
        receipt=filing_receipt(submit_key=submit_key),
    )


def complaint_submit(
    *,
    actor: User | None,
    kind: str,
    title: str,
    body: str,
    agency: Agency | None = None,
    category: Category | None = None,
    incident_date: dt.date | None = None,
    location_text: str = "",
    latitude=None,
    longitude=None,
    region: str = "",
    channel: str = Channel.WEB,
    reporter_name: str = "",
    reporter_email: str = "",
    reporter_phone: str = "",
    is_anonymous: bool = False,
    is_confidential: bool = False,
    attachments: Iterable[UploadedFile] = (),
    language: str = "id",
    submit_key: str = "",
    receipt: bool = True,
    now: dt.datetime | None = None,
) -> tuple[Complaint, str]:
    """File a complaint. Returns it with the plain access code, which is shown once and never
    stored. `actor` is the signed-in reporter, or the staff member entering a walk-in or phone
    complaint on the reporter's behalf (then the reporter is not linked to the actor).

    `submit_key` identifies the filing form's draft (a digest of its one-time token). It is kept
    on the submitted event, and a draft already filed raises AlreadySubmitted: a stale copy of
    the draft (e.g. a session saved by the losing request of a double tap) cannot file twice."""
    now = now or timezone.now()
    if submit_key and (filed := _already_submitted(submit_key)) is not None:
        raise filed
    if kind not in Kind.values:
        raise ApplicationError(_("Choose the kind of report."))
    if not title.strip() or not body.strip():
        raise ApplicationError(_("A title and an account are required."))
    if len(title) > settings.ADUAN_TITLE_MAX_LENGTH:
        raise ApplicationError(
            _("The title must be %(n)s characters or fewer.")
            % {"n": settings.ADUAN_TITLE_MAX_LENGTH}
        )
    if len(body) > settings.ADUAN_BODY_MAX_LENGTH:
        raise ApplicationError(
            _("The account must be %(n)s characters or fewer.")
            % {"n": settings.ADUAN_BODY_MAX_LENGTH}
        )
    if category is not None and (agency is None or category.agency_id != agency.pk):
        raise ApplicationError(_("The category does not belong to the chosen agency."))
    if incident_date and incident_date > now.date() + dt.timedelta(days=1):
        raise ApplicationError(_("The incident date must be today or in the past."))
    # Entered by agency staff for a reporter: at the desk, by phone, by the call centre or the
    # social-media desk (the last two through the API).
    staff_entry = channel in (Channel.WALK_IN, Channel.PHONE, Channel.CALL_CENTRE, Channel.SOCIAL)
    if staff_entry:
        if actor is None:
            raise NotAllowed(_("Walk-in and phone complaints are entered by staff."))
        if not actor_is_national_admin(actor) and not (
            agency and actor_roles_for(actor=actor, scope_path=agency.path) & STAFF_ROLES
        ):
            raise NotAllowed(_("You can enter complaints only for your own agency."))
    # A machine account (an app filing for its user) is never the reporter.
    reporter = (
        actor
        if actor is not None
        and actor.is_authenticated
        and not staff_entry
        and not getattr(actor, "is_machine", False)
        else None
    )
    if reporter is not None:
        reporter_email = reporter_email or reporter.email
        reporter_name = reporter_name or reporter.full_name

    policy = sla_policy_for(agency=agency, category=category)
    code = random_code(ACCESS_CODE_LENGTH)
    with transaction.atomic():
        complaint = Complaint(
            access_code_hash=access_code_hash(code),
            kind=kind,
            title=title.strip(),
            body=body.strip(),
            agency=agency,
            category=category,
            incident_date=incident_date,
            location_text=location_text.strip(),
            latitude=latitude,
            longitude=longitude,
            region=region,
            channel=channel,
            reporter=reporter,
            reporter_name=reporter_name.strip(),
            reporter_email=reporter_email.strip().lower(),
            reporter_phone=reporter_phone.strip(),
            is_anonymous=is_anonymous,
            is_confidential=is_confidential,
            status=Status.SUBMITTED,
            tier=(
                category.default_tier
                if category
                else ResolutionTier.INFORMATION
                if kind == Kind.INFORMATION_REQUEST
                else ResolutionTier.STANDARD
            ),
            submitted_at=now,
            language=language,
        )
        complaint.scope_path = scope_path_of(complaint)
        complaint.verify_due_at = calendar_for(complaint).add_working_days(now, policy.verify_days)
        set_current_clock(complaint)
        # The tracking number space (31^12) makes a collision practically impossible; retry
        # anyway rather than fail a reporter.
        for _attempt in range(5):
            complaint.tracking_number = random_code(TRACKING_NUMBER_LENGTH)
            try:
                with transaction.atomic():
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
                continue
        else:  # pragma: no cover - needs five collisions in a row
            raise ApplicationError(_("The complaint could not be saved. Please try again."))
        try:
            with transaction.atomic():
                event = event_append(
                    complaint,
                    EventType.SUBMITTED,
                    actor=actor,
                    actor_label="staff" if staff_entry else "reporter",
                    data={"channel": channel, **({"submit_key": submit_key} if submit_key else {})},
                    now=now,
                )
        except IntegrityError:
            # Another request filed this draft meanwhile (it committed while this insert
            # waited on its row): this one files nothing and leads to that receipt.
            filed = _already_submitted(submit_key)
            if filed is None:
                raise
            raise filed from None
        attachments_store(complaint, attachments, actor=actor, event=event)
        if receipt:
            # (An interface that answers with its own receipt, such as email intake's with
            # the access code and the reply token, passes receipt=False.)
            notify_reporter(complaint, "receipt", event, access_code=None)
        if submit_key:
            # Before the commit, so that a racing tap woken by it finds the receipt.
            receipt = {"number": complaint.tracking_number, "code": code, "at": now.timestamp()}
            cache.set(RECEIPT_CACHE_PREFIX + submit_key, receipt, RECEIPT_CODE_SECONDS)
    return complaint, code


def complaint_follow(
    *, complaint_id: int, email: str, language: str = "id", now: dt.datetime | None = None
) -> ComplaintFollower:
    """Follow an open, non-confidential complaint by email. A confirmation message with a
    signed link goes out once; following again (confirmed or not) changes nothing and sends
    nothing more."""
    now = now or timezone.now()
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ApplicationError(
            _("Enter an email address in the correct format, like name@example.com")
        ) from exc
    with transaction.atomic():
        c = Complaint.objects.select_related("agency").filter(pk=complaint_id).first()
        if c is None or c.is_confidential:
            raise NotFound(_("Complaint not found."))
        if not c.is_open:
            raise ApplicationError(_("This report is no longer open, so it cannot be followed."))
        follower, _created = ComplaintFollower.objects.get_or_create(
            complaint=c,
            email=email,
            defaults={
                "token": secrets.token_urlsafe(24),
                "language": (language or "id")[:8],
                "created_at": now,
            },
        )
        if follower.confirmed_at is None:
            notification_queue(
                kind="follow_confirm",
                cause_key=f"follow_confirm:{follower.pk}",
                recipient=follower.email,
                complaint=c,
                language=follower.language,
                context={
                    "link": follow_confirm_link(follower.token),
                    "unfollow_link": unfollow_link(follower.token),
                },
            )
    return follower


def complaint_follow_confirm(token: str, *, now: dt.datetime | None = None) -> ComplaintFollower:
    """Confirm a follower from the signed link in the confirmation message (idempotent)."""
    now = now or timezone.now()
    raw = follow_confirm_read(token)
    if raw is None:
        raise NotFound(_("This link is not valid or has expired."))
    with transaction.atomic():
        follower = (
            ComplaintFollower.objects.select_for_update()
            .select_related("complaint")
            .filter(token=raw)
            .first()
        )
        if follower is None:
            raise NotFound(_("This link is not valid or has expired."))
        if follower.confirmed_at is None:
            follower.confirmed_at = now
            follower.save(update_fields=["confirmed_at"])
    return follower


def complaint_unfollow(token: str) -> bool:
    """Stop following (the token from the follower's messages). False when there was nothing
    to stop, so a second click is harmless."""
    deleted, _detail = ComplaintFollower.objects.filter(token=token).delete()
    return bool(deleted)


def service_feedback_create(
    *,
    rating: int,
    comment: str = "",
    page: str = "",
    language: str = "id",
    now: dt.datetime | None = None,
) -> ServiceFeedback:
    """Store one anonymous opinion of the service (nothing about who sent it)."""
    if rating not in ServiceFeedback.Rating.values:
        raise ApplicationError(_("Choose how satisfied you are with this service"))
    return ServiceFeedback.objects.create(
        rating=rating,
        comment=(comment or "").strip()[:2000],
        page=(page or "")[:200],
        language=(language or "id")[:8],
        created_at=now or timezone.now(),
    )
