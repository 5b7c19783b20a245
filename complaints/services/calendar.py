"""The register of days off (CalendarDay): importing the dates of an SKB, declaring a moved
holiday a working day. National admins keep it; the clocks read it within five minutes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed
from complaints.access import actor_is_national_admin
from complaints.clock import clear_calendar_cache
from complaints.models import CalendarDay

NATIONAL_KINDS = (
    CalendarDay.Kind.CUTI_BERSAMA,
    CalendarDay.Kind.NATIONAL_HOLIDAY,
    CalendarDay.Kind.WORKING_DAY,
)


def calendar_days_import(
    *, actor: User | None, kind: str, days: Iterable[tuple[dt.date, str]]
) -> tuple[int, int]:
    """Record national days of one kind (the list of an SKB: cuti bersama or holidays; or days
    declared working). Returns (added, already recorded). A day already recorded as the
    opposite (a day off declared working, or the reverse) is refused: nothing is written."""
    if actor is not None and not actor_is_national_admin(actor):
        raise NotAllowed(_("Only a national admin keeps the national calendar."))
    if kind not in NATIONAL_KINDS:
        raise ApplicationError(_("Choose what the dates are."))
    days = list(days)
    working = kind == CalendarDay.Kind.WORKING_DAY
    opposite = CalendarDay.objects.filter(agency__isnull=True, date__in=[d for d, _n in days])
    opposite = (
        opposite.exclude(kind=CalendarDay.Kind.WORKING_DAY)
        if working
        else opposite.filter(kind=CalendarDay.Kind.WORKING_DAY)
    )
    clash = sorted(opposite.values_list("date", flat=True))
    if clash:
        raise ApplicationError(
            _("Already recorded the other way: %(dates)s. Remove those entries first.")
            % {"dates": ", ".join(d.isoformat() for d in clash)}
        )
    added = 0
    with transaction.atomic():
        for day, name in days:
            _row, created = CalendarDay.objects.get_or_create(
                date=day, kind=kind, agency=None, defaults={"name": name[:150]}
            )
            added += created
        transaction.on_commit(clear_calendar_cache)
    return added, len(days) - added
