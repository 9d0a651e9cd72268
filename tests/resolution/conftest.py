"""The real lists read once and resolved once for the whole directory, the way
evaluate.py does it (resolve() without Neo4j, no judgements: the matcher's own work)."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench.resolution import features_of, read_records  # noqa: E402
from graph.resolve import Judgements  # noqa: E402
from graph.store import resolve_features  # noqa: E402

#: The directory's modules: in a parallel run, on one worker, which resolves the lists once.
GROUP = pytest.mark.xdist_group("resolution")


@pytest.fixture(scope="session")
def features():
    return features_of(read_records())


@pytest.fixture(scope="session")
def by_key(features):
    return {f.key: f for f in features}


@pytest.fixture(scope="session")
def resolution(features):
    return resolve_features(features, Judgements())
