"""Filing from the intake channels: Open311 clients, email and chat (WhatsApp, SMS). Each turns
what arrived into an ordinary complaint through complaint_submit; nothing here files any other
way."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes
from email import policy as email_policy
from email.errors import HeaderParseError
from email.message import EmailMessage
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError
from complaints.access import TRACKING_NUMBER_LENGTH, display_code, normalize_code
from complaints.models import (
    Category,
    Channel,
    ChatConversation,
    Complaint,
    EmailThread,
    InboundMessage,
    Kind,
    Open311Client,
    Open311Request,
    Status,
)
from complaints.models.intake import IntakeEvent, IntakeMessage
from complaints.outbox.links import tracking_link
from complaints.outbox.queue import notification_queue
from complaints.selectors.intake import (
    OPEN311_KEY_PREFIX_LENGTH,
    complaint_for_chat_sender,
    email_thread_get,
    open311_key_digest,
)
from complaints.selectors.public import (
    agency_get_public,
    agency_search_public,
    category_get_public,
    category_list_public,
)
from complaints.services.core import attachments_store, event_append, lock_complaint
from complaints.services.filing import complaint_submit
from complaints.services.reporter import complaint_supply_info
from complaints.uploads import sanitize_upload

__all__ = [
    "CHAT_CHANNELS",
    "MailOutcome",
    "chat_message_receive",
    "email_intake_receive",
    "inbound_message_record",
    "open311_client_create",
    "open311_client_revoke",
    "open311_request_submit",
]


def open311_client_create(*, name: str) -> tuple[Open311Client, str]:
    """A new Open311 client and its key, which is returned here once and never stored."""
    name = (name or "").strip()
    if not name:
        raise ApplicationError(_("Give the client a name."))
    for _attempt in range(5):
        key = secrets.token_urlsafe(30)
        try:
            with transaction.atomic():
                client = Open311Client.objects.create(
                    name=name[:150],
                    key_prefix=key[:OPEN311_KEY_PREFIX_LENGTH],
                    key_hash=open311_key_digest(key),
                )
            return client, key
        except IntegrityError:  # pragma: no cover - a prefix collision in 64^8
            continue
    raise ApplicationError(_("The key could not be made. Please try again."))  # pragma: no cover


def open311_client_revoke(*, key_prefix: str) -> bool:
    """Stop a client's key from filing; False when no active client has that prefix."""
    return bool(
        Open311Client.objects.filter(key_prefix=key_prefix, is_active=True).update(is_active=False)
    )


def inbound_message_record(
    *, channel: str, message_id: str, now: dt.datetime | None = None
) -> InboundMessage | None:
    """Mark an inbound message as handled; None when it was handled before (a replay). Call it
    inside the transaction that acts on the message, so that a failure leaves it unhandled."""
    try:
        with transaction.atomic():
            return InboundMessage.objects.create(
                channel=channel, message_id=message_id[:255], received_at=now or timezone.now()
            )
    except IntegrityError:
        return None


def open311_request_submit(
    *,
    client: Open311Client,
    service: Category,
    description: str,
    attributes: dict[str, str],
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    address: str = "",
    email: str = "",
    first_name: str = "",
    last_name: str = "",
    phone: str = "",
    actor: User | None = None,
    now: dt.datetime | None = None,
) -> tuple[Complaint, str, str]:
    """File a complaint for an Open311 client. Returns the complaint, its access code (for the
    client to hand to the reporter) and the request's token."""
    description = (description or "").strip()
    if not description:
        raise ApplicationError(_("A description is required."))
    kind = attributes.get("kind") or Kind.COMPLAINT
    title = (attributes.get("title") or "").strip() or _first_line(description)
    incident_date = None
    if attributes.get("incident_date"):
        try:
            incident_date = dt.date.fromisoformat(attributes["incident_date"])
        except ValueError as exc:
            raise ApplicationError(_("The incident date must be written as YYYY-MM-DD.")) from exc
    with transaction.atomic():
        complaint, code = complaint_submit(
            actor=actor,
            kind=kind,
            title=title,
            body=description,
            agency=service.agency,
            category=service,
            incident_date=incident_date,
            location_text=address[:255],
            latitude=latitude,
            longitude=longitude,
            channel=Channel.OPEN311,
            reporter_name=" ".join(p for p in (first_name.strip(), last_name.strip()) if p)[:150],
            reporter_email=email,
            reporter_phone=phone[:32],
            is_anonymous=attributes.get("anonymous") == "yes",
            is_confidential=attributes.get("confidential") == "yes",
            now=now,
        )
        request = Open311Request.objects.create(
            client=client, complaint=complaint, token=secrets.token_hex(16)
        )
    return complaint, code, request.token


