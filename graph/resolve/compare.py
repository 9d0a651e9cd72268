"""Comparison: how likely two records describe one target, with the evidence in words;
and what rules it out whatever the names (`conflict`)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from math import prod
from typing import NamedTuple

import pycountry
from rapidfuzz import fuzz

from graph.names import (
    BELARUSIAN_PATRONYMIC,
    PATRONYMIC,
    acronyms,
    contract_acronyms,
    fold,
    fold_vowels,
    is_acronym_candidate,
    legal_forms,
    skeleton,
    tokens,
)
from graph.resolve.forms import Form, forms, is_latin, short_forms
from graph.resolve.model import _ISO, Comparison, Features, names_a_day
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
#: A name of a given name and a patronymic only ("Олег Анатольевич", an alias "Viktor
#: ALEKSANDROVICH") inside a name with a surname: many people share the two, and the
#: surname, the word that would tell, is missing. Low enough that birth date, nationality
#: and birth place together keep it below REVIEW (born the same day, it is for review).
#: On the real lists: 39 pairs for review between people of two surnames ("Andrei
#: Siarheevich PALCHIK" / "Andrei Sergeevich MANDEL"), and no join.
GIVEN_AND_PATRONYMIC_ONLY = 0.60
#: ... but when each record writes a patronymic somewhere and none agree ("Aleksandr
#: PASHKEVICH" with an alias "… Mikhailovich", against "… Nikolaevich"), it counts.
PATRONYMICS_DIFFER = 0.15
#: Birth dates are evidence, not a veto, unless they are far apart: lists copy dates by
#: hand, give a year where another gives the day, write "circa". What each relation of
#: the best-agreeing pair of dates adds (agreement) or costs (soft disagreement), best
#: first; strong agreement elsewhere (the full name with its patronymic, a nationality,
#: a birth place) carries a soft one. Only dates more than YEARS_APART years apart, and
#: not one digit of the year off (or two swapped) on the same day and month, rule out.
BIRTH_DATES = {
    "day": 0.05,  # 1971-06-10 / 1971-06-10
    "month": 0.04,  # 1958-01 / 1958-01-17
    "possible dates": 0.04,  # the same list of possible years (1964, 1965, 1966)
    "year": 0.02,  # 1955 / 1955-11
    "day and month swapped": -0.02,  # 1971-04-02 / 1971-02-04
    "near a circa date": -0.04,  # circa 1955 / 1956-03-02: within CIRCA_YEARS
    "a digit of the day or month": -0.05,  # 1971-06-10 / 1971-06-19
    "a digit of the year": -0.06,  # 1957-12-15 / 1967-12-15, 1983-12-01 / 1984-12-01
    "two digits of the year swapped": -0.06,  # 1976-06-20 / 1967-06-20
    "a digit of the year, years apart": -0.25,  # 1967-06-30 / 1987-06-30: for review at best
    "same year": -0.10,  # 1971-03 / 1971-11-02
    "one year apart": -0.08,  # 1961 / 1960, 1946-02-19 / 1947
    "years apart": -0.25,  # 1975 / 1972, up to YEARS_APART: for review at best
}
#: Birth years further apart than this rule out one person (unless one digit of the year
#: differs on the same day and month: a typo).
YEARS_APART = 6
#: A date the list itself gives as approximate ("circa 1955", UN "APPROXIMATELY", EU
#: circa="true") and another up to this many years from it differ as the list warned.
CIRCA_YEARS = 2
#: How precisely agreeing dates agree (characters of ISO date), as `Comparison` keeps it.
_DATE_PRECISION = {"day": 10, "month": 7, "possible dates": 7, "year": 4}
#: A person's record without a birth date: the name alone is weaker evidence.
NO_BIRTH_DATE = 0.04
#: Birth places that share a name ("Chegem-1 Village, Chegemskiy District" / "Chegem/
#: Kabardino-Balkaria"). Places are written too differently for a difference to count.
BIRTH_PLACE_AGREES = 0.05
#: Words of birth places that name no place, or only a country (nationality covers it).
PLACE_WORDS = frozenset(
    [
        "city",
        "village",
        "town",
        "district",
        "province",
        "region",
        "oblast",
        "republic",
        "state",
        "county",
        "area",
        "governorate",
        "autonomous",
        "krai",
        "rayon",
        "municipality",
        "former",
        "currently",
        "now",
        "near",
        "north",
        "south",
        "east",
        "west",
        "central",
        "federation",
        "soviet",
        "ussr",
        "ssr",
    ]
)
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
#: A person's name equal to the other only once a title is left out ("Sheikh", "Hajji"):
#: titles are given to many, so it takes a birth date or a nationality that agrees.
TITLE_DROPPED = 0.88
#: A name the list itself grades weak (a nickname, a kunya: "ABU ISMAIL") matching the
#: other record's name: it takes a birth date or nationality that agrees to merge.
WEAK_ALIAS = 0.88
#: An identity document or registration number on both ("Passport 403062567", "Registration
#: ID 1027700159497"): strong agreement, enough to carry a soft date difference.
ID_NUMBER_AGREES = 0.10
#: A person's name whose every word is a word of the other's, as the UN writes a name
#: with its lineage ("ABO GHAITH, Sulaiman Jassem" / "SULAIMAN JASSEM SULAIMAN ALI ABO
#: GHAITH"), born the same day (not a first or last day of a year, often a year written
#: as a day): one person ("JAMMEH, Zineb Souma Yahya" / "Zineb JAMMEH";
#: on the real lists 9 such pairs, each one person, had been left for review: stop 64).
#: Where a nationality or a patronymic differs, a candidate for review (the pages then say
#: "not known", never "not designated"), unless an identity number is in common too
#: ("HARZI, Ali Ouni", passport W342058).
CONTAINED_BORN_SAME_DAY = MERGE
CONTAINED_IN_DOUBT = REVIEW
#: A person born the same day as the other (a day, not a year written as its first or last
#: day), two words or more of whose name have their like in the other's, no nationality
#: or patronymic differing: whatever the rest of the names, a candidate for review at
#: least, never "not designated" (OFAC's "AL-'AJMI, Hajjaj Fahd Hajjaj Muhammad Shabib" /
#: the UK's "Hajjaj Bin Fahd AL AJMI", 0.71). Twins share a surname, not two words.
BORN_SAME_DAY_WORDS_ALIKE = REVIEW
#: An identity number on both (a passport, a national id) and a birth date agreeing to the
#: day, no nationality differing: one person however the lists write the name ("SAMI BEN
#: KHAMIS BEN SALEH ELSSEID" / "ESSID, Sami Ben Khemais", passport K929139, 1968-02-10).
ID_NUMBER_BORN_SAME_DAY = MERGE
#: A person's names whose every word has its like in the other's (WORD_MATCH or more: "Rakhim
#: AZIMOV" / "ASIMOV, Rahim", "Galina DANILCHENKO" / "Halyna DANYLCHENKO"; a patronymic or
#: an initial only one writes aside), born the same day (as above), no nationality and no patronymic
#: differing: one person two lists spell apart. On the real lists (OFAC's 2024 version)
#: 13 pairs left for review, every one a single person (bench/README.md, stop 64). Names
#: alike less than NAME_WORDS_ALIKE (several words each spelt apart) stay for review.
SPELT_APART_BORN_SAME_DAY = MERGE
NAME_WORDS_ALIKE = 0.70
#: compare_words' notes that leave every word of each name matched in the other.
_EVERY_WORD_ALIKE = (
    "same words",
    "same letters",
    "spelt differently",
    "one has the patronymic",
    "one has an initial",
)
#: Two organisations of two lists with a registration or tax number in common: one
#: company, where the number is long enough to be no other's (LONG_NUMBER digits: a Russian
#: INN has 10, an OGRN 13) or some word of their names is alike, and no country they
#: give differs. On the real lists every such pair was one company (15 of OFAC's 2024
#: list and the UK's: Lazurit, Rostec, Tambov's powder plant, …). Otherwise a
#: candidate for review at least: never "not designated" for a number in common.
SAME_REGISTRATION = MERGE
SHARED_NUMBER = REVIEW
LONG_NUMBER = 8
#: An organisation's short alias inside its own main name ("SBER BANK" of BPS-Sberbank):
#: the brand a group's members share, a candidate for review at best.
SHORT_FORM = 0.85
#: A ministry is one state's: two ministries in two countries are two bodies, however
#: alike their names (Syria's "MINISTRY OF INTERIOR" and Cuba's; the DPRK's "MINISTRY OF
#: STATE SECURITY" and that of the Luhansk authorities). Not even for review: a pair for
#: review makes every state's answer on either body "not known".
MINISTRY = re.compile(
    r"(?:the\s+)?(?:ministry|ministerio|minist[eè]re|ministerstvo|ministerium)\b", re.IGNORECASE
)
TWO_STATES_MINISTRIES = REVIEW - 0.01


def conflict(a: Features, b: Features) -> str | None:
    """What says two records cannot be one target, whatever their names."""
    return _conflict(a, b, _dates(a, b))


def _conflict(a: Features, b: Features, dates: DateRelation | None) -> str | None:
    """`conflict`, given how the birth dates relate (`_dates`)."""
    if a.schema != b.schema:
        return f"one is a {a.schema}, the other a {b.schema}"
    if a.birth_dates and b.birth_dates and dates is None:
        return f"birth dates differ: {', '.join(a.birth_dates)} / {', '.join(b.birth_dates)}"
    if a.gender and b.gender and a.gender != b.gender:
        return f"genders differ: {a.gender} / {b.gender}"
    if a.imo_numbers and b.imo_numbers and not set(a.imo_numbers) & set(b.imo_numbers):
        return f"IMO numbers differ: {', '.join(a.imo_numbers)} / {', '.join(b.imo_numbers)}"
    return None


def contradiction(a: Features, b: Features) -> str | None:
    """What keeps two records out of one entity unless the matcher, comparing them
    directly, found them alike enough despite it: a conflict, birth dates years apart,
    nationalities with none in common. A list's cross-reference that contradicts the
    records so is kept for review, not joined (the FCDO sample's AQD0195 cites three
    other people)."""
    why = conflict(a, b)
    if why:
        return why
    if a.birth_dates and b.birth_dates:
        dates = _dates(a, b)
        if dates and dates.kind == "years apart":
            return f"birth dates years apart: {dates.a} / {dates.b}"
    xs, ys = _iso(a.nationalities), _iso(b.nationalities)
    if xs and ys and not set(xs) & set(ys):
        return f"nationalities differ: {', '.join(xs)} / {', '.join(ys)}"
    return None


def compare(a: Features, b: Features) -> Comparison:
    """How likely two records describe one target, with the evidence in words."""
    dates = _dates(a, b)  # once, for the conflict and the score
    why = _conflict(a, b, dates)
    if why:
        return Comparison(a.key, b.key, 0.0, (f"conflict: {why}",), conflict=why)
    organisation = a.schema != "Person"
    name_score, name_a, name_b, detail = best_names(a.names, b.names, organisation)
    script_note = ""
    if a.dataset == b.dataset and not (is_latin(name_a) and is_latin(name_b)):
        # A list gives one non-Latin alias to several entries (Canada's Iran schedule
        # gives "محمد مسرور" to two people): within a list, such an alias counts only
        # where the Latin names are alike too.
        latin_a = tuple(n for n in a.names if is_latin(n))
        latin_b = tuple(n for n in b.names if is_latin(n))
        if latin_a and latin_b:
            latin = best_names(latin_a, latin_b, organisation)
            if latin[0] < REVIEW:
                script_note = (
                    f"{name_a!r} ~ {name_b!r}: a non-Latin name on two entries of one "
                    "list, not evidence on its own"
                )
                name_score, name_a, name_b, detail = latin
    if (a.weak_names or b.weak_names) and name_score < WEAK_ALIAS:
        # Only the pairs with a weak name: the others were compared above.
        weak = max(
            best_names(a.weak_names, b.names + b.weak_names, organisation, a.names + a.weak_names),
            best_names(a.names, b.weak_names, organisation, spelt_b=b.names + b.weak_names),
            key=lambda m: m[0],
        )
        if min(weak[0], WEAK_ALIAS) > name_score:
            alias = weak[1] if weak[1] in a.weak_names else weak[2]
            name_score, name_a, name_b = min(weak[0], WEAK_ALIAS), weak[1], weak[2]
            detail = f"{weak[3]}; {alias!r} is an alias the list grades weak"
    features = [f"names {name_a!r} ~ {name_b!r}: {detail} ({name_score:.2f})" if name_a else "no names alike"]
    if script_note:
        features.append(script_note)
    score = name_score
    shared_ids = sorted(set(a.id_numbers) & set(b.id_numbers)) if a.id_numbers and b.id_numbers else []
    if shared_ids and a.schema != "Vessel":
        score += ID_NUMBER_AGREES
        features.append(f"same id number {shared_ids[0]}")
    precision = 0
    dates_kind = ""
    if a.schema == "Person":
        # Dates that rule out one person are a conflict (above): these have a relation.
        if dates:
            score += BIRTH_DATES[dates.kind]
            precision, dates_kind = _DATE_PRECISION.get(dates.kind, 0), dates.kind
            features.append(
                f"born {dates.a} / {dates.b}: "
                + (
                    f"agree to the {dates.kind}"
                    if dates.kind in ("day", "month", "year")
                    else "the same possible dates"
                    if dates.kind == "possible dates"
                    else f"{dates.kind} (costs {-BIRTH_DATES[dates.kind]:.2f})"
                )
            )
        else:
            score -= NO_BIRTH_DATE
            features.append(
                "no birth date on "
                + (
                    "either"
                    if not (a.birth_dates or b.birth_dates)
                    else (a.key if not a.birth_dates else b.key)
                )
            )
        nationality = _overlap(
            features,
            ("nationality", "nationalities"),
            a.nationalities,
            b.nationalities,
            NATIONALITY_AGREES,
            NATIONALITY_DIFFERS,
        )
        score += nationality
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
        # The floors of a birth day in common. A first or last day of a year is often a
        # year written as a day (`a_day`): only an identity number is lifted by one.
        same_day = dates is not None and dates.kind == "day"
        a_day = dates is not None and same_day and names_a_day(dates.a)
        nothing_differs = nationality >= 0 and not differ
        if (
            a_day
            and nothing_differs
            and score < SPELT_APART_BORN_SAME_DAY
            and name_score >= NAME_WORDS_ALIKE
            and all(note.startswith(_EVERY_WORD_ALIKE) for note in detail.split("; "))
        ):
            score = SPELT_APART_BORN_SAME_DAY
            features.append("every word of each name alike in the other's, born the same day")
        if shared_ids and same_day and nationality >= 0 and score < ID_NUMBER_BORN_SAME_DAY:
            score = ID_NUMBER_BORN_SAME_DAY
            features.append("an identity number in common, born the same day")
        if (
            a_day
            and nothing_differs
            and score < BORN_SAME_DAY_WORDS_ALIKE
            and _words_alike(a.names, b.names) >= 2
        ):
            score = BORN_SAME_DAY_WORDS_ALIKE
            features.append("born the same day, two words of the names alike: for review")
        if same_day and score < MERGE and (within := _contained(a.names, b.names)):
            floor = (
                CONTAINED_BORN_SAME_DAY if shared_ids or (a_day and nothing_differs) else CONTAINED_IN_DOUBT
            )
            if score < floor:
                score = floor
                features.append(f"every word of {within!r} is in the other's name, born the same day")
    else:
        countries = _overlap(
            features, ("country", "countries"), a.countries, b.countries, COUNTRY_AGREES, COUNTRY_DIFFERS
        )
        score += countries
        if (
            countries < 0
            and MINISTRY.match(name_a)
            and MINISTRY.match(name_b)
            and score > TWO_STATES_MINISTRIES
        ):
            score = TWO_STATES_MINISTRIES
            features.append("ministries of two countries: two bodies")
        forms_a, forms_b = legal_forms(name_a), legal_forms(name_b)
        if _forms_differ(name_a, name_b):
            score -= LEGAL_FORM_DIFFERS
            features.append(
                f"legal forms differ: {', '.join(sorted(forms_a))} / {', '.join(sorted(forms_b))}"
            )
        if shared_ids and a.schema != "Vessel" and a.dataset != b.dataset:
            # Two lists write one company's name in two languages or two spellings
            # ("ALVAND MOTORBUILDING INDUSTRIES COMPANY" / "SANAYE MOTORSAZI ALVAND",
            # "… UNIMATIC" / "… UNIMATIK") but its tax or registration number alike. (Two
            # entries of one list with one number are two targets the list keeps apart.)
            floor = _registration_floor(shared_ids, name_score, countries)
            if score < floor:
                score = floor
                features.append(
                    "an organisation's number in common: "
                    + ("one company" if floor == SAME_REGISTRATION else "for review at least")
                )
    if a.schema == "Vessel":
        shared = sorted(set(a.imo_numbers) & set(b.imo_numbers))
        if shared:
            score = 1.0
            features.append(f"same IMO number {shared[0]}")
        else:
            score = min(score, VESSEL_NAMES_ONLY)
            features.append("no IMO number on both: names alone do not merge vessels")
    return Comparison(
        a.key,
        b.key,
        round(max(0.0, min(1.0, score)), 3),
        tuple(features),
        name_score=name_score,
        birth_date_precision=precision,
        birth_dates=dates_kind,
    )


def successor(old: Features, arrived: Iterable[Features]) -> tuple[float, str] | None:
    """Which of the records that arrived in a list's version as `old` left it is `old`
    under a new id (a move: Canada's schedules renumber, OFAC folds a duplicate entry
    into the older one), by the matcher: the best score and its key, or None. A move
    needs a score at or above MERGE; between REVIEW and MERGE it is only possible."""
    scored = [(compare(old, f).score, f.key) for f in arrived if conflict(old, f) is None]
    return max(scored) if scored else None


def _contained(names_a: tuple[str, ...], names_b: tuple[str, ...]) -> str | None:
    """A name of two words or more whose every word (folded) is a word of a name of the
    other record: the shorter name, or None."""
    words_a = [(n, frozenset(map(fold, tokens(n)))) for n in names_a]
    words_b = [(n, frozenset(map(fold, tokens(n)))) for n in names_b]
    for x, wx in words_a:
        for y, wy in words_b:
            if len(wx) >= 2 and wx <= wy:
                return x
            if len(wy) >= 2 and wy <= wx:
                return y
    return None


def _words_alike(names_a: tuple[str, ...], names_b: tuple[str, ...]) -> int:
    """The most words of a name of one record that have their like (WORD_MATCH or more) in
    a name of the other; a patronymic only where it is the same one spelt otherwise, since
    their common ending makes any two alike ("Yurievich"/"Igorevich")."""
    best = 0
    for x in _prepared(names_a, False).names:
        for y in _prepared(names_b, False).names:
            alike = sum(1 for w in set(x.words) if any(_word_alike(w, v) for v in y.words))
            best = max(best, alike)
    return best


def _word_alike(w: str, v: str) -> bool:
    if PATRONYMIC.search(w) or PATRONYMIC.search(v):
        return fold(w) == fold(v)
    return word_similarity(w, v) >= WORD_MATCH


def _registration_floor(shared: list[str], name_score: float, countries: float) -> float:
    """The least score of two organisations of two lists with numbers in common
    (SAME_REGISTRATION, SHARED_NUMBER)."""
    long_number = any(sum(c.isdigit() for c in n) >= LONG_NUMBER for n in shared)
    if countries >= 0 and (long_number or name_score > 0):
        return SAME_REGISTRATION
    return SHARED_NUMBER


def _overlap(
    features: list[str],
    what: tuple[str, str],
    xs: tuple[str, ...],
    ys: tuple[str, ...],
    agrees: float,
    differs: float,
) -> float:
    # Only ISO codes compare: a country no one could recognise says nothing.
    xs, ys = _iso(xs), _iso(ys)
    if not xs or not ys:
        return 0.0
    shared = sorted(set(xs) & set(ys))
    if shared:
        features.append(f"{what[0]} {', '.join(shared)} on both")
        return agrees
    features.append(f"{what[1]} differ: {', '.join(xs)} / {', '.join(ys)}")
    return -differs


@lru_cache(maxsize=10_000)  # few lists of countries, met pair after pair
def _iso(codes: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(x for x in codes if _ISO.match(x))


@dataclass(frozen=True, slots=True)
class _Name:
    written: str
    words: tuple[str, ...]
    #: The words sorted: equal for the same words in any order.
    sorted_words: tuple[str, ...]
    #: The words in any order and run together: equal keys are the same name. Sorted, so
    #: that pairs are tried in one order whatever the hash seed (see best_names).
    keys: tuple[str, ...]
    #: The acronyms the name's words would make, and its words that could be acronyms.
    acronyms: frozenset[str]
    short_words: frozenset[str]
    #: Its words by consonants (see `skeleton`): names with none in common are not alike.
    skeletons: frozenset[str]
    #: Titles the words leave out ("hajji"), and why the name is weak evidence, if it is.
    dropped: tuple[str, ...] = ()
    weak: str = ""


class _Names(NamedTuple):
    """A record's names as compared, and the keys of them all."""

    names: tuple[_Name, ...]
    keys: frozenset[str]


