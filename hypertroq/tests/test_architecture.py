"""The app layering, read from the source: who may import whom, no import cycles, no private names.

Every ``import`` statement of every first-party module counts, wherever it sits (module level,
inside a function, under ``if TYPE_CHECKING``): an import hidden in a function is still a
dependency, and one that only works because it runs late is a cycle dodged, not removed.

The layers (RULES.md, README "Architecture"); an app may import the apps listed for it and itself:

    hypertroq      settings and shared infrastructure: no domain app
    notifications  hypertroq
    accounts       notifications, hypertroq
    exercises      accounts and below
    programs       exercises and below
    coach          programs and below
    training       programs and below (not coach)
    body           training and below (not coach): reads the lifter's units through training
    preferences    training and below: the one preferences page (the row is accounts.UserPreferences)
    portability    body and below: "Download my data" reads every app

Apps that do not exist yet are in the table so that they are covered the day they land; a new
top-level app missing from the table fails ``test_every_app_is_in_the_layer_table``. Migrations
follow their app's layering. Tests sit above the code they test and set up state across apps (an
account's removal keeps its programs; the tenant-isolation walk covers every app), so the layering
and the private-name rule apply to application code, not to ``<app>/tests/``; cycles count
everywhere. The project-wide ``tests/`` (browser tests), ``bench/`` and ``conftest.py`` are not
walked.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BELOW: dict[str, frozenset[str]] = {}
_ORDER: list[tuple[str, set[str]]] = [
    ("hypertroq", set()),
    ("notifications", {"hypertroq"}),
    ("accounts", {"notifications"}),
    ("exercises", {"accounts"}),
    ("programs", {"exercises"}),
    ("coach", {"programs"}),
    ("training", {"programs"}),
    ("body", {"training"}),
    ("preferences", {"training"}),
    ("portability", {"body"}),
]
for _app, _direct in _ORDER:
    BELOW[_app] = frozenset(_direct.union(*(BELOW[d] for d in _direct)))
APPS = frozenset(BELOW)
# Top-level folders that are not Django apps and sit outside the layering.
NOT_APPS = frozenset({"tests", "bench", "docker", "static", "templates", "staticfiles", "var"})


@dataclass(frozen=True)
class Import:
    source: str  # the importing module, dotted
    target: str  # the imported first-party module, dotted
    names: tuple[str, ...]  # names taken from it by ``from target import ...``
    line: int

    def where(self) -> str:
        return f"{self.source}:{self.line}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every first-party module (the apps of the table that exist), migrations included."""
    found = {}
    for app in sorted(APPS):
        if (ROOT / app).is_dir():
            for path in sorted((ROOT / app).rglob("*.py")):
                found[_module_name(path)] = path
    return found


def _is_package(module: str) -> bool:
    return modules()[module].name == "__init__.py"


