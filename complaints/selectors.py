"""Reads. Every page, API, export and search goes through these, so that scope and identity
masking are decided in one place."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import NotFound
from complaints.models import (
    OPEN_STATUSES,
    PUBLIC_EVENT_TYPES,
    Complaint,
    ComplaintAgencyHistory,
    ComplaintEvent,
    ComplaintFollower,
    Membership,
)
from complaints.services import access_code_matches, actor_is_national_admin, normalize_code


def actor_scope_paths(actor: User) -> list[str]:
    """The agency paths the actor's memberships cover (each covers its sub-units)."""
    cached = getattr(actor, "_scope_paths_cache", None)
    if cached is None:
        cached = sorted(
            set(Membership.objects.filter(user=actor).values_list("agency__path", flat=True))
        )
        actor._scope_paths_cache = cached
    return cached


def actor_scope_q(actor: User | None, *, include_history: bool = True) -> Q | None:
    """A filter for the complaints the actor may read; None means everything (national
    admin). `include_history` keeps complaints that an agency forwarded elsewhere visible
    to it (read-only)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    if actor_is_national_admin(actor):
        return None
    paths = actor_scope_paths(actor)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    history = Q()
    for path in paths:
        q |= Q(scope_path__startswith=path)
        history |= Q(agency_path__startswith=path)
    if include_history:
        q |= Q(pk__in=ComplaintAgencyHistory.objects.filter(history).values("complaint_id"))
    return q


def _for_actor(actor: User | None, *, include_history: bool = True) -> QuerySet[Complaint]:
    qs = Complaint.objects.all()
    scope = actor_scope_q(actor, include_history=include_history)
    if scope is not None:
        qs = qs.filter(scope)
    # Only the national admin sees who filed an anonymous complaint.
    if not actor_is_national_admin(actor):
        qs = qs.mask_anonymous()
    return qs


def complaint_list_for_actor(
    *, actor: User | None, filters: dict | None = None, include_history: bool = True
) -> QuerySet[Complaint]:
    """Complaints in the actor's scope, with what list pages render already joined.

    Recognised filters: status (value or list), open (bool), agency_id, unit_id, assignee_id,
    kind, category_id, channel. Pages add their own filtering on top of this queryset.
    """
    qs = _for_actor(actor, include_history=include_history).select_related(
        "agency", "unit", "category", "assignee"
    )
    filters = filters or {}
    if "status" in filters:
        status = filters["status"]
        qs = qs.filter(status__in=status if isinstance(status, list | tuple | set) else [status])
    if filters.get("open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    for key in ("agency_id", "unit_id", "assignee_id", "kind", "category_id", "channel"):
        if key in filters and filters[key] not in (None, ""):
            qs = qs.filter(**{key: filters[key]})
    return qs


def complaint_get_for_actor(
    *, complaint_id: int, actor: User | None, lock: bool = False
) -> Complaint:
    """One complaint the actor may read, or NotFound (another agency's complaint is a 404, not
    a 403). With lock=True (inside transaction.atomic only) the row is locked for update."""
    qs = _for_actor(actor).select_related("agency", "unit", "category", "assignee", "merged_into")
    if lock:
        qs = qs.select_for_update(of=("self",))
    try:
        return qs.get(pk=complaint_id)
    except (Complaint.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(_("Complaint not found.")) from exc


def complaint_get_by_tracking_number_for_actor(*, tracking_number: str, actor: User) -> Complaint:
    try:
        pk = Complaint.objects.values_list("pk", flat=True).get(
            tracking_number=normalize_code(tracking_number)
        )
    except Complaint.DoesNotExist as exc:
        raise NotFound(_("Complaint not found.")) from exc
    return complaint_get_for_actor(complaint_id=pk, actor=actor)


def complaint_events_for_actor(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The whole timeline (staff); the complaint must come from a scoped selector."""
    return complaint.events.select_related("actor").order_by("-created_at", "-id")


# ---------------------------------------------------------------------------------------------
# Public reads (reporters, open data)


def complaint_get_for_reporter(*, tracking_number: str, access_code: str) -> Complaint | None:
    """The complaint for a tracking number + access code pair, or None for any wrong pair
    (the caller shows one generic error, so the number's existence is not revealed)."""
    number = normalize_code(tracking_number)
    if not number:
        return None
    complaint = (
        Complaint.objects.select_related("agency", "unit", "category", "merged_into")
        .filter(tracking_number=number)
        .first()
    )
    if complaint is None or not access_code_matches(complaint, access_code):
        return None
    return complaint


def complaint_get_by_tracking_number(*, tracking_number: str) -> Complaint | None:
    """For signed links only: the signature is the authorisation."""
    return (
        Complaint.objects.select_related("agency", "unit", "category", "merged_into")
        .filter(tracking_number=normalize_code(tracking_number))
        .first()
    )


def complaint_public_events(*, complaint: Complaint) -> QuerySet[ComplaintEvent]:
    """The reporter's timeline: public event types only, never internal notes."""
    return (
        complaint.events.filter(is_public=True, type__in=PUBLIC_EVENT_TYPES)
        .prefetch_related("attachments")
        .order_by("created_at", "id")
    )


def complaint_list_public(*, filters: dict | None = None) -> QuerySet[Complaint]:
    """Complaints the public may know about: never rahasia; identity fields are deferred and
    masked, so nothing personal can be rendered from these rows."""
    qs = (
        Complaint.objects.filter(is_confidential=False)
        .defer("reporter_name", "reporter_email", "reporter_phone", "access_code_hash", "body")
        .select_related("agency", "category")
    )
    filters = filters or {}
    if filters.get("open"):
        qs = qs.filter(status__in=OPEN_STATUSES)
    for key in ("agency_id", "category_id", "kind"):
        if filters.get(key):
            qs = qs.filter(**{key: filters[key]})
    return qs.mask_anonymous()


def complaint_follower_get(*, token: str) -> ComplaintFollower | None:
    """A confirmed follower and the followed complaint, while that complaint is public (a
    complaint made rahasia later disappears from its followers). The complaint's identity
    fields and account are deferred and masked: the follower page cannot render them."""
    if not token or len(token) > 64:
        return None
    follower = (
        ComplaintFollower.objects.filter(token=token, confirmed_at__isnull=False)
        .only("pk", "token", "email", "language", "confirmed_at", "complaint_id")
        .first()
    )
    if follower is None:
        return None
    complaint = complaint_list_public().filter(pk=follower.complaint_id).first()
    if complaint is None:
        return None
    follower.complaint = complaint
    return follower


def normalize_words(text: str) -> list[str]:
    return ["".join(ch for ch in w if ch.isalnum()).lower() for w in (text or "").split()]
