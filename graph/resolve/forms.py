"""The name forms resolution compares, beyond what graph/names.py gives search and
resolution alike: what a form left out to be equal (a title), whether an alias is a weak
short form of the record's own name, and whether a name is written in Latin script.

"NASSER AL SHEIKH ALI" keeps its "al sheikh": after an article the word is part of the
family name (al-Sheikh), not a title; "Hajji Malik NOORZAI" loses "hajji", and the form
remembers it, so a match that needed it dropped is weaker than one that did not.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from graph.names import ARTICLES, HONORIFICS, _bracket_variants, name_forms, tokens
from loaders.base import country_code

_ONLY_HAN = re.compile(r"^[\u3400-\u9fff·\s]+$")
#: An organisation's alias of at most this many words that names the brand a group's
#: members share rather than the body: "SBER BANK" of "BPS-SBERBANK", "Alfa-Bank" of
#: "Alfa-Bank (Belarus)" (see `short_forms`). It never joins on its own.
SHORT_FORM_WORDS = 2


@dataclass(frozen=True)
class Form:
    """One way a written name is compared: its words, and the titles left out."""

    words: tuple[str, ...]
    dropped: tuple[str, ...] = ()


@lru_cache(maxsize=200_000)
def person_forms(name: str) -> tuple[Form, ...]:
    """A person's name as word sequences (see graph.names.name_forms), each with the
    titles ("Hajji", "Maulawi", Burmese "U") it left out."""
    forms: dict[Form, None] = {}
    for variant in _bracket_variants(name):
        words = tuple(tokens(variant))
        if not words:
            continue
        if _ONLY_HAN.match(variant.strip()) and 2 <= len(words) <= 4:
            forms[Form(words)] = None
            forms[Form((words[0], "".join(words[1:])))] = None
            continue
        forms[_person_words(words)] = None
    return tuple(forms)


def _person_words(words: tuple[str, ...]) -> Form:
    """Without titles, and with an article written apart joined to its word as a hyphen
    would ("AL ZAHRANI" → alzahrani). A title after an article is a name ("Al Sheikh")."""
    out: list[str] = []
    dropped: list[str] = []
    for w in words:
        after_article = bool(out) and out[-1] in ARTICLES
        if w in HONORIFICS and not after_article:
            dropped.append(w)
            continue
        if after_article:
            out[-1] += w
        else:
            out.append(w)
    if not out:
        return Form(words)
    return Form(tuple(out), tuple(dropped))


def forms(name: str, organisation: bool) -> tuple[Form, ...]:
    if organisation:
        return tuple(Form(words) for words in name_forms(name, True))
    return person_forms(name)


@lru_cache(maxsize=100_000)
def short_forms(names: tuple[str, ...]) -> frozenset[str]:
    """An organisation's aliases that name its group's brand, not the body: at most
    SHORT_FORM_WORDS words that its main name (the first) holds inside a word longer by
    three letters or more ("Sber Bank" in "BPS-Sberbank": the brand with a member's
    prefix; not "Stankoinstrument" in "RT-Stankoinstrument", Rostec's) or beside a
    country ("Alfa-Bank" of "Alfa-Bank (Belarus)": the brand's member in that country).
    A main name that only adds what kind of body it is, or what it does ("KAMAZ PTC",
    "Rosneft Oil Company"), keeps its short name strong."""
    if len(names) < 2:
        return frozenset()
    main = name_forms(names[0], True)
    weak = set()
    for alias in names[1:]:
        for words in name_forms(alias, True):
            letters = "".join(words)
            if len(words) > SHORT_FORM_WORDS or len(letters) < 3:
                continue
            for m in main:
                if any(letters in w and len(w) >= len(letters) + 3 for w in m):
                    weak.add(alias)
                rest = _without(m, words)
                # Country names as written, not the nearest one: a fuzzy search costs
                # milliseconds a name, and "holding" is no misspelt country.
                if (
                    rest
                    and rest != m
                    and (
                        country_code(" ".join(rest), fuzzy=False)
                        or all(country_code(w, fuzzy=False) for w in rest)
                    )
                ):
                    weak.add(alias)
    return frozenset(weak)


def _without(words: tuple[str, ...], part: tuple[str, ...]) -> tuple[str, ...] | None:
    """`words` less the run `part`, or None if it has no such run."""
    n = len(part)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == part:
            return words[:i] + words[i + n :]
    return None


@lru_cache(maxsize=200_000)
def is_latin(name: str) -> bool:
    """Written in Latin script (digits and punctuation aside)."""
    letters = [ch for ch in name if ch.isalpha()]
    # ASCII letters are all Latin ones: only other names need the letters' names read.
    return bool(letters) and (
        name.isascii() or all(unicodedata.name(ch, "").startswith("LATIN") for ch in letters)
    )
