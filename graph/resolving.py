"""Resolution inside a load: only what the load can change is read, scored and re-clustered.

Clustering (graph/resolve) joins records along edges (stated ids, judgements, matcher
scores), and what it decides for one connected component of those edges depends on that
component alone: the edges are taken in one global order, which a component keeps. So a
load that changes some records needs only the components they are in, before the load
(their entities may split) and after it (they may join others). To find them by key:

- **postings**: every record is filed under its keys (graph/resolve/blocking.py
  `posting_keys`: blocking keys of its names, "ref:X" for ids it publishes, "cite:X" for
  ids it cites), kept in (:Postings) nodes, one per dataset and hash bucket of the key
  (the stated keys' buckets apart from the names'), whose `data` maps each key to its
  records. A load reads the buckets of its records' keys (every dataset's) and rewrites
  its own dataset's;
- **CANDIDATE** edges keep every pair the matcher scored at or above REVIEW, so a load
  scores only the pairs of the records it changed;
- records are changed when their content differs from what is stored (store.py compares
  a digest of each record as written).

The (:Resolver) node says with which matcher, judgements and code the stored postings and
scores were made; when any differs, the next load (or `resolve --rebuild`) recomputes
everything from the records. Both ways give the same entities, SAME_AS edges and
candidates: tests/integration/test_resolving.py compares them on the real lists.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

from graph.resolve import (
    CAPPED,
    MATCHER_VERSION,
    MERGE,
    STATED,
    Features,
    Judgements,
    Resolution,
    Scored,
    Scoring,
    begin_scoring,
    blocking_keys,
    posting_keys,
    resolve,
    searched,
)
from loaders.datasets import UNKNOWN_RANK, datasets, find_dataset

#: Postings are stored in this many buckets per dataset: a small load reads a few hundred
#: small nodes; a large one, all of them (it must compare with most records anyway).
BUCKETS = 2048
BATCH = 2000
#: How many of the records a load may have moved are clustered together, with their whole
#: components (Resolver.incremental).
PART = 2000

#: The code that decides blocking and scores: changed, the stored ones are stale.
_RESOLVER_CODE = (
    *sorted((Path(__file__).parent / "resolve").glob("*.py")),
    Path(__file__).parent / "names.py",
    Path(__file__),
)


def dataset_rank(dataset: str) -> int:
    """Which list gives an entity its id when several name it (lower first): data/datasets.yaml."""
    entry = find_dataset(dataset)
    return entry.rank if entry else UNKNOWN_RANK


def upstream(dataset: str) -> bool:
    """Whether the dataset's entities were resolved upstream (OpenSanctions): such records
    are joined by the ids they cite only."""
    entry = find_dataset(dataset)
    return bool(entry and entry.resolved_upstream)


def upstream_pattern() -> str:
    """A regular expression (Cypher's =~) matching the ids of the datasets resolved upstream."""
    return "|".join(
        re.escape(d.id.removesuffix("*")) + (".*" if d.family else "")
        for d in datasets().values()
        if d.resolved_upstream
    )


def resolver_state() -> str:
    """What the stored postings and scores were made with: the matcher version, the code
    of the resolver and what data/datasets.yaml says of resolution (ranks name entities).
    The judgements are kept apart (`judgement_lines`): scores do not depend on them, and a
    change of one is resolved again where it applies, not everywhere."""
    digest = hashlib.sha256(MATCHER_VERSION.encode())
    for path in _RESOLVER_CODE:
        digest.update(path.read_bytes())
    digest.update(
        repr([(d.id, d.rank, d.resolved_upstream, d.repeats_targets) for d in datasets().values()]).encode()
    )
    return digest.hexdigest()


def judgement_lines(judgements: Judgements) -> list[str]:
    """The judgements as stored with the resolution they made, one line each."""
    return sorted(
        json.dumps([verdict, *judgement], ensure_ascii=False)
        for verdict in ("same", "not_same")
        for judgement in getattr(judgements, verdict)
    )


def bucket(key: str) -> int:
    """The bucket of a posting key. The stated keys (STATED: "ref:", "cite:") have as
    many buckets of their own: every load reads them for the components it clusters, and
    in the buckets of the blocking keys, which hold four times as much, a load that
    followed its records' stated ids read every dataset's name postings too
    (bench/README.md, stop 48)."""
    return zlib.crc32(key.encode()) % BUCKETS + (BUCKETS if key.startswith(STATED) else 0)


def participates(f: Features) -> bool:
    """Records of lists resolved upstream (up to millions) take part only when they cite
    another list's entry; every other record always."""
    return f.fuzzy or bool(f.same_as)


#: What resolution compares of a record (Features.from_properties), and its entity.
#: The record ids it had before a move between versions are the same target (same_as).
_FEATURE_FIELDS = """.key, .dataset, .schema, .names, .weak_aliases, .birth_dates, .approximate_birth_dates,
     .birth_places, .nationalities, .countries, .gender, .identifiers, .refs,
     same_as: coalesce(r.same_as, []) + coalesce(r.moved_from, []), .matcher, .entity_id"""
FEATURE_MAP = f"r {{{_FEATURE_FIELDS}, .block_keys}}"


def _features_of_keys(projection: str) -> str:
    """A statement returning `projection` of the records of $keys, in one row: a row
    each cost the driver a third of the time of the read."""
    return f"""
UNWIND $keys AS key
MATCH (r:Record {{key: key}}) WHERE r.status <> 'stub'
RETURN collect({projection}) AS records
"""


FEATURES = _features_of_keys(FEATURE_MAP)
#: The same without the blocking keys, for records read to be clustered, not paired:
#: they were most of a record's features in memory (bench/README.md, stop 44).
FEATURES_TO_CLUSTER = _features_of_keys(f"r {{{_FEATURE_FIELDS}}}")
#: The same, a row each, of every record that takes part (participates()), for a rebuild.
ALL_FEATURES = f"""
MATCH (r:Record) WHERE r.status <> 'stub'
  AND (NOT r.dataset =~ $upstream OR coalesce(r.same_as, []) <> [] OR coalesce(r.moved_from, []) <> [])
RETURN {FEATURE_MAP} AS record
"""


def stored_features(
    run: Callable[..., list[dict]], keys: Iterable[str] | None = None, blocking: bool = True
) -> list[dict]:
    """The stored features (FEATURE_MAP) of the records of `keys`, a statement per BATCH
    of them, without their blocking keys unless `blocking`; without `keys`, of every
    record that takes part. `run` returns rows as dicts."""
    if keys is None:
        return [row["record"] for row in run(ALL_FEATURES, upstream=upstream_pattern())]
    statement = FEATURES if blocking else FEATURES_TO_CLUSTER
    return [record for batch in batched(keys, BATCH) for record in run(statement, keys=batch)[0]["records"]]


def features_of(row: dict) -> Features:
    return Features.from_properties(row, fuzzy=not upstream(row["dataset"]))


def filed_under(stored: dict | None) -> list[str]:
    """The posting keys of a record as stored before a load changed it (its properties:
    dataset, block_keys, matcher, refs, same_as with moved_from): none if it took no part."""
    if not stored or stored.get("status") in (None, "stub"):
        return []
    f = Features.from_properties({"key": "", "schema": "", **stored}, fuzzy=not upstream(stored["dataset"]))
    return sorted(posting_keys(f)) if participates(f) else []


@dataclass
class Outcome:
    """What a load's resolution decided, for the store to write."""

    #: record key → entity id, for every record whose entity was decided (moved or not).
    entity_of: dict[str, str]
    #: record key → the entity id stored before.
    before: dict[str, str | None]
    resolution: Resolution
    #: The records whose CANDIDATE edges are replaced by resolution.scored's of them; None: all.
    rescored: set[str] | None
    #: The records whose SAME_AS edges are replaced by resolution.edges' among them; None: all.
    reclustered: set[str] | None
    #: Records that no longer take part: back to an entity of their own.
    left: set[str] = field(default_factory=set)
    #: How many candidate pairs the matcher scored.
    compared: int = 0
    #: Scored pairs of the rescored records with records of no component of the outcome
    #: (below MERGE: they join nothing), stored with resolution.scored's.
    across: list[Scored] = field(default_factory=list)

    @property
    def moved(self) -> dict[str, str]:
        moved = {k: e for k, e in self.entity_of.items() if self.before.get(k) != e}
        moved.update({k: k for k in self.left if self.before.get(k) != k})
        return moved


@dataclass
class Candidates:
    """The changed records' candidate pairs and their scoring (Resolver.candidates), with
    what was read to find them."""

    #: What they were made of: the features of the changed records, of the load's
    #: records, and the keys the changed records were filed under before.
    now: dict[str, Features]
    loaded: dict[str, Features]
    before: dict[str, Collection[str]]
    postings: _Postings
    #: The features of the records paired (the load's and those read), and the entity
    #: ids of those read.
    known: dict[str, Features]
    entity: dict[str, str]
    pairs: set[tuple[str, str]]
    #: The members of groups back under MAX_GROUP, all paired again.
    regrouped: set[str]
    #: The capped groups this load takes over MAX_GROUP: the stored pairs they no
    #: longer justify are deleted by `incremental` (nothing is written before it).
    over: set[str]
    scoring: Scoring

    def made_of(
        self,
        now: Mapping[str, Features],
        loaded: Mapping[str, Features],
        before: Mapping[str, Collection[str]],
    ) -> bool:
        return self.now == now and self.loaded == loaded and self.before == before


class Resolver:
    """The resolution of one load, inside its transaction. `run(statement, **params)`
    returns rows as lists of dicts."""

    def __init__(self, run: Callable[..., list[dict]], judgements: Judgements):
        self.run, self.judgements = run, judgements
        self.state = resolver_state()
        self.judged = judgement_lines(judgements)
        #: How many stored records' features this resolution read (bench/: ≤ 5× the list).
        self.records_read = 0

    def current(self) -> bool:
        """Whether the stored postings and scores were made as this resolver makes them
        (or nothing is stored yet: an empty graph)."""
        rows = self.run("MATCH (s:Resolver {id: 'resolver'}) RETURN s.state AS state")
        if rows:
            return rows[0]["state"] == self.state
        return not self.run("MATCH (r:Record) WHERE r.status <> 'stub' RETURN r.key AS key LIMIT 1")

    def rejudged(self) -> set[str]:
        """The records that a judgement made, changed or withdrawn since the graph was
        last resolved names: their components are clustered again."""
        rows = self.run("MATCH (s:Resolver {id: 'resolver'}) RETURN s.judgements AS judgements")
        stored = set(rows[0]["judgements"] or []) if rows else set()
        return {key for line in stored.symmetric_difference(self.judged) for key in json.loads(line)[1:3]}

    # -- the two ways ---------------------------------------------------------------------

    def incremental(
        self,
        changed: dict[str, Features | None],
        loaded: dict[str, Features],
        entities: dict[str, str],
        before: Mapping[str, Collection[str]],
        rejudged: AbstractSet[str] = frozenset(),
        begun: Candidates | None = None,
    ) -> Iterator[Outcome]:
        """Resolve after a load whose records `changed` (key → features now, None for a
        record that no longer takes part) are the only ones that differ from the stored
        state. `loaded` and `entities` hold the features and entity ids of the load's
        records, known without reading them; `before` the keys each changed record was
        filed under, of those that were (a new record has no entry); `rejudged` the
        records whose judgements changed (see rejudged); `begun` the candidates of a
        load that began with them (`candidates`), taken if made of the same records.

        The outcome comes a part at a time, each the whole components of up to PART of
        the records the load may have moved, for the caller to write before the next:
        components are disjoint, so each is resolved alone as in the whole, and what was
        read for a part is dropped once it is out (bench/README.md, stop 48)."""
        now = {k: f for k, f in changed.items() if f}
        if begun is None or not begun.made_of(now, loaded, before):
            if begun is not None:
                begun.scoring.cancel()
            begun = self.candidates(now, loaded, before)
        postings, known, pairs, regrouped = begun.postings, begun.known, begun.pairs, begun.regrouped
        entity = {**entities, **begun.entity}
        dropped = self._unjustified(begun.over, postings, known, entity, set(changed))
        fresh = begun.scoring.result()
        # Only a pair at MERGE or above can join (resolve()); one below is stored, not
        # followed: the components are those of the joins, not of every score.
        fresh_of = defaultdict(set)
        for s in fresh:
            if s.score >= MERGE:
                fresh_of[s.a].add(s.b)
                fresh_of[s.b].add(s.a)

        # The components: from the changed records and their entities before the load,
        # along every edge that can join, until nothing new is reached.
        old_ids = sorted({entity[k] for k in changed if entity.get(k)})
        start = (
            set(changed)
            | regrouped
            | dropped
            | set(rejudged)
            | {
                key
                for row in self._over(
                    "UNWIND $keys AS entity_id MATCH (r:Record {entity_id: entity_id}) USING INDEX SEEK r:Record(entity_id) "
                    "WHERE r.status <> 'stub' "
                    "RETURN collect(r.key) AS keys",
                    old_ids,
                )
                for key in row["keys"]
            }
        )
        scores: dict[frozenset, Scored] = {frozenset((s.a, s.b)): s for s in fresh}
        judged = self.judgements.by_record("same", "not_same")
        # The records whose stored scores are replaced, and of them those not clustered yet.
        rescoring = changed.keys() | regrouped
        pending = set(rescoring)
        done: set[str] = set()
        compared = len(pairs)
        for part in batched(sorted(start), PART):
            # Those of the part an earlier part's components did not take.
            seeds = set(part) - done
            seen = self._components(
                seeds, known, entity, changed, rescoring, scores, fresh_of, judged, postings
            )
            # Records that no longer take part are in no component: their own entities.
            left = {k for k in seeds if k in changed and k not in now}
            rescored = rescoring & (seen | seeds)
            if not seen and not rescored:
                continue
            done |= seen
            pending -= seen | seeds
            resolution = resolve(
                [known[k] for k in sorted(seen)],
                self.judgements,
                {known[k].dataset: dataset_rank(known[k].dataset) for k in seen},
                changed=set(),
                known=scores.values(),
            )
            # A rescored record's pairs with records of no component of this part (scores
            # below MERGE) are stored with it; one whose other record is rescored later is
            # stored by that part, which first deletes that record's stored scores (stored
            # now too, it would be written, deleted and written again).
            across = [
                s
                for pair, s in scores.items()
                if not rescored.isdisjoint(pair) and not pair <= seen and pending.isdisjoint(pair)
            ]
            yield Outcome(
                resolution.entity_of,
                {k: entity.get(k) for k in seen | left},
                resolution,
                rescored,
                seen,
                left=left,
                compared=compared,
                across=across,
            )
            compared = 0
            # What only this part needed: the features read for it and its scores (but
            # those a later part stores).
            for k in seen - loaded.keys():
                known.pop(k, None)
            for pair in [pair for pair in scores if not seen.isdisjoint(pair) and pending.isdisjoint(pair)]:
                del scores[pair]
        postings.write()

    def candidates(
        self, now: dict[str, Features], loaded: Mapping[str, Features], before: Mapping[str, Collection[str]]
    ) -> Candidates:
        """The first step of `incremental`: the pairs of the changed records (`now`: their
        features) with the records they share a blocking key with, read with the postings,
        and their scoring begun (graph/resolve begin_scoring). A load of a list new to the
        graph takes it before it writes its records, which are scored meanwhile."""
        postings = _Postings(self.run, now, before)
        known: dict[str, Features] = {**loaded, **now}
        entity: dict[str, str] = {}

        # Score the changed records' pairs: those that share a blocking key.
        keys = {key for f in now.values() if f.fuzzy for key in posting_keys(f) if not key.startswith(STATED)}
        # A group of spellings or of birth dates (CAPPED) larger than MAX_GROUP is not
        # searched: one this load takes over the limit no longer justifies the pairs it
        # made, one it takes back under the limit makes every pair of its members (as a
        # rebuild would find them).
        capped = {k for k in keys | {k for ks in before.values() for k in ks} if k.startswith(CAPPED)}
        found = postings.members(keys | capped)
        searched_before = {k: searched(k, len(postings.stored(k))) for k in capped}  # each parsed once
        over = {k for k in capped if searched_before[k] and not searched(k, len(found[k]))}
        under = {k for k in capped if not searched_before[k] and searched(k, len(found[k]))}
        groups = {
            key: members
            for key, members in found.items()
            if len(members) >= 2 and (key in keys or key in under) and searched(key, len(members))
        }
        self._read(known, entity, {k for members in groups.values() for k in members})
        filed: dict[str, set[str]] = {}
        pairs: set[tuple[str, str]] = set()
        regrouped: set[str] = set()
        for key, members in groups.items():
            # A load stopped half-way may leave a record filed under a key it has no
            # more: only records that have the key are paired, as a rebuild pairs them.
            # (Each record's keys are made once: a record is in many groups.)
            for m in members:
                if m not in filed and m in known:
                    filed[m] = posting_keys(known[m])
            members = {m for m in members if m in filed and key in filed[m]}
            pairing = members if key in under else members & now.keys()
            regrouped |= members if key in under else set()
            for a in pairing:
                pairs.update((min(a, b), max(a, b)) for b in members if b != a)
        return Candidates(
            now,
            dict(loaded),
            dict(before),
            postings,
            known,
            entity,
            pairs,
            regrouped,
            over,
            begin_scoring(known, sorted(pairs)),
        )

    def _components(
        self,
        start: set[str],
        known: dict[str, Features],
        entity: dict[str, str],
        changed: dict[str, Features | None],
        rescoring: AbstractSet[str],
        scores: dict[frozenset, Scored],
        fresh_of: dict[str, set[str]],
        judged: dict[str, set[str]],
        postings: _Postings,
    ) -> set[str]:
        """The records of the components of `start`: from them along every edge that can
        join two records (a judgement, a list's statement, a score at MERGE or above),
        until nothing new is reached. resolve() joins along no other edge, so a component
        is clustered alone as in the whole; a score below MERGE only goes to review,
        which is made from the stored scores when asked. Reads the features of the
        records into `known`, and into `scores` their stored scores that can join and
        every stored score of those `rescoring` (stored again: Outcome.across)."""
        seen: set[str] = set()
        frontier = start
        while frontier:
            self._read(known, entity, frontier, paired=False)
            frontier = {k for k in frontier if k in known} - seen
            seen |= frontier
            neighbours: set[str] = set()
            for row in self._over(
                "UNWIND $keys AS key MATCH (a:Record {key: key})-[c:CANDIDATE]-(b:Record) USING INDEX SEEK a:Record(key) "
                "WHERE c.score >= $merge OR key IN $every "
                "RETURN collect([a.key, b.key, c.score, c.features, c.within_list_ok]) AS edges",
                sorted(frontier - changed.keys()),
                merge=MERGE,
                every=sorted(rescoring & frontier),
            ):
                for one, other, score, features, within_list_ok in row["edges"]:
                    if other in changed:
                        continue  # scored anew above
                    a, b = sorted((one, other))
                    scores.setdefault(frozenset((a, b)), Scored(a, b, score, tuple(features), within_list_ok))
                    if score >= MERGE:
                        neighbours.add(other)
            stated: set[str] = set()
            for k in frontier:
                f = known[k]
                neighbours |= fresh_of.get(k, set()) | judged.get(k, set()) | set(f.same_as)
                stated |= {f"ref:{cited}" for cited in f.same_as}  # who holds what it cites
                stated |= {f"cite:{ref}" for ref in (k, *f.refs)}  # who cites it
                stated |= {f"ref:{ref}" for ref in f.refs}  # who holds the same id
            for members in postings.members(stated).values():
                neighbours |= members
            frontier = neighbours - seen
        return seen

    def _unjustified(
        self,
        over: set[str],
        postings: _Postings,
        known: dict[str, Features],
        entity: dict[str, str],
        changed: set[str],
    ) -> set[str]:
        """Delete the stored scores of pairs that only a group now over MAX_GROUP made
        candidates (pairs of changed records are scored anew anyway); returns their records."""
        if not over:
            return set()
        members = {m for k in over for m in postings.stored(k)} - changed
        self._read(known, entity, members)
        stored = self.run(
            "UNWIND $keys AS key MATCH (a:Record {key: key})-[c:CANDIDATE]->(b:Record) USING INDEX SEEK a:Record(key) "
            "WHERE b.key IN $keys RETURN a.key AS a, b.key AS b",
            keys=sorted(members),
        )
        blocking = {
            m: set(known[m].blocking or blocking_keys(known[m]))
            for m in {r[x] for r in stored for x in ("a", "b")}
            if m in known
        }
        shared = {(r["a"], r["b"]): blocking.get(r["a"], set()) & blocking.get(r["b"], set()) for r in stored}
        sizes = postings.members({k for keys in shared.values() for k in keys if k.startswith(CAPPED)})
        dropped = [
            pair
            for pair, keys in shared.items()
            if not any(not k.startswith(CAPPED) or searched(k, len(sizes[k])) for k in keys)
        ]
        self.run(
            "UNWIND $pairs AS p MATCH (a:Record {key: p[0]})-[c:CANDIDATE]->(:Record {key: p[1]}) "
            "USING INDEX SEEK a:Record(key) DELETE c",
            pairs=[list(p) for p in dropped],
        )
        return {k for pair in dropped for k in pair}

    def rebuild(self) -> Outcome:
        """Resolve every record from scratch and file every posting anew."""
        rows = stored_features(self.run)
        self.records_read += len(rows)
        features = [features_of(r) for r in rows]
        resolution = resolve(
            features, self.judgements, {f.dataset: dataset_rank(f.dataset) for f in features}
        )
        _Postings(self.run, {f.key: f for f in features}, {}).write(fresh=True)
        # Records that take no part (participates()) are entities of their own.
        left = {
            r["key"]: r["entity_id"]
            for r in self.run(
                "MATCH (r:Record) WHERE r.dataset =~ $upstream AND r.status <> 'stub' "
                "AND coalesce(r.same_as, []) = [] AND coalesce(r.moved_from, []) = [] AND r.entity_id <> r.key "
                "RETURN r.key AS key, r.entity_id AS entity_id",
                upstream=upstream_pattern(),
            )
        }
        return Outcome(
            resolution.entity_of,
            {**{r["key"]: r["entity_id"] for r in rows}, **left},
            resolution,
            None,
            None,
            left=set(left),
            compared=resolution.compared,
        )

    def save_state(self) -> None:
        self.run(
            "MERGE (s:Resolver {id: 'resolver'}) "
            "SET s.state = $state, s.matcher = $matcher, s.judgements = $judged",
            state=self.state,
            matcher=MATCHER_VERSION,
            judged=self.judged,
        )

    # -- reading --------------------------------------------------------------------------

    def _over(self, statement: str, keys: list[str], **params: Any) -> list[dict]:
        """The rows of `statement` over `keys` (its $keys); none asked, no round trip."""
        return self.run(statement, keys=keys, **params) if keys else []

    def _read(
        self, known: dict[str, Features], entity: dict[str, str], keys: Iterable[str], paired: bool = True
    ) -> None:
        """Read the features and entity ids of the records of `keys` not known yet (of
        those that take part); without their blocking keys unless they are `paired`."""
        rows = stored_features(self.run, sorted(set(keys) - known.keys()), blocking=paired)
        self.records_read += len(rows)
        for row in rows:
            f = features_of(row)
            if participates(f):
                known[f.key], entity[f.key] = f, row["entity_id"]


class _Postings:
    """The stored postings as a load sees them: every dataset's buckets as stored, with the
    load's changed records filed under their keys now instead of those they were filed
    under `before` (the records that were). Their keys now are made from their features
    (`now`) where needed, not kept: a set each, they were 3 MiB of the FtM 1M load's peak,
    and empty sets for its new records as much again (bench/README.md, stop 49)."""

    def __init__(
        self,
        run: Callable[..., list[dict]],
        now: Mapping[str, Features],
        before: Mapping[str, Collection[str]],
    ):
        self.run, self.now, self.before = run, now, before
        self.changed = now.keys() | before.keys()
        #: bucket → node id ("dataset/bucket") → its postings as stored (JSON text), for
        #: every dataset's node of the buckets read (write() reads none of them again).
        #: A large load reads every bucket: kept as text, they take a fraction of the
        #: memory parsed dictionaries took (bench/README.md, stop 44), and only the keys
        #: asked for are ever parsed.
        self.read: dict[int, dict[str, str]] = {}
        self.added: dict[str, set[str]] = defaultdict(set)
        for record, features in now.items():
            for key in posting_keys(features):
                self.added[key].add(record)

    def members(self, keys: Iterable[str]) -> dict[str, set[str]]:
        """The records filed under each of `keys`: the stored ones but the changed, and
        the changed ones under their keys now. Each bucket is read once per load."""
        keys = set(keys)
        missing = sorted({bucket(k) for k in keys} - self.read.keys())
        for b in missing:
            self.read[b] = {}
        for batch in batched(missing, BATCH):
            # In one row: a row a node cost the driver more than the text it carries.
            (row,) = self.run(
                "UNWIND $buckets AS b MATCH (p:Postings {bucket: b}) RETURN collect([p.bucket, p.id, p.data]) AS nodes",
                buckets=batch,
            )
            for b, node, text in row["nodes"]:
                self.read[b][node] = text
        found = {}
        for key in keys:
            # Set operations, not a comprehension per key: a first load asks for 143k keys,
            # most of them filed under nothing stored.
            stored, added = self.stored(key), self.added.get(key)
            mine = stored - self.changed if stored else set()
            found[key] = mine | added if added else mine
        return found

    def stored(self, key: str) -> set[str]:
        """The records stored under `key` before this load (its bucket read by members())."""
        texts = self.read.get(bucket(key))
        if not texts:  # most often in a first load: nothing is stored in its bucket
            return set()
        needle = _needle(key)  # once for the bucket's nodes, one a dataset
        return {r for text in texts.values() for r in _filed(text, needle)}

    def write(self, fresh: bool = False) -> None:
        """File the changed records under their keys now, in their datasets' buckets:
        only the nodes whose postings differ are written (a record renamed keeps most of
        its keys)."""
        touched: dict[tuple[str, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        removed: dict[tuple[str, int], dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
        for record in self.changed:
            dataset = record.partition(":")[0]
            keys = posting_keys(self.now[record]) if record in self.now else set()
            for key in keys:
                touched[(dataset, bucket(key))][key].add(record)
            for key in set(self.before.get(record, ())) - keys:
                removed[(dataset, bucket(key))][key].add(record)
        ids = sorted({f"{d}/{b}" for d, b in [*touched, *removed]})
        stored: dict[str, dict[str, list[str]]] = {}
        if not fresh:
            stored = {
                f"{d}/{b}": json.loads(text)
                for d, b in {*touched, *removed}
                if (text := self.read.get(b, {}).get(f"{d}/{b}"))
            }
            unread = sorted({f"{d}/{b}" for d, b in [*touched, *removed] if b not in self.read})
            for batch in batched(unread, BATCH):
                for r in self.run(
                    "UNWIND $ids AS id MATCH (p:Postings {id: id}) RETURN p.id AS id, p.data AS data",
                    ids=batch,
                ):
                    stored[r["id"]] = json.loads(r["data"])
        rows = []
        for dataset, b in {*touched, *removed}:
            node = f"{dataset}/{b}"
            data = {k: set(v) for k, v in stored.get(node, {}).items()}
            for key, records in removed[(dataset, b)].items():
                data[key] = data.get(key, set()) - records
            for key, records in touched[(dataset, b)].items():
                data[key] = data.get(key, set()) | records
            filed = {k: sorted(v) for k, v in sorted(data.items()) if v}
            if node in stored and filed == stored[node]:
                continue  # as stored
            rows.append(
                {
                    "id": node,
                    "dataset": dataset,
                    "bucket": b,
                    "data": postings_text(filed) if filed else None,
                }
            )
        for batch in batched(rows, BATCH):
            self.run(
                "UNWIND $rows AS row MERGE (p:Postings {id: row.id}) "
                "SET p.dataset = row.dataset, p.bucket = row.bucket, p.data = row.data "
                "WITH p WHERE p.data IS NULL DELETE p",
                rows=batch,
            )
        if fresh:  # every bucket was written: what was not is stale
            self.run("MATCH (p:Postings) WHERE NOT p.id IN $ids DELETE p", ids=ids)


def postings_text(filed: dict[str, list[str]]) -> str:
    """A node's postings as stored: compact JSON, ASCII (records_filed reads it)."""
    return json.dumps(filed, separators=(",", ":"))


def records_filed(text: str, key: str) -> list[str]:
    """The records a node's postings (`text`, as postings_text stores them) file under
    `key`, parsing that key's list only. A key starts after "{" or ",": a
    quote inside a JSON string is escaped, so the key's quoted form found elsewhere (in a
    longer key) is not preceded by either."""
    return _filed(text, _needle(key))


def _needle(key: str) -> str:
    return json.dumps(key) + ":"


def _filed(text: str, needle: str) -> list[str]:
    at = text.find(needle)
    while at > 0 and text[at - 1] not in "{,":
        at = text.find(needle, at + 1)
    return _DECODER.raw_decode(text, at + len(needle))[0] if at > 0 else []


_DECODER = json.JSONDecoder()


def batched(items: Iterable, size: int) -> Iterator[list]:
    """Lists of `size` items (the last one shorter), for UNWIND statements."""
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
