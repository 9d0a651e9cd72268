"""Name normalisation shared by search and resolution.

Lists write one name many ways: "CHEN, Quanguo", "Chen Quanguo", "CHEN Quan-guo",
"陈全国"; "XPCC Public Security Bureau", "Public Security Bureau of the XPCC",
"Xinjiang Production and Construction Corps Public Security Bureau". Both sides of every
comparison go through the functions here, so what differs is only what truly differs.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import countrynames
from anyascii import anyascii
from rapidfuzz import fuzz

_SEPARATORS = re.compile(r"[\s\-‐‑‒–—_/\\.,;:()\[\]{}<>\"“”„'‘’`´·•|&+]+")
_HAN = re.compile(r"[\u3400-\u9fff]")
_ONLY_HAN = re.compile(r"^[\u3400-\u9fff·\s]+$")

#: Words that say what legal form a body has, not which body it is: "Rosneft Oil
#: Company PJSC" and "Rosneft Oil Co" are one company. Written as `normalize` leaves
#: them, after single letters are joined ("S.A." → "sa").
LEGAL_FORMS = frozenset(
    [
        "ab",
        "ag",
        "ao",
        "as",
        "asa",
        "bhd",
        "bv",
        "cjsc",
        "co",
        "company",
        "corp",
        "corporation",
        "cv",
        "fzc",
        "fzco",
        "fze",
        "gmbh",
        "inc",
        "incorporated",
        "jsc",
        "kft",
        "llc",
        "llp",
        "lp",
        "ltd",
        "limited",
        "nv",
        "oao",
        "ojsc",
        "ooo",
        "pao",
        "pjsc",
        "plc",
        "pte",
        "pty",
        "pvt",
        "sa",
        "sae",
        "sal",
        "sarl",
        "sas",
        "sdn",
        "spa",
        "srl",
        "tov",
        "zao",
    ]
)
#: Legal forms of several words, removed before the one-word forms.
LEGAL_PHRASES = (
    # Russian, transliterated: OOO, OAO, ZAO, PAO, AO, FGUP.
    ("obshchestvo", "s", "ogranichennoi", "otvetstvennostyu"),
    ("obshchestvo", "s", "ogranichennoy", "otvetstvennostyu"),
    ("otkrytoe", "aktsionernoe", "obshchestvo"),
    ("zakrytoe", "aktsionernoe", "obshchestvo"),
    ("publichnoe", "aktsionernoe", "obshchestvo"),
    ("aktsionernoe", "obshchestvo"),
    ("federalnoe", "gosudarstvennoe", "unitarnoe", "predpriyatie"),
    ("limited", "liability", "company"),
    ("limited", "liability", "partnership"),
    ("public", "joint", "stock", "company"),
    ("closed", "joint", "stock", "company"),
    ("open", "joint", "stock", "company"),
    ("joint", "stock", "company"),
    ("private", "limited"),
    ("public", "limited", "company"),
    ("sp", "z", "oo"),
)
#: Words that link the parts of an organisation's name; "Public Security Bureau of the
#: XPCC" and "XPCC Public Security Bureau" differ only by these and word order.
ORG_STOPWORDS = frozenset(
    [
        "the",
        "of",
        "and",
        "for",
        "in",
        "at",
        "on",
        "a",
        "an",
        "de",
        "del",
        "des",
        "du",
        "la",
        "le",
        "les",
        "el",
        "et",
        "y",
        "und",
        "der",
    ]
)
#: The izafe of Urdu and Persian names, between hyphens: an acronym may leave it out
#: ("Ummah Tameer e-Nau (UTN)") or keep it ("Lashkar-e-Taiba (LeT)").
IZAFE = frozenset(["e", "i"])

#: Titles that lists put in a person's name or leave out: "NOORZAI, Hajji Malik" is
#: "MALIK NOORZAI".
HONORIFICS = frozenset(
    [
        "haji",
        "hajji",
        "hadji",
        "alhaj",
        "alhaji",
        "mullah",
        "mulla",
        "maulawi",
        "maulavi",
        "mawlawi",
        "maulana",
        "mawlana",
        "sheikh",
        "shaykh",
        "sheik",
        "shaikh",
        "qari",
        "mufti",
        "imam",
        "sayyid",
        "sayed",
        "u",
        "daw",
        "dr",
    ]
)
#: A Slavic or Turkic patronymic ("Petrovich", "Mikhailovna", "Kamil Ogly"): lists of
#: one country write it, others leave it out.
PATRONYMIC = re.compile(r"(ovich|evich|ovych|evych|ovna|evna|ivna|ichna|ogly|oglu|ogli|kyzy|qizi)$")
#: A Belarusian patronymic as OFAC romanises it ("Aliaksandravich", "Radzivonawna"),
#: which Canada leaves out of the same name written in Russian ("Dmitry Lukashenko"). Only
#: a patronymic one list writes: not compared with another's, since its Russian form is
#: spelt too far apart ("Yauhenavich"/"Evgenevich", one father's name).
BELARUSIAN_PATRONYMIC = re.compile(r"(avich|awna|auna|ewna|euna)$")
#: Articles that are part of the word after them ("al-Zahar", "AL ZAHAR").
ARTICLES = frozenset({"al", "el", "ul"})

#: Spellings that differ by romanisation only: "Aleksandr"/"Alexander", "Sergei"/"Sergey",
#: "Khoury"/"Khuri".
_FOLDS = (
    ("ks", "x"),
    ("kh", "h"),
    ("ph", "f"),
    ("dh", "d"),
    ("th", "t"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ck", "k"),
    ("y", "i"),
    ("w", "v"),
    ("q", "k"),
)


@lru_cache(maxsize=200_000)
def normalize(name: str) -> str:
    """Lower-case ASCII words separated by single spaces; hyphens join syllables.

    "CHEN, Quan-guo" → "chen quanguo"; "陈全国" → "chen quan guo" (one word per Han
    syllable, so it matches the pinyin written apart or together: see `name_forms`).
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


