"""The staff queue: filtering, full-text search, sorting and capped pagination on top of
`selectors.scope.complaint_list_for_actor`.

Everything here narrows the scoped queryset of the selector; nothing widens it, so a filter
value naming another agency's unit or officer simply matches nothing."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import BooleanField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from accounts.models import User
from complaints.access import (
    actor_is_national_admin,
    actor_scope_paths,
    approver_scope_q,
    membership_rows,
    normalize_code,
)
from complaints.clock import WorkingCalendar
from complaints.models import (
    OPEN_STATUS_VALUES,
    OPEN_STATUSES,
    Agency,
    Complaint,
    Membership,
    Response,
    Role,
    SavedFilter,
    Status,
)
from complaints.policy import STAFF_CLOCK_STATUSES, ClockState, clock_state_q
from complaints.selectors.scope import complaint_list_for_actor, complaint_list_forwarded_by_actor

PER_PAGE = 50


# The total is counted up to this many rows: beyond it the page says "more than 1.000", so a
# scope of a million complaints never costs a full COUNT(*).
COUNT_CAP = 1000


# Full-text search: PostgreSQL has no Indonesian stemmer, so the configuration `aduan_id` (a copy
# of `simple`, created by migration 0002_staff_search) lowercases and splits words without
# stemming or stop words; prefix matching ("obat:*" finds "obatnya", "obat-obatan") stands in for
# Indonesian suffixes. The expression must be the same text as the GIN index in the migration.
SEARCH_CONFIG = "aduan_id"


SEARCH_VECTOR_SQL = (
    "to_tsvector('aduan_id'::regconfig, "
    "COALESCE(\"complaints_complaint\".\"title\", '') || ' ' || "
    'COALESCE("complaints_complaint"."body", \'\'))'
)


_WORD = re.compile(r"\w+", re.UNICODE)


def search_terms(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text or "")][:8]


def _search_q(qs: QuerySet[Complaint], text: str) -> QuerySet[Complaint]:
    terms = search_terms(text)
    number = normalize_code(text)
    by_number = Q(tracking_number=number) if len(number) == 12 else Q(pk__in=[])
    if not terms:
        return qs.filter(by_number)
    if connection.vendor == "postgresql":
        # Short words match exactly (a prefix of two letters would match half the table).
        query = " & ".join(f"{t}:*" if len(t) >= 3 else t for t in terms)
        # Constant SQL; the user's words are a bound parameter.
        match = Q(
            RawSQL(  # noqa: S611
                f"{SEARCH_VECTOR_SQL} @@ to_tsquery('aduan_id'::regconfig, %s)",
                [query],
                output_field=BooleanField(),
            )
        )
        # Two partial GIN indexes share the rows, open and closed (complaints 0009); spelling
        # the match out per half lets a search over both kinds of status use both.
        is_open = Q(status__in=OPEN_STATUS_VALUES)
        return qs.filter((is_open & match) | (~is_open & match) | by_number)
    q = Q()
    for term in terms:
        q &= Q(title__icontains=term) | Q(body__icontains=term)
    return qs.filter(q | by_number)


SORTS: dict[str, tuple[Any, ...]] = {
    "due": (F("current_due_at").asc(nulls_last=True), "id"),
    "-due": (F("current_due_at").desc(nulls_last=True), "-id"),
    "created": ("created_at", "id"),
    "-created": ("-created_at", "-id"),
    "status": ("status", F("current_due_at").asc(nulls_last=True), "id"),
    "-status": ("-status", F("current_due_at").asc(nulls_last=True), "id"),
}


DEFAULT_SORT = "due"


# Closed and archived complaints have no deadline: a view of only those lists the newest first
# (index complaint_finished_created).
FINISHED_DEFAULT_SORT = "-created"


def queue_sort(filters: dict[str, Any]) -> str:
    """The sort of a queue view: the one asked for, else by deadline, or newest first when
    the view holds no open status."""
    if filters.get("sort"):
        return filters["sort"]
    statuses = set(filters.get("status") or OPEN_STATUSES)
    return DEFAULT_SORT if statuses & set(OPEN_STATUSES) else FINISHED_DEFAULT_SORT


def queue_filter(
    *, actor: User, filters: dict[str, Any], now: dt.datetime | None = None
) -> QuerySet[Complaint]:
    """The scoped queue narrowed by validated filters (see forms_staff.QueueFilterForm)."""
    now = now or timezone.now()
    qs = scoped_queue(actor, forwarded=bool(filters.get("forwarded")))
    statuses = set(filters.get("status") or OPEN_STATUSES)
    if filters.get("clock"):
        statuses &= set(STAFF_CLOCK_STATUSES)
    qs = qs.filter(status__in=sorted(statuses))
    for key, field in (("kind", "kind"), ("channel", "channel")):
        if filters.get(key):
            qs = qs.filter(**{f"{field}__in": filters[key]})
    if filters.get("category"):
        qs = qs.filter(category_id=filters["category"])
    unit = filters.get("unit")
    if unit is not None:
        qs = qs.filter(scope_path__startswith=unit.path)
    assignee = filters.get("assignee")
    if assignee == "me":
        qs = qs.filter(assignee=actor)
    elif assignee == "none":
        qs = qs.filter(assignee__isnull=True)
    elif assignee:
        qs = qs.filter(assignee_id=int(assignee))
    if filters.get("clock"):
        cal = WorkingCalendar.for_agency(None)
        qs = qs.filter(clock_state_q(filters["clock"], now, cal, with_status=False))
    tz = timezone.get_current_timezone()
    if filters.get("date_from"):
        start = dt.datetime.combine(filters["date_from"], dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__gte=start)
    if filters.get("date_to"):
        end = dt.datetime.combine(filters["date_to"] + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        qs = qs.filter(created_at__lt=end)
    privacy = filters.get("privacy") or []
    if "anonymous" in privacy:
        qs = qs.filter(is_anonymous=True)
    if "confidential" in privacy:
        qs = qs.filter(is_confidential=True)
    if filters.get("approval"):
        drafts = Response.objects.filter(complaint=OuterRef("pk"), state=Response.State.DRAFT)
        qs = qs.filter(Exists(drafts)).filter(approver_scope_q(actor))
    if filters.get("q"):
        qs = _search_q(qs, filters["q"])
    return qs.order_by(*SORTS[queue_sort(filters)])


# "Next complaint in my queue" looks this far into the queue (one query of ids).
NEIGHBOUR_WINDOW = 500


def queue_neighbours(
    *, actor: User, complaint_id: int, now: dt.datetime | None = None
) -> tuple[int | None, int | None]:
    """The complaints before and after this one in the actor's own queue (assigned to them,
    most urgent first); with nothing assigned, in the open complaints of their scope."""
    for filters in ({"assignee": "me"}, {}):
        ids = list(
            queue_filter(actor=actor, filters=filters, now=now).values_list("pk", flat=True)[
                :NEIGHBOUR_WINDOW
            ]
        )
        if not ids:
            continue
        if complaint_id not in ids:
            return None, ids[0]
        i = ids.index(complaint_id)
        return (ids[i - 1] if i > 0 else None), (ids[i + 1] if i + 1 < len(ids) else None)
    return None, None


def scoped_queue(actor: User, *, forwarded: bool = False) -> QuerySet[Complaint]:
    """The complaints the actor's agencies handle now, or (`forwarded=True`) those they
    forwarded to another agency and no longer handle (scope selectors both)."""
    if forwarded:
        return complaint_list_forwarded_by_actor(actor=actor)
    return complaint_list_for_actor(actor=actor, include_history=False)


def similar_words(title: str) -> list[str]:
    """The words possible duplicates share (selectors.case.related_complaints): the three
    longest of four letters or more, ties in the title's order (a set's order would change
    with each process's hash seed)."""
    unique = dict.fromkeys(w for w in search_terms(title) if len(w) >= 4)
    return sorted(unique, key=len, reverse=True)[:3]


