"""What the matcher's shortcuts rely on (graph/resolve/compare.py)."""

from itertools import permutations

from graph.resolve import word_similarity

WORDS = ["aleksandr", "alexander", "sergei", "sergey", "mohammed", "muhammad", "khoury", "khuri",
         "kolesnik", "kolesnikov", "hailun", "hailin", "centre", "center", "ii", "iii", "2019", "2020",
         "bank", "banka", "xpcc", "morshed", "marshad", "al", "ali", "a"]


def test_word_similarity_is_symmetric():
    # _align asks for each pair of words in one order only (one cache entry a pair).
    for x, y in permutations(WORDS, 2):
        assert word_similarity.__wrapped__(x, y) == word_similarity.__wrapped__(y, x), (x, y)

