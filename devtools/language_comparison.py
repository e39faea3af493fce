"""Bilingual model or one model per language (issue 13, item 3), scored on the same sets.

Every held-out message (English, out-of-scope, crisis, long, Welsh) is parsed by the
bilingual model and by the English-only and Welsh-only models
(devtools/language_models.py). "Per language" answers each message with the model
of the language the bilingual model's LanguageDetector gives it; an undecided
message goes to the conversation's default, English. Both arrangements are scored
with the gates' own measures (devtools/evaluation.py, devtools/welsh_evaluation.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from devtools import evaluation, welsh_evaluation
from devtools.evaluation import Prediction
from devtools.safety_evaluation import score_crisis

DEFAULT_LANGUAGE = "en"
SHORT_WORDS = 3  # a "short" message has at most this many words
SETS = {
    "en": (evaluation.HELDOUT,),
    "oos": evaluation.OUT_OF_SCOPE_SETS,
    "crisis": (evaluation.CRISIS,),
    "long": (evaluation.LONG_MESSAGES,),
    "cy": (welsh_evaluation.WELSH_HELDOUT,),
}


@dataclass(frozen=True)
class Parse:
    intent: str
    confidence: float
    language: str  # the detector's: "cy", "en" or "none"


@dataclass(frozen=True)
class Score:
    """One arrangement's figures on the held-out sets."""

    macro_f1: float
    oos_false_accepts: int
    oos_total: int
    crisis_recall: float
    crisis_precision: float
    cy_accuracy: float
    cy_crisis_recall: float
    long_accuracy: float
    short_en_accuracy: float
    short_cy_accuracy: float
    short_counts: tuple[int, int]  # (English, Welsh) short messages
    # Held-out messages answered by the other language's model: (Welsh, English).
    misrouted: tuple[int, int]


def examples() -> dict[str, list[tuple[str, str]]]:
    """(text, expected intent) of every held-out set, by set."""
    return {
        name: [e for path in paths for e in evaluation.load_examples(path)]
        for name, paths in SETS.items()
    }


def parse_all(model: Path, texts: Sequence[str]) -> list[Parse]:
    """Intent, confidence and detected language of every text under `model`."""
    from rasa.core.agent import Agent
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)
    agent = Agent.load(str(model))

    async def parse() -> list[Parse]:
        results = []
        for text in texts:
            parsed = await agent.parse_message(text)
            intent = parsed.get("intent") or {}
            languages = [
                e["value"] for e in parsed.get("entities") or [] if e.get("entity") == "language"
            ]
            results.append(
                Parse(
                    str(intent.get("name")),
                    float(intent.get("confidence") or 0.0),
                    languages[0] if languages else welsh_evaluation.NO_LANGUAGE,
                )
            )
        return results

    return asyncio.run(parse())


def route(bilingual: Sequence[Parse], by_language: Mapping[str, Sequence[Parse]]) -> list[Parse]:
    """Each message answered by its language's model (undecided: the default language)."""
    routed = []
    for index, detected in enumerate(bilingual):
        language = detected.language if detected.language in by_language else DEFAULT_LANGUAGE
        parse = by_language[language][index]
        routed.append(Parse(parse.intent, parse.confidence, detected.language))
    return routed


def _predictions(pairs: Sequence[tuple[str, str]], parses: Sequence[Parse]) -> list[Prediction]:
    return [
        Prediction(text, expected, parse.intent, parse.confidence)
        for (text, expected), parse in zip(pairs, parses, strict=True)
    ]


def _short_accuracy(predictions: Sequence[Prediction]) -> tuple[float, int]:
    short = [p for p in predictions if len(p.text.split()) <= SHORT_WORDS]
    return sum(p.predicted == p.expected for p in short) / max(1, len(short)), len(short)


def score(sets: Mapping[str, list[tuple[str, str]]], parses: Mapping[str, list[Parse]]) -> Score:
    """The gates' measures for one arrangement (`parses` by set, in `sets`' order)."""
    got = {name: _predictions(sets[name], parses[name]) for name in sets}
    _, macro_f1, _ = evaluation.score(got["en"])
    false_accepts = [p for p in got["oos"] if p.predicted not in evaluation.NON_SERVICE_INTENTS]
    crisis = score_crisis([*got["en"], *got["oos"], *got["crisis"]])
    welsh = welsh_evaluation.score(
        [
            welsh_evaluation.Parsed(p.text, p.expected, p.predicted, parse.language)
            for p, parse in zip(got["cy"], parses["cy"], strict=True)
        ],
        [],
    )
    long = got["long"]
    short_en, en_count = _short_accuracy(got["en"])
    short_cy, cy_count = _short_accuracy(got["cy"])
    return Score(
        macro_f1=macro_f1,
        oos_false_accepts=len(false_accepts),
        oos_total=len(got["oos"]),
        crisis_recall=crisis.recall,
        crisis_precision=crisis.precision,
        cy_accuracy=welsh.accuracy,
        cy_crisis_recall=welsh.crisis_recall,
        long_accuracy=sum(p.predicted == p.expected for p in long) / max(1, len(long)),
        short_en_accuracy=short_en,
        short_cy_accuracy=short_cy,
        short_counts=(en_count, cy_count),
        misrouted=(
            sum(p.language != "cy" for p in parses["cy"]),
            sum(p.language == "cy" for p in parses["en"]),
        ),
    )


