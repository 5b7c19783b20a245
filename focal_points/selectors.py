"""Reads for focal-point oversight: whose agencies an actor oversees, the board, the oldest
overdue complaints, escalations awaiting acknowledgement, corrective actions and the
directory. Every count is one GROUP BY in the database; the number of queries does not depend
on the number of agencies or complaints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Window
from django.utils import timezone

from accounts.models import User
from complaints import policy
from complaints.access import FOCAL_ROLES, actor_is_national_admin, memberships_of
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    Complaint,
    Escalation,
    Role,
    SlaPolicy,
)
from complaints.selectors.scope import complaint_list_for_actor
from focal_points.models import CorrectiveAction, FocalPoint

# Statuses whose clock runs against the agency; the others wait for the reporter.
AGENCY_CLOCK_STATUSES = policy.STAFF_CLOCK_STATUSES
WAITING_STATUSES = policy.REPORTER_CLOCK_STATUSES
CLOCK_STATES = policy.STAFF_CLOCK_STATES
# The board's counters: the four columns and "past due" (the scorecard's "overdue now").
BOARD_COUNTS = (*CLOCK_STATES, "past_due")
LIST_COUNT_CAP = 1000


@dataclass
class FocalScope:
    """What an actor oversees as a focal point. `agencies` are whole agencies (a membership
    on an agency covers its units); `unit_paths` are single units overseen on their own."""

    actor: User
    is_admin: bool = False
    kind: str = ""  # "admin", "coordinator", "agency" or ""
    agencies: list[Agency] = field(default_factory=list)
    unit_paths: list[str] = field(default_factory=list)
    # The focal roles held on each overseen agency (by pk) and unit (by path): which
    # escalation steps are addressed to the actor.
    agency_roles: dict[int, set[str]] = field(default_factory=dict)
    unit_roles: dict[str, set[str]] = field(default_factory=dict)

    @property
    def is_empty(self) -> bool:
        return not (self.is_admin or self.agencies or self.unit_paths)

    @property
    def agency_ids(self) -> list[int]:
        return [a.pk for a in self.agencies]

    def complaint_q(self, prefix: str = "") -> Q:
        """Complaints currently at the overseen agencies (forwarded-away ones excluded)."""
        if self.is_admin:
            return Q(**{f"{prefix}agency__isnull": False})
        q = Q(**{f"{prefix}agency_id__in": self.agency_ids})
        for path in self.unit_paths:
            q |= Q(**{f"{prefix}scope_path__startswith": path})
        return q

    def covers_agency(self, agency_id: int) -> bool:
        return self.is_admin or agency_id in self.agency_ids


def focal_scope_for(*, actor: User | None) -> FocalScope:
    """The actor's focal-point and coordinator memberships with their agencies, from the one
    per-request cache of complaints.access (national admins oversee every agency: one query
    for the agency list)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return FocalScope(actor=actor)  # type: ignore[arg-type]
    if actor_is_national_admin(actor):
        agencies = list(Agency.objects.filter(parent__isnull=True, is_active=True).order_by("name"))
        return FocalScope(actor=actor, is_admin=True, kind="admin", agencies=agencies)
    memberships = [m for m in memberships_of(actor) if m.role in FOCAL_ROLES]
    roots: dict[int, Agency] = {}
    unit_paths: list[str] = []
    agency_roles: dict[int, set[str]] = {}
    unit_roles: dict[str, set[str]] = {}
    for m in memberships:
        if m.agency.parent_id is None:
            roots[m.agency_id] = m.agency
            agency_roles.setdefault(m.agency_id, set()).add(m.role)
        else:
            unit_paths.append(m.agency.path)
            unit_roles.setdefault(m.agency.path, set()).add(m.role)
    # A unit already covered by one of the actor's agencies adds nothing.
    unit_paths = sorted(
        p for p in set(unit_paths) if not any(p.startswith(f"{pk}/") for pk in roots)
    )
    kind = ""
    if memberships:
        kind = "coordinator" if any(m.role == Role.COORDINATOR for m in memberships) else "agency"
    return FocalScope(
        actor=actor,
        kind=kind,
        agencies=sorted(roots.values(), key=lambda a: a.name),
        unit_paths=unit_paths,
        agency_roles=agency_roles,
        unit_roles={p: r for p, r in unit_roles.items() if p in unit_paths},
    )


