"""The SMS cost report: segments per reply from the fake gateway's record."""

from __future__ import annotations

from devtools.benchmarks.sms_segments import line, summary


def test_average_and_spread_of_segments():
    messages = [
        {"segments": 1, "encoding": "GSM-7", "body": "Hi"},
        {"segments": 3, "encoding": "GSM-7", "body": "long"},
        {"segments": 2, "encoding": "UCS-2", "body": "Dŵr"},
        {"segments": 1, "encoding": "GSM-7", "body": "ok"},
    ]
    report = summary(messages)
    assert (report["replies"], report["segments"], report["average_segments"]) == (4, 7, 1.75)
    assert report["by_segments"] == {1: 2, 2: 1, 3: 1}
    assert report["costliest"][0]["body"] == "long"
    assert "1.75 segments per reply" in line(report)
    assert summary([])["average_segments"] == 0.0
