"""devtools.checks.sizes: every long module and function is listed; tests are exempt."""

from __future__ import annotations

from pathlib import Path

import pytest

from devtools.checks import sizes


def function(name: str, body_lines: int, indent: str = "") -> str:
    body = "".join(f"{indent}    x{n} = {n}\n" for n in range(body_lines))
    return f"{indent}def {name}() -> None:\n{body}"


def write(root: Path, relative: str, text: str) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    write(tmp_path, "assistant/ok.py", function("short", 59))  # 60 lines: at the limit
    write(tmp_path, "assistant/long_function.py", function("long", 60))  # 61 lines
    write(
        tmp_path,
        "devtools/tool/handler.py",
        "class Handler:\n" + function("do_GET", 61, indent="    "),
    )
    write(tmp_path, "actions/big.py", "x = 1\n" * 401)
    write(tmp_path, "actions/exactly.py", "x = 1\n" * 400)
    write(tmp_path, "devtools/tests/test_long.py", function("test_long", 100))
    write(tmp_path, "assistant/test_helpers.py", "x = 1\n" * 500)
    write(tmp_path, "elsewhere/long.py", function("outside", 100))
    return tmp_path


def test_lists_every_oversize_module_and_function(tree: Path) -> None:
    found = {(str(o.path), o.what, o.lines) for o in sizes.check(tree)}
    assert found == {
        ("assistant/long_function.py", "long", 61),
        ("devtools/tool/handler.py", "Handler.do_GET", 62),
        ("actions/big.py", "module", 401),
    }


def test_nested_functions_are_checked_too(tmp_path: Path) -> None:
    nested = "def outer() -> None:\n" + function("inner", 70, indent="    ")
    write(tmp_path, "devtools/nested.py", nested)
    names = [o.what for o in sizes.check(tmp_path)]
    assert names == ["outer", "outer.inner"]


def test_main_fails_and_names_each_problem(tree: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert sizes.main(["--root", str(tree)]) == 1
    err = capsys.readouterr().err
    assert "actions/big.py:1: module has 401 lines (limit 400)" in err
    assert "assistant/long_function.py:1: long has 61 lines (limit 60)" in err
    assert "3 module(s) or function(s)" in err


def test_main_passes_a_tree_within_the_limits(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "assistant/ok.py", function("short", 10))
    assert sizes.main(["--root", str(tmp_path)]) == 0
    assert "Sizes OK" in capsys.readouterr().out
