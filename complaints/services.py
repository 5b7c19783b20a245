"""Writes. One service per transition of DESIGN §3: each locks the complaint, checks the
transition table and the actor's role and scope, saves with update_fields, appends one event,
recomputes the clocks and queues notifications that leave the process only after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from common.exceptions import (
    ApplicationError,
    NotAllowed,
    NotFound,
    StaleState,
    TransitionNotAllowed,
)
from complaints.clock import WorkingCalendar
from complaints.models import (
    ESCALATION_LEVEL_FIELDS,
    TRANSITIONS,
    Agency,
    Attachment,
    Category,
    Channel,
    Clock,
    Complaint,
    ComplaintAgencyHistory,
    ComplaintEvent,
    ComplaintFollower,
    Escalation,
    EscalationReason,
    EventType,
    Kind,
    Membership,
    ResolutionTier,
    Response,
    Role,
    ServiceFeedback,
    SlaPolicy,
    Status,
)
from complaints.notifications import (
    follow_confirm_link,
    follow_confirm_read,
    follower_link,
    notification_queue,
    tracking_link,
    unfollow_link,
)

# Tracking numbers and access codes avoid 0/O/1/I/L so they can be read out and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_NUMBER_LENGTH = 12
ACCESS_CODE_LENGTH = 8

STAFF_ROLES = frozenset({Role.VERIFIER, Role.OFFICER, Role.APPROVER, Role.FOCAL_POINT})

# ---------------------------------------------------------------------------------------------
# Codes


def _random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(value: str) -> str:
    """Accept any case, spaces and hyphens, as reporters type codes from paper or email."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def access_code_hash(code: str) -> str:
    # Access codes are random (8 chars of a 31-letter alphabet, ~40 bits) and guessing is rate
    # limited, so a keyed HMAC is enough and keeps verification cheap.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def access_code_matches(complaint: Complaint, code: str) -> bool:
    return hmac.compare_digest(complaint.access_code_hash, access_code_hash(code))


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


# ---------------------------------------------------------------------------------------------
# Policies and clocks


def sla_policy_for(*, agency: Agency | None, category: Category | None = None) -> SlaPolicy:
    """The most specific active policy: category, then the nearest agency up the tree, then
    the national default; an unsaved default policy when none is configured."""
    q = Q(agency__isnull=True, category__isnull=True)
    ancestor_ids: list[int] = []
    if agency is not None:
        ancestor_ids = [int(p) for p in agency.path.split("/") if p]
        q |= Q(agency_id__in=ancestor_ids, category__isnull=True)
    if category is not None:
        q |= Q(category=category)
    candidates = list(SlaPolicy.objects.filter(q, is_active=True))

    def specificity(policy: SlaPolicy) -> tuple[int, int]:
        if policy.category_id:
            return (2, 0)
        if policy.agency_id:
            return (1, ancestor_ids.index(policy.agency_id))
        return (0, 0)

    if not candidates:
        return SlaPolicy(name="default")
    return max(candidates, key=specificity)


def calendar_for(complaint: Complaint) -> WorkingCalendar:
    return WorkingCalendar.for_agency(complaint.unit or complaint.agency)


def _capped(due: dt.datetime, ceiling: dt.datetime | None) -> dt.datetime:
    return min(due, ceiling) if ceiling else due


def _deadlines_into_calendar(
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
                _capped(after.same_working_day(due, before), complaint.hard_ceiling_at),
            )
            fields.add(name)
    if complaint.current_clock == Clock.RESPONSE and complaint.response_due_at is not None:
        # current_due_at follows here, so _set_current_clock sees no new clock
        complaint.current_due_at = complaint.response_due_at
        fields.add("current_due_at")
    return fields


def _set_current_clock(complaint: Complaint) -> list[str]:
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


# ---------------------------------------------------------------------------------------------
# Scope and roles


def actor_is_national_admin(actor: User | None) -> bool:
    return bool(actor and actor.is_active and (actor.is_national_admin or actor.is_superuser))


def actor_roles_for(*, actor: User | None, scope_path: str) -> set[str]:
    """The roles the actor holds over a node: memberships on the node or any ancestor."""
    if actor is None or not actor.is_authenticated or not scope_path:
        return set()
    cached = getattr(actor, "_membership_cache", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=actor).values_list("agency__path", "role"))
        actor._membership_cache = cached
    return {role for path, role in cached if scope_path.startswith(path)}


def _require(actor: User | None, complaint: Complaint, roles: Iterable[str]) -> None:
    """Allow national admins and anyone holding one of `roles` over the complaint's current
    place. A complaint outside the actor's scope is reported as not found."""
    if actor is None:
        return  # system / beat
    if actor_is_national_admin(actor):
        return
    held = actor_roles_for(actor=actor, scope_path=complaint.scope_path)
    if not held:
        raise NotFound(_("Complaint not found."))
    if not held & set(roles):
        raise NotAllowed(_("Your role does not allow this action on this complaint."))


def _lock(complaint_id: int) -> Complaint:
    try:
        return (
            Complaint.objects.select_for_update(of=("self",))
            .select_related("agency", "unit")
            .get(pk=complaint_id)
        )
    except Complaint.DoesNotExist as exc:
        raise NotFound(_("Complaint not found.")) from exc


def _last_change(complaint: Complaint, types: Iterable[str] | None = None) -> dict[str, str]:
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


def _check_version(complaint: Complaint, expected_version: int | None) -> None:
    if expected_version is not None and complaint.version != expected_version:
        raise StaleState(
            _(
                "This complaint was changed by %(who)s while you were looking at it "
                "(%(what)s). It is now: %(status)s. Check it and try again."
            )
            % {**_last_change(complaint), "status": complaint.get_status_display()},
            extra={"status": complaint.status, "version": complaint.version},
        )


def _check_transition(complaint: Complaint, to_status: str, allowed: bool = True) -> None:
    if not allowed or to_status not in TRANSITIONS[Status(complaint.status)]:
        raise TransitionNotAllowed(
            _("This action is not possible while the complaint is “%(status)s”.")
            % {"status": complaint.get_status_display()},
            extra={"status": complaint.status},
        )


def _actor_label(actor: User | None, complaint: Complaint) -> str:
    if actor is None:
        return "system"
    if actor.is_authenticated and actor.pk == complaint.reporter_id:
        return "reporter"
    return actor.get_full_name()


