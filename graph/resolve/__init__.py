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

The work is split as nomenklatura splits it: `blocking` finds the candidate pairs,
`compare` scores a pair, `cluster` joins records into entities; this module runs them.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import re
import signal
import threading
from collections.abc import Iterable, Mapping

from graph import bundled
from graph.resolve.blocking import (
    CAPPED,
    STATED,
    blocking_keys,
    candidate_pairs,
    posting_keys,
    searched,
)
from graph.resolve.cluster import _Clusters, _same_within_list, _stated_edges
from graph.resolve.compare import (  # noqa: F401  (the thresholds are read from here too)
    ACRONYM_AND_WORDS,
    ACRONYM_ONLY,
    BIRTH_DATES,
    EXTRA_PATRONYMIC,
    EXTRA_WORD,
    MERGE,
    ONE_WORD_NAME,
    REVIEW,
    ROMANISATION,
    WORD_MATCH,
    best_names,
    birth_dates,
    compare,
    compare_words,
    conflict,
    contradiction,
    successor,
    word_similarity,
)
from graph.resolve.model import (
    MATCHER_VERSION,
    Comparison,
    Edge,
    Features,
    Judgements,
    Resolution,
    Scored,
)

JUDGEMENTS_PATH = bundled.JUDGEMENTS

__all__ = [
    "CAPPED",
    "JUDGEMENTS_PATH",
    "MATCHER_VERSION",
    "MERGE",
    "REVIEW",
    "STATED",
    "Comparison",
    "Edge",
    "Features",
    "Judgements",
    "Resolution",
    "Scored",
    "Scoring",
    "begin_scoring",
    "blocking_keys",
    "candidate_pairs",
    "compare",
    "conflict",
    "contradiction",
    "posting_keys",
    "resolve",
    "score_pairs",
    "searched",
    "successor",
]


def resolve(
    records: Iterable[Features],
    judgements: Judgements | None = None,
    dataset_rank: dict[str, int] | None = None,
    changed: set[str] | None = None,
    known: Iterable[Scored] = (),
) -> Resolution:
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
            stated.append(
                Edge(a, b, 1.0, "judgement", (f"judged the same in data/resolution.yaml: {reason}",))
            )
    stated += _stated_edges(recs)

    pairs = candidate_pairs(recs.values(), changed)
    found = score_pairs(recs, pairs)
    if changed is not None:
        found += [
            k for k in known if k.a not in changed and k.b not in changed and k.a in recs and k.b in recs
        ]
    within_ok = {frozenset((c.a, c.b)) for c in found if c.within_list_ok}

    merged = {frozenset((c.a, c.b)) for c in found if c.score >= MERGE}

    clusters = _Clusters(recs)
    accepted: list[Edge] = []
    review: list[Edge] = []
    for edge in sorted(stated, key=lambda e: (e.method != "judgement", e.a, e.b)):
        # The first record of a stated edge is one that states it (_stated_edges).
        refused = clusters.join(
            edge.a, edge.b, not_same, edge.method, merged=merged, stated_by=recs[edge.a].dataset
        )
        if refused is None:
            accepted.append(edge)
        elif refused:
            # A stated link the records contradict: kept, with its evidence, for a person.
            review.append(
                Edge(edge.a, edge.b, edge.score, edge.method, (*edge.features, f"not merged: {refused}"))
            )
    for c in sorted(found, key=lambda c: (-c.score, c.a, c.b)):
        if frozenset((c.a, c.b)) in not_same:
            continue
        edge = c.edge()
        if c.score < MERGE:
            review.append(edge)
            continue
        if recs[c.a].dataset == recs[c.b].dataset and frozenset((c.a, c.b)) not in within_ok:
            review.append(
                Edge(
                    c.a,
                    c.b,
                    c.score,
                    "matcher",
                    (
                        *c.features,
                        ("not merged: two entries of one list need the same name and full birth date"),
                    ),
                )
            )
            continue
        refused = clusters.join(c.a, c.b, not_same, "matcher", within_ok, merged)
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
    review = sorted(
        (e for e in review if entity_of[e.a] != entity_of[e.b]), key=lambda e: (-e.score, e.a, e.b)
    )
    return Resolution(entity_of, accepted, review, len(pairs), sorted(found, key=lambda c: (c.a, c.b)))


