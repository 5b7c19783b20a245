"""Spreadsheet cells: every CSV and XLSX export writes text through here."""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell_safe(value: Any) -> str:
    """Spreadsheet formula injection: a cell starting with = + - @ (or a tab or carriage
    return) is text, not a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text
