"""One entity per real-world target: which list records describe the same person or body.

Pure functions over record features; graph/store.py reads the features from Neo4j and
writes the outcome. The same input always gives the same clusters and the same entity
ids, whatever order the lists were loaded in.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from rapidfuzz import fuzz

from graph.names import normalize, sorted_compact, tokens
from graph.settings import ROOT

JUDGEMENTS_PATH = ROOT / "data" / "resolution.yaml"

#: Scores at or above this merge; between REVIEW and MERGE a person should look.
MERGE = 0.90
REVIEW = 0.75


@dataclass(frozen=True)
class Features:
    """What resolution compares of one list record."""

    key: str
    dataset: str
    schema: str
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    #: Refs this record publishes ("un:QDi.268") and record keys or refs it cites.
    refs: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    #: False for datasets resolved upstream (OpenSanctions): only same_as joins them.
    fuzzy: bool = True


@dataclass(frozen=True)
class Edge:
    a: str
    b: str
    score: float
    method: str
    features: tuple[str, ...] = ()


@dataclass
class Judgements:
    same: list[tuple[str, str, str]] = field(default_factory=list)
    not_same: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path = JUDGEMENTS_PATH) -> Judgements:
        if not path.exists():
            return cls()
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        judged = cls()
        for verdict in ("same", "not_same"):
            for i, item in enumerate(data.get(verdict) or []):
                try:
                    a, b = item["records"]
                    reason = str(item.get("reason", ""))
                except (TypeError, KeyError, ValueError):
                    raise ValueError(f"{path}: {verdict} entry {i + 1} needs "
                                     "records: [KEY, KEY] and a reason") from None
                getattr(judged, verdict).append((str(a), str(b), reason))
        return judged


@dataclass
class Resolution:
    #: Every record key → the id of its entity.
    entity_of: dict[str, str]
    #: The evidence that joined records: one edge per merge decision.
    edges: list[Edge]
    #: Pairs close to the threshold that no judgement settles.
    review: list[Edge]
    #: How many candidate pairs were scored (never all pairs).
    compared: int


def resolve(records: Iterable[Features], judgements: Judgements | None = None,
            dataset_rank: dict[str, int] | None = None) -> Resolution:
    judgements = judgements or Judgements()
    recs = {r.key: r for r in records}
    not_same = {frozenset((a, b)) for a, b, _ in judgements.not_same}

    candidates: list[Edge] = []
    for a, b, reason in judgements.same:
        if a in recs and b in recs:
            candidates.append(Edge(a, b, 1.0, "judgement", (reason,) if reason else ()))
    candidates += _stated_edges(recs)

    compared = 0
    review: list[Edge] = []
    for a, b in _candidate_pairs(recs):
        compared += 1
        edge = score(recs[a], recs[b])
        if edge is None or frozenset((a, b)) in not_same:
            continue
        if edge.score >= MERGE:
            candidates.append(edge)
        elif edge.score >= REVIEW:
            review.append(edge)

    # Strongest evidence first; an edge that would join a judged not-same pair is refused.
    candidates.sort(key=lambda e: (-e.score, e.method != "judgement", e.a, e.b))
    parent = {k: k for k in recs}
    members: dict[str, set[str]] = {k: {k} for k in recs}

    def find(k: str) -> str:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    accepted: list[Edge] = []
    for edge in candidates:
        ra, rb = find(edge.a), find(edge.b)
        if ra == rb:
            continue
        if any(frozenset((x, y)) in not_same for x in members[ra] for y in members[rb]):
            continue
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra] |= members.pop(rb)
        accepted.append(edge)

    rank = dataset_rank or {}

    def order(key: str) -> tuple:
        dataset, _, record_id = key.partition(":")
        return (rank.get(dataset, 50), dataset, _natural(record_id))

    entity_of: dict[str, str] = {}
    for root, keys in members.items():
        canonical = min(keys, key=order)
        for k in keys:
            entity_of[k] = canonical
    review = [e for e in review if find(e.a) != find(e.b)]
    return Resolution(entity_of, accepted, review, compared)


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
                if other != r.key:
                    edges.append(Edge(r.key, other, 1.0, "same_as", (f"{r.key} cites {cited}",)))
    for ref, keys in holders.items():
        if ref not in recs:
            for other in keys[1:]:
                edges.append(Edge(keys[0], other, 1.0, "same_as", (f"both listed as {ref}",)))
    return edges


def score(a: Features, b: Features) -> Edge | None:
    """How likely two records describe one target, with the features that say so."""
    if not (a.fuzzy and b.fuzzy) or a.dataset == b.dataset:
        return None
    if a.schema != b.schema:
        return None
    if _conflict(a.birth_dates, b.birth_dates, _dates_agree):
        return None
    best, pair = 0.0, ("", "")
    for na in a.names:
        for nb in b.names:
            s = name_similarity(na, nb, a.schema)
            if s > best:
                best, pair = s, (na, nb)
    if best < REVIEW:
        return None
    features = [f"name: {pair[0]!r} ~ {pair[1]!r} ({best:.2f})"]
    value = best
    if a.birth_dates and b.birth_dates:
        features.append("birth dates agree")
        value = min(1.0, value + 0.05)
    elif a.schema == "Person":
        value -= 0.03
    if a.nationalities and b.nationalities:
        if set(a.nationalities) & set(b.nationalities):
            features.append("nationality agrees")
        else:
            features.append("nationalities differ")
            value -= 0.1
    return Edge(a.key, b.key, round(value, 3), "names", tuple(features))


def name_similarity(a: str, b: str, schema: str) -> float:
    """1.0 for the same name written differently; low when the words that differ matter.

    Organisation names that contain one another ("Xinjiang Public Security Bureau" and
    "Xinjiang Production and Construction Corps Public Security Bureau") share most
    words: a ratio over all words, not over the shared ones, keeps them apart.
    """
    if sorted_compact(a) == sorted_compact(b):
        return 1.0
    na, nb = normalize(a), normalize(b)
    if na.replace(" ", "") == nb.replace(" ", ""):
        return 1.0
    if schema == "Person":
        return fuzz.token_sort_ratio(na, nb) / 100
    ta, tb = set(tokens(a)), set(tokens(b))
    if ta != tb and (ta < tb or tb < ta):
        return min(0.7, fuzz.token_sort_ratio(na, nb) / 100)
    return fuzz.token_sort_ratio(na, nb) / 100


def _candidate_pairs(recs: dict[str, Features]) -> Iterable[tuple[str, str]]:
    """Pairs that share a rare name token: blocking, so most pairs are never compared."""
    buckets: dict[str, set[str]] = defaultdict(set)
    for r in recs.values():
        if not r.fuzzy:
            continue
        for name in r.names:
            for tok in tokens(name):
                if len(tok) >= 3:
                    buckets[tok].add(r.key)
            buckets["=" + sorted_compact(name)].add(r.key)
    seen: set[tuple[str, str]] = set()
    for keys in buckets.values():
        if len(keys) < 2 or len(keys) > 200:
            continue
        ordered = sorted(keys)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                if (a, b) not in seen and recs[a].dataset != recs[b].dataset:
                    seen.add((a, b))
                    yield a, b


def _dates_agree(a: str, b: str) -> bool:
    """Partial dates agree when the shorter is a prefix of the longer: 1955 ≈ 1955-11."""
    return a.startswith(b) or b.startswith(a)


def _conflict(xs: tuple[str, ...], ys: tuple[str, ...], agree) -> bool:
    if not xs or not ys:
        return False
    return not any(agree(x, y) for x in xs for y in ys)


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
