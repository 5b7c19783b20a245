"""Which action is legal for which status and role, and what an actor may do now.

One table for every surface: the services check it under their lock (`require_action`), the
case page and the bulk bar offer what it allows (`offered`, `bulk_actions_for`), and the API
and the focal pages read the same answers. A role table written again anywhere else is a bug.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.models import User
from complaints.access import (
    FOCAL_ROLES,
    actor_handles,
    actor_is_national_admin,
    membership_rows,
    require_role,
)
from complaints.models import Complaint, Response, Role, Status

VERIFY = "verify"
HOLD = "hold"
CATEGORY = "category"
PRIVACY = "privacy"
ROUTE = "route"
RETURN_TO_AGENCY = "return_to_agency"
FORWARD = "forward"
TAKE = "take"
ASSIGN = "assign"
REQUEST_DATA = "request_data"
DRAFT = "draft"
APPROVE = "approve"
# One step for the approver: approve the draft and publish it (approve and publish stay
# separate actions too, for an approver who wants to publish later).
APPROVE_PUBLISH = "approve_publish"
RETURN = "return"
PUBLISH = "publish"
RESOLVE = "resolve"
NOTE = "note"
MERGE = "merge"
ARCHIVE = "archive"
CLOSE = "close"
ACKNOWLEDGE = "acknowledge"

_CASEWORKERS = frozenset({Role.OFFICER, Role.VERIFIER, Role.APPROVER})

# The roles that may take each action on a complaint under their node (a membership covers
# the node's sub-units); national admins may take every action.
ROLES: dict[str, frozenset[str]] = {
    VERIFY: frozenset({Role.VERIFIER}),
    HOLD: frozenset({Role.VERIFIER}),
    CATEGORY: frozenset({Role.VERIFIER}),
    PRIVACY: frozenset({Role.VERIFIER}),
    ROUTE: frozenset({Role.VERIFIER, Role.APPROVER}),
    # Bukan wewenang at unit level: the unit hands a misrouted disposition back.
    RETURN_TO_AGENCY: frozenset({Role.OFFICER}),
    FORWARD: frozenset({Role.VERIFIER}),
    TAKE: frozenset({Role.OFFICER}),
    ASSIGN: frozenset({Role.VERIFIER, Role.APPROVER}),
    # Data asked of the reporter during follow-up (a batch number, a photo for a field check).
    REQUEST_DATA: _CASEWORKERS,
    DRAFT: _CASEWORKERS,
    APPROVE: frozenset({Role.APPROVER}),
    APPROVE_PUBLISH: frozenset({Role.APPROVER}),
    RETURN: frozenset({Role.APPROVER}),
    PUBLISH: _CASEWORKERS,
    RESOLVE: _CASEWORKERS,
    NOTE: _CASEWORKERS | {Role.FOCAL_POINT},
    MERGE: frozenset({Role.VERIFIER}),
    ARCHIVE: frozenset({Role.VERIFIER}),
    CLOSE: frozenset({Role.VERIFIER, Role.APPROVER}),
    # Anyone on the ladder; who a step is addressed to is the escalation service's check.
    ACKNOWLEDGE: _CASEWORKERS | FOCAL_ROLES,
}
# A merge's target: any caseworker over it may receive the duplicate.
MERGE_TARGET_ROLES = _CASEWORKERS

# The actions of the case page, in the order it shows them.
CASE_ACTIONS = (
    VERIFY,
    HOLD,
    CATEGORY,
    ROUTE,
    RETURN_TO_AGENCY,
    FORWARD,
    TAKE,
    ASSIGN,
    REQUEST_DATA,
    DRAFT,
    APPROVE_PUBLISH,
    APPROVE,
    RETURN,
    PUBLISH,
    RESOLVE,
    NOTE,
    MERGE,
    ARCHIVE,
)
# The actions the queue applies to a selection.
BULK_ACTIONS = (ASSIGN, ROUTE, VERIFY, ARCHIVE)
# Bulk route moves only complaints nobody works on yet; one an officer took or answered is
# moved from its case page, where the assignee and the answer are in view.
BULK_ROUTE_STATUSES = (Status.VERIFIED, Status.ASSIGNED)


def needs_approval(c: Complaint) -> bool:
    return bool(c.agency and c.agency.responses_need_approval)


def roles_for(action: str, c: Complaint) -> frozenset[str]:
    """The roles that may take `action` on this complaint: where the agency requires answers
    to be approved, only an approver publishes."""
    if action == PUBLISH and needs_approval(c):
        return frozenset({Role.APPROVER})
    return ROLES[action]


def require_action(actor: User | None, c: Complaint, action: str) -> None:
    """The services' check under their lock: NotFound outside the actor's scope, NotAllowed
    for a role that may not take the action. None (system, beat) may take every action."""
    require_role(actor, c, roles_for(action, c))


def holds_role_over(actor: User, c: Complaint, roles: Iterable[str]) -> bool:
    """Whether the actor holds one of `roles` over the complaint's current place (the check
    of `require_action`); no query once the memberships are loaded."""
    if actor_is_national_admin(actor):
        return True
    roles = frozenset(roles)
    return any(
        role in roles and c.scope_path.startswith(path) for path, role in membership_rows(actor)
    )


def may(actor: User, c: Complaint, action: str) -> bool:
    return holds_role_over(actor, c, roles_for(action, c))


def current_draft(responses: Iterable[Response]) -> Response | None:
    """The answer being prepared (the latest draft, approved or returned answer)."""
    pending = (Response.State.DRAFT, Response.State.APPROVED, Response.State.RETURNED)
    draft = None
    for response in responses:
        if response.state in pending:
            draft = response
    return draft


def legal(action: str, c: Complaint, *, actor: User, draft: Response | None) -> bool:
    """Whether the complaint's status (and its answer in preparation) allows `action` now,
    whatever the actor's role (Complaint.can_* read the transition table)."""
    approval = needs_approval(c)
    if action == VERIFY:
        return c.can_verify()
    if action == HOLD:
        return c.can_hold_for_info()
    if action == CATEGORY:
        # Before verification the verify form sets the category.
        return c.is_open and c.status != Status.SUBMITTED and c.agency_id is not None
    if action == ROUTE:
        return c.can_route()
    if action == RETURN_TO_AGENCY:
        return c.unit_id is not None and c.status in (Status.ASSIGNED, Status.IN_PROGRESS)
    if action == FORWARD:
        return c.can_forward()
    if action == TAKE:
        return c.can_take() and not (c.status == Status.IN_PROGRESS and c.assignee_id == actor.pk)
    if action == ASSIGN:
        return c.status in (Status.VERIFIED, Status.ASSIGNED, Status.IN_PROGRESS)
    if action == REQUEST_DATA:
        return c.status in (Status.ASSIGNED, Status.IN_PROGRESS) and not c.data_request_open
    if action == DRAFT:
        return c.can_respond()
    if action in (APPROVE, APPROVE_PUBLISH):
        return (
            c.can_respond()
            and draft is not None
            and draft.state == Response.State.DRAFT
            and approval
        )
    if action == RETURN:
        return (
            draft is not None
            and draft.state in (Response.State.DRAFT, Response.State.APPROVED)
            and approval
        )
    if action == PUBLISH:
        ready = (
            (Response.State.APPROVED,)
            if approval
            else (Response.State.DRAFT, Response.State.APPROVED)
        )
        return c.can_respond() and draft is not None and draft.state in ready
    if action == RESOLVE:
        return (
            c.status in (Status.IN_PROGRESS, Status.AWAITING_REPORTER)
            and c.resolved_at is None
            and c.first_response_at is not None
        )
    if action == NOTE:
        return True
    if action in (MERGE, ARCHIVE):
        return c.can_archive()
    raise KeyError(action)


