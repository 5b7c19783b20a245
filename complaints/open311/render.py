"""GeoReport v2's two formats. XML: the root element after the declaration, one child element
per field, empty for a missing value. JSON: the same fields, with null, numbers and booleans."""

from __future__ import annotations

import json
from typing import Any
from xml.etree import ElementTree as ET

from django.http import HttpResponse

CONTENT_TYPES = {
    "xml": "text/xml; charset=utf-8",
    "json": "application/json; charset=utf-8",
}
# The element each item of a list is written as in XML, by the list's element.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


def _xml_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _xml_fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _xml_fill(ET.SubElement(element, key), child)
    elif isinstance(value, list):
        item = ITEM_NAMES[element.tag]
        for child in value:
            _xml_fill(ET.SubElement(element, item), child)
    else:
        element.text = _xml_text(value)


def to_xml(root: str, value: Any) -> str:
    element = ET.Element(root)
    _xml_fill(element, value)
    return '<?xml version="1.0" encoding="utf-8"?>' + ET.tostring(element, encoding="unicode")


def respond(fmt: str, root: str, value: Any, *, status: int = 200) -> HttpResponse:
    """`value` as `fmt`; in XML it is wrapped in the `root` element (JSON has no root)."""
    body = json.dumps(value, ensure_ascii=False) if fmt == "json" else to_xml(root, value)
    return HttpResponse(body, status=status, content_type=CONTENT_TYPES[fmt])


def error(fmt: str, status: int, description: str) -> HttpResponse:
    """The specification's error list: one error with the HTTP status as its code."""
    return respond(
        fmt, "errors", [{"code": status, "description": str(description)}], status=status
    )