def search_forms(names: list[str]) -> list[str]:
    """What the full-text index holds for an entity besides its names as written: each
    name normalised, its words apart and joined; a Chinese name as pypinyin reads it
    (`pinyin_readings`); and the initialisms of a name's words (`initialisms`), whole
    ("Xinjiang Public Security Bureau" → xpsb) and of each run of MIN_ACRONYM or more
    of them, in one form ("xpcc" in "Xinjiang Production and Construction Corps Public
    Security Bureau"), so that an acronym typed finds the names it stands for. Which
    of these a result matched is scored by `search_score`, not by the index.

    Called once for each record written, so past the caches of normalize and the
    helpers: a list of a million names would fill them (70 MiB) and push out the names
    resolution compares again."""
    forms: dict[str, None] = {}
    for name in names:
        norm = normalize.__wrapped__(name)
        if not norm:
            continue
        for reading in (norm, *_pinyin_readings(name)):
            forms[reading] = None
            forms[reading.replace(" ", "")] = None
        whole, runs = _initialisms(name, norm)
        forms.update(dict.fromkeys(whole))
        if runs:
            forms[" ".join(runs)] = None
    return list(forms)


# -- for resolution ---------------------------------------------------------------------


@lru_cache(maxsize=200_000)
def name_forms(name: str, organisation: bool) -> tuple[tuple[str, ...], ...]:
    """The word sequences one written name is compared as.

    A Chinese name in Han script gives its syllables and the pinyin as lists write it,
    surname then the given name joined ("陈全国" → chen quan guo, chen quanguo). An
    organisation's name loses its legal form and linking words ("Public Security Bureau
    of the XPCC" → public security bureau xpcc) and an acronym it spells out in brackets
    ("Islamic Revolutionary Guard Corps (IRGC)"). A person's name with a spelling in
    brackets is two names: "Alexander (Alexandr) Petrovich" → alexander petrovich,
    alexandr petrovich.
    """
    if not organisation:
        return tuple(dict.fromkeys(f for variant in _bracket_variants(name) for f in _person_forms(variant)))
    # "KHATAM-AL ANBIYA" (OFSI) is "Khatam al-Anbiya": the article goes with the word after.
    name = _ARTICLE_BEFORE_SPACE.sub(r" \1-", name)
    if (acronym := _TRAILING_ACRONYM.search(name)) and _names_itself(
        acronym.group(1) or acronym.group(2), name[: acronym.start()]
    ):
        # "ALL-RUSSIAN RESEARCH INSITUTE OF EXPERIMENTAL PHYSICS (VNIIEF)", "CENTRE TO
        # INVESTIGATE ORGANISED CRIMES (CIOC)", OFAC's "IRAN MARINE INDUSTRIAL COMPANY,
        # SADRA": an acronym of the name, often of its Russian or Persian form, which the
        # other lists leave out or give as an alias.
        return name_forms(name[: acronym.start()], True)
    if (head := _INCLUDING.split(name, maxsplit=1)[0]) != name and head.strip():
        # "HAMAS INCLUDING IZZ AL-DIN AL-QASSAM BRIGADES" (OFSI): the group is the name
        # before "including"; what follows are parts the designation extends to, each
        # perhaps a target of its own ("… including branches: Kerch Ferry, …", DFAT).
        return name_forms(head, True)
    if (
        (inner := _BRACKETS.search(name))
        and len(inner.group(1).split()) > 1
        and len(outer := _BRACKETS.sub("", name).split()) == 1
    ):
        # "MZKT (MINSK WHEEL TRACTOR PLANT)": an acronym and, in brackets, the name. Other
        # brackets qualify the name ("HAINENG MACHINERY (HONG KONG) CO.") and stay in it.
        return tuple(dict.fromkeys(f for part in (outer[0], inner.group(1)) for f in name_forms(part, True)))
    words = tuple(tokens(name))
    if not words:
        return ()
    # Han syllables of a company name ("xiang gang … you xian gong si": Hong Kong …
    # Limited) are shared by unrelated companies: such a name compares as a whole.
    words = ("".join(words),) if _ONLY_HAN.match(name.strip()) else _organisation_words(words, name)
    return (words,) if words else ()


