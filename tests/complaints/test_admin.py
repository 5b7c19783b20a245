"""The Django admin over complaints: found by the number as printed, messages not shown."""

from __future__ import annotations

import json
import re

import pytest
from django.urls import reverse

from complaints.models import Notification
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(f.UserFactory(is_staff=True, is_superuser=True))
    return client


def test_complaint_search_takes_the_number_as_printed(admin_client):
    agency = f.AgencyFactory()
    wanted = f.complaint(agency, title="Antrean panjang")
    other = f.complaint(agency, title="Jalan rusak")
    url = reverse("admin:complaints_complaint_changelist")
    for term in (wanted.display_tracking_number, wanted.display_tracking_number.lower()):
        page = admin_client.get(url, {"q": term}).content.decode()
        assert wanted.title in page
        assert other.title not in page
    # words still search titles
    page = admin_client.get(url, {"q": "rusak"}).content.decode()
    assert other.title in page
    assert wanted.title not in page


def test_notification_page_withholds_the_message_body(admin_client):
    c = f.complaint(f.AgencyFactory())
    note = Notification.objects.filter(complaint=c).first()
    assert note is not None  # the receipt
    Notification.objects.filter(pk=note.pk).update(body="Buka: https://aduan.test/l/rahasia-token")
    page = admin_client.get(reverse("admin:complaints_notification_change", args=[note.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "rahasia-token" not in html
    listed = admin_client.get(
        reverse("admin:complaints_notification_changelist"), {"q": c.display_tracking_number}
    )
    assert listed.context["cl"].result_count == Notification.objects.filter(complaint=c).count()
    other = f.complaint(f.AgencyFactory())
    listed = admin_client.get(
        reverse("admin:complaints_notification_changelist"), {"q": other.display_tracking_number}
    )
    assert c.pk not in {n.complaint_id for n in listed.context["cl"].result_list}


def test_escalations_can_be_filtered_and_searched(admin_client):
    url = reverse("admin:complaints_escalation_changelist")
    assert admin_client.get(url, {"level": "3", "q": "abc"}).status_code == 200


def test_the_national_default_sla_policy_cannot_be_deleted(admin_client):
    from complaints.models import SlaPolicy

    default = SlaPolicy.objects.create(name="Nasional")
    agency_policy = SlaPolicy.objects.create(name="Khusus", agency=f.AgencyFactory())
    delete = "admin:complaints_slapolicy_delete"
    assert admin_client.get(reverse(delete, args=[default.pk])).status_code == 403
    assert admin_client.get(reverse(delete, args=[agency_policy.pk])).status_code == 200
    listed = admin_client.get(reverse("admin:complaints_slapolicy_changelist"))
    assert "delete_selected" not in listed.content.decode()


def _policy_form(policy=None, **changes) -> dict:
    """The admin form's fields for a policy: its current values (or the model's defaults),
    with `changes`."""
    from django.forms.models import model_to_dict

    from complaints.models import SlaPolicy
    from complaints.services.policy import SLA_DAY_FIELDS

    values = model_to_dict(policy or SlaPolicy(name="Kebijakan"))
    data = {
        field: "" if values.get(field) is None else values[field]
        for field in ("name", "agency", "category", *SLA_DAY_FIELDS)
    }
    data["escalation_ladder"] = json.dumps(values.get("escalation_ladder") or [])
    if values.get("is_active"):
        data["is_active"] = "on"
    data.update({k: v for k, v in changes.items() if v is not None})
    for key in [k for k, v in changes.items() if v is None]:
        data.pop(key, None)
    return data


def test_admin_policy_edits_keep_the_service_rules(admin_client):
    from complaints.models import SlaPolicy

    national = SlaPolicy.objects.create(name="Nasional")
    agency = f.AgencyFactory()
    other = f.AgencyFactory()
    foreign_category = f.CategoryFactory(agency=other)
    add = reverse("admin:complaints_slapolicy_add")
    change = reverse("admin:complaints_slapolicy_change", args=[national.pk])

    # a day count out of range, a warning after the end of its clock
    page = admin_client.post(change, _policy_form(national, verify_days=0, due_soon_days=20))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Antara 1 dan 365 hari kerja." in html
    assert "Hari segera jatuh tempo harus lebih sedikit" in html
    national.refresh_from_db()
    assert national.verify_days != 0

    # the national default stays active
    html = admin_client.post(change, _policy_form(national, is_active=None)).content.decode()
    assert "Kebijakan nasional tidak dapat dinonaktifkan" in html
    national.refresh_from_db()
    assert national.is_active

    # a category of another agency; a second active policy for one scope
    html = admin_client.post(
        add, _policy_form(name="Salah", agency=agency.pk, category=foreign_category.pk)
    ).content.decode()
    assert "Kategori ini milik instansi lain" in html
    assert admin_client.post(add, _policy_form(name="Khusus", agency=agency.pk)).status_code == 302
    html = admin_client.post(add, _policy_form(name="Lagi", agency=agency.pk)).content.decode()
    assert "sudah berlaku untuk instansi dan kategori ini" in html
    assert SlaPolicy.objects.filter(agency=agency, is_active=True).count() == 1

    # a valid edit saves; the scope of an existing policy is shown, not edited
    policy = SlaPolicy.objects.get(agency=agency)
    edit = reverse("admin:complaints_slapolicy_change", args=[policy.pk])
    assert admin_client.post(edit, _policy_form(policy, verify_days=5)).status_code == 302
    policy.refresh_from_db()
    assert policy.verify_days == 5
    assert 'name="agency"' not in admin_client.get(edit).content.decode()


def _column_headers(html: str) -> list[str]:
    # A sorted column puts its sort options before the text.
    cells = re.findall(r'<th scope="col"[^>]*>.*?<div class="text">(.*?)</div>', html, re.S)
    # The select-all checkbox column has no words.
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells if "<input" not in cell]


def test_changelists_speak_indonesian_and_print_tracking_numbers(admin_client):
    # given: a complaint with its receipt, events, an escalation, and a policy
    from django.utils import timezone

    from complaints.models import Escalation, SlaPolicy

    c = f.complaint(f.AgencyFactory())
    now = timezone.now()
    Escalation.objects.create(complaint=c, clock="verify", level=1, due_at=now, created_at=now)
    SlaPolicy.objects.create(name="Nasional")
    expected = {
        "complaint": ["Nomor pelacakan", "Judul", "Instansi", "Status", "Tenggat saat ini"],
        "escalation": ["Laporan", "Jenis tenggat", "Tingkat", "Dibuat pada", "Diterima pada"],
        "notification": ["Penerima", "Jenis", "Status", "Percobaan", "Dibuat pada", "Dikirim pada"],
        "complaintevent": ["Laporan", "Jenis", "Pelaku", "Dibuat pada"],
        "slapolicy": [
            "Nama",
            "Instansi",
            "Kategori",
            "Verifikasi (hari kerja)",
            "Tanggapan pertama (hari kerja)",
            "Aktif",
        ],
    }
    for model, headers in expected.items():
        # when
        url = reverse(f"admin:complaints_{model}_changelist")
        html = admin_client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
        # then
        assert _column_headers(html) == headers, model
        for english in ("Acknowledged at", "Current due at", "Recipient", "Created at"):
            assert english not in html, (model, english)
    listed = admin_client.get(reverse("admin:complaints_complaint_changelist")).content.decode()
    assert c.display_tracking_number in listed
    assert c.tracking_number not in listed
    shown = admin_client.get(reverse("admin:complaints_complaint_change", args=[c.pk]))
    assert shown.status_code == 200
    assert c.display_tracking_number in shown.content.decode()
    index = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert ">Pengaduan</a>" in index
    assert "Antrean laporan" not in index


def test_event_search_takes_the_number_as_printed(admin_client):
    from complaints.models import ComplaintEvent

    wanted = f.complaint(f.AgencyFactory())
    f.complaint(f.AgencyFactory())
    url = reverse("admin:complaints_complaintevent_changelist")
    assert admin_client.get(url).context["cl"].result_count == ComplaintEvent.objects.count()
    listed = admin_client.get(url, {"q": wanted.display_tracking_number}).context["cl"]
    assert listed.result_count == ComplaintEvent.objects.filter(complaint=wanted).count() > 0
    assert {e.complaint_id for e in listed.result_list} == {wanted.pk}


def test_message_kinds_are_named_in_the_admin_and_match_the_templates(admin_client):
    from pathlib import Path

    from django.conf import settings
    from django.utils import translation

    from complaints.models import message_kinds
    from complaints.notifications import notification_queue

    emails = Path(settings.BASE_DIR) / "templates" / "emails"
    pairs = {p.name[: -len("_subject.txt")] for p in emails.glob("*_subject.txt")}
    # escalation_digest is how an "escalation" message naming several escalations renders;
    # the kinds are complaints' own and those focal_points registers
    assert message_kinds() == pairs - {"escalation_digest"}
    for kind in pairs:
        assert (emails / f"{kind}.txt").exists(), kind

    c = f.complaint(f.AgencyFactory())  # writes the receipt
    url = reverse("admin:complaints_notification_changelist")
    with translation.override("id"):
        html = admin_client.get(url, {"q": c.display_tracking_number}).content.decode()
    assert "Tanda terima" in html
    assert ">receipt<" not in html

    with pytest.raises(ValueError, match="unknown message kind"):
        notification_queue(kind="no_such_kind", cause_key="x", recipient="a@b.example")


def test_category_guidance_has_an_english_field(admin_client):
    category = f.CategoryFactory(
        agency=f.AgencyFactory(),
        out_of_scope_guidance="Laporkan ke kepolisian.",
        out_of_scope_guidance_en="Report it to the police.",
    )
    page = admin_client.get(reverse("admin:complaints_category_change", args=[category.pk]))
    html = page.content.decode()
    assert 'name="out_of_scope_guidance_en"' in html
    assert "Report it to the police." in html
