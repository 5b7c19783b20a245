"""The SP4N-LAPOR! protocol (docs/lapor.md), in one place: the outbound client an agency's link
calls the national system with, and the signature of the calls it makes to us. Below the
services, so the senders, the inbound webhook and the stand-in server share it."""

from __future__ import annotations

import hashlib
import hmac
import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

# Header names of the inbound calls (national system -> portal).
HEADER_EVENT_ID = "X-Lapor-Event-Id"
HEADER_TIMESTAMP = "X-Lapor-Timestamp"
HEADER_SIGNATURE = "X-Lapor-Signature"
# A call whose timestamp is further than this from our clock is refused (replay window).
TIMESTAMP_TOLERANCE_SECONDS = 300
# Larger inbound bodies are refused before they are parsed.
MAX_INBOUND_BYTES = 256 * 1024

# Our statuses as the national system names them.
STATUS_TO_LAPOR = {
    "submitted": "pending",
    "needs_info": "need_info",
    "verified": "verified",
    "assigned": "in_process",
    "in_progress": "in_process",
    "awaiting_reporter": "answered",
    "closed": "closed",
    "archived": "archived",
}


class LaporUnavailable(OSError):
    """The national system did not answer, or answered that it cannot now (timeout, refused
    connection, 429, 5xx): retry later. An OSError, so the outbox counts it as transient."""


class LaporRejected(Exception):
    """The national system refused the call as it is (4xx other than 429): retrying cannot
    help."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(f"{status}: {message}")
        self.status = status


@dataclass(frozen=True)
class LaporClient:
    """The outbound half of the protocol, for one agency's link."""

    base_url: str
    token: str
    timeout: float = 10.0

    def file_complaint(self, complaint: dict[str, Any], *, idempotency_key: str) -> str:
        """File a complaint; returns its national tracking id. The same idempotency key
        always yields the same tracking id, however often the call is repeated."""
        answer = self._call("POST", "/complaints", complaint, idempotency_key=idempotency_key)
        tracking_id = answer.get("tracking_id")
        if not tracking_id:
            raise LaporRejected(502, "no tracking_id in the answer")
        return str(tracking_id)

    def status_update(
        self, tracking_id: str, *, status: str, note: str, idempotency_key: str
    ) -> None:
        self._call(
            "POST",
            f"/complaints/{tracking_id}/status",
            {"status": status, "note": note},
            idempotency_key=idempotency_key,
        )

    def followup_add(self, tracking_id: str, *, kind: str, body: str, idempotency_key: str) -> None:
        """kind: "answer" (the agency's public answer) or "info_request" (a question to the
        reporter)."""
        self._call(
            "POST",
            f"/complaints/{tracking_id}/followups",
            {"kind": kind, "body": body},
            idempotency_key=idempotency_key,
        )

    def complaint_get(self, tracking_id: str) -> dict[str, Any]:
        return self._call("GET", f"/complaints/{tracking_id}", None)

    def topics(self) -> list[dict[str, Any]]:
        return list(self._call("GET", "/topics", None).get("topics", []))

    def _call(
        self, method: str, path: str, body: dict | None, *, idempotency_key: str = ""
    ) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        url = self.base_url.rstrip("/") + path
        if not url.startswith(("http://", "https://")):
            raise LaporRejected(400, f"not an HTTP address: {url}")
        request = urllib.request.Request(url, data=data, method=method, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                raw = response.read()
        except urllib.error.HTTPError as exc:
            text = exc.read()[:500].decode(errors="replace")
            if exc.code == 429 or exc.code >= 500:
                raise LaporUnavailable(f"{exc.code}: {text}") from exc
            raise LaporRejected(exc.code, text) from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise LaporUnavailable(str(exc)) from exc
        try:
            return json.loads(raw or b"{}")
        except ValueError as exc:
            raise LaporUnavailable("the answer is not JSON") from exc


def inbound_signature(secret: str, *, event_id: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over `<event id>.<timestamp>.<body>`, hex, as `v1=<hex>`."""
    message = event_id.encode() + b"." + timestamp.encode() + b"." + body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def inbound_signature_valid(
    secret: str, *, event_id: str, timestamp: str, body: bytes, signature: str
) -> bool:
    expected = inbound_signature(secret, event_id=event_id, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected, signature.strip())


def inbound_headers(secret: str, *, event_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The headers the national system sends with a call (the stand-in and tests sign so)."""
    return {
        HEADER_EVENT_ID: event_id,
        HEADER_TIMESTAMP: str(timestamp),
        HEADER_SIGNATURE: inbound_signature(
            secret, event_id=event_id, timestamp=str(timestamp), body=body
        ),
        "Content-Type": "application/json",
    }
