"""The stand-in national system and the relay + delivery loop the connector tests drive."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from complaints import services
from complaints.jobs.connectors import connectors_relay
from complaints.management.commands.lapor_standin import StandinServer
from complaints.models import LaporLink, Notification, Role
from complaints.outbox.delivery import TransientDeliveryError, notification_deliver
from tests import factories as f

TOKEN = "standin-token"


def make_world(standin: StandinServer) -> SimpleNamespace:
    f.SlaPolicyFactory()
    agency = f.AgencyFactory(
        name="Dinas Kesehatan Kota", slug="dinkes-kota", responses_need_approval=False
    )
    unit = f.UnitFactory(parent=agency)
    link = LaporLink.objects.create(agency=agency, base_url=standin.url, api_token=TOKEN)
    standin.secret = link.inbound_secret
    # The relay starts at the present: start it before anything happens.
    connectors_relay()
    return SimpleNamespace(
        agency=agency,
        unit=unit,
        link=link,
        verifier=f.staff(agency, Role.VERIFIER),
        officer=f.staff(agency, Role.OFFICER),
        focal=f.staff(agency, Role.FOCAL_POINT, email="fokal@example.go.id"),
    )


def pending(channel: str) -> list[int]:
    return list(
        Notification.objects.filter(
            channel=channel,
            state__in=[Notification.State.PENDING, Notification.State.SENDING],
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def relay_and_deliver(channel: str, *, now: dt.datetime | None = None) -> dict[str, int]:
    """One beat's worth: the relay writes the rows, each pending row is delivered once (as
    the delivery task would). Counts what happened."""
    now = now or timezone.now()
    connectors_relay(now=now, settle=dt.timedelta(0))
    outcome = {"sent": 0, "retry": 0, "skipped": 0}
    for pk in pending(channel):
        try:
            sent = notification_deliver(notification_id=pk, now=now)
        except TransientDeliveryError:
            outcome["retry"] += 1
        else:
            outcome["sent" if sent else "skipped"] += 1
    return outcome


def in_progress(w, complaint_id: int) -> None:
    services.complaint_verify(complaint_id=complaint_id, actor=w.verifier)
    services.complaint_route(complaint_id=complaint_id, actor=w.verifier, unit=w.unit)
    services.complaint_take(complaint_id=complaint_id, actor=w.officer)


def publish(w, complaint_id: int, body: str = "Loket tambahan sudah dibuka.") -> None:
    r = services.response_draft(complaint_id=complaint_id, actor=w.officer, body=body)
    services.response_publish(response_id=r.pk, actor=w.officer)
