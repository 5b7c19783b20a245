"""Idempotency-Key answers are kept 24 hours; the daily beat task deletes older ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import IdempotencyKey
from complaints.tasks import idempotency_purge_task

pytestmark = pytest.mark.django_db


def test_the_daily_task_deletes_answers_older_than_a_day():
    now = timezone.now()
    old = IdempotencyKey.objects.create(
        owner="token:1", key="a", fingerprint="f", created_at=now - dt.timedelta(hours=25)
    )
    fresh = IdempotencyKey.objects.create(
        owner="token:1", key="b", fingerprint="f", created_at=now - dt.timedelta(hours=23)
    )
    assert idempotency_purge_task() == 1
    assert not IdempotencyKey.objects.filter(pk=old.pk).exists()
    assert IdempotencyKey.objects.filter(pk=fresh.pk).exists()