def _first_line(text: str, limit: int = 100) -> str:
    line = " ".join(text.split("\n", 1)[0].split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


# --- email ----------------------------------------------------------------------------------

# The reply token rides in the subject ("[#token]") or in the address (lapor+token@…).
REPLY_TOKEN_RE = re.compile(r"\[#([a-f0-9]{16})\]")
PLUS_TOKEN_RE = re.compile(r"\+([a-f0-9]{16})@")
# A reply's quoted history is not part of what the reporter wrote now.
QUOTE_HEADER_RE = re.compile(
    r"^(On .{0,200} wrote:|Pada .{0,200} menulis:|-{2,} ?Original Message ?-{2,})\s*$",
    re.MULTILINE,
)
# What a malformed or hostile message raises while it is read (a deep MIME nesting: recursion).
UNREADABLE = (ValueError, TypeError, IndexError, LookupError, HeaderParseError, RecursionError)
# HTML is read only this far: a bomb (megabytes of nesting) costs a bounded parse.
HTML_READ_LIMIT = 512 * 1024


@dataclass
class MailOutcome:
    """What an inbound email became: filed (a new complaint), threaded (onto an existing one),
    duplicate (seen before) or refused; `skipped` names attachments that were not kept."""

    result: str
    complaint: Complaint | None = None
    skipped: list[str] = field(default_factory=list)


class _TextOfHtml(HTMLParser):
    SKIP = frozenset({"script", "style", "head", "title"})
    BREAKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote"})

    def __init__(self, limit: int) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.BREAKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1

    def handle_data(self, data: str) -> None:
        if self.skipping or self.size >= self.limit:
            return
        self.parts.append(data)
        self.size += len(data)


def html_to_text(html: str, *, limit: int) -> str:
    parser = _TextOfHtml(limit)
    parser.feed(html[:HTML_READ_LIMIT])
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).splitlines())
    return "\n".join(line for line in lines if line)[:limit]


def _message_text(msg: EmailMessage, *, limit: int) -> str:
    part = msg.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, ValueError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content, limit=limit)
    return "\n".join(line.rstrip() for line in content[: limit * 2].splitlines()).strip()[:limit]


def _reply_text(text: str) -> str:
    """What a reply adds: above the quoted history, without quoted lines."""
    match = QUOTE_HEADER_RE.search(text)
    if match:
        text = text[: match.start()]
    return "\n".join(line for line in text.splitlines() if not line.startswith(">")).strip()


def _attachments(msg: EmailMessage) -> tuple[list[UploadedFile], list[str]]:
    """The attachments that pass the upload checks, and the names of the others. A part larger
    than the upload limit is never decoded whole."""
    limit = settings.ADUAN_ATTACHMENT_MAX_BYTES
    kept: list[UploadedFile] = []
    skipped: list[str] = []
    for part in msg.iter_attachments():
        name = (part.get_filename() or "lampiran")[:200]
        raw = part.get_payload()
        # base64 carries 3 bytes in 4 characters: a part that long is over the limit.
        if isinstance(raw, str) and len(raw) * 3 // 4 > limit + 4096:
            skipped.append(name)
            continue
        data = part.get_payload(decode=True)
        if not isinstance(data, bytes) or not data:
            skipped.append(name)
            continue
        upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
        if len(kept) >= settings.ADUAN_ATTACHMENTS_MAX_COUNT:
            skipped.append(name)
            continue
        try:
            sanitize_upload(upload)
        except ApplicationError:
            skipped.append(name)
            continue
        upload.seek(0)
        kept.append(upload)
    return kept, skipped