@lru_cache(maxsize=100_000)
def _prepared(names: tuple[str, ...], organisation: bool) -> _Names:
    short = short_forms(names) if organisation else frozenset()
    prepared = tuple(
        x
        for name in names
        for x in _name_forms(
            name, organisation, f"{name!r} is a short form of {names[0]!r}" if name in short else ""
        )
    )
    return _Names(prepared, frozenset(k for x in prepared for k in x.keys))


@lru_cache(maxsize=200_000)
def _name_forms(name: str, organisation: bool, weak: str) -> tuple[_Name, ...]:
    """One written name as compared, a _Name for each of its forms: once, though records
    have it in several tuples of names (its names, its names and weak aliases)."""
    return tuple(_name(name, f, organisation, weak) for f in forms(name, organisation))


def _name(name: str, f: Form, organisation: bool, weak: str) -> _Name:
    words = f.words
    sorted_words = tuple(sorted(words))
    return _Name(
        name,
        words,
        sorted_words,
        # A person's one-word name is never "the same name" (see compare_words).
        tuple(sorted({"".join(sorted_words), "".join(words)})) if organisation or len(words) > 1 else (),
        acronyms(words) if organisation else frozenset(),
        frozenset(w for w in words if is_acronym_candidate(w)) if organisation else frozenset(),
        frozenset(skeleton(w) for w in words),
        f.dropped,
        weak,
    )


