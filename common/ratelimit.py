"""Per-client rate limits kept in Django's cache (fixed windows).

The default cache in `base.py` is local memory, which is per process: good enough for one
development server. In production set CACHE_URL to Redis (e.g. redis://127.0.0.1:6379/1) so
that every web process shares the counters; `cache.add` and `cache.incr` are atomic there.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


@dataclass(frozen=True)
class Limit:
    scope: str
    count: int
    window: int  # seconds


def _setting(name: str, default: tuple[int, int]) -> tuple[int, int]:
    value = getattr(settings, name, default)
    return int(value[0]), int(value[1])


def filing_limit() -> Limit:
    # Filed complaints per client: 10 an hour.
    return Limit("filing", *_setting("ADUAN_RATE_FILING", (10, 3600)))


def tracking_limit() -> Limit:
    # Wrong tracking number + access code pairs per client: 10 per 15 minutes.
    return Limit("track", *_setting("ADUAN_RATE_TRACKING", (10, 900)))


def login_limit() -> Limit:
    # Failed sign-ins per client, whatever the account: 20 per 15 minutes.
    return Limit("login", *_setting("ADUAN_RATE_LOGIN", (20, 900)))


def signup_limit() -> Limit:
    return Limit("signup", *_setting("ADUAN_RATE_SIGNUP", (5, 3600)))


def resend_limit() -> Limit:
    # Requests to send the account confirmation link again, per client: 5 an hour.
    return Limit("resend", *_setting("ADUAN_RATE_RESEND", (5, 3600)))


def password_reset_limit() -> Limit:
    # Requests for a password-reset link per client: 5 an hour. Kept apart from sign-up so
    # that creating accounts cannot use up a person's chance to reset a password.
    return Limit("password_reset", *_setting("ADUAN_RATE_PASSWORD_RESET", (5, 3600)))


def feedback_limit() -> Limit:
    # Service feedback forms sent per client: 10 an hour.
    return Limit("feedback", *_setting("ADUAN_RATE_FEEDBACK", (10, 3600)))


def follow_limit() -> Limit:
    # Requests to follow a report per client (each may send a confirmation email): 10 an hour.
    return Limit("follow", *_setting("ADUAN_RATE_FOLLOW", (10, 3600)))


def upload_limit() -> Limit:
    # Files uploaded per client (each costs decoding time and storage): 20 an hour.
    return Limit("upload", *_setting("ADUAN_RATE_UPLOAD", (20, 3600)))


def upload_bytes_limit() -> Limit:
    # Bytes uploaded per client: 100 MiB an hour.
    return Limit("upload_bytes", *_setting("ADUAN_RATE_UPLOAD_BYTES", (100 * 1024 * 1024, 3600)))


def draft_upload_limit() -> Limit:
    # Files uploaded into one filing draft, removed ones included: 15 a day (five attachments,
    # each replaced twice).
    return Limit("draft_upload", *_setting("ADUAN_RATE_DRAFT_UPLOAD", (15, 86400)))


def client_key(request: HttpRequest) -> str:
    """The client address. Behind a proxy, ADUAN_TRUSTED_PROXY_COUNT says how many
    X-Forwarded-For hops are ours, so the client cannot choose its own key."""
    hops = int(getattr(settings, "ADUAN_TRUSTED_PROXY_COUNT", 0))
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    if hops:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [p for p in forwarded if p]
        if len(forwarded) >= hops:
            address = forwarded[-hops]
    return address


def _key(limit: Limit, ident: str) -> str:
    window_start = int(time.time()) // limit.window
    digest = hashlib.sha256(ident.encode()).hexdigest()[:32]
    return f"rl:{limit.scope}:{digest}:{window_start}"


def is_limited(limit: Limit, ident: str) -> bool:
    """True when `ident` has used up its allowance in the current window."""
    return int(cache.get(_key(limit, ident), 0)) >= limit.count


def would_exceed(limit: Limit, ident: str, amount: int) -> bool:
    """True when using `amount` more would go over the allowance of the current window."""
    return int(cache.get(_key(limit, ident), 0)) + amount > limit.count


def hit(limit: Limit, ident: str, amount: int = 1) -> int:
    """Count `amount` uses (one by default); returns the count in the current window."""
    key = _key(limit, ident)
    # add() creates the counter atomically; incr() is atomic on Redis and in local memory.
    if cache.add(key, amount, timeout=limit.window + 5):
        return amount
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add and incr
        cache.add(key, amount, timeout=limit.window + 5)
        return amount


def reset(limit: Limit, ident: str) -> None:
    cache.delete(_key(limit, ident))
