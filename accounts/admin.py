from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "full_name", "is_national_admin", "is_staff", "is_active")
    list_filter = ("is_national_admin", "is_staff", "is_active")
    search_fields = ("email", "full_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("full_name", "phone", "email_verified_at")}),
        (
            _("Permissions"),
            {"fields": ("is_active", "is_national_admin", "is_staff", "is_superuser", "groups")},
        ),
        (_("Sign-in"), {"fields": ("failed_login_count", "locked_until", "last_login")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    readonly_fields = ("last_login",)
