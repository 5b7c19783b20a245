"""Who the actor is and what they may see: memberships and roles (loaded once per request),
scope over the agency tree, and the codes and signed tokens that open a complaint to its
reporter."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.db.models import Q
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import (
    NotAllowed,
    NotFound,
)
from complaints.models import (
    Agency,
    Complaint,
    ComplaintAgencyHistory,
    Membership,
    Role,
)

# Tracking numbers and access codes avoid 0/O/1/I/L so they can be read out and typed.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


TRACKING_NUMBER_LENGTH = 12


ACCESS_CODE_LENGTH = 8


# The roles of an agency's own staff (a coordinator oversees agencies from outside them).
STAFF_ROLES = frozenset({Role.VERIFIER, Role.OFFICER, Role.APPROVER, Role.FOCAL_POINT})
# The roles that oversee follow-up (DESIGN §5): the agency focal point and the coordinator.
FOCAL_ROLES = frozenset({Role.FOCAL_POINT, Role.COORDINATOR})


def random_code(length: int) -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(value: str) -> str:
    """Accept any case, spaces and hyphens, as reporters type codes from paper or email."""
    return "".join(ch for ch in (value or "").upper() if ch.isalnum())


def access_code_hash(code: str) -> str:
    # Access codes are random (8 chars of a 31-letter alphabet, ~40 bits) and guessing is rate
    # limited, so a keyed HMAC is enough and keeps verification cheap.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, normalize_code(code).encode(), hashlib.sha256).hexdigest()


def access_code_matches(complaint: Complaint, code: str) -> bool:
    return hmac.compare_digest(complaint.access_code_hash, access_code_hash(code))


def display_code(code: str) -> str:
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def actor_is_national_admin(actor: User | None) -> bool:
    return bool(actor and actor.is_active and (actor.is_national_admin or actor.is_superuser))


def actor_roles_for(*, actor: User | None, scope_path: str) -> set[str]:
    """The roles the actor holds over a node: memberships on the node or any ancestor."""
    if actor is None or not actor.is_authenticated or not scope_path:
        return set()
    return {role for path, role in membership_rows(actor) if scope_path.startswith(path)}


def require_role(actor: User | None, complaint: Complaint, roles: Iterable[str]) -> None:
    """Allow national admins and anyone holding one of `roles` over the complaint's current
    place. A complaint outside the actor's scope is reported as not found."""
    if actor is None:
        return  # system / beat
    if actor_is_national_admin(actor):
        return
    held = actor_roles_for(actor=actor, scope_path=complaint.scope_path)
    if not held:
        raise NotFound(_("Complaint not found."))
    if not held & set(roles):
        raise NotAllowed(_("Your role does not allow this action on this complaint."))


def users_with_role_over(*, node: Agency | None, roles: Iterable[str]) -> list[User]:
    """Staff holding one of `roles` on the node or one of its ancestors."""
    if node is None:
        return list(User.objects.filter(is_national_admin=True, is_active=True))
    ancestor_ids = [int(p) for p in node.path.split("/") if p]
    return list(
        User.objects.filter(
            memberships__agency_id__in=ancestor_ids, memberships__role__in=list(roles)
        ).distinct()
    )


def actor_scope_paths(actor: User) -> list[str]:
    """The agency paths the actor's memberships cover (each covers its sub-units)."""
    return sorted({path for path, _role in membership_rows(actor)})


def actor_scope_q(actor: User | None, *, include_history: bool = True) -> Q | None:
    """A filter for the complaints the actor may read; None means everything (national
    admin). `include_history` keeps complaints that an agency forwarded elsewhere visible
    to it (read-only)."""
    if actor is None or not actor.is_authenticated or not actor.is_active:
        return Q(pk__in=[])
    if actor_is_national_admin(actor):
        return None
    paths = actor_scope_paths(actor)
    if not paths:
        return Q(pk__in=[])
    q = Q()
    history = Q()
    for path in paths:
        q |= Q(scope_path__startswith=path)
        history |= Q(agency_path__startswith=path)
    if include_history:
        q |= Q(pk__in=ComplaintAgencyHistory.objects.filter(history).values("complaint_id"))
    return q


def approver_scope_q(actor: User) -> Q:
    """Complaints under the nodes where the actor is an approver."""
    if actor_is_national_admin(actor):
        return Q()
    paths = [path for path, role in membership_rows(actor) if role == Role.APPROVER]
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(scope_path__startswith=path)
    return q


# The one per-request cache of who the actor is: their memberships with their agencies, loaded
# by one query the first time a page, service or selector asks and kept on the user object,
# which lives as long as the request (or the task) that loaded it. Nothing else caches roles.
_MEMBERSHIPS = "_aduan_memberships"


def memberships_of(actor: User) -> tuple[Membership, ...]:
    """The actor's memberships with their agencies (scope, roles, focal oversight)."""
    cached = getattr(actor, _MEMBERSHIPS, None)
    if cached is None:
        cached = tuple(Membership.objects.filter(user=actor).select_related("agency"))
        setattr(actor, _MEMBERSHIPS, cached)
    return cached


