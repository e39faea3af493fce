"""What the assistant's texts cost: segments per reply, from the fake gateway's record.

Councils pay per segment (160 GSM-7 characters alone, 153 once concatenated; 70/67
in UCS-2). The SMS end-to-end tests write `reports/sms_segments.json` when they end
(tests/e2e/test_sms_conversations.py); by hand, against a running fake gateway:
`python -m devtools.benchmarks.sms_segments http://localhost:5098`.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import requests

REPORT = Path("reports") / "sms_segments.json"


def summary(messages: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Replies, total and average segments, the spread, and the costliest texts."""
    sent = list(messages)
    segments = [int(message["segments"]) for message in sent]
    costly = sorted(sent, key=lambda message: -int(message["segments"]))[:5]
    return {
        "replies": len(sent),
        "segments": sum(segments),
        "average_segments": round(sum(segments) / len(sent), 3) if sent else 0.0,
        "by_segments": dict(sorted(Counter(segments).items())),
        "costliest": [
            {"segments": m["segments"], "encoding": m["encoding"], "body": m["body"]}
            for m in costly
        ],
    }


def line(report: Mapping[str, Any]) -> str:
    """One line for a terminal or a README."""
    return (
        f"{report['replies']} SMS replies, {report['segments']} segments: "
        f"{report['average_segments']:.2f} segments per reply {report['by_segments']}"
    )


def write(report: Mapping[str, Any], path: Path = REPORT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(argv: list[str]) -> int:
    base = (argv[0] if argv else "http://localhost:5098").rstrip("/")
    messages = requests.get(f"{base}/_fake/messages", timeout=10).json()["messages"]
    report = summary(messages)
    write(report)
    print(line(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
