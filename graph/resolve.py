"""One entity per real-world target: which list records describe the same person or body.

Pure functions over record features; graph/store.py reads the features from Neo4j and
writes the outcome. The same input always gives the same clusters and the same entity
ids, whatever order the lists were loaded in.

How two records are joined, strongest evidence first:
1. a person's judgement in data/resolution.yaml (same / not same: always wins);
2. a list says so: one record cites the other's id, or both carry the same id
   (the UK and EU entries of a UN target cite its UN reference number);
3. the matcher (`compare`): names, birth dates, nationalities, type. Scores at or above
   MERGE join; between REVIEW and MERGE a person should look (`resolve --review`).

Candidate search never compares all pairs: records are grouped by keys of their names
(`blocking_keys`) and only records that share a group are compared.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from math import prod
from itertools import combinations
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from graph.names import (MIN_ACRONYM, PATRONYMIC, acronyms, contract_acronyms, fold, fold_vowels,
                         initials, is_acronym_candidate, legal_forms, name_forms, skeleton, tokens)
from graph.settings import ROOT
from loaders.base import country_code

JUDGEMENTS_PATH = ROOT / "data" / "resolution.yaml"

#: Stored blocking keys and pair scores are reused only if made by this matcher: change
#: it with anything that changes `blocking_keys` or `compare`.
MATCHER_VERSION = "2026-11-27"

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
#: Name groups larger than this (very common word pairs) are not searched: their
#: members still meet through their other keys and exact names, which are never capped.
MAX_GROUP = 300

_ISO = re.compile(r"^[A-Z]{2}$")
_IMO = re.compile(r"\bIMO\D{0,20}?(\d{7})\b", re.I)


@dataclass(frozen=True)
class Features:
    """What resolution compares of one list record."""

    key: str
    dataset: str
    schema: str
    #: Names the list gives with confidence; weak aliases (nicknames) are left out.
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    gender: str | None = None
    imo_numbers: tuple[str, ...] = ()
    #: Refs this record publishes ("un:QDi.268") and record keys or refs it cites.
    refs: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    #: False for datasets resolved upstream (OpenSanctions): only same_as joins them.
    fuzzy: bool = True
    #: The record's blocking keys as stored with it by MATCHER_VERSION (empty: compute).
    blocking: tuple[str, ...] = ()

    @classmethod
    def from_properties(cls, p: Mapping, fuzzy: bool = True) -> Features:
        """From a :Record's properties as graph/store.py writes them."""
        weak = set(p.get("weak_aliases") or ())
        ids = " ".join(p.get("identifiers") or ())
        return cls(
            key=p["key"], dataset=p["dataset"], schema=p["schema"],
            names=tuple(n for n in p.get("names") or () if n not in weak),
            birth_dates=tuple(p.get("birth_dates") or ()),
            birth_places=tuple(p.get("birth_places") or ()),
            nationalities=tuple(p.get("nationalities") or ()),
            countries=tuple(p.get("countries") or ()),
            gender=(p.get("gender") or "").lower() or None,
            imo_numbers=tuple(dict.fromkeys(_IMO.findall(ids))),
            refs=tuple(p.get("refs") or ()), same_as=tuple(p.get("same_as") or ()),
            fuzzy=fuzzy,
            blocking=tuple(p.get("block_keys") or ()) if p.get("matcher") == MATCHER_VERSION else (),
        )

    @classmethod
    def of_record(cls, rec, fuzzy: bool = True) -> Features:
        """From a loader's Record, as the store would read it back (for evaluations and
        benchmarks that run without Neo4j)."""
        return cls.from_properties({
            "key": rec.key, "dataset": rec.dataset, "schema": rec.schema,
            "names": rec.all_names(),
            "weak_aliases": [n.value for n in rec.names if n.quality == "weak" and n.kind != "fka"],
            "birth_dates": rec.birth_dates, "birth_places": rec.birth_places,
            "nationalities": rec.nationalities,
            "countries": rec.countries, "gender": rec.gender, "identifiers": rec.identifiers,
            "refs": rec.refs, "same_as": rec.same_as,
        }, fuzzy)