def _event(
    complaint: Complaint,
    type: str,
    *,
    actor: User | None,
    from_status: str = "",
    body: str = "",
    data: dict[str, Any] | None = None,
    is_public: bool | None = None,
    actor_label: str | None = None,
    now: dt.datetime | None = None,
) -> ComplaintEvent:
    from complaints.models import PUBLIC_EVENT_TYPES

    return ComplaintEvent.objects.create(
        complaint=complaint,
        type=type,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_label=actor_label if actor_label is not None else _actor_label(actor, complaint),
        from_status=from_status,
        to_status=complaint.status,
        is_public=(type in PUBLIC_EVENT_TYPES) if is_public is None else is_public,
        body=body,
        data=data or {},
        created_at=now or timezone.now(),
    )


def _save(complaint: Complaint, fields: Iterable[str]) -> None:
    fields = set(fields) | {"version", "updated_at"}
    complaint.version += 1
    complaint.save(update_fields=sorted(fields))


def _scope_path(complaint: Complaint) -> str:
    node = complaint.unit or complaint.agency
    return node.path if node else ""


# ---------------------------------------------------------------------------------------------
# Notifications to the reporter


def _notify_reporter(complaint: Complaint, kind: str, event: ComplaintEvent, **context) -> None:
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


def _notify_users(
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


def users_with_role_over(*, node: Agency | None, roles: Iterable[str]) -> list[User]:
    """Staff holding one of `roles` on the node or one of its ancestors."""
    if node is None:
        return list(User.objects.filter(is_national_admin=True, is_active=True))
    ancestor_ids = [int(p) for p in node.path.split("/") if p]
    return list(
        User.objects.filter(
            memberships__agency_id__in=ancestor_ids, memberships__role__in=list(roles)
        ).distinct()
    )


# ---------------------------------------------------------------------------------------------
# Filing


def _store_attachments(
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


class AlreadySubmitted(ApplicationError):
    """The draft was filed before; `complaint` is the complaint it became."""

    code = "already_submitted"

    def __init__(self, message: Any, *, complaint: Complaint) -> None:
        super().__init__(message)
        self.complaint = complaint


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
    now: dt.datetime | None = None,
) -> tuple[Complaint, str]:
    """File a complaint. Returns it with the plain access code, which is shown once and never
    stored. `actor` is the signed-in reporter, or the staff member entering a walk-in or phone
    complaint on the reporter's behalf (then the reporter is not linked to the actor).

    `submit_key` identifies the filing form's draft (a digest of its one-time token). It is kept
    on the submitted event, and a draft already filed raises AlreadySubmitted: a stale copy of
    the draft (e.g. a session saved by the losing request of a double tap) cannot file twice."""
    now = now or timezone.now()
    if submit_key:
        from complaints.selectors_public import complaint_filed_with_submit_key

        earlier = complaint_filed_with_submit_key(submit_key=submit_key)
        if earlier is not None:
            raise AlreadySubmitted(_("This report has already been sent."), complaint=earlier)
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
    staff_entry = channel in (Channel.WALK_IN, Channel.PHONE)
    if staff_entry:
        if actor is None:
            raise NotAllowed(_("Walk-in and phone complaints are entered by staff."))
        if not actor_is_national_admin(actor) and not (
            agency and actor_roles_for(actor=actor, scope_path=agency.path) & STAFF_ROLES
        ):
            raise NotAllowed(_("You can enter complaints only for your own agency."))
    reporter = actor if (actor is not None and actor.is_authenticated and not staff_entry) else None
    if reporter is not None:
        reporter_email = reporter_email or reporter.email
        reporter_name = reporter_name or reporter.full_name

    policy = sla_policy_for(agency=agency, category=category)
    code = _random_code(ACCESS_CODE_LENGTH)
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
        complaint.scope_path = _scope_path(complaint)
        complaint.verify_due_at = calendar_for(complaint).add_working_days(now, policy.verify_days)
        _set_current_clock(complaint)
        # The tracking number space (31^12) makes a collision practically impossible; retry
        # anyway rather than fail a reporter.
        for _attempt in range(5):
            complaint.tracking_number = _random_code(TRACKING_NUMBER_LENGTH)
            try:
                with transaction.atomic():
                    complaint.save()
                break
            except IntegrityError:
                complaint.pk = None
                continue
        else:  # pragma: no cover - needs five collisions in a row
            raise ApplicationError(_("The complaint could not be saved. Please try again."))
        event = _event(
            complaint,
            EventType.SUBMITTED,
            actor=actor,
            actor_label="staff" if staff_entry else "reporter",
            data={"channel": channel, **({"submit_key": submit_key} if submit_key else {})},
            now=now,
        )
        _store_attachments(complaint, attachments, actor=actor, event=event)
        _notify_reporter(complaint, "receipt", event, access_code=None)
    return complaint, code


# ---------------------------------------------------------------------------------------------
# Verification


def complaint_verify(
    *,
    complaint_id: int,
    actor: User | None,
    expected_version: int | None = None,
    title: str | None = None,
    kind: str | None = None,
    category: Category | None = None,
    tier: str | None = None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER])
        _check_version(c, expected_version)
        _check_transition(c, Status.VERIFIED, c.can_verify())
        if c.agency_id is None:
            raise ApplicationError(
                _("Choose the agency responsible before verifying (forward the complaint).")
            )
        from_status = c.status
        fields = {"status", "verified_at", "verify_due_at"}
        corrections: dict[str, Any] = {}
        if title is not None and title.strip() and title.strip() != c.title:
            corrections["title"] = [c.title, title.strip()]
            c.title = title.strip()
            fields.add("title")
        if kind is not None and kind != c.kind:
            if kind not in Kind.values:
                raise ApplicationError(_("Choose the kind of report."))
            corrections["kind"] = [c.kind, kind]
            c.kind = kind
            fields.add("kind")
        if category is not None and category.pk != c.category_id:
            if category.agency_id != c.agency_id:
                raise ApplicationError(_("The category does not belong to the agency."))
            corrections["category"] = [c.category_id, category.pk]
            c.category = category
            fields.add("category")
        if tier is not None and tier != c.tier:
            if tier not in ResolutionTier.values:
                raise ApplicationError(_("Choose a resolution tier."))
            corrections["tier"] = [c.tier, tier]
            c.tier = tier
            fields.add("tier")
        privacy = _apply_privacy(c, actor, is_anonymous, is_confidential)
        fields |= set(privacy)
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        c.status = Status.VERIFIED
        c.verified_at = now
        c.verify_due_at = c.verify_due_at  # kept: compliance is measured against it
        if c.hard_ceiling_at is None:
            c.hard_ceiling_at = now + dt.timedelta(days=policy.hard_ceiling_calendar_days)
        c.response_due_at = _capped(
            cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
        )
        c.resolution_due_at = _capped(
            cal.add_working_days(now, policy.tier_days(c.tier)), c.hard_ceiling_at
        )
        fields |= {"hard_ceiling_at", "response_due_at", "resolution_due_at"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.VERIFIED,
            actor=actor,
            from_status=from_status,
            data={"corrections": corrections, "privacy": privacy},
            now=now,
        )
        if privacy:
            _event(
                c,
                EventType.PRIVACY_CHANGED,
                actor=actor,
                from_status=c.status,
                data={"changes": privacy},
                now=now,
            )
        _notify_reporter(c, "verified", event)
    return c


