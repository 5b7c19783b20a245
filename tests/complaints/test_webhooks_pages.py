"""The staff pages of webhook subscriptions: the agency's focal point adds, pauses, resumes
and deletes them and reads the delivery log; nobody else sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints.models import Notification, Role, WebhookDelivery, WebhookSubscription
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]


@pytest.fixture
def agency(db):
    return f.AgencyFactory(name="Dinas Kesehatan Kota")


@pytest.fixture
def focal(agency):
    return f.staff(agency, Role.FOCAL_POINT, email="fokal@example.go.id")


def _signed_in(client, user):
    client.force_login(user)
    return client


def test_the_focal_point_adds_a_webhook(client, agency, focal):
    _signed_in(client, focal)
    page = client.get(reverse("staff:webhooks"))
    assert page.status_code == 200
    assert "Webhook" in page.content.decode()
    answer = client.post(
        reverse("staff:webhooks"),
        {
            "agency": agency.pk,
            "url": "https://sistem.dinkes.go.id/aduan",
            "event_types": ["complaint.filed", "complaint.closed"],
        },
    )
    subscription = WebhookSubscription.objects.get()
    assert answer.status_code == 302
    assert answer["Location"] == reverse("staff:webhook", kwargs={"pk": subscription.pk})
    assert subscription.event_types == ["complaint.closed", "complaint.filed"]
    assert subscription.owner == focal
    assert subscription.secret.startswith("whsec_")


def test_a_form_with_problems_says_what_to_do(client, agency, focal):
    _signed_in(client, focal)
    answer = client.post(reverse("staff:webhooks"), {"agency": agency.pk, "url": "bukan alamat"})
    assert answer.status_code == 400
    body = answer.content.decode()
    assert "error-summary" in body
    assert 'aria-invalid="true"' in body
    assert not WebhookSubscription.objects.exists()


def test_the_log_shows_each_attempt_with_the_answer_and_actions_work(client, agency, focal):
    subscription = WebhookSubscription.objects.create(
        agency=agency, url="https://sistem.dinkes.go.id/aduan", event_types=["complaint.filed"]
    )
    row = Notification.objects.create(
        channel="webhook",
        recipient=subscription.recipient,
        kind="webhook_event",
        cause_key="msg_1",
        subject="complaint.filed",
        body="json",
        created_at=timezone.now(),
    )
    WebhookDelivery.objects.create(
        subscription=subscription,
        notification=row,
        event_type="complaint.filed",
        attempted_at=timezone.now(),
        status_code=503,
        response_body="sedang pemeliharaan",
    )
    _signed_in(client, focal)
    url = reverse("staff:webhook", kwargs={"pk": subscription.pk})
    body = client.get(url).content.decode()
    assert "503" in body
    assert "sedang pemeliharaan" in body
    assert subscription.secret in body
    pause = reverse("staff:webhook_action", kwargs={"pk": subscription.pk, "action": "pause"})
    assert client.post(pause).status_code == 302
    subscription.refresh_from_db()
    assert subscription.paused_at is not None
    resume = reverse("staff:webhook_action", kwargs={"pk": subscription.pk, "action": "resume"})
    client.post(resume)
    subscription.refresh_from_db()
    assert subscription.paused_at is None
    confirm = client.get(reverse("staff:webhook_delete", kwargs={"pk": subscription.pk}))
    assert "Hapus webhook ini?" in confirm.content.decode()
    assert WebhookSubscription.objects.exists()
    delete = reverse("staff:webhook_action", kwargs={"pk": subscription.pk, "action": "delete"})
    assert client.post(delete)["Location"] == reverse("staff:webhooks")
    assert not WebhookSubscription.objects.exists()


def test_other_staff_and_other_agencies_do_not_see_them(client, agency, focal):
    subscription = WebhookSubscription.objects.create(
        agency=agency, url="https://sistem.dinkes.go.id/aduan", event_types=["complaint.filed"]
    )
    verifier = f.staff(agency, Role.VERIFIER)
    _signed_in(client, verifier)
    assert client.get(reverse("staff:webhooks")).status_code == 404
    other_focal = f.staff(f.AgencyFactory(name="Dinas Lain"), Role.FOCAL_POINT)
    _signed_in(client, other_focal)
    assert client.get(reverse("staff:webhooks")).status_code == 200
    assert client.get(reverse("staff:webhook", kwargs={"pk": subscription.pk})).status_code == 404
    pause = reverse("staff:webhook_action", kwargs={"pk": subscription.pk, "action": "pause"})
    assert client.post(pause).status_code == 404


@pytest.mark.parametrize("n", [1, 5])
def test_the_list_costs_the_same_for_1_and_n_subscriptions(
    client, agency, focal, n, django_assert_num_queries
):
    for i in range(n):
        WebhookSubscription.objects.create(
            agency=agency, url=f"https://sistem.dinkes.go.id/{i}", event_types=["complaint.filed"]
        )
    _signed_in(client, focal)
    client.get(reverse("staff:webhooks"))  # warm the session
    # session, user, memberships (+agency), subscriptions (+agency, owner)
    with django_assert_num_queries(4):
        page = client.get(reverse("staff:webhooks"))
    assert page.content.decode().count("https://sistem.dinkes.go.id/") == n


@pytest.mark.parametrize("n", [1, 5])
def test_the_delivery_log_costs_the_same_for_1_and_n_attempts(
    client, agency, focal, n, django_assert_num_queries
):
    subscription = WebhookSubscription.objects.create(
        agency=agency, url="https://sistem.dinkes.go.id/aduan", event_types=["complaint.filed"]
    )
    row = Notification.objects.create(
        channel="webhook",
        recipient=subscription.recipient,
        kind="webhook_event",
        cause_key="msg_1",
        subject="complaint.filed",
        body="json",
        created_at=timezone.now(),
    )
    for _ in range(n):
        WebhookDelivery.objects.create(
            subscription=subscription,
            notification=row,
            event_type="complaint.filed",
            attempted_at=timezone.now(),
            status_code=500,
            response_body="rusak",
        )
    _signed_in(client, focal)
    url = reverse("staff:webhook", kwargs={"pk": subscription.pk})
    client.get(url)  # warm the session
    # session, user, memberships (+agency), the subscription (+agency, owner), the log
    with django_assert_num_queries(5):
        page = client.get(url)
    assert page.content.decode().count("rusak") == n
