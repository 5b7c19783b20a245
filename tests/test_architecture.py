"""DESIGN §9: imports point one way, between the apps
(common <- accounts <- complaints <- reporting <- focal_points) and inside complaints
(models -> clock -> access, policy -> actions -> outbox -> selectors -> services -> jobs -> tasks
-> the interfaces).

Every import statement counts, the ones inside functions too (a lazy import is still a
dependency); migrations are left out (Django orders them by their declared dependencies)."""

from __future__ import annotations

import ast
import re
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("common", "accounts", "complaints", "reporting", "focal_points")

# The inner plan of complaints: a module may import the ranks below its own, and its own
# sub-package (services.filing may import services.core); peers of one rank (access and
# policy; the interfaces) never import each other.
RANKS = {
    "models": 0,
    "clock": 1,
    "uploads": 1,
    "access": 2,
    "policy": 2,
    "actions": 3,
    "outbox": 4,
    "selectors": 5,
    "services": 6,
    "jobs": 7,
    "tasks": 8,
    # interfaces: validate, read through selectors/access/actions, call one service, render
    "views": 9,
    "templatetags": 9,
    "urls": 9,
    "staff_urls": 9,
    "api": 9,
    "open311": 9,
    "lapor": 9,
    "intake": 9,
    "admin": 9,
    "management": 9,
    # start-up wiring: registers the tasks and the services' outbox resolvers
    "apps": 10,
}
# The pages' own helpers belong to the views interface.
UNIT = {"templatetags": "views", "urls": "views", "staff_urls": "views"}
# Old import paths kept while callers move (issue: the move changes no import that works);
# they only re-export, and no application module may import them.
COMPAT = {
    "clock_display",
    "delivery",
    "drafts",
    "forms_public",
    "forms_staff",
    "notifications",
    "queue",
    "selectors_public",
    "sweeps",
    "sweeps_portable",
}


# The same inside the views: the pages are split by page and journey.
COMPAT_VIEWS = {"complaints.views.staff", "complaints.views.public", "complaints.views.follow"}