def _cap(x: _Name, y: _Name, score: float, detail: str) -> tuple[float, str]:
    """A match that needed a title left out, or that rests on a short form, is weaker."""
    if bool(x.dropped) != bool(y.dropped) and score > TITLE_DROPPED:
        score = TITLE_DROPPED
        detail += f"; equal only without the title {' '.join(x.dropped or y.dropped)!r}"
    weak = x.weak or y.weak
    if weak and score > SHORT_FORM:
        score = SHORT_FORM
        detail += f"; {weak}: a weak alias"
    return score, detail


def _forms_differ(x: str, y: str) -> bool:
    forms_x, forms_y = legal_forms(x), legal_forms(y)
    return bool(forms_x and forms_y and not forms_x & forms_y)


def best_names(
    names_a: tuple[str, ...],
    names_b: tuple[str, ...],
    organisation: bool,
    spelt_a: tuple[str, ...] = (),
    spelt_b: tuple[str, ...] = (),
) -> tuple[float, str, str, str]:
    """The most alike pair of names of two records: (score, name, name, why).

    Names with a key in common are the same name; otherwise only pairs that share a
    word (by its consonants, as candidate search does) or an acronym are compared word
    by word. A title left out or a short alias caps what a pair can score (`_cap`).
    `spelt_a` and `spelt_b`: all the names of each record, where the names compared are
    only some of them (its weak aliases), for `_spelt_otherwise`.
    """
    prepared_a, prepared_b = _prepared(names_a, organisation), _prepared(names_b, organisation)
    pa, pb, keys_a = prepared_a.names, prepared_b.names, prepared_a.keys
    if not pa or not pb:
        return 0.0, "", "", ""
    best = (0.0, "", "", "")
    for y in pb:
        # In a fixed order (keys are sorted): of equally good pairs the first is reported,
        # whatever the process's hash seed (the evidence written must not change from run
        # to run).
        for k in y.keys:
            if k not in keys_a:  # most often: no name of the other record has it
                continue
            for x in pa:
                if k not in x.keys:
                    continue
                s, detail = _cap(
                    x,
                    y,
                    1.0,
                    "same words" if x.sorted_words == y.sorted_words else "same letters, spaced differently",
                )
                if s > best[0] or (
                    s == best[0] == 1.0
                    and organisation
                    and _forms_differ(best[1], best[2])
                    and not _forms_differ(x.written, y.written)
                ):
                    best = (s, x.written, y.written, detail)
    if best[0] == 1.0:
        return best
    # What an acronym of each record is checked against (_spelt_otherwise): all its names.
    spelt_pa = _prepared(spelt_a, organisation).names if spelt_a else pa
    spelt_pb = _prepared(spelt_b, organisation).names if spelt_b else pb
    for x in pa:
        skeletons = x.skeletons
        for y in pb:
            # isdisjoint, not `&`: no set made for each of the many pairs. A person's name
            # has no acronyms.
            if not skeletons.isdisjoint(y.skeletons) or (
                organisation
                and not (x.short_words.isdisjoint(y.acronyms) and y.short_words.isdisjoint(x.acronyms))
            ):
                s, detail = compare_words(x.words, y.words, organisation)
                if s == ACRONYM_ONLY and (
                    _spelt_otherwise(x, y, spelt_pb) or _spelt_otherwise(y, x, spelt_pa)
                ):
                    continue
                if s > best[0]:
                    s, detail = _cap(x, y, s, detail)
                    if s > best[0]:
                        best = (s, x.written, y.written, detail)
    return best


