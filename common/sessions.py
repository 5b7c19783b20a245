"""Database sessions in one statement each.

Django's database store reads a session through the ORM and writes it in a transaction of its
own (BEGIN, UPDATE, COMMIT). Every step of the filing form reads the draft and most write it, so
that cost is paid twice per request. This store keeps the same table, encoding and semantics
(a missing or expired session reads as empty; a write to a session deleted meanwhile raises
UpdateError; a new key that already exists raises CreateError) with one SQL statement per read
and per write. Inside a request transaction (ATOMIC_REQUESTS) it simply joins it.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import CreateError, UpdateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.db import connections, router
from django.utils import timezone

# {table}: the session model's table, quoted by the connection; every value is a parameter.
READ = "SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"
EXISTS = "SELECT 1 FROM {table} WHERE session_key = %s"
CREATE = (
    "INSERT INTO {table} (session_key, session_data, expire_date) VALUES (%s, %s, %s) "
    "ON CONFLICT (session_key) DO NOTHING"
)
UPDATE = "UPDATE {table} SET session_data = %s, expire_date = %s WHERE session_key = %s"


class SessionStore(DatabaseSessionStore):
    def _run(self, statement: str, params: list, *, write: bool):
        """Run one statement on the session model's database; its cursor's row count and first
        row."""
        alias = (router.db_for_write if write else router.db_for_read)(self.model)
        connection = connections[alias]
        sql = statement.format(table=connection.ops.quote_name(self.model._meta.db_table))
        params = [
            connection.ops.adapt_datetimefield_value(p) if hasattr(p, "tzinfo") else p
            for p in params
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.rowcount, (None if write else cursor.fetchone())

    def load(self) -> dict:
        if not self.session_key:
            self._session_key = None
            return {}
        _count, row = self._run(READ, [self.session_key, timezone.now()], write=False)
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])

    def exists(self, session_key: str) -> bool:
        return self._run(EXISTS, [session_key], write=False)[1] is not None

    def save(self, must_create: bool = False) -> None:
        if self.session_key is None:
            return self.create()
        data = self.encode(self._get_session(no_load=must_create))
        expire = self.get_expiry_date()
        if must_create:
            created, _row = self._run(CREATE, [self.session_key, data, expire], write=True)
            if created != 1:
                raise CreateError
        else:
            updated, _row = self._run(UPDATE, [data, expire, self.session_key], write=True)
            if updated != 1:
                raise UpdateError
