"""Reference lists kept per process: the choices every staff page draws (an agency's
categories, units, officers, canned answers, the agencies a complaint can be forwarded to), and
the agencies and categories of the citizen's filing form.

They change a few times a day and are read on every queue and case page and every step of the
filing form, where their queries and model instances cost more than the page itself. Each list
is built once per process and kept for REFERENCE_SECONDS at most. A save or delete of a model
they come from (see `watch`) clears every list at once: in this process at once, and in the
other processes within CHECK_SECONDS, through a generation number in the shared cache (Redis in
production).

The lists are shared between requests: callers must never change them or their objects.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

T = TypeVar("T")

REFERENCE_SECONDS = 300
CHECK_SECONDS = 1.0
MAX_ENTRIES = 2048
GENERATION_KEY = "aduan:reference-generation"

_lock = threading.Lock()
_entries: dict[Hashable, tuple[float, Any]] = {}
_seen = {"generation": None, "checked": float("-inf")}


def _follow_generation(now: float) -> None:
    """Drop every list when another process changed reference data (at most once a second)."""
    if now - _seen["checked"] < CHECK_SECONDS:
        return
    generation = cache.get(GENERATION_KEY)
    with _lock:
        _seen["checked"] = now
        if generation != _seen["generation"]:
            _entries.clear()
            _seen["generation"] = generation


def reference(key: Hashable, build: Callable[[], T]) -> T:
    """The list under `key`, built by `build()` when missing or older than REFERENCE_SECONDS."""
    now = time.monotonic()
    _follow_generation(now)
    hit = _entries.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = build()
    with _lock:
        if len(_entries) >= MAX_ENTRIES:
            _entries.clear()
        _entries[key] = (now + REFERENCE_SECONDS, value)
    return value


def clear() -> None:
    """Forget every list in this process (tests, and after a change)."""
    with _lock:
        _entries.clear()


def invalidate() -> None:
    """Reference data changed: every process rebuilds its lists. Called at once (this process
    must not serve the old list to its next request) and again after the commit (a request
    between the save and the commit may have rebuilt a list from the old rows)."""
    clear()
    try:
        generation = cache.incr(GENERATION_KEY)
    except ValueError:
        generation = time.time_ns()
        cache.set(GENERATION_KEY, generation, None)
    with _lock:
        _seen["generation"] = generation


def watch(*models, when: Callable[[Any], bool] | None = None) -> None:
    """Clear the lists whenever one of `models` is saved or deleted (and `when(instance)`, if
    given, says the row is one the lists may show)."""

    def changed(sender, instance, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and set(update_fields) <= {"last_login"}:
            return  # a sign-in: nothing any list shows
        if when is not None and not when(instance):
            return
        invalidate()
        transaction.on_commit(invalidate, robust=True)

    for model in models:
        post_save.connect(changed, sender=model, weak=False)
        post_delete.connect(changed, sender=model, weak=False)
