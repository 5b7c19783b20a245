"""The choice lists of the staff pages' forms and the names their lists show, kept per process
(common.refcache): the same for every complaint of an agency and every officer of a scope, and
read on every queue and case page. Each returns a list or dict to read, never to change."""

from __future__ import annotations

from django.db.models import Q

from accounts.models import User
from common.refcache import reference
from complaints.models import Agency, CannedResponse, Category
from complaints.selectors.queue import actor_units, officers_for_node, officers_over


def agency_categories(agency_id: int) -> list[Category]:
    """The active categories of an agency (with the agency joined)."""
    return reference(
        ("agency-categories", agency_id),
        lambda: list(
            Category.objects.filter(agency=agency_id, is_active=True).select_related("agency")
        ),
    )


def scope_categories(paths: tuple[str, ...] | None) -> list[Category]:
    """Every category under `paths` (None: all of them), by agency and then its own order."""

    def build() -> list[Category]:
        cats = Category.objects.select_related("agency").order_by(
            "agency__path", "ordering", "name"
        )
        if paths is not None:
            q = Q(pk__in=[])
            for path in paths:
                q |= Q(agency__path__startswith=path)
            cats = cats.filter(q)
        return list(cats)

    return reference(("scope-categories", paths), build)


def units_below(agency: Agency) -> list[Agency]:
    """The active units below an agency node, by path (route choices)."""
    return reference(
        ("units-below", agency.path),
        lambda: list(
            Agency.objects.filter(path__startswith=agency.path, is_active=True)
            .exclude(pk=agency.pk)
            .order_by("path")
        ),
    )


def scope_units(actor: User, paths: tuple[str, ...] | None) -> list[Agency]:
    """The active nodes of the actor's scope (`paths`, or None for the national admin)."""
    return reference(("scope-units", paths), lambda: list(actor_units(actor)))


def officers_below(paths: tuple[str, ...]) -> list[User]:
    """Officers holding a membership on a node at or below one of `paths`."""
    return reference(("officers-below", paths), lambda: list(officers_over(paths=paths)))


def officers_covering(path: str) -> list[User]:
    """Officers a complaint at node `path` can be assigned to."""
    return reference(("officers-covering", path), lambda: list(officers_for_node(path=path)))


def top_agencies() -> list[Agency]:
    """Every active top-level agency by name (forward choices)."""
    return reference(
        ("top-agencies",),
        lambda: list(Agency.objects.filter(parent__isnull=True, is_active=True).order_by("name")),
    )


def canned_responses(agency_id: int) -> list[CannedResponse]:
    """An agency's canned answers by title."""
    return reference(
        ("canned", agency_id),
        lambda: list(CannedResponse.objects.filter(agency=agency_id).order_by("title")),
    )


def agencies_by_id() -> dict[int, Agency]:
    """Every agency and unit, active or not (a complaint keeps an agency that closed), by id:
    the queue's rows name their places from here instead of joining them."""
    return reference(("agencies-by-id",), lambda: {a.pk: a for a in Agency.objects.all()})


def categories_by_id() -> dict[int, Category]:
    """Every category by id (with its agency)."""
    return reference(
        ("categories-by-id",),
        lambda: {c.pk: c for c in Category.objects.select_related("agency")},
    )


def category_names() -> dict[int, str]:
    """Every category's name by id (the queue's category column)."""
    return reference(("category-names",), lambda: dict(Category.objects.values_list("pk", "name")))


def staff_names(user_ids: set[int]) -> dict[int, str]:
    """The names (or, without one, the email addresses) of these users, for the queue's
    assignee column: staff are kept per process, anyone else (a former member) is read."""

    def build() -> dict[int, str]:
        staff = User.objects.filter(
            Q(memberships__isnull=False) | Q(is_national_admin=True)
        ).distinct()
        return {
            pk: name or email for pk, name, email in staff.values_list("pk", "full_name", "email")
        }

    names = reference(("staff-names",), build)
    missing = user_ids - names.keys()
    if not missing:
        return names
    others = User.objects.filter(pk__in=missing).values_list("pk", "full_name", "email")
    return names | {pk: name or email for pk, name, email in others}