def _person_forms(name: str) -> list[tuple[str, ...]]:
    words = tuple(tokens(name))
    if not words:
        return []
    if _ONLY_HAN.match(name.strip()) and 2 <= len(words) <= 4:
        return [words, (words[0], "".join(words[1:]))]
    return [_person_words(words) or words]


_BRACKETS = re.compile(r"\s*\(([^()]*)\)")
_INCLUDING = re.compile(r"\s+including\b", re.IGNORECASE)
_ARTICLE_BEFORE_SPACE = re.compile(r"(?<=\w)-(AL|EL|al|el|Al|El) (?=\w)")
#: One word in capitals, in brackets or after a comma, ending the name.
_TRAILING_ACRONYM = re.compile(r"(?:\s*\(([A-Z][A-Z-]{1,11})\)|,\s*([A-Z][A-Z-]{1,11}))\s*$")
#: What a list writes in brackets after a name that is not its acronym ("PREMIER
#: INVESTMENT GROUP SAL (OFF-SHORE)").
_NOT_ACRONYMS = frozenset(["offshore", "off-shore", "ngo", "etc", "branch", "hq"])


def _names_itself(word: str, before: str) -> bool:
    """Whether `word`, in brackets after `before`, is the name's acronym rather than a
    qualifier: a country ("(IRAN)"), a legal form ("(LLC)") or the like keep the name apart
    from others of its words. Two letters are one only where they spell the words before
    ("HIZBUL MUJAHIDEEN (HM)"); a longer one may stand for the name in another language
    ("(VNIIEF)") where three words or more stand before it."""
    low = word.lower()
    if len(word) == 2:
        return low == initials(tuple(tokens(before)))
    return (
        len(before.split()) >= 3
        and low not in _NOT_ACRONYMS
        and low.replace("-", "") not in LEGAL_FORMS
        and countrynames.to_code(word) is None
    )


