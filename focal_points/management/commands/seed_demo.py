"""`manage.py seed_demo`: the demo data set, idempotent (a second run changes nothing).

Reference data (agencies, units, categories, the national SLA policy, a local day,
coordination groups, one user per role) is created with get_or_create. Complaints are filed
and moved through their lifecycle by the services themselves, with back-dated `now=`, so that
events, deadlines and clock states are what the running system would have produced; they are
created once, in one transaction, only while no demo complaint exists yet. A fixed random seed
makes every run produce the same story.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from complaints import services
from complaints.clock import WorkingCalendar, clear_calendar_cache
from complaints.models import (
    Agency,
    CalendarDay,
    Category,
    Channel,
    Clock,
    Complaint,
    Membership,
    Notification,
    Response,
    Role,
    SlaPolicy,
    Status,
)
from complaints.outbox import dispatch
from focal_points.management.commands import _demo_texts as T
from focal_points.models import CoordinationGroup
from focal_points.services.designations import coordination_group_sync, focal_point_designate

DEMO_PASSWORD = "aduan-demo-2026"  # noqa: S105 - printed for everyone: demo data only
DOMAIN = "aduan.example"
SEED = 20260817
STREETS = ["Jl. Melati", "Jl. Sudirman", "Pasar Baru", "Jl. Ahmad Yani", "Jl. Diponegoro"]

# (status, clock state) → weight. Clock states: on_track, due_soon, overdue, escalated; "" for
# finished complaints. Waiting-for-the-reporter clocks are never shown overdue: the sweeps would
# close or archive such complaints at once.
SCENARIOS: dict[tuple[str, str], int] = {
    (Status.SUBMITTED, "on_track"): 14,
    (Status.SUBMITTED, "due_soon"): 7,
    (Status.SUBMITTED, "overdue"): 6,
    (Status.SUBMITTED, "escalated"): 4,
    (Status.NEEDS_INFO, "on_track"): 7,
    (Status.NEEDS_INFO, "due_soon"): 4,
    (Status.VERIFIED, "on_track"): 6,
    (Status.VERIFIED, "due_soon"): 4,
    (Status.VERIFIED, "overdue"): 4,
    (Status.VERIFIED, "escalated"): 3,
    (Status.ASSIGNED, "on_track"): 8,
    (Status.ASSIGNED, "due_soon"): 5,
    (Status.ASSIGNED, "overdue"): 5,
    (Status.ASSIGNED, "escalated"): 4,
    (Status.IN_PROGRESS, "on_track"): 14,
    (Status.IN_PROGRESS, "due_soon"): 8,
    (Status.IN_PROGRESS, "overdue"): 8,
    (Status.IN_PROGRESS, "escalated"): 7,
    (Status.AWAITING_REPORTER, "on_track"): 15,
    (Status.AWAITING_REPORTER, "due_soon"): 8,
    (Status.CLOSED, ""): 100,
    (Status.ARCHIVED, ""): 30,
}
CLOCK_DAYS = {
    Status.SUBMITTED: "verify_days",
    Status.NEEDS_INFO: "reporter_info_days",
    Status.VERIFIED: "first_response_days",
    Status.ASSIGNED: "first_response_days",
    Status.IN_PROGRESS: "first_response_days",
    Status.AWAITING_REPORTER: "reporter_reply_days",
}


class Command(BaseCommand):
    help = "Create the demo agencies, users and complaints (idempotent)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--complaints", type=int, default=300, help="number of demo complaints (default 300)"
        )

    def handle(self, *args: Any, complaints: int = 300, **options: Any) -> None:
        with transaction.atomic():
            ref = _reference_data()
        clear_calendar_cache()
        if Complaint.objects.filter(
            Q(agency__in=ref.all_agencies) | Q(agency__isnull=True)
        ).exists():
            self.stdout.write("Demo complaints already exist; nothing to add.")
        else:
            before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
            with dispatch.publishing_held(), transaction.atomic():
                rng = random.Random(SEED)  # noqa: S311 - a reproducible demo, not a secret
                _Story(ref, rng).run(complaints)
                Notification.objects.filter(pk__gt=before, state=Notification.State.PENDING).update(
                    state=Notification.State.SENT, sent_at=timezone.now()
                )
            self.stdout.write(f"Created {complaints} demo complaints.")
        self.stdout.write(_sign_in_table(ref))


# ---------------------------------------------------------------------------------------------
# Reference data


class _Ref:
    """What the story needs: agencies, units, categories and staff by role."""

    def __init__(self) -> None:
        self.agencies: dict[str, Agency] = {}
        self.units: dict[str, list[Agency]] = {}
        self.categories: dict[str, list[Category]] = {}
        self.staff: dict[tuple[str, str], User] = {}
        self.unit_officers: dict[int, User] = {}
        self.printed: list[tuple[str, str, str]] = []
        self.all_agencies: list[Agency] = []
        self.reporter: User | None = None


@functools.cache
def _password_hash() -> str:
    # Hashed once: with PBKDF2 each hash costs about half a second, and every demo account
    # shares the one published password anyway.
    return make_password(DEMO_PASSWORD)


def _user(email: str, name: str, **extra: Any) -> User:
    user, _created = User.objects.get_or_create(
        email=email, defaults={"full_name": name, "password": _password_hash(), **extra}
    )
    return user


def _member(user: User, agency: Agency, role: str) -> None:
    Membership.objects.get_or_create(user=user, agency=agency, role=role)


def _agency(slug: str, name: str, short: str, kind: str, tz: str, approval: bool, parent=None):
    agency, _created = Agency.objects.get_or_create(
        slug=slug,
        defaults={
            "name": name,
            "short_name": short,
            "kind": kind,
            "time_zone": tz,
            "responses_need_approval": approval,
            "parent": parent,
        },
    )
    return agency


def _reference_data() -> _Ref:
    ref = _Ref()
    SlaPolicy.objects.get_or_create(
        agency=None,
        category=None,
        is_active=True,
        defaults={"name": "Kebijakan nasional (bawaan)"},
    )
    for slug, name, short, kind, tz, approval, units, categories in [T.BPOM, *T.GROUP_AGENCIES]:
        agency = _agency(slug, name, short, kind, tz, approval)
        ref.agencies[slug] = agency
        ref.units[slug] = []
        for unit_spec in units:
            unit_slug, unit_name, unit_short = unit_spec[:3]
            unit_tz = unit_spec[3] if len(unit_spec) > 3 else tz
            unit = _agency(unit_slug, unit_name, unit_short, "unit", unit_tz, approval, agency)
            ref.units[slug].append(unit)
        ref.categories[slug] = []
        for order, (cat_slug, cat_name, cat_en, tier) in enumerate(categories, start=1):
            category, _created = Category.objects.get_or_create(
                agency=agency,
                slug=cat_slug,
                defaults={
                    "name": cat_name,
                    "name_en": cat_en,
                    "default_tier": tier,
                    "ordering": order,
                },
            )
            ref.categories[slug].append(category)
    bpom = ref.agencies["bpom"]
    oos_slug, oos_name, oos_en, guidance, guidance_en = T.BPOM_OUT_OF_SCOPE
    Category.objects.get_or_create(
        agency=bpom,
        slug=oos_slug,
        defaults={
            "name": oos_name,
            "name_en": oos_en,
            "out_of_scope_guidance": guidance,
            "out_of_scope_guidance_en": guidance_en,
            "ordering": 99,
        },
    )
    # A demo seeded before the English guidance existed gets it; an admin's own text stays.
    Category.objects.filter(agency=bpom, slug=oos_slug, out_of_scope_guidance_en="").update(
        out_of_scope_guidance_en=guidance_en
    )
    polkam = _agency(*T.KEMENKOPOLKAM, "ministry", "Asia/Jakarta", True)
    ombudsman = _agency(*T.OMBUDSMAN, "body", "Asia/Jakarta", True)
    ref.all_agencies = [*ref.agencies.values(), polkam, ombudsman]

    # National holidays and cuti bersama come from the `holidays` package (complaints.clock).
    local_slug, local_day, local_name = T.LOCAL_DAY
    CalendarDay.objects.get_or_create(
        date=dt.date.fromisoformat(local_day),
        kind=CalendarDay.Kind.LOCAL,
        agency=ref.agencies[local_slug],
        defaults={"name": local_name},
    )

    base = settings.ADUAN_PUBLIC_BASE_URL.rstrip("/")
    admin = _user(
        f"admin@{DOMAIN}",
        "Admin Nasional",
        is_staff=True,
        is_superuser=True,
        is_national_admin=True,
    )
    ref.printed.append((admin.email, "Admin nasional (superuser)", f"{base}/admin/"))
    # Staff of every agency: a verifier, an approver and an officer per unit.
    for slug, agency in ref.agencies.items():
        verifier = _user(f"verifikator.{slug}@{DOMAIN}", f"Verifikator {agency.short_name}")
        approver = _user(f"penyetuju.{slug}@{DOMAIN}", f"Pejabat Penghubung {agency.short_name}")
        _member(verifier, agency, Role.VERIFIER)
        _member(approver, agency, Role.APPROVER)
        ref.staff[(slug, Role.VERIFIER)] = verifier
        ref.staff[(slug, Role.APPROVER)] = approver
        for unit in ref.units[slug]:
            officer = _user(f"petugas.{unit.slug}@{DOMAIN}", f"Petugas {unit.short_name}")
            _member(officer, unit, Role.OFFICER)
            ref.unit_officers[unit.pk] = officer
    focal = _user(f"focal.bpom@{DOMAIN}", "Focal Point BPOM")
    focal_point_designate(
        user=focal, agency=bpom, position="Koordinator Pengaduan Konsumen", phone="1500533"
    )
    ref.staff[("bpom", Role.FOCAL_POINT)] = focal

    polkam_user = _user(f"koordinator.polkam@{DOMAIN}", "Koordinator Kemenko Polkam")
    group, _created = CoordinationGroup.objects.get_or_create(
        name="Kemenko Polkam", defaults={"lead_agency": polkam}
    )
    group.agencies.add(*[ref.agencies[spec[0]] for spec in T.GROUP_AGENCIES])
    group.coordinators.add(polkam_user)
    coordination_group_sync(group=group)

    liaison = _user(f"penghubung.ombudsman@{DOMAIN}", "Penghubung Ombudsman RI")
    og, _created = CoordinationGroup.objects.get_or_create(
        name="Ombudsman RI", defaults={"lead_agency": ombudsman}
    )
    og.agencies.add(*[ref.agencies[slug] for slug in T.OMBUDSMAN_AGENCIES])
    og.coordinators.add(liaison)
    coordination_group_sync(group=og)

    ref.reporter = _user(f"pelapor@{DOMAIN}", "Rina Marlina", phone="081298765432")
    jakarta = ref.units["bpom"][0]
    ref.printed += [
        (f"verifikator.bpom@{DOMAIN}", "Verifikator BPOM", f"{base}/staf/"),
        (
            f"petugas.{jakarta.slug}@{DOMAIN}",
            "Petugas unit, Balai Besar POM di Jakarta",
            f"{base}/staf/",
        ),
        (f"penyetuju.bpom@{DOMAIN}", "Pejabat penghubung (penyetuju) BPOM", f"{base}/staf/"),
        (focal.email, "Focal point BPOM", f"{base}/focal/"),
        (polkam_user.email, "Koordinator Kemenko Polkam (10 instansi)", f"{base}/focal/"),
        (liaison.email, "Penghubung Ombudsman RI (BPOM dan 4 instansi)", f"{base}/focal/"),
        (f"verifikator.komdigi@{DOMAIN}", "Verifikator Komdigi", f"{base}/staf/"),
        (ref.reporter.email, "Pelapor terdaftar", f"{base}/akun/"),
    ]
    return ref


def _sign_in_table(ref: _Ref) -> str:
    rows = [
        ("Email", "Kata sandi", "Peran", "Mulai dari"),
        *[(e, DEMO_PASSWORD, r, u) for e, r, u in ref.printed],
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    line = "+".join("-" * (w + 2) for w in widths)
    out = ["", "Akun demo (semua dengan kata sandi yang sama):", f"+{line}+"]
    for n, row in enumerate(rows):
        out.append("| " + " | ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)) + " |")
        if n == 0:
            out.append(f"+{line}+")
    out.append(f"+{line}+")
    out.append(
        "Staf lain: verifikator.<instansi>, penyetuju.<instansi>, petugas.<unit> "
        f"@{DOMAIN} (lihat /admin/)."
    )
    return "\n".join(out) + "\n"


# ---------------------------------------------------------------------------------------------
# Complaints


class _Story:
    """Files complaints and drives each through the services to its target status and clock
    state, every step at a back-dated moment."""

    def __init__(self, ref: _Ref, rng: random.Random) -> None:
        self.ref = ref
        self.rng = rng
        self.now = timezone.now()
        self.policy = services.sla_policy_for(agency=None)
        self.open_by_agency: dict[int, list[int]] = {}

    # -- time ---------------------------------------------------------------------------------

    def _reference_day(self, cal: WorkingCalendar) -> dt.date:
        """The latest working day whose morning lies safely in the past: today after 15:00
        local time, else the previous working day."""
        local = self.now.astimezone(cal.tz)
        if cal.is_working_day(local.date()) and local.hour >= 15:
            return local.date()
        return cal.previous_working_day(local.date())

    def _day_back(self, cal: WorkingCalendar, day: dt.date, n: int) -> dt.date:
        for _ in range(n):
            day = cal.previous_working_day(day)
        return day

    def _morning(self, cal: WorkingCalendar, day: dt.date) -> dt.datetime:
        minutes = self.rng.randint(8 * 60, 11 * 60)
        return dt.datetime.combine(day, dt.time(minutes // 60, minutes % 60), tzinfo=cal.tz)

    def _after(self, moment: dt.datetime, low: int = 15, high: int = 90) -> dt.datetime:
        later = moment + dt.timedelta(minutes=self.rng.randint(low, high))
        return max(min(later, self.now - dt.timedelta(minutes=1)), moment + dt.timedelta(seconds=1))

    def _days_after(self, cal: WorkingCalendar, moment: dt.datetime, n: int) -> dt.datetime:
        day = cal.local_date(moment)
        for _ in range(n):
            day = cal.next_working_day(day)
        return (
            max(self._morning(cal, day), moment + dt.timedelta(minutes=5))
            if n
            else self._after(moment)
        )

    # -- plan -----------------------------------------------------------------------------------

    def run(self, n: int) -> None:
        keys = list(SCENARIOS)
        weights = [SCENARIOS[k] for k in keys]
        # Every scenario at least once, the rest drawn by weight.
        plan = keys[: min(n, len(keys))] + self.rng.choices(
            keys, weights=weights, k=max(0, n - len(keys))
        )
        for i, (status, state) in enumerate(plan):
            self._one(i, status, state)

    def _pick_agency(self, i: int) -> str | None:
        if i % 37 == 5:
            return None  # national triage
        if self.rng.random() < 0.45:
            return "bpom"
        return self.rng.choice([spec[0] for spec in T.GROUP_AGENCIES])

    def _one(self, i: int, status: str, state: str) -> None:
        rng = self.rng
        slug = self._pick_agency(i)
        if slug is None and status not in (Status.SUBMITTED, Status.ARCHIVED):
            slug = "bpom"
        agency = self.ref.agencies[slug] if slug else None
        if agency is not None:
            category = rng.choice(self.ref.categories[slug])
            kind, title, body = rng.choice(T.TEXTS[category.slug])
            unit = rng.choice(self.ref.units[slug])
        else:
            category, unit = None, None
            kind, title, body = rng.choice(T.TRIAGE_TEXTS)
        place = rng.choice(T.PLACES)
        title, body = title.format(place=place), body.format(place=place)
        cal = WorkingCalendar.for_agency(agency)
        ref_day = self._reference_day(cal)
        length = getattr(self.policy, CLOCK_DAYS[status]) if status in CLOCK_DAYS else 0
        if state == "on_track":
            back = rng.randint(0, max(0, length - 3))
        elif state == "due_soon":
            back = max(0, length - 1)
        elif state == "overdue":
            back = length + rng.randint(1, 3)
        elif state == "escalated":
            back = length + rng.randint(5, 9)
        else:
            back = rng.randint(length + 12, 60)
        anchor = self._morning(cal, self._day_back(cal, ref_day, back))
        ctx = _Ctx(self, i, agency, unit, category, cal, anchor)
        ctx.file_kwargs = self._filing(i, agency, category, kind, title, body, place)
        flow = {
            Status.SUBMITTED: ctx.flow_submitted,
            Status.NEEDS_INFO: ctx.flow_needs_info,
            Status.VERIFIED: ctx.flow_verified,
            Status.ASSIGNED: ctx.flow_assigned,
            Status.IN_PROGRESS: ctx.flow_in_progress,
            Status.AWAITING_REPORTER: ctx.flow_awaiting,
            Status.CLOSED: ctx.flow_closed,
            Status.ARCHIVED: ctx.flow_archived,
        }[status]
        flow()
        if state == "escalated":
            ctx.escalate()
        c = ctx.complaint
        if c.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS) and agency:
            self.open_by_agency.setdefault(agency.pk, []).append(c.pk)

    def _filing(self, i, agency, category, kind, title, body, place) -> dict[str, Any]:
        rng = self.rng
        name = rng.choice(T.NAMES)
        roll = rng.random()
        channel = (
            Channel.WEB
            if roll < 0.62
            else Channel.API
            if roll < 0.7
            else Channel.OPEN311
            if roll < 0.76
            else Channel.LAPOR
            if roll < 0.88
            else Channel.WALK_IN
            if roll < 0.94
            else Channel.PHONE
        )
        if agency is None and channel in (Channel.WALK_IN, Channel.PHONE):
            channel = Channel.WEB
        actor = None
        if channel in (Channel.WALK_IN, Channel.PHONE):
            actor = self.ref.staff[(agency.slug, Role.VERIFIER)]
        elif channel == Channel.WEB and i % 9 == 0:
            actor = self.ref.reporter
            name = actor.full_name
        email_name = name.lower().replace(" ", ".")
        return {
            "actor": actor,
            "kind": kind,
            "title": title,
            "body": body,
            "agency": agency,
            "category": category,
            "location_text": f"{rng.choice(STREETS)}, {place}",
            "region": place,
            "channel": channel,
            "reporter_name": name,
            "reporter_email": ""
            if actor is self.ref.reporter
            else (f"{email_name}{i}@example.com" if rng.random() < 0.85 else ""),
            "reporter_phone": f"08{rng.randint(11, 99)}{rng.randint(10_000_000, 99_999_999)}",
            "is_anonymous": rng.random() < 0.1,
            "is_confidential": rng.random() < 0.07,
            "language": "en" if i % 23 == 0 else "id",
        }


class _Ctx:
    """One complaint's journey."""

    def __init__(self, story: _Story, i, agency, unit, category, cal, anchor) -> None:
        self.s = story
        self.i = i
        self.agency = agency
        self.unit = unit
        self.category = category
        self.cal = cal
        self.anchor = anchor
        self.complaint: Complaint | None = None
        self.file_kwargs: dict[str, Any] = {}
        self.response: Response | None = None

    # staff of the complaint's agency
    def _staff(self, role: str) -> User:
        return self.s.ref.staff[(self.agency.slug, role)]

    @property
    def officer(self) -> User:
        return self.s.ref.unit_officers[self.unit.pk]

    def _before(self, moment: dt.datetime, max_days: int = 2) -> dt.datetime:
        """A moment 0..max_days working days before `moment` (mornings), strictly earlier."""
        rng = self.s.rng
        n = rng.randint(0, max_days)
        if n == 0:
            return moment - dt.timedelta(minutes=rng.randint(30, 120))
        day = self.s._day_back(self.cal, self.cal.local_date(moment), n)
        return self.s._morning(self.cal, day)

    def _refresh(self) -> Complaint:
        self.complaint = Complaint.objects.get(pk=self.complaint.pk)
        return self.complaint

    # -- steps ----------------------------------------------------------------------------------

    def file(self, at: dt.datetime) -> None:
        self.complaint, _code = services.complaint_submit(now=at, **self.file_kwargs)
        # The row's own creation time is the wall clock; the demo's story says it was filed
        # at `at`, and lists sorted or filtered by filing date read created_at.
        Complaint.objects.filter(pk=self.complaint.pk).update(created_at=at)
        self.complaint.created_at = at
        self.t = at

    def verify(self, at: dt.datetime) -> None:
        extra = {}
        if self.i % 41 == 7:
            extra["is_confidential"] = True  # the verifier protects a sensitive complaint
        services.complaint_verify(
            complaint_id=self.complaint.pk, actor=self._staff(Role.VERIFIER), now=at, **extra
        )
        self.t = at

    def route(self, at: dt.datetime) -> None:
        services.complaint_route(
            complaint_id=self.complaint.pk, actor=self._staff(Role.VERIFIER), unit=self.unit, now=at
        )
        self.t = at

    def take(self, at: dt.datetime) -> None:
        services.complaint_take(complaint_id=self.complaint.pk, actor=self.officer, now=at)
        self.t = at

    def note(self, at: dt.datetime) -> None:
        services.complaint_note(
            complaint_id=self.complaint.pk,
            actor=self.officer,
            body=self.s.rng.choice(T.NOTES),
            now=at,
        )
        self.t = at

    def draft(self, at: dt.datetime) -> None:
        text = self.s.rng.choice(T.DRAFT_ANSWERS).format(date=_id_date(self.cal.local_date(at)))
        self.response = services.response_draft(
            complaint_id=self.complaint.pk, actor=self.officer, body=text, now=at
        )
        self.t = at

    def approve_and_publish(self, at: dt.datetime) -> None:
        approver = self._staff(Role.APPROVER)
        if self.agency.responses_need_approval:
            services.response_approve(response_id=self.response.pk, actor=approver, now=at)
            at = self.s._after(at, 5, 30)
            services.response_publish(response_id=self.response.pk, actor=approver, now=at)
        else:
            services.response_publish(response_id=self.response.pk, actor=self.officer, now=at)
        self.t = at

    def work_until_published(self, publish_at: dt.datetime) -> None:
        """verify → route → take → draft before `publish_at`, then publish at it."""
        verify_at = self._before(publish_at, 4)
        self.file(self._before(verify_at, 2))
        self.verify(verify_at)
        self.route(self.s._after(verify_at))
        self.take(self.s._after(self.t))
        self.draft(
            self.s._after(self.t, 30, 240)
            if publish_at - self.t > dt.timedelta(hours=5)
            else self.s._after(self.t, 1, 5)
        )
        if self.t >= publish_at:
            publish_at = self.s._after(self.t, 1, 10)
        self.approve_and_publish(publish_at)

    # -- flows by target status -----------------------------------------------------------------

    def flow_submitted(self) -> None:
        if self.agency is not None and self.i % 5 == 0:
            # Filed at the wrong agency first and forwarded (still unverified).
            wrong = self._wrong_agency()
            self.file_kwargs["agency"] = wrong
            self.file_kwargs["category"] = None
            if self.file_kwargs["channel"] in (Channel.WALK_IN, Channel.PHONE):
                self.file_kwargs["channel"] = Channel.WEB
                self.file_kwargs["actor"] = None
            self.file(self._before(self.anchor, 1))
            services.complaint_forward(
                complaint_id=self.complaint.pk,
                actor=self.s.ref.staff[(wrong.slug, Role.VERIFIER)],
                agency=self.agency,
                reason="Bukan wewenang kami; pengawasan produk ini dilakukan instansi tujuan.",
                now=self.anchor,
            )
            return
        self.file(self.anchor)

    def flow_needs_info(self) -> None:
        self.file(self._before(self.anchor, 1))
        self._hold(self.anchor)

    def _hold(self, at: dt.datetime) -> None:
        services.complaint_hold_for_info(
            complaint_id=self.complaint.pk,
            actor=self._staff(Role.VERIFIER),
            message=self.s.rng.choice(T.HOLD_MESSAGES),
            now=at,
        )

    def flow_verified(self) -> None:
        if self.i % 4 == 0:
            # Verified at another agency, then forwarded: a new response clock here.
            wrong = self._wrong_agency()
            self.file_kwargs.update(agency=wrong, category=None)
            if self.file_kwargs["channel"] in (Channel.WALK_IN, Channel.PHONE):
                self.file_kwargs.update(channel=Channel.WEB, actor=None)
            verify_at = self._before(self.anchor, 2)
            self.file(self._before(verify_at, 1))
            services.complaint_verify(
                complaint_id=self.complaint.pk,
                actor=self.s.ref.staff[(wrong.slug, Role.VERIFIER)],
                now=verify_at,
            )
            services.complaint_forward(
                complaint_id=self.complaint.pk,
                actor=self.s.ref.staff[(wrong.slug, Role.VERIFIER)],
                agency=self.agency,
                reason="Pokok laporan menjadi kewenangan instansi tujuan.",
                now=max(self.anchor, verify_at + dt.timedelta(minutes=10)),
            )
            return
        self.file(self._before(self.anchor, 2))
        if self.i % 6 == 1:
            # Information was asked for and supplied before verification.
            hold_at = self.s._after(self.t, 20, 60)
            if hold_at < self.anchor - dt.timedelta(minutes=30):
                self._hold(hold_at)
                services.complaint_supply_info(
                    complaint_id=self.complaint.pk,
                    body=self.s.rng.choice(T.SUPPLY_MESSAGES),
                    now=hold_at + (self.anchor - hold_at) / 2,
                )
        self.verify(self.anchor)

    def flow_assigned(self) -> None:
        self.file(self._before(self.anchor, 2))
        self.verify(self.anchor)
        self.route(self.s._after(self.anchor))

    def flow_in_progress(self) -> None:
        if self.i % 4 == 3:
            # Answered, objected to by the reporter: reopened with a new response clock.
            publish_at = self._before(self.anchor, 3)
            if publish_at >= self.anchor:
                publish_at = self.anchor - dt.timedelta(hours=2)
            self.work_until_published(publish_at)
            services.complaint_reporter_object(
                complaint_id=self.complaint.pk,
                reason=self.s.rng.choice(T.OBJECTIONS),
                now=max(self.anchor, self.t + dt.timedelta(minutes=5)),
            )
            self.t = max(self.anchor, self.t + dt.timedelta(minutes=5))
            return
        self.file(self._before(self.anchor, 2))
        self.verify(self.anchor)
        self.route(self.s._after(self.anchor))
        self.take(self.s._after(self.t))
        if self.i % 3 == 0:
            self.note(self.s._after(self.t))
        if self.i % 3 == 1:
            # A draft waiting for the approver (or for publication).
            self.draft(self.s._after(self.t))

    def flow_awaiting(self) -> None:
        self.work_until_published(self.anchor)

    def flow_closed(self) -> None:
        rng = self.s.rng
        self.work_until_published(self.anchor)
        roll = rng.random()
        if roll < 0.15:
            # Objected once, answered again, then accepted.
            object_at = self.s._days_after(self.cal, self.t, 2)
            services.complaint_reporter_object(
                complaint_id=self.complaint.pk, reason=rng.choice(T.OBJECTIONS), now=object_at
            )
            self.t = object_at
            self.draft(self.s._days_after(self.cal, self.t, 2))
            self.approve_and_publish(self.s._after(self.t, 30, 120))
            roll = 0.0
        if roll < 0.75:
            accept_at = self.s._days_after(self.cal, self.t, rng.randint(0, 5))
            services.complaint_reporter_accept(complaint_id=self.complaint.pk, now=accept_at)
            if rng.random() < 0.8:
                services.complaint_rate(
                    complaint_id=self.complaint.pk,
                    rating=rng.choice([5, 5, 4, 4, 4, 3, 2, 1]),
                    comment=rng.choice(T.RATING_COMMENTS),
                    now=self.s._after(accept_at, 10, 600),
                )
        else:
            # The reporter stayed silent: closed by the system after the reply window.
            c = self._refresh()
            services.complaint_close(
                complaint_id=c.pk, now=c.reporter_reply_due_at + dt.timedelta(minutes=20)
            )

    def flow_archived(self) -> None:
        rng = self.s.rng
        roll = rng.random()
        if self.agency is None:
            self.file(self.anchor)
            services.complaint_archive(
                complaint_id=self.complaint.pk,
                actor=_national_admin(),
                reason=rng.choice(T.ARCHIVE_REASONS),
                now=self.s._days_after(self.cal, self.anchor, 1),
            )
            return
        if roll < 0.3:
            # Information was asked for and never came: archived by the system.
            self.file(self.anchor)
            hold_at = self.s._days_after(self.cal, self.anchor, 1)
            self._hold(hold_at)
            c = self._refresh()
            services.complaint_archive_silent(
                complaint_id=c.pk, now=c.reporter_info_due_at + dt.timedelta(minutes=30)
            )
            return
        open_ids = self.s.open_by_agency.get(self.agency.pk)
        if roll < 0.45 and open_ids:
            # A duplicate merged into an open complaint of the same agency.
            self.file(self.s._after(self.s._morning(self.cal, self.s._reference_day(self.cal))))
            services.complaint_merge(
                complaint_id=self.complaint.pk,
                into_id=open_ids[0],
                actor=self._staff(Role.VERIFIER),
                now=self.s._after(self.t, 5, 30),
            )
            return
        self.file(self.anchor)
        services.complaint_archive(
            complaint_id=self.complaint.pk,
            actor=self._staff(Role.VERIFIER),
            reason=rng.choice(T.ARCHIVE_REASONS),
            now=self.s._days_after(self.cal, self.anchor, rng.randint(0, 2)),
        )

    def _wrong_agency(self) -> Agency:
        choices = [a for slug, a in self.s.ref.agencies.items() if a.pk != self.agency.pk]
        return self.s.rng.choice(choices)

    def escalate(self) -> None:
        """The ladder steps a sweep would have recorded by now for the current clock."""
        c = self._refresh()
        cal = services.calendar_for(c)
        due = c.current_due_at
        policy = services.sla_policy_for(agency=c.agency, category=c.category)
        for step in policy.escalation_ladder:
            offset = step["offset_days"]
            if c.current_clock != Clock.RESPONSE and step["level"] == 4 and self.i % 2:
                continue
            if due > cal.ladder_threshold(self.s.now, offset):
                continue
            if offset < 0:
                at = self.s._morning(cal, cal.local_date(due))
            elif offset == 0:
                at = due + dt.timedelta(minutes=5)
            else:
                # Reached at the start of the (offset + 1)-th working day after the due day.
                at = cal.start_of_day(cal.local_date(cal.add_working_days(due, offset + 1)))
            at = min(at, self.s.now - dt.timedelta(minutes=1))
            services.complaint_escalate(
                complaint_id=c.pk,
                clock=c.current_clock,
                cycle=c.clock_cycle,
                level=step["level"],
                name=step["name"],
                due_at=due,
                now=at,
            )


def _national_admin() -> User:
    return User.objects.get(email=f"admin@{DOMAIN}")


MONTHS = [
    "Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
    "Oktober", "November", "Desember",
]  # fmt: skip


def _id_date(day: dt.date) -> str:
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