def _apply_privacy(
    c: Complaint, actor: User | None, is_anonymous: bool | None, is_confidential: bool | None
) -> dict[str, list[bool]]:
    """Staff may turn anonim/rahasia on; turning either off needs the national admin."""
    changes: dict[str, list[bool]] = {}
    for field, value in (("is_anonymous", is_anonymous), ("is_confidential", is_confidential)):
        if value is None or value == getattr(c, field):
            continue
        if not value and actor is not None and not actor_is_national_admin(actor):
            raise NotAllowed(
                _("Only the national admin can turn off anonymity or confidentiality.")
            )
        changes[field] = [getattr(c, field), value]
        setattr(c, field, value)
    return changes


def complaint_set_privacy(
    *,
    complaint_id: int,
    actor: User | None,
    is_anonymous: bool | None = None,
    is_confidential: bool | None = None,
    reporter: bool = False,
) -> Complaint:
    """Change the privacy flags. `reporter=True` is the reporter acting on their own complaint
    (authorised by the caller with the access code): they may turn either flag on or off."""
    with transaction.atomic():
        c = _lock(complaint_id)
        if not reporter:
            _require(actor, c, [Role.VERIFIER])
            changes = _apply_privacy(c, actor, is_anonymous, is_confidential)
        else:
            changes = {}
            for field, value in (
                ("is_anonymous", is_anonymous),
                ("is_confidential", is_confidential),
            ):
                if value is not None and value != getattr(c, field):
                    changes[field] = [getattr(c, field), value]
                    setattr(c, field, value)
        if not changes:
            return c
        _save(c, changes.keys())
        _event(
            c,
            EventType.PRIVACY_CHANGED,
            actor=actor,
            from_status=c.status,
            actor_label="reporter" if reporter else None,
            data={"changes": changes},
        )
    return c


