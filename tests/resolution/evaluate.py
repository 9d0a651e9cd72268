"""Precision and recall of the resolver on the hand-labelled pairs, over the real lists.

    .venv/bin/python tests/resolution/evaluate.py

Reads every real list in data/ with its loader, resolves them together without Neo4j
(resolve() is pure), and compares with tests/resolution/labelled_pairs.yaml: a pair is
predicted "same" when both records end in one entity. Judgements are left out, so the
figures are the matcher's own (data/resolution.yaml could otherwise carry the answers).
"""

from __future__ import annotations

import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from bench.resolution import features_of, read_records  # noqa: E402
from graph.resolve import Features, Judgements, Resolution, compare  # noqa: E402
from graph.store import resolve_features  # noqa: E402

LABELS = HERE / "labelled_pairs.yaml"
#: The second draw, stratified by the hard kinds of pair (see its header).
LABELS_2 = HERE / "labelled_pairs_2.yaml"


@dataclass
class Evaluation:
    resolution: Resolution
    features: dict[str, Features]
    labelled: list[dict]
    #: (pair, label, predicted) for every labelled pair
    outcomes: list[tuple[tuple[str, str], str, str]]

    def count(self, label: str, predicted: str) -> int:
        return sum(1 for _, lab, pred in self.outcomes if (lab, pred) == (label, predicted))

    @property
    def precision(self) -> float:
        tp, fp = self.count("same", "same"), self.count("different", "same")
        return tp / (tp + fp) if tp + fp else 1.0

    @property
    def recall(self) -> float:
        tp, fn = self.count("same", "same"), self.count("same", "different")
        return tp / (tp + fn) if tp + fn else 1.0

    def errors(self) -> list[tuple[tuple[str, str], str, str]]:
        return [o for o in self.outcomes if o[1] != o[2]]

    def stratum(self, drawn: str) -> Evaluation:
        """The same figures for the pairs of one stratum."""
        keep = [i for i, item in enumerate(self.labelled) if item["drawn"] == drawn]
        return Evaluation(self.resolution, self.features, [self.labelled[i] for i in keep],
                          [self.outcomes[i] for i in keep])

    def reviewed(self, a: str, b: str) -> bool:
        """The pair is listed for a person to judge (Resolution.review)."""
        return any({e.a, e.b} == {a, b} for e in self.resolution.review)


def evaluate(features: list[Features] | None = None, judgements: Judgements | None = None,
             resolution: Resolution | None = None, labels: Path = LABELS) -> Evaluation:
    """The labelled pairs of `labels` against the resolution of `features` (by default
    every real list, resolved here; pass `resolution` to reuse one)."""
    features = features if features is not None else features_of(read_records())
    resolution = resolution or resolve_features(features, judgements or Judgements())
    labelled = yaml.safe_load(labels.read_text(encoding="utf-8"))
    outcomes = []
    for item in labelled:
        a, b = item["records"]
        missing = [k for k in (a, b) if k not in resolution.entity_of]
        if missing:
            raise KeyError(f"{labels.name}: no record {', '.join(missing)} in the lists read")
        predicted = "same" if resolution.entity_of[a] == resolution.entity_of[b] else "different"
        outcomes.append(((a, b), item["label"], predicted))
    return Evaluation(resolution, {f.key: f for f in features}, labelled, outcomes)


def report(e: Evaluation) -> str:
    r = e.resolution
    strata = Counter((item["drawn"], item["label"]) for item in e.labelled)
    methods = Counter(x.method for x in r.edges)
    members: dict[str, set[str]] = {}
    for key, entity in r.entity_of.items():
        members.setdefault(entity, set()).add(key.split(":")[0])
    lines = [
        f"labelled pairs: {len(e.labelled)} ({e.count('same', 'same') + e.count('same', 'different')} same, "
        f"{e.count('different', 'same') + e.count('different', 'different')} different); by stratum: "
        + ", ".join(f"{d} {lab} {n}" for (d, lab), n in sorted(strata.items())),
        f"true merges {e.count('same', 'same')}, false merges {e.count('different', 'same')}, "
        f"missed {e.count('same', 'different')}, kept apart {e.count('different', 'different')}",
        f"precision {e.precision:.3f}, recall {e.recall:.3f}",
        f"whole data: {len(r.entity_of)} records, {r.compared} candidate pairs compared, "
        f"{len(r.edges)} joins ({', '.join(f'{m} {n}' for m, n in sorted(methods.items()))}), "
        f"{len(members)} entities, {sum(1 for d in members.values() if len(d) > 1)} on more than one list, "
        f"{len(r.review)} pairs for review",
    ]
    for drawn in sorted({item["drawn"] for item in e.labelled}):
        part = [o for o, item in zip(e.outcomes, e.labelled) if item["drawn"] == drawn]
        tally = Counter((label, predicted) for _, label, predicted in part)
        lines.append(f"  {drawn}: {len(part)} pairs, same merged {tally['same', 'same']}, same missed "
                     f"{tally['same', 'different']}, different kept apart {tally['different', 'different']}, "
                     f"different merged {tally['different', 'same']}")
    for (a, b), label, predicted in e.errors():
        c = compare(e.features[a], e.features[b])
        lines.append(f"  {label} but {predicted}: {a} / {b}: {c.score:.3f} " + "; ".join(c.features))
    return "\n".join(lines)


def strata_report(e: Evaluation) -> str:
    lines = []
    for drawn in sorted({item["drawn"] for item in e.labelled}):
        s = e.stratum(drawn)
        lines.append(f"  {drawn}: precision {s.precision:.3f}, recall {s.recall:.3f} "
                     f"({s.count('same', 'same')} same merged, {s.count('same', 'different')} missed, "
                     f"{s.count('different', 'different')} different kept apart, "
                     f"{s.count('different', 'same')} merged)")
    return "\n".join(lines)


if __name__ == "__main__":
    first = evaluate()
    print(report(first))
    second = evaluate(list(first.features.values()), resolution=first.resolution,
                      labels=LABELS_2)
    print(f"\nsecond draw ({LABELS_2.name}): {len(second.labelled)} pairs, precision "
          f"{second.precision:.3f}, recall {second.recall:.3f}")
    print(strata_report(second))
    for (a, b), label, predicted in second.errors():
        c = compare(second.features[a], second.features[b])
        listed = " (listed for review)" if second.reviewed(a, b) else ""
        print(f"  {label} but {predicted}{listed}: {a} / {b}: {c.score:.3f} " + "; ".join(c.features))
