"""The layers in the package's folders: imports point down only (web -> storage -> core), the
storage imports no web package, and no module imports another that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "screening"
# What each layer may import from the package, besides itself.
ALLOWED = {
    "core": set(),
    "storage": {"core"},
    "cli": {"core", "storage", "settings"},
    "web": {"core", "storage", "settings"},
    "settings": {"core"},  # core.files: the secret key is a private file
    "__init__": {"settings", "cli", "web"},
}
WEB_PACKAGES = {"flask", "flask_login", "flask_wtf", "wtforms", "jinja2", "flask_limiter"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every module this file imports, top-level or inside functions, as absolute names."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module or ""
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def layer(name: str) -> str:
    parts = name.split(".")
    return "__init__" if len(parts) == 1 else parts[1]


def internal(name: str, names: set[str]) -> set[str]:
    """The package's own modules among imported names (a name may be a module or an attribute)."""
    return {n for n in names if n in MODULES and n != name}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_point_down_only(name):
    mine = layer(name)
    for target in internal(name, imports(MODULES[name])):
        assert layer(target) in ALLOWED[mine] | {mine}, f"{name} imports {target}"


@pytest.mark.parametrize("name", sorted(n for n in MODULES if layer(n) in ("core", "storage")))
def test_core_and_storage_import_no_web_package(name):
    external = {n.split(".")[0] for n in imports(MODULES[name])}
    assert not external & WEB_PACKAGES, name


def test_there_are_no_import_cycles():
    graph = {name: internal(name, imports(path)) for name, path in MODULES.items()}
    # A package's __init__ is imported by its modules' own imports: leave those edges out.
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state: dict[str, str] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = "open"
        for target in sorted(graph[node]):
            if state.get(target) == "open":
                cycle = [*trail[trail.index(target) :], target] if target in trail else [target]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if target not in state:
                visit(target, [*trail, target])
        state[node] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])


def test_the_layers_are_found():
    assert {"core", "storage", "web", "cli"} <= {layer(n) for n in MODULES}
    assert "screening.core.bank" in MODULES and "screening.web.check" in MODULES
