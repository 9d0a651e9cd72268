"""Comparison: how likely two records describe one target, with the evidence in words;
and what rules it out whatever the names (`conflict`)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from math import prod

from rapidfuzz import fuzz

from graph.names import (PATRONYMIC, acronyms, contract_acronyms, fold, fold_vowels,
                         is_acronym_candidate, legal_forms, name_forms, skeleton, tokens)
from graph.resolve.model import _ISO, Comparison, Features
from loaders.base import country_code

#: Scores at or above this merge; between REVIEW and MERGE a person should look.
MERGE = 0.90
REVIEW = 0.75
#: Two words are one spelt differently from this similarity up ("Hailun"/"Hailin" 0.83).
WORD_MATCH = 0.80
#: Words that differ only by romanisation ("Sergei"/"Sergey", "Mohammed"/"Muhammad").
ROMANISATION = 0.95
#: A person named by one word only ("Sergei", an alias split off a list entry) is at best
#: a candidate for review.
ONE_WORD_NAME = REVIEW + 0.05
#: A person's name that has one word more than the other ("Alexander Petrovich
#: Kalashnikov" / "Alexander Kalashnikov") scores this share of a full match: it takes a
#: birth date that agrees to reach MERGE.
EXTRA_WORD = 0.86
#: A patronymic only one list writes ("Igor Olegovich SHCHEGOLEV" / "Igor SHCHEGOLEV"),
#: or its initial ("Oleg F. SILCHENKO"), is left out by whole lists, not by chance: it
#: costs less than another extra word.
EXTRA_PATRONYMIC = 0.95
#: ... but when each record writes a patronymic somewhere and none agree ("Aleksandr
#: PASHKEVICH" with an alias "… Mikhailovich", against "… Nikolaevich"), it counts.
PATRONYMICS_DIFFER = 0.15
#: Birth dates of one year that differ in month or day (1971-06-10 / 1971-06-19): as
#: often a typo in one list as two people, so they cost, and do not rule out.
SAME_YEAR = 1
#: What birth dates add (or cost), by how precisely they agree (characters of ISO date).
BIRTH_DATE_BONUS = {10: 0.05, 7: 0.04, 4: 0.02, SAME_YEAR: -0.10}
#: A person's record without a birth date: the name alone is weaker evidence.
NO_BIRTH_DATE = 0.04
#: Birth places that share a name ("Chegem-1 Village, Chegemskiy District" / "Chegem/
#: Kabardino-Balkaria"). Places are written too differently for a difference to count.
BIRTH_PLACE_AGREES = 0.05
#: Words of birth places that name no place, or only a country (nationality covers it).
PLACE_WORDS = frozenset("""
    city village town district province region oblast republic state county area governorate
    autonomous krai rayon municipality former currently now near north south east west
    central federation soviet ussr ssr
