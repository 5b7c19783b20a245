"""Open data: aggregate counts and anonymised complaint records of the published complaints
(never rahasia), with a data dictionary, a licence and a DCAT catalogue entry.

No personal data and no free text: records carry the month of filing (not the day), the
agency, unit and category names, kind, channel, status and the clocks' outcomes; never the
tracking number, the title, the account, the location or the reporter. Small counts are
suppressed: an aggregate cell under SUPPRESS_BELOW is published as empty with a flag, and a
record is published only when at least SUPPRESS_BELOW public complaints share every
categorical value it publishes (month, agency, unit, category, kind, channel, status, the
clocks' outcomes, reopened), so no published combination stands for fewer complaints."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db import connection, transaction
from django.utils.translation import gettext_lazy as _

from reporting.dashboards import SUPPRESS_BELOW

LICENCE = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

AGGREGATE_FIELDS = (
    ("month", _("Month of filing (YYYY-MM), in the agency's time zone.")),
    ("agency", _("The agency holding the complaint now.")),
    ("kind", _("Complaint, information request or suggestion.")),
    ("status", _("The complaint's status now.")),
    ("complaints", _("Number of complaints; empty when under 5 (suppressed).")),
    ("suppressed", _("1 when the count was under 5 and is not published.")),
)

RECORD_FIELDS = (
    ("month", _("Month of filing (YYYY-MM), in the agency's time zone.")),
    ("agency", _("The agency holding the complaint now.")),
    ("unit", _("The unit of the agency handling it, if routed.")),
    ("category", _("The agency's category of the complaint, if classified.")),
    ("kind", _("Complaint, information request or suggestion.")),
    ("channel", _("How the complaint came in (web, API, walk-in, …).")),
    ("status", _("The complaint's status now.")),
    (
        "verify",
        _("Verification clock: met, missed, late (open past the deadline), running, ended."),
    ),
    ("response", _("First-response clock, the same outcomes.")),
    ("resolution", _("Resolution clock, the same outcomes.")),
    ("ceiling", _("The 60-day ceiling, the same outcomes.")),
    ("verify_days", _("The agency's working days to verify, once ended.")),
    ("response_days", _("The agency's working days to the first answer, once ended.")),
    ("resolution_days", _("The agency's working days to resolve, once ended.")),
    ("reopened", _("1 when the reporter objected to an answer.")),
)

AGGREGATE_SQL = """
SELECT {month} AS month, a.name AS agency,
       f.kind, f.status, COUNT(*) AS n
FROM reporting_complaintfact f
LEFT JOIN complaints_agency a ON a.id = f.agency_id
WHERE f.is_current AND NOT f.is_confidential AND f.submitted_on BETWEEN %(start)s AND %(end)s
GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
"""

# The filing month as YYYY-MM.
MONTH = {
    "postgresql": "to_char(f.submitted_on, 'YYYY-MM')",
    "sqlite": "strftime('%%Y-%%m', f.submitted_on)",
}

# Every categorical column a record publishes is in its peer group, counted on the values as
# published (names, not ids): a record goes out only when at least SUPPRESS_BELOW public
# complaints read the same on all of them, so no published combination stands for fewer people.
# One statement, the window over the joined rows, streamed as before.
RECORDS_SQL = """
WITH rec AS (
    SELECT f.complaint_id, {month} AS m, COALESCE(a.name, '') AS agency,
           COALESCE(u.name, '') AS unit, COALESCE(c.name, '') AS category, f.kind, f.channel,
           f.status, f.verify_state, f.response_state, f.resolution_state, f.ceiling_state,
           f.verify_days, f.response_days, f.resolution_days,
           CASE WHEN (SELECT COALESCE(SUM(x.reopens), 0) FROM reporting_complaintfact x
                      WHERE x.complaint_id = f.complaint_id) > 0 THEN 1 ELSE 0 END AS reopened
    FROM reporting_complaintfact f
    LEFT JOIN complaints_agency a ON a.id = f.agency_id
    LEFT JOIN complaints_agency u ON u.id = f.unit_id
    LEFT JOIN complaints_category c ON c.id = f.category_id
    WHERE f.is_current AND NOT f.is_confidential
      AND f.submitted_on BETWEEN %(start)s AND %(end)s
),
pub AS (
    SELECT rec.*,
           COUNT(*) OVER (PARTITION BY {peer_group}) AS peers
    FROM rec
)
SELECT {published}
FROM pub
WHERE pub.peers >= %(min)s
ORDER BY pub.m, pub.agency, pub.complaint_id
"""
# The published columns in RECORD_FIELDS' order, and those that define a record's peers: all
# but the working days (numbers, the outcome measured rather than who filed).
RECORD_COLUMNS = (
    "m",
    "agency",
    "unit",
    "category",
    "kind",
    "channel",
    "status",
    "verify_state",
    "response_state",
    "resolution_state",
    "ceiling_state",
    "verify_days",
    "response_days",
    "resolution_days",
    "reopened",
)
PEER_COLUMNS = tuple(c for c in RECORD_COLUMNS if not c.endswith("_days"))


def records_sql(vendor: str) -> str:
    return RECORDS_SQL.format(
        month=MONTH[vendor],
        peer_group=", ".join(PEER_COLUMNS),
        published=", ".join(f"pub.{c}" for c in RECORD_COLUMNS),
    )


def aggregate_rows(*, start: dt.date, end: dt.date) -> list[tuple]:
    """(month, agency, kind, status, count or None, suppressed) of the public complaints."""
    with connection.cursor() as cur:
        cur.execute(
            AGGREGATE_SQL.format(month=MONTH[connection.vendor]), {"start": start, "end": end}
        )
        rows = cur.fetchall()
    return [
        (
            month,
            agency or "",
            kind,
            status,
            None if n < SUPPRESS_BELOW else n,
            int(n < SUPPRESS_BELOW),
        )
        for month, agency, kind, status, n in rows
    ]


def record_rows(*, start: dt.date, end: dt.date, chunk: int = 2000) -> Iterator[tuple]:
    """The anonymised records, streamed through a server-side cursor inside a read
    transaction: `chunk` rows in memory at a time, whatever the number of complaints."""
    params = {"start": start, "end": end, "min": SUPPRESS_BELOW}
    sql = records_sql(connection.vendor)
    if connection.vendor != "postgresql":  # SQLite (make run): a plain cursor, in chunks
        with connection.cursor() as cur:
            cur.execute(sql, params)
            while batch := cur.fetchmany(chunk):
                yield from batch
        return
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor(name="reporting_records") as cur:
            cur.itersize = chunk
            cur.execute(sql, params)
            while batch := cur.fetchmany(chunk):
                yield from batch
