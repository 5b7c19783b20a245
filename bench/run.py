"""Benchmark runner: `python -m bench.run [--only NAME]`.

Each `bench/bench_<name>.py` exposes `run(ctx) -> list[tuple[str, float, str]]`
returning (metric name, value, unit). The runner uses a dedicated PostgreSQL
database, created if missing (BENCH_DATABASE_URL), migrates it with config.settings.bench, runs the
benchmarks, prints `BENCH <name> <value> <unit>` lines and merges the figures
into bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import pkgutil
import platform
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "RESULTS.md"
DEFAULT_DB_URL = "postgres://postgres@127.0.0.1:5432/aduan_bench"
HEADER = (
    "# Benchmark results\n\n"
    "Written by `make bench` (`python -m bench.run`); rows of benchmarks not run "
    "in the latest invocation are kept.\n\n"
    "| module | name | value | unit | date | machine |\n"
    "|---|---|---|---|---|---|\n"
)


@dataclass
class Context:
    """Handed to every bench module's run()."""

    module: str
    database_url: str
    machine: str
    extra: dict[str, Any] = field(default_factory=dict)


def discover() -> list[str]:
    return sorted(
        info.name.removeprefix("bench_")
        for info in pkgutil.iter_modules([str(BENCH_DIR)])
        if info.name.startswith("bench_")
    )


def machine_label() -> str:
    return f"{os.cpu_count()} cpu, Python {platform.python_version()}"


def ensure_database(url: str, *, fresh: bool) -> None:
    """Create the bench database if it is missing (or drop and recreate it with --fresh).
    Seeded data is kept between runs: seeding a million rows is the slow part."""
    import environ
    import psycopg2
    from psycopg2 import sql

    cfg = environ.Env.db_url_config(url)
    name = cfg["NAME"]
    conn = psycopg2.connect(
        dbname="postgres",
        user=cfg.get("USER") or "postgres",
        password=cfg.get("PASSWORD") or None,
        host=cfg.get("HOST") or "127.0.0.1",
        port=cfg.get("PORT") or 5432,
    )
    conn.autocommit = True
    try:
        with conn.cursor() as cur:
            if fresh:
                cur.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )
            cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cur.fetchone() is None:
                cur.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    finally:
        conn.close()


def read_rows() -> dict[tuple[str, str], list[str]]:
    rows: dict[tuple[str, str], list[str]] = {}
    if not RESULTS.exists():
        return rows
    for line in RESULTS.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 6 or cells[0] in {"module", ""} or set(cells[0]) <= {"-"}:
            continue
        rows[(cells[0], cells[1])] = cells
    return rows


def read_notes() -> str:
    """The notes under the table (from its first `## ` heading on), kept as they are."""
    if not RESULTS.exists():
        return ""
    text = RESULTS.read_text(encoding="utf-8")
    start = text.find("\n## ")
    return "" if start < 0 else text[start:]


def write_rows(rows: dict[tuple[str, str], list[str]]) -> None:
    body = "".join(f"| {' | '.join(rows[key])} |\n" for key in sorted(rows))
    RESULTS.write_text(HEADER + body + read_notes(), encoding="utf-8")


def format_value(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}".rstrip("0").rstrip(".") if abs(value) < 1e6 else f"{value:.0f}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Run Aduan benchmarks.")
    parser.add_argument("--only", help="run one module (name without the bench_ prefix)")
    parser.add_argument(
        "--fresh", action="store_true", help="drop and recreate the bench database first"
    )
    args = parser.parse_args(argv)

    names = discover()
    if args.only:
        if args.only.removeprefix("bench_") not in names:
            print(f"unknown benchmark {args.only!r}; available: {', '.join(names) or 'none'}")
            return 2
        names = [args.only.removeprefix("bench_")]
    if not names:
        print("No bench/bench_*.py modules found; nothing to run.")
        return 0

    db_url = os.environ.setdefault("BENCH_DATABASE_URL", DEFAULT_DB_URL)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    ensure_database(db_url, fresh=args.fresh)

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", "--noinput", verbosity=0)

    machine = machine_label()
    today = dt.datetime.now(tz=dt.UTC).date().isoformat()
    rows = read_rows()
    failed = False
    for name in names:
        module = importlib.import_module(f"bench.bench_{name}")
        ctx = Context(module=name, database_url=db_url, machine=machine)
        try:
            results = module.run(ctx)
        except Exception as exc:
            failed = True
            print(f"BENCH-FAILED {name} {type(exc).__name__}: {exc}", file=sys.stderr)
            continue
        # Drop this module's old rows so renamed metrics do not linger.
        rows = {key: row for key, row in rows.items() if key[0] != name}
        for metric, value, unit in results:
            print(f"BENCH {metric} {format_value(value)} {unit}", flush=True)
            rows[(name, metric)] = [name, metric, format_value(value), unit, today, machine]
    write_rows(rows)
    print(f"Results written to {RESULTS.relative_to(BENCH_DIR.parent)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
