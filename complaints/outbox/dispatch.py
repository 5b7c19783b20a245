"""Handing work to Celery from below the task layer. The outbox, the services and the jobs name
a task by its stable Celery name; the task modules register themselves with the Celery app
(`complaints.apps` imports them at start-up), so nothing here imports `complaints.tasks`."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

from celery import current_app

logger = logging.getLogger(__name__)

TASK_NOTIFICATION_DELIVER = "complaints.notification_deliver"
TASK_FOLLOWUP_SEND = "complaints.followup_send"
TASK_OUTBOX_SWEEP = "complaints.outbox_sweep"


_held: ContextVar[bool] = ContextVar("outbox_publishing_held", default=False)


@contextlib.contextmanager
def publishing_held() -> Iterator[None]:
    """Write rows but publish nothing while inside (the demo's history: nobody is mailed for
    events that 'happened' weeks ago). The rows stay pending, as after a broker outage."""
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


def enqueue(task_name: str, *, args: list[Any] | None = None, kwargs: dict | None = None) -> bool:
    """Publish one task message; False when the broker is unavailable. Every caller has
    written its row first, so a sweep re-sends what a failed publish left behind."""
    task = current_app.tasks[task_name]  # KeyError: a task name that does not exist
    if _held.get():
        return False
    options: dict[str, Any] = {"args": args} if args is not None else {"kwargs": kwargs or {}}
    try:
        task.apply_async(**options, retry=False)
    except Exception:  # any broker failure is recovered by the next sweep
        logger.warning("Broker unavailable; %s left for the next sweep", task_name)
        return False
    return True


def enqueue_each(task_name: str, ids: list[int]) -> None:
    """One task per id; stops at the first broker failure: the rows stay pending and the next
    sweep hands them over again."""
    for pk in ids:
        if not enqueue(task_name, args=[pk]):
            logger.warning(
                "Broker unavailable; %s left %s rows for the next sweep", task_name, len(ids)
            )
            return
