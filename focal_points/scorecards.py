"""The focal-point scorecard: per agency (or per unit of one agency)
for a period, computed in the database with a fixed number of queries.

Every figure but the live ones comes from reporting's facts (reporting.selectors.agency_figures;
definitions in docs/metrics.md), on PostgreSQL and on the embedded SQLite of `make run` alike
(reporting.facts.uses_sql): clocks measured per agency stint against the agency's own policy,
open complaints past their deadline counted as misses now, the same figures as every
dashboard. Cohort: complaints filed in the period's months (local date of filing).
"Overdue now" (open complaints past their current deadline, escalated or not) comes from the
board snapshot (`focal_points.board_refresh`, every minute); nudges and corrective actions
are read live.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.utils import timezone

from complaints.models import Agency, SweepRun
from complaints.policy import sla_policy_for
from focal_points.models import CorrectiveAction, Nudge, ScoreBand
from focal_points.selectors import FocalScope
from reporting.facts import FACTS_REFRESH_SWEEP, uses_sql
from reporting.selectors import agency_figures

# Fallback thresholds when the ScoreBand table lacks a metric (it is data; the migration
# seeds these values).
DEFAULT_BANDS = {
    "verified_within_pct": (90, 75, True),
    "responded_within_pct": (90, 75, True),
    "resolved_within_pct": (85, 70, True),
    "verify_median": (2, 3, False),
    "response_median": (4, 5, False),
    "close_median": (14, 30, False),
    "reopen_pct": (10, 20, False),
    "mean_rating": (4, 3, True),
    "overdue_now": (0, 10, False),
}

# Columns a scorecard can be sorted on (server-side, by header links).
SORT_KEYS = (
    "name",
    "received",
    "verified_within_pct",
    "responded_within_pct",
    "resolved_within_pct",
    "verify_median",
    "verify_p90",
    "response_median",
    "response_p90",
    "close_median",
    "close_p90",
    "reopen_pct",
    "mean_rating",
    "overdue_now",
    "nudges",
    "ca_open",
    "ca_overdue",
)

PERIOD_CHOICES = ("this_month", "last_month", "3m", "this_year", "custom")


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """Whole months of filing (the rollup's grain): from the first day of `start`'s month to
    the last day of `end`'s month."""

    start: dt.date
    end: dt.date  # inclusive
    key: str = "custom"

    def __post_init__(self) -> None:
        object.__setattr__(self, "start", _month(self.start))
        object.__setattr__(self, "end", _month_end(self.end))

    @classmethod
    def resolve(
        cls,
        key: str | None,
        *,
        today: dt.date,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> Period:
        key = key if key in PERIOD_CHOICES else "this_month"
        if key == "custom" and start and end and start <= end:
            return cls(start=start, end=end, key=key)
        if key == "last_month":
            last = _month(today) - dt.timedelta(days=1)
            return cls(start=last, end=last, key=key)
        if key == "3m":
            first = _month(_month(_month(today) - dt.timedelta(days=1)) - dt.timedelta(days=1))
            return cls(start=first, end=today, key=key)
        if key == "this_year":
            return cls(start=today.replace(month=1, day=1), end=today, key=key)
        return cls(start=today, end=today, key="this_month")


@dataclass
class ScorecardRow:
    key: int | None
    name: str
    agency: Agency | None = None
    unit: Agency | None = None
    is_total: bool = False
    received: int = 0
    verified: int = 0
    verified_within: int = 0
    responded: int = 0
    responded_within: int = 0
    resolved: int = 0
    resolved_within: int = 0
    verify_median: Decimal | None = None
    verify_p90: Decimal | None = None
    response_median: Decimal | None = None
    response_p90: Decimal | None = None
    close_median: Decimal | None = None
    close_p90: Decimal | None = None
    reopened: int = 0
    rating_count: int = 0
    mean_rating: Decimal | None = None
    overdue_now: int = 0
    nudges: int = 0
    ca_open: int = 0
    ca_overdue: int = 0
    bands: dict[str, str | None] = field(default_factory=dict)

    @staticmethod
    def _pct(part: int, whole: int) -> Decimal | None:
        if not whole:
            return None
        return (Decimal(100) * part / whole).quantize(Decimal("0.1"))

    @property
    def verified_within_pct(self) -> Decimal | None:
        return self._pct(self.verified_within, self.verified)

    @property
    def responded_within_pct(self) -> Decimal | None:
        return self._pct(self.responded_within, self.responded)

    @property
    def resolved_within_pct(self) -> Decimal | None:
        return self._pct(self.resolved_within, self.resolved)

    @property
    def reopen_pct(self) -> Decimal | None:
        return self._pct(self.reopened, self.responded)

    def value(self, metric: str):
        return getattr(self, metric)


@dataclass
class Scorecard:
    rows: list[ScorecardRow]
    total: ScorecardRow | None
    period: Period
    by_unit: bool
    agency: Agency | None
    thresholds: dict[str, int]
    bands: dict[str, ScoreBand]
    refreshed_at: dt.datetime | None
    sort: str = "name"


def _bands() -> dict[str, ScoreBand]:
    bands = {b.metric: b for b in ScoreBand.objects.all()}
    for metric, (green, yellow, higher) in DEFAULT_BANDS.items():
        bands.setdefault(
            metric,
            ScoreBand(
                metric=metric,
                green_min=Decimal(green),
                yellow_min=Decimal(yellow),
                higher_is_better=higher,
            ),
        )
    return bands


COUNTER_FIELDS = (
    "received",
    "verified",
    "verified_within",
    "responded",
    "responded_within",
    "resolved",
    "resolved_within",
    "reopened",
    "rating_count",
)


def scorecard(
    *,
    scope: FocalScope,
    period: Period,
    now: dt.datetime | None = None,
    agency_id: int | None = None,
    sort: str | None = None,
) -> Scorecard:
    """The scorecard of the agencies in scope (or of the units of one agency).

    Queries (fixed, whatever the number of agencies and complaints): the unit names (only by
    unit), the national SLA policy, the score bands, reporting's figures (agency_figures: the
    rows and the total at once, one query by agency over whole months, else two), the
    board snapshot's age
    and its overdue counts (counted live when stale), nudge counts, corrective-action counts
    and the facts' last refresh time.
    """
    from focal_points.selectors import board_group_counts

    now = now or timezone.now()
    by_unit = agency_id is not None or (len(scope.agencies) == 1 and not scope.is_admin)
    agency: Agency | None = None
    rows: dict[int | None, ScorecardRow] = {}
    if by_unit:
        agency_id = agency_id or scope.agencies[0].pk
        if not scope.covers_agency(agency_id):
            agency_id = -1
        units = list(
            Agency.objects.filter(Q(pk=agency_id) | Q(parent_id=agency_id)).order_by("path")
        )
        for unit in units:
            if unit.pk == agency_id:
                agency = unit
        if agency is not None:
            rows[None] = ScorecardRow(key=None, name="", agency=agency)
            for unit in units:
                if unit.pk != agency.pk:
                    rows[unit.pk] = ScorecardRow(key=unit.pk, name=unit.name, unit=unit)
        ids = [agency.pk] if agency else []
    else:
        for a in scope.agencies:
            rows[a.pk] = ScorecardRow(key=a.pk, name=a.name, agency=a)
        ids = scope.agency_ids
    key = "unit_id" if by_unit else "agency_id"

    policy = sla_policy_for(agency=None)
    thresholds = {
        "verify": policy.verify_days,
        "response": policy.first_response_days,
        "tier_information": policy.tier_information_days,
        "tier_standard": policy.tier_standard_days,
        "tier_field": policy.tier_field_days,
    }
    bands = _bands()
    total = ScorecardRow(key=None, name="", agency=agency, is_total=True)

    def row_for(item_key, is_total) -> ScorecardRow | None:
        return total if is_total else rows.get(item_key)

    records: list[dict] = []
    percentiles: list[dict] = []
    if uses_sql():
        # reporting's facts: each agency measured against its own policy for the time it held
        # a complaint, open complaints past their deadline counted as misses now
        # (docs/metrics.md), the same figures as every dashboard. A database without them
        # shows the live figures only.
        records, percentiles = agency_figures(ids=ids, start=period.start, end=period.end, key=key)
    for item in records:
        row = row_for(item["key"], item["is_total"])
        if row is None:
            continue
        for name in COUNTER_FIELDS:
            setattr(row, name, int(item[name] or 0))
        if row.rating_count:
            row.mean_rating = (Decimal(item["rating_sum"]) / row.rating_count).quantize(
                Decimal("0.1")
            )
    for item in percentiles:
        row = row_for(item["key"], item["is_total"])
        if row is None:
            continue
        for name in ("verify", "response", "close"):
            for stat in ("median", "p90"):
                value = item[f"{name}_{stat}"]
                if value is not None:
                    value = Decimal(str(value)).quantize(Decimal("0.1"))
                setattr(row, f"{name}_{stat}", value)

    # Overdue now: open complaints whose current (agency) deadline has passed, escalated or
    # not; an escalated complaint still within its deadline is not overdue. From the board.
    board, _as_of = board_group_counts(
        scope=scope, group=key, now=now, agency_id=agency.pk if by_unit and agency else None
    )
    for item in board:
        n = item["past_due"] or 0
        if item[key] in rows:
            rows[item[key]].overdue_now = n
        total.overdue_now += n

    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(period.start, dt.time.min, tzinfo=tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
    nudges = (
        Nudge.objects.filter(agency_id__in=ids, created_at__gte=start, created_at__lt=end)
        .order_by()
        .values(key)
        .annotate(n=Count("id"))
    )
    for item in nudges:
        if item[key] in rows:
            rows[item[key]].nudges = item["n"]
        total.nudges += item["n"]

    ca_key = "complaint__unit_id" if by_unit else "agency_id"
    actions = (
        CorrectiveAction.objects.filter(agency_id__in=ids, state__in=CorrectiveAction.OPEN_STATES)
        .order_by()
        .values(ca_key)
        .annotate(open=Count("id"), overdue=Count("id", filter=Q(due_at__lt=now)))
    )
    for item in actions:
        # Agency-wide actions (no complaint) count on the agency-level row only.
        if item[ca_key] in rows:
            rows[item[ca_key]].ca_open = item["open"]
            rows[item[ca_key]].ca_overdue = item["overdue"]
        total.ca_open += item["open"]
        total.ca_overdue += item["overdue"]

    refreshed = (
        SweepRun.objects.filter(name=FACTS_REFRESH_SWEEP)
        .values_list("last_success_at", flat=True)
        .first()
    )

    result = list(rows.values())
    for row in [*result, total]:
        row.bands = {metric: band.band(row.value(metric)) for metric, band in bands.items()}
    sort = sort if sort and sort.lstrip("-") in SORT_KEYS else "name"
    return Scorecard(
        rows=_sorted(result, sort),
        total=total,
        period=period,
        by_unit=by_unit,
        agency=agency,
        thresholds=thresholds,
        bands=bands,
        refreshed_at=refreshed,
        sort=sort,
    )


def _sorted(rows: list[ScorecardRow], sort: str) -> list[ScorecardRow]:
    """Sort rows (a handful per agency group, never complaints); empty values last."""
    name = sort.lstrip("-")
    reverse = sort.startswith("-")
    if name == "name":
        return sorted(rows, key=lambda r: (r.key is not None, r.name.lower()), reverse=reverse)
    present = [r for r in rows if r.value(name) is not None]
    missing = [r for r in rows if r.value(name) is None]
    return sorted(present, key=lambda r: r.value(name), reverse=reverse) + missing
