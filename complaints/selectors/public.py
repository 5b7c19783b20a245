"""Public reads: what the citizen pages, open data and followers may know."""

from __future__ import annotations

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Substr

from accounts.models import User
from common import refcache
from complaints.access import (
    access_code_matches,
    normalize_code,
    tracking_link_current,
    tracking_link_read,
)
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
from complaints.selectors import reference
from complaints.selectors.queue import SEARCH_VECTOR_SQL


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


def complaint_for_receipt(*, tracking_number: str) -> Complaint | None:
    """What the filing receipt shows of the complaint just filed (its reporter's own session
    reads it): the number, the first deadline and the address the confirmation went to, with
    its agency and category from the kept lists (common.refcache)."""
    complaint = (
        Complaint.objects.only(
            "tracking_number",
            "verify_due_at",
            "reporter_email",
            "agency_id",
            "unit_id",
            "category_id",
        )
        .filter(tracking_number=normalize_code(tracking_number))
        .first()
    )
    if complaint is None:
        return None
    if (agency := agency_get_public(agency_id=complaint.agency_id)) is not None:
        complaint.agency = agency
        category = category_get_public(agency_id=agency.pk, category_id=complaint.category_id)
        if category is not None:
            complaint.category = category
    return complaint


def complaint_get_by_tracking_link(*, token: str) -> Complaint | None:
    """The complaint of a valid signed link made with its current access code, else None
    (a broken, expired or revoked link)."""
    number = tracking_link_read(token)
    complaint = complaint_get_by_tracking_number(tracking_number=number) if number else None
    if complaint is None or not tracking_link_current(token, complaint):
        return None
    return complaint


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


# Agency search reads words in any order (UX §1 "Instansi tujuan"): "di" and "dan" are left
# out, and the abbreviations people type stand for the words of the agencies' names.
AGENCY_STOPWORDS = frozenset({"di", "dan", "ke", "dari", "yang", "the", "of", "and", "in"})
AGENCY_ABBREVIATIONS: dict[str, tuple[tuple[str, ...], ...]] = {
    "bpom": (("pengawas", "obat", "makanan"), ("pom",)),
    "bbpom": (("balai", "besar", "pom"), ("balai", "besar", "pengawas", "obat")),
    "pom": (("pengawas", "obat", "makanan"),),
    "pemprov": (("pemerintah", "provinsi"),),
    "pemkab": (("pemerintah", "kabupaten"),),
    "pemkot": (("pemerintah", "kota"),),
    "kemenko": (("kementerian", "koordinator"),),
}


def _agency_word_q(words: tuple[str, ...]) -> Q:
    q = Q()
    for w in words:
        q &= Q(name__icontains=w)
    return q


def agency_words_q(query: str) -> Q | None:
    """Every word of the query in the name or short name, in any order; an abbreviation
    matches itself or the words it stands for ("Kemenkes": "kementerian" and "kes…")."""
    groups = []
    for word in normalize_words(query):
        if not word or word in AGENCY_STOPWORDS:
            continue
        alternatives = list(AGENCY_ABBREVIATIONS.get(word, ()))
        if word.startswith("kemen") and len(word) > len("kemen") and word != "kementerian":
            alternatives.append(("kementerian", word[len("kemen") :]))
        q = Q(name__icontains=word) | Q(short_name__icontains=word)
        for words in alternatives:
            q |= _agency_word_q(words)
        groups.append(q)
    if not groups:
        return None
    combined = Q()
    for q in groups:
        combined &= q
    return combined


def agency_search_public(*, query: str, limit: int = 20) -> list[Agency]:
    """Active top-level agencies (complaints are filed to an agency; units are chosen by its
    staff) whose name or short name holds the query's words in any order (agency_words_q), or
    that have an active unit or child agency that does ("imigrasi" finds the ministry over
    Direktorat Jenderal Imigrasi). Each result carries `matched_units`: the names of its units
    that matched, for the radio hint."""
    query = " ".join((query or "").split())[:100]
    qs = Agency.objects.filter(parent__isnull=True, is_active=True)
    units: dict[int, list[str]] = {}
    text = agency_words_q(query)
    if text is not None:
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


