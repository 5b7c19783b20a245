"""Reads for the citizen pages that complaints/selectors.py does not cover: agency search, the
categories of an agency, the home page totals and a reporter's own complaints."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet

from accounts.models import User
from complaints.models import Agency, Category, Complaint, ComplaintEvent, Status

TOTALS_CACHE_KEY = "public:totals:v1"
TOTALS_CACHE_SECONDS = 60


def agency_search_public(*, query: str, limit: int = 20) -> list[Agency]:
    """Active top-level agencies (complaints are filed to an agency; units are chosen by its
    staff) whose name or short name contains the query."""
    query = " ".join((query or "").split())[:100]
    qs = Agency.objects.filter(parent__isnull=True, is_active=True)
    if query:
        qs = qs.filter(Q(name__icontains=query) | Q(short_name__icontains=query))
    return list(qs.order_by("name")[:limit])


def agency_get_public(*, agency_id: int | str | None) -> Agency | None:
    try:
        pk = int(agency_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return Agency.objects.filter(pk=pk, parent__isnull=True, is_active=True).first()


def agency_count_public() -> int:
    return Agency.objects.filter(parent__isnull=True, is_active=True).count()


def category_list_public(*, agency_id: int) -> list[Category]:
    """The agency's active categories, parents before their children."""
    rows = list(
        Category.objects.filter(agency_id=agency_id, is_active=True).select_related("parent")
    )
    by_parent: dict[int | None, list[Category]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)
    ordered: list[Category] = []

    def walk(parent_id: int | None, depth: int) -> None:
        for cat in sorted(by_parent.get(parent_id, []), key=lambda c: (c.ordering, c.name)):
            cat.depth = depth
            ordered.append(cat)
            walk(cat.pk, depth + 1)

    walk(None, 0)
    known = {c.pk for c in ordered}
    # Children of inactive parents still count; list them at the end.
    ordered += [c for c in rows if c.pk not in known]
    return ordered


def category_get_public(*, agency_id: int, category_id: int | str | None) -> Category | None:
    try:
        pk = int(category_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return Category.objects.filter(pk=pk, agency_id=agency_id, is_active=True).first()


def public_totals() -> dict[str, int | None]:
    """Filed, completed and the share answered on time, in one aggregate query, cached
    briefly: the home page is the most visited page and the numbers move slowly."""
    cached = cache.get(TOTALS_CACHE_KEY)
    if cached is not None:
        return cached
    row = Complaint.objects.aggregate(
        filed=Count("pk"),
        completed=Count("pk", filter=Q(status=Status.CLOSED)),
        answered=Count("pk", filter=Q(first_response_at__isnull=False)),
        on_time=Count(
            "pk",
            filter=Q(first_response_at__isnull=False, response_due_at__isnull=False)
            & Q(first_response_at__lte=F("response_due_at")),
        ),
    )
    answered = row["answered"]
    totals = {
        "filed": row["filed"],
        "completed": row["completed"],
        "on_time_percent": round(100 * row["on_time"] / answered) if answered else None,
    }
    cache.set(TOTALS_CACHE_KEY, totals, TOTALS_CACHE_SECONDS)
    return totals


def complaint_list_for_reporter(*, user: User) -> QuerySet[Complaint]:
    """A registered reporter's own complaints, newest first."""
    return (
        Complaint.objects.filter(reporter=user)
        .select_related("agency")
        .only(
            "tracking_number",
            "title",
            "status",
            "created_at",
            "submitted_at",
            "agency__name",
            "agency__short_name",
        )
        .order_by("-created_at")
    )


def complaint_latest_public_event(*, complaint: Complaint, type: str) -> ComplaintEvent | None:
    """The newest public event of a type (the latest information request or answer), with its
    public attachments."""
    return (
        complaint.events.filter(type=type, is_public=True)
        .prefetch_related("attachments")
        .order_by("-created_at", "-id")
        .first()
    )
