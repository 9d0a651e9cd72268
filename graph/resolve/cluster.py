"""Clustering: records joined into entities by union-find, refusing joins that a
judgement or a conflict forbids; and the joins the lists state themselves."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Set as AbstractSet

from graph.names import name_forms
from graph.resolve.compare import (
    MERGE,
    ROMANISATION,
    _place_words,
    compare_words,
    conflict,
    contradiction,
)
from graph.resolve.model import Comparison, Edge, Features
from loaders.datasets import find_dataset


class _Clusters:
    """Union-find over record keys that refuses joins a judgement, a conflict or a
    contradiction forbids, whatever proposed the join but a person's judgement."""

    def __init__(self, recs: dict[str, Features]):
        self.recs = recs
        self.parent = {k: k for k in recs}
        self.members: dict[str, list[str]] = {k: [k] for k in recs}

    def find(self, k: str) -> str:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def join(
        self,
        a: str,
        b: str,
        not_same: set[frozenset],
        method: str = "matcher",
        within_ok: AbstractSet[frozenset] = frozenset(),
        merged: AbstractSet[frozenset] = frozenset(),
        stated_by: str = "",
    ) -> str | None:
        """Join the clusters of a and b; None if joined (or already one), else why not
        ("" when the reason is a judgement, which needs no review).

        `method` is what proposes the join (Edge.method). A person's judgement is only
        held back by another judgement. Every other join, a list's cross-reference as
        much as the matcher's, must not put in one entity two records that conflict or
        contradict each other (`contradiction`: birth dates years apart, nationalities
        with none in common) unless the matcher compared those two and found them alike
        enough despite it (`merged`); nor, for the matcher, two entries of one list it
        would not join directly (`within_ok`); nor, for a list's cross-reference, two
        entries of another list than the one stating it (`stated_by`, a dataset): a list
        that keeps two entries keeps two targets, whoever cites both (an OpenSanctions
        entity citing OFAC's 45928 and 45934, A LEVEL AEROSYSTEMS and ZALA AERO, two
        companies with two tax numbers)."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for x in self.members[ra]:
            for y in self.members[rb]:
                pair = frozenset((x, y))
                if pair in not_same:
                    return ""
                if method == "judgement":
                    continue
                rx, ry = self.recs[x], self.recs[y]
                why = conflict(rx, ry) if pair in merged else contradiction(rx, ry)
                if why:
                    return why if pair == {a, b} else f"{x} and {y} would be one entity, but {why}"
                if rx.dataset == ry.dataset:
                    if method == "matcher" and pair not in within_ok:
                        return f"{x} and {y} would be one entity, two entries of one list"
                    if method == "same_as" and rx.dataset != stated_by:
                        return (
                            f"{x} and {y} would be one entity, two entries of one list, by {stated_by}'s word"
                        )
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
      a partial date and a nationality or birth place in common (Hassan Dahir Aweys,
      twice on the SDN and UN lists; Fu'ad Shukr, born An Nabi Shit, twice on the SDN
      list); in a list that enters a target once per regime (repeats_targets), the same
      name and no date against;
    - either: the same name and an identity or registration number in common (BM Bank,
      registration 1027700159497, twice on OFAC's list);
    - an organisation, only in such a list: the same main name ("Russian Agricultural
      Bank" and "Russian Agricultural Bank JSC"). Aliases are not enough: brands repeat
      across subsidiaries ("Alfa-Bank" in Russia and in Belarus)."""
    if c.score < MERGE or (a.birth_dates and b.birth_dates and c.birth_date_precision < 4):
        # Dates that only nearly agree are as often two people as a typo: within one
        # list, where a typo would be the list's own, they keep two entries apart.
        return False
    if set(a.id_numbers) & set(b.id_numbers) and c.name_score >= ROMANISATION:
        return True
    if a.schema != "Person":
        main_a, main_b = name_forms(a.names[0], True), name_forms(b.names[0], True)
        return (
            _repeats_targets(a.dataset)
            and bool(main_a and main_b)
            and compare_words(main_a[0], main_b[0], True)[0] == 1.0
        )
    shared_nationality = bool(set(a.nationalities) & set(b.nationalities))
    shared_place = bool(_place_words(a.birth_places) & _place_words(b.birth_places))
    return (c.name_score >= ROMANISATION and c.birth_date_precision == 10) or (
        c.exact_name
        and (
            _repeats_targets(a.dataset)
            or (c.birth_date_precision in (4, 7) and (shared_nationality or shared_place))
        )
    )


def _repeats_targets(dataset: str) -> bool:
    """A list that enters one target once per regime (data/datasets.yaml: Canada lists
    Maduro under Venezuela and under the JVCFOA), so two entries of one person are common."""
    entry = find_dataset(dataset)
    return bool(entry and entry.repeats_targets)


def _stated_edges(recs: dict[str, Features]) -> list[Edge]:
    """Records joined because a list says so: one cites the other's key or ref, or both
    publish the same ref (the UK's two formats share "gb-ref:GHR0075"). Each edge's first
    record is one that says so (`_Clusters.join`'s stated_by)."""
    holders: dict[str, list[str]] = defaultdict(list)
    # In key order: the edges must not depend on the order the records were read in (a
    # load resolves a component of the graph, a rebuild all of it: tests compare them).
    recs = dict(sorted(recs.items()))
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
                why = (
                    f"{r.key} names {other} as the same target"
                    if cited == other
                    else f"{r.key} cites {cited}, the id {other} is listed under"
                )
                edges.append(Edge(r.key, other, 1.0, "same_as", (why,)))
    for ref, keys in holders.items():
        if ref not in recs:
            for other in keys[1:]:
                edges.append(Edge(keys[0], other, 1.0, "same_as", (f"both carry the id {ref}",)))
    return edges
