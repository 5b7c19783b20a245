# ruff: noqa: F811 - the shared `world` fixture is imported and requested by name
"""Second QA round of the staff workspace: bulk actions offered by role, saved views under a
name already used, the walk-in reporter's phone, the queue filters' error wording, and the
confirmation step of archive and merge on the case page."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, Membership, Role, SavedFilter, Status
from tests import factories as f
from tests.complaints.staff_world import client_for, world  # noqa: F401

pytestmark = pytest.mark.django_db

QUEUE = reverse("staff:queue")
BULK = reverse("staff:bulk")


def item(c: Complaint) -> str:
    return f"{c.pk}:{c.version}"


def bulk_buttons(html: str) -> set[str]:
    return set(re.findall(r'<button type="submit" name="action" value="(\w+)"', html))


def _routed(world, unit=None) -> Complaint:
    c = f.complaint(world.agency, category=world.category)
    services.complaint_verify(complaint_id=c.pk, actor=world.verifier)
    services.complaint_route(complaint_id=c.pk, actor=world.verifier, unit=unit or world.unit)
    c.refresh_from_db()
    return c


# 1. Bulk actions only for the roles that can perform them


@pytest.mark.parametrize("who", ["officer", "focal", "coordinator"])
def test_roles_without_a_bulk_action_get_no_checkboxes_and_no_bulk_buttons(world, who):
    # given a routed complaint every one of these roles sees in the queue
    c = _routed(world)
    user = {
        "officer": world.officer,
        "focal": world.focal,
        "coordinator": f.staff(world.agency, Role.COORDINATOR, full_name="Koordinator"),
    }[who]
    # when they open the queue
    r = client_for(user).get(QUEUE)
    html = r.content.decode()
    # then the complaint is listed, without a checkbox, a select column or a bulk button
    assert [row.pk for row in r.context["page"].rows] == [c.pk]
    assert 'name="items"' not in html
    assert "data-select-all" not in html
    assert bulk_buttons(html) == set()
    # nor the "handled by another agency" hint, which is about forwarded complaints
    assert "data-read-only-list" not in html


def test_each_bulk_action_is_offered_only_to_the_roles_that_allow_it(world):
    _routed(world)
    f.complaint(world.agency)
    # an approver routes and assigns, but does not verify or archive
    approver = client_for(world.approver).get(QUEUE).content.decode()
    assert bulk_buttons(approver) == {"assign", "route"}
    assert 'name="items"' in approver
    # a verifier and the national admin have them all
    for user in (world.verifier, world.admin):
        html = client_for(user).get(QUEUE).content.decode()
        assert bulk_buttons(html) == {"assign", "route", "verify", "archive"}


def test_rows_where_the_viewer_holds_no_bulk_role_have_no_checkbox(world):
    # given a verifier of one agency who is also an officer of another agency's unit
    mine = f.complaint(world.agency)
    theirs = f.complaint(world.other)
    services.complaint_verify(complaint_id=theirs.pk, actor=world.other_verifier)
    services.complaint_route(
        complaint_id=theirs.pk, actor=world.other_verifier, unit=world.other_unit
    )
    Membership.objects.create(user=world.verifier, agency=world.other_unit, role=Role.OFFICER)
    # when the queue lists both
    r = client_for(world.verifier).get(QUEUE)
    html = r.content.decode()
    assert {row.pk for row in r.context["page"].rows} == {mine.pk, theirs.pk}
    # then only the verifier's own agency's complaint can be selected
    assert f'id="item-{mine.pk}"' in html
    assert f'id="item-{theirs.pk}"' not in html


def test_a_bulk_action_the_role_does_not_allow_is_skipped_with_the_reason(world):
    c = _routed(world)
    r = client_for(world.officer).post(BULK, {"action": "archive", "items": [item(c)]})
    html = r.content.decode()
    assert "data-skipped" in html
    assert "Peran Anda tidak mengizinkan tindakan ini pada laporan ini." in html


# 2. Saving a view under a name already used


def test_saving_a_view_under_a_name_already_used_is_refused_on_the_name_field(world):
    client = client_for(world.verifier)
    save = reverse("staff:saved_filter_create")
    client.post(save, {"name": "Lewat batas", "query": "clock=overdue"})
    # when the same name is saved again (in another letter case) for another view
    r = client.post(save, {"name": "lewat BATAS", "query": "kind=suggestion"})
    html = r.content.decode()
    # then nothing is overwritten: the error is on the name field, the input is kept
    assert r.status_code == 400
    assert "<title>Kesalahan: " in html
    message = "Anda sudah memiliki tampilan dengan nama ini. Masukkan nama lain"
    assert f'href="#id_name">{message}</a>' in html
    assert 'id="id_name-error"' in html
    assert 'value="lewat BATAS"' in html
    # and the view being saved is the one on the page
    assert r.context["form"].cleaned_data["kind"] == ["suggestion"]
    saved = SavedFilter.objects.get(user=world.verifier)
    assert (saved.name, saved.query) == ("Lewat batas", "clock=overdue")
    # another user may use the same name
    other = client_for(world.approver).post(save, {"name": "Lewat batas", "query": "kind=x"})
    assert other.status_code == 302
    assert SavedFilter.objects.filter(name="Lewat batas").count() == 2


def test_a_view_name_that_is_too_long_gets_the_house_wording(world):
    r = client_for(world.verifier).post(
        reverse("staff:saved_filter_create"), {"name": "x" * 101, "query": ""}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nama tampilan ini harus 100 karakter atau kurang" in html
    assert "Pastikan" not in html
    assert not SavedFilter.objects.exists()


# 3. The walk-in reporter's phone: the citizen form's rules and message


def _walk_in(**changes) -> dict:
    from complaints.models import Channel, Kind

    return {
        "channel": Channel.WALK_IN,
        "kind": Kind.COMPLAINT,
        "title": "Pelayanan lambat",
        "body": "Pelapor datang: antrean tiga jam.",
        "reporter_name": "Ibu Sari",
        **changes,
    }


def test_a_walk_in_phone_that_is_not_a_phone_number_is_refused(world):
    r = client_for(world.verifier).post(
        reverse("staff:new"), _walk_in(agency=world.agency.pk, reporter_phone="12ab")
    )
    html = r.content.decode()
    message = "Masukkan nomor telepon seperti 0812 3456 7890 atau +62 812 3456 7890"
    assert r.status_code == 400
    assert f'href="#id_reporter_phone">{message}</a>' in html
    # one error on the field: not also "enter the phone or email"
    assert list(r.context["form"].errors) == ["reporter_phone"]
    assert len(r.context["form"].errors["reporter_phone"]) == 1
    assert 'value="12ab"' in html
    assert not Complaint.objects.filter(title="Pelayanan lambat").exists()


@pytest.mark.parametrize("typed", ["+62 812-3456-7890", "62 812 3456 7890", "(0812) 3456.7890"])
def test_a_walk_in_phone_is_stored_normalized(world, typed):
    r = client_for(world.verifier).post(
        reverse("staff:new"), _walk_in(agency=world.agency.pk, reporter_phone=typed)
    )
    assert r.status_code == 302
    assert Complaint.objects.get(title="Pelayanan lambat").reporter_phone == "+6281234567890"


# 4. The queue filters and staff forms say their limits in the house wording


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 600}, "Kata pencarian harus 200 karakter atau kurang"),
        ({"q": "obat\x00"}, "Teks tidak boleh berisi karakter null"),
    ],
)
def test_bad_search_values_get_the_house_wording(world, params, message):
    f.complaint(world.agency)
    r = client_for(world.verifier).get(QUEUE, params)
    html = r.content.decode()
    assert r.status_code == 200
    assert f'href="#id_q">{message}</a>' in html
    assert f"</span> {message}</p>" in html  # beside the search box as well
    assert "Pastikan" not in html
    assert "tidak diperbolehkan" not in html
    assert "queue-table" in html


def test_no_queue_filter_value_gets_a_django_default_message(world):
    # every field of the filter form, each with a value it refuses
    f.complaint(world.agency)
    bad = {
        "q": ["x" * 201],
        "status": ["bogus"],
        "kind": ["x"],
        "clock": ["late"],
        "category": ["abc"],
        "unit": ["-1"],
        "assignee": ["somebody"],
        "channel": ["fax"],
        "privacy": ["secret"],
        "date_from": ["2026-13-45"],
        "date_to": ["kemarin"],
        "sort": ["DROP TABLE"],
        "page": ["abc"],
    }
    r = client_for(world.verifier).get(QUEUE, bad)
    form = r.context["form"]
    assert set(form.errors) == set(bad)
    from django import forms as django_forms

    defaults = set()
    for field_class in (
        django_forms.CharField,
        django_forms.ChoiceField,
        django_forms.MultipleChoiceField,
        django_forms.DateField,
        django_forms.IntegerField,
    ):
        defaults |= {str(m) for m in field_class().error_messages.values()}
    messages = [str(m) for errors in form.errors.values() for m in errors]
    assert not [m for m in messages if m in defaults or m.startswith("Pastikan")]


def test_staff_form_limits_get_the_house_wording(world):
    client = client_for(world.verifier)
    r = client.post(
        reverse("staff:new"),
        _walk_in(
            agency=world.agency.pk,
            reporter_phone="0812 3456 7890",
            reporter_name="n" * 151,
            location_text="l" * 256,
        ),
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Nama pelapor harus 150 karakter atau kurang" in html
    assert "Lokasi harus 255 karakter atau kurang" in html
    assert "Pastikan" not in html
    c = f.complaint(world.agency)
    r = client.post(
        reverse("staff:action", args=[c.pk, "archive"]),
        {"version": c.version, "reason": "other", "detail": "d" * 201},
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Alasan harus 200 karakter atau kurang" in html
    assert "Pastikan" not in html


# 5. Archive and merge on the case page ask for confirmation first


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def test_archive_shows_what_will_happen_before_it_happens(world):
    c = f.complaint(world.agency, title="Obat palsu di pasar")
    client = client_for(world.verifier)
    typed = {"version": c.version, "reason": "not_public_service", "detail": "Urusan “pribadi”"}
    # when the verifier archives from the case page
    r = client.post(action_url(c, "archive"), typed)
    html = r.content.decode()
    # then a confirmation page says which complaint, the reason and that it cannot be undone
    assert r.status_code == 200
    assert "<title>Arsipkan laporan ini? \u2013 Aduan</title>" in html
    assert "<h1>Arsipkan laporan ini?</h1>" in html
    assert c.display_tracking_number in html
    assert "Obat palsu di pasar" in html
    reason = html.split("data-confirm-reason>", 1)[1].split("</dd>", 1)[0]
    assert reason == "Bukan masalah pelayanan publik: Urusan “pribadi”"
    assert "tidak dapat dibuka kembali" in html
    button = 'class="button button--warning" data-confirm-button>Arsipkan laporan ini</button>'
    assert button in html
    # what was typed travels with it
    assert 'name="reason" value="not_public_service"' in html
    assert 'name="detail" value="Urusan “pribadi”"' in html
    assert f'name="version" value="{c.version}"' in html
    assert 'name="confirm" value="1"' in html
    # "Back" posts the same fields back and lands on the archive form
    back = f'formaction="{action_url(c, "archive")}#action-archive" name="change"'
    assert back in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED
    # and only the confirmation archives it
    r = client.post(action_url(c, "archive"), {**typed, "confirm": "1"})
    assert r.status_code == 302
    assert r["Location"] == case_url(c)
    c.refresh_from_db()
    assert c.status == Status.ARCHIVED
    assert c.archive_reason == "Not a public-service matter: Urusan “pribadi”"


def test_back_from_the_confirmation_keeps_what_was_typed(world):
    c = f.complaint(world.agency)
    r = client_for(world.verifier).post(
        action_url(c, "archive"),
        {
            "version": c.version,
            "reason": "other",
            "detail": "Laporan ganda dari warga",
            "confirm": "1",
            "change": "1",
        },
    )
    html = r.content.decode()
    # then the case page, its archive form open with the reason and explanation kept
    assert r.status_code == 200
    assert f'<h1><span class="tracking">{c.display_tracking_number}</span>' in html
    archive = html.split('data-action="archive"', 1)[1].split("</form>", 1)[0]
    assert 'value="Laporan ganda dari warga"' in archive
    assert re.search(r'value="other"[^>]*checked', archive)
    before_form = html.split('data-action="archive"')[0]
    assert '<details class="action-details" open>' in before_form[-400:]
    assert "data-error-summary" not in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_merge_shows_the_target_before_it_happens(world):
    a = f.complaint(world.agency, title="Apotek menjual obat keras")
    b = f.complaint(world.agency, title="Obat keras dijual bebas di apotek")
    client = client_for(world.verifier)
    typed = {"version": a.version, "into": b.display_tracking_number.lower()}
    r = client.post(action_url(a, "merge"), typed)
    html = r.content.decode()
    assert r.status_code == 200
    assert f"<h1>Gabungkan laporan ini ke {b.display_tracking_number}?</h1>" in html
    target = html.split("data-confirm-target>", 1)[1].split("</div>", 1)[0]
    assert b.display_tracking_number in target
    assert "Obat keras dijual bebas di apotek" in target
    assert "Apotek menjual obat keras" in html
    assert f"Duplikat dari {b.display_tracking_number}" in html
    assert "tidak dapat dibatalkan" in html
    assert f'name="into" value="{b.display_tracking_number.lower()}"' in html
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED
    r = client.post(action_url(a, "merge"), {**typed, "confirm": "1"})
    assert r.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.merged_into) == (Status.ARCHIVED, b)


def test_a_merge_that_cannot_happen_is_not_offered_for_confirmation(world):
    a = f.complaint(world.agency)
    closed = f.complaint(world.agency)
    services.complaint_archive(complaint_id=closed.pk, actor=world.verifier, reason="Spam")
    client = client_for(world.verifier)
    for into, message in (
        (a.display_tracking_number, "Laporan tidak dapat digabungkan dengan dirinya sendiri."),
        (closed.display_tracking_number, "Gabungkan ke laporan yang masih terbuka."),
    ):
        r = client.post(action_url(a, "merge"), {"version": a.version, "into": into})
        html = r.content.decode()
        assert r.status_code == 400
        assert message in html
        assert "data-confirm-button" not in html
    a.refresh_from_db()
    assert a.status == Status.SUBMITTED


def test_a_complaint_changed_before_the_confirmation_is_not_archived_or_merged(world):
    a = f.complaint(world.agency)
    b = f.complaint(world.agency)
    loaded = a.version
    client = client_for(world.verifier)
    confirm = client.post(action_url(a, "merge"), {"version": loaded, "into": b.tracking_number})
    assert confirm.status_code == 200
    # someone else holds it for information meanwhile
    services.complaint_hold_for_info(complaint_id=a.pk, actor=world.admin, message="Lengkapi")
    for name, data in (
        ("merge", {"into": b.tracking_number}),
        ("archive", {"reason": "spam"}),
    ):
        r = client.post(action_url(a, name), {"version": loaded, **data, "confirm": "1"})
        html = r.content.decode()
        assert r.status_code == 409, name
        assert "Admin Nasional" in html
        assert "data-action-error" in html
    a.refresh_from_db()
    assert a.status == Status.NEEDS_INFO
    assert a.merged_into is None


def test_a_role_that_cannot_archive_gets_no_confirmation(world):
    c = f.complaint(world.agency)
    r = client_for(world.approver).post(
        action_url(c, "archive"), {"version": c.version, "reason": "spam"}
    )
    html = r.content.decode()
    assert r.status_code == 400
    assert "Peran Anda tidak mengizinkan tindakan ini pada laporan ini." in html
    assert "data-confirm-button" not in html
    c.refresh_from_db()
    assert c.status == Status.SUBMITTED


def test_archive_and_merge_forms_are_plain_posts_other_actions_stay_boosted(world):
    c = f.complaint(world.agency)
    html = client_for(world.verifier).get(case_url(c)).content.decode()
    for name in ("archive", "merge"):
        tag = re.search(rf'<form [^>]*data-action="{name}"[^>]*>', html).group(0)
        assert 'hx-boost="false"' in tag, name
    tag = re.search(r'<form [^>]*data-action="hold"[^>]*>', html).group(0)
    assert "hx-boost" not in tag
