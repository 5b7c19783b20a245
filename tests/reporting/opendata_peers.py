"""Open-data records whose (agency, category, month) group is large enough but whose other
published values single them out: built the same way on PostgreSQL and on SQLite."""

from __future__ import annotations

import datetime as dt

from complaints import services
from complaints.models import Channel
from reporting.facts import facts_refresh_due
from reporting.opendata import record_rows
from tests import factories as f


def build() -> None:
    """Agency "Peer A": six complaints in one category and month, routed to unit "A1" and
    verified alike, and a seventh the same but routed to unit "A2". Agency "Peer B": four
    web complaints in one category and month, and a fifth the same but filed through the API. Every
    one is in a group of at least 5 by agency, category and month."""
    admin = f.UserFactory(full_name="Admin Nasional", is_national_admin=True)
    a = f.AgencyFactory(name="Peer A", responses_need_approval=False)
    a1 = f.UnitFactory(parent=a, name="A1")
    a2 = f.UnitFactory(parent=a, name="A2")
    b = f.AgencyFactory(name="Peer B", responses_need_approval=False)
    categories = {agency: f.CategoryFactory(agency=agency, name="Obat") for agency in (a, b)}
    for agency, unit, channel, count in (
        (a, a1, Channel.WEB, 6),
        (a, a2, Channel.WEB, 1),
        (b, None, Channel.WEB, 4),
        (b, None, Channel.API, 1),
    ):
        for _ in range(count):
            c = f.complaint(agency, channel=channel)
            services.complaint_verify(complaint_id=c.pk, actor=admin, category=categories[agency])
            if unit is not None:
                services.complaint_route(complaint_id=c.pk, actor=admin, unit=unit)
    facts_refresh_due()


def published() -> list[list]:
    """The published records of the peer scenario: (agency, unit, channel) of each."""
    today = dt.date.today()  # noqa: DTZ011 - the window only needs to hold today's filings
    rows = record_rows(start=today - dt.timedelta(days=40), end=today + dt.timedelta(days=40))
    return sorted([row[1], row[2], row[5]] for row in rows)
