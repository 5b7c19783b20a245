"""Issue 19, the citizen path on the server: agency search by words, one file-size format,
compressed pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.selectors.public import agency_search_public
from complaints.templatetags.citizen import file_size
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def agencies():
    bpom = f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
    f.UnitFactory(parent=bpom, name="Balai Besar POM di Jakarta")
    jatim = f.AgencyFactory(name="Pemerintah Provinsi Jawa Timur", short_name="JATIM")
    kemenkes = f.AgencyFactory(name="Kementerian Kesehatan", short_name="KEMKES")
    other = f.AgencyFactory(name="Kementerian Agama", short_name="KEMENAG")
    return {"bpom": bpom, "jatim": jatim, "kemenkes": kemenkes, "other": other}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Balai Besar POM Jakarta", "bpom"),
        ("Jakarta balai besar pom", "bpom"),
        ("BBPOM Jakarta", "bpom"),
        ("BPOM", "bpom"),
        ("pengawas makanan dan obat", "bpom"),
        ("Pemprov Jawa Timur", "jatim"),
        ("Kemenkes", "kemenkes"),
        ("Kemen-kes", "kemenkes"),
    ],
)
def test_agency_search_reads_words_in_any_order_and_abbreviations(agencies, query, expected):
    found = agency_search_public(query=query)
    assert found == [agencies[expected]], [a.name for a in found]


def test_agency_search_needs_every_word(agencies):
    assert agency_search_public(query="Balai Besar POM Surabaya") == []
    # "di" and "dan" alone are no search: every agency is listed, as for an empty query
    assert len(agency_search_public(query="di dan")) == 4


def test_agency_search_query_count_does_not_grow_with_words(agencies, django_assert_num_queries):
    with django_assert_num_queries(2):
        agency_search_public(query="Balai Besar POM di Jakarta BBPOM Pemprov Kemenkes")


def test_one_file_size_format_on_staff_and_citizen_pages(world):
    from complaints.models import Attachment
    from tests.complaints.staff_world import client_for

    c = f.complaint(world.agency)
    Attachment.objects.create(
        complaint=c,
        file="attachments/foto.png",
        original_name="foto.png",
        content_type="image/png",
        size=10_240,
        sha256="0" * 64,
    )
    html = client_for(world.verifier).get(reverse("staff:case", args=[c.pk])).content.decode()
    # the citizen pages' format (file_size): "10 KB", never Django's "10,0 KB"
    assert file_size(10_240) == "10 KB"
    assert "image/png, 10 KB" in html
    assert "10,0" not in html


def test_pages_are_compressed(client, agencies):
    response = client.get(reverse("complaints:home"), HTTP_ACCEPT_ENCODING="gzip, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"


# -- "Laporan serupa": close matches only, at most three, searched once per draft -------------


def _checked(agency, *, title: str, location_text: str = ""):
    from complaints.models import Role
    from complaints.services import complaint_verify

    c = f.complaint(agency, title=title, location_text=location_text)
    complaint_verify(complaint_id=c.pk, actor=f.staff(agency, Role.VERIFIER))
    return c


def _draft_to_similar(client, agency, *, title: str, location: str):
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.post(
        reverse("complaints:file_story"),
        {"title": title, "body": "Apotek menjual obat yang sudah kedaluwarsa kepada saya."},
    )
    return client.post(reverse("complaints:file_when"), {"location": location})


def test_similar_reports_match_place_and_words_and_show_at_most_three(client, agency):
    title = "Apotek menjual obat kedaluwarsa"
    close = [
        _checked(agency, title=f"Apotek menjual obat kedaluwarsa lagi {i}", location_text=where)
        for i, where in enumerate(["Jl. Sabang 5, Jakarta Pusat", "Jakarta", "", "Jakarta Timur"])
    ]
    elsewhere = [
        _checked(agency, title="Apotek menjual obat kedaluwarsa", location_text=where)
        for where in ("Sentani, Jayapura", "Makassar", "Semarang", "Sidoarjo")
    ]
    unrelated = _checked(agency, title="Apakah obat herbal perlu izin edar?")
    response = _draft_to_similar(client, agency, title=title, location="Apotek Sehat, Jakarta")
    assert response["Location"] == reverse("complaints:file_similar")
    html = client.get(response["Location"]).content.decode()
    shown = [c for c in close if c.title in html]
    assert len(shown) == 3
    for c in [*elsewhere, unrelated]:
        assert c.location_text not in html or not c.location_text
    assert unrelated.title not in html
    # "continue with my own report" comes before the first match
    assert html.index("Lanjutkan laporan saya sendiri") < html.index(shown[0].title)


def test_only_the_newest_open_reports_are_compared(client, agency, monkeypatch):
    """A category with thousands of open complaints costs what a small one does: the step
    compares the newest SIMILAR_POOL open ones only."""
    monkeypatch.setattr("complaints.selectors.public.SIMILAR_POOL", 2)
    older = _checked(agency, title="Apotek menjual obat kedaluwarsa lama", location_text="Jakarta")
    _checked(agency, title="Antrean panjang di loket paspor", location_text="Jakarta")
    _checked(agency, title="Jalan rusak di depan kantor", location_text="Jakarta")
    response = _draft_to_similar(
        client, agency, title="Apotek menjual obat kedaluwarsa", location="Jakarta"
    )
    # the one close match is older than the two newest: not offered, the step is skipped
    assert response["Location"] != reverse("complaints:file_similar")
    monkeypatch.setattr("complaints.selectors.public.SIMILAR_POOL", 3)
    client.post(reverse("complaints:file_when"), {"location": "Jakarta Pusat"})
    html = client.get(reverse("complaints:file_similar")).content.decode()
    assert older.title in html


def test_unchecked_filings_do_not_push_checked_reports_out_of_the_pool(client, agency, monkeypatch):
    """A burst of new, unchecked reports (a mass incident) is never offered, and must not hide
    the checked report the next citizen should follow instead."""
    monkeypatch.setattr("complaints.selectors.public.SIMILAR_POOL", 2)
    checked = _checked(
        agency, title="Apotek menjual obat kedaluwarsa lagi", location_text="Jakarta"
    )
    unchecked = [
        f.complaint(agency, title="Apotek menjual obat kedaluwarsa", location_text="Jakarta")
        for _ in range(3)
    ]
    response = _draft_to_similar(
        client, agency, title="Apotek menjual obat kedaluwarsa", location="Jakarta"
    )
    assert response["Location"] == reverse("complaints:file_similar")
    html = client.get(response["Location"]).content.decode()
    assert checked.title in html
    assert all(c.tracking_number not in html for c in unchecked)


def test_no_close_match_skips_the_step(client, agency):
    _checked(agency, title="Antrean panjang di loket paspor", location_text="Jakarta")
    _checked(agency, title="Apotek menjual obat kedaluwarsa", location_text="Makassar")
    response = _draft_to_similar(
        client, agency, title="Apotek menjual obat kedaluwarsa", location="Jakarta"
    )
    assert response["Location"] == reverse("complaints:file_attachments")


def test_similar_reports_are_searched_once_per_draft(client, agency):
    first = _checked(agency, title="Apotek menjual obat kedaluwarsa", location_text="Jakarta")
    response = _draft_to_similar(
        client, agency, title="Apotek menjual obat kedaluwarsa", location="Jakarta"
    )
    assert response["Location"] == reverse("complaints:file_similar")
    # a close report filed meanwhile is not searched for again on the later steps
    later = _checked(agency, title="Apotek menjual obat kedaluwarsa", location_text="Jakarta")
    html = client.get(reverse("complaints:file_similar")).content.decode()
    assert html.count(first.title) >= 1
    assert f'value="{later.pk}"' not in html
    from complaints.services.drafts import SESSION_KEY

    kept = client.session[SESSION_KEY]["similar"]
    assert kept["ids"] == [first.pk]
    client.post(reverse("complaints:file_similar"), {"action": "new"})
    client.get(reverse("complaints:file_attachments"))
    assert client.session[SESSION_KEY]["similar"]["ids"] == [first.pk]
    # changing the title searches again, the next time the matches are asked for
    client.post(
        reverse("complaints:file_story") + "?ubah=1",
        {"title": "Apotek menjual obat kedaluwarsa sekali", "body": "Lagi."},
    )
    client.get(reverse("complaints:file_similar"))
    assert set(client.session[SESSION_KEY]["similar"]["ids"]) == {first.pk, later.pk}


def test_similar_reports_on_sqlite(tmp_path):
    from tests.sqlite_harness import run_on_sqlite

    result = run_on_sqlite(
        """
