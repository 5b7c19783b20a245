"""The intake mailbox poll: each unseen message in the IMAP mailbox becomes a complaint (or a
reply on one) through email_intake_receive, and is then marked seen. A message is marked only
after its complaint is committed; if the poll dies in between, the next poll reads it again
and the Message-ID recorded with the complaint makes that a no-op."""

from __future__ import annotations

import contextlib
import imaplib
import re
import ssl
from collections import Counter
from urllib.parse import unquote, urlsplit

from django.conf import settings

from common.exceptions import ApplicationError
from complaints.services.intake import email_intake_receive

SIZE_RE = re.compile(rb"RFC822\.SIZE (\d+)")
IMAP_TIMEOUT = 30


def _connect(url: str) -> tuple[imaplib.IMAP4, str]:
    """imaps://user:password@host:993/INBOX (or imap:// on a trusted network)."""
    parts = urlsplit(url)
    if parts.scheme not in ("imap", "imaps") or not parts.hostname:
        raise ValueError("ADUAN_INTAKE_IMAP_URL must be imap:// or imaps://user:pass@host/box")
    if parts.scheme == "imaps":
        conn: imaplib.IMAP4 = imaplib.IMAP4_SSL(
            parts.hostname,
            parts.port or 993,
            ssl_context=ssl.create_default_context(),
            timeout=IMAP_TIMEOUT,
        )
    else:
        conn = imaplib.IMAP4(parts.hostname, parts.port or 143, timeout=IMAP_TIMEOUT)
    try:
        conn.login(unquote(parts.username or ""), unquote(parts.password or ""))
    except imaplib.IMAP4.error:
        conn.shutdown()
        raise
    return conn, unquote(parts.path.lstrip("/")) or "INBOX"


def mailbox_poll(*, url: str, limit: int = 50) -> Counter:
    """Read up to `limit` unseen messages. Returns how many were filed, threaded, duplicates,
    refused (unreadable, no sender, no text) and too_large (never downloaded)."""
    counts: Counter = Counter()
    conn, box = _connect(url)
    try:
        conn.select(box)
        _typ, found = conn.uid("SEARCH", "UNSEEN")
        for uid in (found[0] or b"").split()[:limit]:
            _typ, size_data = conn.uid("FETCH", uid, "(RFC822.SIZE)")
            match = SIZE_RE.search(b" ".join(p for p in size_data if isinstance(p, bytes)))
            if match is None or int(match.group(1)) > settings.ADUAN_INTAKE_MAIL_MAX_BYTES:
                counts["too_large"] += 1
            else:
                _typ, data = conn.uid("FETCH", uid, "(BODY.PEEK[])")
                raw = next((p[1] for p in data if isinstance(p, tuple)), b"")
                try:
                    counts[email_intake_receive(raw=raw).result] += 1
                except ApplicationError:
                    counts["refused"] += 1
            conn.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    finally:
        with contextlib.suppress(OSError, imaplib.IMAP4.error):
            conn.logout()
    return counts