@dataclass(frozen=True)
class Edge:
    """Evidence that two records are one target; written as (:Record)-[:SAME_AS]->."""

    a: str
    b: str
    score: float
    #: judgement (data/resolution.yaml) | same_as (a list says so) | matcher
    method: str
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """What the matcher found comparing two records."""

    a: str
    b: str
    score: float
    features: tuple[str, ...]
    #: What rules out one target (type, birth dates, gender, IMO number); score is 0.
    conflict: str | None = None
    #: How alike the best names are (1.0: the same words, written alike or not).
    name_score: float = 0.0
    #: How precisely the birth dates agree: 10 to the day, 7 the month, 4 the year.
    birth_date_precision: int = 0

    @property
    def exact_name(self) -> bool:
        return self.name_score == 1.0

    def edge(self) -> Edge:
        return Edge(self.a, self.b, self.score, "matcher", self.features)


@dataclass(frozen=True)
class Scored:
    """A compared pair that clustering needs (score ≥ REVIEW). Kept on the graph between
    loads as (:Record)-[:CANDIDATE]->(:Record), so a load scores only its own list's pairs."""

    a: str
    b: str
    score: float
    features: tuple[str, ...]
    #: Two entries of one list that the evidence allows to be one (_same_within_list).
    within_list_ok: bool = False

    def edge(self) -> Edge:
        return Edge(self.a, self.b, self.score, "matcher", self.features)


@dataclass
class Judgements:
    same: list[tuple[str, str, str]] = field(default_factory=list)
    not_same: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> Judgements:
        """The judgements of `path`, by default data/resolution.yaml (JUDGEMENTS_PATH)."""
        path = path or JUDGEMENTS_PATH
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        judged = cls()
        for verdict in ("same", "not_same"):
            for i, item in enumerate(data.get(verdict) or []):
                try:
                    a, b = item["records"]
                    reason = str(item["reason"]).strip()
                except (TypeError, KeyError, ValueError):
                    reason = ""
                if not reason or ":" not in str(a) or ":" not in str(b):
                    raise ValueError(f"{path}: {verdict} entry {i + 1} needs "
                                     "records: [DATASET:ID, DATASET:ID] and a reason")
                getattr(judged, verdict).append((str(a), str(b), reason))
        both = {frozenset(p[:2]) for p in judged.same} & {frozenset(p[:2]) for p in judged.not_same}
        if both:
            raise ValueError(f"{path}: judged both same and not same: "
                             + "; ".join(" / ".join(sorted(p)) for p in both))
        return judged


@dataclass
class Resolution:
    #: Every record key → the id of its entity.
    entity_of: dict[str, str]
    #: The evidence that joined records: one edge per merge decision.
    edges: list[Edge]
    #: Pairs a person should judge: close to the threshold, or held apart only because
    #: joining them would put conflicting records in one entity. No judgement settles them.
    review: list[Edge]
    #: How many candidate pairs were scored (never all pairs).
    compared: int
    #: Every pair the matcher found worth keeping, scored now or known from before.
    scored: list[Scored] = field(default_factory=list)


def resolve(records: Iterable[Features], judgements: Judgements | None = None,
            dataset_rank: dict[str, int] | None = None, changed: set[str] | None = None,
            known: Iterable[Scored] = ()) -> Resolution:
    """Cluster the records into entities.

    Incremental use (each load): `changed` names the records whose features may have
    changed; only pairs with one of them are scored, and `known` supplies the stored
    scores of the other pairs (the previous resolution's `scored`). Without `changed`
    every candidate pair is scored.
    """
    judgements = judgements or Judgements()
    recs = {r.key: r for r in records}
    not_same = {frozenset((a, b)) for a, b, _ in judgements.not_same}

    stated: list[Edge] = []
    for a, b, reason in judgements.same:
        if a in recs and b in recs:
            stated.append(Edge(a, b, 1.0, "judgement",
                               (f"judged the same in data/resolution.yaml: {reason}",)))
    stated += _stated_edges(recs)

    pairs = candidate_pairs(recs.values(), changed)
    found = score_pairs(recs, pairs)
    if changed is not None:
        found += [k for k in known if k.a not in changed and k.b not in changed
                  and k.a in recs and k.b in recs]
    within_ok = {frozenset((c.a, c.b)) for c in found if c.within_list_ok}

    clusters = _Clusters(recs)
    accepted: list[Edge] = []
    for edge in sorted(stated, key=lambda e: (e.method != "judgement", e.a, e.b)):
        if clusters.join(edge.a, edge.b, not_same) is None:
            accepted.append(edge)
    review: list[Edge] = []
    for c in sorted(found, key=lambda c: (-c.score, c.a, c.b)):
        if frozenset((c.a, c.b)) in not_same:
            continue
        edge = c.edge()
        if c.score < MERGE:
            review.append(edge)
            continue
        if recs[c.a].dataset == recs[c.b].dataset and frozenset((c.a, c.b)) not in within_ok:
            review.append(Edge(c.a, c.b, c.score, "matcher", (
                *c.features, "not merged: two entries of one list need the same name and "
                "full birth date")))
            continue
        refused = clusters.join(c.a, c.b, not_same, within_ok, matcher=True)
        if refused is None:
            accepted.append(edge)
        elif refused:
            review.append(Edge(c.a, c.b, c.score, "matcher", (*c.features, f"not merged: {refused}")))

    rank = dataset_rank or {}

    def order(key: str) -> tuple:
        dataset, _, record_id = key.partition(":")
        return (rank.get(dataset, 50), dataset, _natural(record_id))

    entity_of: dict[str, str] = {}
    for keys in clusters.members.values():
        canonical = min(keys, key=order)
        for k in keys:
            entity_of[k] = canonical
    review = sorted((e for e in review if entity_of[e.a] != entity_of[e.b]),
                    key=lambda e: (-e.score, e.a, e.b))
    return Resolution(entity_of, accepted, review, len(pairs), sorted(found, key=lambda c: (c.a, c.b)))