def _bracket_variants(name: str) -> list[str]:
    """The name without its bracketed parts, and with a one-word bracket in place of the
    word before it; the name itself if it has none."""
    if "(" not in name:
        return [name]
    variants = [_BRACKETS.sub("", name)]
    for found in _BRACKETS.finditer(name):
        inner = found.group(1).strip()
        before = name[: found.start()].rsplit(None, 1)
        if inner and " " not in inner and len(before) >= 1:
            head = before[0] if len(before) == 2 else ""
            variants.append(_BRACKETS.sub("", f"{head} {inner}{name[found.end() :]}"))
    return [v for v in variants if v.strip()]


def _person_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """Without honorifics ("Hajji", "Maulawi", Burmese "U"), and with an article written
    apart joined to its word as a hyphen would ("AL ZAHRANI" → alzahrani)."""
    out: list[str] = []
    for w in words:
        if w in HONORIFICS:
            continue
        if out and out[-1] in ARTICLES:
            out[-1] += w
        else:
            out.append(w)
    return tuple(out)


def _organisation_words(words: tuple[str, ...], name: str) -> tuple[str, ...]:
    """`name`'s words (`words`, its tokens) as an organisation's name is compared."""
    words = _join_letters(words)
    # An acronym the name itself spells out adds nothing: "… Guard Corps (IRGC)", "Great
    # Lakes Business Company (GLBC)" (legal forms count in acronyms, linking words with
    # or without: "Ministry of Defence Armed Forces Logistics (MODAFL)").
    spelt_out = acronyms(tuple(w for w in words if w not in ORG_STOPWORDS)) | acronyms(words)
    # A hyphen joins words into one to compare ("e-Nau" → enau), not to spell an acronym
    # with: "UMMAH TAMEER E-NAU (UTN)", the izafe left out or kept. Only where three words
    # or more stand besides it: a name of two keeps the acronym, which tells it from
    # others of its words ("Ansar al-Shari'a (AAS)" is AQAP's; three other groups are
    # Ansar al-Sharia).
    if "-" in name and len(words) > 3:
        apart = _join_letters(tuple(tokens(name.replace("-", " "))))
        spelt_out |= acronyms(tuple(w for w in apart if w not in ORG_STOPWORDS | IZAFE)) | acronyms(apart)
    for phrase in LEGAL_PHRASES:
        words = _without_phrase(words, phrase)
    words = tuple(w for w in words if w not in LEGAL_FORMS and w not in ORG_STOPWORDS)
    spelt_out |= acronyms(words)
    return tuple(w for w in words if w not in spelt_out)


def _join_letters(words: tuple[str, ...]) -> tuple[str, ...]:
    """Runs of single letters are one word: "s a" (from "S.A.") → "sa"."""
    out: list[str] = []
    run = ""
    for w in (*words, ""):
        if len(w) == 1 and w.isalpha():
            run += w
            continue
        if run:
            out.append(run)
            run = ""
        if w:
            out.append(w)
    return tuple(out)


def _without_phrase(words: tuple[str, ...], phrase: tuple[str, ...]) -> tuple[str, ...]:
    if phrase[0] not in words:  # most names hold none of the phrases: a quick test first
        return words
    n = len(phrase)
    for i in range(len(words) - n + 1):
        if words[i : i + n] == phrase:
            return words[:i] + words[i + n :]
    return words


def initials(words: tuple[str, ...] | list[str]) -> str:
    return "".join(w[0] for w in words if w)


#: Acronyms shorter than this are too ambiguous to stand for words ("BS", "AO").
MIN_ACRONYM = 3


def is_acronym_candidate(word: str) -> bool:
    return MIN_ACRONYM <= len(word) <= 8 and word.isalpha()


@lru_cache(maxsize=200_000)
def acronyms(words: tuple[str, ...]) -> frozenset[str]:
    """The initials of every run of MIN_ACRONYM or more consecutive words (up to 8)."""
    return frozenset(
        initials(words[i:j])
        for i in range(len(words))
        for j in range(i + MIN_ACRONYM, min(len(words), i + 8) + 1)
    )


