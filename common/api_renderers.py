"""The API's renderers and parsers, apart from common.api: DRF loads them while
rest_framework.views is still being imported, so this module must not import the views."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.renderers import JSONRenderer

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemJSONRenderer(JSONRenderer):
    """Lets a client that accepts only `application/problem+json` still get an answer."""

    media_type = PROBLEM_CONTENT_TYPE


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser, with nesting too deep for Python's parser answered 400, not 500."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(_("JSON parse error - the document is nested too deeply.")) from exc