def complaint_set_category(
    *,
    complaint_id: int,
    actor: User | None,
    category: Category,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Classify an open complaint after verification (a forward clears the category, and the
    receiving agency sets its own). The SLA policy may depend on the category, but deadlines
    already running are NOT recomputed: they were promised under the policy in force when
    their clock started, and the next clock that starts uses the new category's policy."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER])
        _check_version(c, expected_version)
        if not c.is_open:
            _check_transition(c, c.status, False)
        if c.agency_id is None or category.agency_id != c.agency_id:
            raise ApplicationError(_("The category does not belong to the agency."))
        if category.pk == c.category_id:
            raise ApplicationError(_("The complaint already has this category."))
        previous = c.category
        c.category = category
        _save(c, {"category"})
        _event(
            c,
            EventType.RECLASSIFIED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={
                "field": "category",
                "from": previous.pk if previous else None,
                "from_name": previous.name if previous else "",
                "to": category.pk,
                "to_name": category.name,
                "deadlines_recomputed": False,
            },
            now=now,
        )
    return c


def complaint_hold_for_info(
    *,
    complaint_id: int,
    actor: User | None,
    message: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Ask the reporter for missing information: the verification clock pauses."""
    now = now or timezone.now()
    if not message.strip():
        raise ApplicationError(_("Write what information the reporter must supply."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER])
        _check_version(c, expected_version)
        _check_transition(c, Status.NEEDS_INFO, c.can_hold_for_info())
        cal = calendar_for(c)
        policy = sla_policy_for(agency=c.agency, category=c.category)
        from_status = c.status
        c.verify_remaining_days = (
            cal.working_days_between(now, c.verify_due_at) if c.verify_due_at else None
        )
        c.verify_due_at = None
        c.reporter_info_due_at = cal.add_working_days(now, policy.reporter_info_days)
        c.status = Status.NEEDS_INFO
        fields = {"status", "verify_remaining_days", "verify_due_at", "reporter_info_due_at"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.HELD_FOR_INFO,
            actor=actor,
            from_status=from_status,
            body=message.strip(),
            now=now,
        )
        _notify_reporter(c, "info_requested", event, message=message.strip())
    return c


def complaint_supply_info(
    *,
    complaint_id: int,
    body: str,
    attachments: Iterable[UploadedFile] = (),
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """The reporter supplies what was asked (authorised by the caller with the access code or
    the reporter's account): the verification clock resumes with the days it had left."""
    now = now or timezone.now()
    attachments = list(attachments)
    if not body.strip() and not attachments:
        raise ApplicationError(_("Write the information that was asked for or upload a file"))
    with transaction.atomic():
        c = _lock(complaint_id)
        _check_transition(c, Status.SUBMITTED, c.status == Status.NEEDS_INFO)
        cal = calendar_for(c)
        remaining = c.verify_remaining_days or 0
        c.verify_due_at = cal.add_working_days(now, remaining)
        c.verify_remaining_days = None
        c.reporter_info_due_at = None
        c.status = Status.SUBMITTED
        fields = {"status", "verify_due_at", "verify_remaining_days", "reporter_info_due_at"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.INFO_SUPPLIED,
            actor=actor,
            from_status=Status.NEEDS_INFO,
            actor_label="reporter",
            body=body.strip(),
            now=now,
        )
        _store_attachments(c, attachments, actor=actor, event=event)
        verifiers = users_with_role_over(node=c.agency, roles=[Role.VERIFIER])
        _notify_users(verifiers, c, "staff_info_supplied", f"info_supplied:{event.pk}", link=None)
    return c


def complaint_archive(
    *,
    complaint_id: int,
    actor: User | None,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Give the reason for archiving."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER])
        _check_version(c, expected_version)
        _check_transition(c, Status.ARCHIVED)
        from_status = c.status
        c.status = Status.ARCHIVED
        c.archive_reason = reason.strip()[:255]
        c.archived_at = now
        fields = {"status", "archive_reason", "archived_at"} | set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.ARCHIVED,
            actor=actor,
            from_status=from_status,
            body=c.archive_reason,
            now=now,
        )
        _notify_reporter(c, "archived", event, reason=c.archive_reason)
    return c


# ---------------------------------------------------------------------------------------------
# Routing and forwarding


def complaint_route(
    *,
    complaint_id: int,
    actor: User | None,
    unit: Agency,
    assignee: User | None = None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Disposisi: send the complaint to a unit of its agency (optionally to one officer)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER, Role.APPROVER])
        _check_version(c, expected_version)
        _check_transition(c, Status.ASSIGNED, c.can_route())
        if c.agency is None or not unit.is_within(c.agency):
            raise ApplicationError(_("Choose a unit of the agency that handles the complaint."))
        if assignee is not None and Role.OFFICER not in actor_roles_for(
            actor=assignee, scope_path=unit.path
        ):
            raise ApplicationError(_("The chosen officer does not work in that unit."))
        from_status = c.status
        previous = c.assignee
        before = calendar_for(c)
        c.unit = unit
        c.scope_path = unit.path
        c.assignee = assignee
        c.status = Status.ASSIGNED
        fields = {"unit", "scope_path", "assignee", "status"}
        fields |= _deadlines_into_calendar(c, before, calendar_for(c))
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.ROUTED,
            actor=actor,
            from_status=from_status,
            data={
                "unit": unit.pk,
                "unit_name": unit.name,
                "assignee": assignee.pk if assignee else None,
            },
            now=now,
        )
        recipients = (
            [assignee] if assignee else users_with_role_over(node=unit, roles=[Role.OFFICER])
        )
        _notify_users(recipients, c, "staff_routed", f"routed:{event.pk}")
        # A re-route takes the complaint away from the officer who had it: they must know.
        if previous is not None and previous.pk not in {u.pk for u in recipients}:
            _notify_users([previous], c, "staff_unassigned", f"unassigned:{event.pk}")
    return c


def complaint_forward(
    *,
    complaint_id: int,
    actor: User | None,
    agency: Agency,
    reason: str,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Pelimpahan / bukan wewenang: hand the complaint to another agency. The sending agency
    keeps read access to the full history; the receiving agency gets a new clock (verification
    if it was never verified, else response); the hard ceiling never resets."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Give the reason for forwarding."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER])
        _check_version(c, expected_version)
        if not c.can_forward():
            _check_transition(c, Status.VERIFIED, False)
        if agency.parent_id is not None:
            raise ApplicationError(_("Forward to an agency, not to a unit (route to units)."))
        if c.agency_id == agency.pk:
            raise ApplicationError(_("The complaint is already at this agency."))
        from_status = c.status
        previous = c.agency
        if previous is not None:
            ComplaintAgencyHistory.objects.get_or_create(
                complaint=c,
                agency=previous,
                defaults={"agency_path": previous.path, "forwarded_at": now},
            )
        c.agency = agency
        c.unit = None
        c.assignee = None
        c.scope_path = agency.path
        c.category = None
        cal = WorkingCalendar.for_agency(agency)
        policy = sla_policy_for(agency=agency)
        fields = {"agency", "unit", "assignee", "scope_path", "category", "status", "clock_cycle"}
        c.clock_cycle += 1
        if from_status == Status.SUBMITTED:
            c.status = Status.SUBMITTED
            c.verify_due_at = cal.add_working_days(now, policy.verify_days)
            fields.add("verify_due_at")
        else:
            c.status = Status.VERIFIED
            c.response_due_at = _capped(
                cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
            )
            fields.add("response_due_at")
        fields |= set(_set_current_clock(c))
        # A new clock at a new agency starts at the bottom of the ladder.
        c.escalation_level = 0
        fields.add("escalation_level")
        _save(c, fields)
        event = _event(
            c,
            EventType.FORWARDED,
            actor=actor,
            from_status=from_status,
            body=reason.strip(),
            data={
                "from_agency": previous.pk if previous else None,
                "from_agency_name": previous.name if previous else "",
                "to_agency": agency.pk,
                "to_agency_name": agency.name,
            },
            now=now,
        )
        verifiers = users_with_role_over(node=agency, roles=[Role.VERIFIER])
        _notify_users(verifiers, c, "staff_forwarded", f"forwarded:{event.pk}")
        _notify_reporter(c, "forwarded", event, agency=agency, reason=reason.strip())
    return c


# ---------------------------------------------------------------------------------------------
# Working the case


def complaint_take(
    *,
    complaint_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.OFFICER])
        _check_version(c, expected_version)
        _check_transition(c, Status.IN_PROGRESS, c.can_take())
        if c.status == Status.IN_PROGRESS and c.assignee_id == actor.pk:
            raise ApplicationError(_("You are already handling this complaint."))
        from_status = c.status
        previous = c.assignee_id
        c.assignee = actor
        c.status = Status.IN_PROGRESS
        fields = {"assignee", "status"} | set(_set_current_clock(c))
        _save(c, fields)
        _event(
            c,
            EventType.TAKEN,
            actor=actor,
            from_status=from_status,
            data={"previous_assignee": previous},
            now=now,
        )
    return c


