"""What the matcher's shortcuts rely on (graph/resolve/compare.py)."""

from itertools import combinations, permutations
from pathlib import Path

from rapidfuzz import fuzz

import loaders
from graph.names import fold, fold_vowels, tokens
from graph.resolve import ROMANISATION, WORD_MATCH, word_similarity
from graph.resolve.compare import _ROMAN, _initial_vowel
from loaders.records import Record

DATA = Path(__file__).resolve().parents[2] / "data"

WORDS = ["aleksandr", "alexander", "sergei", "sergey", "mohammed", "muhammad", "khoury", "khuri",
         "kolesnik", "kolesnikov", "hailun", "hailin", "centre", "center", "ii", "iii", "2019", "2020",
         "bank", "banka", "xpcc", "morshed", "marshad", "al", "ali", "a"]


def test_word_similarity_is_symmetric():
    # _align asks for each pair of words in one order only (one cache entry a pair).
    for x, y in permutations(WORDS, 2):
        assert word_similarity.__wrapped__(x, y) == word_similarity.__wrapped__(y, x), (x, y)


def _similarity_in_full(x: str, y: str) -> float:
    """word_similarity as its docstring defines it, every ratio computed: the oracle of
    its shortcuts (lengths, ratios' cutoffs)."""
    if x == y:
        return 1.0
    if any(w.isdigit() or w in _ROMAN for w in (x, y)):
        return 0.0
    fx, fy = fold(x), fold(y)
    if fx == fy or _initial_vowel(fx) == _initial_vowel(fy):
        return ROMANISATION
    s = max(fuzz.ratio(x, y), fuzz.ratio(fx, fy), ROMANISATION * fuzz.ratio(fold_vowels(x), fold_vowels(y)))
    return round(s / 100, 3)


def test_word_similarity_shortcuts_lose_no_alike_words():
    # Every pair of 400 words of the UN list's names: the similarity where it is
    # WORD_MATCH or more, 0 below it.
    records = loaders.get("un-xml")().read([DATA / "un" / "UN_consolidated_2026-02-27.xml"])
    words = sorted({w for r in records if isinstance(r, Record) for n in r.all_names() for w in tokens(n)})
    words = words[:: len(words) // 400][:400]
    near = 0
    for x, y in combinations(words, 2):
        full = _similarity_in_full(x, y)
        assert word_similarity.__wrapped__(x, y) == (full if full >= WORD_MATCH else 0.0), (x, y, full)
        near += WORD_MATCH - 0.05 <= full < WORD_MATCH + 0.05
    assert near >= 50  # pairs on both sides of the threshold were tried
