"""Schemathesis over the whole OpenAPI schema, anonymous and with a verifier's token: never a
500, and every answer (status, content type, body) is one the schema describes."""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from accounts.tokens import api_token_create
from tests import factories as f

schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# The in-process client does not undo GZipMiddleware's compression: ask for none.
PLAIN = {"Accept-Encoding": "identity"}
FUZZ = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def in_test_transaction():
    """Requests through the WSGI app (not Django's test client) would close the test's
    connection at request end; keep it open as the test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def fuzz_world(staff_world, settings, in_test_transaction):
    # Throttles stay on (429 is a documented answer) but must not end the run early.
    settings.REST_FRAMEWORK = settings.REST_FRAMEWORK | {
        "DEFAULT_THROTTLE_RATES": {"token": "100000/min", "anon": "100000/min"}
    }
    settings.ADUAN_RATE_TRACKING = (100000, 900)
    f.complaint(staff_world.agency, category=staff_world.category)
    return staff_world


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_anonymous_callers_get_documented_answers(case, fuzz_world):
    case.call_and_validate(headers=PLAIN, checks=CHECKS)


@pytest.mark.django_db
@schema.parametrize()
@FUZZ
def test_a_verifier_gets_documented_answers(case, fuzz_world):
    _token, plain = api_token_create(user=fuzz_world.verifier, name="fuzz")
    case.call_and_validate(headers=PLAIN | {"Authorization": f"Bearer {plain}"}, checks=CHECKS)
