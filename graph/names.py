"""Name normalisation shared by search and resolution.

Lists write one name many ways: "CHEN, Quanguo", "Chen Quanguo", "CHEN Quan-guo",
"陈全国". Both sides of every comparison go through `normalize`, so what differs is
only what truly differs.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/\\.,;:()\[\]{}\"“”'‘’`´·•|&+]+")
_HAN = re.compile(r"[\u3400-\u9fff]")


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """Lower-case ASCII words separated by single spaces; hyphens join syllables.

    "CHEN, Quan-guo" → "chen quanguo"; "陈全国" → "chen quan guo" (one word per Han
    syllable, so it matches the pinyin written apart or together via `compact`).
    """
    text = unicodedata.normalize("NFKC", name)
    if _HAN.search(text):
        # anyascii writes Han syllables capitalised and run together: split them.
        text = " ".join(re.findall(r"[A-Z][a-z]*|[a-z]+|\d+", anyascii(text)))
    else:
        text = anyascii(text)
    text = re.sub(r"(?<=\w)[\-‐‑'’](?=\w)", "", text)
    return " ".join(_SEPARATORS.split(text.lower())).strip()


def tokens(name: str) -> list[str]:
    return normalize(name).split()


def compact(name: str) -> str:
    """The name without spaces: "chen quan guo" and "chen quanguo" agree."""
    return normalize(name).replace(" ", "")


def sorted_compact(name: str) -> str:
    """Word order removed as well: "WANG, Mingshan" and "Mingshan Wang" agree."""
    return "".join(sorted(tokens(name)))


def search_forms(names: list[str]) -> list[str]:
    """What the full-text index holds for an entity besides its names as written."""
    forms: dict[str, None] = {}
    for name in names:
        norm = normalize(name)
        if norm:
            forms[norm] = None
            forms[norm.replace(" ", "")] = None
    return list(forms)
