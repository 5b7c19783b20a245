"""Standard Webhooks deliveries (https://www.standardwebhooks.com): one signed POST."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from standardwebhooks.webhooks import Webhook

# What a receiver may answer before we stop listening (kept in the delivery log).
MAX_ANSWER_BYTES = 2000


@dataclass(frozen=True)
class WebhookAnswer:
    status_code: int | None
    body: str
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def unsafe_address(url: str) -> str:
    """Why a receiver's address may not be called ("" when it may): a webhook is a request
    our server makes for an agency, so it never reaches loopback, private, link-local or
    reserved addresses (the metadata service, the database, Redis) unless the deployment
    allows it (ADUAN_WEBHOOK_ALLOW_PRIVATE, for an agency system on the same network)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"not an HTTP address: {url}"
    if settings.ADUAN_WEBHOOK_ALLOW_PRIVATE:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        return f"cannot resolve {parts.hostname}: {exc}"
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            return f"{parts.hostname} resolves to a non-public address ({address})"
    return ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A receiver answers; it does not send our signed request elsewhere (a redirect to an
    internal address would pass around unsafe_address)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def webhook_headers(
    secret: str, *, msg_id: str, timestamp: dt.datetime, body: str
) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": Webhook(secret).sign(msg_id, timestamp, body),
        "Content-Type": "application/json",
        "User-Agent": "Aduan-Webhooks/1",
    }


def webhook_post(
    url: str,
    *,
    secret: str,
    msg_id: str,
    message: dict[str, Any],
    timestamp: dt.datetime,
    timeout: float = 10.0,
) -> WebhookAnswer:
    """POST one signed message; never raises for what the receiver did."""
    body = json.dumps(message, separators=(",", ":"))
    refused = unsafe_address(url)
    if refused:
        return WebhookAnswer(None, "", refused)
    headers = webhook_headers(secret, msg_id=msg_id, timestamp=timestamp, body=body)
    request = urllib.request.Request(url, data=body.encode(), method="POST", headers=headers)  # noqa: S310
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return WebhookAnswer(
                response.status, response.read(MAX_ANSWER_BYTES).decode(errors="replace"), ""
            )
    except urllib.error.HTTPError as exc:
        return WebhookAnswer(exc.code, exc.read(MAX_ANSWER_BYTES).decode(errors="replace"), "")
    except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as exc:
        return WebhookAnswer(None, "", str(getattr(exc, "reason", exc))[:500])
