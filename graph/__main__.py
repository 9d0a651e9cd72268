"""python -m graph: the command line. Thin: it parses arguments and calls the client."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import pandas as pd

from graph import settings as settings_module
from graph.client import GraphUnavailable, SanctionsGraph
from graph.loading import DEMO
from graph.server import LocalServer, ServerError
from loaders import LOADERS
from loaders.base import LoadError

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn
    return register


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except (LoadError, GraphUnavailable, ServerError, ValueError, KeyError) as e:
        message = e.args[0] if isinstance(e, KeyError) and e.args else e
        print(f"error: {message}", file=sys.stderr)
        return 2 if isinstance(e, (LoadError, ValueError, KeyError)) else 1
    except KeyboardInterrupt:
        print("interrupted: nothing was changed by an unfinished load", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m graph", description="Sanctions Graph")
    sub = p.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="start, stop or inspect the local Neo4j server")
    server.add_argument("action", choices=["start", "stop", "status"])

    load = sub.add_parser("load", help="load list files into the graph")
    load.add_argument("kind", nargs="?", help=f"auto, {', '.join(sorted(LOADERS))}")
    load.add_argument("paths", nargs="*", help="files or folders of one source")
    load.add_argument("--demo", action="store_true", help="load the bundled data")

    search = sub.add_parser("search", help="find entities by name or record id")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=10)

    entity = sub.add_parser("entity", help="an entity and its designations")
    entity.add_argument("id")
    return p


def _connect() -> SanctionsGraph:
    return SanctionsGraph.connect()


def _print_table(frame: pd.DataFrame) -> None:
    if frame.empty:
        print("(nothing found)")
    else:
        with pd.option_context("display.max_colwidth", 60, "display.width", 200):
            print(frame.to_string(index=False))


@command("server")
def cmd_server(args: argparse.Namespace) -> int:
    settings = settings_module.load()
    if settings.uri and args.action != "status":
        raise ServerError("NEO4J_URI is set: that server is managed elsewhere, not by this command")
    server = LocalServer(settings)
    if args.action == "start":
        already = server.running_pid()
        pid = server.start()
        print(f"Neo4j {'already running' if already else 'started'} at {server.uri} (pid {pid})")
    elif args.action == "stop":
        print("Neo4j stopped" if server.stop() else "Neo4j was not running")
    else:
        if not settings.uri and not server.running_pid():
            print(f"Neo4j is not running (would listen on {server.uri})")
            return 3
        with SanctionsGraph.connect(settings, start=False) as g:
            info = g.status()
            where = settings.uri or server.uri
            pid = f", pid {server.running_pid()}" if not settings.uri else ""
            print(f"Neo4j {info['version']} {info['edition']} at {where}{pid}: "
                  f"{info['nodes']} nodes, {info['relationships']} relationships")
    return 0


@command("load")
def cmd_load(args: argparse.Namespace) -> int:
    if args.demo:
        jobs = DEMO
    elif args.kind and args.paths:
        jobs = [(args.kind, args.paths)]
    else:
        raise ValueError("give KIND and PATH… (or --demo)")
    with _connect() as g:
        for kind, paths in jobs:
            def progress(stage: str, n: int) -> None:
                print(f"  {stage}: {n} records…", file=sys.stderr, flush=True)
            report = g.load(kind, *paths, progress=progress)
            print(report.summary())
    return 0


@command("search")
def cmd_search(args: argparse.Namespace) -> int:
    with _connect() as g:
        frame = g.search(args.text, limit=args.limit)
        frame["jurisdictions"] = frame["jurisdictions"].map(", ".join)
        _print_table(frame)
    return 0


@command("entity")
def cmd_entity(args: argparse.Namespace) -> int:
    with _connect() as g:
        entity = g.entity(args.id)
        if entity is None:
            raise ValueError(f"no entity {args.id!r}")
        print(f"{entity['name']} ({entity.get('kind')}, {entity['id']})")
        for record in entity["records"]:
            print(f"  {record['key']}: {record.get('name')}")
        _print_table(g.designations(entity["id"])[
            ["jurisdiction", "program", "listed_on", "announced_on", "delisted_on", "record_id", "source_url"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
