"""Public reads: what the citizen pages, open data and followers may know."""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce, Substr

from accounts.models import User
from complaints.access import access_code_matches, normalize_code
from complaints.models import (
    OPEN_STATUSES,
    PUBLIC_EVENT_TYPES,
    Agency,
    Category,
    Complaint,
    ComplaintEvent,
    ComplaintFollower,
    EventType,
    Status,
)


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


TOTALS_CACHE_KEY = "public:totals:v1"


TOTALS_CACHE_SECONDS = 60


def agency_search_public(*, query: str, limit: int = 20) -> list[Agency]:
    """Active top-level agencies (complaints are filed to an agency; units are chosen by its
    staff) whose name or short name contains the query, or that have an active unit or child
    agency that does ("imigrasi" finds the ministry over Direktorat Jenderal Imigrasi). Each
    result carries `matched_units`: the names of its units that matched, for the radio hint."""
    query = " ".join((query or "").split())[:100]
    qs = Agency.objects.filter(parent__isnull=True, is_active=True)
    units: dict[int, list[str]] = {}
    if query:
        text = Q(name__icontains=query) | Q(short_name__icontains=query)
        # Two queries, whatever the number of matches: the units, then their roots (the first
        # part of the materialized path).
        for path, name in (
            Agency.objects.filter(text, parent__isnull=False, is_active=True)
            .order_by("path")
            .values_list("path", "name")[:200]
        ):
            units.setdefault(int(path.split("/", 1)[0]), []).append(name)
        qs = qs.filter(text | Q(pk__in=list(units)))
    agencies = list(qs.order_by("name")[:limit])
    for agency in agencies:
        agency.matched_units = units.get(agency.pk, [])
    return agencies


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
    """Filed, completed and the share answered on time of the complaints the public may know
    of, in one aggregate query, cached briefly: the home page is the most visited page and
    the numbers move slowly."""
    cached = cache.get(TOTALS_CACHE_KEY)
    if cached is not None:
        return cached
    # What the public may know of (complaint_list_public): rahasia complaints are not counted.
    row = complaint_list_public().aggregate(
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
    """A registered reporter's own complaints, most recently sent first (`submitted_at` is
    the moment of filing; rows without it fall back to their creation)."""
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
            "agency__time_zone",
        )
        .order_by(Coalesce("submitted_at", "created_at").desc(), "-id")
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


def complaint_filed_with_submit_key(*, submit_key: str) -> Complaint | None:
    """The complaint a filing draft became, found by the digest of the draft's one-time token
    kept on its submitted event: one probe of the event_submit_key index."""
    if not submit_key:
        return None
    event = (
        ComplaintEvent.objects.filter(type=EventType.SUBMITTED, data__submit_key=submit_key)
        .select_related("complaint")
        .first()
    )
    return event.complaint if event else None


# Verified or later and still open. A report still waiting to be checked (or waiting for its
# reporter's information before that) may yet be archived as out of scope or spam, so it is
# not shown to other people.
SIMILAR_STATUSES = (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS, Status.AWAITING_REPORTER)


def complaint_similar_for_filing(
    *, agency_id: int | None, category_id: int | None, title: str, limit: int = 5
) -> list[Complaint]:
    """Checked, open, non-confidential complaints at the same agency and category whose titles
    share words with the draft's, offered on the filing form's "Laporan serupa" step (identity
    fields deferred and masked by complaint_list_public; `body_head` is the account's opening)."""
    if not agency_id:
        return []
    words = [w for w in normalize_words(title) if len(w) >= 4][:6]
    if not words:
        return []
    q = Q()
    for word in words:
        q |= Q(title__icontains=word)
    qs = complaint_list_public(filters={"agency_id": agency_id, "category_id": category_id})
    # The account stays deferred; its opening comes in the same query, for the card's excerpt.
    qs = qs.filter(q, status__in=SIMILAR_STATUSES).annotate(body_head=Substr("body", 1, 400))
    return list(qs.order_by("-submitted_at", "-id")[:limit])


def follower_get_any(*, token: str) -> ComplaintFollower | None:
    """A follower by its token, confirmed or not, for the pages its email links open (the
    language to answer in, whether it is confirmed, whether it still exists). Nothing about
    the followed complaint."""
    if not token or len(token) > 64:
        return None
    return (
        ComplaintFollower.objects.filter(token=token)
        .only("pk", "token", "language", "confirmed_at")
        .first()
    )
