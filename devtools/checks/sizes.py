"""`python -m devtools.checks.sizes`: no module over 400 lines, no function over 60.

Checks the Python files under assistant/, actions/ and devtools/ (tests are exempt)
and lists every module and function over its limit; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import ast
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from assistant.settings import PROJECT_ROOT

MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
CHECKED = ("assistant", "actions", "devtools")


@dataclass(frozen=True)
class Oversize:
    """One module or function over its limit."""

    path: Path
    line: int
    what: str  # "module" or the function's qualified name
    lines: int
    limit: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what} has {self.lines} lines (limit {self.limit})"


def is_test(path: Path) -> bool:
    """Test code is exempt: files under a tests/ folder and test_*.py / conftest.py."""
    return "tests" in path.parts or path.name.startswith("test_") or path.name == "conftest.py"


def python_files(root: Path, folders: Sequence[str] = CHECKED) -> Iterator[Path]:
    """The non-test Python files under `root`/`folders`, relative to `root`, sorted."""
    for folder in folders:
        for path in sorted((root / folder).rglob("*.py")):
            relative = path.relative_to(root)
            if not is_test(relative):
                yield relative


def functions(tree: ast.AST, prefix: str = "") -> Iterator[tuple[str, ast.AST]]:
    """Every function and method in `tree` (nested ones too), with a dotted name."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield prefix + node.name, node
            yield from functions(node, f"{prefix}{node.name}.")
        elif isinstance(node, ast.ClassDef):
            yield from functions(node, f"{prefix}{node.name}.")
        else:
            yield from functions(node, prefix)


def oversizes(root: Path, path: Path) -> list[Oversize]:
    """What is too long in the module at `root`/`path`."""
    source = (root / path).read_text(encoding="utf-8")
    found: list[Oversize] = []
    module_lines = len(source.splitlines())
    if module_lines > MAX_MODULE_LINES:
        found.append(Oversize(path, 1, "module", module_lines, MAX_MODULE_LINES))
    for name, node in functions(ast.parse(source, filename=str(path))):
        start, end = node.lineno, node.end_lineno or node.lineno  # type: ignore[attr-defined]
        if end - start + 1 > MAX_FUNCTION_LINES:
            found.append(Oversize(path, start, name, end - start + 1, MAX_FUNCTION_LINES))
    return found


def check(root: Path, folders: Sequence[str] = CHECKED) -> list[Oversize]:
    """Every oversize module and function under `root`/`folders`."""
    return [found for path in python_files(root, folders) for found in oversizes(root, path)]


def main(argv: Sequence[str] | None = None) -> int:
    """List what is over its limit; 1 if anything is, else 0."""
    parser = argparse.ArgumentParser(prog="python -m devtools.checks.sizes", description=__doc__)
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="the repository")
    args = parser.parse_args(argv)
    found = check(args.root)
    for oversize in found:
        print(oversize, file=sys.stderr)
    if found:
        print(f"{len(found)} module(s) or function(s) over the size limits.", file=sys.stderr)
        return 1
    print(
        f"Sizes OK: no module over {MAX_MODULE_LINES} lines, no function over {MAX_FUNCTION_LINES}."
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
