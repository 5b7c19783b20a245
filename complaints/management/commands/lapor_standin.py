"""`manage.py lapor_standin`: a stand-in for the national SP4N-LAPOR! system that speaks the
protocol of docs/lapor.md, for the tests and for demos under `make run`.

python manage.py lapor_standin [--port 8765] [--token demo-token] [--link AGENCY_SLUG]
                               [--portal http://127.0.0.1:8000]

With --link, the agency is linked to the stand-in (its address and token) and the stand-in
calls the portal's inbound webhook with the link's secret. `POST /_standin/emit` with
{"type": "complaint.created", "data": {...}} makes it call the portal (docs/lapor.md).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from django.core.management.base import BaseCommand

from complaints.outbox.lapor import inbound_headers

TOPICS = [
    {"id": "kesehatan", "name": "Kesehatan"},
    {"id": "kependudukan", "name": "Administrasi Kependudukan"},
    {"id": "infrastruktur", "name": "Infrastruktur"},
    {"id": "lainnya", "name": "Topik Lainnya"},
]
_PATH = re.compile(r"^/complaints/(?P<id>[A-Z0-9-]+)(?P<rest>/status|/followups)?$")


class StandinState:
    """What the stand-in holds: complaints by national tracking id, answers by idempotency
    key (a repeated call gets the first answer and changes nothing), every call received."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.lock = threading.Lock()
        self.complaints: dict[str, dict[str, Any]] = {}
        self.answers: dict[str, tuple[int, dict]] = {}
        self.calls: list[tuple[str, str]] = []
        self.numbers = itertools.count(1000001)
        # Answers to drop after applying the call (a lost answer, as on a flaky network).
        self.drop_answers = 0

    def new_tracking_id(self) -> str:
        return f"LAPOR-{next(self.numbers)}"

    def remember(self, data: dict) -> dict:
        """A complaint filed on the national side (given a tracking id if it has none)."""
        with self.lock:
            data = {**data, "tracking_id": data.get("tracking_id") or self.new_tracking_id()}
            self.complaints.setdefault(
                data["tracking_id"], {**data, "status": "pending", "statuses": [], "followups": []}
            )
        return data

    def handle(self, method: str, path: str, body: dict | None, key: str) -> tuple[int, dict]:
        with self.lock:
            self.calls.append((method, path))
            if key and key in self.answers:
                return self.answers[key]
            status, answer = self._apply(method, path, body or {})
            if key and status < 500:
                self.answers[key] = (status, answer)
            return status, answer

    def _apply(self, method: str, path: str, body: dict) -> tuple[int, dict]:
        if method == "GET" and path == "/topics":
            return 200, {"topics": TOPICS}
        if method == "POST" and path == "/complaints":
            if not body.get("title") or not body.get("content"):
                return 422, {"error": "title and content are required"}
            tracking_id = self.new_tracking_id()
            self.complaints[tracking_id] = {
                **body,
                "tracking_id": tracking_id,
                "status": "pending",
                "statuses": [],
                "followups": [],
            }
            return 201, {"tracking_id": tracking_id, "status": "pending"}
        match = _PATH.match(path)
        if not match or match["id"] not in self.complaints:
            return 404, {"error": "no such complaint"}
        complaint = self.complaints[match["id"]]
        if method == "GET" and not match["rest"]:
            return 200, complaint
        if method == "POST" and match["rest"] == "/status":
            complaint["status"] = body.get("status", complaint["status"])
            complaint["statuses"].append({"status": body.get("status"), "note": body.get("note")})
            return 200, {"tracking_id": match["id"], "status": complaint["status"]}
        if method == "POST" and match["rest"] == "/followups":
            if body.get("kind") not in ("answer", "info_request"):
                return 422, {"error": "kind must be answer or info_request"}
            complaint["followups"].append({"kind": body["kind"], "body": body.get("body", "")})
            return 201, {"tracking_id": match["id"], "followups": len(complaint["followups"])}
        return 405, {"error": "method not allowed"}


