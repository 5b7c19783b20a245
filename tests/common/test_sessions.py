"""The session store (common/sessions.py): Django's database sessions, one statement per read
and per write, with the same semantics."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_reads_back_in_one_statement():
    store = SessionStore()
    store["draft"] = {"title": "Obat kedaluwarsa", "done": ["kind"]}
    store.save()
    key = store.session_key
    assert Session.objects.filter(session_key=key).exists()

    again = SessionStore(session_key=key)
    with CaptureQueriesContext(connection) as ctx:
        assert again["draft"] == {"title": "Obat kedaluwarsa", "done": ["kind"]}
    assert len(ctx.captured_queries) == 1


def test_a_change_is_written_in_one_statement_without_a_transaction_of_its_own():
    store = SessionStore()
    store["n"] = 1
    store.save()
    again = SessionStore(session_key=store.session_key)
    again["n"] = 2
    with CaptureQueriesContext(connection) as ctx:
        again.save()
    assert [q["sql"].split()[0] for q in ctx.captured_queries] == ["UPDATE"]
    assert SessionStore(session_key=store.session_key)["n"] == 2
    # The expiry moves with each write, as Django's store does.
    row = Session.objects.get(session_key=store.session_key)
    assert row.expire_date > timezone.now() + dt.timedelta(days=13)


def test_an_expired_or_unknown_session_reads_as_empty_and_gets_a_new_key():
    store = SessionStore()
    store["n"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    expired = SessionStore(session_key=store.session_key)
    assert expired.get("n") is None
    assert expired.session_key is None

    unknown = SessionStore(session_key="x" * 32)
    assert unknown.load() == {}
    assert unknown.session_key is None
    unknown["n"] = 3
    unknown.save()
    assert unknown.session_key not in (None, "x" * 32)
    assert SessionStore(session_key=unknown.session_key)["n"] == 3


def test_writing_to_a_session_deleted_meanwhile_is_an_update_error():
    store = SessionStore()
    store["n"] = 1
    store.save()
    again = SessionStore(session_key=store.session_key)
    again["n"] = 2
    Session.objects.filter(session_key=store.session_key).delete()
    with pytest.raises(UpdateError):
        again.save()


def test_creating_a_key_that_exists_is_a_create_error_and_create_picks_another():
    store = SessionStore()
    store["n"] = 1
    store.save()
    clash = SessionStore(session_key=store.session_key)
    clash._session_cache = {"n": 9}
    with pytest.raises(CreateError):
        clash.save(must_create=True)
    assert SessionStore(session_key=store.session_key)["n"] == 1

    fresh = SessionStore()
    fresh.create()
    assert fresh.session_key != store.session_key
    assert fresh.exists(fresh.session_key)
    assert not fresh.exists("y" * 32)


def test_delete_and_flush_remove_the_row():
    store = SessionStore()
    store["n"] = 1
    store.save()
    key = store.session_key
    store.flush()
    assert not Session.objects.filter(session_key=key).exists()
