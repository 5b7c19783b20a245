"""SLA policies (SlaPolicy): the national default and agency or category overrides. National
admins keep them. A change governs the clocks started after it: running deadlines are stored
on the complaint and are not recomputed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from common.exceptions import ApplicationError, NotAllowed, NotFound
from complaints.access import actor_is_national_admin
from complaints.models import Agency, Category, SlaPolicy
from complaints.policy import sla_policy_for

__all__ = [
    "SLA_DAY_FIELDS",
    "SlaPolicyExists",
    "sla_policy_check",
    "sla_policy_create",
    "sla_policy_deactivate",
    "sla_policy_update",
]

# Every clock length a national admin may set; all are working days but the hard ceiling.
SLA_DAY_FIELDS = (
    "verify_days",
    "first_response_days",
    "tier_information_days",
    "tier_standard_days",
    "tier_field_days",
    "reporter_reply_days",
    "reporter_info_days",
    "reporter_info_reminder_days",
    "auto_close_reminder_days",
    "hard_ceiling_calendar_days",
    "due_soon_days",
)
CALENDAR_DAY_FIELDS = frozenset({"hard_ceiling_calendar_days"})
MIN_DAYS, MAX_DAYS = 1, 365
NAME_MAX_LENGTH = SlaPolicy._meta.get_field("name").max_length
# Ids beyond the column's range cannot exist (and would make PostgreSQL fail the query).
MAX_ID = 2**63 - 1

# (shorter, longer): a warning or reminder counted inside a clock must end before it does.
ORDERED_PAIRS = (
    ("due_soon_days", "first_response_days"),
    ("reporter_info_reminder_days", "reporter_info_days"),
    ("auto_close_reminder_days", "reporter_reply_days"),
)


class SlaPolicyExists(ApplicationError):
    """Another active policy already covers the scope (at most one per agency and category)."""

    code = "sla_policy_exists"
    http_status = 409


def _require_admin(actor: User | None) -> None:
    if actor is not None and not actor_is_national_admin(actor):
        raise NotAllowed(_("Only a national admin sets the SLA policies."))


def _pair_message(shorter: str) -> str:
    return {
        "due_soon_days": _("The due-soon days must be fewer than the first response days."),
        "reporter_info_reminder_days": _(
            "The information reminder must come before the reporter's information days end."
        ),
        "auto_close_reminder_days": _(
            "The auto-close reminder must be fewer days than the reporter's reply days."
        ),
    }[shorter]


def _validate(policy: SlaPolicy, changed: set[str]) -> None:
    """The policy's values as they would be saved; `changed` names the fields the caller set,
    so an error of a pair is reported on the field the caller sent."""
    errors: dict[str, list[str]] = {}
    policy.name = (policy.name or "").strip()
    if not policy.name:
        errors["name"] = [_("Give the policy a name.")]
    elif len(policy.name) > NAME_MAX_LENGTH:
        errors["name"] = [
            _("At most %(n)s characters.") % {"n": NAME_MAX_LENGTH},
        ]
    for field in SLA_DAY_FIELDS:
        value = getattr(policy, field)
        if (
            isinstance(value, bool)
            or not isinstance(value, int)
            or not (MIN_DAYS <= value <= MAX_DAYS)
        ):
            message = (
                _("Between %(min)s and %(max)s calendar days.")
                if field in CALENDAR_DAY_FIELDS
                else _("Between %(min)s and %(max)s working days.")
            )
            errors[field] = [message % {"min": MIN_DAYS, "max": MAX_DAYS}]
    for shorter, longer in ORDERED_PAIRS:
        if shorter in errors or longer in errors:
            continue
        if getattr(policy, shorter) >= getattr(policy, longer):
            field = shorter if shorter in changed or longer not in changed else longer
            errors[field] = [_pair_message(shorter)]
    if errors:
        raise ValidationError(errors)


def _category_within(agency: Agency, category: Category) -> dict[str, list[str]]:
    """The error of a category that belongs to neither the agency nor one above it."""
    if category.agency_id in {int(p) for p in agency.path.split("/") if p}:
        return {}
    return {
        "category": [
            _("The category belongs to another agency: choose one of %(agency)s's.")
            % {"agency": agency}
        ]
    }


def _scope(
    *, agency_id: int | None, category_id: int | None
) -> tuple[Agency | None, Category | None]:
    """The agency and category of a new policy. A category's policy governs every complaint
    of that category, so without an agency it takes the category's own."""
    errors: dict[str, list[str]] = {}
    agency = category = None
    if agency_id is not None:
        if 0 < agency_id <= MAX_ID:
            agency = Agency.objects.filter(pk=agency_id, is_active=True).first()
        if agency is None:
            errors["agency"] = [_("No active agency has this id.")]
    if category_id is not None:
        if 0 < category_id <= MAX_ID:
            category = Category.objects.filter(pk=category_id, is_active=True).first()
        if category is None:
            errors["category"] = [_("No active category has this id.")]
    if agency is not None and category is not None:
        errors.update(_category_within(agency, category))
    if errors:
        raise ValidationError(errors)
    if agency is None and category is not None:
        agency = category.agency
    return agency, category


