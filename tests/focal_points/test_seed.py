"""`manage.py seed_demo` builds a consistent demo and a second run changes nothing."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import F
from django.utils import timezone

from accounts.models import User
from complaints.models import (
    OPEN_STATUSES,
    Agency,
    CalendarDay,
    Category,
    Complaint,
    ComplaintEvent,
    Escalation,
    Membership,
    Notification,
    SlaPolicy,
    Status,
)
from focal_points.management.commands.seed_demo import DEMO_PASSWORD
from focal_points.models import CoordinationGroup, FocalPoint

MODELS = [
    Agency,
    Category,
    SlaPolicy,
    CalendarDay,
    User,
    Membership,
    FocalPoint,
    CoordinationGroup,
    Complaint,
    ComplaintEvent,
    Escalation,
    Notification,
]


def _counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def _seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", complaints=40, stdout=out)
    return out.getvalue()


# Not wrapped in a test transaction: the command commits for real, as under `make run`, so
# the callbacks that would hand notifications to the broker run when they would there.
@pytest.mark.django_db(transaction=True)
def test_seed_demo_is_idempotent_and_covers_the_lifecycle(mailoutbox):
    with mock.patch("complaints.tasks.notification_deliver_task.apply_async") as publish:
        first = _seed()
    counts = _counts()
    assert "Created 40 demo complaints." in first
    assert counts["Complaint"] == 40
    # Nothing was mailed or handed to the broker; the history sits in the outbox as sent.
    assert mailoutbox == []
    assert publish.call_count == 0
    assert counts["Notification"] > 0
    assert not Notification.objects.exclude(state=Notification.State.SENT).exists()

    second = _seed()
    assert "already exist" in second
    assert _counts() == counts

    # Every status, the clock states and the privacy flags are represented.
    assert set(Complaint.objects.values_list("status", flat=True)) == set(Status.values)
    now = timezone.now()
    open_ = Complaint.objects.filter(status__in=OPEN_STATUSES)
    assert open_.filter(current_due_at__lt=now, escalation_level=0).exists()  # overdue
    assert open_.filter(current_due_at__gt=now).exists()  # on track / due soon
    assert open_.filter(escalation_level__gt=0).exists()  # escalated
    assert Complaint.objects.filter(is_anonymous=True).exists()
    assert Complaint.objects.filter(is_confidential=True).exists()
    # Back-dated steps: nothing happens in the future, deadlines follow the events.
    assert not ComplaintEvent.objects.filter(created_at__gt=now).exists()
    # Filed when the story says: lists that sort or filter by filing date agree with the page.
    assert not Complaint.objects.exclude(created_at=F("submitted_at")).exists()
    for c in open_:
        assert c.current_due_at is not None, c
    # cuti bersama come from the `holidays` package: the register holds only the local day
    assert not CalendarDay.objects.filter(kind=CalendarDay.Kind.CUTI_BERSAMA).exists()
    assert CalendarDay.objects.filter(kind=CalendarDay.Kind.LOCAL).count() == 1


@pytest.mark.django_db
def test_every_printed_sign_in_works():
    output = _seed()
    rows = [line.split("|") for line in output.splitlines() if line.startswith("|")]
    printed = [row[1].strip() for row in rows if "@" in row[1]]
    assert len(printed) == 9
    for email in printed:
        user = User.objects.get(email=email)
        assert user.check_password(DEMO_PASSWORD), email
    assert User.objects.get(email=printed[0]).is_superuser
    bpom = Agency.objects.get(slug="bpom")
    assert set(bpom.children.values_list("time_zone", flat=True)) == {
        "Asia/Jakarta",
        "Asia/Makassar",
        "Asia/Jayapura",
    }
    group = CoordinationGroup.objects.get(name="Kemenko Polkam")
    assert group.agencies.count() == 10
    coordinator = group.coordinators.get()
    assert Membership.objects.filter(user=coordinator, role="coordinator").count() == 10


@pytest.mark.django_db
def test_demo_categories_with_guidance_have_it_in_english():
    call_command("seed_demo", complaints=0, stdout=io.StringIO())
    guided = Category.objects.exclude(out_of_scope_guidance="")
    assert guided.exists()
    assert not guided.filter(out_of_scope_guidance_en="").exists()
    narcotics = guided.get(slug="narkotika")
    assert narcotics.out_of_scope_guidance_en.startswith("Trafficking in narcotics is a crime.")
    # a demo database seeded before there was an English text gets it on the next run
    guided.update(out_of_scope_guidance_en="")
    call_command("seed_demo", complaints=0, stdout=io.StringIO())
    assert not guided.filter(out_of_scope_guidance_en="").exists()
