"""Which links the staff and focal-point headers show. Both read the memberships the page's
view already loaded (complaints.queue.membership_rows caches them on the user; the focal
pages' scope is on the request), so the navigation costs no query on those pages."""

from __future__ import annotations

from typing import Any

from django import template

from complaints.access import (
    actor_is_national_admin,
    can_record_walk_in,
    can_use_focal_pages,
    membership_rows,
)

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_links(context: dict[str, Any]) -> dict[str, bool]:
    """Links of the staff navigation that depend on the roles: the walk-in entry (the same
    predicate as its view) and the focal-point pages."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"walk_in": False, "focal": False}
    return {"walk_in": can_record_walk_in(user), "focal": can_use_focal_pages(user)}


@register.simple_tag(takes_context=True)
def has_staff_workspace(context: dict[str, Any]) -> bool:
    """Whether the user may open the staff workspace (complaints.views.staff_common.staff_required:
    any membership, or national admin)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    scope = getattr(request, "focal_scope", None)
    if scope is not None and not scope.is_empty:
        # A focal scope comes from a focal or coordinator membership (or the national admin).
        return True
    return actor_is_national_admin(user) or bool(membership_rows(user))
