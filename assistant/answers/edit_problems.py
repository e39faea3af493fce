"""What can be wrong with an answer edit (issue 13), by key: the answer book reports
each problem as a key and the values its message names, the staff site shows the
message of the same key (`edit_problem.<key>` in staff/languages/<code>.yml) in the
page's language. The English here is for logs and the command line; a test keeps it
equal to the staff site's English."""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field

from assistant.answers.templates import PLACEHOLDER_NAME, TemplateError, used_names

PROBLEMS = {
    "too_long": "The answer is {length} characters long; it must be {max} characters or fewer.",
    "private": "{label} uses {name}, which holds a resident's personal details unmasked. "
    "Answers may only show your council's details and masked values such as {reference}.",
    "empty_braces": "{label}: Empty braces {} are not allowed: put a placeholder name inside "
    "them, like {council_name}, or remove them.",
    "bad_placeholder": "{label}: {shown} is not a placeholder this system understands: use "
    "only a name in braces, like {council_name}.",
    "unclosed": "{label}: there is a { without a matching }. Close it, or remove it.",
    "unopened": "{label}: there is a } without a matching {. Open it, or remove it.",
    "braces": "{label}: the braces are not well formed. Use placeholders like {council_name}.",
    "unknown_one": "{label} uses {names}, which is not known here. You can use: {allowed}.",
    "unknown_many": "{label} uses {names}, which are not known here. You can use: {allowed}.",
    "did_you_mean": "Did you mean {close} instead of {name}?",
    "sms_too_long": "The SMS version is {length} characters once filled in with {council}'s "
    "details; it must be {limit} characters or fewer ({messages} text messages). "
    "Shorten it by {shorten} characters.",
}
LABELS = {"text": "The answer", "sms_text": "The SMS version"}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_FORMATTER = string.Formatter()
Text = Callable[..., str]  # (key, **values) -> the message in some language


def english(key: str, **values: object) -> str:
    """The English message of `key`, its `{name}`s filled in from `values`."""
    return _PLACEHOLDER.sub(
        lambda match: str(values.get(match.group(1), match.group(0))), PROBLEMS[key]
    )


@dataclass(frozen=True)
class EditProblem:
    """One problem: a key of PROBLEMS, its values, and "did you mean" hints (close, name)."""

    key: str
    values: Mapping[str, object] = field(default_factory=dict)
    hints: tuple[tuple[str, str], ...] = ()

    def shown(self, text: Text, label: str) -> str:
        """The message through `text` (English: `english`), for the field called `label`."""
        parts = [text(self.key, label=label, **self.values)]
        parts += [text("did_you_mean", close=close, name=name) for close, name in self.hints]
        return " ".join(parts)


def braced(name: str) -> str:
    return "{" + name + "}"


def template_edit_problems(
    template: str, allowed: Collection[str], reported_elsewhere: Collection[str] = ()
) -> list[EditProblem]:
    """Every problem with `template`: each malformed placeholder, a brace left open or
    closed, and the unknown names (with hints), except those in `reported_elsewhere`."""
    problems: list[EditProblem] = []
    used = dict.fromkeys(name for name in used_names(template) if name not in reported_elsewhere)
    try:
        for _literal, name, spec, conversion in _FORMATTER.parse(template):
            if name is None:
                continue
            if not name:
                problems.append(EditProblem("empty_braces"))
            elif not PLACEHOLDER_NAME.match(name) or conversion or spec:
                shown = braced(name + ("!" + conversion if conversion else ""))
                shown = shown[:-1] + (":" + spec if spec else "") + "}"
                problems.append(EditProblem("bad_placeholder", {"shown": shown}))
    except ValueError:
        opened, closed = template.count("{"), template.count("}")
        key = "unclosed" if opened > closed else "unopened" if closed > opened else "braces"
        problems.append(EditProblem(key))
    unknown = [name for name in used if name not in allowed]
    if unknown:
        hints = tuple(
            (braced(close[0]), braced(name))
            for name in unknown
            if (close := difflib.get_close_matches(name, list(allowed), n=1))
        )
        values = {
            "names": ", ".join(braced(name) for name in unknown),
            "allowed": ", ".join(braced(name) for name in sorted(allowed)),
        }
        key = "unknown_one" if len(unknown) == 1 else "unknown_many"
        problems.append(EditProblem(key, values, hints))
    return problems


def template_problems(
    template: str,
    allowed: Collection[str],
    label: str = LABELS["text"],
    reported_elsewhere: Collection[str] = (),
) -> list[str]:
    """The problems of `template` in English, for the field called `label`."""
    return [
        problem.shown(english, label)
        for problem in template_edit_problems(template, allowed, reported_elsewhere)
    ]


def check_template(template: str, allowed: Collection[str], label: str = LABELS["text"]) -> None:
    """Raise TemplateError (with every problem) unless `template` parses and uses
    only `allowed` placeholders."""
    problems = template_problems(template, allowed, label)
    if problems:
        raise TemplateError(" ".join(problems))
