"""The GeoReport v2 methods. Reads are open to anyone and show only what the public may know;
filing needs a client's api_key. Every answer, errors included, is in the format the path
names (.xml or .json)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from common.exceptions import ApplicationError
from complaints.access import display_code
from complaints.models import OPEN_STATUSES, Category, Complaint, Kind, Status
from complaints.open311.render import error, respond
from complaints.selectors.intake import (
    OPEN311_MAX_RANGE,
    open311_client_for_key,
    open311_request_get,
    open311_request_list,
    open311_service_get,
    open311_service_list,
    open311_token_get,
)
from complaints.services.intake import open311_request_submit

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# When this interface last changed (discovery's changeset).
CHANGESET = "2026-12-07T00:00:00Z"
YES_NO = ("yes", "no")


def read_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """GET and HEAD only, refused in the specification's error format (never a CSRF page)."""

    @csrf_exempt
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return error(kwargs["fmt"], 405, _("Only GET is allowed here."))
        return view(request, *args, **kwargs)

    return wrapped


def _w3(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


@read_only
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    base = settings.ADUAN_PUBLIC_BASE_URL.rstrip("/")
    return respond(
        fmt,
        "discovery",
        {
            "changeset": CHANGESET,
            "contact": settings.ADUAN_OPEN311_CONTACT,
            "key_service": _(
                "Ask the platform operator for an api_key; it is needed only to file requests."
            ),
            "endpoints": [
                {
                    "specification": SPECIFICATION,
                    "url": base + reverse("open311:root").rstrip("/"),
                    "changeset": CHANGESET,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": str(category.pk),
        "service_name": category.name,
        "description": category.description,
        "metadata": True,
        "type": "realtime",
        "keywords": category.agency.short_name,
        "group": category.agency.name,
    }


@read_only
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    return respond(fmt, "services", [_service(c) for c in open311_service_list()])


def _choice(key: str, name: Any) -> dict[str, str]:
    return {"key": key, "name": str(name)}


def _attributes() -> list[dict[str, Any]]:
    """What a request may add to the description; none is required."""
    return [
        {
            "variable": True,
            "code": "kind",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 1,
            "description": _("Kind of report"),
            "values": [_choice(value, label) for value, label in Kind.choices],
        },
        {
            "variable": True,
            "code": "title",
            "datatype": "string",
            "required": False,
            "datatype_description": _(
                "A short title; the first line of the description when empty."
            ),
            "order": 2,
            "description": _("Title"),
        },
        {
            "variable": True,
            "code": "incident_date",
            "datatype": "string",
            "required": False,
            "datatype_description": _("The date it happened, as YYYY-MM-DD."),
            "order": 3,
            "description": _("When did it happen?"),
        },
        {
            "variable": True,
            "code": "anonymous",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 4,
            "description": _("Hide the reporter's identity from the agency (anonim)"),
            "values": [_choice("yes", _("Yes")), _choice("no", _("No"))],
        },
        {
            "variable": True,
            "code": "confidential",
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": None,
            "order": 5,
            "description": _("Keep the whole report from the public (rahasia)"),
            "values": [_choice("yes", _("Yes")), _choice("no", _("No"))],
        },
    ]


@read_only
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    if open311_service_get(service_code=service_code) is None:
        return error(fmt, 404, _("service_code %(code)s not found") % {"code": service_code})
    return respond(
        fmt, "service_definition", {"service_code": service_code, "attributes": _attributes()}
    )


def _request(c: Complaint) -> dict[str, Any]:
    is_open = c.status in OPEN_STATUSES
    return {
        "service_request_id": c.tracking_number,
        "status": "open" if is_open else "closed",
        "status_notes": str(Status(c.status).label),
        "service_name": c.category.name if c.category else None,
        "service_code": str(c.category_id) if c.category_id else None,
        # The title only: the account may name people, and is not public.
        "description": c.title,
        "agency_responsible": c.agency.name if c.agency else None,
        "service_notice": None,
        "requested_datetime": _w3(c.submitted_at),
        "updated_datetime": _w3(c.updated_at),
        "expected_datetime": _w3(c.current_due_at) if is_open else None,
        "address": c.location_text or None,
        "address_id": None,
        "zipcode": None,
        "lat": float(c.latitude) if c.latitude is not None else None,
        "long": float(c.longitude) if c.longitude is not None else None,
        "media_url": None,
    }


def _comma(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


def _when(value: str | None) -> dt.datetime | None:
    """A w3 datetime with its zone; raises ValueError for anything else."""
    if not value:
        return None
    parsed = parse_datetime(value.strip().replace(" ", "+"))
    if parsed is None or timezone.is_naive(parsed):
        raise ValueError(value)
    return parsed


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    if request.method not in ("GET", "HEAD"):
        return error(fmt, 405, _("Only GET and POST are allowed here."))
    q = request.GET
    ids = _comma(q.get("service_request_id"))
    statuses = [s.lower() for s in _comma(q.get("status"))]
    if any(s not in ("open", "closed") for s in statuses):
        return error(fmt, 400, _("status must be open or closed"))
    try:
        start, end = _when(q.get("start_date")), _when(q.get("end_date"))
    except ValueError:
        return error(fmt, 400, _("start_date and end_date must be w3 datetimes with a time zone"))
    if start and end:
        if end < start:
            return error(fmt, 400, _("end_date must not be before start_date"))
        if end - start > OPEN311_MAX_RANGE:
            return error(fmt, 400, _("The date range may not span more than 90 days"))
    elif start:
        end = start + OPEN311_MAX_RANGE
    elif end:
        start = end - OPEN311_MAX_RANGE
    else:
        start = timezone.now() - OPEN311_MAX_RANGE
    rows = open311_request_list(
        ids=ids,
        service_codes=_comma(q.get("service_code")),
        statuses=statuses,
        start=start,
        end=end,
    )
    return respond(fmt, "service_requests", [_request(c) for c in rows])


@read_only
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    complaint = open311_request_get(service_request_id=service_request_id)
    if complaint is None:
        return error(
            fmt, 404, _("service_request_id %(id)s not found") % {"id": service_request_id}
        )
    return respond(fmt, "service_requests", [_request(complaint)])


@read_only
def token_detail(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    found = open311_token_get(token=token)
    if found is None:
        return error(fmt, 404, _("token %(token)s not found") % {"token": token})
    return respond(
        fmt,
        "service_requests",
        [{"service_request_id": found.complaint.tracking_number, "token": found.token}],
    )


def _coordinate(value: str | None, limit: int) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(value).quantize(Decimal("0.000001"))
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(value) from exc
    if not number.is_finite() or abs(number) > limit:
        raise ValueError(value)
    return number


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    p = request.POST
    client = open311_client_for_key(key=p.get("api_key", ""))
    if client is None:
        return error(fmt, 403, _("Invalid api_key received -- can't proceed with create_request."))
    code = p.get("service_code", "").strip()
    if not code:
        return error(fmt, 400, _("service_code was not provided"))
    service = open311_service_get(service_code=code)
    if service is None:
        return error(fmt, 404, _("service_code %(code)s not found") % {"code": code})
    try:
        lat = _coordinate(p.get("lat"), 90)
        lon = _coordinate(p.get("long"), 180)
    except ValueError:
        return error(fmt, 400, _("lat and long must be decimal degrees"))
    address = (p.get("address_string") or p.get("address_id") or "").strip()
    if (lat is None) != (lon is None):
        return error(fmt, 400, _("lat and long must be given together"))
    if lat is None and not address:
        return error(fmt, 400, _("A location is required: lat and long, or address_string"))
    email = p.get("email", "").strip()
    if email:
        try:
            validate_email(email)
        except ValidationError:
            return error(fmt, 400, _("email is not a valid email address"))
    attributes = {
        key[len("attribute[") : -1]: value.strip()
        for key, value in p.items()
        if key.startswith("attribute[") and key.endswith("]")
    }
    if attributes.get("kind") and attributes["kind"] not in Kind.values:
        return error(fmt, 400, _("attribute[kind] is not one of the listed values"))
    for flag in ("anonymous", "confidential"):
        if attributes.get(flag) and attributes[flag] not in YES_NO:
            return error(fmt, 400, _("attribute[%(code)s] must be yes or no") % {"code": flag})
    try:
        complaint, access_code, token = open311_request_submit(
            client=client,
            service=service,
            description=p.get("description", ""),
            attributes=attributes,
            latitude=lat,
            longitude=lon,
            address=address,
            email=email,
            first_name=p.get("first_name", ""),
            last_name=p.get("last_name", ""),
            phone=p.get("phone", ""),
        )
    except ApplicationError as exc:
        return error(fmt, 400, str(exc.message))
    notice = _(
        "Tracking number %(number)s, access code %(code)s. The reporter needs both to open the "
        "report; the access code is shown only this once."
    ) % {"number": complaint.display_tracking_number, "code": display_code(access_code)}
    return respond(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": complaint.tracking_number,
                "token": token,
                "service_notice": notice,
                "account_id": None,
            }
        ],
    )
