"""Sanctions Graph: who designated whom, when, and who never did.

    from graph import SanctionsGraph
    g = SanctionsGraph.connect()
"""

from graph.client import GraphUnavailable, SanctionsGraph
from loaders.base import LoadError

__all__ = ["GraphUnavailable", "LoadError", "SanctionsGraph"]
