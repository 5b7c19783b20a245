"""What the focal-point services share: who counts as a focal point, the check that the actor
acts as one over a node, and the one way they queue their messages."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import NotAllowed, NotFound
from complaints.access import FOCAL_ROLES, actor_is_national_admin, actor_roles_for
from complaints.outbox.queue import notification_queue


def require_focal(actor: User, scope_path: str) -> None:
    """National admins and focal points (agency or coordinating) over the node may act;
    anything outside the actor's scope is reported as not found."""
    if actor_is_national_admin(actor):
        return
    held = actor_roles_for(actor=actor, scope_path=scope_path)
    if not held:
        raise NotFound(_("Not found."))
    if not held & FOCAL_ROLES:
        raise NotAllowed(_("Only focal points can do this."))


def notify(
    users: Iterable[User], kind: str, cause: str, *, skip: User | None = None, **context
) -> int:
    """Queue one message per active user with an email; `skip` is the actor, who is never
    told about their own change."""
    sent = 0
    seen: set[int] = {skip.pk} if skip is not None else set()
    for user in users:
        if user.pk in seen or not user.email or not user.is_active:
            continue
        seen.add(user.pk)
        if notification_queue(
            kind=kind,
            cause_key=cause,
            recipient=user.email,
            recipient_user=user,
            complaint=context.get("complaint"),
            context=context,
        ):
            sent += 1
    return sent