def due_soon_threshold(now: dt.datetime) -> dt.datetime:
    """The board compares every row with one threshold, on the national calendar."""
    return policy.due_soon_threshold(now)


def clock_state_q(state: str, *, now: dt.datetime, soon: dt.datetime) -> Q:
    """The four board columns as filters (the clock-state rule of complaints.policy); for open
    complaints they are mutually exclusive and together cover every open complaint: the
    on-track column also holds what waits for the reporter and what has no deadline."""
    if state not in CLOCK_STATES:
        raise ValueError(state)
    parts = policy.clock_state_parts(now, soon)
    q = Q(status__in=AGENCY_CLOCK_STATUSES) & parts[state]
    if state == policy.ClockState.ON_TRACK:
        no_deadline = Q(is_escalated=False, current_due_at__isnull=True)
        q |= Q(status__in=WAITING_STATUSES) | (Q(status__in=AGENCY_CLOCK_STATUSES) & no_deadline)
    return q


def past_due_q(*, now: dt.datetime) -> Q:
    """Open for the agency and past the current deadline, escalated or not: the scorecard's
    "overdue now". The board's Overdue column holds the ones not yet escalated (as the staff
    queue's, complaints.queue); an escalated complaint is counted here only once its current
    deadline has passed (a manual escalation or a new clock may leave it within one)."""
    return Q(status__in=AGENCY_CLOCK_STATUSES, current_due_at__lt=now)


@dataclass
class BoardRow:
    agency: Agency
    unit: Agency | None = None
    on_track: int = 0
    due_soon: int = 0
    overdue: int = 0
    escalated: int = 0

    @property
    def total(self) -> int:
        return self.on_track + self.due_soon + self.overdue + self.escalated

    def add(self, other: BoardRow) -> None:
        for name in CLOCK_STATES:
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Board:
    rows: list[BoardRow]
    total: BoardRow | None
    by_unit: bool
    now: dt.datetime
    soon: dt.datetime


BOARD_SNAPSHOT_MAX_AGE = dt.timedelta(minutes=5)


def board_state_counts(qs: QuerySet, group: tuple[str, ...], *, now: dt.datetime) -> list[dict]:
    """Open complaints of `qs` grouped by `group` with one conditional count per clock state:
    a single GROUP BY in the database."""
    soon = due_soon_threshold(now)
    return list(
        qs.filter(status__in=OPEN_STATUSES)
        .order_by()
        .values(*group)
        .annotate(
            **{
                state: Count("agency_id", filter=clock_state_q(state, now=now, soon=soon))
                for state in CLOCK_STATES
            },
            past_due=Count("agency_id", filter=past_due_q(now=now)),
        )
    )


def board_snapshot_time(*, now: dt.datetime) -> dt.datetime | None:
    """When the board snapshot was computed, if it is fresh enough to use."""
    from complaints.models import SweepRun

    at = (
        SweepRun.objects.filter(name="focal_points.board_refresh")
        .values_list("last_success_at", flat=True)
        .first()
    )
    return at if at and now - at <= BOARD_SNAPSHOT_MAX_AGE else None


def board_group_counts(
    *, scope: FocalScope, group: str, now: dt.datetime, agency_id: int | None = None
) -> tuple[list[dict], dt.datetime]:
    """Counts per `group` ("agency_id" or "unit_id") for the scope, from the snapshot when it
    is fresh (1 + 1 queries), else counted live (1 + 1). Returns (rows, as-of time)."""
    from django.db.models import Sum

    from focal_points.models import BoardSnapshot

    as_of = board_snapshot_time(now=now)
    if as_of is not None:
        qs = BoardSnapshot.objects.all()
        if not scope.is_admin:
            q = Q(agency_id__in=scope.agency_ids)
            for path in scope.unit_paths:
                q |= Q(unit__path__startswith=path)
            qs = qs.filter(q)
        if agency_id is not None:
            qs = qs.filter(agency_id=agency_id)
        rows = list(qs.order_by().values(group).annotate(**{s: Sum(s) for s in BOARD_COUNTS}))
        return rows, as_of
    qs = Complaint.objects.filter(scope.complaint_q())
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return board_state_counts(qs, (group,), now=now), now