def _spelt_otherwise(full: _Name, short: _Name, names_of_short: tuple[_Name, ...]) -> bool:
    """Whether the record whose name `short` is an acronym of `full` spells that acronym
    out as a name unlike `full`: Australia's "TPD" is its alias of "Tous pour la Paix et
    le Développement", not of OFAC's "Tiba Petrochemical DMCC", and "CBS" of the
    Commercial Bank of Syria is not the Central Bank. Three letters fit many names."""
    letters = short.short_words & full.acronyms
    return bool(letters) and any(
        z is not short
        and any(_spells(z.words, acronym) for acronym in letters)
        and compare_words(z.words, full.words, True)[0] < REVIEW
        for z in names_of_short
    )


def _spells(words: tuple[str, ...], acronym: str) -> bool:
    """Whether a name's words spell out `acronym`: its first word begins with the first
    letter, its last with the last, and the initials between hold the rest in order,
    words of other languages' grammar aside ("Tous pour la Paix et le Développement")."""
    initials = [w[0] for w in words if w]
    if len(initials) < len(acronym) or initials[0] != acronym[0] or initials[-1] != acronym[-1]:
        return False
    rest = iter(initials[1:-1])
    return all(letter in rest for letter in acronym[1:-1])


def _given_and_patronymic_only(words: tuple[str, ...], extra: str) -> bool:
    """`words` are a given name and a patronymic, no surname, beside a name with the word
    `extra` more (GIVEN_AND_PATRONYMIC_ONLY). Not where `extra` ends as patronymics the
    pattern does not know do ("Yauhenavich"): the word that looked like a patronymic may
    then be a surname ("Ihar Butkevich")."""
    return len(words) == 2 and any(PATRONYMIC.search(w) for w in words) and not extra.endswith(("ich", "ych"))


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
    joined_a, joined_b = "".join(a), "".join(b)
    if len(joined_a) == len(joined_b):  # else neither the same words nor the same letters
        sorted_a, sorted_b = sorted(a), sorted(b)
        if sorted_a == sorted_b:
            return 1.0, "same words"
        if joined_a == joined_b or "".join(sorted_a) == "".join(sorted_b):
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
        if PATRONYMIC.search(extra) or BELARUSIAN_PATRONYMIC.search(extra) or len(extra) == 1:
            score = EXTRA_PATRONYMIC * agreement
            notes.append(
                f"one has the patronymic: {extra}" if len(extra) > 1 else f"one has an initial: {extra}"
            )
        elif _given_and_patronymic_only(min(a, b, key=len), extra):
            score = min(EXTRA_WORD * agreement, GIVEN_AND_PATRONYMIC_ONLY)
            notes.append(f"a given name and a patronymic only, no surname: {extra} is not in it")
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