def _refuse_second(
    *, agency: Agency | None, category: Category | None, exclude: int | None = None
) -> None:
    # The clocks look a category's policy up by the category alone (PolicySet), so two active
    # policies of one category would clash even under different agencies.
    active = SlaPolicy.objects.filter(is_active=True).exclude(pk=exclude)
    if category is not None:
        active = active.filter(category=category)
    else:
        active = active.filter(agency=agency, category__isnull=True)
    existing = active.values_list("pk", flat=True).first()
    if existing is not None:
        raise SlaPolicyExists(
            _(
                "An active policy (id %(id)s) already covers this agency and category: change "
                "it, or deactivate it first."
            )
            % {"id": existing}
        )


def sla_policy_create(
    *,
    actor: User | None,
    name: str,
    agency_id: int | None = None,
    category_id: int | None = None,
    **days: int,
) -> SlaPolicy:
    """A new active policy for an agency (and its units), a category, or the national
    default when none is configured. Day counts not given, and the escalation ladder, are
    copied from the policy that governs the scope now."""
    _require_admin(actor)
    unknown = set(days) - set(SLA_DAY_FIELDS)
    if unknown:
        raise TypeError(f"Not SLA day fields: {sorted(unknown)}")
    agency, category = _scope(agency_id=agency_id, category_id=category_id)
    with transaction.atomic():
        inherited = sla_policy_for(agency=agency, category=category)
        policy = SlaPolicy(
            name=name,
            agency=agency,
            category=category,
            escalation_ladder=inherited.escalation_ladder,
            is_active=True,
            **{f: getattr(inherited, f) for f in SLA_DAY_FIELDS},
        )
        for field, value in days.items():
            setattr(policy, field, value)
        _validate(policy, set(days) | {"name"})
        _refuse_second(agency=agency, category=category)
        try:
            # A concurrent create of the same scope passes the check above; the partial
            # unique index then refuses it, and the caller gets the same answer.
            with transaction.atomic():
                policy.save()
        except IntegrityError:
            _refuse_second(agency=agency, category=category)
            raise
    return policy


def sla_policy_check(policy: SlaPolicy, *, changed: set[str]) -> None:
    """The rules of this service for a policy saved outside it (the admin): a name, every day
    count within range and each warning before the end of its clock, the category within the
    agency, at most one active policy per scope, and the national default kept active. Raises
    ValidationError by field (`changed`: the fields the user set, where a pair's error goes)."""
    _validate(policy, changed)
    errors: dict[str, list[str]] = {}
    if policy.agency_id is not None and policy.category_id is not None:
        errors.update(_category_within(policy.agency, policy.category))
    national = policy.agency_id is None and policy.category_id is None
    if national and not policy.is_active:
        errors["is_active"] = [
            _("The national default cannot be deactivated: every clock falls back on it.")
        ]
    if errors:
        raise ValidationError(errors)
    if policy.is_active:
        try:
            _refuse_second(agency=policy.agency, category=policy.category, exclude=policy.pk)
        except SlaPolicyExists as exc:
            raise ValidationError(str(exc.message)) from exc


def _policy_locked(policy_id: int) -> SlaPolicy:
    policy = None
    if 0 < policy_id <= MAX_ID:
        policy = SlaPolicy.objects.select_for_update().filter(pk=policy_id).first()
    if policy is None:
        raise NotFound(_("SLA policy not found."))
    return policy


def sla_policy_update(*, actor: User | None, policy_id: int, **fields: Any) -> SlaPolicy:
    """Change the name or day counts of an active policy. Its scope never changes: deactivate
    it and create another."""
    _require_admin(actor)
    unknown = set(fields) - {"name", *SLA_DAY_FIELDS}
    if unknown:
        raise TypeError(f"Not writable SLA policy fields: {sorted(unknown)}")
    with transaction.atomic():
        policy = _policy_locked(policy_id)
        if not policy.is_active:
            raise ApplicationError(
                _("This policy is no longer active: create a new one for its scope.")
            )
        changed = [f for f, value in fields.items() if getattr(policy, f) != value]
        for field in changed:
            setattr(policy, field, fields[field])
        _validate(policy, set(changed))
        if changed:
            policy.save(update_fields=[*changed, "updated_at"])
    return policy


def sla_policy_deactivate(*, actor: User | None, policy_id: int) -> SlaPolicy:
    """End an agency or category override: its scope falls back on the next policy up. The
    national default, which every clock falls back on, stays. Deactivating twice is a no-op."""
    _require_admin(actor)
    with transaction.atomic():
        policy = _policy_locked(policy_id)
        if policy.agency_id is None and policy.category_id is None:
            raise ApplicationError(
                _("The national default cannot be deactivated: every clock falls back on it.")
            )
        if policy.is_active:
            policy.is_active = False
            policy.save(update_fields=["is_active", "updated_at"])
    return policy
