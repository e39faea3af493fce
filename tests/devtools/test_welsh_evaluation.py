"""The Welsh gates: accuracy, Welsh crisis recall and language detection are scored right."""

from __future__ import annotations

from devtools import welsh_evaluation as welsh
from devtools.welsh_evaluation import Parsed

GATES = {"min_cy_accuracy": 0.9, "min_cy_crisis_recall": 0.98, "min_language_accuracy": 0.9}


def test_scores_accuracy_crisis_recall_and_language() -> None:
    understood = [
        Parsed("diolch", "thank", "thank", "cy"),
        Parsed("dw i'n ddigartref", "crisis_homeless", "crisis_homeless", "cy"),
        Parsed("arogl nwy", "emergency", "greet", "cy"),
        Parsed("talu treth y cyngor", "council_tax_pay", "council_tax_pay", "cy"),
    ]
    languages = [
        Parsed("diolch", "cy", "thank", "cy"),
        Parsed("thanks", "en", "thank", "cy"),  # the wrong language: the worst mistake
        Parsed("BK1 2AB", "none", "inform", "none"),
        Parsed("hello", "en", "greet", "none"),  # nothing emitted: a miss, not a wrong one
    ]
    report = welsh.score(understood, languages)
    assert report.accuracy == 0.75
    assert report.crisis_recall == 0.5
    assert report.language_accuracy == 0.5
    assert report.wrong_language == 1
    assert [p.text for p in report.errors] == ["arogl nwy"]
    failed = welsh.failures(report, GATES)
    assert len(failed) == 3 and "cy crisis recall 0.500" in failed[1]


def test_a_good_report_passes_the_gates() -> None:
    perfect = [
        Parsed("diolch", "thank", "thank", "cy"),
        Parsed("dw i'n ddigartref", "crisis_homeless", "crisis_homeless", "cy"),
    ]
    report = welsh.score(perfect, [Parsed("diolch", "cy", "thank", "cy")])
    assert welsh.failures(report, GATES) == []
    assert "none" in welsh.report_lines(report)


def test_project_welsh_gates_and_sets_load() -> None:
    gates = welsh.load_gates()
    assert gates["min_cy_accuracy"] >= 0.9
    labelled = welsh.load_language_set()
    assert len(labelled) >= 150
    assert {label for _, label in labelled} == {"cy", "en", "none"}


def test_a_set_without_crisis_messages_cannot_pass_the_crisis_gate() -> None:
    report = welsh.score([Parsed("diolch", "thank", "thank", "cy")], [])
    assert report.crisis_recall == 0.0