def memberships_prime(actor: User, memberships: Iterable[Membership]) -> None:
    """Hand over memberships a job loaded for many users at once (with their agencies), so
    that reading through the selectors as each of them costs no query of its own."""
    setattr(actor, _MEMBERSHIPS, tuple(memberships))


def membership_rows(actor: User) -> list[tuple[str, str]]:
    """(agency path, role) of the actor's memberships."""
    return [(m.agency.path, m.role) for m in memberships_of(actor)]


def walk_in_paths(actor: User) -> list[str] | None:
    """The agencies (paths) for which the actor records walk-in and phone complaints: a staff
    role held on the agency itself, not on one of its units; None means every agency
    (national admin). The page and every link to it use this one predicate."""
    if actor_is_national_admin(actor):
        return None
    rows = membership_rows(actor)
    return sorted({path for path, role in rows if role in STAFF_ROLES and path.count("/") == 1})


def can_record_walk_in(actor: User) -> bool:
    paths = walk_in_paths(actor)
    return paths is None or bool(paths)


def can_use_focal_pages(actor: User) -> bool:
    """Focal points, coordinators and national admins (focal_points.views.focal_required)."""
    return actor_is_national_admin(actor) or any(
        role in FOCAL_ROLES for _path, role in membership_rows(actor)
    )


def paths_q(field: str, paths: Iterable[str]) -> Q:
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(**{f"{field}__startswith": path})
    return q


def actor_handles(actor: User, complaint: Complaint) -> bool:
    """Whether the complaint is in the actor's current scope (not only readable history);
    no query once the memberships are loaded."""
    if actor_is_national_admin(actor):
        return True
    return any(complaint.scope_path.startswith(path) for path, _role in membership_rows(actor))


TRACKING_LINK_SALT = "complaints.tracking-link"


TRACKING_LINK_MAX_AGE = dt.timedelta(days=365)


def tracking_stamp(complaint: Complaint) -> str:
    """Changes whenever the access code changes: signed links and tracking sessions carry it,
    so a new access code shuts out every old link and every browser let in by one."""
    return salted_hmac("complaints.tracking-stamp", complaint.access_code_hash).hexdigest()[:16]


def tracking_link_token(complaint: Complaint) -> str:
    return signing.dumps(
        {"t": complaint.tracking_number, "s": tracking_stamp(complaint)},
        salt=TRACKING_LINK_SALT,
        compress=True,
    )


def tracking_link_current(token: str, complaint: Complaint) -> bool:
    """Whether a signed link (already read by tracking_link_read) was made with the
    complaint's current access code; links from before a new code are revoked."""
    try:
        data = signing.loads(token, salt=TRACKING_LINK_SALT, max_age=TRACKING_LINK_MAX_AGE)
    except signing.BadSignature:
        return False
    stamp = data.get("s") if isinstance(data, dict) else None
    return isinstance(stamp, str) and constant_time_compare(stamp, tracking_stamp(complaint))


def tracking_link_read(token: str) -> str | None:
    """The tracking number of a valid signed link, else None."""
    try:
        data = signing.loads(token, salt=TRACKING_LINK_SALT, max_age=TRACKING_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    number = data.get("t") if isinstance(data, dict) else None
    return number if isinstance(number, str) else None


FOLLOW_CONFIRM_SALT = "complaints.follow-confirm"


FOLLOW_CONFIRM_MAX_AGE = dt.timedelta(days=7)


def follow_confirm_token(token: str) -> str:
    """The signed confirmation token for a follower's random token (valid for 7 days)."""
    return signing.dumps({"f": token}, salt=FOLLOW_CONFIRM_SALT, compress=True)


def follow_confirm_read(signed: str) -> str | None:
    """The follower token inside a valid confirmation token, else None."""
    try:
        data = signing.loads(signed, salt=FOLLOW_CONFIRM_SALT, max_age=FOLLOW_CONFIRM_MAX_AGE)
    except signing.BadSignature:
        return None
    token = data.get("f") if isinstance(data, dict) else None
    return token if isinstance(token, str) else None


def escalation_addressed_to(*, complaint: Complaint, roles: Iterable[str], actor: User) -> bool:
    """Whether a step addressed to `roles` is addressed to `actor`, as escalation_notify sends
    it: the officer step to the assignee (to the unit's officers when nobody took it, to the
    verifiers before routing); other roles to their holders over the complaint; national
    admins stand in for the focal-point steps only."""
    if actor_is_national_admin(actor):
        return bool(set(roles) & FOCAL_ROLES)
    held = actor_roles_for(actor=actor, scope_path=complaint.scope_path)
    roles = set(roles)
    if Role.OFFICER in roles:
        roles.discard(Role.OFFICER)
        if complaint.assignee_id:
            if complaint.assignee_id == actor.pk and Role.OFFICER in held:
                return True
        elif complaint.unit_id:
            roles.add(Role.OFFICER)
        else:
            roles.add(Role.VERIFIER)
    return bool(roles & held)


ALL_ROLES = frozenset(Role.values)


def actor_roles_over(actor: User, complaint: Complaint) -> frozenset[str]:
    """The roles the actor holds over the complaint's current place; every role for a
    national admin."""
    if actor_is_national_admin(actor):
        return ALL_ROLES
    return frozenset(actor_roles_for(actor=actor, scope_path=complaint.scope_path))