def complaint_assign(
    *,
    complaint_id: int,
    actor: User,
    assignee: User | None,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Give the complaint to an officer of its unit, or clear the assignee (None)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER, Role.APPROVER])
        _check_version(c, expected_version)
        if c.status not in (Status.ASSIGNED, Status.IN_PROGRESS, Status.VERIFIED):
            _check_transition(c, Status.ASSIGNED, False)
        if assignee is not None and Role.OFFICER not in actor_roles_for(
            actor=assignee, scope_path=c.scope_path
        ):
            raise ApplicationError(_("The chosen officer does not work on this complaint's unit."))
        if assignee is not None and assignee.pk == c.assignee_id:
            raise ApplicationError(_("The complaint is already assigned to that officer."))
        previous = c.assignee_id
        c.assignee = assignee
        _save(c, {"assignee"})
        _event(
            c,
            EventType.ASSIGNED,
            actor=actor,
            from_status=c.status,
            data={
                "assignee": assignee.pk if assignee else None,
                "assignee_name": assignee.get_full_name() if assignee else "",
                "previous_assignee": previous,
            },
            now=now,
        )
        if assignee is not None:
            _notify_users([assignee], c, "staff_assigned", f"assigned:{c.pk}:{c.version}")
        # The officer who had it must know it was taken away (not when they let go themselves).
        if previous is not None and previous != getattr(actor, "pk", None):
            earlier = User.objects.filter(pk=previous, is_active=True).first()
            if earlier is not None:
                _notify_users([earlier], c, "staff_unassigned", f"unassigned:{c.pk}:{c.version}")
    return c


def complaint_note(
    *, complaint_id: int, actor: User, body: str, now: dt.datetime | None = None
) -> ComplaintEvent:
    """An internal note: never shown to the reporter or the public; does not stop a clock."""
    if not body.strip():
        raise ApplicationError(_("Write the note."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.VERIFIER, Role.OFFICER, Role.APPROVER, Role.FOCAL_POINT])
        return _event(
            c,
            EventType.NOTE,
            actor=actor,
            from_status=c.status,
            body=body.strip(),
            is_public=False,
            now=now,
        )


def response_draft(
    *,
    complaint_id: int,
    actor: User,
    body: str,
    response_id: int | None = None,
    expected_response_version: int | None = None,
    attachments: Iterable[UploadedFile] = (),
    now: dt.datetime | None = None,
) -> Response:
    """Write or revise the complaint's one pending answer. Revising an approved draft sends it
    back for approval; writing a new draft while another is pending is a stale write (the
    complaint row lock serialises two writers, so the check below cannot race)."""
    if not body.strip():
        raise ApplicationError(_("Write the answer."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.OFFICER, Role.VERIFIER, Role.APPROVER])
        if not c.can_respond():
            _check_transition(c, Status.AWAITING_REPORTER, False)
        was_approved = False
        if response_id is None:
            pending = (
                Response.objects.filter(complaint=c, state__in=RESPONSE_PENDING_STATES)
                .order_by("-created_at", "-id")
                .first()
            )
            if pending is not None:
                raise _stale_response(c, pending)
        if response_id is not None:
            try:
                response = Response.objects.select_for_update().get(pk=response_id, complaint=c)
            except Response.DoesNotExist as exc:
                raise NotFound(_("Draft not found.")) from exc
            _check_response_version(c, response, expected_response_version)
            if response.state not in RESPONSE_PENDING_STATES:
                raise ApplicationError(_("Only a draft or a returned draft can be changed."))
            was_approved = response.state == Response.State.APPROVED
            response.body = body.strip()
            response.state = Response.State.DRAFT
            response.approved_by = None
            response.approved_at = None
            response.save(
                update_fields=["body", "state", "approved_by", "approved_at", "updated_at"]
            )
        else:
            response = Response.objects.create(complaint=c, author=actor, body=body.strip())
        _store_attachments(c, attachments, actor=actor, response=response)
        _event(
            c,
            EventType.DRAFT_SAVED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"response": response.pk, "was_approved": True}
            if was_approved
            else {"response": response.pk},
            now=now,
        )
        if c.agency and c.agency.responses_need_approval:
            approvers = users_with_role_over(node=c.unit or c.agency, roles=[Role.APPROVER])
            _notify_users(approvers, c, "staff_draft_waiting", f"draft:{response.pk}:{c.version}")
    return response


def _lock_response(response_id: int) -> tuple[Response, Complaint]:
    try:
        complaint_id = Response.objects.values_list("complaint_id", flat=True).get(pk=response_id)
    except Response.DoesNotExist as exc:
        raise NotFound(_("Draft not found.")) from exc
    c = _lock(complaint_id)
    response = Response.objects.select_for_update().get(pk=response_id)
    return response, c


# A complaint has at most one of these at a time (response_draft enforces it).
RESPONSE_PENDING_STATES = (
    Response.State.DRAFT,
    Response.State.APPROVED,
    Response.State.RETURNED,
)
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def response_version(response: Response) -> int:
    """The version of a draft answer for stale-write checks: its last save in microseconds.
    A draft edit leaves the complaint's version alone, so approve and publish forms carry
    this too; every write to a Response saves `updated_at`."""
    return (response.updated_at - _EPOCH) // dt.timedelta(microseconds=1)


def _check_response_version(c: Complaint, response: Response, expected: int | None) -> None:
    if expected is not None and response_version(response) != expected:
        raise _stale_response(c, response)


def _stale_response(c: Complaint, response: Response) -> StaleState:
    changed = _last_change(
        c,
        [
            EventType.DRAFT_SAVED,
            EventType.DRAFT_APPROVED,
            EventType.DRAFT_RETURNED,
            EventType.RESPONSE_PUBLISHED,
        ],
    )
    return StaleState(
        _(
            "The draft answer was changed by %(who)s while you were looking at it (%(what)s). "
            "It is now: %(state)s. Check the draft and try again."
        )
        % {**changed, "state": response.get_state_display()},
        extra={"response": response.pk, "response_version": response_version(response)},
    )


