"""Private services for the fault tests: a throwaway Redis, a throwaway PostgreSQL cluster and
real Celery worker processes, all started here and killed here, so that stopping or killing
them never disturbs the machine's shared servers.

Every wait has a deadline; every process is killed (by its own process group id) at teardown.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate: Callable[[], object], *, timeout: float, what: str, every=0.2):
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(every)


def _kill_group(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=10)


# ---------------------------------------------------------------------------------------------
# Redis


@dataclass
class PrivateRedis:
    port: int
    proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/4"

    def ping(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> None:
        self.proc = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        wait_for(self.ping, timeout=10, what="private redis")

    def stop(self) -> None:
        if self.proc is not None:
            _kill_group(self.proc)
            self.proc = None
        wait_for(lambda: not self.ping(), timeout=10, what="private redis to stop")


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis(port=free_port())
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


@contextlib.contextmanager
def publishing_to(url: str) -> Iterator[None]:
    """Make this process's Celery app publish to `url` (connection pools reset)."""
    from config.celery import app

    def reset() -> None:
        app._pool = None
        app.amqp._producer_pool = None

    # Celery reads the broker URL once; every publish goes through connection_for_write.
    real = type(app).connection_for_write

    def connection_for_write(url=None, **kwargs):
        return real(app, url or private_url, **kwargs)

    private_url = url
    reset()
    app.connection_for_write = connection_for_write
    try:
        yield
    finally:
        del app.connection_for_write
        reset()


# ---------------------------------------------------------------------------------------------
# PostgreSQL


def _as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    # initdb and postgres refuse to run as root: run them as the postgres system user.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, timeout=120, **kwargs)


@dataclass
class PrivatePostgres:
    port: int
    data: Path
    socket_dir: Path
    name: str = "aduan_faults"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{self.name}"

    def ctl(self, *args: str) -> None:
        _as_postgres(
            [
                str(PG_BIN / "pg_ctl"),
                "-D",
                str(self.data),
                "-w",
                "-t",
                "60",
                "-l",
                str(self.data / "server.log"),
                "-o",
                f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1 -c fsync=off",
                *args,
            ]
        )

    def connect(self, dbname: str | None = None):
        import psycopg2

        conn = psycopg2.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname=dbname or self.name
        )
        conn.autocommit = True
        return conn


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    base = Path(tempfile.mkdtemp(prefix="aduan-faults-pg-"))
    data, sockets = base / "data", base / "sock"
    sockets.mkdir()
    if os.geteuid() == 0:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    pg = PrivatePostgres(port=free_port(), data=data, socket_dir=sockets)
    _as_postgres([str(PG_BIN / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust"])
    pg.ctl("start")
    try:
        conn = pg.connect("postgres")
        conn.cursor().execute(f"CREATE DATABASE {pg.name}")
        conn.close()
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": pg.url,
        }
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=300,
            capture_output=True,
        )
        yield pg
    finally:
        with contextlib.suppress(Exception):
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"])
        shutil.rmtree(base, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# Celery workers


@dataclass
class Worker:
    proc: subprocess.Popen
    log: Path
    mail_dir: Path
    name: str

    def text(self) -> str:
        return self.log.read_text(errors="replace")

    def children(self) -> list[int]:
        found = []
        for task in Path(f"/proc/{self.proc.pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
        return found

    def kill(self) -> None:
        _kill_group(self.proc)

    def emails(self) -> list[str]:
        """Every message the worker sent (the file backend writes them separated by a line
        of dashes)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            messages += [m for m in path.read_text().split("-" * 79) if m.strip()]
        return messages


@pytest.fixture
def start_worker(tmp_path) -> Iterator[Callable[..., Worker]]:
    started: list[Worker] = []

    def start(
        *,
        broker_url: str,
        database_url: str,
        concurrency: int = 1,
        fake_now: str | None = None,
        mail_dir: Path | None = None,
    ) -> Worker:
        name = f"faults-{uuid.uuid4().hex[:8]}"
        log = tmp_path / f"{name}.log"
        mail = mail_dir or tmp_path / "mail"
        mail.mkdir(exist_ok=True)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.faults.worker_settings",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": broker_url,
            "FAULTS_EMAIL_DIR": str(mail),
            "PYTHONUNBUFFERED": "1",
        }
        args = [
            "-A",
            "config",
            "worker",
            "--pool=prefork",
            "-c",
            str(concurrency),
            "-l",
            "info",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
        ]
        if fake_now:
            env["FAULTS_FAKE_NOW"] = fake_now
            command = [sys.executable, "-m", "tests.faults.worker_main", *args]
        else:
            command = [str(VENV_BIN / "celery"), *args]
        with log.open("w") as out:
            proc = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        worker = Worker(proc=proc, log=log, mail_dir=mail, name=name)
        started.append(worker)
        wait_for(
            lambda: " ready." in worker.text() or proc.poll() is not None,
            timeout=60,
            what="the celery worker to start",
        )
        assert proc.poll() is None, worker.text()
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.kill()


@pytest.fixture
def test_database_url(transactional_db) -> str:
    """The URL of pytest-django's test database, for workers to share it."""
    from django.db import connection

    s = connection.settings_dict
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
