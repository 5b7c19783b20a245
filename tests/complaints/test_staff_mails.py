"""Mails to staff link to the case page; a re-route or a reassignment tells the officer who
had the complaint."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse

from complaints import services
from complaints.models import Complaint, Notification
from tests import factories as f
from tests.complaints.staff_world import client_for, routed_complaint, verified_complaint

pytestmark = pytest.mark.django_db


def case_url(c: Complaint) -> str:
    return reverse("staff:case", args=[c.pk])


def action_url(c: Complaint, name: str) -> str:
    return reverse("staff:action", args=[c.pk, name])


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
    c = verified_complaint(world)
    services.complaint_route(
        complaint_id=c.pk, actor=world.verifier, unit=world.unit, assignee=world.officer
    )
    mail = Notification.objects.get(kind="staff_routed", recipient=world.officer.email)
    assert case_url(c) in mail.body


def test_single_re_route_tells_the_previous_assignee(world):
    c = routed_complaint(world, assignee=world.officer)
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
    c = routed_complaint(world)
    # a first assignment takes it from nobody
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer)
    assert not Notification.objects.filter(kind="staff_unassigned").exists()
    services.complaint_assign(complaint_id=c.pk, actor=world.verifier, assignee=world.officer2)
    mail = Notification.objects.get(kind="staff_unassigned", recipient=world.officer.email)
    assert case_url(c) in mail.body