def _mail_token(msg: EmailMessage) -> str:
    subject = str(msg.get("Subject", ""))
    if match := REPLY_TOKEN_RE.search(subject):
        return match.group(1)
    for header in ("To", "Delivered-To", "X-Original-To"):
        for _name, address in getaddresses([str(v) for v in msg.get_all(header, [])]):
            if match := PLUS_TOKEN_RE.search(address.lower()):
                return match.group(1)
    return ""


def email_intake_receive(*, raw: bytes, now: dt.datetime | None = None) -> MailOutcome:
    """One inbound email. A message carrying a complaint's reply token and sent from the address
    that complaint came from threads onto it (a reporter's message on the timeline, or the
    information asked for); any other message files a new complaint in the national triage
    queue, and its sender gets the tracking number and access code by email. A message seen
    before (its Message-ID) changes nothing."""
    now = now or timezone.now()
    if len(raw) > settings.ADUAN_INTAKE_MAIL_MAX_BYTES:
        raise ApplicationError(_("The message is too large."))
    try:
        msg = message_from_bytes(raw, policy=email_policy.default)
        sender_name, sender = parseaddr(str(msg.get("From", "")))
        subject = " ".join(str(msg.get("Subject", "")).split())
        message_id = str(msg.get("Message-ID", "")).strip()
    except UNREADABLE as exc:
        raise ApplicationError(_("The message could not be read.")) from exc
    sender = sender.strip().lower()
    try:
        validate_email(sender)
    except ValidationError as exc:
        raise ApplicationError(_("The message has no sender address.")) from exc
    message_id = message_id or "sha256:" + hashlib.sha256(raw).hexdigest()
    body_limit = settings.ADUAN_BODY_MAX_LENGTH
    try:
        text = _message_text(msg, limit=body_limit)
        uploads, skipped = _attachments(msg)
    except UNREADABLE as exc:
        raise ApplicationError(_("The message could not be read.")) from exc
    token = _mail_token(msg)
    thread = email_thread_get(token=token) if token else None
    with transaction.atomic():
        inbound = inbound_message_record(channel=Channel.EMAIL, message_id=message_id, now=now)
        if inbound is None:
            return MailOutcome("duplicate")
        if thread is not None and thread.email == sender:
            complaint = _thread_reply(thread.complaint_id, _reply_text(text), uploads, now)
            outcome = MailOutcome("threaded", complaint, skipped)
        else:
            complaint = _file_from_email(
                sender=sender,
                sender_name=sender_name,
                subject=REPLY_TOKEN_RE.sub("", subject).strip(),
                text=text,
                uploads=uploads,
                skipped=skipped,
                now=now,
            )
            outcome = MailOutcome("filed", complaint, skipped)
        inbound.complaint = complaint
        inbound.save(update_fields=["complaint"])
    return outcome


def _file_from_email(
    *,
    sender: str,
    sender_name: str,
    subject: str,
    text: str,
    uploads: list[UploadedFile],
    skipped: list[str],
    now: dt.datetime,
) -> Complaint:
    title = subject or _first_line(text) or _("Report by email")
    body = text or subject
    if not body:
        raise ApplicationError(_("The message has no text."))
    complaint, code = complaint_submit(
        actor=None,
        kind=Kind.COMPLAINT,
        title=title[: settings.ADUAN_TITLE_MAX_LENGTH],
        body=body,
        channel=Channel.EMAIL,
        reporter_name=sender_name[:150],
        reporter_email=sender,
        attachments=uploads,
        # One receipt: intake's own, with the access code and the reply token.
        receipt=False,
        now=now,
    )
    thread = EmailThread.objects.create(
        complaint=complaint, token=secrets.token_hex(8), email=sender
    )
    notification_queue(
        kind=IntakeMessage.EMAIL_RECEIPT,
        cause_key=f"intake_email_receipt:{complaint.pk}",
        recipient=sender,
        complaint=complaint,
        language=complaint.language,
        context={
            "access_code": display_code(code),
            "token": thread.token,
            "skipped": skipped,
            "link": tracking_link(complaint),
            "mailbox": settings.ADUAN_INTAKE_MAILBOX,
        },
    )
    return complaint


