"""Who may read and act on which complaint: the role-by-agency matrix, forwarded complaints,
anonymous identities and confidential complaints."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from common.exceptions import NotFound
from complaints import selectors, services
from complaints.models import Complaint, ComplaintEvent, Role, Status
from complaints.selectors_public import complaint_similar_for_filing
from focal_points.models import CoordinationGroup
from focal_points.services import coordination_group_sync, focal_point_designate
from tests import factories as f


@pytest.fixture
def w(db):
    """Agency A (units A1, A2) and agency B (unit B1), a coordination group over A, staff of
    each, and complaints at A (agency level), at A1, at A2 and at B."""
    f.SlaPolicyFactory()
    a = f.AgencyFactory(name="Instansi A")
    a1 = f.UnitFactory(parent=a)
    a2 = f.UnitFactory(parent=a)
    b = f.AgencyFactory(name="Instansi B")
    b1 = f.UnitFactory(parent=b)
    verifier_a = f.staff(a, Role.VERIFIER)
    verifier_b = f.staff(b, Role.VERIFIER)
    coordinator = f.UserFactory()
    group = CoordinationGroup.objects.create(name="Grup A")
    group.agencies.add(a)
    group.coordinators.add(coordinator)
    coordination_group_sync(group=group)
    focal = f.UserFactory()
    focal_point_designate(user=focal, agency=a)

    def routed(agency, unit, verifier):
        c = f.complaint(agency)
        services.complaint_verify(complaint_id=c.pk, actor=verifier)
        return services.complaint_route(complaint_id=c.pk, actor=verifier, unit=unit)

    return SimpleNamespace(
        a=a,
        a1=a1,
        a2=a2,
        b=b,
        b1=b1,
        users={
            "verifier_a": verifier_a,
            "approver_a": f.staff(a, Role.APPROVER),
            "officer_a1": f.staff(a1, Role.OFFICER),
            "officer_a2": f.staff(a2, Role.OFFICER),
            "focal_a": focal,
            "coordinator_a": coordinator,
            "verifier_b": verifier_b,
            "officer_b1": f.staff(b1, Role.OFFICER),
            "admin": f.UserFactory(is_national_admin=True),
            "nobody": f.UserFactory(),
        },
        complaints={
            "at_a": f.complaint(a),
            "at_a1": routed(a, a1, verifier_a),
            "at_a2": routed(a, a2, verifier_a),
            "at_b": f.complaint(b),
            "at_b1": routed(b, b1, verifier_b),
        },
    )


# Who reads what. A membership covers its node and everything below it, never the parent.
READS = {
    "verifier_a": {"at_a", "at_a1", "at_a2"},
    "approver_a": {"at_a", "at_a1", "at_a2"},
    "officer_a1": {"at_a1"},
    "officer_a2": {"at_a2"},
    "focal_a": {"at_a", "at_a1", "at_a2"},
    "coordinator_a": {"at_a", "at_a1", "at_a2"},
    "verifier_b": {"at_b", "at_b1"},
    "officer_b1": {"at_b1"},
    "admin": {"at_a", "at_a1", "at_a2", "at_b", "at_b1"},
    "nobody": set(),
}
MATRIX = [(user, key) for user in READS for key in ("at_a", "at_a1", "at_a2", "at_b", "at_b1")]


def _fresh(user):
    # Selectors cache memberships on the user object; each check starts from a clean one.
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize(("user", "key"), MATRIX, ids=[f"{u}-{k}" for u, k in MATRIX])
def test_read_scope(w, user, key):
    actor = _fresh(w.users[user])
    complaint = w.complaints[key]
    listed = set(selectors.complaint_list_for_actor(actor=actor).values_list("pk", flat=True)) & {
        c.pk for c in w.complaints.values()
    }
    if key in READS[user]:
        assert selectors.complaint_get_for_actor(complaint_id=complaint.pk, actor=actor)
        assert complaint.pk in listed
    else:
        with pytest.raises(NotFound):
            selectors.complaint_get_for_actor(complaint_id=complaint.pk, actor=actor)
        assert complaint.pk not in listed


def test_the_list_holds_exactly_the_readable_complaints(w):
    for user, keys in READS.items():
        actor = _fresh(w.users[user])
        listed = set(selectors.complaint_list_for_actor(actor=actor).values_list("pk", flat=True))
        assert listed == {w.complaints[k].pk for k in keys}, user


def test_anonymous_visitors_read_nothing(w):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.complaint_list_for_actor(actor=AnonymousUser()).exists()
    assert not selectors.complaint_list_for_actor(actor=None).exists()


# Acting: an agency's staff cannot touch another agency's complaint (reported as not found),
# and a unit's officer cannot touch the parent's agency-level complaints.
ACTS = [
    ("verifier_b", "at_a", "verify"),
    ("verifier_b", "at_a", "archive"),
    ("verifier_b", "at_a1", "route"),
    ("verifier_a", "at_b", "verify"),
    ("verifier_a", "at_b", "forward"),
    ("officer_b1", "at_a1", "take"),
    ("officer_a2", "at_a1", "take"),
    ("officer_a1", "at_a", "note"),
    ("officer_a1", "at_b1", "draft"),
    ("nobody", "at_a", "verify"),
]


def _act(w, actor, complaint, action):
    pk = complaint.pk
    return {
        "verify": lambda: services.complaint_verify(complaint_id=pk, actor=actor),
        "archive": lambda: services.complaint_archive(complaint_id=pk, actor=actor, reason="x"),
        "route": lambda: services.complaint_route(complaint_id=pk, actor=actor, unit=w.a2),
        "forward": lambda: services.complaint_forward(
            complaint_id=pk, actor=actor, agency=w.a, reason="x"
        ),
        "take": lambda: services.complaint_take(complaint_id=pk, actor=actor),
        "note": lambda: services.complaint_note(complaint_id=pk, actor=actor, body="x"),
        "draft": lambda: services.response_draft(complaint_id=pk, actor=actor, body="x"),
    }[action]()


@pytest.mark.parametrize(("user", "key", "action"), ACTS, ids=["-".join(a) for a in ACTS])
def test_acting_outside_scope_is_not_found_and_writes_nothing(w, user, key, action):
    complaint = w.complaints[key]
    before = ComplaintEvent.objects.filter(complaint=complaint).count()
    version = Complaint.objects.get(pk=complaint.pk).version
    with pytest.raises(NotFound):
        _act(w, _fresh(w.users[user]), complaint, action)
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == before
    assert Complaint.objects.get(pk=complaint.pk).version == version


def test_a_parent_membership_acts_on_its_units_complaints(w):
    verifier = _fresh(w.users["verifier_a"])
    c = services.complaint_route(complaint_id=w.complaints["at_a1"].pk, actor=verifier, unit=w.a2)
    assert c.unit == w.a2
    officer = _fresh(w.users["officer_a2"])
    assert services.complaint_take(complaint_id=c.pk, actor=officer).assignee == officer


def test_a_forwarded_complaint_stays_readable_by_the_sender_but_not_actionable(w):
    verifier_a = _fresh(w.users["verifier_a"])
    c = w.complaints["at_a1"]
    services.complaint_forward(complaint_id=c.pk, actor=verifier_a, agency=w.b, reason="Bukan")
    # The sender still reads it, in the list and alone ...
    verifier_a = _fresh(w.users["verifier_a"])
    assert selectors.complaint_get_for_actor(complaint_id=c.pk, actor=verifier_a).agency == w.b
    assert selectors.complaint_list_for_actor(actor=verifier_a).filter(pk=c.pk).exists()
    assert c.pk not in set(
        selectors.complaint_list_for_actor(actor=verifier_a, include_history=False).values_list(
            "pk", flat=True
        )
    )
    # ... but can no longer act on it.
    before = c.events.count()
    for action in ("archive", "route", "forward"):
        with pytest.raises(NotFound):
            _act(w, verifier_a, c, action)
    with pytest.raises(NotFound):
        services.complaint_take(complaint_id=c.pk, actor=_fresh(w.users["officer_a1"]))
    assert c.events.count() == before
    # The receiving agency acts on it.
    verifier_b = _fresh(w.users["verifier_b"])
    routed = services.complaint_route(complaint_id=c.pk, actor=verifier_b, unit=w.b1)
    assert routed.scope_path == w.b1.path


# ---------------------------------------------------------------------------------------------
# Identity and confidentiality


@pytest.fixture
def anonymous_complaint(w):
    reporter = f.UserFactory(email="pelapor@example.com", full_name="Siti Pelapor")
    c, _code = services.complaint_submit(
        actor=reporter,
        kind="complaint",
        title="Petugas meminta uang",
        body="Saya diminta membayar di loket.",
        agency=w.a,
        reporter_phone="08123",
        is_anonymous=True,
    )
    return c


AGENCY_ROLES = ["verifier_a", "approver_a", "focal_a", "coordinator_a"]


@pytest.mark.parametrize("user", AGENCY_ROLES)
def test_anonymous_identity_never_reaches_agency_roles(w, anonymous_complaint, user):
    actor = _fresh(w.users[user])
    one = selectors.complaint_get_for_actor(complaint_id=anonymous_complaint.pk, actor=actor)
    listed = selectors.complaint_list_for_actor(actor=actor).get(pk=anonymous_complaint.pk)
    for c in (one, listed):
        assert (c.reporter_name, c.reporter_email, c.reporter_phone) == ("", "", "")
        assert c.reporter_id is None
        assert c.identity_masked

    # Plain rows (row_values) keep the masking, even when the identity was not asked for.
    row = (
        selectors.complaint_list_for_actor(actor=actor)
        .row_values("id", "reporter_name", "reporter_email", "reporter_phone", "reporter_id")
        .get(pk=anonymous_complaint.pk)
    )
    assert (row["reporter_name"], row["reporter_email"], row["reporter_phone"]) == ("", "", "")
    assert row["reporter_id"] is None


def test_anonymous_identity_reaches_the_national_admin(w, anonymous_complaint):
    admin = _fresh(w.users["admin"])
    c = selectors.complaint_get_for_actor(complaint_id=anonymous_complaint.pk, actor=admin)
    assert (c.reporter_name, c.reporter_email) == ("Siti Pelapor", "pelapor@example.com")
    assert c.reporter_id is not None
    assert not c.identity_masked
    row = (
        selectors.complaint_list_for_actor(actor=admin)
        .row_values("reporter_name")
        .get(pk=anonymous_complaint.pk)
    )
    assert row["reporter_name"] == "Siti Pelapor"


def test_a_named_complaint_shows_its_reporter_to_the_agency(w):
    verifier = _fresh(w.users["verifier_a"])
    c = selectors.complaint_get_for_actor(complaint_id=w.complaints["at_a"].pk, actor=verifier)
    assert c.reporter_name == "Budi Santoso"


def test_public_selectors_mask_identity_and_drop_confidential_complaints(w):
    title = "Obat kedaluwarsa dijual di apotek"
    shown = f.complaint(w.a, title=title, is_anonymous=True)
    hidden = f.complaint(w.a, title=title, is_confidential=True)
    public = list(selectors.complaint_list_public())
    assert shown.pk in {c.pk for c in public}
    assert hidden.pk not in {c.pk for c in public}
    row = next(c for c in public if c.pk == shown.pk)
    assert (row.reporter_name, row.reporter_email, row.reporter_phone) == ("", "", "")
    # similar reports offer checked complaints only
    Complaint.objects.filter(pk__in=[shown.pk, hidden.pk]).update(status=Status.VERIFIED)
    similar = complaint_similar_for_filing(
        agency_id=w.a.pk, category_id=None, title="obat kedaluwarsa"
    )
    assert shown.pk in {c.pk for c in similar}
    assert hidden.pk not in {c.pk for c in similar}


def test_turning_a_complaint_confidential_removes_it_from_public_reads(w):
    c = w.complaints["at_a"]
    assert selectors.complaint_list_public().filter(pk=c.pk).exists()
    services.complaint_set_privacy(
        complaint_id=c.pk, actor=_fresh(w.users["verifier_a"]), is_confidential=True
    )
    assert not selectors.complaint_list_public().filter(pk=c.pk).exists()
    Complaint.objects.filter(agency=w.a, title=c.title).update(status=Status.VERIFIED)
    similar = complaint_similar_for_filing(agency_id=w.a.pk, category_id=None, title=c.title)
    assert similar  # the other open complaints with that title are still offered
    assert c.pk not in {s.pk for s in similar}


def test_moving_an_agency_in_the_tree_takes_its_complaints_and_history_along(db):
    # given an agency with a unit, a complaint at the unit, and one it forwarded elsewhere
    f.SlaPolicyFactory()
    ministry = f.AgencyFactory(name="Kementerian")
    agency = f.AgencyFactory(name="Badan")
    unit = f.UnitFactory(parent=agency)
    elsewhere = f.AgencyFactory(name="Instansi lain")
    verifier = f.staff(agency, Role.VERIFIER)
    at_unit = f.complaint(agency)
    services.complaint_verify(complaint_id=at_unit.pk, actor=verifier)
    services.complaint_route(complaint_id=at_unit.pk, actor=verifier, unit=unit)
    forwarded = f.complaint(agency)
    services.complaint_verify(complaint_id=forwarded.pk, actor=verifier)
    services.complaint_forward(
        complaint_id=forwarded.pk, actor=verifier, agency=elsewhere, reason="Bukan wewenang"
    )

    # when the agency is placed under the ministry
    agency.parent = ministry
    agency.save()

    # then the unit, the complaint's scope and the forwarding history follow it
    unit.refresh_from_db()
    at_unit.refresh_from_db()
    assert unit.path == f"{ministry.pk}/{agency.pk}/{unit.pk}/"
    assert at_unit.scope_path == unit.path
    history = forwarded.agency_history.get()
    assert history.agency_path == f"{ministry.pk}/{agency.pk}/"
    # and the ministry's staff see both (a membership covers everything below it), the
    # agency's own staff still do, and nothing outside the tree changed
    minister_staff = f.staff(ministry, Role.VERIFIER)
    for actor in (minister_staff, f.staff(agency, Role.VERIFIER)):
        seen = set(selectors.complaint_list_for_actor(actor=actor).values_list("pk", flat=True))
        assert {at_unit.pk, forwarded.pk} <= seen
    forwarded.refresh_from_db()
    assert forwarded.scope_path == elsewhere.path


def test_after_a_forward_each_agency_reads_its_own_part_of_the_internal_history(db, client):
    # given agency A that notes something internal, then forwards to agency B, which notes too
    from django.urls import reverse

    from tests.complaints.staff_world import client_for

    f.SlaPolicyFactory()
    a, b = f.AgencyFactory(name="Instansi A"), f.AgencyFactory(name="Instansi B")
    verifier_a, verifier_b = f.staff(a, Role.VERIFIER), f.staff(b, Role.VERIFIER)
    c = f.complaint(a)
    services.complaint_verify(complaint_id=c.pk, actor=verifier_a)
    services.complaint_note(complaint_id=c.pk, actor=verifier_a, body="Catatan rahasia A")
    services.complaint_forward(
        complaint_id=c.pk, actor=verifier_a, agency=b, reason="Bukan wewenang A"
    )
    services.complaint_note(complaint_id=c.pk, actor=verifier_b, body="Catatan internal B")
    c.refresh_from_db()

    def bodies(actor):
        events = selectors.complaint_events_for_actor(complaint=c, actor=actor)
        return {e.body for e in events}

    # then B reads the forward's reason and its own note, not A's
    assert {"Bukan wewenang A", "Catatan internal B"} <= bodies(verifier_b)
    assert "Catatan rahasia A" not in bodies(verifier_b)
    # A keeps its own part, and not B's
    assert "Catatan rahasia A" in bodies(verifier_a)
    assert "Catatan internal B" not in bodies(verifier_a)
    # a national admin reads everything
    admin = f.UserFactory(is_national_admin=True)
    assert {"Catatan rahasia A", "Catatan internal B"} <= bodies(admin)
    # and the case page shows B what the selector gives it
    page = client_for(verifier_b).get(reverse("staff:case", args=[c.pk])).content.decode()
    assert "Bukan wewenang A" in page
    assert "Catatan rahasia A" not in page
