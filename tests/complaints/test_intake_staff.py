"""What staff see of the intake channels: the channel on the case page, a reply by email on the
timeline with the reporter's entries, and the channel filter in the queue."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from complaints.models import Channel, Complaint, EmailThread
from complaints.services.intake import chat_message_receive, email_intake_receive
from tests import factories as f
from tests.complaints.staff_world import client_for

pytestmark = pytest.mark.django_db

EML = Path(__file__).parent / "eml"


@pytest.fixture
def national_admin():
    return f.UserFactory(is_national_admin=True)


def test_the_case_page_shows_the_email_channel_and_the_reply(national_admin):
    email_intake_receive(raw=(EML / "plain.eml").read_bytes())
    c = Complaint.objects.get()
    EmailThread.objects.filter(complaint=c).update(token="0123456789abcdef")
    email_intake_receive(raw=(EML / "reply.eml").read_bytes())

    html = client_for(national_admin).get(reverse("staff:case", args=[c.pk])).content.decode()
    assert "Kanal: Email" in html
    assert "Pesan dari pelapor" in html
    assert "berjaga di loket 2" in html
    assert "Dari pelapor" in html  # the reporter's group on the timeline


def test_the_queue_filters_by_intake_channel(national_admin):
    email_intake_receive(raw=(EML / "html_only.eml").read_bytes())
    for i, text in enumerate(
        [
            "halo",
            "tidak tahu",
            "Lampu jalan mati di seluruh gang sejak minggu lalu.",
            "Gang Mawar",
            "tidak tahu",
        ]
    ):
        chat_message_receive(channel="sms", sender="0811", text=text, message_id=f"s{i}")
    by_sms = Complaint.objects.get(channel=Channel.SMS)
    by_email = Complaint.objects.get(channel=Channel.EMAIL)
    client = client_for(national_admin)
    html = client.get(reverse("staff:queue"), {"channel": "sms"}).content.decode()
    assert by_sms.title in html
    assert by_email.title not in html
