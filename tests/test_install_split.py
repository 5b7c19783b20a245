"""`make run` installs what running needs; `make test` adds the dev extra (the test tool-chain
is most of a first start's download)."""

from __future__ import annotations

import subprocess
import tomllib

from tests.sqlite_harness import ROOT

DEV_TOOLS = ("pytest", "playwright", "axe-playwright-python", "ruff", "factory_boy", "polib")


def _dry_run(target: str) -> str:
    # -n prints the commands without running them; -B as on a fresh checkout.
    result = subprocess.run(
        ["make", "-n", "-B", target], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return result.stdout


def test_make_run_installs_only_the_runtime_dependencies():
    commands = _dry_run("run")
    assert "pip install --quiet -e .\n" in commands
    assert "[dev]" not in commands


def test_make_test_adds_the_dev_extra():
    assert 'pip install --quiet -e ".[dev]"' in _dry_run("test")


def test_the_runtime_dependencies_hold_no_test_tool():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    runtime = " ".join(project["dependencies"]).lower()
    assert not [tool for tool in DEV_TOOLS if tool in runtime]
    dev = " ".join(project["optional-dependencies"]["dev"]).lower()
    assert all(tool in dev for tool in DEV_TOOLS)