def response_approve(
    *,
    response_id: int,
    actor: User,
    expected_response_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Approve a draft exactly as the approver saw it (`expected_response_version`)."""
    now = now or timezone.now()
    with transaction.atomic():
        response, c = _lock_response(response_id)
        _require(actor, c, [Role.APPROVER])
        _check_response_version(c, response, expected_response_version)
        if response.state != Response.State.DRAFT:
            raise ApplicationError(_("Only a draft waiting for approval can be approved."))
        response.state = Response.State.APPROVED
        response.approved_by = actor
        response.approved_at = now
        response.save(update_fields=["state", "approved_by", "approved_at", "updated_at"])
        _event(
            c,
            EventType.DRAFT_APPROVED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"response": response.pk},
            now=now,
        )
    return response


def response_return(
    *, response_id: int, actor: User, reason: str, now: dt.datetime | None = None
) -> Response:
    if not reason.strip():
        raise ApplicationError(_("Say why the draft is returned."))
    with transaction.atomic():
        response, c = _lock_response(response_id)
        _require(actor, c, [Role.APPROVER])
        if response.state not in (Response.State.DRAFT, Response.State.APPROVED):
            raise ApplicationError(_("Only a draft can be returned."))
        response.state = Response.State.RETURNED
        response.return_reason = reason.strip()
        response.save(update_fields=["state", "return_reason", "updated_at"])
        _event(
            c,
            EventType.DRAFT_RETURNED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            body=reason.strip(),
            data={"response": response.pk},
            now=now,
        )
        if response.author:
            _notify_users(
                [response.author],
                c,
                "staff_draft_returned",
                f"returned:{response.pk}:{c.version}",
                reason=reason.strip(),
            )
    return response


def response_publish(
    *,
    response_id: int,
    actor: User | None,
    expected_version: int | None = None,
    expected_response_version: int | None = None,
    now: dt.datetime | None = None,
) -> Response:
    """Publish an answer to the reporter: stops the response clock and starts the reporter's
    10 working days to accept or object. Where the agency requires approval, only an approved
    draft can be published; `expected_response_version` is the draft's text the actor saw."""
    now = now or timezone.now()
    with transaction.atomic():
        response, c = _lock_response(response_id)
        needs_approval = bool(c.agency and c.agency.responses_need_approval)
        _require(
            actor,
            c,
            [Role.APPROVER] if needs_approval else [Role.APPROVER, Role.OFFICER, Role.VERIFIER],
        )
        _check_version(c, expected_version)
        _check_response_version(c, response, expected_response_version)
        _check_transition(c, Status.AWAITING_REPORTER, c.can_respond())
        if needs_approval and response.state != Response.State.APPROVED:
            raise ApplicationError(_("This agency requires the answer to be approved first."))
        if response.state not in (Response.State.DRAFT, Response.State.APPROVED):
            raise ApplicationError(_("This answer cannot be published."))
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        from_status = c.status
        response.state = Response.State.PUBLISHED
        response.published_at = now
        response.published_by = actor
        response.save(update_fields=["state", "published_at", "published_by", "updated_at"])
        c.status = Status.AWAITING_REPORTER
        if c.first_response_at is None:
            c.first_response_at = now
        c.reporter_reply_due_at = cal.add_working_days(now, policy.reporter_reply_days)
        fields = {"status", "first_response_at", "reporter_reply_due_at"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        Attachment.objects.filter(response=response).update(is_public=True)
        event = _event(
            c,
            EventType.RESPONSE_PUBLISHED,
            actor=actor,
            from_status=from_status,
            body=response.body,
            actor_label=c.agency.name if c.agency else "",
            data={"response": response.pk},
            now=now,
        )
        Attachment.objects.filter(response=response).update(event=event)
        _notify_reporter(c, "response_published", event, response=response)
        _notify_followers(c, "follow_answered", event)
    return response


def complaint_mark_resolved(
    *, complaint_id: int, actor: User, now: dt.datetime | None = None
) -> Complaint:
    """Record that the matter itself is resolved (stops the resolution clock); the complaint
    still closes only when the reporter accepts or stays silent."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _require(actor, c, [Role.OFFICER, Role.APPROVER, Role.VERIFIER])
        if c.status not in (Status.IN_PROGRESS, Status.AWAITING_REPORTER) or c.resolved_at:
            _check_transition(c, Status.CLOSED, False)
        if c.first_response_at is None:
            raise ApplicationError(_("Publish an answer before marking the complaint resolved."))
        c.resolved_at = now
        _save(c, {"resolved_at"})
        _event(c, EventType.RESOLVED, actor=actor, from_status=c.status, is_public=False, now=now)
    return c


def complaint_merge(
    *,
    complaint_id: int,
    into_id: int,
    actor: User,
    expected_version: int | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    """Archive a duplicate, pointing to the complaint that carries on. With
    `expected_version`, refused (StaleState) when the duplicate changed since it was read."""
    now = now or timezone.now()
    if complaint_id == into_id:
        raise ApplicationError(_("A complaint cannot be merged into itself."))
    with transaction.atomic():
        # Lock both rows in pk order, so two merges of the same pair cannot deadlock.
        first, second = sorted([complaint_id, into_id])
        a, b = _lock(first), _lock(second)
        c, target = (a, b) if a.pk == complaint_id else (b, a)
        _require(actor, c, [Role.VERIFIER])
        _require(actor, target, [Role.VERIFIER, Role.OFFICER, Role.APPROVER])
        _check_version(c, expected_version)
        _check_transition(c, Status.ARCHIVED)
        if not target.is_open:
            raise ApplicationError(_("Merge into a complaint that is still open."))
        from_status = c.status
        c.status = Status.ARCHIVED
        c.archive_reason = _("Duplicate of %(number)s") % {"number": target.display_tracking_number}
        c.archived_at = now
        c.merged_into = target
        fields = {"status", "archive_reason", "archived_at", "merged_into"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.MERGED,
            actor=actor,
            from_status=from_status,
            data={"into": target.pk, "into_number": target.tracking_number},
            now=now,
        )
        _event(
            target,
            EventType.NOTE,
            actor=actor,
            from_status=target.status,
            is_public=False,
            body=_("Duplicate merged: %(number)s") % {"number": c.display_tracking_number},
            data={"merged": c.pk},
            now=now,
        )
        _notify_reporter(c, "merged", event, target=target)
    return c


# ---------------------------------------------------------------------------------------------
# The reporter's answer


def complaint_reporter_accept(
    *, complaint_id: int, actor: User | None = None, now: dt.datetime | None = None
) -> Complaint:
    """The reporter accepts the answer (authorised by the caller): closed."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        _check_transition(c, Status.CLOSED, c.can_reporter_reply())
        from_status = c.status
        c.status = Status.CLOSED
        c.closed_at = now
        c.resolved_at = c.resolved_at or now
        c.reporter_reply_due_at = None
        fields = {"status", "closed_at", "resolved_at", "reporter_reply_due_at"}
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.ACCEPTED,
            actor=actor,
            from_status=from_status,
            actor_label="reporter",
            now=now,
        )
        _notify_followers(c, "follow_closed", event)
    return c


def complaint_reporter_object(
    *, complaint_id: int, reason: str, actor: User | None = None, now: dt.datetime | None = None
) -> Complaint:
    """The reporter objects: reopened with a new response clock; a second objection also
    escalates to the agency's focal point."""
    now = now or timezone.now()
    if not reason.strip():
        raise ApplicationError(_("Say why the answer does not settle your complaint."))
    with transaction.atomic():
        c = _lock(complaint_id)
        _check_transition(c, Status.IN_PROGRESS, c.can_reporter_reply())
        policy = sla_policy_for(agency=c.agency, category=c.category)
        cal = calendar_for(c)
        from_status = c.status
        c.status = Status.IN_PROGRESS
        c.reopen_count += 1
        c.clock_cycle += 1
        c.reporter_reply_due_at = None
        c.response_due_at = _capped(
            cal.add_working_days(now, policy.first_response_days), c.hard_ceiling_at
        )
        fields = {
            "status",
            "reopen_count",
            "clock_cycle",
            "reporter_reply_due_at",
            "response_due_at",
        }
        fields |= set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.OBJECTED,
            actor=actor,
            from_status=from_status,
            actor_label="reporter",
            body=reason.strip(),
            data={"reopen_count": c.reopen_count},
            now=now,
        )
        staff = users_with_role_over(node=c.unit or c.agency, roles=[Role.OFFICER, Role.APPROVER])
        if c.assignee:
            staff = [c.assignee]
        _notify_users(staff, c, "staff_objected", f"objected:{event.pk}", reason=reason.strip())
        if c.reopen_count >= 2:
            complaint_escalate(
                complaint_id=c.pk,
                clock=Clock.RESOLUTION,
                cycle=c.reopen_count,
                level=3,
                name=EscalationReason.SECOND_OBJECTION,
                due_at=now,
                actor=None,
                now=now,
            )
    return c


