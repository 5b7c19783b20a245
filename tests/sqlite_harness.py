"""Run a script against a fresh SQLite database in a subprocess: the embedded default that
`make run` uses, checked from a suite whose own database is PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MARKER = "RESULT:"


def run_on_sqlite(script: str, tmp_path: Path) -> Any:
    """Run `script` with Django on a new SQLite file under tmp_path, an in-memory broker and
    no email configuration; the script prints one line `RESULT:<json>`, returned decoded."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.pop("EMAIL_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    lines = [line for line in result.stdout.splitlines() if line.startswith(MARKER)]
    assert len(lines) == 1, result.stdout[-4000:] + result.stderr[-4000:]
    return json.loads(lines[0].removeprefix(MARKER))
