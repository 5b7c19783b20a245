"""The shape of focal_points: it writes a complaint's timeline only through complaints' core
service (`complaints.services.core.event_build`/`event_append`/`events_append`), never by
making ComplaintEvent rows itself, and its services package imports without a circle.

Reads of ComplaintEvent (the scorecard rollup's holds) stay allowed; migrations are left out.
A related manager (`complaint.events.create(...)`) is not told apart from CorrectiveAction's
own `action.events`, which has the same name: the check reads code, not types."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
APP = ROOT / "focal_points"
# Manager, queryset and model methods that write rows: on ComplaintEvent, any of them here is
# wrong (appends go through complaints.services.core, and nothing changes a written entry).
WRITES = frozenset(
    {"create", "bulk_create", "get_or_create", "update_or_create", "update", "bulk_update"}
    | {"delete", "save"}
)
RAW_WRITE = re.compile(
    r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY)\s+\"?complaints_complaintevent\b", re.I
)


def _sources(app: Path = APP):
    for path in sorted(app.rglob("*.py")):
        if "migrations" not in path.parts:
            yield path


def _chain(node: ast.AST) -> set[str]:
    """The names along a call chain: `ComplaintEvent.objects.filter(x).update` gives
    ComplaintEvent, objects, filter (the arguments are other chains)."""
    names: set[str] = set()
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Attribute):
            names.add(node.attr)
            node = node.value
        else:
            if isinstance(node, ast.Name):
                names.add(node.id)
            return names


def complaint_event_writes(source: str) -> list[tuple[int, str]]:
    """(line, what) for each place the source makes or changes ComplaintEvent rows itself."""
    tree = ast.parse(source)
    names = {"ComplaintEvent"} | {
        alias.asname
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
        if alias.name == "ComplaintEvent" and alias.asname
    }
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        called = getattr(func, "id", None) or getattr(func, "attr", None)
        if called in names:
            found.append((node.lineno, "builds a ComplaintEvent"))
        elif called in WRITES and isinstance(func, ast.Attribute) and names & _chain(func.value):
            found.append((node.lineno, f"calls ComplaintEvent….{called}()"))
    for match in RAW_WRITE.finditer(source):
        found.append((source.count("\n", 0, match.start()) + 1, "writes it in SQL"))
    return sorted(found)


def test_focal_points_writes_complaint_timelines_only_through_complaints_services():
    wrong = [
        f"{path.relative_to(ROOT)}:{line} {what}"
        for path in _sources()
        for line, what in complaint_event_writes(path.read_text())
    ]
    assert wrong == []


def test_the_check_sees_every_way_of_writing_the_rows():
    # given the ways focal_points used to write the timeline, and others
    source = """
from complaints.models import ComplaintEvent
from complaints.models import ComplaintEvent as Entry
from complaints import models

ComplaintEvent.objects.create(complaint_id=1, type="x")
ComplaintEvent.objects.bulk_create([ComplaintEvent(complaint=c) for c in cs])
Entry.objects.bulk_create([])
models.ComplaintEvent(complaint=c).save()
ComplaintEvent.objects.filter(pk=1).update(body="")
ComplaintEvent._default_manager.get_or_create(pk=1)
cursor.execute("INSERT INTO complaints_complaintevent (type) VALUES ('x')")
"""
    # then each is named, on its line
    lines = [line for line, _what in complaint_event_writes(source)]
    # (a list of built rows is two findings, as is building and saving one)
    assert lines == [6, 7, 7, 8, 9, 9, 10, 11, 12]


def test_the_check_leaves_reads_and_the_core_service_alone():
    # given reads, the core service's appends and another model's related manager
    source = """
from complaints.models import ComplaintEvent
from complaints.services.core import event_append, event_build, events_append

ComplaintEvent.objects.filter(type="nudged").values_list("complaint_id", flat=True)
ComplaintEvent.objects.filter(complaint__in=changed.values("pk")).order_by("pk")
events_append(event_build(c, "nudged", actor=None) for c in cs)
event_append(c, "corrective_action", actor=None)
action.events.create(type="issued")
"""
    # then nothing is named
    assert complaint_event_writes(source) == []


def _services_graph() -> dict[str, set[str]]:
    """Imports between the modules of focal_points.services, lazy ones too. The package's
    __init__ only re-exports them, so it is left out; a module importing the package itself
    (which imports every module) is an edge to "focal_points.services"."""
    package = APP / "services"
    modules = {f"focal_points.services.{p.stem}" for p in package.glob("*.py")}
    modules = (modules - {"focal_points.services.__init__"}) | {"focal_points.services"}
    graph: dict[str, set[str]] = {}
    for path in sorted(package.glob("*.py")):
        if path.stem == "__init__":
            continue
        name = f"focal_points.services.{path.stem}"
        graph[name] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = {node.module} | {f"{node.module}.{a.name}" for a in node.names}
            elif isinstance(node, ast.Import):
                targets = {a.name for a in node.names}
            else:
                continue
            graph[name] |= (targets & modules) - {name}
    return graph


def _circles(graph: dict[str, set[str]]) -> list[str]:
    def reaches(start: str, node: str, seen: frozenset[str]) -> bool:
        for nxt in graph.get(node, ()):
            if nxt == start or (nxt not in seen and reaches(start, nxt, seen | {nxt})):
                return True
        return False

    return sorted(name for name in graph if reaches(name, name, frozenset({name})))


def test_no_import_circle_inside_the_services_package():
    graph = _services_graph()
    assert "focal_points.services.core" in graph
    into_package = sorted(name for name, edges in graph.items() if "focal_points.services" in edges)
    assert into_package == []
    assert _circles(graph) == []


def test_the_circle_check_sees_a_circle(tmp_path, monkeypatch):
    # given a core that lazily imports a module that imports it
    package = tmp_path / "focal_points" / "services"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("from focal_points.services.core import *\n")
    (package / "core.py").write_text("def f():\n    from focal_points.services import nudges\n")
    (package / "nudges.py").write_text("from focal_points.services.core import f\n")
    (package / "digests.py").write_text("from focal_points.services.core import f\n")
    monkeypatch.setattr(sys.modules[__name__], "APP", tmp_path / "focal_points")
    # then both modules of the circle are named, and the one importing into it is not
    assert _circles(_services_graph()) == [
        "focal_points.services.core",
        "focal_points.services.nudges",
    ]


def _string_constants(app: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for path in _sources(app):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.setdefault(node.value, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_complaints_names_no_word_of_oversight():
    """Oversight's timeline entries and message kinds are focal_points' own vocabulary,
    registered with complaints when the app is ready (focal_points.vocabulary)."""
    from complaints.models import EventType, Notification
    from focal_points.vocabulary import OversightEvent, OversightMessage

    ours = set(OversightEvent.values) | set(OversightMessage.values)
    assert not ours & set(EventType.values)
    assert not ours & set(Notification.Kind.values)
    # "digest" is also the escalation mail's own word for its list of complaints
    named = _string_constants(ROOT / "complaints")
    assert {word: named[word] for word in ours - {"digest"} if word in named} == {}


def test_the_registered_vocabulary_reads_as_before():
    from complaints.models import ComplaintEvent, Notification
    from focal_points.vocabulary import OversightEvent, OversightMessage

    event = ComplaintEvent(type=OversightEvent.NUDGED)
    message = Notification(kind=OversightMessage.CORRECTIVE_ACTION_ISSUED)
    assert str(event.get_type_display()) == str(OversightEvent.NUDGED.label)
    assert str(message.get_kind_display()) == str(OversightMessage.CORRECTIVE_ACTION_ISSUED.label)