def _thread_reply(
    complaint_id: int, text: str, uploads: list[UploadedFile], now: dt.datetime
) -> Complaint:
    """A reporter's later message: the information asked for while the complaint waits for it,
    otherwise a message on the staff timeline."""
    complaint = lock_complaint(complaint_id)
    if complaint.status == Status.NEEDS_INFO and (text or uploads):
        return complaint_supply_info(
            complaint_id=complaint.pk, body=text, attachments=uploads, now=now
        )
    event = event_append(
        complaint,
        IntakeEvent.REPORTER_MESSAGE,
        actor=None,
        actor_label="reporter",
        body=text or _("(no text)"),
        data={"channel": complaint.channel},
        now=now,
    )
    attachments_store(complaint, uploads, actor=None, event=event)
    return complaint


# --- chat (WhatsApp, SMS) -------------------------------------------------------------------

CHAT_CHANNELS = frozenset({Channel.WHATSAPP, Channel.SMS})
DONT_KNOW = frozenset({"tidak tahu", "tdk tahu", "gak tahu", "nggak tahu", "tidak", "-", "0"})
CANCEL = frozenset({"batal", "stop", "berhenti"})
STATUS_RE = re.compile(r"^\s*status\s+(.{4,40})$", re.IGNORECASE)
CHAT_CHOICES_SHOWN = 9
# A conversation left this long starts again from the first question.
CHAT_IDLE = dt.timedelta(hours=24)
Step = ChatConversation.Step


def chat_message_receive(
    *, channel: str, sender: str, text: str, message_id: str, now: dt.datetime | None = None
) -> str | None:
    """One chat message from `sender`; returns the answer to send back, or None when this
    message was handled before (a replay). Conversations are in Indonesian: the channel's
    users file on a phone, in the national language."""
    if channel not in CHAT_CHANNELS:
        raise ApplicationError(_("Unknown chat channel."))
    sender = (sender or "").strip()[:64]
    text = " ".join((text or "").split())[: settings.ADUAN_BODY_MAX_LENGTH]
    if not sender or not message_id:
        raise ApplicationError(_("A chat message needs a sender and an id."))
    now = now or timezone.now()
    with translation.override("id"), transaction.atomic():
        if inbound_message_record(channel=channel, message_id=message_id, now=now) is None:
            return None
        if match := STATUS_RE.match(text):
            return _chat_status(sender=sender, number=match.group(1))
        conversation, created = ChatConversation.objects.select_for_update().get_or_create(
            channel=channel, sender=sender, defaults={"step": Step.AGENCY, "updated_at": now}
        )
        if text.lower() in CANCEL:
            conversation.delete()
            return _("Your report has been cancelled. Send any message to start again.")
        if created or conversation.updated_at < now - CHAT_IDLE:
            conversation.step, conversation.answers, conversation.updated_at = Step.AGENCY, {}, now
            conversation.save()
            return "\n".join(
                [
                    _("Welcome to Aduan, the public-service complaint service."),
                    _AGENCY_QUESTION(),
                    _("Send “batal” at any time to cancel."),
                ]
            )
        reply = _chat_step(conversation, text, now)
        if conversation.pk is not None:
            conversation.updated_at = now
            conversation.save()
        return reply


def _AGENCY_QUESTION() -> str:
    return _("Which agency is your report for? Write its name, or reply “tidak tahu”.")


def _numbered(names: list[str]) -> str:
    return "\n".join(f"{i}. {name}" for i, name in enumerate(names, 1))


def _pick(text: str, count: int) -> int | None:
    return int(text) - 1 if text.isdigit() and 1 <= int(text) <= count else None


