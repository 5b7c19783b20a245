# ruff: noqa: F811 - the shared `world` fixture is imported and requested by name
"""QA round of the staff workspace: forwarded-away complaints, escalations acknowledged from
the case page, navigation by role, links in staff mails, bulk route limits, the route form's
errors, changing the category, and the smaller wording and clock fixes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from common.exceptions import ApplicationError, NotAllowed
from complaints import queue as queue_module
from complaints import services
from complaints.models import (
    Complaint,
    Escalation,
    EventType,
    Notification,
    Role,
    Status,
)
from tests import factories as f
from tests.complaints.staff_world import client_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")
BULK = reverse("staff:bulk")


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


def ack_url(c: Complaint, e: Escalation) -> str:
    return reverse("staff:escalation_ack", args=[c.pk, e.pk])


def item(c) -> str:
    return f"{c.pk}:{c.version}"


def numbers(response) -> list[str]:
    return [c.display_tracking_number for c in response.context["page"].rows]


def _verified(world, agency=None, **kwargs) -> Complaint:
    c = f.complaint(agency or world.agency, **kwargs)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    c.refresh_from_db()
    return c


def _routed(world, assignee=None) -> Complaint:
    c = _verified(world, category=world.category)
    services.complaint_route(
        complaint_id=c.pk, actor=world.verifier, unit=world.unit, assignee=assignee
    )
    c.refresh_from_db()
    return c


def _forwarded(world) -> Complaint:
    c = _verified(world, category=world.category)
    services.complaint_forward(
        complaint_id=c.pk, actor=world.verifier, agency=world.other, reason="Bukan wewenang"
    )
    c.refresh_from_db()
    return c


def _step(
    c: Complaint, level: int, *, cycle: int | None = None, clock: str = "response"
) -> Escalation:
    now = timezone.now()
    return Escalation.objects.create(
        complaint=c,
        clock=clock,
        cycle=c.clock_cycle if cycle is None else cycle,
        level=level,
        due_at=now - dt.timedelta(hours=1),
        created_at=now,
    )


# ---------------------------------------------------------------------------------------------
# 1. Forwarded-away complaints: history, not work


def test_forwarded_away_complaint_leaves_the_senders_badges_views_and_clock_filters(world):
    # given a verified BPOM complaint forwarded to another agency and escalated there
    coordinator = f.staff(world.agency, Role.COORDINATOR, full_name="Koordinator")
    c = _forwarded(world)
    services.complaint_escalate(
        complaint_id=c.pk,
        clock="response",
        cycle=c.clock_cycle,
        level=3,
        due_at=timezone.now(),
        notify=(),
    )
    # then the sender's badges do not count it (it is unassigned and escalated elsewhere)
    assert queue_module.staff_home_counts(actor=world.verifier)["unassigned"] == 0
    assert queue_module.staff_home_counts(actor=coordinator)["escalated"] == 0
    # and the receiving agency's do
    assert queue_module.staff_home_counts(actor=world.other_verifier)["unassigned"] == 1
    assert queue_module.staff_home_counts(actor=world.other_verifier)["escalated"] == 1
    # the sender's default view and clock filters leave it out
    client = client_for(coordinator)
    assert numbers(client.get(QUEUE)) == []
    assert numbers(client.get(QUEUE, {"clock": "escalated"})) == []
    # the explicit view lists it, read-only: no checkbox, no bulk buttons
    r = client_for(world.verifier).get(QUEUE, {"forwarded": "on"})
    html = r.content.decode()
    assert numbers(r) == [c.display_tracking_number]
    assert f'id="item-{c.pk}"' not in html
    assert 'name="action"' not in html
    assert "data-read-only-list" in html
    assert "Dilimpahkan ke instansi lain: Ya" in html  # the removable filter tag
    # and the case page stays readable
    page = client_for(world.verifier).get(case_url(c))
    assert page.status_code == 200
    assert "data-read-only" in page.content.decode()


def test_a_complaint_forwarded_back_is_current_work_again(world):
    c = _forwarded(world)
    services.complaint_forward(
        complaint_id=c.pk, actor=world.other_verifier, agency=world.agency, reason="Kembali"
    )
    client = client_for(world.verifier)
    assert numbers(client.get(QUEUE)) == [c.display_tracking_number]
    assert numbers(client.get(QUEUE, {"forwarded": "on"})) == []
    # the other agency now has it in its forwarded view
    other = client_for(world.other_verifier)
    assert numbers(other.get(QUEUE, {"forwarded": "on"})) == [c.display_tracking_number]


def test_bulk_refuses_a_forwarded_away_complaint_by_name_not_as_not_found(world):
    c = _forwarded(world)
    r = client_for(world.verifier).post(
        BULK, {"action": "route", "items": [item(c)], "confirm": "1", "unit": world.unit.pk}
    )
    html = r.content.decode()
    assert 'data-result="failed"' in html
    assert "Dilimpahkan ke Dinas Kependudukan: Anda hanya dapat membacanya." in html
    assert "Laporan tidak ditemukan" not in html
    c.refresh_from_db()
    assert c.agency == world.other
    assert c.unit is None


@pytest.mark.parametrize("n_rows", [1, 20])
def test_forwarded_view_query_count_is_fixed(world, django_assert_num_queries, n_rows):
    for _ in range(n_rows):
        _forwarded(world)
    client = client_for(world.verifier)
    # 1 session, 2 user, 3 memberships, 4 categories, 5 agencies/units, 6 officers (filter
    # choices), 7 forwarded-away ids, 8 capped count, 9 page rows, 10 saved views
    with django_assert_num_queries(10):
        r = client.get(QUEUE, {"forwarded": "on"})
    assert len(r.context["page"].rows) == n_rows


# ---------------------------------------------------------------------------------------------
# 2. Escalations addressed to verifiers, approvers and officers: acknowledged on the case page


def test_verifier_acknowledges_the_breach_step_from_the_case_page(world):
    # given a routed complaint with a warning (officer), breach (verifier, approver) and a
    # focal-point step
    c = _routed(world)
    steps = {level: _step(c, level) for level in (1, 2, 3)}
    client = client_for(world.verifier)
    html = client.get(case_url(c)).content.decode()
    # then the verifier sees only the step addressed to verifiers
    assert "data-escalations" in html
    assert ack_url(c, steps[2]) in html
    assert ack_url(c, steps[1]) not in html
    assert ack_url(c, steps[3]) not in html
    assert "Terima eskalasi" in html
    # when they acknowledge it
    r = client.post(ack_url(c, steps[2]))
    assert r.status_code == 302
    page = client.get(case_url(c)).content.decode()
    assert "Berhasil: eskalasi diterima." in page
    assert ack_url(c, steps[2]) not in page
    steps[2].refresh_from_db()
    assert steps[2].acknowledged_by == world.verifier
    assert c.events.filter(type=EventType.ESCALATION_ACKNOWLEDGED, actor=world.verifier).exists()
    # a second acknowledgement (a stale page, e.g. the approver's) says who did it
    r = client_for(world.approver).post(ack_url(c, steps[2]))
    assert r.status_code == 409
    assert "Vera Verifikator sudah menerima eskalasi ini." in r.content.decode()
    assert "data-action-error" in r.content.decode()


def test_the_assigned_officer_acknowledges_the_warning_step_and_nobody_else(world):
    c = _routed(world, assignee=world.officer)
    warning = _step(c, 1)
    # the assigned officer sees and acknowledges it
    officer = client_for(world.officer)
    assert ack_url(c, warning) in officer.get(case_url(c)).content.decode()
    # another officer of the unit is not addressed: no button, and a POST is refused
    other = client_for(world.officer2)
    assert ack_url(c, warning) not in other.get(case_url(c)).content.decode()
    r = other.post(ack_url(c, warning))
    assert r.status_code == 400
    assert "data-action-error" in r.content.decode()
    warning.refresh_from_db()
    assert warning.acknowledged_at is None
    assert officer.post(ack_url(c, warning)).status_code == 302
    warning.refresh_from_db()
    assert warning.acknowledged_by == world.officer


def test_service_lets_an_officer_acknowledge_only_when_addressed(world):
    c = _routed(world, assignee=world.officer)
    warning, breach = _step(c, 1), _step(c, 2)
    with pytest.raises(NotAllowed):
        services.escalation_acknowledge(escalation_id=breach.pk, actor=world.officer)
    with pytest.raises(NotAllowed):
        services.escalation_acknowledge(escalation_id=warning.pk, actor=world.officer2)
    services.escalation_acknowledge(escalation_id=warning.pk, actor=world.officer)
    # before routing, the warning goes to the verifiers (escalation_notify), who may take it
    fresh = _verified(world)
    early = _step(fresh, 1)
    services.escalation_acknowledge(escalation_id=early.pk, actor=world.verifier)


def test_an_escalation_of_another_complaint_is_404_through_this_case(world):
    c, d = _routed(world), _routed(world)
    step = _step(d, 2)
    assert client_for(world.verifier).post(ack_url(c, step)).status_code == 404
    step.refresh_from_db()
    assert step.acknowledged_at is None


@pytest.mark.parametrize("n_steps", [1, 5])
def test_case_page_with_escalations_query_count_is_fixed(world, django_assert_num_queries, n_steps):
    c = _routed(world, assignee=world.officer)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    c.refresh_from_db()
    for cycle in range(n_steps):
        # n live steps of one level: the resolution clock runs whatever its cycle
        _step(c, 1, cycle=cycle + 10, clock="resolution")
    client = client_for(world.officer)
    # 1 session, 2 user, 3 memberships, 4 complaint, 5 events, 6 responses, 7 attachments,
    # 8 possible duplicates, 9 unacknowledged escalations, 10 SLA policies (the ladder: who
    # each step is addressed to), 11 canned answers
    with django_assert_num_queries(11):
        r = client.get(case_url(c))
    assert len(r.context["escalations"]) == n_steps


# ---------------------------------------------------------------------------------------------
# 3. and 4. Navigation by role


def test_staff_nav_links_focal_pages_for_focal_roles_only(world):
    focal_html = client_for(world.focal).get(reverse("staff:home")).content.decode()
    assert f'href="{reverse("focal:board")}"' in focal_html
    assert "Pemantauan focal point" in focal_html
    officer_html = client_for(world.officer).get(reverse("staff:home")).content.decode()
    assert "Pemantauan focal point" not in officer_html


def test_focal_pages_have_sign_out_and_a_link_back_to_the_staff_workspace(world):
    html = client_for(world.focal).get(reverse("focal:board")).content.decode()
    header = html.split('<nav class="header-nav"', 1)[1].split("</nav>", 1)[0]
    assert f'action="{reverse("accounts:logout")}"' in header
    assert "Keluar" in header
    assert f'href="{reverse("staff:home")}"' in header
    assert "Ruang kerja petugas" in header


@pytest.mark.parametrize("who", ["officer", "coordinator"])
def test_walk_in_entry_is_not_offered_to_roles_that_cannot_use_it(world, who):
    user = world.officer if who == "officer" else f.staff(world.agency, Role.COORDINATOR)
    client = client_for(user)
    html = client.get(reverse("staff:home")).content.decode()
    assert reverse("staff:new") not in html
    assert client.get(reverse("staff:new")).status_code == 404
    # the verifier of the agency has both the link and the page
    verifier = client_for(world.verifier)
    assert reverse("staff:new") in verifier.get(reverse("staff:home")).content.decode()
    assert verifier.get(reverse("staff:new")).status_code == 200


# ---------------------------------------------------------------------------------------------
# 5. Staff mails link to the case


@pytest.mark.parametrize(
    "kind",
    [
        "staff_assigned",
        "staff_draft_returned",
        "staff_draft_waiting",
        "staff_forwarded",
        "staff_info_supplied",
        "staff_objected",
        "staff_routed",
        "staff_unassigned",
        "draft_reminder",
    ],
)
def test_staff_mails_link_to_the_case_page(world, kind):
    c = f.complaint(world.agency, title="Obat & jamu")
    body = render_to_string(
        f"emails/{kind}.txt",
        {"complaint": c, "site_url": settings.ADUAN_PUBLIC_BASE_URL, "reason": "Alasan"},
        using="email",
    )
    assert settings.ADUAN_PUBLIC_BASE_URL.rstrip("/") + case_url(c) in body
    assert "Obat & jamu" in body  # plain text: not HTML-escaped


def test_routed_mail_written_by_the_service_links_to_the_case(world):
    c = _verified(world)
    services.complaint_route(
        complaint_id=c.pk, actor=world.verifier, unit=world.unit, assignee=world.officer
    )
    mail = Notification.objects.get(kind="staff_routed", recipient=world.officer.email)
    assert case_url(c) in mail.body


# ---------------------------------------------------------------------------------------------
# 6. Bulk route moves only complaints nobody works on yet; a re-route tells the assignee


def test_bulk_route_skips_complaints_an_officer_works_on(world):
    verified = _verified(world)
    assigned = _routed(world)
    worked = _routed(world, assignee=world.officer)
    services.complaint_take(complaint_id=worked.pk, actor=world.officer)
    worked.refresh_from_db()
    client = client_for(world.verifier)
    items = [item(verified), item(assigned), item(worked)]
    # the confirmation page already says which will be skipped
    confirm = client.post(BULK, {"action": "route", "items": items}).content.decode()
    assert confirm.count("data-skipped") == 1
    r = client.post(
        BULK, {"action": "route", "items": items, "confirm": "1", "unit": world.unit2.pk}
    )
    html = r.content.decode()
    assert html.count('data-result="ok"') == 2
    assert html.count('data-result="failed"') == 1
    assert "Sudah dikerjakan petugas; pindahkan satu per satu dari halaman laporan." in html
    worked.refresh_from_db()
    assert (worked.unit, worked.assignee, worked.status) == (
        world.unit,
        world.officer,
        Status.IN_PROGRESS,
    )
    for c in (verified, assigned):
        c.refresh_from_db()
        assert c.unit == world.unit2


def test_single_re_route_tells_the_previous_assignee(world):
    c = _routed(world, assignee=world.officer)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    c.refresh_from_db()
    r = client_for(world.verifier).post(
        action_url(c, "route"), {"version": c.version, "unit": world.unit2.pk}
    )
    assert r.status_code == 302
    mail = Notification.objects.get(kind="staff_unassigned", recipient=world.officer.email)
    assert case_url(c) in mail.body
    c.refresh_from_db()
    assert c.unit == world.unit2
    assert c.assignee is None


def test_reassigning_tells_the_officer_who_had_it(world):
    c = _routed(world)
    # a first assignment takes it from nobody
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer)
    assert not Notification.objects.filter(kind="staff_unassigned").exists()
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer2)
    mail = Notification.objects.get(kind="staff_unassigned", recipient=world.officer.email)
    assert case_url(c) in mail.body


# ---------------------------------------------------------------------------------------------
# 7. The route form's errors follow the form-error pattern


def test_route_to_an_officer_of_another_unit_is_a_field_error_with_the_form_open(world):
    # given an assigned complaint (re-route is in the "more actions" menu)
    c = _routed(world)
    r = client_for(world.verifier).post(
        action_url(c, "route"),
        {"version": c.version, "unit": world.unit2.pk, "assignee": world.officer.pk},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "<title>Kesalahan: " in html
    assert 'href="#route-assignee">Pilih petugas dari unit kerja yang dipilih</a>' in html
    assert 'id="route-assignee-error"' in html
    field = re.search(r'<select name="assignee"[^>]*id="route-assignee"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in field
    assert "route-assignee-error" in field
    route = re.search(
        r'<details class="action-details"( open)?>\s*<summary>Disposisi ke unit kerja', html
    )
    assert route is not None
    assert route.group(1) == " open"
    # the values are kept
    assert f'<option value="{world.unit2.pk}" selected>' in html
    assert f'<option value="{world.officer.pk}" selected>' in html
    assert "banner--error" not in html
    c.refresh_from_db()
    assert c.unit == world.unit


# ---------------------------------------------------------------------------------------------
# 8. The receiving agency sets the category of a verified complaint


def test_receiving_agency_changes_the_category_without_recomputing_deadlines(world):
    c = _forwarded(world)
    assert c.category is None
    due = (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at)
    client = client_for(world.other_verifier)
    html = client.get(case_url(c)).content.decode()
    assert "Ubah kategori" in html
    r = client.post(
        action_url(c, "category"), {"version": c.version, "category": world.other_category.pk}
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.category == world.other_category
    assert (c.response_due_at, c.resolution_due_at, c.hard_ceiling_at) == due
    event = c.events.get(type=EventType.RECLASSIFIED)
    assert event.actor == world.other_verifier
    assert event.data["to_name"] == "KTP"
    assert event.data["deadlines_recomputed"] is False
    assert not event.is_public
    page = client.get(case_url(c)).content.decode()
    assert "Berhasil: kategori diubah menjadi KTP." in page
    assert "Kategori diubah: tidak ada → KTP" in page


def test_change_category_refuses_a_stale_page_a_foreign_category_and_other_roles(world):
    c = _routed(world)
    client = client_for(world.verifier)
    stale = c.version
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer)
    r = client.post(action_url(c, "category"), {"version": stale, "category": world.category.pk})
    # the form refuses the current category before the version is even looked at
    assert r.status_code == 400
    other = f.CategoryFactory(agency=world.agency, name="Kosmetika")
    r = client.post(action_url(c, "category"), {"version": stale, "category": other.pk})
    assert r.status_code == 409
    r = client.post(
        action_url(c, "category"), {"version": stale + 1, "category": world.other_category.pk}
    )
    assert r.status_code == 400  # not a category of this agency: not in the list
    c.refresh_from_db()
    assert c.category == world.category
    with pytest.raises(NotAllowed):
        services.complaint_set_category(complaint_id=c.pk, actor=world.officer, category=other)
    services.complaint_archive(complaint_id=c.pk, actor=world.verifier, reason="Spam")
    with pytest.raises(ApplicationError):
        services.complaint_set_category(complaint_id=c.pk, actor=world.verifier, category=other)
    # not offered to officers, nor before verification (the verify form sets it there)
    assert (
        "Ubah kategori"
        not in client_for(world.officer).get(case_url(_routed(world))).content.decode()
    )
    assert "Ubah kategori" not in client.get(case_url(f.complaint(world.agency))).content.decode()


# ---------------------------------------------------------------------------------------------
# 9. Wording and clocks


def test_clearing_the_assignee_reads_assignee_cleared_without_status_change(world):
    c = _routed(world, assignee=world.officer)
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=None)
    client = client_for(world.verifier)
    html = client.get(case_url(c)).content.decode()
    item_html = html.split('data-event="assigned"', 1)[1].split("</li>", 1)[0]
    assert "Penanggung jawab dikosongkan" in item_html
    assert "Perubahan status" not in item_html
    assert "tidak ada (penanggung jawab" not in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(case_url(c)).content.decode()
    assert "Assignee cleared" in html.split('data-event="assigned"', 1)[1].split("</li>", 1)[0]


def test_a_note_is_labelled_once(world):
    c = _routed(world)
    services.complaint_note(complaint_id=c.pk, actor=world.verifier, body="Cek lapangan")
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    note = html.split('data-event="note"', 1)[1].split("</li>", 1)[0]
    assert note.count("Catatan internal") == 1


def test_archive_detail_says_when_it_is_required(world):
    c = f.complaint(world.agency)
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    label = re.search(r'<label class="label" for="archive-detail">([^<]*)</label>', html).group(1)
    assert label == "Jelaskan alasannya (wajib untuk alasan lain)"
    confirm = (
        client_for(world.verifier)
        .post(BULK, {"action": "archive", "items": [item(c)]})
        .content.decode()
    )
    label = re.search(r'<label class="label" for="id_detail">([^<]*)</label>', confirm).group(1)
    assert label == "Jelaskan alasannya (wajib untuk alasan lain)"
    assert "Wajib diisi untuk alasan lain" not in confirm


def test_every_staff_success_message_starts_with_berhasil():
    import ast
    from pathlib import Path

    import complaints.views.staff as staff_views

    tree = ast.parse(Path(staff_views.__file__).read_text())
    ids = [
        node.args[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and getattr(node.func, "id", "") == "_"
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and str(node.args[0].value).startswith("Done:")
    ]
    assert len(ids) >= 20
    with translation.override("id"):
        for msgid in ids:
            assert translation.gettext(msgid).startswith("Berhasil: "), msgid


def test_csv_dates_are_iso_8601_with_the_agencys_offset(world):
    world.agency.time_zone = "Asia/Makassar"
    world.agency.save(update_fields=["time_zone"])
    c = f.complaint(world.agency)
    body = b"".join(
        client_for(world.verifier).get(reverse("staff:export")).streaming_content
    ).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][8] == "Diterima (ISO 8601, waktu setempat instansi)"
    assert rows[0][9] == "Tenggat (ISO 8601, waktu setempat instansi)"
    c.refresh_from_db()
    wita = ZoneInfo("Asia/Makassar")
    assert rows[1][8] == c.created_at.astimezone(wita).isoformat(timespec="minutes")
    assert rows[1][9] == c.current_due_at.astimezone(wita).isoformat(timespec="minutes")
    assert rows[1][8].endswith("+08:00")
    assert dt.datetime.fromisoformat(rows[1][8]) == c.created_at.replace(second=0, microsecond=0)


def _clock_html(html: str, key: str) -> str:
    return html.split(f'data-clock="{key}"', 1)[1].split("</li>", 1)[0]


def test_hard_ceiling_counts_calendar_days(world):
    c = _verified(world)
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    ceiling = _clock_html(html, "hard_ceiling")
    assert re.search(r"\b60 hari lagi", ceiling) or re.search(r"\b59 hari lagi", ceiling)
    assert "hari kerja" not in ceiling
    # the working-day clocks keep working days
    assert "hari kerja lagi" in _clock_html(html, "response")


def test_a_held_complaint_shows_the_paused_verification_clock(world):
    c = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.verifier, message="KTP?")
    c.refresh_from_db()
    assert c.verify_remaining_days is not None
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    verify = _clock_html(html, "verify")
    assert f"Dijeda: sisa {c.verify_remaining_days} hari kerja" in verify


def test_an_escalation_no_deadline_caused_says_why_and_a_system_archive_reads_in_english(world):
    c = _routed(world)
    services.complaint_escalate(
        complaint_id=c.pk,
        clock="resolution",
        cycle=1,
        level=3,
        name="second_objection",
        due_at=timezone.now(),
    )
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    assert "keberatan kedua dari pelapor" in html
    # a reason the system stored in English is shown in the reader's language
    other = f.complaint(world.agency)
    Complaint.objects.filter(pk=other.pk).update(status=Status.NEEDS_INFO)
    assert services.complaint_archive_silent(complaint_id=other.pk) is not None
    client = client_for(world.verifier)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(case_url(other)).content.decode()
    assert "The requested information was not supplied in time" in page


def test_a_listed_archive_reason_is_stored_in_english_and_read_in_each_language(world):
    c = f.complaint(world.agency)
    r = client_for(world.verifier).post(
        action_url(c, "archive"),
        {
            "version": c.version,
            "reason": "not_public_service",
            "detail": "Urusan pribadi",
            "confirm": "1",
        },
    )
    assert r.status_code == 302
    c.refresh_from_db()
    assert c.archive_reason == "Not a public-service matter: Urusan pribadi"
    from complaints.views.public_display import archive_reason_text

    with translation.override("id"):
        assert archive_reason_text(c.archive_reason) == (
            "Bukan masalah pelayanan publik: Urusan pribadi"
        )
    with translation.override("en"):
        assert archive_reason_text(c.archive_reason) == c.archive_reason
    # typed by staff: shown as written, even when it looks like "something: more"
    assert archive_reason_text("Sudah selesai: lihat surat") == "Sudah selesai: lihat surat"
