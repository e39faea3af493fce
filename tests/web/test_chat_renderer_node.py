"""The web chat's renderer (assistant/web/static/chat/render.mjs), tested with
`node --test` (tests/web/chat_render.test.mjs): images, javascript: links and raw
HTML from answers never become elements; tel:, masked references, Markdown subset."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

TESTS = Path(__file__).with_name("chat_render.test.mjs")


@pytest.mark.skipif(shutil.which("node") is None, reason="needs Node.js (make system-deps)")
def test_renderer_unit_tests_pass_under_node():
    result = subprocess.run(
        ["node", "--test", str(TESTS)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout and "# pass 9" in result.stdout
