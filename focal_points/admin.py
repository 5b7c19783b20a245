from django.contrib import admin

from focal_points.models import CoordinationGroup, FocalPoint
from focal_points.services import coordination_group_sync


@admin.register(FocalPoint)
class FocalPointAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "position", "phone", "email", "is_active")
    list_filter = ("is_active",)
    search_fields = ("user__email", "user__full_name", "agency__name")
    autocomplete_fields = ("user", "agency")


@admin.register(CoordinationGroup)
class CoordinationGroupAdmin(admin.ModelAdmin):
    list_display = ("name", "lead_agency")
    filter_horizontal = ("agencies", "coordinators")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        coordination_group_sync(group=form.instance)
