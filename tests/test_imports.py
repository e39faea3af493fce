"""The import graph of assistant/, actions/ and devtools/, read from the source (imports at
module level and inside functions; not those under `if TYPE_CHECKING:`): no cycles, and the
runtime never imports the development tooling or the tests."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("assistant", "actions", "devtools")
RUNTIME = ("assistant", "actions")
NOT_RUNTIME = ("devtools", "tests")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_modules(packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    return {
        module_name(path): path
        for package in packages
        for path in sorted((ROOT / package).rglob("*.py"))
    }


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _import_nodes(nodes: Iterable[ast.AST]) -> Iterator[ast.Import | ast.ImportFrom]:
    for node in nodes:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If) and _is_type_checking(node):
            yield from _import_nodes(node.orelse)
        else:
            yield from _import_nodes(ast.iter_child_nodes(node))


def imported_names(module: str, path: Path) -> set[str]:
    """Every dotted name `module` imports, with relative imports made absolute and
    `from package import name` giving both `package` and `package.name`."""
    is_package = path.name == "__init__.py"
    names: set[str] = set()
    for node in _import_nodes(ast.parse(path.read_text(), str(path)).body):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
            continue
        base = node.module or ""
        if node.level:
            anchor = module.split(".")
            anchor = anchor[: len(anchor) - node.level + (1 if is_package else 0)]
            base = ".".join([*anchor, base] if base else anchor)
        names.add(base)
        names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """module -> the modules of `modules` it imports (the longest known prefix of each name)."""
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        targets = set()
        for name in imported_names(module, path):
            parts = name.split(".")
            while parts and ".".join(parts) not in modules:
                parts.pop()
            if parts and ".".join(parts) != module:
                targets.add(".".join(parts))
        graph[module] = targets
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """The groups of two or more modules that import each other (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[set[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                group.add(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def a_cycle(graph: dict[str, set[str]], group: set[str]) -> list[str]:
    """One concrete cycle through the group, as a path that ends where it starts."""
    start = min(group)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        node = frontier.pop(0)
        for target in sorted(graph[node] & group):
            if target == start:
                return [*paths[node], start]
            if target not in paths:
                paths[target] = [*paths[node], target]
                frontier.append(target)
    raise AssertionError(f"no cycle through {sorted(group)}")


def test_the_graph_sees_every_kind_of_import():
    graph = import_graph(source_modules())
    # Module level, `from package import module`, and inside a function.
    assert "assistant.staff.site" in graph["assistant.staff.views"]
    assert "assistant.staff.views" in graph["assistant.staff.app"]
    assert "assistant.answers.store" in graph["assistant.answers.book"]
    assert any(graph[module] for module in graph if module.startswith("devtools."))


def test_a_cycle_is_found_and_reported():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert strongly_connected(graph) == [{"a", "b", "c"}]
    assert a_cycle(graph, {"a", "b", "c"}) == ["a", "b", "c", "a"]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_relative_imports_are_made_absolute(tmp_path):
    (tmp_path / "pkg").mkdir()
    path = tmp_path / "pkg" / "__init__.py"
    path.write_text("from . import sibling\nfrom .other import name\n")
    assert imported_names("pkg", path) >= {"pkg.sibling", "pkg.other", "pkg.other.name"}
    module = tmp_path / "pkg" / "mod.py"
    module.write_text("def f():\n    from ..top import x\n")
    assert "root.top.x" in imported_names("root.pkg.mod", module)


def test_no_import_cycles():
    graph = import_graph(source_modules())
    cycles = [" -> ".join(a_cycle(graph, group)) for group in strongly_connected(graph)]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_runtime_never_imports_devtools_or_tests():
    runtime = source_modules(RUNTIME)
    offenders = sorted(
        f"{module} imports {name}"
        for module, path in runtime.items()
        for name in imported_names(module, path)
        if name.split(".")[0] in NOT_RUNTIME
    )
    assert not offenders, "\n".join(offenders)
