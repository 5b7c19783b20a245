"""Lifecycle actions over the API: each calls the service the pages call (the same events),
honours If-Match (412 with the current state, nothing written) and Idempotency-Key (one
write for two identical keyed POSTs; another body with the same key refused)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, ComplaintEvent, Response, Status
from tests import factories as f
from tests.complaints.api.helpers import token_client
from tests.complaints.staff_world import client_for, routed_complaint, verified_complaint

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


def url(c: Complaint, action: str = "") -> str:
    return f"/api/v1/complaints/{c.tracking_number}/" + (f"{action}/" if action else "")


def etag(client, c: Complaint) -> str:
    return client.get(url(c))["ETag"]


def trail(c: Complaint) -> list[tuple]:
    return [
        (e.type, e.from_status, e.to_status, e.is_public, e.actor_id, e.actor_label)
        for e in ComplaintEvent.objects.filter(complaint=c).order_by("created_at", "id")
    ]


def _version(c: Complaint) -> int:
    c.refresh_from_db()
    return c.version


def _pages_journey(world, c: Complaint) -> None:
    def act(user, name, data):
        r = client_for(user).post(reverse("staff:action", args=[c.pk, name]), data)
        assert r.status_code == 302, (name, r.status_code)

    act(
        world.verifier,
        "verify",
        {
            "version": _version(c),
            "title": c.title,
            "kind": c.kind,
            "category": world.category.pk,
            "tier": "standard",
        },
    )
    act(world.verifier, "route", {"version": _version(c), "unit": world.unit.pk, "assignee": ""})
    act(world.officer, "take", {"version": _version(c)})
    act(world.officer, "draft", {"version": _version(c), "body": "Apotek sudah diperiksa."})
    draft = Response.objects.get(complaint=c)
    act(
        world.approver,
        "approve",
        {
            "version": _version(c),
            "response": draft.pk,
            "response_version": services.response_version(draft),
        },
    )
    draft.refresh_from_db()
    act(
        world.approver,
        "publish",
        {
            "version": _version(c),
            "response": draft.pk,
            "response_version": services.response_version(draft),
        },
    )
    reporter = Client()
    r = reporter.post(
        reverse("complaints:track"),
        {"tracking_number": c.tracking_number, "access_code": c.plain_access_code},
    )
    assert r.status_code == 302
    r = reporter.post(
        reverse("complaints:track_respond", args=[c.tracking_number]), {"answer": "accept"}
    )
    assert r.status_code == 302


def _api_journey(world, c: Complaint) -> None:
    def act(user, name, data):
        client = token_client(user)
        r = client.post(url(c, name), data, format="json", HTTP_IF_MATCH=etag(client, c))
        assert r.status_code == 200, (name, r.content)
        return r.json()

    act(
        world.verifier,
        "verify",
        {"title": c.title, "kind": c.kind, "category": world.category.pk, "tier": "standard"},
    )
    act(world.verifier, "route", {"unit": world.unit.pk})
    act(world.officer, "take", {})
    body = act(world.officer, "draft", {"body": "Apotek sudah diperiksa."})
    draft = body["responses"][-1]
    body = act(world.approver, "approve", {"response": draft["id"]})
    assert "publish" in body["actions"]
    act(world.approver, "publish", {"response": draft["id"]})
    r = token_client(world.citizen).post(  # a token is ignored here: the code authorises
        url(c, "reporter/accept"), {"access_code": c.plain_access_code}, format="json"
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == Status.CLOSED


def test_a_journey_through_the_api_leaves_the_events_of_the_same_journey_through_the_pages(
    world,
):
    through_pages = f.complaint(world.agency, category=world.category)
    through_api = f.complaint(world.agency, category=world.category)
    _pages_journey(world, through_pages)
    _api_journey(world, through_api)
    through_pages.refresh_from_db()
    through_api.refresh_from_db()
    assert through_pages.status == through_api.status == Status.CLOSED
    assert trail(through_api) == trail(through_pages)


def test_a_stale_if_match_is_a_412_with_the_current_state_and_writes_nothing(world):
    c = verified_complaint(world)
    client = token_client(world.verifier)
    stale = etag(client, c)
    # someone else changes the complaint after the client read it
    services.complaint_set_category(
        complaint_id=c.pk, actor=world.verifier, category=world.category
    )
    events = ComplaintEvent.objects.count()
    current = _version(c)
    assert stale != f'"{c.tracking_number}.{current}"'
    r = client.post(url(c, "route"), {"unit": world.unit.pk}, format="json", HTTP_IF_MATCH=stale)
    assert r.status_code == 412
    assert r["Content-Type"] == "application/problem+json"
    assert r.json()["current"]["version"] == current
    assert r["ETag"] == f'"{c.tracking_number}.{current}"'
    assert ComplaintEvent.objects.count() == events
    c.refresh_from_db()
    assert c.status == Status.VERIFIED


def test_a_matching_if_match_acts_and_returns_the_new_state_and_etag(world):
    c = verified_complaint(world, category=world.category)
    client = token_client(world.verifier)
    r = client.post(
        url(c, "route"), {"unit": world.unit.pk}, format="json", HTTP_IF_MATCH=etag(client, c)
    )
    assert r.status_code == 200
    assert r.json()["status"] == Status.ASSIGNED
    assert r["ETag"] == f'"{c.tracking_number}.{_version(c)}"'


def test_two_identical_keyed_filings_file_one_complaint(world):
    client = token_client(world.verifier)
    body = {
        "kind": "complaint",
        "title": "Obat palsu",
        "body": "Dijual online.",
        "channel": "call_centre",
        "agency": world.agency.pk,
    }
    first = client.post("/api/v1/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    second = client.post("/api/v1/complaints/", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert Complaint.objects.count() == 1
    other = client.post(
        "/api/v1/complaints/", body | {"title": "Lain"}, format="json", HTTP_IDEMPOTENCY_KEY="k-1"
    )
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert Complaint.objects.count() == 1


def test_a_keyed_action_retried_acts_once(world):
    c = routed_complaint(world)
    client = token_client(world.officer)
    a = client.post(
        url(c, "note"), {"body": "Sudah ditelepon"}, format="json", HTTP_IDEMPOTENCY_KEY="n-1"
    )
    b = client.post(
        url(c, "note"), {"body": "Sudah ditelepon"}, format="json", HTTP_IDEMPOTENCY_KEY="n-1"
    )
    assert a.status_code == b.status_code == 200
    assert c.events.filter(type="note").count() == 1


def test_a_refused_keyed_request_may_be_sent_again(world):
    c = routed_complaint(world)
    client = token_client(world.officer)
    bad = client.post(url(c, "note"), {"body": ""}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert bad.status_code == 400
    again = client.post(url(c, "note"), {"body": ""}, format="json", HTTP_IDEMPOTENCY_KEY="r-1")
    assert again.status_code == 400
    assert "Idempotent-Replayed" not in again


def test_an_action_the_role_may_not_take_is_refused_and_writes_nothing(world):
    c = routed_complaint(world)
    events = ComplaintEvent.objects.count()
    r = token_client(world.officer).post(url(c, "archive"), {"reason": "spam"}, format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "not_allowed"
    assert ComplaintEvent.objects.count() == events


def test_an_action_on_another_agencys_complaint_is_a_404(world):
    c = f.complaint(world.other)
    r = token_client(world.verifier).post(url(c, "verify"), {}, format="json")
    assert r.status_code == 404


def test_reporter_actions_need_the_right_code(world):
    c = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.verifier, message="Foto?")
    wrong = token_client(world.verifier).post(
        url(c, "reporter/supply-information"),
        {"access_code": "WRONG123", "body": "x"},
        format="json",
    )
    assert wrong.status_code == 404
    right = Client().post(
        url(c, "reporter/supply-information"),
        {"access_code": c.plain_access_code, "body": "Foto terlampir."},
        content_type="application/json",
    )
    assert right.status_code == 200, right.content
    assert right.json()["status"] == Status.SUBMITTED


def test_a_disguised_upload_from_the_reporter_is_refused(world):
    c = f.complaint(world.agency)
    services.complaint_hold_for_info(complaint_id=c.pk, actor=world.verifier, message="Foto?")
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("foto.png", b"<html><script>alert(1)</script></html>", "image/png")
    r = Client().post(
        url(c, "reporter/supply-information"),
        {"access_code": c.plain_access_code, "body": "Foto.", "attachments": [fake]},
    )
    assert r.status_code == 400, r.content
    assert r["Content-Type"] == "application/problem+json"
    c.refresh_from_db()
    assert c.status == Status.NEEDS_INFO


def test_every_action_the_case_offers_has_an_api_endpoint():
    from complaints import actions
    from complaints.api.casework import ACTIONS
    from complaints.api.views import api_actions

    assert set(api_actions(list(actions.CASE_ACTIONS))) <= set(ACTIONS)


def test_a_draft_carries_files_checked_like_every_upload(world):
    from tests.complaints.public_support import png_bytes, upload

    c = routed_complaint(world)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    client = token_client(world.officer)
    disguised = client.post(
        url(c, "draft"),
        {"body": "Hasil pemeriksaan terlampir.", "attachments": [upload("x.png", b"<html>")]},
        format="multipart",
    )
    assert disguised.status_code == 400
    assert disguised["Content-Type"].startswith("application/problem+json")
    assert not Response.objects.filter(complaint=c).exists()

    r = client.post(
        url(c, "draft"),
        {"body": "Hasil pemeriksaan terlampir.", "attachments": [upload("bap.png", png_bytes())]},
        format="multipart",
    )
    assert r.status_code == 200, r.content
    (draft,) = Response.objects.filter(complaint=c)
    assert [a.original_name for a in draft.attachments.all()] == ["bap.png"]