def _imports(path: Path) -> list[tuple[str, int, list[str]]]:
    """(module, line, imported names) of every absolute import in the file."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(alias.name, node.lineno, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [alias.name for alias in node.names]
            found.append((node.module, node.lineno, names))
            # `from complaints import services` imports the module complaints.services
            found += [(f"{node.module}.{n}", node.lineno, []) for n in names]
    return found


def _imported_apps(path: Path) -> set[tuple[str, int]]:
    return {
        (module.split(".")[0], line)
        for module, line, _names in _imports(path)
        if module.split(".")[0] in LAYERS and "." not in module.split(".", 1)[0]
    }


def _app_files(app: str):
    for path in sorted((ROOT / app).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


@pytest.mark.parametrize("app", LAYERS)
def test_an_app_imports_only_the_apps_below_it(app):
    allowed = set(LAYERS[: LAYERS.index(app) + 1])
    wrong = []
    for path in _app_files(app):
        for imported, line in sorted(_imported_apps(path)):
            if imported not in allowed:
                wrong.append(f"{path.relative_to(ROOT)}:{line} imports {imported}")
    assert wrong == []


def test_the_check_sees_lazy_imports(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from focal_points.models import X\n")
    assert _imported_apps(module) == {("focal_points", 2)}


def _part(dotted: str) -> str | None:
    """The first part below `complaints.` of a dotted module name."""
    parts = dotted.split(".")
    return parts[1] if parts[0] == "complaints" and len(parts) > 1 else None


def _module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _complaints_modules() -> dict[str, Path]:
    return {_module_name(p): p for p in _app_files("complaints")}


def _is_module(dotted: str, modules: dict[str, Path]) -> bool:
    return dotted in modules


def _complaints_edges() -> list[tuple[str, str, int]]:
    """(importer, imported module, line) inside complaints, for modules that exist."""
    modules = _complaints_modules()
    edges = []
    for name, path in modules.items():
        for imported, line, _names in _imports(path):
            if _is_module(imported, modules) and imported != name:
                edges.append((name, imported, line))
    return edges


def test_every_complaints_module_has_a_rank():
    unranked = sorted(
        name
        for name in _complaints_modules()
        if name != "complaints" and _part(name) not in RANKS and _part(name) not in COMPAT
    )
    assert unranked == []


def test_imports_inside_complaints_point_down():
    wrong = []
    for importer, imported, line in _complaints_edges():
        a, b = _part(importer), _part(imported)
        if a is None or a in COMPAT or importer in COMPAT_VIEWS:
            continue
        if b is None:  # `from complaints import x` adds the edge to complaints.x itself
            continue
        if b in COMPAT or imported in COMPAT_VIEWS:
            wrong.append(f"{importer}:{line} imports the old path {imported}")
            continue
        if a == b or UNIT.get(a, a) == UNIT.get(b, b):
            continue
        if not RANKS[b] < RANKS[a] or (RANKS[a] == RANKS["views"] == RANKS[b]):
            wrong.append(f"{importer}:{line} imports {imported}")
    assert wrong == []


def test_no_import_circle_inside_complaints():
    graph = defaultdict(set)
    for importer, imported, _line in _complaints_edges():
        if {_part(importer), _part(imported)} & COMPAT or {importer, imported} & COMPAT_VIEWS:
            continue
        # a package's __init__ re-exporting its modules is not a circle with them
        if imported.startswith(importer + "."):
            continue
        graph[importer].add(imported)
    circles = []
    state: dict[str, int] = {}

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                circles.append(" -> ".join([*stack[stack.index(nxt) :], nxt]))
            elif nxt not in state:
                visit(nxt, [*stack, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    assert circles == []


def test_no_private_name_crosses_a_module_boundary():
    wrong = []
    for app in ("complaints", "focal_points", "reporting"):
        for path in _app_files(app):
            package = _module_name(path).rsplit(".", 1)[0]
            for module, line, names in _imports(path):
                if module.split(".")[0] not in LAYERS or module == package:
                    continue  # a package's private helper module, imported beside it
                for n in names:
                    if n.startswith("_"):
                        wrong.append(f"{path.relative_to(ROOT)}:{line} imports {module}.{n}")
    assert wrong == []


def test_old_import_paths_only_re_export():
    """The compatibility modules hold no code of their own: imports and nothing else."""
    paths = [ROOT / "complaints" / f"{name}.py" for name in COMPAT]
    paths += [ROOT / (name.replace(".", "/") + ".py") for name in COMPAT_VIEWS]
    for name in paths:
        tree = ast.parse(name.read_text())
        body = [n for n in tree.body if not isinstance(n, ast.Expr)]  # the docstring
        assert all(isinstance(n, ast.ImportFrom) for n in body), name


def test_the_check_sees_an_upward_import(tmp_path, monkeypatch):
    # given a selector that imports a service
    fake = tmp_path / "complaints" / "selectors"
    fake.mkdir(parents=True)
    (tmp_path / "complaints" / "services").mkdir()
    (tmp_path / "complaints" / "services" / "core.py").write_text("")
    (fake / "scope.py").write_text("def f():\n    from complaints.services.core import x\n")
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    # then the rule names it
    with pytest.raises(AssertionError, match=re.escape("complaints.selectors.scope:2 imports")):
        test_imports_inside_complaints_point_down()


WRITES = {"create", "bulk_create", "get_or_create", "update_or_create", "update", "delete"}
# Reads and interfaces: whatever they change goes through a service (or a job).
READ_ONLY = ("access", "policy", "actions", "selectors", "views", "templatetags")


def _writes(path: Path) -> list[int]:
    """Lines that save a model or write through a manager (`X.objects…create/update/delete`)."""
    lines = []
    for node in ast.walk(ast.parse(path.read_text())):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        name = node.func.attr
        chain = ast.unparse(node.func.value)
        if (name in ("save", "bulk_update") and "session" not in chain) or (
            name in WRITES and ".objects" in f".{chain}"
        ):
            lines.append(node.lineno)
    return lines


def test_only_services_and_jobs_write():
    wrong = []
    for app in ("complaints", "focal_points"):
        for path in _app_files(app):
            rel = path.relative_to(ROOT / app)
            if rel.parts[0].removesuffix(".py") not in READ_ONLY:
                continue
            wrong += [f"{path.relative_to(ROOT)}:{line}" for line in _writes(path)]
    assert wrong == []


def test_the_write_check_sees_a_manager_write(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("def f(c):\n    Complaint.objects.filter(pk=1).update(x=1)\n    c.save()\n")
    assert _writes(module) == [2, 3]
