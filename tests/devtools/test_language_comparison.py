"""devtools.language_comparison and language_models: routing each message to its
language's model, scoring both arrangements, the choice rule, and the Welsh model's
training set (issue 13, item 3)."""

from __future__ import annotations

from dataclasses import replace

from devtools.language_comparison import (
    CLEAR_WIN,
    Parse,
    Score,
    per_language_wins,
    route,
    score,
)
from devtools.language_models import language_free


def test_each_message_goes_to_the_model_of_its_detected_language() -> None:
    detected = [Parse("x", 0.9, "cy"), Parse("x", 0.9, "en"), Parse("x", 0.9, "none")]
    english = [Parse("en-0", 0.5, "none"), Parse("en-1", 0.5, "none"), Parse("en-2", 0.5, "none")]
    welsh = [Parse("cy-0", 0.5, "cy"), Parse("cy-1", 0.5, "cy"), Parse("cy-2", 0.5, "cy")]
    routed = route(detected, {"en": english, "cy": welsh})
    # Undecided goes to the conversation's default, English; the detector's language is kept.
    assert [p.intent for p in routed] == ["cy-0", "en-1", "en-2"]
    assert [p.language for p in routed] == ["cy", "en", "none"]


def test_scores_count_misrouted_welsh_and_short_messages() -> None:
    sets = {
        "en": [("hi", "greet"), ("when is my bin collected please", "bin_collection_day")],
        "oos": [("bake a cake", "out_of_scope")],
        "crisis": [("i want to die", "crisis_suicide")],
        "long": [("a long one", "bin_collection_day")],
        "cy": [("shwmae", "greet"), ("pryd mae'r bin", "bin_collection_day")],
    }
    parses = {
        "en": [Parse("greet", 1, "en"), Parse("bin_missed", 1, "en")],
        "oos": [Parse("report_pothole", 1, "en")],
        "crisis": [Parse("crisis_suicide", 1, "en")],
        "long": [Parse("bin_collection_day", 1, "en")],
        "cy": [Parse("greet", 1, "none"), Parse("bin_collection_day", 1, "cy")],
    }
    result = score(sets, parses)
    assert result.oos_false_accepts == 1 and result.oos_total == 1
    assert result.cy_accuracy == 1.0 and result.long_accuracy == 1.0
    assert result.short_en_accuracy == 1.0 and result.short_counts == (1, 2)
    assert result.misrouted == (1, 0)  # "shwmae": no language, so the English model


BASE = Score(
    macro_f1=0.88,
    oos_false_accepts=17,
    oos_total=478,
    crisis_recall=0.98,
    crisis_precision=0.94,
    cy_accuracy=0.92,
    cy_crisis_recall=1.0,
    long_accuracy=0.7,
    short_en_accuracy=0.8,
    short_cy_accuracy=0.8,
    short_counts=(10, 10),
    misrouted=(0, 0),
)


def test_per_language_must_win_clearly_and_be_no_less_safe() -> None:
    assert not per_language_wins(BASE, BASE)
    better = replace(BASE, cy_accuracy=BASE.cy_accuracy + CLEAR_WIN)
    assert per_language_wins(BASE, better)
    assert not per_language_wins(BASE, replace(better, crisis_recall=0.97))
    assert not per_language_wins(BASE, replace(better, oos_false_accepts=18))
    assert not per_language_wins(BASE, replace(better, macro_f1=0.87))


def test_the_welsh_model_also_learns_the_examples_with_no_language() -> None:
    labelled = [
        ("how much council tax do i owe", "en"),
        ("when is the bin collected", "en"),
        ("i want to pay my council tax", "en"),
        ("faint o dreth y cyngor sydd arna i", "cy"),
        ("pryd mae'r bin yn cael ei gasglu", "cy"),
        ("dw i eisiau talu fy nhreth gyngor", "cy"),
        ("BK1 2AB", "en"),
        ("number 14", "en"),
    ]
    shared = [labelled[index][0] for index in language_free(labelled)]
    assert "BK1 2AB" in shared  # a postcode: needed in a Welsh conversation too
    assert "when is the bin collected" not in shared  # clearly English
    assert not any(text.startswith(("faint", "pryd", "dw i")) for text in shared)  # Welsh