#: Legal forms grouped by kind, so "OJSC" and "PJSC" agree and "LLC" and "JSC" do not.
#: Translations blur the line between a limited liability company and a limited company
#: (OOO is often written "Ltd"), and between a public limited company and a joint-stock
#: company: those are one kind each.
_LEGAL_KINDS = {
    **dict.fromkeys(
        [
            "llc",
            "ooo",
            "tov",
            "limited liability company",
            "ltd",
            "limited",
            "private limited",
            "pte",
            "pty",
            "pvt",
            "obshchestvo s ogranichennoi otvetstvennostyu",
            "obshchestvo s ogranichennoy otvetstvennostyu",
        ],
        "limited company",
    ),
    **dict.fromkeys(
        [
            "jsc",
            "ao",
            "oao",
            "zao",
            "pao",
            "pjsc",
            "ojsc",
            "cjsc",
            "plc",
            "public limited company",
            "joint stock company",
            "aktsionernoe obshchestvo",
        ],
        "joint-stock company",
    ),
    **dict.fromkeys(["inc", "incorporated"], "incorporated"),
    **dict.fromkeys(["fze", "fzco", "fzc"], "free-zone company"),
    **{form: form for form in ("gmbh", "ag", "bv", "nv", "llp", "lp")},
}


@lru_cache(maxsize=200_000)
def legal_forms(name: str) -> frozenset[str]:
    """The kinds of legal form an organisation's name states ("Rosneft PJSC" →
    joint-stock company). "Company", "Co." and "Corp." say nothing of the kind."""
    words = _join_letters(tuple(tokens(name)))
    text = " " + " ".join(words) + " "
    return frozenset(kind for form, kind in _LEGAL_KINDS.items() if f" {form} " in text)


def contract_acronyms(
    a: tuple[str, ...], b: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...], list[str]]:
    """Write both names with the acronyms one of them uses.

    "xpcc psb" against "xinjiang production construction corps public security bureau":
    the second becomes "xpcc psb" too, and the notes say which words each acronym stands
    for. Only a word the other name lacks is taken as an acronym, and only for a run of
    MIN_ACRONYM or more of the other name's words.
    """
    notes: list[str] = []
    a, b = _contract(a, b, notes), _contract(b, a, notes)
    return a, b, notes


def _contract(target: tuple[str, ...], other: tuple[str, ...], notes: list[str]) -> tuple[str, ...]:
    # A run's initials are a part of the whole name's: a word not in them stands for no
    # run, and most words are not, so they are left before any run is made.
    letters = initials(target)
    for word in other:
        if word in target or not is_acronym_candidate(word) or word not in letters:
            continue
        n = len(word)
        for i in range(len(target) - n + 1):
            run = target[i : i + n]
            if initials(run) == word and word not in run:
                notes.append(f"{word.upper()} = {' '.join(run)}")
                target = target[:i] + (word,) + target[i + n :]
                letters = initials(target)
                break
    return target


#: Russian ё after a consonant, written "yo" or "e" ("Fyodorov"/"Fedorov", "Tkachyov"/
#: "Tkachev", "Pyotr"/"Petr"); е at the start of a word or after a vowel, "ye" or "e"
#: ("Yevgeny"/"Evgeny", "Sergeyevich"/"Sergeevich"). Before _FOLDS' y → i.
_RUSSIAN_YO = re.compile(r"(?<=[bcdfghklmnprstvz])yo")
_RUSSIAN_YE = re.compile(r"(?:^|(?<=[aeiou]))ye")
#: Belarusian дз where Russian writes д ("Dzmitry"/"Dmitry", "Dzianis"/"Denis"); not the
#: дж of "Dzhokhar".
_BELARUSIAN_DZ = re.compile(r"^dz(?!h)")
#: Belarusian surname endings where Russian writes -енко and -ов ("Lukashenka"/
#: "Lukashenko", "Novikau"/"Novikov"): OFAC romanises Belarusian, Canada Russian.
_BELARUSIAN_ENDINGS = ((re.compile(r"(?<=en)ka$"), "ko"), (re.compile(r"(?<=[bdklmnrstvz])au$"), "ov"))


