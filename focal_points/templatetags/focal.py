"""Display helpers for the focal-point pages: SLA labels, zoned times, bands, sort links."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from complaints import policy
from complaints.clock import WorkingCalendar
from complaints.models import TimeZone
from complaints.templatetags import citizen as citizen_tags
from focal_points.vocabulary import OversightEvent

register = template.Library()

ZONE_LABELS = {tz.value: tz.label for tz in TimeZone}
BAND_TEXT = {
    "green": gettext_lazy("Good"),
    "yellow": gettext_lazy("Needs attention"),
    "red": gettext_lazy("Poor"),
}
BAND_CSS = {"green": "tag--green", "yellow": "tag--amber", "red": "tag--red"}


@register.filter
def zoned(moment: dt.datetime | None, tz_name: str = "Asia/Jakarta") -> str:
    """ "12 Agustus 2026, pukul 14.30 WIB" in the given zone (the staff pages' wording)."""
    if moment is None:
        return ""
    tz_name = tz_name or "Asia/Jakarta"
    local = moment.astimezone(ZoneInfo(tz_name))
    return _("%(date)s, at %(time)s %(zone)s") % {
        "date": formats.date_format(local, "j F Y"),
        "time": local.strftime("%H.%M"),
        "zone": ZONE_LABELS.get(tz_name, tz_name),
    }


@register.filter
def clock_tz(complaint) -> str:
    """The zone a complaint's deadlines and timeline times are shown in (policy.clock_zone):
    a focal point and a case worker read the same clock time."""
    return policy.clock_zone(complaint)


@register.filter
def zoned_for(moment: dt.datetime | None, complaint) -> str:
    """A time of the complaint in its clock zone (`clock_tz`)."""
    return zoned(moment, clock_tz(complaint))


ACTOR_LABELS = {
    "reporter": gettext_lazy("Reporter"),
    "system": gettext_lazy("System"),
    "staff": gettext_lazy("Staff"),
}


@register.filter
def event_author(event) -> str:
    """Who wrote a timeline event, translated: the reporter is never named (anonymous
    reports), "system" and "reporter" are labels, not names."""
    label = event.actor_label
    if label == "reporter":
        return str(ACTOR_LABELS["reporter"])
    if label == "staff" and event.actor is not None:
        return event.actor.get_full_name()
    if label in ACTOR_LABELS:
        return str(ACTOR_LABELS[label])
    if event.actor is not None:
        return event.actor.get_full_name()
    return label or str(ACTOR_LABELS["system"])


@register.filter
def escalation_detail(event) -> str:
    """Which clock reached which ladder level, for escalation timeline entries, and why when
    no deadline caused it ("Resolution, level 3: second objection from the reporter")."""
    from complaints.models import Clock, EscalationReason, EventType

    if event.type not in (EventType.ESCALATED, EventType.ESCALATION_ACKNOWLEDGED):
        return ""
    data = event.data or {}
    level = data.get("level")
    if level is None:
        return ""
    clock = data.get("clock")
    if clock in Clock.values:
        detail = _("%(clock)s, level %(level)s") % {"clock": Clock(clock).label, "level": level}
    else:
        detail = _("Level %(level)s") % {"level": level}
    name = data.get("name")
    if name in EscalationReason.values:
        detail = _("%(detail)s: %(reason)s") % {
            "detail": detail,
            "reason": EscalationReason(name).label,
        }
    return detail


# The complaint timeline's entry for each change of a corrective action linked to it
# (ComplaintEvent "corrective_action", data["change"] = CorrectiveActionEvent.Type).
CORRECTIVE_ACTION_TITLES = {
    "issued": gettext_lazy("Corrective action issued"),
    "progress": gettext_lazy("Corrective action: progress reported"),
    "reminder": gettext_lazy("Corrective action: reminder sent"),
    "overdue": gettext_lazy("Corrective action overdue"),
    "escalated": gettext_lazy("Corrective action escalated to the coordinating focal point"),
    "closed_accepted": gettext_lazy("Corrective action closed: accepted"),
    "closed_rejected": gettext_lazy("Corrective action closed: rejected"),
}


@register.filter
def event_title(event) -> str:
    """The title of a timeline entry: the event type, with what it names (the unit routed to,
    the agency forwarded to, the clock and level escalated, the corrective-action change)."""
    from complaints.models import EventType

    data = event.data or {}
    if event.type == EventType.ROUTED and data.get("unit_name"):
        return _("Routed to %(unit)s") % {"unit": data["unit_name"]}
    if event.type == EventType.FORWARDED:
        return _("Forwarded to %(agency)s") % {"agency": event.forwarded_to_name}
    if event.type == EventType.ASSIGNED and data.get("assignee_name"):
        return _("Assigned to %(name)s") % {"name": data["assignee_name"]}
    if event.type == OversightEvent.CORRECTIVE_ACTION and data.get("change") in (
        CORRECTIVE_ACTION_TITLES
    ):
        return str(CORRECTIVE_ACTION_TITLES[data["change"]])
    title = str(event.get_type_display())
    detail = escalation_detail(event)
    return f"{title} · {detail}" if detail else title


FILE_TYPE_LABELS = {"image/jpeg": "JPG", "image/png": "PNG", "application/pdf": "PDF"}


@register.filter
def file_type(content_type: str | None) -> str:
    """An evidence file's type as the upload hint names it: "PNG", "JPG", "PDF"."""
    content_type = (content_type or "").lower()
    if content_type in FILE_TYPE_LABELS:
        return FILE_TYPE_LABELS[content_type]
    return content_type.rsplit("/", 1)[-1].upper()


# "101 B", "10 MB", "1,5 MB": the citizen pages' filter, so sizes read the same everywhere.
register.filter("file_size", citizen_tags.file_size)


@register.filter
def day(value: dt.date | dt.datetime | None) -> str:
    if value is None:
        return ""
    return formats.date_format(value, "j F Y")


def sla_label(complaint, *, now: dt.datetime, soon: dt.datetime) -> dict[str, str]:
    """The board's deadline label for one open complaint, in working days, always as text
    (the state is complaints.policy.clock_state; `soon` is the board's one threshold)."""
    # The calendar the deadline was computed on (complaints.policy.calendar_for).
    cal = WorkingCalendar.for_agency(complaint.unit or complaint.agency)
    state = policy.clock_state(complaint, now, cal, soon=soon)
    due = complaint.current_due_at
    if state in (policy.ClockState.REPORTER, policy.ClockState.NONE):
        return {"state": "on_track", "css": "tag--grey", "text": _("Waiting for the reporter")}
    if state == policy.ClockState.ESCALATED:
        return {
            "state": "escalated",
            "css": "tag--purple",
            "text": _("Escalated to the focal point"),
        }
    if due is None:
        return {"state": "on_track", "css": "tag--grey", "text": _("On track")}
    if state == policy.ClockState.OVERDUE:
        days = -cal.working_days_left(now, due)
        return {
            "state": "overdue",
            "css": "tag--red",
            "text": ngettext("Overdue · %(n)s working day", "Overdue · %(n)s working days", days)
            % {"n": days},
        }
    if state == policy.ClockState.DUE_SOON:
        days = cal.working_days_left(now, due)
        text = (
            _("Due soon · today")
            if days == 0
            else ngettext(
                "Due soon · %(n)s working day left", "Due soon · %(n)s working days left", days
            )
            % {"n": days}
        )
        return {"state": "due_soon", "css": "tag--amber", "text": text}
    return {"state": "on_track", "css": "tag--grey", "text": _("On track")}


@register.simple_tag
def band_tag(band: str | None):
    if not band:
        return ""
    return format_html(
        '<span class="tag {} focal-band">{}</span>', BAND_CSS[band], str(BAND_TEXT[band])
    )


@register.filter
def num(value) -> str:
    """Numbers the Indonesian way (1.234; 12,5) through the active locale; a dash when empty."""
    if value is None:
        return "\u2013"
    if isinstance(value, Decimal | float):
        return formats.number_format(value, 1, use_l10n=True, force_grouping=True)
    return formats.number_format(value, use_l10n=True, force_grouping=True)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters replaced (None removes one)."""
    request = context["request"]
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value not in (None, ""):
            query[key] = value
    query.pop("page", None) if "page" not in changes else None
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def sort_header(context, key: str, label: str, default_desc: bool = False):
    """A sortable column header link with aria-sort on the <th> (MOJ sortable table)."""
    current = context.get("sort") or "name"
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    if active:
        next_sort = key if descending else f"-{key}"
        aria = "descending" if descending else "ascending"
    else:
        next_sort = f"-{key}" if default_desc else key
        aria = "none"
    href = query_with(context, sort=next_sort)
    return format_html(
        '<th scope="col" aria-sort="{}"><a href="{}" class="focal-sort">{}</a></th>',
        aria,
        href,
        label,
    )
