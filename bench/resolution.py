"""Resolution of all the real lists together, without Neo4j: how long it takes, how many
candidate pairs it scores, how many records it joins.

    .venv/bin/python bench/resolution.py [--copies N]

--copies N adds N copies of every record as lists of their own ("copy1-us-ofac-sdn"),
each matching its original: a heavier load than the real lists, to see how time grows.

The lists are read by their loaders (not timed); `resolve` on their features is timed.
Candidate search (graph/resolve.py `blocking_keys`) files each record under keys of its
names, and only records that share a key are compared: the number of pairs compared is
printed beside the number of all pairs.
"""

from __future__ import annotations

import resource
import sys
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graph.resolve import Features, Judgements, resolve  # noqa: E402
from graph.resolving import dataset_rank, upstream  # noqa: E402
from loaders import get  # noqa: E402
from loaders.records import Record  # noqa: E402

DATA = ROOT / "data"

#: Every real list file in data/, newest version of each list, and the curated case.
REAL_LISTS: list[tuple[str, list[Path]]] = [
    ("ofac-sdn-csv", [DATA / "ofac" / "sdn.csv"]),
    ("ofac-sdn-csv", [DATA / "ofac" / "cons_prim.csv"]),
    ("uk-ofsi", [DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"]),
    ("uk-fcdo-xml", [DATA / "uk" / "uk_sanctions_list_sample_2026-09-10.xml"]),
    ("ca-sema-xml", [DATA / "canada" / "sema-lmes_2025-09-22.xml"]),
    ("eu-fsf-xml", [DATA / "eu" / "fsf_sample_2026-08-05.xml"]),
    ("eu-oj-csv", [DATA / "eu" / "eu_oj_32020R1998.csv"]),
    ("un-xml", [DATA / "un" / "UN_consolidated_2026-02-27.xml"]),
    ("curated", [DATA / "curated"]),
]


def read_records(lists: list[tuple[str, list[Path]]] = REAL_LISTS) -> list[Record]:
    """The records of the lists whose loader exists (the others are named on stderr)."""
    records: list[Record] = []
    for kind, paths in lists:
        try:
            loader = get(kind)()
        except Exception:
            print(f"(no loader {kind} yet: {paths[0].name} left out)", file=sys.stderr)
            continue
        records += [r for r in loader.read(paths) if isinstance(r, Record)]
    return records


def features_of(records: list[Record]) -> list[Features]:
    return [Features.of_record(r, fuzzy=not upstream(r.dataset))
            for r in records]


def measure(copies: int = 0) -> dict:
    """Resolve the real lists (and `copies` of them); the figures bench/run.py reports."""
    started = time.monotonic()
    records = read_records()
    features = features_of(records)
    features += [replace(f, key=f"copy{i}-{f.key}", dataset=f"copy{i}-{f.dataset}", refs=(), same_as=())
                 for i in range(1, copies + 1) for f in features]
    read_seconds = time.monotonic() - started
    by_dataset = Counter(f.dataset for f in features)

    started, cpu, workers = time.monotonic(), time.process_time(), _children_cpu()
    result = resolve(features, Judgements.load(), {d: dataset_rank(d) for d in by_dataset})
    seconds, cpu = time.monotonic() - started, time.process_time() - cpu
    # Pairs are scored by forked workers (graph/resolve score_pairs): their CPU counts too.
    cpu += _children_cpu() - workers
    n = len(features)
    lists: dict[str, set[str]] = {}
    for key, entity in result.entity_of.items():
        lists.setdefault(entity, set()).add(key.split(":")[0])
    return {
        "records": n, "by_dataset": dict(sorted(by_dataset.items())), "read_seconds": read_seconds,
        # Wall time depends on what else the machine runs; CPU time (this process and the
        # scoring workers) is the resolver's own.
        "seconds": seconds, "cpu_seconds": cpu, "compared": result.compared, "all_pairs": n * (n - 1) // 2,
        "joins": len(result.edges), "joins_by_method": dict(Counter(e.method for e in result.edges)),
        "entities": len(set(result.entity_of.values())), "review": len(result.review),
        "entities_on_several_lists": dict(sorted(Counter(len(d) for d in lists.values() if len(d) > 1).items())),
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    copies = int(sys.argv[sys.argv.index("--copies") + 1]) if "--copies" in sys.argv else 0
    m = measure(copies)
    print(f"{m['records']} records read in {m['read_seconds']:.1f} s: "
          + ", ".join(f"{d} {n}" for d, n in m["by_dataset"].items()))
    print(f"resolved in {m['seconds']:.1f} s ({m['cpu_seconds']:.1f} s CPU): {m['compared']} candidate pairs "
          f"compared (of {m['all_pairs']} pairs, {m['compared'] / max(1, m['all_pairs']):.4%})")
    print(f"{m['joins']} joins ({', '.join(f'{k} {v}' for k, v in sorted(m['joins_by_method'].items()))}), "
          f"{m['entities']} entities, {m['review']} pairs for review")
    print("entities on several lists: "
          + ", ".join(f"{k} lists: {v}" for k, v in m["entities_on_several_lists"].items()))
    if m["seconds"] >= 60 and not copies:
        sys.exit(f"too slow: {m['seconds']:.0f} s for {m['records']} records (the target is under 60 s)")


if __name__ == "__main__":
    main()