def board_counts(
    *, scope: FocalScope, now: dt.datetime | None = None, agency_id: int | None = None
) -> Board:
    """Open complaints per agency (or, for one agency, per unit) by clock state.

    Queries: the snapshot's age, 1 GROUP BY (over the snapshot, or live over the open
    complaints when the snapshot is stale), plus 1 for the unit names when grouping by unit.
    """
    now = now or timezone.now()
    soon = due_soon_threshold(now)
    by_unit = agency_id is not None or (len(scope.agencies) == 1 and not scope.is_admin)
    if agency_id is None and by_unit:
        agency_id = scope.agencies[0].pk
    group = "unit_id" if by_unit else "agency_id"
    counts, as_of = board_group_counts(scope=scope, group=group, now=now, agency_id=agency_id)
    agencies = {a.pk: a for a in scope.agencies}
    rows: dict[int | None, BoardRow] = {}
    if by_unit:
        parent = agencies.get(agency_id)  # type: ignore[arg-type]
        units = list(
            Agency.objects.filter(Q(pk=agency_id) | Q(parent_id=agency_id)).order_by("path")
        )
        for unit in units:
            if unit.pk == agency_id:
                parent = unit
        if parent is None:
            return Board(rows=[], total=None, by_unit=True, now=as_of, soon=soon)
        rows[None] = BoardRow(agency=parent, unit=None)
        for unit in units:
            if unit.pk != agency_id:
                rows[unit.pk] = BoardRow(agency=parent, unit=unit)
    else:
        for agency in scope.agencies:
            rows[agency.pk] = BoardRow(agency=agency)
    for item in counts:
        row = rows.get(item[group])
        if row is None:
            # A deeper sub-unit, or (for admins) an agency created since the scope was read.
            continue
        for state in CLOCK_STATES:
            setattr(row, state, item[state] or 0)
    total = BoardRow(agency=rows[next(iter(rows))].agency) if rows else None
    for row in rows.values():
        total.add(row)  # type: ignore[union-attr]
    return Board(rows=list(rows.values()), total=total, by_unit=by_unit, now=as_of, soon=soon)


def board_complaint_list(
    *, scope: FocalScope, filters: dict | None = None, now: dt.datetime | None = None
) -> QuerySet[Complaint]:
    """Open complaints in scope, oldest deadline first, with the staff-queue filters: agency,
    unit, status, kind, category, clock state, filed from/to, flags (anonymous, confidential,
    reopened, unassigned). Anonymous reporters are masked (complaints.selectors)."""
    now = now or timezone.now()
    filters = filters or {}
    qs = complaint_list_for_actor(
        actor=scope.actor, filters={"open": True}, include_history=False
    ).filter(scope.complaint_q())
    if filters.get("agency"):
        qs = qs.filter(agency_id=filters["agency"])
    if filters.get("unit") == "none":
        qs = qs.filter(unit__isnull=True)
    elif filters.get("unit"):
        qs = qs.filter(unit_id=filters["unit"])
    if filters.get("status"):
        qs = qs.filter(status__in=filters["status"])
    if filters.get("kind"):
        qs = qs.filter(kind__in=filters["kind"])
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    if filters.get("clock"):
        soon = due_soon_threshold(now)
        q = Q()
        for state in filters["clock"]:
            q |= clock_state_q(state, now=now, soon=soon)
        qs = qs.filter(q)
    if filters.get("filed_from"):
        qs = qs.filter(submitted_at__date__gte=filters["filed_from"])
    if filters.get("filed_to"):
        qs = qs.filter(submitted_at__date__lte=filters["filed_to"])
    flags = filters.get("flags") or ()
    if "anonymous" in flags:
        qs = qs.filter(is_anonymous=True)
    if "confidential" in flags:
        qs = qs.filter(is_confidential=True)
    if "reopened" in flags:
        qs = qs.filter(reopen_count__gt=0)
    if "unassigned" in flags:
        qs = qs.filter(assignee__isnull=True)
    sort = filters.get("sort") or "due"
    order = {
        "due": ("current_due_at", "id"),
        "-due": ("-current_due_at", "-id"),
        "filed": ("submitted_at", "id"),
        "-filed": ("-submitted_at", "-id"),
    }.get(sort, ("current_due_at", "id"))
    return qs.order_by(*order)


