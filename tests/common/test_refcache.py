"""The staff pages' per-process choice lists (common.refcache): built once, and rebuilt after
any change to the rows behind them, in this process at once and in another within a second."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import update_last_login
from django.core.cache import cache
from django.urls import reverse

from common import refcache
from complaints import services
from complaints.models import CannedResponse, Category, Membership, Role
from tests import factories as f
from tests.complaints.staff_world import client_for, routed_complaint

pytestmark = pytest.mark.django_db


def test_a_list_is_built_once_and_kept():
    built = []
    assert refcache.reference(("k",), lambda: built.append(1) or [1]) == [1]
    assert refcache.reference(("k",), lambda: built.append(1) or [2]) == [1]
    assert built == [1]


def test_a_list_expires(monkeypatch):
    refcache.reference(("k",), lambda: "old")
    monkeypatch.setattr(refcache, "REFERENCE_SECONDS", -1)
    refcache.clear()
    refcache.reference(("k",), lambda: "old")
    assert refcache.reference(("k",), lambda: "new") == "new"


def test_a_save_or_delete_of_a_watched_model_clears_every_list(staff_world):
    refcache.reference(("k",), lambda: "old")
    category = Category.objects.create(agency=staff_world.agency, name="Baru", slug="baru")
    assert refcache.reference(("k",), lambda: "after save") == "after save"
    category.delete()
    assert refcache.reference(("k",), lambda: "after delete") == "after delete"


def test_a_sign_in_keeps_the_lists(staff_world):
    refcache.reference(("k",), lambda: "kept")
    update_last_login(None, staff_world.officer)
    assert refcache.reference(("k",), lambda: "rebuilt") == "kept"


def test_another_process_change_is_followed_within_the_check_interval(monkeypatch):
    refcache.reference(("k",), lambda: "old")
    # Another process saved an agency: it moved the shared generation on.
    try:
        cache.incr(refcache.GENERATION_KEY)
    except ValueError:
        cache.set(refcache.GENERATION_KEY, 1, None)
    assert refcache.reference(("k",), lambda: "new") == "old"  # checked less than 1 s ago
    monkeypatch.setattr(refcache, "CHECK_SECONDS", 0)
    assert refcache.reference(("k",), lambda: "new") == "new"


def test_the_case_page_shows_an_officer_and_a_canned_answer_added_after_it_was_drawn(
    staff_world,
):
    world = staff_world
    c = routed_complaint(world)
    verifier = client_for(world.verifier)
    url = reverse("staff:case", args=[c.pk])
    assign = f"{url}?open=assign"
    assert "Petugas Baru" not in verifier.get(assign).content.decode()
    newcomer = f.UserFactory(full_name="Petugas Baru")
    Membership.objects.create(user=newcomer, agency=world.unit, role=Role.OFFICER)
    assert "Petugas Baru" in verifier.get(assign).content.decode()

    officer = client_for(world.officer)
    services.complaint_take(complaint_id=c.pk, actor=world.officer)
    assert "Jawaban templat baru" not in officer.get(url).content.decode()
    CannedResponse.objects.create(agency=world.agency, title="Jawaban templat baru", body="Isi")
    assert "Jawaban templat baru" in officer.get(url).content.decode()


def test_the_queue_filter_lists_a_category_added_after_it_was_drawn(staff_world):
    verifier = client_for(staff_world.verifier)
    queue = reverse("staff:queue")
    assert "Kategori Susulan" not in verifier.get(queue).content.decode()
    Category.objects.create(agency=staff_world.agency, name="Kategori Susulan", slug="susulan")
    assert "Kategori Susulan" in verifier.get(queue).content.decode()


def test_a_citizen_signing_up_keeps_the_lists_a_staff_change_clears_them(staff_world):
    refcache.reference(("k",), lambda: "kept")
    f.UserFactory(email="warga-baru@example.com")
    assert refcache.reference(("k",), lambda: "rebuilt") == "kept"
    staff_world.officer.full_name = "Oki Petugas Baru"
    staff_world.officer.save()
    assert refcache.reference(("k",), lambda: "rebuilt") == "rebuilt"


def test_the_queue_names_a_renamed_assignee_and_a_former_member(staff_world):
    world = staff_world
    routed_complaint(world, assignee=world.officer)
    c = routed_complaint(world, assignee=world.officer2)
    verifier = client_for(world.verifier)
    queue = reverse("staff:queue")
    verifier.get(queue)  # the names are kept from here on
    world.officer.full_name = "Nama Baru Petugas"
    world.officer.save()
    # a member who left keeps the complaints assigned to them, named all the same
    Membership.objects.filter(user=world.officer2).delete()
    html = verifier.get(queue).content.decode()
    assert "Nama Baru Petugas" in html
    assert world.officer2.get_full_name() in html
    assert c.display_tracking_number in html