#: Below this many pairs, starting processes costs more than it saves.
PARALLEL_PAIRS = 20_000
#: The records being scored, for the forked workers of score_pairs (inherited, not sent).
_SCORING: Mapping[str, Features] = {}


def score_pairs(recs: Mapping[str, Features], pairs: Iterable[tuple[str, str]]) -> list[Scored]:
    """The pairs that score at least REVIEW. Within one list two entries are two targets
    unless the evidence is overwhelming: lists do repeat a target under several regimes
    (Canada, EU), rarely with the same name and full birth date for different people.

    Many pairs are scored on every core, by forked processes. Only from a process with
    no other thread (the CLI, a script): forking a threaded one (the app) may copy a lock
    some other thread holds. Resolution sorts what comes back, so the order of the
    workers' results does not matter."""
    global _SCORING
    pairs = list(pairs)
    workers = min(os.cpu_count() or 1, 8)
    if len(pairs) < PARALLEL_PAIRS or workers < 2 or threading.active_count() > 1:
        return _score(recs, pairs)
    _SCORING = recs
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_score_shared, [pairs[i::workers] for i in range(workers)])
    finally:
        _SCORING = {}
    return [s for part in parts for s in part]


def _score_shared(pairs: list[tuple[str, str]]) -> list[Scored]:
    return _score(_SCORING, pairs)


def _score(recs: Mapping[str, Features], pairs: Iterable[tuple[str, str]]) -> list[Scored]:
    scored = []
    for a, b in pairs:
        c = compare(recs[a], recs[b])
        if c.score >= REVIEW:
            same_list = recs[a].dataset == recs[b].dataset
            scored.append(Scored(c.a, c.b, c.score, c.features,
                                 same_list and _same_within_list(recs[a], recs[b], c)))
    return scored