def capped_count(qs: QuerySet, cap: int = LIST_COUNT_CAP) -> tuple[int, bool]:
    """Count at most cap+1 rows, so a huge list never slows the page: (count, capped)."""
    n = qs.order_by().values("pk")[: cap + 1].count()
    return min(n, cap), n > cap


def board_overdue_oldest(
    *, scope: FocalScope, now: dt.datetime | None = None, limit: int = 10
) -> list[Complaint]:
    """The oldest open complaints past their current deadline (escalated or not)."""
    now = now or timezone.now()
    return list(board_complaint_list(scope=scope, now=now).filter(past_due_q(now=now))[:limit])


def _step_levels(sla: SlaPolicy, roles: frozenset[str]) -> frozenset[int]:
    return frozenset(
        int(step["level"])
        for step in sla.escalation_ladder or []
        if set(step.get("notify") or []) & roles
    )


def ladder_levels_q(
    roles: Iterable[str], policies: policy.PolicySet, prefix: str = "complaint__"
) -> Q:
    """Escalations whose step, in the ladder of the complaint's SLA policy, is addressed to one
    of `roles`. The policy is resolved by complaints.policy.PolicySet's rule (category, then
    the nearest agency up the tree, then the national default) written as SQL, so the list
    can be counted and paginated in the database; with one ladder for everyone (the usual
    case) it is a plain `level IN (…)`."""
    roles = frozenset(roles)
    default_levels = _step_levels(policies.default, roles)
    by_category = {c: _step_levels(p, roles) for c, p in policies.by_category.items()}
    by_agency = [(p.agency.path, _step_levels(p, roles)) for p in policies.by_agency.values()]
    if {*by_category.values(), *(lv for _p, lv in by_agency)} <= {default_levels}:
        return Q(level__in=sorted(default_levels))
    q = Q(pk__in=[])
    grouped: dict[frozenset[int], list[int]] = {}
    for category_id, levels in by_category.items():
        grouped.setdefault(levels, []).append(category_id)
    for levels, category_ids in grouped.items():
        if levels:
            q |= Q(**{f"{prefix}category_id__in": category_ids}, level__in=sorted(levels))
    no_category = ~Q(**{f"{prefix}category_id__in": list(by_category)}) if by_category else Q()
    # The deepest agency policy wins: each path claims its subtree before the shallower ones.
    claimed: Q | None = None
    for path, levels in sorted(by_agency, key=lambda item: -len(item[0])):
        here = Q(**{f"{prefix}agency__path__startswith": path})
        if levels:
            part = no_category & here & Q(level__in=sorted(levels))
            q |= part & ~claimed if claimed is not None else part
        claimed = here if claimed is None else claimed | here
    if default_levels:
        part = no_category & Q(level__in=sorted(default_levels))
        q |= part & ~claimed if claimed is not None else part
    return q


def escalations_addressed_q(scope: FocalScope, policies: policy.PolicySet) -> Q:
    """Escalations in scope whose ladder step names a focal role the actor holds there: an
    agency focal point's steps (focal_point) and a coordinator's (coordinator). National
    admins see both."""
    if scope.is_admin:
        return scope.complaint_q("complaint__") & ladder_levels_q(FOCAL_ROLES, policies)
    # Grouped by the roles held, so a coordinator of 100 agencies gets one IN list, not 100 ORs.
    agencies: dict[frozenset[str], list[int]] = {}
    paths: dict[frozenset[str], list[str]] = {}
    for agency_id, roles in scope.agency_roles.items():
        agencies.setdefault(frozenset(roles), []).append(agency_id)
    for path, roles in scope.unit_roles.items():
        paths.setdefault(frozenset(roles), []).append(path)
    q = Q(pk__in=[])
    for roles in {*agencies, *paths}:
        where = Q(complaint__agency_id__in=sorted(agencies.get(roles, [])))
        for path in paths.get(roles, []):
            where |= Q(complaint__scope_path__startswith=path)
        q |= where & ladder_levels_q(roles, policies)
    return q


