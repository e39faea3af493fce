"""The web chat's interface text in English and Welsh (static/chat/strings.mjs), tested
with `node --test` (tests/web/chat_strings.test.mjs)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).with_name("chat_strings.test.mjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (make system-deps)")
def test_interface_strings_unit_tests_pass_under_node() -> None:
    result = subprocess.run(
        ["node", "--test", str(TESTS)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 3" in result.stdout
