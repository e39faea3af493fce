"""Welsh initial mutations, undone by design: every form of a word gets one key.

A Welsh word's first sound changes with the word before it: treth, dreth, nhreth;
bin, fin, min; cyngor, gyngor, nghyngor; casglu, gasglu. Instead of listing forms,
each word is reduced to a key naming its family of initial consonants (those that
can mutate into one another) and the rest of the word, so "fy miniau" and "biniau"
share a feature. Pure Python: no Rasa import.
"""

from __future__ import annotations

import re

# Initial letters, longest first, and the family each belongs to. Families join a
# radical with its soft, nasal and aspirate forms: p/b/mh/ph/f/m, t/d/nh/th/dd/n,
# c/g/ngh/ng/ch (and a dropped g: a vowel), ll/l, rh/r.
_INITIALS = (
    ("ngh", "c"),
    ("ng", "c"),
    ("ch", "c"),
    ("mh", "p"),
    ("ph", "p"),
    ("nh", "t"),
    ("th", "t"),
    ("dd", "t"),
    ("ff", "ff"),
    ("ll", "l"),
    ("rh", "r"),
    ("p", "p"),
    ("b", "p"),
    ("m", "p"),
    ("f", "p"),
    ("t", "t"),
    ("d", "t"),
    ("n", "t"),
    ("c", "c"),
    ("g", "c"),
    ("l", "l"),
    ("r", "r"),
)
_VOWELS = "aeiouwyâêîôûŵŷ"
# Short words joined to the one before ("miniau'n", "i'r", "mae'r"): dropped from the key.
_CLITIC = re.compile(r"['’](?:n|r|i|w|m|th|ch|u|ch)$")


def radical_key(word: str) -> str:
    """One key for every mutated form of `word`: 'treth', 'dreth', 'nhreth' -> 't_reth'."""
    word = _CLITIC.sub("", word.lower())
    for initial, family in _INITIALS:
        if word.startswith(initial) and len(word) > len(initial):
            return f"{family}_{word[len(initial) :]}"
    if word and word[0] in _VOWELS:
        return f"c_{word}"  # a soft-mutated g drops: (g)ardd, (g)waith
    return word
