"""Bad input of every kind is a 4xx problem+json that says what to fix, and writes nothing."""

from __future__ import annotations

import json

import pytest

from complaints.models import Complaint, ComplaintEvent
from tests import factories as f
from tests.complaints.api.helpers import token_client

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clear_cache")]

LIST = "/api/v1/complaints/"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["detail"]
    return body


def test_a_10_mb_json_body_is_refused(world):
    big = json.dumps({"kind": "complaint", "title": "x", "body": "y" * (10 * 1024 * 1024)})
    r = token_client(world.verifier).generic("POST", LIST, big, content_type="application/json")
    assert r.status_code in (400, 413)
    assert r["Content-Type"].startswith(("application/problem+json", "text/html"))
    assert not Complaint.objects.exists()


def test_deeply_nested_json_is_a_400(world):
    nested = "[" * 100_000 + "]" * 100_000
    r = token_client(world.verifier).generic("POST", LIST, nested, content_type="application/json")
    assert_problem(r, 400)
    assert not Complaint.objects.exists()


def test_invalid_utf8_is_a_400(world):
    r = token_client(world.verifier).generic(
        "POST", LIST, b'{"title": "\xff\xfe"}', content_type="application/json"
    )
    assert_problem(r, 400)


def test_a_body_that_is_not_an_object_names_the_problem(world):
    r = token_client(world.verifier).post(LIST, [1, 2, 3], format="json")
    body = assert_problem(r, 400)
    assert body["errors"]


def test_missing_fields_are_each_named(world):
    r = token_client(world.verifier).post(LIST, {}, format="json")
    body = assert_problem(r, 400)
    assert {"kind", "title", "body", "channel"} <= {e["field"] for e in body["errors"]}


def test_wrong_types_in_an_action_are_a_400(world):
    c = f.complaint(world.agency)
    r = token_client(world.verifier).post(
        f"{LIST}{c.tracking_number}/route/", {"unit": {"a": 1}}, format="json"
    )
    body = assert_problem(r, 400)
    assert body["errors"][0]["field"] == "unit"
    assert not ComplaintEvent.objects.exclude(type="submitted").exists()


def test_an_unsupported_media_type_is_a_415(world):
    r = token_client(world.verifier).generic("POST", LIST, "a=b", content_type="text/plain")
    assert_problem(r, 415)


def test_a_huge_tracking_number_is_a_404(world):
    r = token_client(world.verifier).get(f"{LIST}{'A' * 5000}/")
    assert_problem(r, 404)


def test_a_wrong_method_is_a_405(world):
    r = token_client(world.verifier).delete(LIST)
    assert_problem(r, 405)


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/complaints/%0A%C2%B0P/attachments/%C2%B9/",
        "/api/v1/complaints/AB%0ACD/",
        "/api/%0A",
    ],
)
def test_a_line_break_in_the_address_is_a_problem_not_a_page(client, path):
    # (found by the schema fuzz: the API's catch-all must match across line breaks)
    r = client.get(path)
    assert r.status_code in (401, 404)
    assert r["Content-Type"].startswith("application/problem+json")
