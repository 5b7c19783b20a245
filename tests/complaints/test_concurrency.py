"""Two members of staff acting on one complaint at the same moment (PostgreSQL row locks).

Each thread has its own database connection; a barrier releases both calls together. The
service locks the row (SELECT ... FOR UPDATE), so the second caller waits for the first to
commit and then sees the new state.
"""

from __future__ import annotations

import threading

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from common.exceptions import ApplicationError, StaleState, TransitionNotAllowed
from complaints import services
from complaints.models import Complaint, EventType, Role, Status
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _race(calls):
    """Run the callables at the same moment; return what each returned or raised."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def worker(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        except Exception as exc:  # the outcome under test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not any(t.is_alive() for t in threads), "a caller is stuck"
    return results


@pytest.fixture
def assigned():
    assert connection.vendor == "postgresql"
    f.SlaPolicyFactory()
    agency = f.AgencyFactory()
    unit = f.UnitFactory(parent=agency)
    verifier = f.staff(agency, Role.VERIFIER)
    c = f.complaint(agency)
    services.complaint_verify(complaint_id=c.pk, actor=verifier)
    c = services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)
    return c, unit, verifier


def test_two_officers_take_the_same_complaint(assigned):
    c, unit, _verifier = assigned
    ani = f.staff(unit, Role.OFFICER, full_name="Ani Petugas")
    budi = f.staff(unit, Role.OFFICER, full_name="Budi Petugas")
    seen = c.version  # both pages were rendered with this version

    results = _race(
        [
            lambda: services.complaint_take(complaint_id=c.pk, actor=ani, expected_version=seen),
            lambda: services.complaint_take(complaint_id=c.pk, actor=budi, expected_version=seen),
        ]
    )

    won = [r for r in results if isinstance(r, Complaint)]
    lost = [r for r in results if isinstance(r, Exception)]
    assert len(won) == 1, results
    assert len(lost) == 1, results
    assert isinstance(lost[0], StaleState)
    winner = won[0].assignee
    # The loser is told who changed it, what happened and the state it is in now.
    message = str(lost[0].message)
    assert winner.full_name in message
    # the workers speak the default language, whatever an earlier test left active here
    with translation.override(settings.LANGUAGE_CODE):
        assert str(Status.IN_PROGRESS.label) in message
    assert lost[0].extra["status"] == Status.IN_PROGRESS
    c.refresh_from_db()
    assert (c.status, c.assignee_id, c.version) == (Status.IN_PROGRESS, winner.pk, seen + 1)
    assert c.events.filter(type=EventType.TAKEN).count() == 1


def test_two_verifiers_verify_the_same_complaint_without_a_version(db):
    f.SlaPolicyFactory()
    agency = f.AgencyFactory()
    first = f.staff(agency, Role.VERIFIER)
    second = f.staff(agency, Role.VERIFIER)
    c = f.complaint(agency)

    results = _race(
        [
            lambda: services.complaint_verify(complaint_id=c.pk, actor=first),
            lambda: services.complaint_verify(complaint_id=c.pk, actor=second),
        ]
    )

    errors = [r for r in results if isinstance(r, ApplicationError)]
    assert len(errors) == 1, results
    # The row lock serialises them: the second sees "verified" and is refused.
    assert isinstance(errors[0], TransitionNotAllowed)
    assert c.events.filter(type=EventType.VERIFIED).count() == 1


def test_two_taps_with_one_draft_file_once_and_share_the_receipt(db):
    # given one filing draft (its submit key) sent by two requests at the same moment
    from complaints.services.filing import AlreadySubmitted, filing_receipt

    f.SlaPolicyFactory()
    agency = f.AgencyFactory()

    def tap():
        return services.complaint_submit(
            actor=None,
            kind="complaint",
            title="Antrean obat",
            body="Tiga jam menunggu.",
            agency=agency,
            submit_key="k" * 64,
        )

    # when both run
    results = _race([tap, tap])

    # then the database let one file, the other waited for it and was handed its receipt,
    # access code included, so either tap's page shows the same receipt
    filed = [r for r in results if isinstance(r, tuple)]
    refused = [r for r in results if isinstance(r, AlreadySubmitted)]
    assert len(filed) == 1, results
    assert len(refused) == 1, results
    complaint, code = filed[0]
    assert Complaint.objects.count() == 1
    assert refused[0].complaint == complaint
    assert refused[0].receipt["number"] == complaint.tracking_number
    assert refused[0].receipt["code"] == code
    assert filing_receipt(submit_key="k" * 64)["code"] == code


def test_no_request_waits_by_sleeping():
    # The double-submit guard lives in the database and the filing service: no view polls.
    from pathlib import Path

    views = Path(services.__file__).resolve().parent.parent / "views"
    assert not [p.name for p in views.glob("*.py") if "sleep(" in p.read_text()]
