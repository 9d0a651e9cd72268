"""python -m graph: the command line. Thin: it parses arguments and calls the client."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pandas as pd

from graph import background
from graph import resolve as resolution
from graph import settings as settings_module
from graph.client import SanctionsGraph
from graph.exc import InvalidInput, NotFound, SanctionsGraphError, ServerError
from graph.export import FORMATS as EXPORT_FORMATS
from graph.export import gap_table
from graph.loading import DEMO, HISTORY
from graph.model import model
from graph.queries import catalogue, saved_query
from graph.server import LocalServer, port_in_use
from graph.update import select as select_sources
from graph.update import update as update_lists
from graph.update import what_changed
from graph.wording import counted
from loaders import LOADERS

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {}
#: How `query` and `gaps` print their results.
OUTPUT_FORMATS = ("table", "csv", "json")


def command(name: str):
    def register(fn):
        COMMANDS[name] = fn
        return fn

    return register


def main(argv: list[str] | None = None) -> int:
    """Run one command; its exit status. A project error (graph/exc.py) is said in its
    message, exit status 2 when what was given is wrong (as argparse's own errors), 1 when
    Neo4j or the network cannot do it; any other exception is a bug and is raised, for its
    traceback."""
    args = parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except SanctionsGraphError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2 if isinstance(e, InvalidInput) else 1
    except BrokenPipeError:
        # `python -m graph … | head` closed the pipe: not an error worth a traceback.
        # Point stdout at /dev/null so the interpreter's final flush does not fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("interrupted: nothing was changed by an unfinished load", file=sys.stderr)
        return 130


def parser() -> argparse.ArgumentParser:
    # Named as it was run: the console script, or the module.
    prog = "sanctions-graph" if Path(sys.argv[0]).name == "sanctions-graph" else "python -m graph"
    p = argparse.ArgumentParser(prog=prog, description="Sanctions Graph")
    sub = p.add_subparsers(dest="command", required=True)

    server = sub.add_parser("server", help="start, stop or inspect the local Neo4j server")
    server.add_argument("action", choices=["start", "stop", "status"])

    load = sub.add_parser("load", help="load list files into the graph")
    load.add_argument("kind", nargs="?", help=f"auto, {', '.join(sorted(LOADERS))}")
    load.add_argument("paths", nargs="*", help="files or folders of one source")
    load.add_argument("--demo", action="store_true", help="load the bundled data")
    load.add_argument(
        "--force", action="store_true", help="write a source even if the same version is loaded already"
    )
    load.add_argument("--progress-file", type=Path, help=argparse.SUPPRESS)

    run = sub.add_parser("run", help="start Neo4j and the app; the bundled data loads behind it")
    run.add_argument("--port", type=int, help="the app's port on 127.0.0.1 (default 8501, SANCT_APP_PORT)")

    sub.add_parser("stop", help="stop the app, a background load and the local Neo4j")

    history = sub.add_parser(
        "history",
        help="replay the dated versions of one list: first-seen and removal dates bounded by the versions",
    )
    history.add_argument("kind", help="the loader of each version, e.g. ofac-sdn-csv")
    history.add_argument(
        "source",
        type=Path,
        help="a git repository or bundle whose commits are the "
        "versions, or a folder of dated versions (as update keeps them)",
    )
    history.add_argument("--force", action="store_true", help="write even if this history is loaded already")

    search = sub.add_parser("search", help="find entities by name or record id")
    search.add_argument("text")
    search.add_argument("--limit", type=int, default=10)

    entity = sub.add_parser("entity", help="an entity and its designations")
    entity.add_argument("id")

    update = sub.add_parser("update", help="download the current official lists, then load them")
    update.add_argument("--only", help="jurisdictions, comma-separated: us,gb,ca,eu,un,au (default all)")
    update.add_argument(
        "--dir",
        type=Path,
        help="where to save the files (default downloads/DATE in the local folder: .local/ of a checkout)",
    )

    query = sub.add_parser("query", help="run a saved query of queries/ (without NAME: list them)")
    query.add_argument("name", nargs="?")
    query.add_argument(
        "--param",
        "-p",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the query; repeat for more; lists comma-separated",
    )
    query.add_argument("--format", default="table", help="table (default), csv or json")

    gaps = sub.add_parser("gaps", help="gap matrix: the date each jurisdiction first designated each target")
    _target_filters(gaps)
    gaps.add_argument(
        "--case", help="only the targets of a case list (see `case`), e.g. xinjiang-2020-letter"
    )
    gaps.add_argument("--kind", help="Person, Organization, Vessel or Aircraft")
    gaps.add_argument("--jurisdictions", help="columns, comma-separated, e.g. US,GB,EU,CA")
    gaps.add_argument("--as-of", help="only designations in force that day (YYYY-MM-DD)")
    gaps.add_argument("--format", default="table", help="table (default), csv or json")

    brief = sub.add_parser(
        "brief",
        aliases=["briefing"],
        help="a briefing to cite: per target, each state's action or its "
        "absence, lags, list dates (Markdown, HTML, PDF)",
    )
    targets = brief.add_mutually_exclusive_group()
    targets.add_argument("--call", help="the targets a call names, e.g. hrf-joint-letter-2020-08-18")
    targets.add_argument("--case", help="the targets of a case list (see `case`), e.g. xinjiang-2020-letter")
    targets.add_argument("--ids", help="entity ids or list record keys, comma-separated")
    _target_filters(brief)  # with neither --call nor --ids: the gap matrix's
    brief.add_argument("--kind")
    brief.add_argument("--as-of")
    brief.add_argument("--target", help="only targets whose names have these words")
    brief.add_argument(
        "--jurisdictions",
        default="US,GB,EU,CA,AU",
        help="the states compared, comma-separated (default US,GB,EU,CA,AU); the first is "
        "the one lags count from",
    )
    brief.add_argument("--format", default="pdf", help="md, html or pdf (default)")
    brief.add_argument("--out", type=Path, required=True, help="the file to write")

    case = sub.add_parser(
        "case",
        help="case lists: named sets of targets (without NAME: list them; "
        "with NAME alone: its targets; with targets: make it)",
    )
    case.add_argument("name", nargs="?", help='a case list\'s name or id, e.g. "Xinjiang 2020 letter"')
    case.add_argument("--ids", help="entity ids or list record keys, comma-separated")
    case.add_argument("--call", help="the targets a call names, e.g. hrf-joint-letter-2020-08-18")
    case.add_argument("--search", help="the entities a search finds")
    case.add_argument("--file", type=Path, help="a file: one entity id, record key or name a line")
    case.add_argument("--description")
    case.add_argument(
        "--add", action="store_true", help="add the targets to the list instead of replacing them"
    )
    case.add_argument("--remove", help="take these ids or record keys out of the list, comma-separated")
    case.add_argument("--delete", action="store_true", help="delete the case list")
    case.add_argument("--format", default="table", help="table (default), csv or json")

    export = sub.add_parser("export", help="write the graph to a file: csv, graphml, gexf or ftm")
    export.add_argument("--format", help=f"one of {', '.join(EXPORT_FORMATS)}")
    export.add_argument("--out", help="file to write (for csv: a folder)")

    resolve = sub.add_parser("resolve", help="entity resolution: pairs to review, why two records are one")
    resolve.add_argument(
        "--review", action="store_true", help="list uncertain candidate pairs for a person to judge"
    )
    resolve.add_argument("--limit", type=int, default=50, help="with --review: at most this many")
    resolve.add_argument("--format", default="text", help="with --review: text (default), csv or json")
    resolve.add_argument(
        "--explain",
        nargs=2,
        metavar=("A", "B"),
        help="why two records or entities are one entity, or why not",
    )
    resolve.add_argument(
        "--rebuild",
        action="store_true",
        help="resolve every record from scratch (each load resolves only what "
        "it changed, with the same result)",
    )

    changes = sub.add_parser(
        "changes",
        help="what changed since a day: targets added, removed, moved "
        "and amended; new and closed gaps; an Atom feed",
    )
    changes.add_argument("--since", required=True, help="changes on or after this day (YYYY-MM-DD)")
    _target_filters(changes)
    changes.add_argument("--jurisdictions", help="comma-separated, e.g. US,GB,EU,CA (default all)")
    changes.add_argument("--kinds", help="of changes: added,removed,moved,amended (default all)")
    changes.add_argument(
        "--show",
        default="changes",
        choices=["changes", "new-gaps", "closed-gaps"],
        help="the changes (default); new gaps: targets designated since the day and "
        "the states that have not (yet); closed gaps: states that followed, with the lag",
    )
    changes.add_argument("--format", default="table", help="table (default), csv or json")
    changes.add_argument(
        "--atom",
        type=Path,
        metavar="FILE",
        help="write the changes as an Atom feed to FILE (instead of printing them)",
    )
    return p


def _target_filters(command: argparse.ArgumentParser) -> None:
    """The filters the analysis commands share (queries/_filters.cypher)."""
    command.add_argument("--family", help="program family, e.g. human_rights")
    command.add_argument(
        "--include-country-regimes",
        action="store_true",
        help="with --family: designations under country regimes count too",
    )
    command.add_argument("--program", help="program id, e.g. US-GLOMAG")
    command.add_argument("--country", help="ISO alpha-2 code of the target's country, e.g. CN")
    command.add_argument("--date-basis", default="announced", help="announced (default) or listed")


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
            process = f", pid {server.running_pid()}" if not settings.uri else ""
            print(
                f"Neo4j {info['version']} {info['edition']} at {where}{process}: "
                f"{info['nodes']} nodes, {info['relationships']} relationships"
            )
    return 0


@command("load")
def cmd_load(args: argparse.Namespace) -> int:
    if args.demo:
        jobs = DEMO
    elif args.kind and args.paths:
        jobs = [(args.kind, args.paths)]
    else:
        raise InvalidInput("give KIND and PATH… (or --demo)")
    # The background load of `run` reports each step to the file the app reads.
    tracker = background.ProgressFile(args.progress_file, len(jobs)) if args.progress_file else None
    try:
        if tracker:
            tracker.step(background.STARTING)
        with _connect() as g:
            for kind, paths in jobs:
                what = f"{kind} {', '.join(Path(p).name for p in paths)}"

                def progress(stage: str, n: int, what: str = what) -> None:
                    print(f"  {stage}: {n} records…", file=sys.stderr, flush=True)
                    if tracker:
                        tracker.step(f"{what}: {stage} {n:,} records")

                if tracker:
                    tracker.step(what)
                report = g.load(kind, *paths, progress=progress, force=args.force)
                print(report.summary(), flush=True)
                if tracker:
                    tracker.loaded(report.summary())
    except Exception as e:
        if tracker:
            tracker.finish(error=str(e))
        raise
    if tracker:
        tracker.finish()
    return 0


@command("history")
def cmd_history(args: argparse.Namespace) -> int:
    with _connect() as g:
        report = g.load(
            HISTORY + args.kind,
            args.source,
            force=args.force,
            progress=lambda stage, n: print(f"  {stage}…", file=sys.stderr, flush=True),
        )
        print(report.summary())
    return 0


@command("run")
def cmd_run(args: argparse.Namespace) -> int:
    settings = settings_module.load()
    port = args.port or settings.app_port
    app = background.running_app(settings)
    if app:
        print(
            f"The app already runs at http://127.0.0.1:{app[1]} (pid {app[0]}): open it in a "
            "browser, or stop it first with `make stop`."
        )
        return 0
    if port_in_use(port):
        raise ServerError(
            f"port {port} on 127.0.0.1 is used by another program; stop it or "
            "choose another port with SANCT_APP_PORT"
        )
    # The app opens first: the background load starts the local Neo4j (if it is not
    # running) and then loads the bundled data, and the pages say how far it is.
    files = background.paths(settings)
    pid = background.start_demo_load(settings)
    print(
        f"Starting Neo4j and loading the bundled data in the background (pid {pid}, log "
        f"{files.log}); the app shows how far."
        if pid
        else "The bundled data is being loaded already; the app shows its progress.",
        flush=True,
    )
    print(f"Opening the app at http://127.0.0.1:{port} (Ctrl-C or `make stop` stops it)", flush=True)
    background.run_app(settings, port)
    return 0  # not reached: run_app replaces this process


@command("stop")
def cmd_stop(args: argparse.Namespace) -> int:
    settings = settings_module.load()
    for what in background.stop(settings):
        print(f"stopped {what}")
    if settings.local:
        print("Neo4j stopped" if LocalServer(settings).stop() else "Neo4j was not running")
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
            raise NotFound(f"no entity {args.id!r}")
        print(f"{entity['name']} ({entity.get('kind')}, {entity['id']})")
        for record in entity["records"]:
            print(f"  {record['key']}: {record.get('name')}")
        _print_table(
            g.designations(entity["id"])[
                ["jurisdiction", "program", "date", "delisted", "record_id", "source_url"]
            ]
        )
    return 0


@command("query")
def cmd_query(args: argparse.Namespace) -> int:
    _check_format(args.format)
    if args.name is None:  # files of queries/: no database needed
        queries = catalogue()
        if args.format == "table":
            for q in queries.itertuples():
                print(f"{q.name}({q.parameters})\n    {q.description}")
        else:
            _print_frame(queries, args.format)
        return 0
    params = {}
    for given in args.param:
        key, equals, value = given.partition("=")
        if not equals or not key.strip():
            raise InvalidInput(f"--param needs KEY=VALUE, got {given!r}")
        params[key.strip()] = value
    query = saved_query(args.name)
    query.bind(params)  # a wrong name or parameter is said before connecting
    with _connect() as g:
        result = g.run_saved(args.name, **params)
        _print_frame(result, args.format)
        if query.absence and not result.empty:
            # What its "not designated" rests on; on stderr, which a CSV or JSON file leaves out.
            from graph import briefing

            print(briefing.absence_note(g.coverage(), query.absence), file=sys.stderr)
    return 0


@command("gaps")
def cmd_gaps(args: argparse.Namespace) -> int:
    _check_format(args.format)
    jurisdictions = (
        [j.strip() for j in args.jurisdictions.split(",") if j.strip()] if args.jurisdictions else None
    )
    with _connect() as g:
        matrix = g.gap_matrix(
            family=args.family,
            program=args.program,
            country=args.country,
            jurisdictions=jurisdictions,
            as_of=args.as_of,
            kind=args.kind,
            include_country_regimes=args.include_country_regimes,
            date_basis=args.date_basis,
            case=args.case,
        )
        if args.format != "table":  # plain columns: program, record id, source, date basis
            ids = list(matrix.id)
            compared = model().compared_programs(
                list(model().jurisdictions), args.family, args.program, args.include_country_regimes
            )
            matrix = gap_table(
                matrix,
                g.coverage(),
                # Designations under programs of another family: "designated under X", as
                # the app's page and its CSV say, not "not designated".
                others=g.programs_of(ids, as_of=args.as_of, date_basis=args.date_basis)
                if args.family or args.program
                else None,
                undecided=g.undecided(ids),
                un_listed=g.un_listed(ids),
                compared=compared,
                families=g.families_of(ids),
            )
        _print_frame(matrix, args.format)
    return 0


@command("brief")
@command("briefing")  # the command's first name
def cmd_brief(args: argparse.Namespace) -> int:
    from graph import briefing

    if args.format not in briefing.FORMATS:
        raise InvalidInput(f"unknown --format {args.format!r}; choose one of {', '.join(briefing.FORMATS)}")
    with _connect() as g:
        made = briefing.make(
            g,
            ids=args.ids.split(",") if args.ids else None,
            call=args.call,
            case=args.case,
            jurisdictions=args.jurisdictions.split(","),
            target=args.target,
            family=args.family,
            program=args.program,
            country=args.country,
            kind=args.kind,
            as_of=args.as_of,
            include_country_regimes=args.include_country_regimes,
            date_basis=args.date_basis,
            format=args.format,
        )
        args.out.write_bytes(briefing.render(made, args.format))
    left = f" (the first {briefing.MAX_TARGETS}; {made.left_out} more left out)" if made.left_out else ""
    n = len(made.targets)
    print(f"{args.out}: a briefing on {counted(n, 'target')}{left}, {', '.join(made.jurisdictions)}")
    return 0


@command("case")
def cmd_case(args: argparse.Namespace) -> int:
    from graph import cases

    _check_format(args.format)
    with _connect() as g:
        if args.name is None:
            _print_frame(g.case_lists(), args.format)
            return 0
        if args.delete:
            if not cases.delete(g, args.name):
                raise NotFound(f"no case list {args.name!r}")
            print(f"deleted the case list {args.name}")
            return 0
        if args.remove:
            found = cases.remove(g, args.name, args.remove.split(","))
        elif args.ids or args.call or args.search or args.file:
            found = g.case_list(
                args.name,
                args.ids.split(",") if args.ids else (),
                call=args.call,
                search=args.search,
                file=args.file,
                description=args.description,
                replace=not args.add,
            )
        else:
            found = g.case_list(args.name)
        if found is None:
            raise NotFound(f"no case list {args.name!r}; make one with --ids, --call, --search or --file")
        if args.format == "table":
            print(
                f"{found['name']} (id {found['id']}, {counted(len(found['targets']), 'target')}; "
                f"made from {found['made_from']})"
            )
        _print_frame(found["targets"], args.format)
    return 0


@command("export")
def cmd_export(args: argparse.Namespace) -> int:
    if not args.format or not args.out:
        raise InvalidInput(f"give --format ({', '.join(EXPORT_FORMATS)}) and --out PATH")
    with _connect() as g:
        for path in g.export(args.out, args.format):
            print(path)
    return 0


#: What `changes` prints as a table, per --show; csv and json have every column.
CHANGES_TABLE = {
    "changes": ["when", "kind", "jurisdiction", "program", "name", "record_id", "detail"],
    "new-gaps": ["name", "jurisdiction", "status", "designated_by", "when", "programs"],
    "closed-gaps": ["name", "jurisdiction", "when", "followed", "followed_when", "lag"],
}


@command("changes")
def cmd_changes(args: argparse.Namespace) -> int:
    from graph.feed import write_atom

    _check_format(args.format)
    jurisdictions = (
        [j.strip() for j in args.jurisdictions.split(",") if j.strip()] if args.jurisdictions else None
    )
    filters = {
        "jurisdictions": jurisdictions,
        "family": args.family,
        "program": args.program,
        "country": args.country,
        "include_country_regimes": args.include_country_regimes,
        "date_basis": args.date_basis,
    }
    with _connect() as g:
        if args.atom:
            frame = g.changes(args.since, kinds=args.kinds, **filters)
            write_atom(
                frame,
                args.atom,
                since=args.since,
                app_url=f"http://127.0.0.1:{g.settings.app_port}",
                filters={**filters, "kinds": args.kinds},
            )
            print(f"{args.atom}: {len(frame)} changes since {args.since}")
            return 0
        if args.show == "new-gaps":
            frame = g.new_gaps(args.since, **filters)
            if frame.attrs.get("no_list"):
                print(f"no list loaded (not gaps): {', '.join(frame.attrs['no_list'])}", file=sys.stderr)
        elif args.show == "closed-gaps":
            frame = g.closed_gaps(args.since, **filters)
        else:
            frame = g.changes(args.since, kinds=args.kinds, **filters)
        _print_frame(frame[CHANGES_TABLE[args.show]] if args.format == "table" else frame, args.format)
    return 0


def _check_format(format: str) -> None:
    if format not in OUTPUT_FORMATS:
        raise InvalidInput(f"unknown --format {format!r}; choose one of {', '.join(OUTPUT_FORMATS)}")


def _print_frame(frame: pd.DataFrame, format: str) -> None:
    """A result as a table, CSV or JSON lines' worth of records; dates as YYYY-MM-DD."""
    if format == "json":
        records = [{k: _json_value(v) for k, v in row.items()} for row in frame.to_dict("records")]
        print(json.dumps(records, ensure_ascii=False, default=str, indent=1))
        return
    shown = frame.map(_cell)
    if format == "csv":
        shown.to_csv(sys.stdout, index=False)
    else:
        _print_table(shown)


def _cell(value) -> str:
    """One value as text: lists and maps joined, dates without a time, gaps empty."""
    if isinstance(value, (list, tuple)):
        return "; ".join(_cell(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k} {_cell(v)}" for k, v in value.items())
    if pd.api.types.is_scalar(value) and pd.isna(value):
        return ""
    if isinstance(value, (date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _json_value(value):
    if isinstance(value, (list, dict)):
        return value
    if pd.isna(value):
        return None
    if isinstance(value, (date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return value.item() if hasattr(value, "item") else value


@command("update")
def cmd_update(args: argparse.Namespace) -> int:
    only = args.only.split(",") if args.only else None
    select_sources(only)  # an unknown jurisdiction is an error before anything starts
    with _connect() as g:
        outcomes = update_lists(
            g, only, args.dir, progress=lambda step: print(f"  {step}…", file=sys.stderr, flush=True)
        )
        for outcome in outcomes:
            print(outcome.summary())
        print("What changed, per state:")
        for state in what_changed(g, outcomes):
            print("  " + state.summary())
    return 0 if all(o.ok for o in outcomes) else 1


#: How to record what a person decided, printed after the pairs to review.
JUDGEMENT_HELP = """\
Record a judgement in {path}; it always wins, from the next load on:
  same:
    - records: [A, B]
      reason: "what shows they are one (same passport number, same position, ...)"
  not_same:
    - records: [A, B]
      reason: "what shows they are two (different fathers, different addresses, ...)"
"""


@command("resolve")
def cmd_resolve(args: argparse.Namespace) -> int:
    with _connect() as g:
        if args.explain:
            print(g.explain_match(*args.explain)["summary"])
            return 0
        if args.rebuild:
            done = g.rebuild_resolution()
            print(
                f"resolved {done['records']} records from scratch: {done['compared']} candidate "
                f"pairs compared, {done['joins']} joins, {done['moved']} records moved to "
                "another entity",
                file=sys.stderr,
            )
            return 0
        frame = g.review_candidates()
        info = frame.attrs
        print(
            f"{info['records']} records, {info['scored']} candidate pairs scored "
            + (f"({info['compared']} compared now)" if info["compared"] else "(by the loads)")
            + f", {info['joins']} joins, {len(frame)} pairs to review",
            file=sys.stderr,
        )
        if not args.review:
            return 0
        frame = frame.head(args.limit)
        if args.format == "json":
            print(frame.to_json(orient="records", force_ascii=False, indent=1))
        elif args.format == "csv":
            frame.assign(evidence=frame["evidence"].map(" | ".join)).to_csv(sys.stdout, index=False)
        elif args.format == "text":
            for row in frame.to_dict("records"):
                print(
                    f"{row['score']:.3f}  {row['a']}  {row['a_name']!r} ({row['a_dataset']})\n"
                    f"       {row['b']}  {row['b_name']!r} ({row['b_dataset']})"
                )
                for line in row["evidence"]:
                    print(f"       - {line}")
            print("\n" + JUDGEMENT_HELP.format(path=resolution.JUDGEMENTS_PATH))
        else:
            raise InvalidInput(f"--format must be text, csv or json, not {args.format!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
