"""Celery tasks: interfaces only (ids in, one service call)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="complaints.notification_deliver", ignore_result=True)
def notification_deliver_task(notification_id: int) -> None:
    from complaints.delivery import notification_deliver

    notification_deliver(notification_id=notification_id)
