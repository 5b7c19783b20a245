"""Cursor (keyset) pagination over the queue's sort orders: each page continues after the last
row of the previous one, so a deep page costs what the first one does and rows filed meanwhile
never shift a page. The cursor is opaque to clients (base64 of the last row's sort key)."""

from __future__ import annotations

import base64
import datetime as dt
import json
from collections import OrderedDict
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from complaints.selectors.queue import queue_sort

DEFAULT_PAGE_SIZE = 25
MAX_PAGE_SIZE = 100

# (field, descending, nullable) per API ordering, the same orders as selectors.queue.SORTS
# (nullable fields sort their nulls last).
KEYS: dict[str, tuple[tuple[str, bool, bool], ...]] = {
    "due": (("current_due_at", False, True), ("id", False, False)),
    "-due": (("current_due_at", True, True), ("id", True, False)),
    "created": (("created_at", False, False), ("id", False, False)),
    "-created": (("created_at", True, False), ("id", True, False)),
    "status": (("status", False, False), ("current_due_at", False, True), ("id", False, False)),
    "-status": (("status", True, False), ("current_due_at", False, True), ("id", False, False)),
}
DATETIME_FIELDS = frozenset({"current_due_at", "created_at"})


def _after(keys: tuple[tuple[str, bool, bool], ...], values: list[Any]) -> Q:
    """Rows strictly after `values` in the lexicographic order of `keys`."""
    q = Q(pk__in=[])
    equal = Q()
    for (field, desc, nullable), value in zip(keys, values, strict=True):
        if value is None:
            greater = Q(pk__in=[])  # nulls are last: nothing sorts after a null but nulls
            same = Q(**{f"{field}__isnull": True})
        else:
            greater = Q(**{f"{field}__{'lt' if desc else 'gt'}": value})
            if nullable:
                greater |= Q(**{f"{field}__isnull": True})
            same = Q(**{field: value})
        q |= equal & greater
        equal &= same
    return q


def _encode(values: list[Any]) -> str:
    raw = json.dumps([v.isoformat() if isinstance(v, dt.datetime) else v for v in values])
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode(cursor: str, keys: tuple[tuple[str, bool, bool], ...]) -> list[Any]:
    invalid = ValidationError(
        {"cursor": [_("The cursor is not valid; start from the first page.")]}
    )
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw.decode())
    except (ValueError, UnicodeDecodeError) as exc:
        raise invalid from exc
    if not isinstance(values, list) or len(values) != len(keys):
        raise invalid
    out = []
    for (field, _desc, nullable), value in zip(keys, values, strict=True):
        if value is None and nullable:
            out.append(None)
        elif field in DATETIME_FIELDS and isinstance(value, str) and parse_datetime(value):
            out.append(parse_datetime(value))
        elif (field == "id" and isinstance(value, int) and 0 < value < 2**62) or (
            field == "status" and isinstance(value, str) and len(value) < 30
        ):
            out.append(value)
        else:
            raise invalid
    return out


class ComplaintCursorPagination(BasePagination):
    page_size_query_param = "page_size"

    def page_size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return DEFAULT_PAGE_SIZE
        if not raw.isdigit() or not 1 <= int(raw[:6]) <= MAX_PAGE_SIZE or len(raw) > 6:
            raise ValidationError(
                {
                    "page_size": [
                        _("The page size is a whole number from 1 to %(n)s.") % {"n": MAX_PAGE_SIZE}
                    ]
                }
            )
        return int(raw)

    def paginate_queryset(self, queryset: QuerySet, request, view=None) -> list[dict[str, Any]]:
        """The page's rows of a `values()` queryset that carries every sort key."""
        size = self.page_size(request)
        sort = queue_sort(
            {
                "sort": request.query_params.get("ordering"),
                "status": request.query_params.getlist("status"),
            }
        )
        keys = KEYS[sort]
        cursor = request.query_params.get("cursor")
        if cursor:
            queryset = queryset.filter(_after(keys, _decode(cursor, keys)))
        rows = list(queryset[: size + 1])
        self.request = request
        self.next_values = None
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            self.next_values = [last[field] for field, _d, _n in keys]
        return rows

    def get_next_link(self) -> str | None:
        if self.next_values is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "cursor", _encode(self.next_values))

    def get_paginated_response(self, data: list[Any]) -> Response:
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_paginated_response_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "type": "object",
            "required": ["results"],
            "properties": {
                "next": {
                    "type": "string",
                    "nullable": True,
                    "format": "uri",
                    "description": "The next page, or null on the last page.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view) -> list[dict[str, Any]]:
        return [
            {
                "name": "cursor",
                "required": False,
                "in": "query",
                "description": "The `next` link's cursor; absent for the first page.",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": (
                    f"Rows per page, 1 to {MAX_PAGE_SIZE} (default {DEFAULT_PAGE_SIZE})."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
