"""Packaging: the wheel holds the runtime (code and data) and none of the development
tooling, and the runtime's direct imports are declared dependencies."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import zipfile
from functools import cache
from importlib.metadata import distributions
from pathlib import Path

import tomli

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ("assistant", "actions")
# Declared though not imported by name: what they are needed for.
INDIRECT = {
    "python-multipart": "starlette parses the staff site's form posts with it",
    "alembic": "database migrations (the database branch's code imports it)",
}


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def requirement_name(requirement: str) -> str:
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    assert match, requirement
    return normalise(match.group(1))


def declared() -> set[str]:
    project = tomli.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {requirement_name(requirement) for requirement in project["dependencies"]}


def top_level_imports(packages: tuple[str, ...]) -> set[str]:
    names: set[str] = set()
    for package in packages:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Import):
                    names.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - set(RUNTIME) - {"devtools", "tests"}


@cache
def distributions_by_module() -> dict[str, set[str]]:
    """Top-level module name -> the installed distributions that provide it (from each
    distribution's RECORD, as Python 3.11's packages_distributions does)."""
    found: dict[str, set[str]] = {}
    for dist in distributions():
        record = dist.read_text("RECORD") or ""
        tops = {line.split("/", 1)[0].split(",", 1)[0] for line in record.splitlines()}
        for top in tops:
            top = top.removesuffix(".py")
            if top and "." not in top and top not in {"..", "__pycache__"}:
                found.setdefault(top, set()).add(normalise(dist.metadata["Name"]))
    return found


def test_every_runtime_import_is_a_declared_dependency():
    providers = distributions_by_module()
    imports = top_level_imports(RUNTIME)
    assert {"rasa", "yaml", "starlette"} <= imports
    undeclared = {
        module: sorted(providers.get(module, {"(not installed)"}))
        for module in sorted(imports)
        if not providers.get(module, set()) & declared()
    }
    assert not undeclared, f"imported but not in [project] dependencies: {undeclared}"


def test_every_dependency_is_used():
    providers = distributions_by_module()
    used = {dist for module in top_level_imports(RUNTIME) for dist in providers.get(module, ())}
    unused = declared() - used - set(INDIRECT)
    assert not unused, f"declared but never imported: {sorted(unused)}"


def test_runtime_in_lists_the_declared_dependencies():
    lines = (ROOT / "requirements" / "runtime.in").read_text().splitlines()
    listed = {requirement_name(line) for line in lines if line.strip() and line[0] != "#"}
    assert listed == declared()


def pins(lock: str) -> dict[str, str]:
    """name -> version for a lock in which every requirement is exact and hashed."""
    text = (ROOT / "requirements" / lock).read_text()
    requirements = re.findall(r"^[A-Za-z0-9].*$", text, re.M)
    hashed = re.findall(
        r"^([A-Za-z0-9][^=\s]*)==(\S+) \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.M
    )
    assert len(requirements) == len(hashed), f"{lock}: a requirement without == or hashes"
    return {normalise(name): version for name, version in hashed}


def test_the_locks_pin_every_package_with_hashes_and_agree():
    runtime, dev = pins("runtime.lock"), pins("dev.lock")
    assert len(runtime) > 100
    assert {name: dev.get(name) for name in runtime} == runtime, "dev.lock differs from runtime"
    assert {"mypy", "pytest", "ruff"} <= dev.keys()
    assert not {"mypy", "pytest", "ruff"} & runtime.keys()


def test_the_wheel_holds_the_runtime_and_its_data_and_no_devtools(tmp_path):
    source = tmp_path / "source"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in (*RUNTIME, "devtools", "tests"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    shutil.copy(ROOT / "pyproject.toml", source)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + [str(source), "-w", str(tmp_path / "dist")],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    contents = set(zipfile.ZipFile(wheel).namelist())
    expected = {
        path.relative_to(source).as_posix()
        for folder in RUNTIME
        for path in (source / folder).rglob("*")
        if path.is_file()
    }
    assert "assistant/staff/templates/base.html" in expected
    assert expected - contents == set(), "missing from the wheel"
    shipped = {name.split("/")[0] for name in contents}
    assert not shipped & {"devtools", "tests"}
    metadata = next(name for name in contents if name.endswith(".dist-info/METADATA"))
    requires = re.findall(
        r"^Requires-Dist: (.+)$", zipfile.ZipFile(wheel).read(metadata).decode(), re.M
    )
    assert {requirement_name(r) for r in requires if "extra ==" not in r} == declared()