def _handler(state: StandinState, server: StandinServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            if server.verbose:
                super().log_message(format, *args)

        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _read(self) -> dict | None:
            length = int(self.headers.get("Content-Length") or 0)
            if not length:
                return None
            return json.loads(self.rfile.read(length))

        def _serve(self, method: str) -> None:
            try:
                body = self._read()
            except ValueError:
                return self._answer(400, {"error": "not JSON"})
            if self.path == "/_standin/emit" and method == "POST":
                try:
                    status, answer = server.emit(body["type"], body["data"])
                except (KeyError, TypeError):
                    return self._answer(400, {"error": "type and data are required"})
                return self._answer(status, answer)
            if self.headers.get("Authorization") != f"Bearer {state.token}":
                return self._answer(401, {"error": "bad token"})
            status, answer = state.handle(
                method, self.path, body, self.headers.get("Idempotency-Key", "")
            )
            with state.lock:
                drop = state.drop_answers > 0
                state.drop_answers -= int(drop)
            if drop:
                self.close_connection = True
                self.connection.close()
                return None
            return self._answer(status, answer)

        def do_GET(self) -> None:
            self._serve("GET")

        def do_POST(self) -> None:
            self._serve("POST")

    return Handler


class StandinServer:
    """The stand-in, in a thread: `start()`, `stop()` (down: connections refused), `start()`
    again on the same port keeps its state."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        token: str = "demo-token",  # noqa: S107 - the stand-in's demo token
        callback_url: str = "",
        secret: str = "",
        verbose: bool = False,
    ) -> None:
        self.host, self.port = host, port
        self.state = StandinState(token)
        self.callback_url = callback_url
        self.secret = secret
        self.verbose = verbose
        self._httpd: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> StandinServer:
        self._httpd = ThreadingHTTPServer((self.host, self.port), _handler(self.state, self))
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        threading.Thread(target=self._httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def bind(self) -> StandinServer:
        self._httpd = ThreadingHTTPServer((self.host, self.port), _handler(self.state, self))
        self.port = self._httpd.server_address[1]
        return self

    def serve_forever(self) -> None:
        if self._httpd is None:
            self.bind()
        self._httpd.serve_forever()

    def signed_call(
        self, event_type: str, data: dict, *, event_id: str = "", timestamp: int | None = None
    ) -> tuple[bytes, dict[str, str]]:
        """The body and headers of a call to the portal, signed with the link's secret."""
        if event_type == "complaint.created":
            data = self.state.remember(data)
        body = json.dumps({"type": event_type, "data": data}).encode()
        headers = inbound_headers(
            self.secret,
            event_id=event_id or f"evt_{uuid.uuid4().hex}",
            timestamp=int(time.time()) if timestamp is None else timestamp,
            body=body,
        )
        return body, headers

    def emit(self, event_type: str, data: dict) -> tuple[int, dict]:
        """Call the portal's inbound webhook. A new complaint gets a national tracking id."""
        if not self.callback_url:
            return 409, {"error": "not linked to a portal agency (--link)"}
        body, headers = self.signed_call(event_type, data)
        request = urllib.request.Request(self.callback_url, data=body, headers=headers)  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            return exc.code, json.loads(exc.read() or b"{}")


class Command(BaseCommand):
    help = "Run a stand-in SP4N-LAPOR! server (docs/lapor.md) until interrupted."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)
        parser.add_argument("--token", default="demo-token")
        parser.add_argument("--link", metavar="AGENCY_SLUG", help="link this agency to it")
        parser.add_argument("--portal", default="http://127.0.0.1:8000")

    def handle(self, *args, **options) -> None:
        from complaints.models import Agency
        from complaints.services.connectors import lapor_link_configure

        server = StandinServer(
            host=options["host"], port=options["port"], token=options["token"], verbose=True
        ).bind()
        agency = Agency.objects.filter(slug=options["link"]).first() if options["link"] else None
        if options["link"] and agency is None:
            self.stderr.write(f"No agency with the slug {options['link']!r}: nothing linked.")
        if agency is not None:
            link = lapor_link_configure(
                agency_id=agency.pk, base_url=server.url, api_token=options["token"]
            )
            server.secret = link.inbound_secret
            server.callback_url = options["portal"].rstrip("/") + f"/lapor/webhook/{agency.slug}/"
            self.stdout.write(f"Linked {agency.name} to {server.url}")
        self.stdout.write(f"SP4N-LAPOR! stand-in on {server.url} (token {options['token']})")
        self.stdout.flush()
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
