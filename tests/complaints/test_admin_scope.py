"""The Django admin is for national administrators only: an agency officer given the admin
flag and "view complaint" permission sees nothing there, of their own agency or another."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from complaints.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


def _with_view_permissions(user):
    user.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_complaint", "view_attachment", "view_notification"]
        )
    )
    return user


def test_admin_user_with_a_membership_sees_nothing(client):
    own, other = f.AgencyFactory(), f.AgencyFactory()
    mine = f.complaint(own, title="Antrean di kantor sendiri", reporter_name="Siti Rahasia")
    theirs = f.complaint(
        other, title="Laporan anonim lembaga lain", reporter_name="Budi Anonim", is_anonymous=True
    )
    officer = _with_view_permissions(f.staff(own, Role.VERIFIER, is_staff=True))
    client.force_login(officer)
    for url in (
        reverse("admin:index"),
        reverse("admin:complaints_complaint_changelist"),
        reverse("admin:complaints_complaint_change", args=[mine.pk]),
        reverse("admin:complaints_complaint_change", args=[theirs.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("admin:login"))
        page = client.get(response["Location"]).content.decode()
        for secret in (mine.title, theirs.title, "Siti Rahasia", "Budi Anonim"):
            assert secret not in page


def test_national_admin_uses_the_admin(client):
    own = f.AgencyFactory()
    c = f.complaint(own, title="Antrean panjang")
    admin = _with_view_permissions(f.UserFactory(is_staff=True, is_national_admin=True))
    client.force_login(admin)
    page = client.get(reverse("admin:complaints_complaint_changelist"))
    assert page.status_code == 200
    assert c.title in page.content.decode()
