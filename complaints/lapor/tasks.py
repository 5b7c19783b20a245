"""The connector relay task (beat, every minute)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError

logger = logging.getLogger(__name__)

TASK_CONNECTORS_RELAY = "complaints.connectors_relay"


@shared_task(
    bind=True,
    name=TASK_CONNECTORS_RELAY,
    autoretry_for=(OperationalError, InterfaceError),
    max_retries=3,
    retry_backoff=30,
    soft_time_limit=50,
    time_limit=60,
)
def connectors_relay_task(self) -> None:
    from complaints.jobs.connectors import connectors_relay

    result = connectors_relay()
    logger.info("Connector relay: %s events, %s messages", result.examined, result.written)
    if result.more:
        connectors_relay_task.apply_async(expires=60)
