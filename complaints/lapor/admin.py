"""The connectors in the admin: each agency's SP4N-LAPOR! link (address and keys), the calls
the national system made, webhook subscriptions with their delivery log."""

from django.contrib import admin
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from complaints.models import LaporInbound, LaporLink, WebhookDelivery, WebhookSubscription

# Addresses typed without a scheme are https (Django 6's default, chosen now).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}


@admin.register(LaporLink)
class LaporLinkAdmin(admin.ModelAdmin):
    list_display = ("agency", "base_url", "default_topic", "is_active", "created_at")
    list_filter = ("is_active",)
    search_fields = ("agency__name", "base_url")
    autocomplete_fields = ("agency",)
    fieldsets = (
        (None, {"fields": ("agency", "is_active", "default_topic")}),
        (_("Outbound: the national system"), {"fields": ("base_url", "api_token")}),
        (_("Inbound: calls to this portal"), {"fields": ("inbound_secret", "inbound_url")}),
    )
    readonly_fields = ("inbound_url",)
    formfield_overrides = URL_FIELDS

    @admin.display(description=_("webhook address"))
    def inbound_url(self, link: LaporLink) -> str:
        if not link.pk:
            return "-"
        return reverse("lapor:inbound", kwargs={"agency_slug": link.agency.slug})


@admin.register(LaporInbound)
class LaporInboundAdmin(admin.ModelAdmin):
    list_display = ("event_id", "event_type", "link", "complaint", "outcome", "received_at")
    list_filter = ("event_type", "outcome")
    search_fields = ("event_id", "complaint__tracking_number")
    list_select_related = ("link__agency", "complaint")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class WebhookDeliveryInline(admin.TabularInline):
    model = WebhookDelivery
    extra = 0
    can_delete = False
    fields = ("attempted_at", "event_type", "status_code", "error", "response_body")
    readonly_fields = fields
    ordering = ("-attempted_at",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ("url", "agency", "is_active", "paused_at", "consecutive_failures", "owner")
    list_filter = ("is_active",)
    search_fields = ("url", "agency__name", "description")
    autocomplete_fields = ("agency", "owner")
    readonly_fields = ("consecutive_failures", "failing_since", "created_at")
    list_select_related = ("agency", "owner")
    inlines = [WebhookDeliveryInline]
    formfield_overrides = URL_FIELDS
