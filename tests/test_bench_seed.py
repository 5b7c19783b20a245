"""The benchmark seed works on a fresh database (small scale, in a subprocess).

`make bench` seeds a million complaints with COPY and an explicit column list, so a model
column without a database default that the list forgets breaks only a fresh seed; this runs
the same code path on a throwaway database with a few hundred rows."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def fresh_database():
    name = f"aduan_bench_smoke_{uuid.uuid4().hex[:8]}"
    yield f"postgres://postgres@127.0.0.1:5432/{name}"
    conn = psycopg2.connect(dbname="postgres", user="postgres", host="127.0.0.1", port=5432)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    conn.close()


def test_bench_seed_fills_a_fresh_database(fresh_database):
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"},
        "BENCH_DATABASE_URL": fresh_database,
    }
    result = subprocess.run(
        [sys.executable, "-m", "bench.seed", "--complaints", "600", "--agencies", "3"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "n_complaints: 600" in result.stdout
    conn = psycopg2.connect(fresh_database)
    with conn.cursor() as cur:
        cur.execute("SELECT count(*), max(escalation_level) FROM complaints_complaint")
        assert cur.fetchone() == (600, 0)
    conn.close()