def _align(
    a: tuple[str, ...], b: tuple[str, ...]
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
    # Pairs less alike than WORD_MATCH are never matched: left out before sorting. The
    # similarity is symmetric: asked in one order, a pair has one entry in its cache.
    scored = [
        (-s, i, j)
        for i, x in enumerate(rest_a)
        for j, y in enumerate(rest_b)
        if (s := word_similarity(x, y) if x < y else word_similarity(y, x)) >= WORD_MATCH
    ]
    if not scored:  # most often: no word spelt alike
        return matched, rest_a, rest_b
    scored.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    for s, i, j in scored:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            matched.append((rest_a[i], rest_b[j], -s))
    return (
        matched,
        [w for i, w in enumerate(rest_a) if i not in used_a],
        [w for j, w in enumerate(rest_b) if j not in used_b],
    )


_ROMAN = frozenset(["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"])


class _Word(NamedTuple):
    """A word as word_similarity compares it, made once a word, not once a pair."""

    folded: str
    #: `folded` with "a" for a first vowel (`_initial_vowel`).
    initial_vowel: str
    #: `fold_vowels`: as long as `folded`.
    vowels: str
    #: A number, Roman ones too: alike to no other word.
    number: bool


@lru_cache(maxsize=200_000)
def _word(word: str) -> _Word:
    folded = fold(word)
    return _Word(folded, _initial_vowel(folded), fold_vowels(word), word.isdigit() or word in _ROMAN)


#: The letter-by-letter similarity (rapidfuzz's ratio, 0-100) below which two words are
#: not alike: just under WORD_MATCH, so that no ratio that rounds to it is left out.
_ALIKE_RATIO = 100 * WORD_MATCH - 0.1
_NEAR = 100 - _ALIKE_RATIO


@lru_cache(maxsize=500_000)
def word_similarity(x: str, y: str) -> float:
    """How alike two words are, where they are alike (WORD_MATCH or more), else 0: 1 for
    the same word; high for romanisation variants ("aleksandr"/"alexander"); numbers,
    Roman ones too ("Investments II"/"III"), must be equal.

    The matcher asks only whether words are alike, and most words it pairs are not
    (98.5% of the 449,000 pairs of the real lists' candidates): those are left as soon as
    their lengths, or a ratio under its cutoff, say so."""
    if x == y:
        return 1.0
    a, b = _word(x), _word(y)
    if a.number or b.number:
        return 0.0
    if a.folded == b.folded or a.initial_vowel == b.initial_vowel:
        return ROMANISATION
    # A ratio counts the letters added and removed from one word to the other: at least
    # the difference of their lengths (two pairs in five end here).
    as_written = 100 * abs(len(x) - len(y)) <= _NEAR * (len(x) + len(y))
    folded = 100 * abs(len(a.folded) - len(b.folded)) <= _NEAR * (len(a.folded) + len(b.folded))
    if not (as_written or folded):
        return 0.0
    s = max(
        fuzz.ratio(x, y, score_cutoff=_ALIKE_RATIO) if as_written else 0.0,
        fuzz.ratio(a.folded, b.folded, score_cutoff=_ALIKE_RATIO) if folded else 0.0,
    )
    if folded and (a.vowels != a.folded or b.vowels != b.folded):  # else its ratio, discounted, is less
        s = max(s, ROMANISATION * fuzz.ratio(a.vowels, b.vowels, score_cutoff=_ALIKE_RATIO / ROMANISATION))
    similarity = round(s / 100, 3)
    return similarity if similarity >= WORD_MATCH else 0.0


def _initial_vowel(word: str) -> str:
    """A word whose first letter is a vowel, with "a" for it: romanisations of Arabic
    and Persian names begin them as they like ("Izzat"/"Ezat", "Omar"/"Umar",
    "Ismail"/"Esmail")."""
    return "a" + word[1:] if word[:1] in ("a", "e", "i", "o", "u") and len(word) >= 3 else word


@lru_cache(maxsize=100_000)
def _place_words(places: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        w
        for place in places
        for w in tokens(place)
        if len(w) >= 4 and w not in PLACE_WORDS and not _names_a_country(w)
    )


@lru_cache(maxsize=10_000)
def _names_a_country(word: str) -> bool:
    """A country's name or adjective ("russia", "syrian"): its country's own name begins
    as the word does. Not a city or region that country_code reads as its country
    ("moscow", "donetsk"): those are places two records can share."""
    code = country_code(word, fuzzy=False)
    country = pycountry.countries.get(alpha_2=code) if code else None
    return country is not None and any(
        name.lower().startswith(word[:4]) for name in (country.name, getattr(country, "common_name", ""))
    )


def _patronymics_differ(names_a: tuple[str, ...], names_b: tuple[str, ...]) -> str:
    """The patronymics each record writes, in any of its names, that the other lacks;
    empty unless both have such. Surnames of the same form ("Pashkevich") are on both
    and drop out."""
    pa, pb = _patronymics(names_a), _patronymics(names_b)
    if not pa or not pb:  # most often
        return ""
    only_a = [x for x in pa if not any(word_similarity(x, y) >= WORD_MATCH for y in pb)]
    only_b = [y for y in pb if not any(word_similarity(x, y) >= WORD_MATCH for x in pa)]
    if not only_a or not only_b:
        return ""
    return f"{', '.join(sorted(only_a))} / {', '.join(sorted(only_b))}"


@lru_cache(maxsize=100_000)
def _patronymics(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(
        w for n in names for f in forms(n, False) for w in f.words if len(w) > 6 and PATRONYMIC.search(w)
    )


@dataclass(frozen=True)
class DateRelation:
    """How the best-agreeing pair of birth dates relate (a key of BIRTH_DATES)."""

    kind: str
    a: str
    b: str


def birth_dates(
    xs: tuple[str, ...], ys: tuple[str, ...], circa_x: tuple[str, ...] = (), circa_y: tuple[str, ...] = ()
) -> DateRelation | None:
    """The best relation between two records' birth dates, None when they rule out one
    person. Two equal lists of several dates agree as a month would. `circa_x`, `circa_y`:
    the dates of each the list gives as approximate (written "circa 1955" in the relation)."""
    if len(xs) > 1 and set(xs) == set(ys):
        return DateRelation("possible dates", ", ".join(xs), ", ".join(ys))
    best: DateRelation | None = None
    for x in xs:
        for y in ys:
            kind = _date_relation(x, y)
            circa = x in circa_x or y in circa_y
            if (
                circa
                and kind in ("one year apart", "years apart")
                and abs(int(x[:4]) - int(y[:4])) <= CIRCA_YEARS
            ):
                kind = "near a circa date"
            if kind and (best is None or BIRTH_DATES[kind] > BIRTH_DATES[best.kind]):
                best = DateRelation(
                    kind, f"circa {x}" if x in circa_x else x, f"circa {y}" if y in circa_y else y
                )
    return best


def _dates(a: Features, b: Features) -> DateRelation | None:
    """How the records' birth dates relate; None also where either has none."""
    if not (a.birth_dates and b.birth_dates):
        return None
    return birth_dates(a.birth_dates, b.birth_dates, a.approximate_birth_dates, b.approximate_birth_dates)


@lru_cache(maxsize=100_000)
def _date_relation(x: str, y: str) -> str | None:
    if x.startswith(y) or y.startswith(x):
        shorter = min(len(x), len(y))
        return "day" if shorter >= 10 else "month" if shorter >= 7 else "year"
    if not (x[:4].isdigit() and y[:4].isdigit()):
        return None
    if x[:4] == y[:4]:
        if len(x) >= 10 and len(y) >= 10 and x[5:7] == y[8:10] and x[8:10] == y[5:7]:
            return "day and month swapped"
        rest_x, rest_y = x[5:], y[5:]
        if len(rest_x) == len(rest_y) and sum(c != d for c, d in zip(rest_x, rest_y)) == 1:
            return "a digit of the day or month"
        return "same year"
    apart = abs(int(x[:4]) - int(y[:4]))
    same_day = len(x) >= 7 and x[4:] == y[4:]
    one_digit = sum(c != d for c, d in zip(x[:4], y[:4])) == 1
    if same_day and (apart == 1 or (apart <= 10 and one_digit)):
        return "a digit of the year"
    if same_day and any(x[:i] + x[i + 1] + x[i] + x[i + 2 : 4] == y[:4] for i in range(3)):
        return "two digits of the year swapped"
    if same_day and one_digit:
        # A slip of one digit, or two people of one name born on one day decades apart:
        # the records cannot tell, a person should.
        return "a digit of the year, years apart"
    if apart == 1:
        return "one year apart"
    if apart <= YEARS_APART:
        return "years apart"
    return None
