"""Large-volume seeding shared by the benchmarks.

    from bench.seed import ensure_bench_data
    ids = ensure_bench_data(n_complaints=1_000_000, n_agencies=100, overdue_fraction=0.05)

or from the shell (migrates the database first; never drops it):

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python -m bench.seed --complaints 1000000

What it creates (PostgreSQL only; Django must be set up with config.settings.bench):

- `n_agencies` top agencies ("Instansi Bench 001" …, slugs `bench-001` …), mixed WIB/WITA/WIT,
  each with 3 units and 5 categories; a national default SlaPolicy.
- Per agency i (1-based, zero-padded to 3 digits): users `verifier-001@bench.aduan.id`,
  `officer-001@…`, `approver-001@…`, `focal-001@…` holding that role on the agency (so they cover
  its units); focal points also get a FocalPoint row. One coordination group "Bench: semua
  instansi" with `coordinator@bench.aduan.id` covering every agency (synced memberships), a
  national admin `admin@bench.aduan.id` and a registered reporter `reporter@bench.aduan.id` who
  filed 50 of the complaints. Every password is `BENCH_PASSWORD`.
- `n_complaints` complaints written with COPY (in chunks of CHUNK rows from an in-memory
  tab-separated buffer; secondary indexes are dropped first and rebuilt afterwards, foreign-key
  triggers are skipped because every id is generated valid). Status mix ≈ closed 55 %, archived
  8 %, awaiting_reporter 8 %, in_progress 10 %, assigned 6 %, verified 4 %, submitted 7 %,
  needs_info 2 %; ~1 % in national triage (no agency). Agencies are Zipf-sized (agency 001 is the
  largest, about 12 % of rows). `scope_path`, every deadline, `current_clock`/`current_due_at`
  are consistent with the status; `overdue_fraction` of ALL rows are open with
  `current_due_at` in the past (escalation_level 0, no Escalation rows: a sweep has work to do).
  Tracking numbers are a bijection of the id (unique, not sequential-looking); every bench
  complaint has the access code `BENCH_ACCESS_CODE`. Complaints carry no timeline events except:
- 5 complaints of agency 001 (in_progress, routed to its first unit) with 20 events each.

A marker row (SweepRun named `bench-seed:<n>:<agencies>:<fraction>`) records a finished seed:
calling again with the same arguments only looks the ids up (a second or so). Different
arguments wipe the complaint domain tables and seed again. A PostgreSQL advisory lock makes
concurrent callers wait for one seeder instead of seeding twice.

Returns a dict of handy ids: password, verifier_email, officer_email, approver_email,
focal_point_email, coordinator_email, admin_email, reporter_email, agency_id, agency_path,
unit_id, complaint_id (one with 20 events), event_complaint_ids, tracking_number, access_code,
n_complaints, n_agencies.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import time
from typing import Any

CHUNK = 100_000
BENCH_PASSWORD = "bench-sandi-123"  # a benchmark fixture, public by design
BENCH_ACCESS_CODE = "BENCH234"
EMAIL_DOMAIN = "bench.aduan.id"
ADVISORY_LOCK_KEY = 7_200_423
EVENT_COMPLAINTS = 5
EVENTS_PER_COMPLAINT = 20
DROPPED_INDEXES = "bench-seed:dropped-indexes"

# Weights of the status mix (they sum to 100).
STATUS_MIX = [
    ("closed", 55),
    ("archived", 8),
    ("awaiting_reporter", 8),
    ("in_progress", 10),
    ("assigned", 6),
    ("verified", 4),
    ("submitted", 7),
    ("needs_info", 2),
]
OPEN = {"submitted", "needs_info", "verified", "assigned", "in_progress", "awaiting_reporter"}
ROUTED = {"assigned", "in_progress", "awaiting_reporter", "closed"}

CATEGORIES = [
    ("Pelayanan administrasi", "information"),
    ("Perizinan", "standard"),
    ("Pengawasan lapangan", "field"),
    ("Sikap petugas", "standard"),
    ("Informasi publik", "information"),
]
TITLES = [
    "Obat kedaluwarsa dijual di apotek {place}",
    "Kosmetik tanpa izin edar beredar di pasar {place}",
    "Pelayanan KTP elektronik di {place} lambat",
    "Pengurusan SIM di {place} dipungut biaya tambahan",
    "Jalan rusak di {place} belum diperbaiki",
    "Antrean pelayanan paspor di {place} terlalu panjang",
    "Makanan olahan berbahan berbahaya di {place}",
    "Petugas tidak ramah di kantor layanan {place}",
    "Informasi syarat perizinan usaha di {place}",
    "Bantuan sosial di {place} tidak tepat sasaran",
    "Lampu penerangan jalan di {place} mati",
    "Sampah menumpuk di {place} tidak diangkut",
]
PLACES = [
    "Jakarta Timur", "Bekasi", "Bandung", "Surabaya", "Semarang", "Medan", "Makassar",
    "Denpasar", "Jayapura", "Palembang", "Pontianak", "Manado", "Kupang", "Ambon", "Padang",
]  # fmt: skip
BODIES = [
    "Saya melaporkan masalah ini karena sudah terjadi lebih dari dua minggu dan belum ada "
    "tindak lanjut dari petugas setempat. Mohon segera diperiksa.",
    "Kejadian ini saya alami sendiri ketika datang ke kantor layanan. Petugas meminta biaya "
    "yang tidak tercantum dalam ketentuan resmi.",
    "Beberapa warga di lingkungan kami mengalami hal yang sama. Kami berharap ada perbaikan "
    "dan penjelasan dari instansi yang berwenang.",
    "Produk tersebut tidak mencantumkan nomor izin edar dan tanggal kedaluwarsa pada kemasan. "
    "Saya khawatir produk ini membahayakan kesehatan.",
]
NAMES = [
    "Budi Santoso", "Siti Rahmawati", "Agus Wijaya", "Dewi Lestari", "Rina Marlina",
    "Andi Pratama", "Yohanes Wenda", "Made Sudarsana", "Nur Aini", "Rizky Ramadhan",
]  # fmt: skip
ARCHIVE_REASONS = [
    "Bukan kewenangan pelayanan publik",
    "Laporan tidak jelas dan pelapor tidak melengkapi",
    "Duplikat laporan lain",
]
CHANNELS = ["web"] * 70 + ["api"] * 8 + ["open311"] * 4 + ["lapor"] * 10 + ["walk_in", "phone"] * 4
KINDS = ["complaint"] * 75 + ["information_request"] * 15 + ["suggestion"] * 10
ZONES = ["Asia/Jakarta"] * 6 + ["Asia/Makassar"] * 3 + ["Asia/Jayapura"]

COMPLAINT_COLUMNS = [
    "id", "created_at", "updated_at", "tracking_number", "access_code_hash", "kind", "title",
    "body", "scope_path", "incident_date", "location_text", "region", "channel",
    "reporter_name", "reporter_email", "reporter_phone", "is_anonymous", "is_confidential",
    "status", "tier", "archive_reason", "version", "submitted_at", "verified_at",
    "first_response_at", "resolved_at", "closed_at", "archived_at", "reopen_count",
    "clock_cycle", "verify_due_at", "verify_remaining_days", "response_due_at",
    "resolution_due_at", "reporter_reply_due_at", "reporter_info_due_at", "hard_ceiling_at",
    "current_clock", "current_due_at", "escalation_level", "resolution_escalation_level",
    "ceiling_escalation_level", "rating", "rating_comment",
    "rated_at", "lapor_id", "agency_id", "assignee_id", "category_id", "reporter_id", "unit_id",
    "language",
]  # fmt: skip

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_SPACE = len(TRACKING_ALPHABET) ** 12
# Multiplying by a number coprime to the space is a bijection: unique, non-sequential numbers.
TRACKING_MULTIPLIER = 7_919_000_000_019  # not a multiple of 31


def tracking_number_for(complaint_id: int) -> str:
    value = (complaint_id * TRACKING_MULTIPLIER + 977) % TRACKING_SPACE
    chars = []
    for _ in range(12):
        value, rem = divmod(value, 31)
        chars.append(TRACKING_ALPHABET[rem])
    return "".join(chars)


def marker_name(n_complaints: int, n_agencies: int, overdue_fraction: float) -> str:
    return f"bench-seed:{n_complaints}:{n_agencies}:{overdue_fraction:g}"


def ensure_bench_data(
    n_complaints: int = 1_000_000,
    n_agencies: int = 100,
    overdue_fraction: float = 0.05,
    *,
    verbose: bool = False,
) -> dict[str, Any]:
    """Seed the bench database unless it already holds this data set; return handy ids."""
    from django.db import connection

    from complaints.models import SweepRun

    marker = marker_name(n_complaints, n_agencies, overdue_fraction)
    with connection.cursor() as cur:
        # Session-level lock: a second caller waits here and then finds the marker.
        cur.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
    try:
        # Other areas add migrations over time; bring a reused database up to date first.
        from django.core.management import call_command

        call_command("migrate", "--noinput", verbosity=0)
        _restore_indexes()
        if not SweepRun.objects.filter(name=marker, last_success_at__isnull=False).exists():
            started = time.monotonic()
            _wipe(verbose=verbose)
            _seed(n_complaints, n_agencies, overdue_fraction, verbose=verbose)
            from django.utils import timezone

            SweepRun.objects.update_or_create(
                name=marker, defaults={"last_success_at": timezone.now()}
            )
            if verbose:
                print(f"seeded {n_complaints} complaints in {time.monotonic() - started:.1f} s")
        return _handy_ids(n_complaints, n_agencies)
    finally:
        with connection.cursor() as cur:
            cur.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])


# ---------------------------------------------------------------------------------------------


def vacuum_analyze(*tables: str) -> None:
    """VACUUM (ANALYZE) the given tables (every table when none is named).

    A benchmark that rolls its writes back leaves dead row versions and index entries behind;
    in a running system autovacuum removes them within minutes. Benchmarks call this so each
    one measures that steady state, not the debris of the benchmark that ran before it."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE) " + ", ".join(tables))


