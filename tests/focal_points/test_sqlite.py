"""Focal-point oversight on the embedded default database (SQLite, as `make run` uses it):
every focal task runs, the scorecard (from reporting's facts, as on PostgreSQL) agrees with
direct counts over those facts, and every focal page and main action answers. Runs in a subprocess
against a fresh SQLite file, since the test suite itself runs on PostgreSQL."""

from tests.sqlite_harness import run_on_sqlite

SCRIPT = r"""
import datetime as dt
import json
import statistics
from decimal import Decimal

import django

django.setup()
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from complaints.models import OPEN_STATUSES, Complaint, Escalation
from focal_points import tasks
from focal_points.models import CorrectiveAction
from focal_points.selectors import board_complaint_list, escalations_awaiting, focal_scope_for
from focal_points.scorecards import Period, scorecard
from reporting.facts import uses_sql
from reporting.models import ComplaintFact

out = {"vendor": connection.vendor, "facts_sql": uses_sql()}
failures = []

# The steps of `make run` before it serves.
call_command("migrate", "--noinput", verbosity=0)
call_command("seed_demo", "--complaints", "60", verbosity=0)
call_command("reporting_rebuild", verbosity=0)

# Every focal task, eagerly (twice where a second run must be harmless).
for name, kwargs in [
    ("board_refresh_task", {}),
    ("board_refresh_task", {}),
    ("corrective_action_sweep_task", {}),
    ("weekly_digest_task", {}),
]:
    try:
        getattr(tasks, name).apply(kwargs=kwargs).get()
    except Exception as exc:  # noqa: BLE001
        failures.append(f"task {name}: {exc!r}")
out["facts"] = ComplaintFact.objects.filter(is_current=True).count()
out["submitted"] = Complaint.objects.filter(submitted_at__isnull=False).count()

ombudsman = User.objects.get(email="penghubung.ombudsman@aduan.example")
coordinator = User.objects.get(email="koordinator.polkam@aduan.example")
focal = User.objects.get(email="focal.bpom@aduan.example")
for user in (ombudsman, coordinator, focal):
    try:
        tasks.focal_digest_send_task.apply(args=[user.pk]).get()
    except Exception as exc:  # noqa: BLE001
        failures.append(f"digest_send {user.email}: {exc!r}")

# The scorecard against direct counts over reporting's facts: received and rated are the
# current stints, the days to verify those of every stint at the agency with a verification
# clock that ended (met or missed) or is running late.
everything = Period(start=dt.date(2000, 1, 1), end=dt.date(2099, 12, 1))
checked = []
for user in (ombudsman, coordinator):
    scope = focal_scope_for(actor=user)
    card = scorecard(scope=scope, period=everything)
    for row in card.rows:
        stints = ComplaintFact.objects.filter(agency=row.agency)
        current = stints.filter(is_current=True)
        days = list(
            stints.filter(verify_days__isnull=False).values_list("verify_days", flat=True)
        )
        median = None
        if days:
            median = Decimal(str(statistics.median(days))).quantize(Decimal("0.1"))
        rated = [r for r in current.values_list("rating", flat=True) if r is not None]
        mean = None
        if rated:
            mean = (Decimal(sum(rated)) / len(rated)).quantize(Decimal("0.1"))
        verified = stints.filter(verify_state__in=["met", "missed", "late"]).count()
        got = (row.received, row.verified, row.verify_median, row.mean_rating)
        want = (current.count(), verified, median, mean)
        checked.append(row.agency.short_name)
        if got != want:
            failures.append(f"scorecard {row.agency.short_name}: {got} != {want}")
    if card.total.received != sum(r.received for r in card.rows):
        failures.append(f"scorecard total {user.email}")
    # Drill-down: the agency-level row and its units add up to the agency.
    agency = scope.agencies[0]
    units = scorecard(scope=scope, period=everything, agency_id=agency.pk)
    direct = ComplaintFact.objects.filter(agency=agency, is_current=True).count()
    if units.total.received != direct or sum(r.received for r in units.rows) != direct:
        failures.append(f"unit scorecard {agency.short_name}: {units.total.received} != {direct}")
out["checked"] = checked
out["received"] = sum(
    r.received for r in scorecard(scope=focal_scope_for(actor=ombudsman), period=everything).rows
)

pages_ok = 0


def check(client, method, url, expected, **data):
    global pages_ok
    response = getattr(client, method)(url, data or None, HTTP_HOST="127.0.0.1")
    if response.status_code != expected:
        failures.append(f"{method.upper()} {url} -> {response.status_code}")
    else:
        pages_ok += 1
    return response


today = timezone.localdate()
for user in (coordinator, focal, ombudsman):
    client = Client(raise_request_exception=False)
    client.force_login(user)
    scope = focal_scope_for(actor=user)
    agency_id = scope.agencies[0].pk
    board = reverse("focal:board")
    card = reverse("focal:scorecard")
    csv = reverse("focal:scorecard_csv")
    actions = reverse("focal:corrective_action_list")
    urls = [
        board,
        f"{board}?agency={agency_id}",
        f"{board}?agency={agency_id}&unit=none&clock=on_track",
        reverse("focal:escalation_list"),
        f"{board}?clock=overdue&clock=escalated&sort=-filed",
        f"{board}?flags=unassigned&status=in_progress&filed_from=2020-01-01&filed_to={today}",
        card,
        f"{card}?period=last_month&sort=-received",
        f"{card}?period=3m&sort=verify_median",
        f"{card}?period=this_year&sort=-close_p90",
        f"{card}?period=custom&start=2020-01-01&end={today}&sort=-mean_rating",
        f"{card}?agency={agency_id}&period=this_year&sort=overdue_now",
        f"{csv}?period=this_year",
        f"{csv}?agency={agency_id}&period=3m",
        actions,
        f"{actions}?state=overdue",
        f"{actions}?state=closed",
        reverse("focal:corrective_action_new"),
        reverse("focal:directory"),
    ]
    open_one = board_complaint_list(scope=scope).first()
    if open_one is not None:
        urls += [
            reverse("focal:complaint_detail", args=[open_one.pk]),
            reverse("focal:nudge") + f"?complaint={open_one.pk}",
            reverse("focal:corrective_action_new") + f"?complaint={open_one.pk}",
        ]
    for url in urls:
        check(client, "get", url, 200)
    if open_one is not None:
        check(client, "post", reverse("focal:nudge"), 302, complaint=[open_one.pk],
              message="Mohon segera ditindaklanjuti.")
    # the first escalation addressed to this user (their ladder step)
    waiting, _total = escalations_awaiting(scope=scope, limit=1)
    escalation = waiting[0] if waiting else None
    if escalation is not None:
        check(client, "post", reverse("focal:escalation_ack", args=[escalation.pk]), 302)

# A corrective action on a BPOM complaint: issued by the Ombudsman liaison (a coordinator
# over BPOM), progress from the agency's focal point, swept overdue, closed by the issuer.
coordinator_client = Client(raise_request_exception=False)
coordinator_client.force_login(ombudsman)
focal_client = Client(raise_request_exception=False)
focal_client.force_login(focal)
target = board_complaint_list(scope=focal_scope_for(actor=focal)).first()
before = CorrectiveAction.objects.count()
check(
    coordinator_client,
    "post",
    reverse("focal:corrective_action_new") + f"?complaint={target.pk}",
    302,
    complaint=target.pk,
    title="Perbaiki SOP verifikasi",
    required_change="Tetapkan SOP verifikasi tiga hari kerja.",
)
action = CorrectiveAction.objects.order_by("-pk").first()
if CorrectiveAction.objects.count() != before + 1:
    failures.append("corrective action not issued")
detail = reverse("focal:corrective_action_detail", args=[action.pk])
check(focal_client, "get", detail, 200)
check(coordinator_client, "get", detail, 200)
check(focal_client, "post", reverse("focal:corrective_action_progress", args=[action.pk]), 302,
      body="SOP baru sedang disusun.")
CorrectiveAction.objects.filter(pk=action.pk).update(
    due_at=timezone.now() - dt.timedelta(days=30)
)
swept = tasks.corrective_action_sweep_task.apply().get()
action.refresh_from_db()
out["swept"] = swept
if action.state != "overdue" or action.escalation_level < 1:
    failures.append(f"sweep did not escalate: {action.state} {action.escalation_level}")
check(coordinator_client, "get", f"{reverse('focal:corrective_action_list')}?state=overdue", 200)
check(coordinator_client, "post", reverse("focal:corrective_action_close", args=[action.pk]), 302,
      outcome="accepted", reason="SOP sudah terbit.", version=action.version)
action.refresh_from_db()
if action.state != "closed_accepted":
    failures.append(f"not closed: {action.state}")

for name in ("board_refresh_task",):
    try:
        getattr(tasks, name).apply().get()
    except Exception as exc:  # noqa: BLE001
        failures.append(f"task {name} (again): {exc!r}")

out["pages_ok"] = pages_ok
out["failures"] = failures
print("RESULT:" + json.dumps(out, default=str))
"""


def test_focal_points_work_on_sqlite(tmp_path):
    out = run_on_sqlite(SCRIPT, tmp_path)
    assert out["failures"] == [], out
    assert out["vendor"] == "sqlite"
    assert out["facts_sql"] is True
    # Every filed complaint has its current fact; the national scorecard saw real data.
    assert out["facts"] == out["submitted"] > 0
    assert out["received"] > 0
    assert len(out["checked"]) >= 5
    assert out["swept"]["escalated"] >= 1
    assert out["pages_ok"] >= 60