@dataclass
class QueuePage:
    rows: list[Any]  # complaints, or `values()` rows when queue_page was given fields
    number: int
    count: int
    capped: bool
    has_next: bool
    per_page: int = PER_PAGE
    # Asked for a page past the end; `count` is then exact (the ids query ran out of rows).
    out_of_range: bool = False

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def start_index(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.rows else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.per_page + len(self.rows)


def queue_page(
    qs: QuerySet[Complaint],
    *,
    number: int = 1,
    fields: tuple[str, ...] | None = None,
    count_apart: bool = False,
) -> QueuePage:
    """One page and a capped total in two queries (three when counted apart) whatever the size
    of the scope.

    The first query evaluates the filters once and returns only ids, in page order, up to
    COUNT_CAP + 1 rows past the page start: its length is the (capped) count and its slice is
    the page. The second loads those rows by primary key with their joins (the filters are
    applied again, which costs nothing on a primary-key lookup and keeps the scope check in
    the same query as the data). A page past the end is known from the first query alone
    (it returned no more than `offset` ids, which is then the exact total): the page comes back
    empty with `out_of_range` set and the count of the whole list, and no second query runs.

    `count_apart` (filters the indexes answer cheaply, not a text search): the first query
    reads only the page's ids (and one more), and a full page is counted by a query of its own
    without the order, which the scope index answers from a range of the list rather than a
    walk of the whole open queue in deadline order; a list that ends on this page needs no
    count at all. Three queries at most, each cheaper than the one walk."""
    offset = (number - 1) * PER_PAGE
    if count_apart:
        ids = list(qs.values_list("pk", flat=True)[: offset + PER_PAGE + 1])
        total = len(ids)
        if total > offset + PER_PAGE:
            counted = qs.order_by().values("pk")[: offset + COUNT_CAP + 1].count()
            total = max(total, counted)  # (one closed between the two reads)
    else:
        ids = list(qs.values_list("pk", flat=True)[: offset + COUNT_CAP + 1])
        total = len(ids)
    # `total` is the length of the list, capped at offset + COUNT_CAP + 1.
    if number > 1 and total <= offset:
        return QueuePage(
            rows=[],
            number=number,
            count=total,
            capped=False,
            has_next=False,
            per_page=PER_PAGE,
            out_of_range=True,
        )
    window = total - offset
    page_ids = ids[offset : offset + PER_PAGE]
    page_qs = qs.filter(pk__in=page_ids).order_by()
    if fields is None:
        by_pk = {c.pk: c for c in page_qs}
    else:
        # Plain rows of these columns (masked as the selector masks): a list of fifty builds
        # no models for the complaints and their joins.
        by_pk = {row["id"]: row for row in page_qs.row_values("id", *fields)}
    rows = [by_pk[pk] for pk in page_ids if pk in by_pk]
    return QueuePage(
        rows=rows,
        number=number,
        count=offset + min(window, COUNT_CAP),
        capped=window > COUNT_CAP,
        has_next=window > PER_PAGE,
        per_page=PER_PAGE,
    )


# "Not yet assigned" counts the statuses where an assignee is due (routing done); the home
# badge links to the queue with exactly these statuses, so the two numbers agree.
UNASSIGNED_STATUSES = (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)


HOME_KEYS = frozenset(
    {"mine", "unassigned", "to_verify", "approval"}
    | {ClockState.DUE_SOON, ClockState.OVERDUE, ClockState.ESCALATED}
)


def staff_home_counts(
    *, actor: User, now: dt.datetime | None = None, keys: Iterable[str] | None = None
) -> dict[str, int]:
    """The badges of the staff home: one capped count per view (each stops after COUNT_CAP + 1
    rows on the scoped indexes), so a large agency's home stays fast; a value above COUNT_CAP
    reads "1.000+". `keys` limits the counts to the badges the actor's roles show."""
    now = now or timezone.now()
    wanted = HOME_KEYS if keys is None else frozenset(keys)
    cal = WorkingCalendar.for_agency(None)
    base = scoped_queue(actor).order_by()
    qs = base.filter(status__in=sorted(OPEN_STATUSES))
    staff = base.filter(status__in=sorted(STAFF_CLOCK_STATUSES))
    views = {
        "mine": Q(assignee=actor),
        "unassigned": Q(assignee__isnull=True, status__in=UNASSIGNED_STATUSES),
        "to_verify": Q(status=Status.SUBMITTED),
    }
    counts = {
        key: qs.filter(q)[: COUNT_CAP + 1].count() for key, q in views.items() if key in wanted
    }
    for state in (ClockState.DUE_SOON, ClockState.OVERDUE, ClockState.ESCALATED):
        if state not in wanted:
            continue
        q = clock_state_q([state], now, cal, with_status=False)
        counts[state] = staff.filter(q)[: COUNT_CAP + 1].count()
    if "approval" in wanted and (
        actor_is_national_admin(actor)
        or any(role == Role.APPROVER for _p, role in membership_rows(actor))
    ):
        drafts = Response.objects.filter(complaint=OuterRef("pk"), state=Response.State.DRAFT)
        approvals = qs.filter(approver_scope_q(actor)).filter(Exists(drafts))
        counts["approval"] = approvals[: COUNT_CAP + 1].count()
    else:
        counts["approval"] = 0
    return counts


def actor_units(actor: User) -> QuerySet[Agency]:
    """Agency nodes in the actor's scope (for the unit filter and route choices)."""
    qs = Agency.objects.filter(is_active=True)
    if actor_is_national_admin(actor):
        return qs.order_by("path")
    membership_rows(actor)
    q = Q(pk__in=[])
    for path in actor_scope_paths(actor):
        q |= Q(path__startswith=path)
    return qs.filter(q).order_by("path")


def officers_over(*, paths: Iterable[str], limit: int = 300) -> QuerySet[User]:
    """Officers holding a membership on one of the nodes below (or at) `paths`."""
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(agency__path__startswith=path)
    user_ids = Membership.objects.filter(q, role=Role.OFFICER).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "email")[
        :limit
    ]


def saved_filters_for(*, actor: User) -> list[SavedFilter]:
    return list(SavedFilter.objects.filter(user=actor).order_by("name"))


def officers_for_node(*, path: str) -> QuerySet[User]:
    """Officers whose membership covers `path` (on the node or an ancestor): the people a
    complaint at that node can be assigned to."""
    prefixes = []
    acc = ""
    for part in [p for p in path.split("/") if p]:
        acc += f"{part}/"
        prefixes.append(acc)
    user_ids = Membership.objects.filter(agency__path__in=prefixes, role=Role.OFFICER).values(
        "user_id"
    )
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "email")
