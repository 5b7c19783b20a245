"""One full SLA sweep over 1,000,000 complaints (about 5 % past a deadline), escalations written.

Times, on the seeded bench database (bench/seed.py `ensure_bench_data`):
- `sweep_bare_sql_seconds`: the bare SQL that selects the due (complaint, level) pairs
  (complaints.sweeps.SLA_DUE_SQL: the same joins and filters, no locks, no writes), median of 3;
- `sweep_full_seconds`: one full `sla_sweep` (plan, every batch: lock, escalation rows, level,
  timeline events, outbox rows), the fastest of 3 runs (this shared machine varies by 10-20 %
  from one run to the next);
- `sweep_ratio`: full / bare (the issue asks for at most 3);
- `sweep_escalation_rows_only_seconds` / `_ratio`: the bare SQL feeding one INSERT of the
  escalation rows and nothing else, the floor of any sweep that writes a row per step (its
  ratio to the bare SQL shows how much of the sweep's ratio is the rows themselves);
- `sweep_all_writes_one_statement_seconds` / `_ratio`: the bare SQL feeding every row the
  sweep must write (escalations, their timeline events, the levels raised; not the few
  thousand digests) in a single statement: the floor of any implementation on this data;
- `sweep_finding_seconds` / `_ratio`: the part of the full sweep spent finding the due
  complaints (its window SELECTs, batch by batch, in deadline order), against the bare SQL;
- `sweep_steady_seconds`: the next sweep right after, with nothing new due (every later tick);
- `sweep_queries`: statements the sweep issued (a fixed plan, then a fixed handful per batch of
  5,000 complaints: never one per complaint);
- `sweep_candidates_examined`: rows the sweep's windows read, over all three tracks (a
  complaint counts once per track it is a candidate on).

The full sweep runs as beat runs it, a transaction per batch, committed; afterwards the rows it
wrote are deleted and the levels it raised put back (untimed), so the benchmark leaves the seed
as it found it and is repeatable. The two bare measures are rolled back.

    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/aduan_bench \\
        .venv/bin/python -m bench.bench_sweep
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any

SWEPT_TABLES = (
    "complaints_complaint",
    "complaints_escalation",
    "complaints_complaintevent",
    "complaints_notification",
)


class _Rollback(Exception):
    pass


def _bare(now) -> tuple[float, int]:
    from django.db import connection

    from complaints import sweeps

    params = sweeps.sla_sweep_params(sweeps.SweepPlan.build(now=now))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(sweeps.SLA_DUE_SQL, params)
        rows = cursor.fetchall()
    return time.perf_counter() - started, len(rows)


def _timed_rollback(now, sql: str) -> float:
    """Seconds one statement over the sweep's parameters takes, foreign keys checked as rows
    are written; rolled back."""
    from django.db import connection, transaction

    from complaints import sweeps

    params = sweeps.sla_sweep_params(sweeps.SweepPlan.build(now=now))
    elapsed = 0.0
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            started = time.perf_counter()
            cursor.execute(sql, params)
            elapsed = time.perf_counter() - started
            raise _Rollback
    except _Rollback:
        pass
    return elapsed


def _rows_only(now) -> float:
    """The bare SQL plus one INSERT of the escalation rows it selects, in one statement, and
    nothing else (no level update, timeline event or message): the least any sweep that
    records each step as a row can cost."""
    from complaints import sweeps

    return _timed_rollback(
        now,
        "INSERT INTO complaints_escalation"
        " (complaint_id, clock, cycle, level, name, due_at, created_at)"
        " SELECT id, clock, 0, level, '', %(now)s, %(now)s FROM ("
        + sweeps.SLA_DUE_SQL
        + ") AS due",
    )


# Every row the sweep must write, in one statement fed by the bare SQL: the escalation rows,
# one timeline event each and the levels raised (one UPDATE per complaint for all three
# tracks). The outbox rows (a few thousand digests) are left out. No batches, no Python, no
# per-track transactions: what no implementation of the sweep can beat on this data.
_ALL_WRITES_SQL = """
, esc AS (
    INSERT INTO complaints_escalation
        (complaint_id, clock, cycle, level, name, due_at, created_at)
    SELECT id, clock, 0, level, '', due_at, %(now)s FROM pairs
    RETURNING id, complaint_id, clock, level
), ev AS (
    INSERT INTO complaints_complaintevent
        (complaint_id, type, actor_id, actor_label, from_status, to_status, is_public, body,
         data, created_at)
    SELECT complaint_id, 'escalated', NULL, 'system', '', '', false, '',
           jsonb_build_object('clock', clock, 'level', level, 'escalation', id), %(now)s
    FROM esc
), top AS (
    SELECT id, max(level) FILTER (WHERE track = 0) AS l0,
           max(level) FILTER (WHERE track = 1) AS l1, max(level) FILTER (WHERE track = 2) AS l2
    FROM pairs GROUP BY id
), raised AS (
    UPDATE complaints_complaint c
    SET escalation_level = greatest(c.escalation_level, coalesce(top.l0, 0)),
        resolution_escalation_level = greatest(c.resolution_escalation_level, coalesce(top.l1, 0)),
        ceiling_escalation_level = greatest(c.ceiling_escalation_level, coalesce(top.l2, 0))
    FROM top WHERE c.id = top.id
    RETURNING c.id
)
SELECT (SELECT count(*) FROM esc), (SELECT count(*) FROM raised)
"""


def _all_writes(now) -> float:
    """The bare SQL feeding every write the sweep must make (_ALL_WRITES_SQL)."""
    from complaints import sweeps

    return _timed_rollback(now, sweeps.SLA_DUE_CTES + _ALL_WRITES_SQL)


LEVELS = ("escalation_level", "resolution_escalation_level", "ceiling_escalation_level")
WRITTEN_TABLES = ("complaints_notification", "complaints_complaintevent", "complaints_escalation")


def _snapshot() -> dict[str, int]:
    """What a committed sweep changes, to put back after it: the highest id of each table it
    appends to, and every complaint's levels (in a temporary table)."""
    from django.db import connection

    with connection.cursor() as cursor:
        marks = {}
        for table in WRITTEN_TABLES:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            marks[table] = cursor.fetchone()[0]
        cursor.execute("DROP TABLE IF EXISTS bench_levels")
        cursor.execute(
            f"CREATE TEMPORARY TABLE bench_levels AS SELECT id, {', '.join(LEVELS)}"
            " FROM complaints_complaint"
        )
    return marks


