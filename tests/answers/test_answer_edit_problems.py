"""Issue 13: answer-edit checks are reported by key, so the staff site words them in
its own language; the English here stays equal to the staff site's English."""

from __future__ import annotations

from assistant.answers.edit_problems import (
    LABELS,
    PROBLEMS,
    EditProblem,
    english,
    template_edit_problems,
)
from assistant.staff.interface import Interface, catalogue

ALLOWED = {"council_name", "council_phone"}


def test_the_staff_sites_english_is_the_english_here() -> None:
    staff = catalogue("en")
    assert {key: staff[f"edit_problem.{key}"] for key in PROBLEMS} == PROBLEMS
    assert {key: staff[f"edit_problem.label.{key}"] for key in LABELS} == LABELS


def test_every_problem_has_its_welsh() -> None:
    welsh = catalogue("cy")
    for key in [*PROBLEMS, *(f"label.{name}" for name in LABELS)]:
        assert welsh.get(f"edit_problem.{key}"), key


def test_problems_come_by_key_with_their_values() -> None:
    problems = template_edit_problems("Hi {} {0} {council_nmae}", ALLOWED)
    assert [problem.key for problem in problems] == [
        "empty_braces",
        "bad_placeholder",
        "unknown_one",
    ]
    assert problems[1].values == {"shown": "{0}"}
    assert problems[2].hints == (("{council_name}", "{council_nmae}"),)
    assert template_edit_problems("Call {council_name", ALLOWED)[0].key == "unclosed"
    assert template_edit_problems("Call council_name}", ALLOWED)[0].key == "unopened"


def test_a_problem_is_worded_in_each_language() -> None:
    problem = template_edit_problems("Call {council_nmae}", ALLOWED)[0]
    shown = problem.shown(english, LABELS["text"])
    assert shown.startswith("The answer uses {council_nmae}, which is not known here.")
    assert shown.endswith("Did you mean {council_name} instead of {council_nmae}?")
    ui = Interface("cy")
    welsh = problem.shown(
        lambda key, **values: ui.text(f"edit_problem.{key}", **values),
        ui.text("edit_problem.label.text"),
    )
    assert welsh.startswith("Yr ateb: mae'n defnyddio {council_nmae}, nad yw'n hysbys yma.")
    assert "Oeddech chi'n golygu {council_name} yn lle {council_nmae}?" in welsh
    too_long = EditProblem("too_long", {"length": 2001, "max": 2000})
    assert too_long.shown(english, "") == (
        "The answer is 2001 characters long; it must be 2000 characters or fewer."
    )
