"""Emails are plain text: what people typed is mailed as typed, never HTML-escaped."""

from __future__ import annotations

import pytest

from complaints import delivery, sweeps
from complaints.clock import clear_calendar_cache
from complaints.models import Notification
from tests import factories as f
from tests.complaints.sweep_support import at, due_complaint, end_of, make_org

pytestmark = pytest.mark.django_db

TITLE = 'Layanan "SIM keliling" tidak datang hari Jum\'at & Sabtu <pagi>'
ESCAPED = ("&quot;", "&#x27;", "&#39;", "&amp;", "&lt;", "&gt;")


def _assert_as_typed(text: str) -> None:
    assert TITLE in text
    for entity in ESCAPED:
        assert entity not in text


def test_the_receipt_quotes_the_title_as_typed():
    complaint = f.complaint(f.AgencyFactory(), title=TITLE)
    receipt = Notification.objects.get(complaint=complaint, kind="receipt")
    _assert_as_typed(receipt.body)


def test_a_message_rendered_at_delivery_quotes_titles_as_typed():
    clear_calendar_cache()
    org = make_org()
    for _ in range(2):
        due_complaint(org["agency"], end_of(13), unit=org["unit"], title=TITLE)
    sweeps.sla_sweep(now=at(14))
    digest = Notification.objects.get(kind="escalation", recipient="verifier@example.go.id")
    assert digest.body == ""  # rendered when delivered
    assert delivery.notification_deliver(notification_id=digest.pk, now=at(19)) is True
    digest.refresh_from_db()
    _assert_as_typed(digest.body)
    clear_calendar_cache()
