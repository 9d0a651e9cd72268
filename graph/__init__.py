"""Sanctions Graph: who designated whom, when, and who never did.

    from graph import SanctionsGraph
    g = SanctionsGraph.connect()

The client (and with it the Neo4j driver) is imported when it is first asked for:
loaders/ import graph.exc, and must not pull the driver in with it.
"""

from typing import TYPE_CHECKING

from graph.exc import GraphUnavailable, LoadError, SanctionsGraphError

if TYPE_CHECKING:
    from graph.client import SanctionsGraph

__all__ = ["GraphUnavailable", "LoadError", "SanctionsGraph", "SanctionsGraphError"]


def __getattr__(name: str):
    if name == "SanctionsGraph":
        from graph.client import SanctionsGraph

        return SanctionsGraph
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