def escalations_awaiting_qs(*, scope: FocalScope) -> QuerySet[Escalation]:
    """Unacknowledged escalations addressed to the actor, of open complaints in scope, whose
    clock still runs, oldest first. One query for the active SLA policies; the queryset is
    then one query per read."""
    policies = policy.PolicySet.load()
    return (
        Escalation.objects.live()
        .filter(escalations_addressed_q(scope, policies), acknowledged_at__isnull=True)
        .select_related("complaint", "complaint__agency", "complaint__unit")
        .order_by("created_at", "id")
    )


def escalations_awaiting(*, scope: FocalScope, limit: int = 20) -> tuple[list[Escalation], int]:
    """The first `limit` escalations awaiting the actor and how many there are in all: the
    policies, then one query (the total is a window count over the same rows)."""
    rows = list(escalations_awaiting_qs(scope=scope).annotate(total=Window(Count("id")))[:limit])
    return rows, (rows[0].total if rows else 0)


# ---------------------------------------------------------------------------------------------
# Corrective actions


def corrective_action_visibility_q(actor: User) -> Q | None:
    """Who reads a corrective action: the issuer, anyone holding a role on the whole agency
    (its focal points, coordinators, verifiers, approvers, officers) and national admins
    (None: everything)."""
    if actor_is_national_admin(actor):
        return None
    agency_ids = sorted({m.agency_id for m in memberships_of(actor) if m.agency.parent_id is None})
    return Q(issuer=actor) | Q(agency_id__in=agency_ids)


def corrective_action_list(
    *, actor: User, filters: dict | None = None, now: dt.datetime | None = None
) -> QuerySet[CorrectiveAction]:
    now = now or timezone.now()
    filters = filters or {}
    qs = CorrectiveAction.objects.select_related("agency", "issuer", "complaint")
    q = corrective_action_visibility_q(actor)
    if q is not None:
        qs = qs.filter(q)
    state = filters.get("state") or "open"
    if state == "open":
        qs = qs.filter(state__in=CorrectiveAction.OPEN_STATES)
    elif state == "overdue":
        qs = qs.filter(state__in=CorrectiveAction.OPEN_STATES, due_at__lt=now)
    elif state == "closed":
        qs = qs.exclude(state__in=CorrectiveAction.OPEN_STATES)
    if filters.get("agency"):
        qs = qs.filter(agency_id=filters["agency"])
    return qs.order_by("due_at", "id")


def corrective_action_get(*, actor: User, action_id: int) -> CorrectiveAction:
    from common.exceptions import NotFound

    qs = CorrectiveAction.objects.select_related(
        "agency", "issuer", "complaint", "closed_by"
    ).prefetch_related("updates__author", "updates__evidence", "events__actor")
    q = corrective_action_visibility_q(actor)
    if q is not None:
        qs = qs.filter(q)
    try:
        return qs.get(pk=action_id)
    except (CorrectiveAction.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("Corrective action not found.") from exc


def corrective_action_agencies(*, actor: User) -> list[Agency]:
    """Agencies the actor may issue corrective actions to (as a focal point)."""
    return focal_scope_for(actor=actor).agencies


# ---------------------------------------------------------------------------------------------
# Directory


def directory_entries(
    *, agency_id: int | None = None, include_inactive: bool = False
) -> QuerySet[FocalPoint]:
    qs = FocalPoint.objects.select_related("user", "agency").order_by(
        "agency__name", "agency_id", "user__full_name"
    )
    if not include_inactive:
        qs = qs.filter(is_active=True)
    if agency_id:
        qs = qs.filter(agency_id=agency_id)
    return qs


def directory_editable_agency_ids(*, actor: User) -> set[int] | None:
    """Agencies whose directory entries the actor maintains; None means all (admin)."""
    if actor_is_national_admin(actor):
        return None
    return {m.agency_id for m in memberships_of(actor) if m.role == Role.FOCAL_POINT}