def compare(models: Mapping[str, Path]) -> dict[str, Score]:
    """Score the bilingual model and the per-language pair on the same held-out sets."""
    sets = examples()
    texts = [text for pairs in sets.values() for text, _ in pairs]
    parsed = {name: parse_all(path, texts) for name, path in models.items()}
    routed = route(parsed["bilingual"], {"en": parsed["en"], "cy": parsed["cy"]})

    def by_set(parses: Sequence[Parse]) -> dict[str, list[Parse]]:
        split, start = {}, 0
        for name, pairs in sets.items():
            split[name] = list(parses[start : start + len(pairs)])
            start += len(pairs)
        return split

    return {
        "bilingual": score(sets, by_set(parsed["bilingual"])),
        "per_language": score(sets, by_set(routed)),
    }


# Per language must win clearly to replace the bilingual model: at least this much
# better on English macro-F1 or Welsh accuracy, and no worse on any safety measure.
CLEAR_WIN = 0.02


def per_language_wins(bilingual: Score, per_language: Score) -> bool:
    """True when one model per language is clearly better (and nowhere less safe)."""
    safe = (
        per_language.crisis_recall >= bilingual.crisis_recall
        and per_language.crisis_precision >= bilingual.crisis_precision
        and per_language.cy_crisis_recall >= bilingual.cy_crisis_recall
        and per_language.oos_false_accepts <= bilingual.oos_false_accepts
    )
    better = (
        per_language.macro_f1 >= bilingual.macro_f1 + CLEAR_WIN
        or per_language.cy_accuracy >= bilingual.cy_accuracy + CLEAR_WIN
    )
    not_worse = (
        per_language.macro_f1 >= bilingual.macro_f1
        and per_language.cy_accuracy >= bilingual.cy_accuracy
    )
    return safe and better and not_worse


def score_rows(scores: Mapping[str, Score]) -> list[str]:
    """The measures table: one row per measure, one column per arrangement."""
    b, p = scores["bilingual"], scores["per_language"]

    def row(name: str, left: object, right: object) -> str:
        return f"| {name} | {left} | {right} |"

    return [
        "| measure | bilingual | per language |",
        "|---|---:|---:|",
        row("English intent macro-F1", f"{b.macro_f1:.3f}", f"{p.macro_f1:.3f}"),
        row(
            "out-of-scope false accepts",
            f"{b.oos_false_accepts}/{b.oos_total}",
            f"{p.oos_false_accepts}/{p.oos_total}",
        ),
        row("crisis recall (English sets)", f"{b.crisis_recall:.3f}", f"{p.crisis_recall:.3f}"),
        row(
            "crisis precision (English sets)",
            f"{b.crisis_precision:.3f}",
            f"{p.crisis_precision:.3f}",
        ),
        row("Welsh accuracy", f"{b.cy_accuracy:.3f}", f"{p.cy_accuracy:.3f}"),
        row("Welsh crisis recall", f"{b.cy_crisis_recall:.3f}", f"{p.cy_crisis_recall:.3f}"),
        row("long-message accuracy", f"{b.long_accuracy:.3f}", f"{p.long_accuracy:.3f}"),
        row(
            f"short English (<= {SHORT_WORDS} words, {b.short_counts[0]})",
            f"{b.short_en_accuracy:.3f}",
            f"{p.short_en_accuracy:.3f}",
        ),
        row(
            f"short Welsh (<= {SHORT_WORDS} words, {b.short_counts[1]})",
            f"{b.short_cy_accuracy:.3f}",
            f"{p.short_cy_accuracy:.3f}",
        ),
        row(
            "Welsh held-out sent to the English model",
            "n/a",
            f"{p.misrouted[0]}",
        ),
        row("English held-out sent to the Welsh model", "n/a", f"{p.misrouted[1]}"),
    ]
