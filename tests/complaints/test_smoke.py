import pytest

from complaints import services
from complaints.models import Role, Status
from tests import factories as f


@pytest.mark.django_db
def test_full_lifecycle_smoke(django_capture_on_commit_callbacks):
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    verifier = f.staff(agency, Role.VERIFIER)
    officer = f.staff(unit, Role.OFFICER)
    approver = f.staff(agency, Role.APPROVER)
    c = f.complaint(agency)
    c = services.complaint_verify(complaint_id=c.pk, actor=verifier)
    c = services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)
    c = services.complaint_take(complaint_id=c.pk, actor=officer)
    r = services.response_draft(complaint_id=c.pk, actor=officer, body="Sudah ditindak.")
    services.response_approve(response_id=r.pk, actor=approver)
    services.response_publish(response_id=r.pk, actor=approver)
    c.refresh_from_db()
    assert c.status == Status.AWAITING_REPORTER
    services.complaint_reporter_accept(complaint_id=c.pk)
    services.complaint_rate(complaint_id=c.pk, rating=5)
    c.refresh_from_db()
    assert c.status == Status.CLOSED
    assert c.events.count() == 9
