"""Open data: aggregate counts and anonymised complaint records of the published complaints
(never rahasia), with a data dictionary, a licence and a DCAT catalogue entry.

No personal data and no free text: records carry the month of filing (not the day), the
agency, unit and category names, kind, channel, status and the clocks' outcomes; never the
tracking number, the title, the account, the location or the reporter. Small counts are
suppressed: an aggregate cell under SUPPRESS_BELOW is published as empty with a flag, and a
record is published only when at least SUPPRESS_BELOW public complaints share its agency,
category and month (so no record stands alone in its group)."""

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

RECORDS_SQL = """
WITH pub AS (
    SELECT f.*, {month} AS m,
           COUNT(*) OVER (PARTITION BY f.agency_id, f.category_id, {month}) AS peers,
           (SELECT COALESCE(SUM(x.reopens), 0) FROM reporting_complaintfact x
            WHERE x.complaint_id = f.complaint_id) AS reopens_all
    FROM reporting_complaintfact f
    WHERE f.is_current AND NOT f.is_confidential
      AND f.submitted_on BETWEEN %(start)s AND %(end)s
)
SELECT pub.m, COALESCE(a.name, ''), COALESCE(u.name, ''),
       COALESCE(c.name, ''), pub.kind, pub.channel, pub.status, pub.verify_state,
       pub.response_state, pub.resolution_state, pub.ceiling_state, pub.verify_days,
       pub.response_days, pub.resolution_days, CASE WHEN pub.reopens_all > 0 THEN 1 ELSE 0 END
FROM pub
LEFT JOIN complaints_agency a ON a.id = pub.agency_id
LEFT JOIN complaints_agency u ON u.id = pub.unit_id
LEFT JOIN complaints_category c ON c.id = pub.category_id
WHERE pub.peers >= %(min)s
ORDER BY pub.m, a.name, pub.complaint_id
"""


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
    sql = RECORDS_SQL.format(month=MONTH[connection.vendor])
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
