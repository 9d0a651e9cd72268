"""How the second labelled sample (labelled_pairs_2.yaml) was drawn: record pairs of the
real lists, stratified by what makes resolution hard, drawn at random (seeded) within
each stratum. The labels are not made here: each pair was read in the files and judged
by hand; this only chooses which pairs to read, and prints them for reading.

    .venv/bin/python tests/resolution/draw_second.py [STRATUM] > pairs.txt

Strata (a pair is in the first that fits; pairs of the first sample are skipped):
  date conflicts     people whose names are alike (0.86 or more) and whose birth dates
                     do not agree (a day, a month, years apart)
  cross-references   pairs a list states: one cites the other's id, or both carry one
  contradicted       every pair a list states whose birth years or nationalities
  cross-references   have none in common (all of them, not drawn)
  weak aliases       a list's weak alias (OFAC, UK, UN "low quality") equal to a name
                     of another record, or an organisation's short alias inside its own
                     main name equal to a name of another record
  non-Latin aliases  two records sharing a name written in a non-Latin script
  non-Latin, one     two entries of one list sharing such a name (all of them)
  list
  one name, one list two entries of one list with the same name (words in any order)
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from itertools import combinations
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bench.resolution import features_of, read_records  # noqa: E402
from graph.names import name_forms  # noqa: E402
from graph.resolve import best_names, birth_dates, candidate_pairs  # noqa: E402
from graph.resolve.cluster import _stated_edges  # noqa: E402
from graph.resolve.forms import is_latin, short_forms  # noqa: E402

SEED = 20261204
PER_STRATUM = 64
AGREE = {"day", "month", "year", "possible dates"}


def name_keys(name: str, organisation: bool) -> set[str]:
    return {" ".join(sorted(words)) for words in name_forms(name, organisation) if len(words) > 1}


def strata(records, features) -> dict[str, list[tuple[str, str]]]:
    recs = {f.key: f for f in features}
    raw = {r.key: r for r in records}
    first = {frozenset(item["records"]) for item in
             yaml.safe_load((HERE / "labelled_pairs.yaml").read_text(encoding="utf-8"))}
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)

    people = [f for f in features if f.schema == "Person" and f.birth_dates]
    for a, b in candidate_pairs(people):
        x, y = recs[a], recs[b]
        if x.dataset == y.dataset:
            continue
        dates = birth_dates(x.birth_dates, y.birth_dates)
        if dates is not None and dates.kind in AGREE:
            continue
        if best_names(x.names, y.names, False)[0] >= 0.86:
            out["date conflicts"].add((a, b))

    for e in _stated_edges(recs):
        pair = tuple(sorted((e.a, e.b)))
        x, y = recs[e.a], recs[e.b]
        years_x, years_y = {d[:4] for d in x.birth_dates}, {d[:4] for d in y.birth_dates}
        nat_x, nat_y = set(x.nationalities), set(y.nationalities)
        out["cross-references"].add(pair)
        if (years_x and years_y and not years_x & years_y) or (nat_x and nat_y and not nat_x & nat_y):
            out["contradicted cross-references"].add(pair)

    by_name: dict[tuple[str, str], set[str]] = defaultdict(set)
    for f in features:
        for n in f.names:
            for k in name_keys(n, f.schema != "Person"):
                by_name[(f.schema, k)].add(f.key)
    for r in records:
        weak = [n.value for n in r.names if n.quality == "weak"]
        if r.schema != "Person" and r.key in recs:
            weak += list(short_forms(recs[r.key].names))
        for n in weak:
            for k in name_keys(n, r.schema != "Person"):
                for other in by_name.get((r.schema, k), ()):
                    if other != r.key:
                        out["weak aliases"].add(tuple(sorted((r.key, other))))

    script: dict[str, set[str]] = defaultdict(set)
    for f in features:
        for n in f.names:
            if not is_latin(n) and any(ch.isalpha() for ch in n):
                script[" ".join(n.lower().split())].add(f.key)
    for keys in script.values():
        if len(keys) <= 6:
            for a, b in combinations(sorted(keys), 2):
                out["non-Latin aliases"].add((a, b))
                if recs[a].dataset == recs[b].dataset:
                    out["non-Latin, one list"].add((a, b))

    main: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for f in features:
        for k in name_keys(f.names[0], f.schema != "Person") if f.names else ():
            main[(f.dataset, f.schema, k)].add(f.key)
    for keys in main.values():
        if 2 <= len(keys) <= 6:
            out["one name, one list"].update(combinations(sorted(keys), 2))

    drawn: dict[str, list[tuple[str, str]]] = {}
    taken: set[frozenset] = set(first)
    rng = random.Random(SEED)
    for name in ("date conflicts", "cross-references", "weak aliases", "non-Latin aliases",
                 "one name, one list", "contradicted cross-references", "non-Latin, one list"):
        pool = sorted(p for p in out[name] if frozenset(p) not in taken and p[0] in raw and p[1] in raw)
        pick = rng.sample(pool, min(PER_STRATUM, len(pool)))
        taken.update(frozenset(p) for p in pick)
        drawn[name] = sorted(pick)
    return drawn


def show(rec) -> str:
    names = [rec.name] + [n.value + (" (weak)" if n.quality == "weak" else "") for n in rec.names
                          if n.value != rec.name]
    parts = [f"{rec.key} {rec.schema}: " + " | ".join(names[:8])]
    facts = [f"born {', '.join(rec.birth_dates)}" if rec.birth_dates else "",
             f"in {'; '.join(rec.birth_places)}" if rec.birth_places else "",
             f"nat {','.join(rec.nationalities)}" if rec.nationalities else "",
             f"ctry {','.join(rec.countries)}" if rec.countries else "",
             rec.gender or "", f"ids {'; '.join(rec.identifiers[:3])}" if rec.identifiers else "",
             f"refs {','.join(rec.refs)}" if rec.refs else "",
             f"cites {','.join(rec.same_as)}" if rec.same_as else ""]
    parts.append("    " + "; ".join(x for x in facts if x))
    programs = sorted({s.program for s in rec.sanctions})
    text = " ".join([*rec.positions[:2], *(n for n in rec.notes[:2]),
                     rec.extra.get("remarks", "") or rec.extra.get("other_information", "")])
    parts.append(f"    [{'; '.join(programs)[:80]}] {' '.join(text.split())[:260]}")
    return "\n".join(parts)


if __name__ == "__main__":
    records = read_records()
    features = features_of(records)
    raw = {r.key: r for r in records}
    wanted = sys.argv[1] if len(sys.argv) > 1 else None
    for stratum, pairs in strata(records, features).items():
        if wanted and stratum != wanted:
            continue
        print(f"# {stratum}: {len(pairs)}")
        for i, (a, b) in enumerate(pairs):
            print(f"-- {stratum} {i}\n{show(raw[a])}\n{show(raw[b])}")
