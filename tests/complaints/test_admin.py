"""The Django admin over complaints: found by the number as printed, messages not shown."""

from __future__ import annotations

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
