"""Drive complaints through the services at chosen moments, and read their facts."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from accounts.models import User
from complaints import services
from complaints.models import Agency, Complaint, Response
from reporting.models import ComplaintFact
from tests import factories as f

WIB = ZoneInfo("Asia/Jakarta")
WIT = ZoneInfo("Asia/Jayapura")


def at(day: int, hour: int = 10, minute: int = 0, tz: ZoneInfo = WIB, month: int = 11):
    """A moment of November 2026 (Monday 2 November is a working day) in a time zone."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=tz)


class Actor:
    """The national admin acts everywhere (the services' scope rules are tested elsewhere)."""

    def __init__(self) -> None:
        self.user: User = f.UserFactory(full_name="Admin Nasional", is_national_admin=True)

    def file(self, agency: Agency | None, when: dt.datetime, **kwargs) -> Complaint:
        return f.complaint(agency, now=when, **kwargs)

    def verify(self, c: Complaint, when: dt.datetime, **kwargs) -> None:
        services.complaint_verify(complaint_id=c.pk, actor=self.user, now=when, **kwargs)

    def hold(self, c: Complaint, when: dt.datetime) -> None:
        services.complaint_hold_for_info(
            complaint_id=c.pk, actor=self.user, message="Mohon lampirkan foto.", now=when
        )

    def supply(self, c: Complaint, when: dt.datetime) -> None:
        services.complaint_supply_info(complaint_id=c.pk, body="Foto terlampir.", now=when)

    def forward(self, c: Complaint, agency: Agency | None, when: dt.datetime) -> None:
        services.complaint_forward(
            complaint_id=c.pk, actor=self.user, agency=agency, reason="Bukan wewenang", now=when
        )

    def answer(self, c: Complaint, when: dt.datetime) -> Response:
        response = services.response_draft(
            complaint_id=c.pk, actor=self.user, body="Sudah kami tindak lanjuti.", now=when
        )
        if c.agency and c.agency.responses_need_approval:
            services.response_approve(response_id=response.pk, actor=self.user, now=when)
        return services.response_publish(response_id=response.pk, actor=self.user, now=when)

    def object(self, c: Complaint, when: dt.datetime) -> None:
        services.complaint_reporter_object(complaint_id=c.pk, reason="Belum selesai.", now=when)

    def accept(self, c: Complaint, when: dt.datetime) -> None:
        services.complaint_reporter_accept(complaint_id=c.pk, now=when)

    def rate(self, c: Complaint, rating: int, when: dt.datetime) -> None:
        services.complaint_rate(complaint_id=c.pk, rating=rating, now=when)

    def archive(self, c: Complaint, when: dt.datetime) -> None:
        services.complaint_archive(
            complaint_id=c.pk,
            actor=self.user,
            reason="Tidak dapat ditindaklanjuti: pelapor tidak dapat dihubungi.",
            now=when,
        )


def facts_of(c: Complaint) -> list[ComplaintFact]:
    return list(ComplaintFact.objects.filter(complaint_id=c.pk).order_by("stint"))


def current_fact(c: Complaint) -> ComplaintFact:
    return ComplaintFact.objects.get(complaint_id=c.pk, is_current=True)
