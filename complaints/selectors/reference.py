"""The choice lists of the staff pages' forms, kept per process (common.refcache): the same
for every complaint of an agency and every officer of a scope, and read on every queue and
case page. Each returns a list to read, never to change."""

from __future__ import annotations

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
        from django.db.models import Q

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