#: Whole words two lists write two ways, which no letter rule joins: Burmese "Myanma",
#: the adjective, where OFAC writes "Myanmar" (Canada's "Myanma Economic Corporation
#: (MEC)" against OFAC's MYANMAR ECONOMIC CORPORATION LIMITED); British spellings where
#: OFAC writes American ones (OFSI's and Australia's MINISTRY OF DEFENCE AND ARMED FORCES
#: LOGISTICS, OFAC's MINISTRY OF DEFENSE …).
_WORDS_ALIKE = {
    "myanma": "myanmar",
    "defence": "defense",
    "offence": "offense",
    "licence": "license",
    "organisation": "organization",
    "organisations": "organizations",
    "programme": "program",
    "labour": "labor",
    "harbour": "harbor",
    "armoured": "armored",
}


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """A word with romanisation (and British/American) variants written one way:
    "aleksandr" → "alexandr", "centre" → "center", "fyodorov" → "fedorov"."""
    word = _WORDS_ALIKE.get(word, word)
    word = _BELARUSIAN_DZ.sub("d", _RUSSIAN_YE.sub("e", _RUSSIAN_YO.sub("e", word)))
    if len(word) >= LONG_WORD:
        for ending, russian in _BELARUSIAN_ENDINGS:
            word = ending.sub(russian, word)
    for old, new in _FOLDS:
        word = word.replace(old, new)
    word = re.sub(r"(?<=[bcdfgkmnpstv])re$", "er", word)  # centre → center
    return re.sub(r"(.)\1+", r"\1", word)


#: Vowels that romanisations of Arabic and Persian names trade ("Mohammed"/"Muhammad",
#: "Morshed"/"Marshad"); only folded in long words, where they leave enough to compare.
_VOWEL_FOLDS = str.maketrans("oe", "ua")
LONG_WORD = 6


@lru_cache(maxsize=200_000)
def fold_vowels(word: str) -> str:
    """`fold`, and in words of LONG_WORD letters or more o → u and e → a."""
    folded = fold(word)
    return folded.translate(_VOWEL_FOLDS) if len(word) >= LONG_WORD else folded


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """First letter and consonants of the folded word: the key candidate search groups
    names by, so "Mohammed" and "Muhammad" (mhmd) land in one group."""
    folded = fold(word)
    if not folded:
        return ""
    rest = re.sub(r"[aeiouh]", "", folded[1:])
    return re.sub(r"(.)\1+", r"\1", folded[0] + rest)


# -- for search -----------------------------------------------------------------------------

#: What a search score means. It is the same scale whatever was typed, so one threshold
#: serves every query (the index's own hit score depends on the corpus, the lengths of
#: the names and how many words were typed: it only picks and orders candidates).
#: - 1.0: the text is one of the entity's names, up to case, punctuation, accents,
#:   spacing, word order and script (陈全国 = Chen Quanguo; 重庆银行 = Chongqing Yinhang).
#: - ACRONYM_SCORE: the same once acronyms are spelt out: "XPSB" for "Xinjiang Public
#:   Security Bureau", "XPCC Public Security Bureau" for the alias "XPCC PSB". Only for
#:   organisations, vessels and aircraft: a person's initials are not a name.
#: - PART_SCORE or a little less: a person's name of which every typed word is a word,
#:   spelt alike ("Lukashenka" or "Alexander Lukashenko" for "LUKASHENKA, Alyaksandr
#:   Ryhorovich"), less the more of its words were left out. Below CONFIDENT_SCORE
#:   (graph/client.py): several people share the words typed.
#: - below: how many of their letters the text and the name share, in order (rapidfuzz's
#:   ratio, the words in any order): a letter wrong in a name of twelve ≈ 0.92, a name
#:   that has the text and as much again ≈ 0.67, nothing alike → 0. For a person's name
#:   of as many words as typed, a typed word that is like none of its words (less than
#:   WORD_ALIKE) counts as no letter shared: "Alexander Lukashenko" shares most letters
#:   with "Alexander Yushchenko", but not the surname.
ACRONYM_SCORE = 0.95
PART_SCORE = 0.88
WORD_ALIKE = 0.8