def _chat_step(conv: ChatConversation, text: str, now: dt.datetime) -> str:
    answers = conv.answers
    word = text.lower()
    if conv.step == Step.AGENCY:
        if word in DONT_KNOW:
            answers["agency_id"] = None
            return _to_what(conv)
        offered = answers.pop("agency_choices", None)
        if offered and (i := _pick(text, len(offered))) is not None:
            return _agency_chosen(conv, offered[i])
        if not text:
            return _AGENCY_QUESTION()
        found = agency_search_public(query=text, limit=CHAT_CHOICES_SHOWN)
        if not found:
            return _("No agency found for “%(text)s”. Try another name, or reply “tidak tahu”.") % {
                "text": text[:60]
            }
        if len(found) == 1:
            return _agency_chosen(conv, found[0].pk)
        answers["agency_choices"] = [a.pk for a in found]
        return "\n".join(
            [
                _("Which of these? Reply with its number."),
                _numbered([a.name for a in found]),
            ]
        )
    if conv.step == Step.CATEGORY:
        offered = answers.get("category_choices", [])
        if word in DONT_KNOW:
            answers["category_id"] = None
            return _to_what(conv)
        if (i := _pick(text, len(offered))) is not None:
            answers["category_id"] = offered[i]
            return _to_what(conv)
        return _("Reply with the number of a category, or “tidak tahu”.")
    if conv.step == Step.WHAT:
        if len(text) < 10:
            return _("Please tell us a little more about what happened.")
        answers["what"] = text
        conv.step = Step.WHERE
        return _("Where did it happen? Write the place or address.")
    if conv.step == Step.WHERE:
        if len(text) < 3:
            return _("Where did it happen? Write the place or address.")
        answers["where"] = text[:255]
        conv.step = Step.WHEN
        return _WHEN_QUESTION()
    # Step.WHEN
    when = _chat_date(word, now)
    if when is False:
        return _WHEN_QUESTION()
    return _chat_file(conv, when, now)


def _WHEN_QUESTION() -> str:
    return _(
        "When did it happen? Write the date (for example 05-12-2026), “hari ini”, “kemarin”, "
        "or “tidak tahu”."
    )


def _agency_chosen(conv: ChatConversation, agency_id: int) -> str:
    conv.answers["agency_id"] = agency_id
    categories = category_list_public(agency_id=agency_id)[:CHAT_CHOICES_SHOWN]
    if not categories:
        return _to_what(conv)
    conv.answers["category_choices"] = [c.pk for c in categories]
    conv.step = Step.CATEGORY
    return "\n".join(
        [
            _("What is it about? Reply with a number, or “tidak tahu”."),
            _numbered([c.name for c in categories]),
        ]
    )


def _to_what(conv: ChatConversation) -> str:
    conv.step = Step.WHAT
    return _("What happened? Tell us in one message.")


def _chat_date(word: str, now: dt.datetime) -> dt.date | bool | None:
    """The incident date, None when unknown, False when it cannot be read or is ahead."""
    today = timezone.localdate(now)
    if word in DONT_KNOW:
        return None
    if word in ("hari ini", "tadi"):
        return today
    if word == "kemarin":
        return today - dt.timedelta(days=1)
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d"):
        try:
            day = dt.datetime.strptime(word, fmt).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
        return day if day <= today else False
    return False


def _chat_file(conv: ChatConversation, when: dt.date | None, now: dt.datetime) -> str:
    answers = conv.answers
    agency = agency_get_public(agency_id=answers.get("agency_id"))
    category = (
        category_get_public(agency_id=agency.pk, category_id=answers.get("category_id"))
        if agency is not None
        else None
    )
    complaint, code = complaint_submit(
        actor=None,
        kind=Kind.COMPLAINT,
        title=_first_line(answers["what"]),
        body=answers["what"],
        agency=agency,
        category=category,
        incident_date=when,
        location_text=answers.get("where", ""),
        channel=conv.channel,
        reporter_phone=conv.sender,
        now=now,
    )
    conv.delete()
    number = complaint.display_tracking_number
    return "\n".join(
        [
            _("Thank you, your report has been received."),
            _("Tracking number: %(number)s") % {"number": number},
            _("Access code: %(code)s") % {"code": display_code(code)},
            _("Keep both: together they open your report at %(site)s.")
            % {"site": settings.ADUAN_PUBLIC_BASE_URL},
            _("To ask about its progress, send: status %(number)s") % {"number": number},
        ]
    )


def _chat_status(*, sender: str, number: str) -> str:
    code = normalize_code(number)
    if len(code) == TRACKING_NUMBER_LENGTH + 3 and code.startswith("ADU"):
        code = code[3:]
    complaint = complaint_for_chat_sender(tracking_number=code, sender=sender)
    if complaint is None:
        return _(
            "No report with that number was filed from this phone number. Check the number, "
            "or open the report on the website with its access code."
        )
    return _("Report %(number)s: %(status)s.") % {
        "number": complaint.display_tracking_number,
        "status": complaint.get_status_display(),
    }