def _log(verbose: bool, message: str, started: float) -> None:
    if verbose:
        print(f"[{time.monotonic() - started:6.1f} s] {message}", flush=True)


def _restore_indexes() -> None:
    from django.db import connection

    from complaints.models import SweepRun

    saved = SweepRun.objects.filter(name=DROPPED_INDEXES).first()
    if saved is None:
        return
    with connection.cursor() as cur:
        for sql in filter(None, saved.last_error.splitlines()):
            cur.execute(sql.replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", 1))
    saved.delete()


def _wipe(*, verbose: bool) -> None:
    """Empty the complaint domain (any earlier seed, of any size) and the bench users."""
    from django.db import connection

    tables = [
        "complaints_notification",
        "complaints_followup",
        "complaints_escalation",
        "complaints_attachment",
        "complaints_response",
        "complaints_complaintevent",
        "complaints_complaintagencyhistory",
        "complaints_complaint",
        "complaints_calendarday",
        "complaints_slapolicy",
        "complaints_cannedresponse",
        "complaints_category",
        "complaints_membership",
        "complaints_sweeprun",
    ]
    existing = set(connection.introspection.table_names())
    extra = [
        t
        for t in existing
        if t.startswith("focal_points_") and t not in {"focal_points_coordinationgroup"}
    ]
    with connection.cursor() as cur:
        todo = [t for t in tables if t in existing] + sorted(extra)
        todo.append("focal_points_coordinationgroup")
        todo.append("complaints_agency")
        cur.execute(f"TRUNCATE {', '.join(t for t in todo if t in existing)} CASCADE")
    from accounts.models import User

    User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").delete()


def _seed(n_complaints: int, n_agencies: int, overdue_fraction: float, *, verbose: bool) -> None:
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from accounts.models import User
    from complaints.models import Agency, Category, Membership, Role, SlaPolicy, SweepRun
    from focal_points.models import CoordinationGroup, FocalPoint
    from focal_points.services import coordination_group_sync

    started = time.monotonic()
    rng = random.Random(20260817)
    password_hash = make_password(BENCH_PASSWORD)
    with transaction.atomic():
        SlaPolicy.objects.create(name="Kebijakan nasional (bench)")
        agencies = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"Instansi Bench {i:03d}",
                    short_name=f"IB{i:03d}",
                    slug=f"bench-{i:03d}",
                    kind=Agency.Kind.BODY,
                    time_zone=ZONES[i % len(ZONES)],
                    responses_need_approval=i % 3 != 0,
                )
                for i in range(1, n_agencies + 1)
            ]
        )
        for a in agencies:
            a.path = f"{a.pk}/"
        Agency.objects.bulk_update(agencies, ["path"])
        units = Agency.objects.bulk_create(
            [
                Agency(
                    name=f"Unit {u} Instansi Bench {i:03d}",
                    short_name=f"IB{i:03d}-U{u}",
                    slug=f"bench-{i:03d}-unit-{u}",
                    kind=Agency.Kind.UNIT,
                    parent=a,
                    time_zone=a.time_zone,
                    responses_need_approval=a.responses_need_approval,
                )
                for i, a in enumerate(agencies, start=1)
                for u in (1, 2, 3)
            ]
        )
        for u in units:
            u.path = f"{u.parent_id}/{u.pk}/"
        Agency.objects.bulk_update(units, ["path"])
        units_by_agency: dict[int, list[Agency]] = {}
        for u in units:
            units_by_agency.setdefault(u.parent_id, []).append(u)
        categories = Category.objects.bulk_create(
            [
                Category(
                    agency=a,
                    name=name,
                    name_en=name,
                    slug=f"kategori-{n}",
                    default_tier=tier,
                    ordering=n,
                )
                for a in agencies
                for n, (name, tier) in enumerate(CATEGORIES, start=1)
            ]
        )
        cats_by_agency: dict[int, list[Category]] = {}
        for c in categories:
            cats_by_agency.setdefault(c.agency_id, []).append(c)

        roles = [
            ("verifier", Role.VERIFIER),
            ("officer", Role.OFFICER),
            ("approver", Role.APPROVER),
            ("focal", Role.FOCAL_POINT),
        ]
        users = [
            User(
                email=f"{prefix}-{i:03d}@{EMAIL_DOMAIN}",
                full_name=f"{prefix.title()} {i:03d}",
                password=password_hash,
            )
            for i in range(1, n_agencies + 1)
            for prefix, _role in roles
        ]
        users += [
            User(email=f"coordinator@{EMAIL_DOMAIN}", full_name="Koordinator Bench"),
            User(
                email=f"admin@{EMAIL_DOMAIN}",
                full_name="Admin Nasional Bench",
                is_national_admin=True,
                is_staff=True,
                is_superuser=True,
            ),
            User(email=f"reporter@{EMAIL_DOMAIN}", full_name="Pelapor Bench"),
        ]
        for u in users[-3:]:
            u.password = password_hash
        users = User.objects.bulk_create(users)
        by_email = {u.email: u for u in users}
        memberships = []
        focal_points = []
        officers: dict[int, int] = {}
        for i, a in enumerate(agencies, start=1):
            for prefix, role in roles:
                user = by_email[f"{prefix}-{i:03d}@{EMAIL_DOMAIN}"]
                memberships.append(Membership(user=user, agency=a, role=role))
                if role == Role.FOCAL_POINT:
                    focal_points.append(FocalPoint(user=user, agency=a, position="Focal point"))
                if role == Role.OFFICER:
                    officers[a.pk] = user.pk
        Membership.objects.bulk_create(memberships)
        FocalPoint.objects.bulk_create(focal_points)
        group = CoordinationGroup.objects.create(name="Bench: semua instansi")
        group.agencies.set(agencies)
        group.coordinators.set([by_email[f"coordinator@{EMAIL_DOMAIN}"]])
        coordination_group_sync(group=group)
    _log(verbose, f"{n_agencies} agencies, {len(users)} users", started)

    reporter_id = by_email[f"reporter@{EMAIL_DOMAIN}"].pk
    with connection.cursor() as cur:
        cur.execute("SELECT COALESCE(MAX(id), 0) FROM complaints_complaint")
        first_id = cur.fetchone()[0] + 1
    dropped = _drop_secondary_indexes()
    _log(verbose, f"dropped {len(dropped)} secondary indexes", started)
    plan = _Plan(
        rng=rng,
        agencies=agencies,
        units_by_agency=units_by_agency,
        cats_by_agency=cats_by_agency,
        officers=officers,
        reporter_id=reporter_id,
        overdue_fraction=overdue_fraction,
    )
    columns = ", ".join(COMPLAINT_COLUMNS)
    try:
        with connection.cursor() as cur:
            # Foreign keys are deferred triggers: with replica role they do not fire, which
            # spares a queue of one trigger event per row and column (ids are valid by build).
            cur.execute("SET session_replication_role = replica")
            # Leave room on every page for a new version of its rows, as complaints 0004 does:
            # COPY would otherwise fill the pages to 100 % and no update could stay on its page
            # (HOT), so the benchmarks would not measure the table a deployment has.
            cur.execute("ALTER TABLE complaints_complaint SET (fillfactor = 85)")
            done = 0
            while done < n_complaints:
                size = min(CHUNK, n_complaints - done)
                buf = io.StringIO()
                buf.writelines(plan.row(first_id + done + k) for k in range(size))
                buf.seek(0)
                cur.copy_expert(f"COPY complaints_complaint ({columns}) FROM STDIN", buf)
                done += size
                _log(verbose, f"copied {done} complaints", started)
            cur.execute("SET session_replication_role = origin")
    finally:
        with connection.cursor() as cur:
            cur.execute("SET session_replication_role = origin")
            cur.execute("SET maintenance_work_mem = '256MB'")
            for sql in dropped:
                cur.execute(sql)
        SweepRun.objects.filter(name=DROPPED_INDEXES).delete()
        with connection.cursor() as cur:
            _log(verbose, f"rebuilt {len(dropped)} indexes", started)
            cur.execute(
                "SELECT setval(pg_get_serial_sequence('complaints_complaint', 'id'), "
                "GREATEST((SELECT MAX(id) FROM complaints_complaint), 1))"
            )
    _event_complaints(agencies[0], units_by_agency[agencies[0].pk][0], by_email, first_id, rng)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    _log(verbose, "events and ANALYZE done", started)


