"""Issue 19 on the server side: the queue's short deadline cell, one staff term for
"waiting for verification", the draft saved → waiting for approval message, "approve and
publish" in one step, and "next complaint in my queue"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints import services
from complaints.models import Response, Status
from complaints.policy import ClockState, Deadline
from complaints.selectors.queue import queue_filter, queue_neighbours
from complaints.views.forms_staff import staff_status_label
from complaints.views.staff_queue import deadline_short
from tests import factories as f
from tests.complaints.staff_world import client_for, routed_complaint

pytestmark = pytest.mark.django_db


def _deadline(state: str, days: int | None) -> Deadline:
    due = timezone.now() if days is not None else None
    return Deadline(state, "tag--grey", "", due, days)


@pytest.mark.parametrize(
    ("state", "days", "text"),
    [
        (ClockState.ON_TRACK, 2, "2 HK lagi"),
        (ClockState.DUE_SOON, 0, "hari ini"),
        (ClockState.OVERDUE, -3, "lewat 3 HK"),
        (ClockState.ESCALATED, -6, "dieskalasi · lewat 6 HK"),
        (ClockState.REPORTER, 4, "pelapor · 4 HK lagi"),
        (ClockState.NONE, None, "—"),
    ],
)
def test_deadline_cell_is_short_and_in_working_days(state, days, text):
    with translation.override("id"):
        assert deadline_short(_deadline(state, days)) == text
    with translation.override("en"):
        assert deadline_short(_deadline(ClockState.OVERDUE, -3)) == "3 WD overdue"


def test_staff_say_menunggu_verifikasi_on_the_home_tile_queue_filter_and_case(world):
    with translation.override("id"):
        assert staff_status_label(Status.SUBMITTED) == "Menunggu verifikasi"
    c = f.complaint(world.agency, category=world.category)
    client = client_for(world.verifier)
    for url in (reverse("staff:home"), reverse("staff:queue"), reverse("staff:case", args=[c.pk])):
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
        assert "Menunggu verifikasi" in html, url
        assert "Menunggu pemeriksaan" not in html, url


def _drafted(world):
    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    officer = client_for(world.officer)
    r = officer.post(
        reverse("staff:action", args=[c.pk, "draft"]), {"body": "Apotek sudah kami periksa."}
    )
    return c, officer, r


def test_after_saving_a_draft_the_officer_is_told_it_waits_for_approval(world):
    _c, officer, r = _drafted(world)
    page = officer.get(r["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "draf jawaban disimpan dan kini menunggu persetujuan" in page


def test_without_approval_the_draft_message_says_to_publish(world):
    world.agency.responses_need_approval = False
    world.agency.save(update_fields=["responses_need_approval"])
    _c, officer, r = _drafted(world)
    page = officer.get(r["Location"], HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Terbitkan jawaban setelah siap" in page


def test_approver_approves_and_publishes_in_one_step(world):
    c, _officer, _r = _drafted(world)
    c.refresh_from_db()
    draft = Response.objects.get(complaint=c)
    approver = client_for(world.approver)
    html = approver.get(reverse("staff:case", args=[c.pk])).content.decode()
    # the one step is the primary action; approve alone and return stay on offer
    assert html.index('data-action="approve_publish"') < html.index('data-action="approve"')
    r = approver.post(
        reverse("staff:action", args=[c.pk, "approve_publish"]),
        {
            "version": c.version,
            "response": draft.pk,
            "response_version": services.response_version(draft),
        },
    )
    assert r.status_code == 302
    draft.refresh_from_db()
    c.refresh_from_db()
    assert draft.state == Response.State.PUBLISHED
    assert draft.approved_by == world.approver
    assert c.status == Status.AWAITING_REPORTER


def test_officer_cannot_approve_and_publish(world):
    c, officer, _r = _drafted(world)
    c.refresh_from_db()
    draft = Response.objects.get(complaint=c)
    r = officer.post(
        reverse("staff:action", args=[c.pk, "approve_publish"]),
        {"version": c.version, "response": draft.pk},
    )
    assert r.status_code == 400
    assert "Peran Anda tidak mengizinkan tindakan ini" in r.content.decode()
    draft.refresh_from_db()
    assert draft.state == Response.State.DRAFT


def test_next_complaint_in_my_queue(world, django_assert_num_queries):
    now = timezone.now()
    a = routed_complaint(world, assignee=world.officer)
    b = routed_complaint(world, assignee=world.officer)
    mine = queue_filter(actor=world.officer, filters={"assignee": "me"}, now=now)
    ids = list(mine.values_list("pk", flat=True))
    assert set(ids) == {a.pk, b.pk}
    with django_assert_num_queries(1):
        previous, following = queue_neighbours(actor=world.officer, complaint_id=ids[0], now=now)
    assert (previous, following) == (None, ids[1])
    assert queue_neighbours(actor=world.officer, complaint_id=ids[1], now=now) == (ids[0], None)
    # a complaint outside the officer's own list: the first of the list comes next
    other = f.complaint(world.agency)
    assert queue_neighbours(actor=world.officer, complaint_id=other.pk, now=now)[1] == ids[0]
    # nothing assigned (a verifier): the open complaints in scope, in two queries at most
    with django_assert_num_queries(2):
        assert queue_neighbours(actor=world.verifier, complaint_id=other.pk, now=now) != (
            None,
            None,
        )


def test_next_and_previous_links_step_through_my_queue_when_followed(world):
    now = timezone.now()
    a = routed_complaint(world, assignee=world.officer)
    b = routed_complaint(world, assignee=world.officer)
    first, second = queue_filter(actor=world.officer, filters={"assignee": "me"}, now=now)
    officer = client_for(world.officer)
    html = officer.get(reverse("staff:case", args=[first.pk])).content.decode()
    assert f'href="{reverse("staff:case_next", args=[first.pk])}"' in html
    r = officer.get(reverse("staff:case_next", args=[first.pk]))
    assert r.status_code == 302
    assert r["Location"] == reverse("staff:case", args=[second.pk])
    r = officer.get(reverse("staff:case_previous", args=[second.pk]))
    assert r["Location"] == reverse("staff:case", args=[first.pk])
    # none after the last: the queue, saying so
    r = officer.get(reverse("staff:case_next", args=[second.pk]), follow=True)
    assert r.redirect_chain == [(reverse("staff:queue"), 302)]
    assert "Tidak ada laporan berikutnya di antrean Anda." in r.content.decode()
    # another agency's complaint stays out of reach
    other = f.complaint(world.other)
    assert officer.get(reverse("staff:case_next", args=[other.pk])).status_code == 404
    assert {a.pk, b.pk} == {first.pk, second.pk}


# ---------------------------------------------------------------------------------------------
# The case page's actions open on demand (issue: "each opened on demand")


def _form_drawn(html: str, name: str) -> bool:
    return f'id="action-{name}" data-action="{name}"' in html


def test_the_next_step_is_drawn_and_every_other_action_opens_on_demand(world):
    c = f.complaint(world.agency, category=world.category)
    client = client_for(world.verifier)
    html = client.get(reverse("staff:case", args=[c.pk])).content.decode()
    # the next step (verify) is a form; the other actions are links to the same page
    assert _form_drawn(html, "verify")
    for name in ("hold", "forward", "archive", "merge", "note"):
        assert f'href="?open={name}#action-{name}"' in html, name
        assert not _form_drawn(html, name), name
    # opening one draws its form in place of its link, the others stay links
    html = client.get(reverse("staff:case", args=[c.pk]), {"open": "forward"}).content.decode()
    assert _form_drawn(html, "forward")
    assert 'data-opened-action="forward"' in html
    assert 'href="?open=forward' not in html
    assert 'href="?open=hold#action-hold"' in html
    assert _form_drawn(html, "verify")


@pytest.mark.parametrize("asked", ["publish", "resolve", "nothing", ""])
def test_opening_an_action_not_on_offer_draws_nothing_more(world, asked):
    c = f.complaint(world.agency, category=world.category)
    url = reverse("staff:case", args=[c.pk])
    response = client_for(world.verifier).get(url, {"open": asked})
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-opened-action" not in html
    assert f'data-action="{asked}"' not in html


def test_an_opened_action_costs_no_query_more_than_the_page(world):
    c = routed_complaint(world)
    client = client_for(world.verifier)
    url = reverse("staff:case", args=[c.pk])
    client.get(url, {"open": "assign"})  # the officers list is then kept (common.refcache)
    with CaptureQueriesContext(connection) as opened:
        html = client.get(url, {"open": "assign"}).content.decode()
    assert _form_drawn(html, "assign")
    with CaptureQueriesContext(connection) as closed:
        html = client.get(url).content.decode()
    assert not _form_drawn(html, "assign")
    assert len(opened) == len(closed)