#: Initialisms are made of names of MIN_ACRONYM to INITIALISM_WORDS words (linking words
#: left out), and of runs of MIN_ACRONYM to RUN_WORDS of their words.
INITIALISM_WORDS = 12
RUN_WORDS = 6


class SearchText:
    """Typed text as search compares it: its readings, normalised (a text in Han
    characters also as pypinyin reads it)."""

    def __init__(self, text: str):
        self.text = text
        self.readings = tuple(dict.fromkeys(r for r in (normalize(text), *_pinyin_readings(text)) if r))


def best_name(text: SearchText, names: Sequence[str], organisation: bool) -> tuple[float, str | None]:
    """The name of `names` most like `text`, and its score (see ACRONYM_SCORE)."""
    best, matched = 0.0, None
    for name in names:
        score = search_score(text, name, organisation)
        if score > best:
            best, matched = score, name
            if score == 1.0:
                break
    return best, matched


def search_score(text: SearchText, name: str, organisation: bool) -> float:
    """How alike typed text and one name are, 0–1 (see ACRONYM_SCORE)."""
    best = 0.0
    for n in _search_readings(name):
        for q in text.readings:
            score = _similarity(q, n)
            if score == 1.0:
                return 1.0
            if organisation and score < ACRONYM_SCORE:
                score = max(score, _acronym_similarity(q, n))
            elif not organisation:
                score = _by_words(q, n, score)
            best = max(best, score)
    return best


def _by_words(q: str, n: str, letters: float) -> float:
    """`letters` (_similarity) weighed by a person's name's words (see ACRONYM_SCORE):
    PART_SCORE and less where every typed word is one of a longer name's; no more than
    the typed words' letters that a word of the name has, where both have as many."""
    typed, words = q.split(), n.split()
    if not typed or len(typed) > len(words):
        return letters
    left, shared, alike = list(words), 0.0, True
    for word in sorted(typed, key=len, reverse=True):
        likeness, match = max((_word_likeness(word, w), w) for w in left)
        if likeness < WORD_ALIKE:
            alike = False
            continue
        left.remove(match)
        shared += likeness * len(word)
    shared /= sum(map(len, typed))
    if len(typed) == len(words):
        return letters if alike else min(letters, shared)
    if not alike:
        return letters
    return max(letters, shared * (PART_SCORE - 0.06 * len(left) / len(words)))


def _word_likeness(typed: str, word: str) -> float:
    """How alike two words are, romanisation variants folded ("aleksandr"/"alexander")."""
    if typed == word:
        return 1.0
    return max(fuzz.ratio(typed, word), fuzz.ratio(fold(typed), fold(word))) / 100


def initialisms(name: str) -> list[str]:
    """The acronyms a name's words make, whole: "Xinjiang Production and Construction
    Corps" → xpcc (linking words left out) and xpacc; "Bank of China" → boc."""
    return _initialisms(name)[0]


def pinyin_readings(name: str) -> list[str]:
    """A name in Han characters as pypinyin reads it (see `_pinyin_readings`)."""
    return _pinyin_readings(name)


def _pinyin_readings(name: str) -> list[str]:
    """A name with Han characters as pypinyin reads it, normalised: 重庆银行 → "chong qing
    yin hang", where normalize (anyascii, one character at a time) reads "zhong qing yin
    xing". A name of two to four Han characters only (a person's, most often) also as
    lists write one, surname apart and given name joined: 陈全国 → "chen quanguo"."""
    if not _HAN.search(name):
        return []
    # Imported when first needed: pypinyin reads its phrase dictionary (~0.5 s) on import,
    # which a process that never meets a Han name need not wait for.
    from pypinyin import lazy_pinyin

    text = unicodedata.normalize("NFKC", name)
    reading = " ".join(w for part in lazy_pinyin(text) if (w := normalize.__wrapped__(part)))
    words = reading.split()
    readings = [reading] if reading else []
    if _ONLY_HAN.match(text.strip()) and 2 <= len(words) <= 4:
        readings.append(f"{words[0]} {''.join(words[1:])}")
    return readings