def _resolve(source: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = source if _is_package(source) else source.rpartition(".")[0]
    for _ in range(node.level - 1):
        package = package.rpartition(".")[0]
    return f"{package}.{node.module}" if node.module else package


@cache
def imports_of(source: str) -> tuple[Import, ...]:
    """First-party imports of ``source``; ``from pkg import mod`` counts as importing ``pkg.mod``."""
    tree = ast.parse(modules()[source].read_text(), filename=str(modules()[source]))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in APPS:
                    found.append(Import(source, alias.name, (), node.lineno))
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(source, node)
            if target.split(".")[0] not in APPS:
                continue
            names = []
            for alias in node.names:
                if f"{target}.{alias.name}" in modules():
                    found.append(Import(source, f"{target}.{alias.name}", (), node.lineno))
                else:
                    names.append(alias.name)
            if names or target not in modules():
                found.append(Import(source, target, tuple(names), node.lineno))
    return tuple(found)


def all_imports() -> Iterator[Import]:
    for source in modules():
        yield from imports_of(source)


def _is_test(module: str) -> bool:
    return ".tests." in f"{module}."


def layering_violations() -> list[str]:
    problems = []
    for imp in all_imports():
        if _is_test(imp.source):
            continue
        source_app, target_app = imp.source.split(".")[0], imp.target.split(".")[0]
        if target_app == source_app or target_app in BELOW[source_app]:
            continue
        problems.append(f"{imp.where()} imports {imp.target} ({source_app} may not import {target_app})")
    return problems


def import_cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    graph: dict[str, set[str]] = {m: set() for m in modules()}
    for imp in all_imports():
        if imp.target in modules() and imp.target != imp.source:
            graph[imp.source].add(imp.target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        # Iterative Tarjan: the import graph is deep enough to make recursion fragile.
        work = [(node, iter(sorted(graph[node])))]
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        while work:
            current, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[current] = min(low[current], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[current])
                if low[current] == index[current]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == current:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return sorted(components)


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def private_name_imports() -> list[str]:
    """``from other import _name``, ``other._name`` on an imported module, or a ``_module`` from
    outside its package. Tests may reach into the module they test; production code may not."""
    problems = []
    for source, path in modules().items():
        if _is_test(source) or ".migrations." in f"{source}.":
            continue
        bound: dict[str, str] = {}
        for imp in imports_of(source):
            if imp.target == source:
                continue
            leaf = imp.target.rpartition(".")[2]
            if _private(leaf) and not source.startswith(imp.target.rpartition(".")[0] + "."):
                problems.append(f"{imp.where()} imports the private module {imp.target}")
            problems.extend(
                f"{imp.where()} imports {imp.target}.{name}" for name in imp.names if _private(name)
            )
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.split(".")[0] in APPS and alias.asname:
                        bound[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(source, node)
                for alias in node.names:
                    if f"{target}.{alias.name}" in modules():
                        bound[alias.asname or alias.name] = f"{target}.{alias.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in bound
                and bound[node.value.id] != source
                and _private(node.attr)
            ):
                problems.append(f"{source}:{node.lineno} uses {bound[node.value.id]}.{node.attr}")
    return sorted(set(problems))


def integration_imports() -> list[str]:
    """What modules under an ``integrations/`` package import that they must not: the ORM
    (``django.db``, any ``models``) or first-party code outside their own ``integrations``."""
    problems = []
    for source, path in modules().items():
        if ".integrations." not in f"{source}." or _is_test(source):
            continue
        package = source[: source.index(".integrations") + len(".integrations")]
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(source, node)
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            for target in targets:
                orm = target == "django.db" or target.startswith("django.db.") or target.endswith(".models")
                outside = target.split(".")[0] in APPS and not (target + ".").startswith(package + ".")
                if orm or outside:
                    problems.append(f"{source}:{node.lineno} imports {target}")
    return sorted(set(problems))


# --- The tests -----------------------------------------------------------------------------------


def test_every_app_is_in_the_layer_table():
    apps = {path.parent.name for path in ROOT.glob("*/apps.py")}
    assert apps - APPS == set(), "add the new app to the layer table in this module and to RULES.md"
    packages = {p.name for p in ROOT.iterdir() if (p / "__init__.py").is_file()}
    assert packages - APPS - NOT_APPS == set(), "a first-party package outside the layering"


def test_the_walk_sees_the_imports_it_judges():
    """The checks below would pass vacuously if the walk found nothing."""
    found = {(imp.source, imp.target) for imp in all_imports()}
    assert ("exercises.services", "accounts.quota") in found
    assert len(modules()) > 100
    assert len(found) > 300


def test_apps_import_only_the_layers_below_them():
    assert layering_violations() == []


def test_no_import_cycles_between_modules():
    assert import_cycles() == []


def test_no_module_imports_another_modules_private_names():
    assert private_name_imports() == []


def test_integrations_have_no_orm_and_no_domain_imports():
    assert [m for m in modules() if ".integrations." in f"{m}."], "the walk found no integration module"
    assert integration_imports() == []


def test_the_checks_catch_what_they_forbid(tmp_path, monkeypatch):
    """Planted faults: an upward import inside a function, a two-module cycle, a private name."""
    planted = {
        "accounts.planted_up": "def f():\n    from programs.models import Program\n    return Program\n",
        "exercises.planted_a": "from exercises import planted_b\n",
        "exercises.planted_b": "def g():\n    from exercises.planted_a import _secret\n    return _secret\n",
        "exercises.integrations.planted": "def h():\n    from django.db import models\n    return models\n",
    }
    real = dict(modules())
    fake = dict(real)
    for name, text in planted.items():
        path = tmp_path / (name.replace(".", "_") + ".py")
        path.write_text(text)
        fake[name] = path
    monkeypatch.setattr(__import__(__name__, fromlist=["modules"]), "modules", lambda: fake)
    imports_of.cache_clear()
    try:
        assert any(
            p.startswith("accounts.planted_up:2 imports programs.models") for p in layering_violations()
        )
        assert ["exercises.planted_a", "exercises.planted_b"] in import_cycles()
        assert "exercises.planted_b:2 imports exercises.planted_a._secret" in private_name_imports()
        assert "exercises.integrations.planted:2 imports django.db" in integration_imports()
    finally:
        imports_of.cache_clear()