def complaint_rate(
    *,
    complaint_id: int,
    rating: int,
    comment: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> Complaint:
    now = now or timezone.now()
    if rating not in (1, 2, 3, 4, 5):
        raise ApplicationError(_("Choose a rating from 1 to 5."))
    with transaction.atomic():
        c = _lock(complaint_id)
        if c.status != Status.CLOSED:
            raise TransitionNotAllowed(_("A complaint can be rated once it is closed."))
        if c.rating is not None:
            raise ApplicationError(_("This complaint has already been rated."))
        c.rating = rating
        c.rating_comment = comment.strip()
        c.rated_at = now
        _save(c, {"rating", "rating_comment", "rated_at"})
        _event(
            c,
            EventType.RATED,
            actor=actor,
            from_status=c.status,
            actor_label="reporter",
            data={"rating": rating},
            body=c.rating_comment,
            now=now,
        )
    return c


def complaint_close(
    *,
    complaint_id: int,
    actor: User | None = None,
    reason: str = "auto",
    now: dt.datetime | None = None,
) -> Complaint | None:
    """Close an answered complaint whose reporter stayed silent. Idempotent: returns None when
    the complaint is no longer waiting for its reporter (already closed or reopened)."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        if c.status != Status.AWAITING_REPORTER:
            return None
        if actor is not None:
            _require(actor, c, [Role.VERIFIER, Role.APPROVER])
        from_status = c.status
        c.status = Status.CLOSED
        c.closed_at = now
        c.resolved_at = c.resolved_at or now
        fields = {"status", "closed_at", "resolved_at"} | set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.CLOSED,
            actor=actor,
            from_status=from_status,
            data={"reason": reason},
            actor_label=None if actor else "system",
            now=now,
        )
        _notify_reporter(c, "closed", event)
        _notify_followers(c, "follow_closed", event)
    return c


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


def complaint_archive_silent(
    *, complaint_id: int, now: dt.datetime | None = None
) -> Complaint | None:
    """Archive a complaint whose reporter did not supply the requested information in time.
    Idempotent: None when it is no longer waiting for information."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        if c.status != Status.NEEDS_INFO:
            return None
        c.status = Status.ARCHIVED
        # The English source, translated when shown (citizen pages, email): the reporter and
        # the staff may read different languages.
        c.archive_reason = ARCHIVE_REASON_INFO_NOT_SUPPLIED
        c.archived_at = now
        fields = {"status", "archive_reason", "archived_at"} | set(_set_current_clock(c))
        _save(c, fields)
        event = _event(
            c,
            EventType.ARCHIVED,
            actor=None,
            from_status=Status.NEEDS_INFO,
            actor_label="system",
            body=c.archive_reason,
            now=now,
        )
        _notify_reporter(c, "archived", event, reason=c.archive_reason)
    return c


# ---------------------------------------------------------------------------------------------
# Escalation


def complaint_escalate(
    *,
    complaint_id: int,
    clock: str,
    cycle: int,
    level: int,
    due_at: dt.datetime,
    name: str = "",
    actor: User | None = None,
    deliver_after: dt.datetime | None = None,
    notify: Iterable[str] | None = None,
    now: dt.datetime | None = None,
) -> Escalation | None:
    """Record one ladder step and notify the roles it names (`notify`; by default those of the
    step with this level in the complaint's policy ladder; `notify=()` writes the step alone
    and leaves the messages to escalation_notify). Returns None when that step already exists
    (a sweep or task that runs twice escalates once) or the complaint has moved on to another
    clock or cycle. A step reached outside the agency's working hours is delivered at the
    start of the next working day. The bulk path of complaints.sweeps writes the same rows
    set-based."""
    now = now or timezone.now()
    with transaction.atomic():
        c = _lock(complaint_id)
        level_field = ESCALATION_LEVEL_FIELDS.get(clock)
        if level_field is None:
            return None
        # The verify and response clocks take turns in current_clock; the resolution clock and
        # the hard ceiling run beside them and never restart.
        shared = level_field == "escalation_level"
        if shared and (c.current_clock != clock or c.clock_cycle != cycle):
            return None
        if deliver_after is None:
            cal = calendar_for(c)
            deliver_after = None if cal.is_working_hours(now) else cal.next_working_start(now)
        try:
            with transaction.atomic():
                escalation = Escalation.objects.create(
                    complaint=c,
                    clock=clock,
                    cycle=cycle,
                    level=level,
                    name=name,
                    due_at=due_at,
                    created_at=now,
                    deliver_after=deliver_after,
                )
        except IntegrityError:
            return None
        # Every step raises its clock's level, also one outside the sweep's own cycles (a
        # second objection: resolution clock, cycle = reopen count), so the complaint shows
        # as escalated (is_escalated) and the sweep, which climbs only above the level
        # reached, never sends that clock's steps up to this one again.
        if level > getattr(c, level_field):
            setattr(c, level_field, level)
            c.save(update_fields=[level_field])
        _event(
            c,
            EventType.ESCALATED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={
                "clock": clock,
                "cycle": cycle,
                "level": level,
                "name": name,
                "escalation": escalation.pk,
            },
            now=now,
        )
        if notify is None:
            ladder = sla_policy_for(agency=c.agency, category=c.category).escalation_ladder
            notify = next((s.get("notify", []) for s in ladder if s.get("level") == level), [])
        escalation_notify(complaint=c, escalation=escalation, roles=notify)
    return escalation


def escalation_recipients(*, complaint: Complaint, roles: Iterable[str]) -> list[User]:
    """Who a step naming `roles` goes to, by email: the officer step to the assignee, or to the
    unit's officers when nobody took it, or to the agency's verifiers before the complaint was
    routed; every other role to its holders over the complaint's unit or agency (national
    admins for complaints in triage). Active accounts with an email address only."""
    c = complaint
    roles = set(roles)
    recipients: dict[int, User] = {}
    if Role.OFFICER in roles and c.assignee_id:
        recipients[c.assignee_id] = c.assignee
        roles.discard(Role.OFFICER)
    elif Role.OFFICER in roles and not c.unit_id:
        roles.discard(Role.OFFICER)
        roles.add(Role.VERIFIER)
    if roles:
        for user in users_with_role_over(node=c.unit or c.agency, roles=roles):
            recipients.setdefault(user.pk, user)
    return sorted(
        (u for u in recipients.values() if u.email and u.is_active), key=lambda u: u.email
    )


def escalation_notify(
    *,
    complaint: Complaint,
    escalation: Escalation,
    roles: Iterable[str],
) -> int:
    """One message per recipient of the step (escalation_recipients). Returns the messages
    written."""
    written = 0
    for user in escalation_recipients(complaint=complaint, roles=roles):
        message = notification_queue(
            kind="escalation",
            cause_key=f"escalation:{escalation.pk}",
            recipient=user.email,
            recipient_user=user,
            complaint=complaint,
            context={"escalation": escalation},
            not_before=escalation.deliver_after,
            # Delivery marks the escalation notified (as the sweep's set-based rows do).
            payload={"escalation": escalation.pk},
        )
        written += message is not None
    return written


def escalation_ladder_roles(*, complaint: Complaint) -> dict[int, set[str]]:
    """The roles each step of the complaint's escalation ladder is addressed to, by level
    (one policy lookup for all the steps of a page)."""
    ladder = sla_policy_for(agency=complaint.agency, category=complaint.category).escalation_ladder
    return {int(s.get("level", 0)): set(s.get("notify") or []) for s in ladder or []}


def escalation_step_roles(*, complaint: Complaint, level: int) -> set[str]:
    """The roles a step of the complaint's escalation ladder is addressed to ("notify")."""
    return escalation_ladder_roles(complaint=complaint).get(level, set())


def escalation_addressed_to(*, complaint: Complaint, roles: Iterable[str], actor: User) -> bool:
    """Whether a step addressed to `roles` is addressed to `actor`, as escalation_notify sends
    it: the officer step to the assignee (to the unit's officers when nobody took it, to the
    verifiers before routing); other roles to their holders over the complaint; national
    admins stand in for the focal-point steps only."""
    if actor_is_national_admin(actor):
        return bool(set(roles) & {Role.FOCAL_POINT, Role.COORDINATOR})
    held = actor_roles_for(actor=actor, scope_path=complaint.scope_path)
    roles = set(roles)
    if Role.OFFICER in roles:
        roles.discard(Role.OFFICER)
        if complaint.assignee_id:
            if complaint.assignee_id == actor.pk and Role.OFFICER in held:
                return True
        elif complaint.unit_id:
            roles.add(Role.OFFICER)
        else:
            roles.add(Role.VERIFIER)
    return bool(roles & held)


def escalation_acknowledge(*, escalation_id: int, actor: User) -> Escalation:
    with transaction.atomic():
        try:
            complaint_id = Escalation.objects.values_list("complaint_id", flat=True).get(
                pk=escalation_id
            )
        except Escalation.DoesNotExist as exc:
            raise NotFound(_("Escalation not found.")) from exc
        c = _lock(complaint_id)
        _require(
            actor,
            c,
            [Role.FOCAL_POINT, Role.VERIFIER, Role.APPROVER, Role.COORDINATOR, Role.OFFICER],
        )
        escalation = Escalation.objects.select_for_update().get(pk=escalation_id)
        # Only the people the ladder step is addressed to acknowledge it (national admins:
        # the focal-point steps), so one focal point cannot clear another's list.
        addressed = escalation_step_roles(complaint=c, level=escalation.level)
        if not escalation_addressed_to(complaint=c, roles=addressed, actor=actor):
            raise NotAllowed(_("This escalation is addressed to someone else."))
        if escalation.acknowledged_at is not None:
            raise ApplicationError(_("This escalation was already acknowledged."))
        escalation.acknowledged_at = timezone.now()
        escalation.acknowledged_by = actor
        escalation.save(update_fields=["acknowledged_at", "acknowledged_by"])
        _event(
            c,
            EventType.ESCALATION_ACKNOWLEDGED,
            actor=actor,
            from_status=c.status,
            is_public=False,
            data={"escalation": escalation.pk, "level": escalation.level},
        )
    return escalation


# ---------------------------------------------------------------------------------------------
# Followers: people who follow an open, public complaint instead of filing a duplicate


def _notify_followers(complaint: Complaint, kind: str, event: ComplaintEvent) -> None:
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


# ---------------------------------------------------------------------------------------------
# Feedback on the service itself


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
