"""The staff home page (badges per role) and the keyboard shortcuts page."""

from __future__ import annotations

from django.http import (
    HttpRequest,
    HttpResponse,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from complaints.access import (
    ALL_ROLES,
    actor_is_national_admin,
    membership_rows,
)
from complaints.models import (
    Agency,
    Role,
)
from complaints.selectors.queue import (
    COUNT_CAP,
    UNASSIGNED_STATUSES,
    staff_home_counts,
)
from complaints.views.staff_common import TZ_LABELS, staff_required


@require_GET
@staff_required
def home(request: HttpRequest) -> HttpResponse:
    actor = request.user
    roles = {role for _path, role in membership_rows(actor)}
    if actor_is_national_admin(actor):
        roles |= set(ALL_ROLES)
    queue = reverse("staff:queue")
    unassigned = "&".join(f"status={s}" for s in UNASSIGNED_STATUSES)
    # Only the badges the actor's roles act on: an officer never verifies, a verifier is never
    # the assignee, and so on. Each link filters the queue exactly as its count does.
    views = [
        ("mine", _("My complaints"), f"{queue}?assignee=me", Role.OFFICER in roles),
        (
            "unassigned",
            _("Not yet assigned"),
            f"{queue}?assignee=none&{unassigned}",
            bool(roles & {Role.VERIFIER, Role.APPROVER, Role.OFFICER}),
        ),
        (
            "to_verify",
            _("Waiting for verification"),
            f"{queue}?status=submitted",
            Role.VERIFIER in roles,
        ),
        ("approval", _("Waiting for my approval"), f"{queue}?approval=on", Role.APPROVER in roles),
        ("due_soon", _("Due soon"), f"{queue}?clock=due_soon", True),
        ("overdue", _("Overdue"), f"{queue}?clock=overdue", True),
        ("escalated", _("Escalated"), f"{queue}?clock=escalated", True),
    ]
    counts = staff_home_counts(actor=actor, keys={k for k, _l, _u, show in views if show})
    units = [
        (path, name, pk)
        for pk, path, name in Agency.objects.filter(
            memberships__user=actor, memberships__role=Role.OFFICER
        )
        .values_list("pk", "path", "name")
        .distinct()
    ]
    return render(
        request,
        "complaints/staff/home.html",
        {
            "counts": counts,
            "views": [
                {
                    "key": k,
                    "label": label,
                    "url": url,
                    "count": min(counts.get(k, 0), COUNT_CAP),
                    "capped": counts.get(k, 0) > COUNT_CAP,
                }
                for k, label, url, show in views
                if show
            ],
            "unit_links": [
                {"name": name, "url": f"{queue}?unit={pk}"} for _path, name, pk in units
            ],
            "now": timezone.now(),
            "tz_label": TZ_LABELS.get(str(timezone.get_current_timezone()), ""),
            "nav": "home",
        },
    )


@require_GET
@staff_required
def shortcuts(request: HttpRequest) -> HttpResponse:
    return render(request, "complaints/staff/shortcuts.html", {"nav": "shortcuts"})
