"""Welsh or English for one short message: a small naive Bayes over words and letters.

Learnt from the NLU training data (Welsh examples carry `metadata: {language: cy}`),
so it knows the words residents use with this assistant. Pure Python: no Rasa import.
A message is given a language only when the evidence is clear; postcodes,
references, numbers and place-name words count for neither language.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

LANGUAGES = ("cy", "en")
# Letters of both languages; digits and punctuation split words.
_WORD = re.compile(r"[a-zâêîôûŵŷäëïöüÿáéíóúẁẃẅỳýàèìòù]+(?:['’][a-z]+)?", re.IGNORECASE)
# Words found in street and place names in Wales and England alike: an address answer
# must not switch the conversation's language ("14 Heol y Bont").
NEUTRAL_WORDS = frozenset(
    "heol ffordd stryd lôn lon y yr maes bryn cwm llan pant tŷ ty cae bont pont nant "
    "coed tref plas glan pen rhos parc cefn ok okay ta".split()
)
# The least total evidence (natural log-odds) for a language to be named.
DEFAULT_THRESHOLD = 2.0
_NGRAMS = (2, 3, 4)


def words(text: str) -> list[str]:
    """The scorable words of `text`: identifiers, numbers and place-name words removed."""
    # Postcodes, references, house numbers and times all hold a digit.
    text = " ".join(part for part in text.split() if not any(c.isdigit() for c in part))
    found_words = (w.lower().replace("’", "'") for w in _WORD.findall(text))
    return [w for w in found_words if w not in NEUTRAL_WORDS]


def features(word: str) -> list[str]:
    """Letter n-grams of a word with its edges marked."""
    padded = f"<{word}>"
    return [padded[i : i + n] for n in _NGRAMS for i in range(len(padded) - n + 1)]


@dataclass
class LanguageProfile:
    """Word and n-gram counts per language; `detect` gives 'cy', 'en' or None."""

    word_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    gram_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    threshold: float = DEFAULT_THRESHOLD

    @classmethod
    def learn(
        cls, labelled: Iterable[tuple[str, str]], threshold: float = DEFAULT_THRESHOLD
    ) -> LanguageProfile:
        """Count words and n-grams of (text, language) pairs."""
        word_counts = {lang: Counter[str]() for lang in LANGUAGES}
        gram_counts = {lang: Counter[str]() for lang in LANGUAGES}
        for text, language in labelled:
            if language not in LANGUAGES:
                continue
            for word in words(text):
                word_counts[language][word] += 1
                gram_counts[language].update(features(word))
        return cls(
            {lang: dict(c) for lang, c in word_counts.items()},
            {lang: dict(c) for lang, c in gram_counts.items()},
            threshold,
        )

    def _log_ratio(self, counts: dict[str, dict[str, int]], key: str) -> float:
        """log P(key | cy) - log P(key | en), add-one smoothed."""
        cy, en = counts.get("cy", {}), counts.get("en", {})
        vocabulary = len(set(cy) | set(en)) + 1
        p_cy = (cy.get(key, 0) + 1) / (sum(cy.values()) + vocabulary)
        p_en = (en.get(key, 0) + 1) / (sum(en.values()) + vocabulary)
        return math.log(p_cy / p_en)

    def word_score(self, word: str) -> float:
        """Evidence for Welsh (positive) or English (negative) from one word."""
        grams = features(word)
        letters = sum(self._log_ratio(self.gram_counts, g) for g in grams) / max(1, len(grams))
        known = any(word in counts for counts in self.word_counts.values())
        return letters + (self._log_ratio(self.word_counts, word) if known else 0.0)

    def score(self, text: str) -> float:
        """Total evidence for Welsh (positive) or English (negative) in a message."""
        return sum(self.word_score(word) for word in words(text))

    def detect(self, text: str) -> str | None:
        """'cy' or 'en' when the message clearly is in it, else None."""
        total = self.score(text)
        if total >= self.threshold:
            return "cy"
        if total <= -self.threshold:
            return "en"
        return None

    def leans_welsh(self, text: str) -> bool:
        """True when the message is more likely Welsh than English (for normalising words)."""
        return self.score(text) > 0.0
