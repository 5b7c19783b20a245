"""What the API reads and writes. Output comes from the scoped selectors and the case read
model; input is validated here and handed to one service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from complaints.models import Channel, Complaint, Kind, ResolutionTier, Status
from complaints.policy import ClockState

# The channels an API client may file for; walk-in and phone need an agency role (the filing
# service checks it), as do the call centre and the social-media desk.
API_CHANNELS = (
    Channel.APP,
    Channel.CALL_CENTRE,
    Channel.SOCIAL,
    Channel.WALK_IN,
    Channel.PHONE,
)
CLOCK_STATES = (
    ClockState.ON_TRACK,
    ClockState.DUE_SOON,
    ClockState.OVERDUE,
    ClockState.ESCALATED,
    ClockState.REPORTER,
    ClockState.NONE,
)


class RefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


def _ref(obj: Any, name: str = "") -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": name or str(getattr(obj, "name", "") or obj)}


class ComplaintSummarySerializer(serializers.Serializer):
    """One row of the list (the staff queue's columns)."""

    tracking_number = serializers.CharField(source="display_tracking_number")
    title = serializers.CharField()
    kind = serializers.ChoiceField(choices=Kind.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    channel = serializers.ChoiceField(choices=Channel.choices)
    tier = serializers.ChoiceField(choices=ResolutionTier.choices)
    agency = serializers.SerializerMethodField()
    unit = serializers.SerializerMethodField()
    category = serializers.SerializerMethodField()
    assignee = serializers.SerializerMethodField()
    is_anonymous = serializers.BooleanField()
    is_confidential = serializers.BooleanField()
    reporter_name = serializers.CharField(
        help_text=_("Empty for an anonymous complaint unless you are a national admin.")
    )
    created_at = serializers.DateTimeField()
    current_clock = serializers.CharField(allow_blank=True)
    current_due_at = serializers.DateTimeField(allow_null=True)
    clock_state = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_agency(self, c: Complaint) -> dict[str, Any] | None:
        return _ref(c.agency)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_unit(self, c: Complaint) -> dict[str, Any] | None:
        return _ref(c.unit)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_category(self, c: Complaint) -> dict[str, Any] | None:
        return _ref(c.category)

    @extend_schema_field(RefSerializer(allow_null=True))
    def get_assignee(self, c: Complaint) -> dict[str, Any] | None:
        return _ref(c.assignee, c.assignee.get_full_name() if c.assignee else "")

    @extend_schema_field(serializers.ChoiceField(choices=CLOCK_STATES))
    def get_clock_state(self, c: Complaint) -> str:
        return self.context["clock_state"](c)


class ClockSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    due = serializers.DateTimeField(allow_null=True)
    state = serializers.CharField(allow_blank=True, help_text=_("The running clock's state."))
    finished = serializers.DateTimeField(allow_null=True)
    current = serializers.BooleanField()


class DeadlineSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=CLOCK_STATES)
    text = serializers.CharField()
    due_at = serializers.DateTimeField(allow_null=True)
    working_days_left = serializers.IntegerField(allow_null=True)


class EscalationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    clock = serializers.CharField()
    level = serializers.IntegerField()
    created_at = serializers.DateTimeField()


class ResponseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    body = serializers.CharField()
    version = serializers.IntegerField()
    published_at = serializers.DateTimeField(allow_null=True)


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    download = serializers.CharField()


class ComplaintDetailSerializer(ComplaintSummarySerializer):
    """One complaint as the caller may see it, with what the caller may do with it now."""

    body = serializers.CharField()
    incident_date = serializers.DateField(allow_null=True)
    location_text = serializers.CharField(allow_blank=True)
    region = serializers.CharField(allow_blank=True)
    reporter_email = serializers.CharField(allow_blank=True)
    reporter_phone = serializers.CharField(allow_blank=True)
    verified_at = serializers.DateTimeField(allow_null=True)
    first_response_at = serializers.DateTimeField(allow_null=True)
    resolved_at = serializers.DateTimeField(allow_null=True)
    closed_at = serializers.DateTimeField(allow_null=True)
    archived_at = serializers.DateTimeField(allow_null=True)
    archive_reason = serializers.CharField(allow_blank=True)
    merged_into = serializers.CharField(allow_null=True)
    escalation_level = serializers.IntegerField()
    is_escalated = serializers.BooleanField()
    deadline = DeadlineSerializer()
    clocks = ClockSerializer(many=True)
    escalations = EscalationSerializer(many=True, help_text=_("Unacknowledged, addressed to you."))
    responses = ResponseSerializer(many=True)
    attachments = AttachmentSerializer(many=True)
    roles = serializers.ListField(child=serializers.CharField())
    actions = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("The actions you may take now: POST complaints/{number}/<action>/."),
    )


class ComplaintCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Kind.choices)
    title = serializers.CharField(max_length=settings.ADUAN_TITLE_MAX_LENGTH)
    body = serializers.CharField(max_length=settings.ADUAN_BODY_MAX_LENGTH)
    channel = serializers.ChoiceField(
        choices=[(c.value, c.label) for c in API_CHANNELS],
        help_text=_(
            "app: a mobile app filing for its user; call_centre, social, walk_in, phone: "
            "entered by agency staff for the reporter (an agency role is needed)."
        ),
    )
    agency = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_("The agency id; leave out when unknown (national triage)."),
    )
    category = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=2**31 - 1
    )
    incident_date = serializers.DateField(required=False, allow_null=True)
    location_text = serializers.CharField(required=False, allow_blank=True, max_length=255)
    latitude = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = serializers.DecimalField(
        required=False,
        allow_null=True,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    region = serializers.CharField(required=False, allow_blank=True, max_length=100)
    reporter_name = serializers.CharField(required=False, allow_blank=True, max_length=150)
    reporter_email = serializers.EmailField(required=False, allow_blank=True)
    reporter_phone = serializers.CharField(required=False, allow_blank=True, max_length=32)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    is_confidential = serializers.BooleanField(required=False, default=False)
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False, default="id")


class FiledSerializer(serializers.Serializer):
    tracking_number = serializers.CharField()
    access_code = serializers.CharField(
        help_text=_("Give it to the reporter: it is shown only this once.")
    )
    complaint = ComplaintDetailSerializer(
        allow_null=True,
        help_text=_("Null when the complaint is outside your scope (an app filing for a citizen)."),
    )


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(allow_blank=True, help_text=_("Empty: the request as a whole."))
    message = serializers.CharField()
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """An error (RFC 9457 problem details), in the language of Accept-Language."""

    type = serializers.CharField()
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    code = serializers.CharField()
    instance = serializers.CharField(required=False)
    errors = FieldErrorSerializer(many=True, required=False)
    current = serializers.DictField(
        required=False, help_text=_("412 only: the complaint as it is now.")
    )


class EventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    group = serializers.CharField(allow_blank=True)
    author = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    from_status = serializers.CharField(allow_blank=True)
    to_status = serializers.CharField(allow_blank=True)
    is_public = serializers.BooleanField(
        help_text=_("False: internal (notes, drafts, escalations), shown to staff only.")
    )
    body = serializers.CharField(allow_blank=True)
