"""The inbound webhooks' signature: HMAC-SHA256 over "<timestamp>.<body>" with the shared
secret, sent as `X-Aduan-Timestamp` (Unix seconds) and `X-Aduan-Signature: v1=<hex>`. A call
older or newer than the tolerance is refused, so a captured call cannot be replayed later; a
replay inside the window is refused by the message id the services record."""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.http import HttpRequest

TIMESTAMP_HEADER = "X-Aduan-Timestamp"
SIGNATURE_HEADER = "X-Aduan-Signature"


def sign(body: bytes, *, timestamp: int, secret: str) -> str:
    mac = hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def signature_problem(request: HttpRequest, body: bytes) -> str | None:
    """Why the call is not accepted, or None when it is signed, recently, with our secret."""
    secret = settings.ADUAN_INTAKE_WEBHOOK_SECRET
    if not secret:
        return "intake webhooks are not configured"
    raw_ts = request.headers.get(TIMESTAMP_HEADER, "")
    given = request.headers.get(SIGNATURE_HEADER, "")
    if not raw_ts.isdigit() or not given:
        return "missing signature"
    timestamp = int(raw_ts)
    if abs(time.time() - timestamp) > settings.ADUAN_INTAKE_WEBHOOK_TOLERANCE:
        return "stale timestamp"
    if not hmac.compare_digest(given, sign(body, timestamp=timestamp, secret=secret)):
        return "bad signature"
    return None