def _drop_secondary_indexes() -> list[str]:
    """Drop the complaint table's plain indexes (not the primary key or unique constraints)
    and return the statements that recreate them: building an index once after the load is
    several times faster than maintaining it row by row."""
    from django.db import connection

    from complaints.models import SweepRun

    with connection.cursor() as cur:
        cur.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename = 'complaints_complaint' AND i.schemaname = current_schema()
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname
              )
            """
        )
        rows = cur.fetchall()
    # Remembered in the database, so a seed killed halfway is repaired by the next call.
    SweepRun.objects.update_or_create(
        name=DROPPED_INDEXES, defaults={"last_error": "\n".join(d for _n, d in rows)}
    )
    with connection.cursor() as cur:
        for name, _definition in rows:
            cur.execute(f'DROP INDEX IF EXISTS "{name}"')
    return [definition for _name, definition in rows]


class _Plan:
    """Generates one complaint row (PostgreSQL COPY text format) per id."""

    def __init__(
        self,
        *,
        rng: random.Random,
        agencies,
        units_by_agency,
        cats_by_agency,
        officers,
        reporter_id: int,
        overdue_fraction: float,
    ) -> None:
        from complaints.services import access_code_hash

        self.rng = rng
        self.now = dt.datetime.now(tz=dt.UTC).replace(microsecond=0)
        self.code_hash = access_code_hash(BENCH_ACCESS_CODE)
        weights = [1 / (i**0.8) for i in range(1, len(agencies) + 1)]
        self.agency_pool = rng.choices(agencies, weights=weights, k=50_000)
        self.units = {a: list(us) for a, us in units_by_agency.items()}
        self.cats = cats_by_agency
        self.officers = officers
        self.reporter_id = reporter_id
        self.statuses = [s for s, w in STATUS_MIX for _ in range(w)]
        open_share = sum(w for s, w in STATUS_MIX if s in OPEN) / 100
        self.overdue_given_open = min(1.0, overdue_fraction / open_share)
        self.titles = [t.format(place=p) for t in TITLES for p in PLACES]
        self.reporters_left = 50

    @staticmethod
    def _ts(value: dt.datetime | None) -> str:
        return value.isoformat() if value else "\\N"

    def row(self, pk: int) -> str:
        rng = self.rng
        status = self.statuses[rng.randrange(100)]
        triage = rng.random() < 0.01 and status in ("submitted", "archived")
        now = self.now
        day = dt.timedelta(days=1)
        ts = self._ts
        agency = None if triage else self.agency_pool[pk % 50_000]
        unit = None
        if agency is not None and status in ROUTED and rng.random() < 0.8:
            unit = self.units[agency.pk][pk % 3]
        category = rng.choice(self.cats[agency.pk]) if agency is not None else None
        tier = category.default_tier if category else "standard"
        verified_at = first_response_at = resolved_at = closed_at = archived_at = None
        verify_due = response_due = resolution_due = reply_due = info_due = ceiling = None
        remaining = "\\N"
        current_clock, current_due = "", None
        rating = rated_at = None
        archive_reason = ""
        assignee_id = None
        if status in OPEN:
            overdue = rng.random() < self.overdue_given_open
            if overdue:
                current_due = now - day * rng.uniform(0.05, 20)
            else:
                current_due = now + day * rng.uniform(0.2, 10)
            if status == "submitted":
                submitted = current_due - day * 4.2
                verify_due, current_clock = current_due, "verify"
            elif status == "needs_info":
                submitted = current_due - day * rng.uniform(15, 20)
                info_due, current_clock = current_due, "reporter_info"
                remaining = str(rng.randint(1, 3))
            elif status == "awaiting_reporter":
                first_response_at = current_due - day * 14
                verified_at = first_response_at - day * rng.uniform(1, 7)
                submitted = verified_at - day * rng.uniform(0.1, 4)
                reply_due, current_clock = current_due, "reporter_reply"
            else:
                verified_at = current_due - day * 7
                submitted = verified_at - day * rng.uniform(0.1, 4)
                response_due, current_clock = current_due, "response"
            if verified_at is not None:
                verify_due = submitted + day * 4.2
                ceiling = verified_at + day * 60
                resolution_due = min(verified_at + day * 20, ceiling)
                if response_due is None:
                    response_due = verified_at + day * 7
        else:
            submitted = now - day * rng.uniform(3, 730)
            verify_due = submitted + day * 4.2
            if status == "archived":
                archived_at = submitted + day * rng.uniform(0.1, 6)
                archive_reason = ARCHIVE_REASONS[pk % 3]
            else:
                verified_at = submitted + day * rng.uniform(0.1, 4)
                first_response_at = verified_at + day * rng.uniform(0.5, 9)
                closed_at = first_response_at + day * rng.uniform(0.5, 14)
                resolved_at = closed_at
                ceiling = verified_at + day * 60
                response_due = verified_at + day * 7
                resolution_due = min(verified_at + day * 20, ceiling)
                if rng.random() < 0.4:
                    rating = rng.choice((1, 2, 3, 4, 4, 5, 5, 5))
                    rated_at = closed_at + day * 0.5
        if status in ("in_progress", "awaiting_reporter", "closed") and agency is not None:
            assignee_id = self.officers[agency.pk]
        if submitted > now:
            submitted = now - day * 0.1
        kind = KINDS[pk % 100]
        if kind == "information_request":
            tier = "information"
        channel = CHANNELS[(pk * 7) % 100]
        anonymous = rng.random() < 0.08
        confidential = rng.random() < 0.04
        reporter_id = None
        if self.reporters_left and status == "closed" and agency is not None:
            reporter_id = self.reporter_id
            self.reporters_left -= 1
        name = NAMES[pk % len(NAMES)]
        place = PLACES[pk % len(PLACES)]
        scope_path = (unit.path if unit else agency.path) if agency else ""
        updated = max(
            x
            for x in (submitted, verified_at, first_response_at, closed_at, archived_at, rated_at)
            if x
        )
        reopen = 1 if status in ("in_progress", "closed") and pk % 17 == 0 else 0
        fields = (
            str(pk),
            ts(submitted),
            ts(updated),
            tracking_number_for(pk),
            self.code_hash,
            kind,
            self.titles[pk % len(self.titles)],
            BODIES[pk % len(BODIES)],
            scope_path,
            (submitted - day * 2).date().isoformat(),
            f"Kelurahan {pk % 97 + 1}, {place}",
            place,
            channel,
            name,
            f"pelapor{pk}@contoh.id" if pk % 3 else "",
            f"08{pk % 10**10:010d}" if pk % 2 else "",
            "t" if anonymous else "f",
            "t" if confidential else "f",
            status,
            tier,
            archive_reason,
            str(2 + (3 if verified_at else 0) + (2 if closed_at else 0)),
            ts(submitted),
            ts(verified_at),
            ts(first_response_at),
            ts(resolved_at),
            ts(closed_at),
            ts(archived_at),
            str(reopen),
            str(1 + reopen),
            ts(verify_due),
            remaining,
            ts(response_due),
            ts(resolution_due),
            ts(reply_due),
            ts(info_due),
            ts(ceiling),
            current_clock,
            ts(current_due),
            "0",
            "0",
            "0",
            str(rating) if rating else "\\N",
            "",
            ts(rated_at),
            f"LAPOR-{pk}" if channel == "lapor" else "",
            str(agency.pk) if agency else "\\N",
            str(assignee_id) if assignee_id else "\\N",
            str(category.pk) if category else "\\N",
            str(reporter_id) if reporter_id else "\\N",
            str(unit.pk) if unit else "\\N",
            "id" if pk % 10 else "en",
        )
        return "\t".join(fields) + "\n"


def _event_complaints(agency, unit, by_email: dict, first_id: int, rng: random.Random) -> None:
    """Give a few in_progress complaints of the first agency a 20-event timeline."""
    from django.db import transaction

    from complaints.models import Complaint, ComplaintEvent, EventType
    from focal_points.vocabulary import OversightEvent

    officer = by_email["officer-001@bench.aduan.id"]
    verifier = by_email["verifier-001@bench.aduan.id"]
    approver = by_email["approver-001@bench.aduan.id"]
    focal = by_email["focal-001@bench.aduan.id"]
    ids = list(
        Complaint.objects.filter(agency=agency, status="in_progress", id__gte=first_id)
        .order_by("id")
        .values_list("id", flat=True)[:EVENT_COMPLAINTS]
    )
    script = [
        (EventType.SUBMITTED, None, "submitted", True, ""),
        (EventType.VERIFIED, verifier, "verified", True, ""),
        (EventType.ROUTED, verifier, "assigned", True, ""),
        (EventType.TAKEN, officer, "in_progress", False, ""),
        (EventType.NOTE, officer, "in_progress", False, "Sudah dihubungi via telepon."),
        (EventType.NOTE, officer, "in_progress", False, "Menunggu data dari lapangan."),
        (EventType.DRAFT_SAVED, officer, "in_progress", False, ""),
        (EventType.DRAFT_RETURNED, approver, "in_progress", False, "Lengkapi dasar hukumnya."),
        (EventType.DRAFT_SAVED, officer, "in_progress", False, ""),
        (EventType.DRAFT_APPROVED, approver, "in_progress", False, ""),
        (EventType.RESPONSE_PUBLISHED, approver, "awaiting_reporter", True, "Sudah ditindak."),
        (EventType.OBJECTED, None, "in_progress", True, "Produk masih dijual."),
        (EventType.TAKEN, officer, "in_progress", False, ""),
        (EventType.NOTE, officer, "in_progress", False, "Pemeriksaan ulang dijadwalkan."),
        (OversightEvent.NUDGED, focal, "in_progress", False, "Mohon segera ditindaklanjuti."),
        (EventType.ESCALATED, None, "in_progress", False, ""),
        (EventType.ESCALATION_ACKNOWLEDGED, focal, "in_progress", False, ""),
        (EventType.NOTE, officer, "in_progress", False, "Hasil pemeriksaan diterima."),
        (EventType.DRAFT_SAVED, officer, "in_progress", False, ""),
        (EventType.NOTE, approver, "in_progress", False, "Draf sedang ditinjau."),
    ]
    assert len(script) == EVENTS_PER_COMPLAINT
    events = []
    for complaint_id in ids:
        moment = dt.datetime.now(tz=dt.UTC) - dt.timedelta(days=30)
        previous = ""
        for type_, actor, to_status, public, body in script:
            moment += dt.timedelta(hours=rng.uniform(2, 30))
            events.append(
                ComplaintEvent(
                    complaint_id=complaint_id,
                    type=type_,
                    actor=actor,
                    actor_label=actor.full_name if actor else "reporter",
                    from_status=previous,
                    to_status=to_status,
                    is_public=public,
                    body=body,
                    created_at=moment,
                )
            )
            previous = to_status
    with transaction.atomic():
        ComplaintEvent.objects.bulk_create(events)
        Complaint.objects.filter(id__in=ids).update(
            unit=unit, scope_path=unit.path, assignee=officer, reopen_count=1, clock_cycle=2
        )


def _handy_ids(n_complaints: int, n_agencies: int) -> dict[str, Any]:
    from django.db.models import Count

    from complaints.models import Agency, Complaint

    agency = Agency.objects.get(slug="bench-001")
    unit = Agency.objects.get(slug="bench-001-unit-1")
    event_ids = list(
        Complaint.objects.filter(agency=agency)
        .annotate(n=Count("events"))
        .filter(n__gte=EVENTS_PER_COMPLAINT, scope_path=unit.path, status="in_progress")
        .order_by("id")
        .values_list("id", flat=True)[:EVENT_COMPLAINTS]
    )
    complaint = Complaint.objects.only("tracking_number").get(pk=event_ids[0])
    return {
        "password": BENCH_PASSWORD,
        "verifier_email": f"verifier-001@{EMAIL_DOMAIN}",
        "officer_email": f"officer-001@{EMAIL_DOMAIN}",
        "approver_email": f"approver-001@{EMAIL_DOMAIN}",
        "focal_point_email": f"focal-001@{EMAIL_DOMAIN}",
        "coordinator_email": f"coordinator@{EMAIL_DOMAIN}",
        "admin_email": f"admin@{EMAIL_DOMAIN}",
        "reporter_email": f"reporter@{EMAIL_DOMAIN}",
        "agency_id": agency.pk,
        "agency_path": agency.path,
        "unit_id": unit.pk,
        "complaint_id": complaint.pk,
        "event_complaint_ids": event_ids,
        "tracking_number": complaint.tracking_number,
        "access_code": BENCH_ACCESS_CODE,
        "n_complaints": n_complaints,
        "n_agencies": n_agencies,
    }


def _create_database_if_missing(url: str) -> None:
    import environ
    import psycopg2
    from psycopg2 import sql

    cfg = environ.Env.db_url_config(url)
    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or "127.0.0.1",
        port=cfg.get("PORT") or 5432,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(cfg["NAME"])))
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Seed the benchmark database (never drops it).")
    parser.add_argument("--complaints", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=100)
    parser.add_argument("--overdue-fraction", type=float, default=0.05)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    _create_database_if_missing(
        os.environ.setdefault(
            "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/aduan_bench"
        )
    )
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)
    started = time.monotonic()
    ids = ensure_bench_data(args.complaints, args.agencies, args.overdue_fraction, verbose=True)
    print(f"ready in {time.monotonic() - started:.1f} s")
    for key, value in ids.items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