def _public_agencies() -> dict[int, Agency]:
    """Every active top-level agency by id, kept per process (common.refcache): each step of
    the filing form reads the chosen agency."""
    return refcache.reference(
        ("public-agencies",),
        lambda: {a.pk: a for a in Agency.objects.filter(parent__isnull=True, is_active=True)},
    )


def agency_get_public(*, agency_id: int | str | None) -> Agency | None:
    """An active top-level agency (shared between requests: read it, never change it)."""
    try:
        pk = int(agency_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return _public_agencies().get(pk)


def agency_count_public() -> int:
    return len(_public_agencies())


def _category_tree(agency_id: int) -> list[Category]:
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


def category_list_public(*, agency_id: int) -> list[Category]:
    """The agency's active categories, parents before their children, kept per process
    (common.refcache; a list to read, never to change)."""
    key = ("public-categories", int(agency_id))
    return refcache.reference(key, lambda: _category_tree(agency_id))


def category_get_public(*, agency_id: int, category_id: int | str | None) -> Category | None:
    try:
        pk = int(category_id)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return next((c for c in category_list_public(agency_id=agency_id) if c.pk == pk), None)


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
    found = list(_submitted_with_key(submit_key).values_list("complaint_id", flat=True)[:1])
    return Complaint.objects.filter(pk=found[0]).first() if found else None


def tracking_number_filed_with_submit_key(*, submit_key: str) -> str | None:
    """The tracking number of the complaint a filing draft became, or None (the check page
    asks on every request, and nearly always finds nothing)."""
    if not submit_key:
        return None
    found = list(
        _submitted_with_key(submit_key).values_list("complaint__tracking_number", flat=True)[:1]
    )
    return found[0] if found else None


def _submitted_with_key(submit_key: str) -> QuerySet[ComplaintEvent]:
    """One probe of the event_submit_key index (at most one event has the key)."""
    return ComplaintEvent.objects.filter(
        type=EventType.SUBMITTED, data__submit_key=submit_key
    ).order_by()


# Verified or later and still open. A report still waiting to be checked (or waiting for its
# reporter's information before that) may yet be archived as out of scope or spam, so it is
# not shown to other people.
SIMILAR_STATUSES = (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS, Status.AWAITING_REPORTER)


# "Laporan serupa" offers at most three reports, and only close ones (issue 19): titles alike
# by trigram similarity (pg_trgm's measure; the same one in Python on SQLite), sharing a word
# of the draft (full-text on PostgreSQL), and in the same place when both name one.
SIMILAR_MAX = 3
SIMILAR_TITLE_MIN = 0.3
SIMILAR_CANDIDATES = 30
# Only the newest open complaints of the category (of the agency without one) are compared: an
# index walk, so a category with thousands of open complaints costs what a small one does;
# a report worth following is nearly always recent.
SIMILAR_POOL = 300
# Words of an address that say nothing about where (street, number, administrative level).
PLACE_NOISE = frozenset(
    {
        "jalan", "jln", "nomor", "blok", "gang", "dekat", "depan", "samping", "belakang",
        "kelurahan", "desa", "kecamatan", "kabupaten", "kota", "provinsi", "pasar", "toko",
        "apotek", "kantor", "rumah", "sakit", "street", "road", "near",
    }
)  # fmt: skip


def place_words(text: str) -> set[str]:
    """The words of a place that name it: "Jl. Merdeka 10, Kota Bandung" → merdeka, bandung."""
    return {
        w for w in normalize_words(text) if len(w) >= 4 and not w.isdigit() and w not in PLACE_NOISE
    }


def _trigrams(text: str) -> set[str]:
    grams: set[str] = set()
    for word in normalize_words(text):
        padded = f"  {word} "
        grams.update(padded[i : i + 3] for i in range(len(padded) - 2))
    return grams


def trigram_similarity(a: str, b: str) -> float:
    """pg_trgm's similarity(): shared trigrams of the padded words over all of them."""
    left, right = _trigrams(a), _trigrams(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def complaint_similar_ids_for_filing(
    *,
    agency_id: int | None,
    category_id: int | None,
    title: str,
    place: str = "",
    limit: int = SIMILAR_MAX,
) -> list[int]:
    """Checked, open, non-confidential complaints at the same agency and category that are
    genuinely close to the draft, closest first, for the filing form's "Laporan serupa" step:
    their ids (complaint_similar_by_ids reads them for the page). Two queries: the newest
    SIMILAR_POOL checked open ones, then the comparison, which reads ids and places only."""
    if not agency_id:
        return []
    words = [w for w in normalize_words(title) if len(w) >= 4][:6]
    if not words:
        return []
    within = {"category_id": category_id} if category_id else {"agency_id": agency_id}
    # Read first (an index-only walk), so that the comparisons below run on these rows only.
    # Checked ones only: a burst of unchecked filings must not push them out of the pool.
    pool = list(
        Complaint.objects.filter(status__in=SIMILAR_STATUSES, **within)
        .order_by("-created_at")
        .values_list("pk", flat=True)[:SIMILAR_POOL]
    )
    qs = Complaint.objects.filter(
        pk__in=pool, status__in=SIMILAR_STATUSES, is_confidential=False, agency_id=agency_id
    )
    if category_id:
        qs = qs.filter(category_id=category_id)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        shares_a_word = RawSQL(  # noqa: S611 - constant SQL, the words are a bound parameter
            f"{SEARCH_VECTOR_SQL} @@ to_tsquery('aduan_id'::regconfig, %s)",
            [" | ".join(f"{w}:*" for w in words)],
            output_field=BooleanField(),
        )
        candidates = list(
            qs.filter(Q(shares_a_word))
            .annotate(title_similarity=TrigramSimilarity("title", title))
            .filter(title_similarity__gte=SIMILAR_TITLE_MIN)
            .order_by("-title_similarity", "-submitted_at", "-id")
            .values_list("pk", "location_text", "region")[:SIMILAR_CANDIDATES]
        )
    else:
        shares = Q()
        for word in words:
            shares |= Q(title__icontains=word)
        scored = []
        for pk, their_title, *where in (
            qs.filter(shares)
            .order_by("-submitted_at", "-id")
            .values_list("pk", "title", "location_text", "region")[: SIMILAR_CANDIDATES * 10]
        ):
            similarity = trigram_similarity(their_title, title)
            if similarity >= SIMILAR_TITLE_MIN:
                scored.append((similarity, (pk, *where)))
        scored.sort(key=lambda pair: -pair[0])
        candidates = [row for _similarity, row in scored]
    mine = place_words(place)
    close = [
        pk
        for pk, location_text, region in candidates
        if not mine or not (theirs := place_words(f"{location_text} {region}")) or mine & theirs
    ]
    return close[:limit]


def complaint_similar_for_filing(**kwargs) -> list[Complaint]:
    """complaint_similar_ids_for_filing's complaints, read for a page (complaint_list_public's
    masking; `body_head` is the account's opening)."""
    return complaint_similar_by_ids(ids=complaint_similar_ids_for_filing(**kwargs))


def complaint_similar_by_ids(*, ids: list[int]) -> list[Complaint]:
    """The draft's similar reports found earlier (complaint_similar_for_filing, once per
    draft), in the same order, while they are still open, checked and public. Their places
    (agency, unit: the calendar of their dates) and category come from the kept lists."""
    if not ids:
        return []
    nodes, categories = reference.agencies_by_id(), reference.categories_by_id()
    rows = {}
    for c in (
        complaint_list_public()
        .select_related(None)
        .filter(pk__in=ids, status__in=SIMILAR_STATUSES)
        .annotate(body_head=Substr("body", 1, 400))
    ):
        for field, pk, known in (
            ("agency", c.agency_id, nodes),
            ("unit", c.unit_id, nodes),
            ("category", c.category_id, categories),
        ):
            if pk is not None and pk in known:
                setattr(c, field, known[pk])
        rows[c.pk] = c
    return [rows[pk] for pk in ids if pk in rows]


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