#: Below this many pairs, starting processes costs more than it saves: the UN bench
#: list's pairs with the other four lists, scored alone and by two forked workers, took
#: 0.4-0.6 s and 0.5-0.6 s for 8,000 of them, 1.1 s and 0.7-1.0 s for 15,000, 1.2-2.0 s
#: and 0.7-0.8 s for all 18,487 (bench/README.md, stop 40).
PARALLEL_PAIRS = 15_000
#: The records being scored, for the workers begin_scoring forks (inherited, not sent).
_SCORING: Mapping[str, Features] = {}


def score_pairs(recs: Mapping[str, Features], pairs: Iterable[tuple[str, str]]) -> list[Scored]:
    """The pairs that score at least REVIEW. Within one list two entries are two targets
    unless the evidence is overwhelming: lists do repeat a target under several regimes
    (Canada, EU), rarely with the same name and full birth date for different people."""
    return begin_scoring(recs, pairs).result()


class Scoring:
    """Pairs being scored (begin_scoring): by forked workers while the caller goes on, or
    already scored. `result()` waits for them; `cancel()` drops them."""

    def __init__(
        self,
        scored: list[Scored] | None = None,
        pool: multiprocessing.pool.Pool | None = None,
        parts: multiprocessing.pool.AsyncResult[list[list[Scored]]] | None = None,
    ):
        self._scored, self._pool, self._parts = scored, pool, parts

    def result(self) -> list[Scored]:
        if self._scored is None:
            assert self._parts is not None, "neither scored nor being scored"
            try:
                self._scored = [s for part in self._parts.get() for s in part]
            finally:
                self.cancel()
        return self._scored

    def cancel(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool = None


def begin_scoring(recs: Mapping[str, Features], pairs: Iterable[tuple[str, str]]) -> Scoring:
    """Start scoring `pairs` (as score_pairs does): many pairs are scored on every core,
    by processes forked now, which the caller does not wait for until it asks for the
    result; a few are scored before this returns. Only from a process with no other
    thread (the CLI, a script): forking a threaded one (the app) may copy a lock some
    other thread holds, so there they are scored before this returns too. Resolution
    sorts what comes back, so the order of the workers' results does not matter."""
    global _SCORING
    pairs = list(pairs)
    workers = min(os.cpu_count() or 1, 8)
    if len(pairs) < PARALLEL_PAIRS or workers < 2 or threading.active_count() > 1:
        return Scoring(_score(recs, pairs))
    # The workers are forked by Pool(), each with the records as they are then. Frozen
    # meanwhile (as gc.freeze's documentation advises before a fork without exec), the
    # objects they inherit are left alone by their collections, which would write to
    # them and so copy the pages they are on: the workers' CPU over the five lists 16.8 s
    # instead of 17.9 (bench/README.md, stop 53).
    _SCORING = recs
    gc.freeze()
    # Forked with SIGTERM blocked, so that a worker the pool ends before it has set its
    # own disposition (a worker slow to start, under load, while the other scored every
    # run: make test hung so once) ends then, not in the parent's handler (_worker_start).
    blocked = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        gc.unfreeze()
        _SCORING = {}
    # Runs of pairs, not every n-th pair: pairs come sorted, so a worker meets the same
    # records again and again, and the matcher's caches (the records' prepared names,
    # their word pairs) serve it instead of being filled in both workers.
    size = -(-len(pairs) // workers)
    return Scoring(
        pool=pool,
        parts=pool.map_async(_score_shared, [pairs[i : i + size] for i in range(0, len(pairs), size)]),
    )


def _worker_start() -> None:
    """A worker ends as the pool ends it (SIGTERM), whatever the parent does on that
    signal: bench/run.py's handler, inherited, turned the kill into an exit that waited
    forever on a lock of the pool the worker had been forked with. A SIGTERM sent before
    this ran waits, blocked since the fork, and ends the worker here."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _score_shared(pairs: list[tuple[str, str]]) -> list[Scored]:
    return _score(_SCORING, pairs)


def _score(recs: Mapping[str, Features], pairs: Iterable[tuple[str, str]]) -> list[Scored]:
    scored = []
    for a, b in pairs:
        c = compare(recs[a], recs[b])
        if c.score >= REVIEW:
            same_list = recs[a].dataset == recs[b].dataset
            scored.append(
                Scored(c.a, c.b, c.score, c.features, same_list and _same_within_list(recs[a], recs[b], c))
            )
    return scored


def _natural(text: str) -> tuple:
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", text))
