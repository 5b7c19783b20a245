"""Task names are stable (beat and queued messages refer to them) and every task is
idempotent: running it twice does the work once."""

import datetime as dt

import pytest
from django.utils import timezone

from complaints.models import Notification
from focal_points import tasks
from focal_points.models import BoardSnapshot, CorrectiveAction
from focal_points.services import corrective_action_issue
from tests.focal_points.helpers import make_world, open_complaint

pytestmark = pytest.mark.django_db


def test_task_names_are_persistent():
    assert tasks.corrective_action_sweep_task.name == "focal_points.corrective_action_sweep"
    assert tasks.weekly_digest_task.name == "focal_points.weekly_digest"
    assert tasks.focal_digest_send_task.name == "focal_points.digest_send"
    assert tasks.board_refresh_task.name == "focal_points.board_refresh"
    # the daily digest kept the name it had when complaints ran it
    assert tasks.daily_digest_task.name == "complaints.focal_digest"


def test_corrective_action_sweep_task_twice_escalates_once(time_machine):
    w = make_world()
    action = corrective_action_issue(
        actor=w.coordinator, agency=w.a, title="x", required_change="y"
    )
    time_machine.move_to(action.due_at + dt.timedelta(hours=2))
    assert tasks.corrective_action_sweep_task.apply().get()["escalated"] == 1
    assert tasks.corrective_action_sweep_task.apply().get()["escalated"] == 0
    assert CorrectiveAction.objects.get().state == CorrectiveAction.State.OVERDUE


def test_digest_task_twice_queues_one_email_per_focal_point(django_capture_on_commit_callbacks):
    w = make_world()
    open_complaint(w.a, due=timezone.now() - dt.timedelta(days=3))
    # the first run queues this ISO week's digest; the second finds it in the outbox already
    assert tasks.focal_digest_send_task.apply(args=[w.focal_a.pk]).get() is True
    assert tasks.focal_digest_send_task.apply(args=[w.focal_a.pk]).get() is False
    assert Notification.objects.filter(kind="focal_digest", recipient=w.focal_a.email).count() == 1


def test_board_refresh_task_twice_gives_the_same_snapshot():
    w = make_world()
    open_complaint(w.a, unit=w.a1)
    open_complaint(w.b)
    for _ in range(2):
        tasks.board_refresh_task.apply().get()
    assert BoardSnapshot.objects.count() == 2
