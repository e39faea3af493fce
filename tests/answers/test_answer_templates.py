"""assistant.answers.templates: placeholders checked when saved, safe at chat time."""

from __future__ import annotations

import pytest

from assistant.answers.edit_problems import check_template, template_problems
from assistant.answers.templates import TemplateError, placeholders, render

ALLOWED = {"council_name", "council_phone", "link_bins", "postcode"}


def test_placeholders_in_order_without_repeats() -> None:
    assert placeholders("{council_name} on {council_phone}, {council_name}") == [
        "council_name",
        "council_phone",
    ]


def test_known_placeholders_pass() -> None:
    check_template("Call {council_name} on {council_phone}. See {link_bins}.", ALLOWED)


def test_unknown_placeholder_is_named_with_a_suggestion() -> None:
    with pytest.raises(TemplateError) as error:
        check_template("Call {council_nmae} today", ALLOWED)
    message = str(error.value)
    assert "{council_nmae}" in message
    assert "Did you mean {council_name}" in message


@pytest.mark.parametrize(
    ("template", "expected"),
    [
        ("Call {council_name", "without a matching }"),
        ("Call council_name}", "without a matching {"),
        ("Empty {} braces", "Empty braces"),
        ("{council_name.__class__}", "not a placeholder"),
        ("{council_name[0]}", "not a placeholder"),
        ("{council_name!r}", "not a placeholder"),
        ("{council_name:>40}", "not a placeholder"),
        ("{0}", "not a placeholder"),
    ],
)
def test_malformed_templates_are_rejected_with_a_clear_message(
    template: str, expected: str
) -> None:
    with pytest.raises(TemplateError, match=expected):
        check_template(template, ALLOWED)


def test_literal_braces_can_be_written_doubled() -> None:
    check_template("Use {{ and }} literally", ALLOWED)
    assert render("Use {{ and }}", {}) == "Use { and }"


def test_render_fills_values() -> None:
    text = render("{council_name}: {postcode}", {"council_name": "Millbrook", "postcode": "MQ1"})
    assert text == "Millbrook: MQ1"


def test_render_never_fails_on_a_missing_value_or_a_broken_template() -> None:
    assert render("Hello {council_name}!", {}) == "Hello !"
    assert render("Broken {council_name", {"council_name": "X"}) == "Broken {council_name"


def test_render_does_not_evaluate_values_as_templates() -> None:
    # A resident's slot value containing braces is inserted as it is.
    assert (
        render("Postcode {postcode}", {"postcode": "{council_name}"}) == "Postcode {council_name}"
    )


def test_every_problem_is_reported_at_once() -> None:
    problems = template_problems("Hi {0} and {a.b}, call {council_nmae} or {x}", ALLOWED)
    assert len(problems) == 3
    assert "{0}" in problems[0] and "{a.b}" in problems[1]
    assert "{council_nmae}" in problems[2] and "{x}" in problems[2]
    assert "Did you mean {council_name}" in problems[2]


def test_problems_before_an_unclosed_brace_are_kept() -> None:
    problems = template_problems("Call {council_nmae} {0} now {", ALLOWED)
    assert any("without a matching }" in problem for problem in problems)
    assert any("{0}" in problem for problem in problems)
    assert any("{council_nmae}" in problem for problem in problems)


def test_check_template_raises_with_every_problem() -> None:
    with pytest.raises(TemplateError) as error:
        check_template("{0} {nope}", ALLOWED)
    assert "{0}" in str(error.value) and "{nope}" in str(error.value)