import django, json
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from complaints.models import Complaint, Status
from complaints.selectors.public import complaint_similar_for_filing
from tests import factories as f
agency = f.AgencyFactory(name="Badan Pengawas Obat dan Makanan", short_name="BPOM")
near = f.complaint(agency, title="Apotek menjual obat kedaluwarsa", location_text="Jakarta")
far = f.complaint(agency, title="Apotek menjual obat kedaluwarsa", location_text="Makassar")
other = f.complaint(agency, title="Antrean paspor panjang", location_text="Jakarta")
Complaint.objects.update(status=Status.VERIFIED)
found = complaint_similar_for_filing(
    agency_id=agency.pk, category_id=None, title="Apotek jual obat kedaluwarsa", place="Jakarta"
)
print("RESULT:" + json.dumps([c.pk == near.pk for c in found]))
""",
        tmp_path,
    )
    assert result == [True]


# -- What each filing step reads ---------------------------------------------------------------


@pytest.mark.parametrize("n_categories", [1, 25])
def test_each_filing_step_reads_its_session_and_little_else(
    client, agency, n_categories, django_assert_num_queries
):
    """The question pages cost the session's read (and, after an answer, its write) whatever
    the number of categories: agencies and categories come from the per-process lists."""
    from complaints.models import Category

    categories = [
        Category.objects.create(agency=agency, name=f"Kategori {i}", slug=f"kategori-{i}")
        for i in range(n_categories)
    ]
    client.get(reverse("complaints:file_kind"))
    client.post(reverse("complaints:file_kind"), {"kind": "complaint"})
    client.post(reverse("complaints:file_agency"), {"agency": str(agency.pk)})
    client.get(reverse("complaints:file_category"))  # the kept lists are built once
    for name in ("file_kind", "file_category"):
        with django_assert_num_queries(1):  # the session
            assert client.get(reverse(f"complaints:{name}")).status_code == 200
    with django_assert_num_queries(2):  # the session, read and written
        response = client.post(
            reverse("complaints:file_category"), {"category": str(categories[-1].pk)}
        )
    assert response["Location"] == reverse("complaints:file_story")
    with django_assert_num_queries(2):
        client.post(reverse("complaints:file_story"), STORY_ANSWERS)
    client.post(reverse("complaints:file_when"), {"location": "Jakarta"})  # similar reports
    for name, answers in (
        ("file_attachments", {"action": "continue"}),
        ("file_privacy", {}),
        ("file_contact", {"name": "Siti Aminah", "email": "siti@example.com", "phone": ""}),
    ):
        with django_assert_num_queries(1):
            assert client.get(reverse(f"complaints:{name}")).status_code == 200
        with django_assert_num_queries(2):
            assert client.post(reverse(f"complaints:{name}"), answers).status_code == 302


STORY_ANSWERS = {
    "title": "Antrean puskesmas sangat lama",
    "body": "Saya menunggu lima jam di puskesmas tanpa kepastian.",
}
