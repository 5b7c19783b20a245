"""A stand-in for the mail provider's inbound route and the WhatsApp/SMS gateway: it signs and
posts to the intake webhooks of a running Aduan (`make run`), and prints the answers.

    python scripts/intake_gateway.py email tests/complaints/eml/plain.eml
    python scripts/intake_gateway.py chat whatsapp +6281234567890     # type lines; Ctrl-D ends

Environment: ADUAN_URL (default http://127.0.0.1:8000), ADUAN_INTAKE_WEBHOOK_SECRET (default
the local settings' `local-intake-secret`)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import time
import urllib.error
import urllib.request
import uuid

URL = os.environ.get("ADUAN_URL", "http://127.0.0.1:8000").rstrip("/")
SECRET = os.environ.get("ADUAN_INTAKE_WEBHOOK_SECRET", "local-intake-secret")


def post(path: str, body: bytes, content_type: str) -> tuple[int, dict]:
    ts = str(int(time.time()))
    mac = hmac.new(SECRET.encode(), ts.encode() + b"." + body, hashlib.sha256).hexdigest()
    request = urllib.request.Request(  # noqa: S310 - a local URL the user gives
        URL + path,
        data=body,
        method="POST",
        headers={
            "Content-Type": content_type,
            "X-Aduan-Timestamp": ts,
            "X-Aduan-Signature": "v1=" + mac,
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read() or b"{}")


def main(argv: list[str]) -> int:
    if len(argv) == 2 and argv[0] == "email":
        with open(argv[1], "rb") as fh:
            status, answer = post("/intake/email/", fh.read(), "message/rfc822")
        print(status, json.dumps(answer, ensure_ascii=False))
        return 0 if status == 200 else 1
    if len(argv) == 3 and argv[0] == "chat":
        channel, sender = argv[1], argv[2]
        for line in sys.stdin:
            body = {"id": uuid.uuid4().hex, "from": sender, "text": line.strip()}
            status, answer = post(
                f"/intake/chat/{channel}/", json.dumps(body).encode(), "application/json"
            )
            print(answer.get("reply") or f"{status} {answer}")
            print()
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
