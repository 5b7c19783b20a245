"""Admin for the focal-point reference data. Designations, directory entries and coordination
groups go through focal_points.services so that memberships stay in step; corrective actions
and nudges are read-only here (they change only through their services)."""

from django.contrib import admin

from focal_points.models import (
    CoordinationGroup,
    CorrectiveAction,
    CorrectiveActionEvent,
    FocalPoint,
    Nudge,
    ScoreBand,
)
from focal_points.services.designations import (
    coordination_group_sync,
    focal_point_designate,
    focal_point_revoke,
)


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "position", "phone", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__email", "user__full_name", "agency__name")
    autocomplete_fields = ("user", "agency")

    def save_model(self, request, obj, form, change):
        if obj.is_active:
            designated = focal_point_designate(
                user=obj.user,
                agency=obj.agency,
                position=obj.position,
                phone=obj.phone,
                email=obj.email,
            )
            obj.pk = designated.pk
        else:
            super().save_model(request, obj, form, change)
            focal_point_revoke(focal_point=obj)


@admin.register(CoordinationGroup)
class CoordinationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_agency")
    filter_horizontal = ("agencies", "coordinators")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        coordination_group_sync(group=form.instance)


@admin.register(ScoreBand)
class ScoreBandAdmin(admin.ModelAdmin):
    list_display = ("metric", "green_min", "yellow_min", "higher_is_better")


class CorrectiveActionEventInline(admin.TabularInline):
    model = CorrectiveActionEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "type", "actor", "from_state", "to_state", "body")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(CorrectiveAction)
class CorrectiveActionAdmin(admin.ModelAdmin):
    list_display = ("title", "agency", "state", "due_at", "issuer", "escalation_level")
    list_filter = ("state",)
    search_fields = ("title", "agency__name")
    inlines = [CorrectiveActionEventInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Nudge)
class NudgeAdmin(admin.ModelAdmin):
    list_display = ("complaint", "agency", "unit", "actor", "created_at")
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
