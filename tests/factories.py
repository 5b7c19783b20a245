"""factory_boy factories shared by every test package."""

from __future__ import annotations

import factory
from django.utils import timezone

from accounts.models import User
from complaints.models import Agency, Category, Membership, Role, SlaPolicy


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Faker("name", locale="id_ID")
    password = factory.django.Password("rahasia-uji-123")
    is_active = True


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Instansi {n}")
    short_name = factory.Sequence(lambda n: f"INS{n}")
    slug = factory.Sequence(lambda n: f"instansi-{n}")
    kind = Agency.Kind.BODY
    responses_need_approval = True


class UnitFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Unit {n}")
    short_name = factory.Sequence(lambda n: f"U{n}")
    slug = factory.Sequence(lambda n: f"unit-{n}")
    kind = Agency.Kind.UNIT
    parent = factory.SubFactory(AgencyFactory)


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")
    slug = factory.Sequence(lambda n: f"kategori-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = Role.VERIFIER


class SlaPolicyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SlaPolicy

    name = "Kebijakan nasional"


def staff(agency: Agency, role: str, **kwargs) -> User:
    """A user holding `role` on `agency`."""
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


def complaint(agency: Agency | None = None, *, now=None, **kwargs):
    """A complaint filed through the service, as a reporter would."""
    from complaints.models import Kind
    from complaints.services import complaint_submit

    defaults = {
        "kind": Kind.COMPLAINT,
        "title": "Obat kedaluwarsa dijual di apotek",
        "body": "Saya membeli obat yang sudah kedaluwarsa di apotek dekat rumah.",
        "reporter_name": "Budi Santoso",
        "reporter_email": "budi@example.com",
        "reporter_phone": "081234567890",
    }
    defaults.update(kwargs)
    c, code = complaint_submit(actor=None, agency=agency, now=now or timezone.now(), **defaults)
    c.plain_access_code = code
    return c