class _Clusters:
    """Union-find over record keys that refuses joins a judgement or a conflict forbids."""

    def __init__(self, recs: dict[str, Features]):
        self.recs = recs
        self.parent = {k: k for k in recs}
        self.members: dict[str, list[str]] = {k: [k] for k in recs}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(self, a: str, b: str, not_same: set[frozenset], within_ok: set[frozenset] = frozenset(),
             matcher: bool = False) -> str | None:
        """Join the clusters of a and b; None if joined (or already one), else why not
        ("" when the reason is a judgement, which needs no review)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for x in self.members[ra]:
            for y in self.members[rb]:
                if frozenset((x, y)) in not_same:
                    return ""
                # The matcher must not chain records into one entity that conflict
                # with each other, nor two entries of one list it would not join directly.
                if matcher:
                    rx, ry = self.recs[x], self.recs[y]
                    why = conflict(rx, ry)
                    if why:
                        return f"{x} and {y} would be one entity, but {why}"
                    if rx.dataset == ry.dataset and frozenset((x, y)) not in within_ok:
                        return f"{x} and {y} would be one entity, two entries of one list"
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra] += self.members.pop(rb)
        return None


def _same_within_list(a: Features, b: Features, c: Comparison) -> bool:
    """Two entries of one list are one target only on strong evidence (peers.md §3.7:
    lists do repeat a target, under several regimes or by mistake):
    - a person: a full birth date in common and the same name, spelt alike or nearly
      (Pavel Anatolevich/Anatolievich Popov, twice on the OFSI list); the same name and
      a partial date and a nationality in common (Hassan Dahir Aweys, twice on the SDN
      and UN lists); in a list that enters a target once per regime (REPEATS_TARGETS),
      the same name and no date against;
    - an organisation, only in such a list: the same main name ("Russian Agricultural
      Bank" and "Russian Agricultural Bank JSC"). Aliases are not enough: brands repeat
      across subsidiaries ("Alfa-Bank" in Russia and in Belarus)."""
    if c.score < MERGE or c.birth_date_precision == SAME_YEAR:
        return False
    if a.schema != "Person":
        main_a, main_b = name_forms(a.names[0], True), name_forms(b.names[0], True)
        return (a.dataset in REPEATS_TARGETS and bool(main_a and main_b)
                and compare_words(main_a[0], main_b[0], True)[0] == 1.0)
    shared_nationality = bool(set(a.nationalities) & set(b.nationalities))
    return ((c.name_score >= ROMANISATION and c.birth_date_precision == 10)
            or (c.exact_name and (a.dataset in REPEATS_TARGETS
                                  or (c.birth_date_precision in (4, 7) and shared_nationality))))


def _stated_edges(recs: dict[str, Features]) -> list[Edge]:
    """Records joined because a list says so: one cites the other's key or ref, or both
    publish the same ref (the UK's two formats share "gb-ref:GHR0075")."""
    holders: dict[str, list[str]] = defaultdict(list)
    for r in recs.values():
        holders[r.key].append(r.key)
        for ref in r.refs:
            holders[ref].append(r.key)
    edges = []
    for r in recs.values():
        for cited in r.same_as:
            for other in holders.get(cited, ()):
                if other == r.key:
                    continue
                why = (f"{r.key} names {other} as the same target" if cited == other
                       else f"{r.key} cites {cited}, the id {other} is listed under")
                edges.append(Edge(r.key, other, 1.0, "same_as", (why,)))
    for ref, keys in holders.items():
        if ref not in recs:
            for other in keys[1:]:
                edges.append(Edge(keys[0], other, 1.0, "same_as", (f"both carry the id {ref}",)))
    return edges


# -- candidate search ---------------------------------------------------------------------


def blocking_keys(rec: Features) -> set[str]:
    """The groups a record is filed under; records are compared only within a group.

    - "=" + the name's words in any order, or run together ("chen quan guo" and "Chen
      Quanguo" share "=chenquanguo"); an organisation also under its initials, so
      "XPCC PSB" meets "Xinjiang Production and Construction Corps Public Security Bureau".
    - "~" + two of the name's four longest words by their consonants ("mhmd|l"):
      spelling variants ("Mohammed"/"Muhammad") and names with a word more or less meet
      here. Names alike enough to merge share most words, so two of the longest.
    """
    keys: set[str] = set()
    organisation = rec.schema != "Person"
    for name in rec.names:
        for words in name_forms(name, organisation):
            keys.add("=" + "".join(sorted(words)))
            keys.add("=" + "".join(words))
            if organisation and len(words) >= MIN_ACRONYM:
                keys.add("=" + initials(words))
            longest = sorted(set(words), key=lambda w: (-len(w), w))[:4]
            skeletons = sorted({s for s in map(skeleton, longest) if s})
            if len(skeletons) == 1:
                keys.add("~" + skeletons[0])
            keys.update(f"~{x}|{y}" for x, y in combinations(skeletons, 2))
    return keys


def candidate_pairs(records: Iterable[Features], changed: set[str] | None = None
                    ) -> list[tuple[str, str]]:
    """The record pairs worth scoring, in a stable order: all of them, or those with a
    record in `changed`. Datasets resolved upstream (fuzzy=False) take no part: only
    stated ids join them."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r.fuzzy:
            for key in r.blocking or blocking_keys(r):
                groups[key].append(r.key)
    pairs: set[tuple[str, str]] = set()
    for key, members in groups.items():
        if len(members) < 2 or (key.startswith("~") and len(members) > MAX_GROUP):
            continue
        if changed is None:
            pairs.update(combinations(sorted(members), 2))
        else:
            pairs.update(tuple(sorted((a, b))) for a in members if a in changed
                         for b in members if b != a)
    return sorted(pairs)


# -- the matcher --------------------------------------------------------------------------


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


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
