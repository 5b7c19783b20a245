"""The complaint domain's models, one module per concern; every name is re-exported here, so
`complaints.models.X` and the migrations stay as they were."""

from complaints.models.complaint import (
    ESCALATED_LEVEL,
    ESCALATION_LEVEL_FIELDS,
    OPEN_STATUS_VALUES,
    OPEN_STATUSES,
    TRANSITIONS,
    Channel,
    Clock,
    Complaint,
    ComplaintAgencyHistory,
    ComplaintFollower,
    ComplaintQuerySet,
    Kind,
    MaskedComplaintIterable,
    Status,
)
from complaints.models.jobs import (
    Escalation,
    EscalationQuerySet,
    EscalationReason,
    FollowUp,
    SweepRun,
)
from complaints.models.org import Agency, Membership, Role, TimeZone
from complaints.models.outbox import Notification, message_kinds, register_message_kinds
from complaints.models.policy import (
    CalendarDay,
    Category,
    ResolutionTier,
    SlaPolicy,
    default_escalation_ladder,
)
from complaints.models.staff import CannedResponse, SavedFilter, ServiceFeedback
from complaints.models.timeline import (
    PUBLIC_EVENT_TYPES,
    Attachment,
    ComplaintEvent,
    EventType,
    Response,
    new_attachment_key,
    register_event_types,
)

__all__ = [
    "ESCALATED_LEVEL",
    "ESCALATION_LEVEL_FIELDS",
    "OPEN_STATUSES",
    "OPEN_STATUS_VALUES",
    "PUBLIC_EVENT_TYPES",
    "TRANSITIONS",
    "Agency",
    "Attachment",
    "CalendarDay",
    "CannedResponse",
    "Category",
    "Channel",
    "Clock",
    "Complaint",
    "ComplaintAgencyHistory",
    "ComplaintEvent",
    "ComplaintFollower",
    "ComplaintQuerySet",
    "Escalation",
    "EscalationQuerySet",
    "EscalationReason",
    "EventType",
    "FollowUp",
    "Kind",
    "MaskedComplaintIterable",
    "Membership",
    "Notification",
    "ResolutionTier",
    "Response",
    "Role",
    "SavedFilter",
    "ServiceFeedback",
    "SlaPolicy",
    "Status",
    "SweepRun",
    "TimeZone",
    "default_escalation_ladder",
    "message_kinds",
    "new_attachment_key",
    "register_event_types",
    "register_message_kinds",
]