def _restore(marks: dict[str, int]) -> None:
    from django.db import connection, transaction

    changed = " OR ".join(f"c.{f} <> s.{f}" for f in LEVELS)
    with transaction.atomic(), connection.cursor() as cursor:
        for table in WRITTEN_TABLES:
            cursor.execute(f"DELETE FROM {table} WHERE id > %s", [marks[table]])
        cursor.execute(
            "UPDATE complaints_complaint c SET "
            + ", ".join(f"{f} = s.{f}" for f in LEVELS)
            + f" FROM bench_levels s WHERE c.id = s.id AND ({changed})"
        )


def _full(now) -> tuple[float, Any, int, float, float]:
    """One full sweep as beat runs it: every batch commits (foreign keys are checked at each
    commit), then the next tick with nothing new due. The seed is restored afterwards (rows
    written deleted, levels put back, tables vacuumed), untimed, so every run starts equal."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.seed import vacuum_analyze
    from complaints import sweeps

    marks = _snapshot()
    try:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            result = sweeps.sla_sweep(now=now)
            elapsed = time.perf_counter() - started
        queries = len(ctx.captured_queries)
        finding = sum(
            float(q["time"]) for q in ctx.captured_queries if sweeps.WINDOW_SQL_TAG in q["sql"]
        )
        # The next tick, with nothing new due: what every later sweep costs.
        started = time.perf_counter()
        again = sweeps.sla_sweep(now=now)
        steady = time.perf_counter() - started
        assert again.escalations == 0
    finally:
        _restore(marks)
        vacuum_analyze(*SWEPT_TABLES)
    return elapsed, result, queries, steady, finding


def _purge_kicks() -> None:
    """Each committed sweep queued one outbox pass on the broker; nobody consumes them here."""
    from config.celery import app

    app.control.purge()


def run(ctx=None) -> list[tuple[str, float, str]]:
    from django.utils import timezone

    from bench.seed import ensure_bench_data, vacuum_analyze

    ensure_bench_data(n_complaints=1_000_000, n_agencies=100, overdue_fraction=0.05)
    vacuum_analyze(*SWEPT_TABLES)
    now = timezone.now()

    bare_runs = [_bare(now) for _ in range(3)]
    bare = statistics.median(t for t, _n in bare_runs)
    due_pairs = bare_runs[0][1]
    rows_only = min(_rows_only(now) for _ in range(2))
    vacuum_analyze(*SWEPT_TABLES)
    all_writes = min(_all_writes(now) for _ in range(2))
    vacuum_analyze(*SWEPT_TABLES)

    full_runs = [_full(now) for _ in range(3)]
    # Same `now`, same data (each run rolled back): every run must write the same rows.
    assert len({r[1].escalations for r in full_runs}) == 1
    full, result, queries, steady, finding = min(full_runs, key=lambda r: r[0])
    assert result.escalations == due_pairs, (result.escalations, due_pairs)

    # The rolled-back runs leave dead row versions behind: clear them for the next benchmark.
    vacuum_analyze(*SWEPT_TABLES)
    _purge_kicks()
    return [
        ("sweep_full_seconds", round(full, 3), "s"),
        ("sweep_bare_sql_seconds", round(bare, 3), "s"),
        ("sweep_ratio", round(full / bare, 2), "x"),
        ("sweep_escalation_rows_only_seconds", round(rows_only, 3), "s"),
        ("sweep_escalation_rows_only_ratio", round(rows_only / bare, 2), "x"),
        ("sweep_all_writes_one_statement_seconds", round(all_writes, 3), "s"),
        ("sweep_all_writes_one_statement_ratio", round(all_writes / bare, 2), "x"),
        ("sweep_finding_seconds", round(finding, 3), "s"),
        ("sweep_finding_ratio", round(finding / bare, 2), "x"),
        ("sweep_queries", queries, "queries"),
        ("sweep_steady_seconds", round(steady, 3), "s"),
        ("sweep_candidates_examined", result.examined, "rows"),
        ("sweep_escalations_written", result.escalations, "rows"),
        ("sweep_events_written", result.events, "rows"),
        ("sweep_messages_written", result.notifications, "rows"),
    ]


def main() -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.bench")
    import django

    django.setup()
    for name, value, unit in run():
        print(f"BENCH {name} {value} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
