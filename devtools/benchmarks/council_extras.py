"""What reading a council's staff changes costs per NLG reply, before and after the
per-council cache (issue 13, item 4).

`python -m devtools.benchmarks.council_extras [count]` makes an answers database in a
temporary folder (SQLite, as in development) with a few changed details and notices,
then times, alternating so machine noise falls on both alike: the reads every reply
used to make (details, then notices), the cached read (its freshness check), and a
whole in-process reply each way. Prints medians and p95 in milliseconds.
"""

from __future__ import annotations

import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from assistant.answers.council_extras import CouncilExtrasCache
from assistant.answers.details_store import DetailStore
from assistant.answers.notices import NoticeStore, london_today
from assistant.answers.seed import open_book
from assistant.answers.server import answer_request
from assistant.councils import default_registry
from assistant.settings import PROJECT_ROOT
from devtools.benchmarks.stats import summary, timed

COUNCIL = "millbrook"
RESPONSE = "utter_human_handoff"


def _body() -> dict[str, object]:
    return {
        "response": RESPONSE,
        "arguments": {},
        "tracker": {"slots": {"council": COUNCIL}, "latest_input_channel": "rest"},
        "channel": {"name": "rest"},
    }


def run(count: int, workdir: Path) -> dict[str, dict[str, float]]:
    """The figures of each way, over `count` alternating rounds."""
    book = open_book(
        f"sqlite:///{workdir}/answers.db", PROJECT_ROOT / "domain.yml", default_registry()
    )
    engine = book.store.engine
    DetailStore(engine).save(
        COUNCIL, {"council_phone": "01632 961 234", "link_bins": "https://x.example.gov.uk/b"}, "b"
    )
    today = london_today()
    for text in ("Offices shut on Friday.", "Bins a day late."):
        NoticeStore(engine).add(COUNCIL, text, today, today, [RESPONSE, "utter_bin_day"], "b")
    cache = CouncilExtrasCache(engine)

    def uncached() -> object:
        DetailStore(engine).overrides(COUNCIL)
        return NoticeStore(engine).showing(COUNCIL, RESPONSE, today)

    ways: dict[str, Callable[[], object]] = {
        "reads per reply before (details + notices)": uncached,
        "cached read after (freshness check)": lambda: cache.get(COUNCIL).showing(RESPONSE, today),
        "whole reply, read afresh": lambda: answer_request(book, _body()),
        "whole reply, cached": lambda: answer_request(book, _body(), cache),
    }
    timings: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(count):
        for name, call in ways.items():
            timings[name].append(timed(call)[0])
    return {name: summary(values, (95,), digits=3) for name, values in timings.items()}


def main(argv: list[str]) -> int:
    count = int(argv[0]) if argv else 2000
    with tempfile.TemporaryDirectory() as folder:
        figures = run(count, Path(folder))
    for name, row in figures.items():
        median, p95 = row["median_ms"], row["p95_ms"]
        print(f"{name:45} median {median:.3f} ms  p95 {p95:.3f} ms  (n={row['n']:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
