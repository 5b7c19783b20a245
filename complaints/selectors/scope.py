"""Staff reads. Every page, API, export and search goes through these, so that scope and
identity masking are decided in one place."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import NotFound
from complaints.access import (
    actor_handles,
    actor_is_national_admin,
    actor_scope_paths,
    actor_scope_q,
    normalize_code,
    paths_q,
)
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    Complaint,
    ComplaintAgencyHistory,
    ComplaintEvent,
    EventType,
)


def complaints_for_actor(
    actor: User | None, *, include_history: bool = True
) -> QuerySet[Complaint]:
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
    qs = complaints_for_actor(actor, include_history=include_history).select_related(
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


# The forwarded-away view reads the ids of the actor's history rows first (one small query) and
# uses them as a literal list, which keeps the WHERE indexable; past this many it falls back to
# the subquery.
HISTORY_ID_LIMIT = 2000


def complaint_list_forwarded_by_actor(*, actor: User | None) -> QuerySet[Complaint]:
    """Complaints the actor's agencies forwarded to another agency and no longer handle.

    A forwarded-away complaint stays readable history for the sender (the history part of
    the actor's scope), but it is the receiving agency's work: it never counts in the sender's
    badges, default views, clock filters or bulk selection; the queue lists it only in its
    explicit "forwarded to another agency" view, through this selector."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return Complaint.objects.none()
    if actor_is_national_admin(actor):
        # Every complaint is in the national admin's scope: none is forwarded away from it.
        return Complaint.objects.none()
    paths = actor_scope_paths(actor)
    history = ComplaintAgencyHistory.objects.filter(paths_q("agency_path", paths))
    ids: Any = list(history.values_list("complaint_id", flat=True)[: HISTORY_ID_LIMIT + 1])
    if len(ids) > HISTORY_ID_LIMIT:
        ids = history.values("complaint_id")
    # The ids come from the actor's own history rows, so they are in the actor's history
    # scope; a complaint forwarded back to (or within) the actor's scope is current work.
    return (
        Complaint.objects.filter(pk__in=ids)
        .exclude(paths_q("scope_path", paths))
        .mask_anonymous()
        .select_related("agency", "unit", "category", "assignee")
    )


COMPLAINT_JOINS = ("agency", "unit", "category", "assignee")


def complaint_get_for_actor(
    *,
    complaint_id: int,
    actor: User | None,
    lock: bool = False,
    joins: tuple[str, ...] = COMPLAINT_JOINS,
) -> Complaint:
    """One complaint the actor may read, or NotFound (another agency's complaint is a 404, not
    a 403). With lock=True (inside transaction.atomic only) the row is locked for update.

    The complaints the actor's agencies handle now are looked for first, by a primary-key read
    with no history subquery to plan; a complaint they forwarded elsewhere (read-only history)
    costs that one query more. `joins`: the related rows read with it (a page that has the
    places and categories at hand reads fewer)."""
    # (merged_into is read only for the few merged complaints: one query then, and a
    # narrower row for every other read)
    for include_history in (False, True):
        qs = complaints_for_actor(actor, include_history=include_history).select_related(*joins)
        if lock:
            qs = qs.select_for_update(of=("self",))
        try:
            return qs.get(pk=complaint_id)
        except Complaint.DoesNotExist:
            if actor_is_national_admin(actor):
                break  # everything was in scope: there is no such complaint
        except (ValueError, TypeError):
            break
    raise NotFound(_("Complaint not found."))


def complaint_get_by_tracking_number_for_actor(*, tracking_number: str, actor: User) -> Complaint:
    try:
        pk = Complaint.objects.values_list("pk", flat=True).get(
            tracking_number=normalize_code(tracking_number)
        )
    except Complaint.DoesNotExist as exc:
        raise NotFound(_("Complaint not found.")) from exc
    return complaint_get_for_actor(complaint_id=pk, actor=actor)


def complaint_events_for_actor(
    *, complaint: Complaint, actor: User | None = None
) -> list[ComplaintEvent]:
    """The staff timeline, newest first; the complaint must come from a scoped selector.

    After a forward each agency reads its own part of the internal history: an internal entry
    (a note, a draft, an escalation) written while another agency held the complaint is left
    out, so the receiving agency sees the forward's reason and the public timeline but not the
    sender's notes, and the sender keeps its own part. National admins (and `actor=None`, the
    system) read everything. One query more, for the agencies' paths, only after a forward."""
    events = list(complaint.events.select_related("actor").order_by("-created_at", "-id"))
    if actor is None or actor_is_national_admin(actor):
        return events
    forwards = sorted(
        (e for e in events if e.type == EventType.FORWARDED), key=lambda e: (e.created_at, e.pk)
    )
    if not forwards:
        return events
    # Who held the complaint from when: the agency it was filed with, then each receiver.
    held = [(None, forwards[0].data.get("from_agency"))]
    held += [((e.created_at, e.pk), e.data.get("to_agency")) for e in forwards]
    ids = {agency_id for _start, agency_id in held if agency_id}
    paths = dict(Agency.objects.filter(pk__in=ids).values_list("pk", "path"))
    own = actor_scope_paths(actor)
    handles = actor_handles(actor, complaint)

    def readable(agency_id: int | None) -> bool:
        if agency_id == complaint.agency_id and handles:
            return True
        path = paths.get(agency_id, "")
        return bool(path) and any(path.startswith(p) for p in own)

    readable_from = [(start, readable(agency_id)) for start, agency_id in held]

    def visible(event: ComplaintEvent) -> bool:
        if event.is_public:
            return True
        allowed = readable_from[0][1]
        for start, ok in readable_from[1:]:
            if (event.created_at, event.pk) >= start:
                allowed = ok
        return allowed

    return [e for e in events if visible(e)]
