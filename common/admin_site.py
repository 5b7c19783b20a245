"""The Django admin is the national administrators' tool: it shows every agency's complaints
and anonim reporters' identities, so it is not scoped like the staff workspace. Only national
administrators (and superusers) get in, whatever `is_staff` or model permissions say; agency
staff work in /staf/, which is scoped and masked."""

from __future__ import annotations

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest


class NationalAdminSite(AdminSite):
    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active
            and user.is_staff
            and (user.is_superuser or getattr(user, "is_national_admin", False))
        )


class NationalAdminConfig(AdminConfig):
    default_site = "common.admin_site.NationalAdminSite"
