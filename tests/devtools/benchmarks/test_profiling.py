"""Reading py-spy's collapsed stacks into top frames."""

from __future__ import annotations

from devtools.benchmarks.profiling import parse_collapsed, render_top, top_frames

RAW = """\
main (/work/a.py:1);handle (/work/a.py:10);json_dumps (/x/site-packages/json/enc.py:5) 30
main (/work/a.py:1);handle (/work/a.py:12);json_dumps (/x/site-packages/json/enc.py:7) 10
main (/work/a.py:1);wait (/usr/lib/selectors.py:40) 60
not a stack line
"""


def test_self_and_total_samples_per_function() -> None:
    found = top_frames(parse_collapsed(RAW))
    assert found["samples"] == 100
    assert found["self"][0] == ("wait (/usr/lib/selectors.py)", 60)
    assert ("json_dumps (json/enc.py)", 40) in found["self"]  # two lines, one function
    assert found["total"][0] == ("main (a.py)", 100)
    assert ("handle (a.py)", 40) in found["total"]


def test_render_gives_percentages() -> None:
    text = render_top("rasa", top_frames(parse_collapsed(RAW)))
    assert "== rasa: 100 samples ==" in text
    assert "  60.0%  wait (/usr/lib/selectors.py)" in text