def offered(
    c: Complaint, *, actor: User, roles: Iterable[str], draft: Response | None
) -> list[str]:
    """The case page's actions that the status allows and the actor's `roles` over the
    complaint permit, in page order."""
    roles = frozenset(roles)
    return [
        name
        for name in CASE_ACTIONS
        if legal(name, c, actor=actor, draft=draft) and roles & roles_for(name, c)
    ]


def bulk_actions_for(actor: User) -> list[str]:
    """The bulk actions the actor's roles allow somewhere in their scope; none, and the queue
    shows no checkboxes."""
    if actor_is_national_admin(actor):
        return list(BULK_ACTIONS)
    held = {role for _path, role in membership_rows(actor)}
    return [name for name in BULK_ACTIONS if held & ROLES[name]]


def bulk_refusal(action: str, c: Complaint, actor: User) -> str:
    """Why an item of a bulk action is skipped before any service runs ("" when it is not).
    The version check of the service catches a complaint that changes after this read."""
    if not actor_handles(actor, c):
        return _("Forwarded to %(agency)s: you can only read it.") % {
            "agency": c.agency.name if c.agency else _("National triage")
        }
    if not may(actor, c, action):
        return _("Your role does not allow this action on this complaint.")
    if action == ROUTE and (c.status not in BULK_ROUTE_STATUSES or c.first_response_at is not None):
        return _("Already being worked on by an officer; move it one at a time from its case page.")
    return ""
