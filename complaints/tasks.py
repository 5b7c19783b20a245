"""Celery tasks: interfaces only. Ids in (JSON), one service call, stable names.

Every task is safe to run twice (the services guard with unique constraints and PENDING ->
SENDING updates), which is what makes `acks_late` and redelivery after a lost worker safe.
Retries are explicit and bounded; a task's final failure goes to a `*_fail` service.
"""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

# A sweep may write many batches; one task does at most this many, then re-enqueues itself
# so that it stays inside its time limit and the next beat tick is never blocked for long.
SLA_MAX_BATCHES_PER_TASK = 20
# The beat interval of each sweep (settings.CELERY_BEAT_SCHEDULE): a re-enqueued run expires
# when the next tick would do the same work anyway.
SLA_SWEEP_EXPIRES = 300
OUTBOX_SWEEP_EXPIRES = 60

DATABASE_ERRORS = (OperationalError, InterfaceError)


def _notification_deliver_failed(self, exc, task_id, args, kwargs, einfo) -> None:
    from complaints.outbox.delivery import notification_fail

    notification_id = (args or [kwargs.get("notification_id")])[0]
    notification_fail(notification_id=notification_id, error=repr(exc))


def _followup_send_failed(self, exc, task_id, args, kwargs, einfo) -> None:
    from complaints.jobs.followups import followup_fail

    followup_fail(followup_id=(args or [kwargs.get("followup_id")])[0])


def _transient_errors() -> tuple[type[BaseException], ...]:
    from complaints.outbox.delivery import TransientDeliveryError

    return (TransientDeliveryError, *DATABASE_ERRORS)


@shared_task(
    bind=True,
    name="complaints.notification_deliver",
    autoretry_for=_transient_errors(),
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=600,
    retry_jitter=True,
    soft_time_limit=30,
    time_limit=60,
    on_failure=_notification_deliver_failed,
)
def notification_deliver_task(self, notification_id: int) -> None:
    from complaints.outbox.delivery import notification_deliver

    notification_deliver(notification_id=notification_id)


@shared_task(
    bind=True,
    name="complaints.sla_sweep",
    autoretry_for=DATABASE_ERRORS,
    max_retries=3,
    retry_backoff=30,
    soft_time_limit=240,
    time_limit=300,
)
def sla_sweep_task(self) -> None:
    from complaints.jobs.plan import SLA_SWEEP, sweep_fail
    from complaints.jobs.sla import sla_sweep

    try:
        result = sla_sweep(max_batches=SLA_MAX_BATCHES_PER_TASK)
    except Exception as exc:
        _record_failure(sweep_fail, SLA_SWEEP, exc)
        raise
    logger.info(
        "SLA sweep: %s examined, %s escalations, %s messages",
        result.examined,
        result.escalations,
        result.notifications,
    )
    if result.more:
        sla_sweep_task.apply_async(expires=SLA_SWEEP_EXPIRES)


@shared_task(
    bind=True,
    name="complaints.complaint_escalate",
    autoretry_for=DATABASE_ERRORS,
    max_retries=3,
    retry_backoff=30,
    soft_time_limit=30,
    time_limit=60,
)
def complaint_escalate_task(self, complaint_id: int, clock: str, cycle: int, level: int) -> None:
    from complaints.services.escalation import complaint_escalate_step

    complaint_escalate_step(complaint_id=complaint_id, clock=clock, cycle=cycle, level=level)


@shared_task(
    bind=True,
    name="complaints.followups_sweep",
    autoretry_for=DATABASE_ERRORS,
    max_retries=3,
    retry_backoff=30,
    soft_time_limit=240,
    time_limit=300,
)
def followups_sweep_task(self) -> None:
    from complaints.jobs.followups import followups_sweep
    from complaints.jobs.plan import FOLLOWUP_SWEEP, sweep_fail

    try:
        followups_sweep()
    except Exception as exc:
        _record_failure(sweep_fail, FOLLOWUP_SWEEP, exc)
        raise


@shared_task(
    bind=True,
    name="complaints.followup_send",
    autoretry_for=DATABASE_ERRORS,
    max_retries=5,
    retry_backoff=30,
    retry_backoff_max=600,
    soft_time_limit=60,
    time_limit=120,
    on_failure=_followup_send_failed,
)
def followup_send_task(self, followup_id: int) -> None:
    from complaints.jobs.followups import followup_send

    followup_send(followup_id=followup_id)


@shared_task(
    bind=True,
    name="complaints.outbox_sweep",
    autoretry_for=DATABASE_ERRORS,
    max_retries=3,
    retry_backoff=10,
    soft_time_limit=50,
    time_limit=60,
)
def outbox_sweep_task(self, fresh: bool = False) -> None:
    """`fresh=True` (sent by the SLA sweep after it wrote messages) also takes rows written a
    moment ago; the beat's run leaves those to the task queued on their commit."""
    import datetime as dt

    from complaints.jobs.outbox import outbox_sweep
    from complaints.jobs.plan import OUTBOX_BATCH_SIZE, OUTBOX_MIN_AGE

    ids = outbox_sweep(min_age=dt.timedelta(0) if fresh else OUTBOX_MIN_AGE)
    if len(ids) >= OUTBOX_BATCH_SIZE:
        outbox_sweep_task.apply_async(kwargs={"fresh": fresh}, expires=OUTBOX_SWEEP_EXPIRES)


@shared_task(
    name="complaints.intake_mail_poll", ignore_result=True, soft_time_limit=240, time_limit=300
)
def intake_mail_poll_task() -> dict[str, int]:
    """Read the intake mailbox when one is configured. Two polls at once are harmless: each
    message's Message-ID is recorded once, so the second finds it handled."""
    from django.conf import settings

    from complaints.jobs.mailbox import mailbox_poll

    if not settings.ADUAN_INTAKE_IMAP_URL:
        return {}
    return dict(mailbox_poll(url=settings.ADUAN_INTAKE_IMAP_URL))


@shared_task(name="complaints.draft_uploads_purge", ignore_result=True, time_limit=600)
def draft_uploads_purge_task() -> int:
    """Delete files uploaded to filing drafts that were abandoned."""
    from complaints.services.drafts import purge_stale_uploads

    return purge_stale_uploads()


@shared_task(name="complaints.idempotency_purge", ignore_result=True, time_limit=600)
def idempotency_purge_task() -> int:
    """Delete the API's Idempotency-Key answers older than their 24 hours."""
    from accounts.idempotency import idempotency_purge

    return idempotency_purge()


def _record_failure(record, name: str, exc: BaseException) -> None:
    try:
        record(name=name, error=repr(exc))
    except Exception:  # the database may be what failed
        logger.exception("Could not record the failure of sweep %s", name)