def _initialisms(name: str, norm: str | None = None) -> tuple[list[str], list[str]]:
    """The initials of a name's words, whole (without linking words, without them and
    its legal form, and with every word), and of each run of MIN_ACRONYM to RUN_WORDS of
    its words without linking words. Of the name without its brackets, and of a bracketed
    part of several words. None for a name in Han characters: the initials of its
    syllables are no acronym anyone uses. `norm`: normalize(name), when known."""
    if _HAN.search(name):
        return [], []
    whole: dict[str, None] = {}
    runs: dict[str, None] = {}
    parts = (
        (_BRACKETS.sub(" ", name), *(m.group(1) for m in _BRACKETS.finditer(name)))
        if "(" in name
        else (name,)
    )
    for part in parts:
        every = _join_letters(
            tuple((norm if part is name and norm is not None else normalize.__wrapped__(part)).split())
        )
        if not MIN_ACRONYM <= len(every) <= INITIALISM_WORDS:
            continue
        words = _significant(every)
        for variant in (words, tuple(w for w in words if w not in LEGAL_FORMS), every):
            if len(variant) >= MIN_ACRONYM:
                whole[initials(variant)] = None
        letters = initials(words)
        for i in range(len(letters)):
            for j in range(i + MIN_ACRONYM, min(len(letters), i + RUN_WORDS) + 1):
                runs[letters[i:j]] = None
    return list(whole), [r for r in runs if r not in whole]


def _significant(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(w for w in words if w not in ORG_STOPWORDS)


@lru_cache(maxsize=100_000)
def _search_readings(name: str) -> tuple[str, ...]:
    """The readings of a name search compares typed text with: normalised; without its
    brackets ("Islamic Revolutionary Guard Corps (IRGC)"); the bracketed words alone where
    the name outside is one word, their acronym ("MZKT (MINSK WHEEL TRACTOR PLANT)"); and
    pypinyin's.
    Its own cache: the same names come back search after search, and resolution's
    caches are for resolution."""
    readings = [normalize.__wrapped__(name)]
    if "(" in name:
        outer = normalize.__wrapped__(_BRACKETS.sub(" ", name))
        readings.append(outer)
        if " " not in outer:  # an acronym, and in brackets the words (as in name_forms)
            readings += [
                inner
                for found in _BRACKETS.finditer(name)
                if " " in (inner := normalize.__wrapped__(found.group(1)))
            ]
    readings += _pinyin_readings(name)
    return tuple(dict.fromkeys(r for r in readings if r))


def _similarity(q: str, n: str) -> float:
    qc, nc = q.replace(" ", ""), n.replace(" ", "")
    if qc == nc or sorted(q.split()) == sorted(n.split()):
        return 1.0
    return max(fuzz.token_sort_ratio(q, n), fuzz.ratio(qc, nc)) / 100


def _acronym_similarity(q: str, n: str) -> float:
    """`_similarity` of the two once each is written with the acronyms the other uses
    (`contract_acronyms`), at most ACRONYM_SCORE; 0 when neither has an acronym of the
    other's words. Linking words count in some acronyms ("Bank of China": BOC) and not
    in others ("Xinjiang Production and Construction Corps": XPCC): both are tried."""
    best = 0.0
    every_q, every_n = _join_letters(tuple(q.split())), _join_letters(tuple(n.split()))
    for a, b in ((every_q, every_n), (_significant(every_q), _significant(every_n))):
        a, b, notes = contract_acronyms(a, b)
        if notes:
            best = max(best, min(ACRONYM_SCORE, _similarity(" ".join(a), " ".join(b))))
    return best
