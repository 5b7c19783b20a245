"""Admin for reference data. Complaints are read-only here: their changes go through the
services (and the staff workspace), never through a bare save."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from complaints.access import TRACKING_NUMBER_LENGTH, normalize_code
from complaints.models import (
    Agency,
    CalendarDay,
    CannedResponse,
    Category,
    Complaint,
    ComplaintEvent,
    Escalation,
    Membership,
    Notification,
    ServiceFeedback,
    SlaPolicy,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "kind", "parent", "time_zone", "responses_need_approval")
    list_filter = ("kind", "time_zone", "responses_need_approval", "is_active")
    search_fields = ("name", "short_name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "source")
    list_filter = ("role",)
    search_fields = ("user__email", "agency__name")
    autocomplete_fields = ("user", "agency")


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "parent", "default_tier", "is_active")
    list_filter = ("default_tier", "is_active")
    search_fields = ("name", "agency__name")
    autocomplete_fields = ("agency", "parent")


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "category", "verify_days", "first_response_days", "is_active")
    list_filter = ("is_active",)
    autocomplete_fields = ("agency", "category")

    def has_delete_permission(self, request, obj=None):
        # The national default (no agency, no category) is what every clock falls back on.
        if obj is not None and obj.agency_id is None and obj.category_id is None:
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        # "Delete selected" asks no per-row permission: policies are deleted one at a time.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "kind", "agency")
    list_filter = ("kind",)
    date_hierarchy = "date"
    autocomplete_fields = ("agency",)


@admin.register(CannedResponse)
class CannedResponseAdmin(admin.ModelAdmin):
    list_display = ("title", "agency")
    search_fields = ("title", "body")
    autocomplete_fields = ("agency",)


class TrackingNumberSearch:
    """Search also takes a tracking number as printed for people (8M2F-E63A-SRR6), which is
    stored as 8m2fe63asrr6."""

    tracking_number_field = "complaint__tracking_number"

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = normalize_code(search_term)
        if len(number) == TRACKING_NUMBER_LENGTH:
            found |= queryset.filter(**{self.tracking_number_field: number})
        return found, may_have_duplicates


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Complaint)
class ComplaintAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    tracking_number_field = "tracking_number"
    list_display = ("printed_tracking_number", "title", "agency", "status", "current_due_at")
    list_filter = ("status", "kind", "channel", "is_anonymous", "is_confidential")
    search_fields = ("tracking_number", "title")
    list_select_related = ("agency",)
    exclude = ("access_code_hash",)
    readonly_fields = ("printed_tracking_number",)

    @admin.display(description=_("tracking number"), ordering="tracking_number")
    def printed_tracking_number(self, obj: Complaint) -> str:
        return obj.display_tracking_number

    def get_fields(self, request, obj=None):
        # The number as people read it (hyphenated) in place of the stored one.
        fields = super().get_fields(request, obj)
        rest = [f for f in fields if f not in ("tracking_number", "printed_tracking_number")]
        return ["printed_tracking_number", *rest]


@admin.register(ComplaintEvent)
class ComplaintEventAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("complaint", "type", "actor", "created_at")
    list_filter = ("type",)
    search_fields = ("complaint__tracking_number",)
    list_select_related = ("complaint", "actor")


@admin.register(Escalation)
class EscalationAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("complaint", "clock", "level", "created_at", "acknowledged_at")
    list_filter = ("clock", "level")
    search_fields = ("complaint__tracking_number",)
    list_select_related = ("complaint",)


@admin.register(Notification)
class NotificationAdmin(TrackingNumberSearch, ReadOnlyAdmin):
    list_display = ("recipient", "kind", "state", "attempts", "created_at", "sent_at")
    list_filter = ("state", "kind", "channel")
    search_fields = ("recipient", "complaint__tracking_number")
    # A sent body can hold a signed link that opens a reporter's complaint without the access
    # code: the admin shows what was sent to whom, not the message itself.
    exclude = ("body",)
    readonly_fields = ("body_withheld",)

    @admin.display(description=_("message"))
    def body_withheld(self, obj):
        return _("Not shown: it may hold a personal link for the recipient.")


@admin.register(ServiceFeedback)
class ServiceFeedbackAdmin(admin.ModelAdmin):
    """Read-only: what visitors said about the service, as they said it."""

    list_display = ("created_at", "rating", "short_comment", "page", "language")
    list_filter = ("rating", "language")
    date_hierarchy = "created_at"
    search_fields = ("comment",)

    @admin.display(description=_("comment"))
    def short_comment(self, obj: ServiceFeedback) -> str:
        return obj.comment if len(obj.comment) <= 80 else obj.comment[:79] + "…"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
