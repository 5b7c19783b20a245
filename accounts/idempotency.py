"""Safe retries of API writes (`Idempotency-Key`): the first request with a key claims it, a
retry with the same key and body gets the stored answer, the same key with another body is
refused. Keys live KEEP_FOR; an older key is forgotten and may be used again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import IdempotencyKey
from common.exceptions import ApplicationError

KEEP_FOR = dt.timedelta(hours=24)
MAX_KEY_LENGTH = 100


class KeyReused(ApplicationError):
    """The key was used for a different request."""

    code = "idempotency_key_reused"
    http_status = 422


class KeyInFlight(ApplicationError):
    """The first request with this key has not finished yet."""

    code = "idempotency_key_in_flight"
    http_status = 409


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: Any
    headers: dict[str, str]


def idempotency_claim(
    *, owner: str, key: str, fingerprint: str, now: dt.datetime | None = None
) -> Replay | None:
    """Claim `key` for this request (None: go ahead and `idempotency_store` the answer), or
    the stored answer of an earlier request with the same key and fingerprint."""
    now = now or timezone.now()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ApplicationError(
            _("The Idempotency-Key must be 1 to %(n)s printable characters.")
            % {"n": MAX_KEY_LENGTH}
        )
    IdempotencyKey.objects.filter(owner=owner, key=key, created_at__lt=now - KEEP_FOR).delete()
    try:
        with transaction.atomic():
            IdempotencyKey.objects.create(
                owner=owner, key=key, fingerprint=fingerprint, created_at=now
            )
        return None
    except IntegrityError:
        pass
    row = IdempotencyKey.objects.filter(owner=owner, key=key).first()
    if row is None:  # the holder gave it up meanwhile (its request failed): try once more
        return idempotency_claim(owner=owner, key=key, fingerprint=fingerprint, now=now)
    if row.fingerprint != fingerprint:
        raise KeyReused(
            _(
                "This Idempotency-Key was used for a different request. Use a new key for a "
                "new request."
            )
        )
    if row.status_code is None:
        raise KeyInFlight(
            _("The first request with this Idempotency-Key is still running; retry shortly.")
        )
    return Replay(status_code=row.status_code, body=row.body, headers=row.headers)


def idempotency_store(
    *, owner: str, key: str, status_code: int, body: Any, headers: dict[str, str]
) -> None:
    IdempotencyKey.objects.filter(owner=owner, key=key).update(
        status_code=status_code, body=body, headers=headers
    )


def idempotency_release(*, owner: str, key: str) -> None:
    """The request failed: nothing was written, so a retry may run it again."""
    IdempotencyKey.objects.filter(owner=owner, key=key, status_code__isnull=True).delete()


def idempotency_purge(*, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    deleted, _rows = IdempotencyKey.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