""".split())
#: Nationalities that differ take a birth date agreeing to the day to merge.
NATIONALITY_AGREES, NATIONALITY_DIFFERS = 0.02, 0.15
#: An organisation's countries (addresses) differ more often than a person's
#: nationality (branches abroad), yet a name match across them needs a person's look.
COUNTRY_AGREES, COUNTRY_DIFFERS = 0.02, 0.15
#: "… Technopromexport JSC" and "… Technopromexport LLC" are two companies.
LEGAL_FORM_DIFFERS = 0.15
#: Names equal once an acronym is spelt out ("XPCC Public Security Bureau"), and names
#: where only acronyms agree ("ASRC" / "Astronautics Systems Research Center").
ACRONYM_AND_WORDS, ACRONYM_ONLY = 0.95, 0.85
#: Vessel names repeat across fleets: without IMO numbers on both a vessel pair is only
#: ever a candidate for review.
VESSEL_NAMES_ONLY = MERGE - 0.01
#: Lists that enter one target once per regime (Canada: Maduro under Venezuela and
#: under the JVCFOA), so two entries of the same person are common there.
REPEATS_TARGETS = frozenset({"ca-sema"})


def conflict(a: Features, b: Features) -> str | None:
    """What says two records cannot be one target, whatever their names."""
    if a.schema != b.schema:
        return f"one is a {a.schema}, the other a {b.schema}"
    if a.birth_dates and b.birth_dates and not _dates_agreement(a.birth_dates, b.birth_dates)[0]:
        return f"birth dates differ: {', '.join(a.birth_dates)} / {', '.join(b.birth_dates)}"
    if a.gender and b.gender and a.gender != b.gender:
        return f"genders differ: {a.gender} / {b.gender}"
    if a.imo_numbers and b.imo_numbers and not set(a.imo_numbers) & set(b.imo_numbers):
        return f"IMO numbers differ: {', '.join(a.imo_numbers)} / {', '.join(b.imo_numbers)}"
    return None


def compare(a: Features, b: Features) -> Comparison:
    """How likely two records describe one target, with the evidence in words."""
    why = conflict(a, b)
    if why:
        return Comparison(a.key, b.key, 0.0, (f"conflict: {why}",), conflict=why)
    organisation = a.schema != "Person"
    name_score, name_a, name_b, detail = best_names(a.names, b.names, organisation)
    features = [f"names {name_a!r} ~ {name_b!r}: {detail} ({name_score:.2f})" if name_a
                else "no names alike"]
    score = name_score
    precision = 0
    if a.schema == "Person":
        if a.birth_dates and b.birth_dates:
            precision, pa, pb = _dates_agreement(a.birth_dates, b.birth_dates)
            score += BIRTH_DATE_BONUS[precision]
            features.append(f"born {pa} / {pb}: " + (
                "same year, month or day differ" if precision == SAME_YEAR
                else "the same possible dates" if ", " in pa
                else f"agree to the {_PRECISION[precision]}"))
        else:
            score -= NO_BIRTH_DATE
            features.append("no birth date on " + ("either" if not (a.birth_dates or b.birth_dates)
                                                  else (a.key if not a.birth_dates else b.key)))
        score += _overlap(features, ("nationality", "nationalities"), a.nationalities,
                          b.nationalities, NATIONALITY_AGREES, NATIONALITY_DIFFERS)
        place = sorted(_place_words(a.birth_places) & _place_words(b.birth_places))
        if place:
            score += BIRTH_PLACE_AGREES
            features.append(f"born in the same place: {place[0]}")
        if a.gender and a.gender == b.gender:
            features.append(f"both {a.gender}")
        differ = _patronymics_differ(a.names, b.names)
        if differ:
            score -= PATRONYMICS_DIFFER
            features.append(f"patronymics differ: {differ}")
    else:
        score += _overlap(features, ("country", "countries"), a.countries, b.countries,
                          COUNTRY_AGREES, COUNTRY_DIFFERS)
        forms_a, forms_b = legal_forms(name_a), legal_forms(name_b)
        if forms_a and forms_b and not forms_a & forms_b:
            score -= LEGAL_FORM_DIFFERS
            features.append(f"legal forms differ: {', '.join(sorted(forms_a))} / "
                            f"{', '.join(sorted(forms_b))}")
    if a.schema == "Vessel":
        shared = sorted(set(a.imo_numbers) & set(b.imo_numbers))
        if shared:
            score = 1.0
            features.append(f"same IMO number {shared[0]}")
        else:
            score = min(score, VESSEL_NAMES_ONLY)
            features.append("no IMO number on both: names alone do not merge vessels")
    return Comparison(a.key, b.key, round(max(0.0, min(1.0, score)), 3), tuple(features),
                      name_score=name_score, birth_date_precision=precision)


_PRECISION = {10: "day", 7: "month", 4: "year"}


def _overlap(features: list[str], what: tuple[str, str], xs: tuple[str, ...],
             ys: tuple[str, ...], agrees: float, differs: float) -> float:
    # Only ISO codes compare: a country a loader could not recognise says nothing.
    xs, ys = tuple(x for x in xs if _ISO.match(x)), tuple(y for y in ys if _ISO.match(y))
    if not xs or not ys:
        return 0.0
    shared = sorted(set(xs) & set(ys))
    if shared:
        features.append(f"{what[0]} {', '.join(shared)} on both")
        return agrees
    features.append(f"{what[1]} differ: {', '.join(xs)} / {', '.join(ys)}")
    return -differs


@dataclass(frozen=True)
class _Name:
    written: str
    words: tuple[str, ...]
    #: The words in any order and run together: equal keys are the same name.
    keys: frozenset[str]
    #: The acronyms the name's words would make, and its words that could be acronyms.
    acronyms: frozenset[str]
    short_words: frozenset[str]
    #: Its words by consonants (see `skeleton`): names with none in common are not alike.
    skeletons: frozenset[str]


@lru_cache(maxsize=100_000)
def _prepared(names: tuple[str, ...], organisation: bool) -> tuple[_Name, ...]:
    return tuple(
        _Name(name, words,
              # A person's one-word name is never "the same name" (see compare_words).
              frozenset(("".join(sorted(words)), "".join(words)))
              if organisation or len(words) > 1 else frozenset(),
              acronyms(words) if organisation else frozenset(),
              frozenset(w for w in words if is_acronym_candidate(w)) if organisation else frozenset(),
              frozenset(skeleton(w) for w in words))
        for name in names for words in name_forms(name, organisation))


def best_names(names_a: tuple[str, ...], names_b: tuple[str, ...],
               organisation: bool) -> tuple[float, str, str, str]:
    """The most alike pair of names of two records: (score, name, name, why).

    Names with a key in common are the same name; otherwise only pairs that share a
    word (by its consonants, as candidate search does) or an acronym are compared word
    by word.
    """
    pa, pb = _prepared(names_a, organisation), _prepared(names_b, organisation)
    if not pa or not pb:
        return 0.0, "", "", ""
    by_key = {k: x for x in pa for k in x.keys}
    for y in pb:
        for k in y.keys:
            if k in by_key:
                x = by_key[k]
                return 1.0, x.written, y.written, ("same words" if sorted(x.words) == sorted(y.words)
                                                   else "same letters, spaced differently")
    best = (0.0, "", "", "")
    for x in pa:
        for y in pb:
            if x.skeletons & y.skeletons or x.short_words & y.acronyms or y.short_words & x.acronyms:
                s, detail = compare_words(x.words, y.words, organisation)
                if s > best[0]:
                    best = (s, x.written, y.written, detail)
    return best


@lru_cache(maxsize=500_000)
def compare_words(a: tuple[str, ...], b: tuple[str, ...], organisation: bool) -> tuple[float, str]:
    """Similarity of two names as word sequences (see `name_forms`), and why.

    What differs weighs as much as what is shared: "Xinjiang Public Security Bureau"
    inside "Xinjiang Production and Construction Corps Public Security Bureau" shares
    four words and lacks three, 4/7. A person's name with one word more (a patronymic)
    scores EXTRA_WORD; names whose words differ on both sides score by their overlap.
    """
    one_word = min(len(a), len(b)) == 1
    if one_word and not organisation:
        # "Sergei" alone, or a mononym: too common to say who it is.
        return (ONE_WORD_NAME, "a one-word name") if a == b else (0.0, "a one-word name")
    if sorted(a) == sorted(b):
        return 1.0, "same words"
    if "".join(a) == "".join(b) or "".join(sorted(a)) == "".join(sorted(b)):
        return 1.0, "same letters, spaced differently"
    notes: list[str] = []
    if organisation:
        a, b, notes = contract_acronyms(a, b)
        if notes and sorted(a) == sorted(b):
            spelt = "; ".join(notes)
            if set(a) <= {n.split(" = ")[0].lower() for n in notes}:
                return ACRONYM_ONLY, f"only acronyms agree: {spelt}"
            return ACRONYM_AND_WORDS, f"same words once acronyms are spelt out: {spelt}"
    matched, only_a, only_b = _align(a, b)
    if not matched:
        return 0.0, "no word in common"
    sims = [s for _, _, s in matched]
    variants = [f"{x}~{y}" for x, y, s in matched if s < 1.0]
    if variants:
        notes.append("spelt differently: " + ", ".join(variants))
    # Every word must agree: a product, so one surname spelt apart ("Kolesnik" /
    # "Kolesnikov", 0.89) is not diluted by the words that are equal.
    agreement = prod(sims)
    if not only_a and not only_b:
        score = agreement
    elif not organisation and len(matched) >= 2 and len(only_a) + len(only_b) == 1:
        extra = (only_a or only_b)[0]
        if PATRONYMIC.search(extra) or len(extra) == 1:
            score = EXTRA_PATRONYMIC * agreement
            notes.append(f"one has the patronymic: {extra}" if len(extra) > 1
                         else f"one has an initial: {extra}")
        else:
            score = EXTRA_WORD * agreement
            notes.append(f"one has a word more: {extra}")
    else:
        score = sum(sims) / (len(a) + len(b) - len(matched))
        if only_a and only_b:
            notes.append(f"words differ: {' '.join(only_a)} / {' '.join(only_b)}")
        else:
            notes.append(f"only one has: {' '.join(only_a or only_b)}")
    if one_word:
        # A one-word company name spelt differently ("Sirius" / "Syriss") is another
        # company as often as not.
        score = min(score, ONE_WORD_NAME)
        notes.append("a one-word name")
    return round(score, 3), "; ".join(notes)


def _align(a: tuple[str, ...], b: tuple[str, ...]
           ) -> tuple[list[tuple[str, str, float]], list[str], list[str]]:
    """Pair each word with its most similar counterpart: equal words first, then the
    most alike pairs of the rest."""
    rest_b = list(b)
    matched: list[tuple[str, str, float]] = []
    rest_a = []
    for w in a:
        if w in rest_b:
            rest_b.remove(w)
            matched.append((w, w, 1.0))
        else:
            rest_a.append(w)
    scored = sorted((-word_similarity(x, y), i, j) for i, x in enumerate(rest_a)
                    for j, y in enumerate(rest_b))
    used_a: set[int] = set()
    used_b: set[int] = set()
    for s, i, j in scored:
        if -s < WORD_MATCH:
            break
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((rest_a[i], rest_b[j], -s))
    return (matched, [w for i, w in enumerate(rest_a) if i not in used_a],
            [w for j, w in enumerate(rest_b) if j not in used_b])


_ROMAN = frozenset("i ii iii iv v vi vii viii ix x xi xii".split())


@lru_cache(maxsize=500_000)
def word_similarity(x: str, y: str) -> float:
    """1 for the same word; high for romanisation variants ("aleksandr"/"alexander");
    numbers, Roman ones too ("Investments II"/"III"), must be equal."""
    if x == y:
        return 1.0
    if x.isdigit() or y.isdigit() or x in _ROMAN or y in _ROMAN:
        return 0.0
    if fold(x) == fold(y):
        return ROMANISATION
    s = max(fuzz.ratio(x, y), fuzz.ratio(fold(x), fold(y)),
            ROMANISATION * fuzz.ratio(fold_vowels(x), fold_vowels(y))) / 100
    return round(s, 3)


@lru_cache(maxsize=100_000)
def _place_words(places: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for place in places for w in tokens(place)
                     if len(w) >= 4 and w not in PLACE_WORDS and not country_code(w))


def _patronymics_differ(names_a: tuple[str, ...], names_b: tuple[str, ...]) -> str:
    """The patronymics each record writes, in any of its names, that the other lacks;
    empty unless both have such. Surnames of the same form ("Pashkevich") are on both
    and drop out."""
    pa, pb = _patronymics(names_a), _patronymics(names_b)
    only_a = [x for x in pa if not any(word_similarity(x, y) >= WORD_MATCH for y in pb)]
    only_b = [y for y in pb if not any(word_similarity(x, y) >= WORD_MATCH for x in pa)]
    if not only_a or not only_b:
        return ""
    return f"{', '.join(sorted(only_a))} / {', '.join(sorted(only_b))}"


@lru_cache(maxsize=100_000)
def _patronymics(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for n in names for words in name_forms(n, False) for w in words
                     if len(w) > 6 and PATRONYMIC.search(w))


def _dates_agreement(xs: tuple[str, ...], ys: tuple[str, ...]) -> tuple[int, str, str]:
    """How precisely the best-agreeing pair of dates agrees: 10, 7 or 4 (characters of
    the ISO dates) when the shorter is a prefix of the longer (1955 ≈ 1955-11);
    SAME_YEAR when they share only the year; 0 when no pair does. Two equal lists of
    several dates agree as a month would."""
    best = (0, "", "")
    for x in xs:
        for y in ys:
            if x.startswith(y) or y.startswith(x):
                shorter = min(len(x), len(y))
                precision = 10 if shorter >= 10 else 7 if shorter >= 7 else 4
            elif x[:4] == y[:4]:
                precision = SAME_YEAR
            else:
                continue
            if precision > best[0]:
                best = (precision, x, y)
    if len(xs) > 1 and set(xs) == set(ys) and best[0] < 7:
        # The same list of possible dates ("1964, 1965, 1966") says more than one year.
        return (7, ", ".join(xs), ", ".join(ys))
    return best


