"""Saved queries (queries/*.cypher) and the read-only runner every query typed by a user
or saved in queries/ goes through.

A saved query is one file whose leading comments are its header (DESIGN.md):

    // name: designation_gaps
    // description: Targets designated by one jurisdiction and not by others
    // param base: str = "US"         -- jurisdiction code
    // param family: str | None = None
    // absence: not_designated_by

`absence` names the columns whose empty value, or whose jurisdictions, say "not
designated": the app and the command line print under them what that rests on, the
lists loaded and their dates (briefing.absence_note).

Parameter types: str, int, bool, date, list[str]; `int[1..3]` bounds an int; a union of
quoted values (`"announced" | "listed"`) allows only those; `| None` allows None. Defaults
are Python literals; a parameter without one is required.

Files whose name starts with "_" are fragments, not queries. A line `// include: targets`
is replaced by the body of queries/_targets.cypher, and the fragment's parameters join the
query's (the query's own declaration wins). A query exposes only the parameters its
Cypher uses, so the common filters are declared once (queries/_filters.cypher).

Read-only, in depth: the query is planned with EXPLAIN first and refused unless Neo4j
classes it as a read ("r") that loads no files, calls only allowed procedures and runs no
administration commands; then it runs in a READ transaction, which the server itself
refuses to let write, with a timeout.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import cache
from pathlib import Path

import pandas as pd
from neo4j.exceptions import ClientError, Neo4jError

from graph import bundled
from graph.exc import QueryError, QueryTimeout, ReadOnlyError
from neo4j import READ_ACCESS, Driver, Record, unit_of_work
from neo4j import time as neo4j_time

QUERIES_DIR = bundled.QUERIES

#: Procedures a read-only query may call: schema introspection and full-text search.
ALLOWED_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshipTypes",
        "db.propertyKeys",
        "db.schema.visualization",
        "db.schema.nodeTypeProperties",
        "db.schema.relTypeProperties",
        "db.index.fulltext.queryNodes",
        "db.index.fulltext.queryRelationships",
    }
)
#: SHOW commands that only describe the schema; others (SHOW SETTINGS, SHOW TRANSACTIONS,
#: TERMINATE TRANSACTIONS) reveal or touch the server and are refused though Neo4j calls
#: them reads.
ALLOWED_COMMANDS = frozenset({"ShowIndexes", "ShowConstraints", "ShowProcedures", "ShowFunctions"})
#: Plan operators refused whatever the query type, and why.
REFUSED_OPERATORS = {
    "LoadCSV": "LOAD CSV reads files and URLs from the server",
    "TransactionForeach": "CALL … IN TRANSACTIONS commits batches of its own",
    "TransactionApply": "CALL … IN TRANSACTIONS commits batches of its own",
}
EXPLAIN = "EXPLAIN "
#: Where Neo4j says an error is: "(line 1, column 19 (offset: 18))".
POSITION = re.compile(r"\(line (\d+), column (\d+) \(offset: (\d+)\)\)")
#: Plan operators that write, to name them in the refusal.
WRITE_OPERATORS = re.compile(r"Create|Merge|Set|Remove|Delete|Foreach|Lock")

HEADER_LINE = re.compile(r"^//\s*(?:(name|description|include|absence)\s*:|(param)\s)\s*(.*)$")
PARAM = re.compile(
    r"^(?P<name>\w+)\s*:\s*(?P<type>[^=]+?)\s*(?:=\s*(?P<default>.+?))?\s*"
    r"(?:--\s*(?P<help>.*))?$"
)
BASE_TYPE = re.compile(r"^(?P<base>str|int|bool|date|list\[str\])(?:\[(?P<lo>-?\d+)\.\.(?P<hi>-?\d+)\])?$")
USED_PARAM = re.compile(r"\$(\w+)")
#: Column names that hold dates or days, so that a column of nothing but gaps is typed too.
DATE_NAME = re.compile(r"^(date|start|end)$|_(on|date)$")
DAYS_NAME = re.compile(r"(^|_)days$")

TRUE_WORDS, FALSE_WORDS = {"true", "yes", "1"}, {"false", "no", "0"}
NONE_WORDS = {"", "none", "null"}
DESCRIBED = {
    "str": "text",
    "int": "a whole number",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "list[str]": "a list of text (comma-separated on the command line)",
}


# -- parameters ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Param:
    name: str
    #: The type as written in the header, shown to users.
    type: str
    base: str
    optional: bool
    choices: tuple[str, ...] | None
    bounds: tuple[int, int] | None
    default: object
    required: bool
    help: str

    @classmethod
    def parse(cls, text: str, where: str) -> Param:
        m = PARAM.match(text.strip())
        if not m:
            raise QueryError(
                f"{where}: cannot read parameter {text.strip()!r}; write "
                "`// param NAME: TYPE = DEFAULT  -- help`"
            )
        name, written = m["name"], m["type"].strip()
        parts = [p.strip() for p in written.split("|")]
        optional = "None" in parts
        parts = [p for p in parts if p != "None"]
        choices = bounds = None
        if parts and all(p[:1] in "\"'" for p in parts):
            base, choices = "str", tuple(ast.literal_eval(p) for p in parts)
        elif len(parts) == 1 and (t := BASE_TYPE.match(parts[0])):
            base = t["base"]
            if t["lo"] is not None:
                if base != "int":
                    raise QueryError(f"{where}: only int takes bounds, not {parts[0]}")
                bounds = (int(t["lo"]), int(t["hi"]))
        else:
            raise QueryError(
                f"{where}: parameter {name!r} has unknown type {written!r} "
                '(str, int, int[LO..HI], bool, date, list[str], "a" | "b", … | None)'
            )
        param = cls(
            name,
            written,
            base,
            optional,
            choices,
            bounds,
            None,
            m["default"] is None,
            (m["help"] or "").strip(),
        )
        if m["default"] is not None:
            try:
                literal = ast.literal_eval(m["default"])
            except (ValueError, SyntaxError):
                raise QueryError(
                    f"{where}: default of {name!r} is not a Python literal: {m['default']}"
                ) from None
            param = replace(param, default=param.convert(literal, where))
        return param

    def convert(self, value: object, query: str) -> object:
        """The value as the query needs it; strings (from the command line) are parsed."""
        if value is None or (isinstance(value, str) and value.strip().lower() in NONE_WORDS):
            if self.optional:
                return None
            if value is None or self.base != "str" or value == "":
                raise QueryError(f"{query}: parameter {self.name!r} needs a value ({self._expected()})")
        converted = self._convert(value)
        if converted is None:
            raise QueryError(f"{query}: parameter {self.name!r} must be {self._expected()}, got {value!r}")
        return converted

    def _convert(self, value: object) -> object:
        """The converted value, or None when the value does not fit the type."""
        if self.base == "str":
            if not isinstance(value, str) or (self.choices and value not in self.choices):
                return None
            return value
        if self.base == "int":
            if isinstance(value, str) and re.fullmatch(r"\s*-?\d+\s*", value):
                value = int(value)
            if not isinstance(value, int) or isinstance(value, bool):
                return None
            if self.bounds and not self.bounds[0] <= value <= self.bounds[1]:
                return None
            return value
        if self.base == "bool":
            if isinstance(value, str) and value.strip().lower() in TRUE_WORDS | FALSE_WORDS:
                return value.strip().lower() in TRUE_WORDS
            return value if isinstance(value, bool) else None
        if self.base == "date":
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, date):
                return value
            try:
                return date.fromisoformat(value.strip()) if isinstance(value, str) else None
            except ValueError:
                return None
        # list[str]
        if isinstance(value, str):
            return [v.strip() for v in value.split(",") if v.strip()]
        if isinstance(value, (list, tuple, set, frozenset, pd.Series, pd.Index)):
            items = list(value)
            return items if all(isinstance(v, str) for v in items) else None
        return None

    def _expected(self) -> str:
        if self.choices:
            return "one of " + ", ".join(repr(c) for c in self.choices)
        if self.bounds:
            return f"a whole number from {self.bounds[0]} to {self.bounds[1]}"
        return DESCRIBED[self.base]

    def signature(self) -> str:
        return f"{self.name}: {self.type}" + ("" if self.required else f" = {self.default!r}")


# -- saved queries ------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: dict[str, Param]
    #: The Cypher that runs: fragments included, header left out.
    text: str
    path: Path
    #: The columns that say "not designated" (header `// absence: a, b`).
    absence: tuple[str, ...] = ()

    def bind(self, given: Mapping[str, object]) -> dict[str, object]:
        """Every parameter converted and checked, defaults filled in."""
        unknown = sorted(set(given) - set(self.params))
        if unknown:
            raise QueryError(
                f"{self.name}: no parameter {unknown[0]!r}; its parameters are "
                + (", ".join(self.params) or "none")
            )
        bound = {}
        for name, param in self.params.items():
            if name in given:
                bound[name] = param.convert(given[name], self.name)
            elif param.required:
                raise QueryError(f"{self.name}: parameter {name!r} is required ({param._expected()})")
            else:
                bound[name] = param.default
        return bound

    def signature(self) -> str:
        return ", ".join(p.signature() for p in self.params.values())


#: The queries parsed from each folder, with the contents of its files they were parsed
#: from: parsing them all costs 20 ms or more, far more than most queries take to run.
_PARSED: dict[Path, tuple[tuple[tuple[str, bytes], ...], dict[str, SavedQuery]]] = {}


def saved_queries(folder: Path = QUERIES_DIR) -> dict[str, SavedQuery]:
    """Every saved query in `folder`, by name. The files are read afresh on each call
    (an edit counts at once); they are parsed again only when one of them changed."""
    paths = sorted(Path(folder).glob("*.cypher"))
    contents = tuple((str(path), path.read_bytes()) for path in paths)
    cached = _PARSED.get(Path(folder))
    if cached is not None and cached[0] == contents:
        return dict(cached[1])
    queries = {}
    for path in paths:
        if not path.name.startswith("_"):
            query = _parse(path)
            queries[query.name] = query
    _PARSED[Path(folder)] = (contents, queries)
    return dict(queries)


def catalogue(folder: Path = QUERIES_DIR) -> pd.DataFrame:
    """The saved queries: name, description and typed parameters (`name: type = default`)."""
    return pd.DataFrame(
        [
            {"name": q.name, "description": q.description, "parameters": q.signature()}
            for q in saved_queries(folder).values()
        ],
        columns=["name", "description", "parameters"],
    )


def saved_query(name: str, folder: Path = QUERIES_DIR) -> SavedQuery:
    queries = saved_queries(folder)
    if name not in queries:
        raise QueryError(f"no saved query {name!r}; the saved queries are {', '.join(queries)}")
    return queries[name]


@cache
def fragment(name: str, folder: Path = QUERIES_DIR) -> str:
    """The Cypher of the fragment queries/_<name>.cypher, its includes expanded: for the
    client's own statements that share a rule with the saved queries (`dated`)."""
    return "\n".join(_expand(folder / f"_{name}.cypher", None, [])[0])


def _parse(path: Path) -> SavedQuery:
    header: dict[str, str] = {}
    lines, params = _expand(path, header, [])
    text = "\n".join(lines).strip()
    where = path.name
    for key in ("name", "description"):
        if not header.get(key):
            raise QueryError(f"{where}: the header lacks `// {key}: …`")
    if header["name"] != path.stem:
        raise QueryError(f"{where}: named {header['name']!r} in its header; name it like its file")
    used = set(USED_PARAM.findall(text))
    undeclared = sorted(used - set(params))
    if undeclared:
        raise QueryError(f"{where}: uses ${undeclared[0]} but declares no such parameter")
    own_unused = sorted(n for n, (p, own) in params.items() if own and n not in used)
    if own_unused:
        raise QueryError(f"{where}: declares parameter {own_unused[0]!r} but never uses it")
    return SavedQuery(
        name=header["name"],
        description=header["description"],
        params={n: p for n, (p, _) in params.items() if n in used},
        text=text,
        path=path,
        absence=tuple(c.strip() for c in header.get("absence", "").split(",") if c.strip()),
    )


def _expand(
    path: Path, header: dict[str, str] | None, including: list[Path]
) -> tuple[list[str], dict[str, tuple[Param, bool]]]:
    """The body lines of a query or fragment with its includes expanded, and its parameters
    (each with whether this file declares it itself). `header` collects name and
    description of the top-level file only."""
    if path in including:
        raise QueryError(f"{path.name}: includes itself (via {' → '.join(p.name for p in including)})")
    if not path.exists():
        raise QueryError(f"{including[-1].name}: includes {path.name}, which does not exist")
    params: dict[str, tuple[Param, bool]] = {}
    body: list[str] = []
    included: list[dict[str, tuple[Param, bool]]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        m = HEADER_LINE.match(line.strip())
        if not m:
            body.append(line)
            continue
        key, value = m[1] or m[2], m[3].strip()
        if key == "param":
            param = Param.parse(value, f"{path.name}, line {number}")
            params[param.name] = (param, True)
        elif key == "include":
            lines, fragment_params = _expand(path.parent / f"_{value}.cypher", None, [*including, path])
            body += lines
            included.append(fragment_params)
        elif header is not None:
            header[key] = value
    for fragment_params in included:
        for name, (param, _) in fragment_params.items():
            params.setdefault(name, (param, False))
    return body, params


# -- running read-only ----------------------------------------------------------------------


@dataclass
class Rows:
    columns: list[str]
    rows: list[dict]
    #: More rows matched than `max_rows`; the rest were not fetched.
    truncated: bool = False


#: Texts of saved queries that passed the check (run_read_only with saved).
_CHECKED: set[str] = set()


def run_read_only(
    driver: Driver,
    database: str,
    text: str,
    params: Mapping[str, object],
    timeout: float,
    max_rows: int | None = None,
    saved: bool = False,
    values_only: bool = False,
) -> Rows:
    """Plan, check and run one query in a READ transaction limited to `timeout` seconds.

    Raises ReadOnlyError for anything but a read of the graph, QueryTimeout when it runs
    too long, QueryError for what Neo4j refuses (syntax, unknown procedure, …).
    `saved` (a saved query, whose text is ours, not a user's): a text that passed the
    check before is not planned and checked again, and the error names the setting of
    saved queries' `timeout` (SANCT_SAVED_QUERY_TIMEOUT). The plan of a long query
    weighs more than its answer: the check can cost more than the query itself. The
    READ transaction still refuses any write. `values_only`: rows hold the values as the
    driver decoded them, nodes and relationships not turned into maps (a saved query that
    returns none skips a walk through every value: 0.4 s for 5k rows of lists)."""
    if not text.strip():
        raise QueryError("the query is empty")

    @unit_of_work(timeout=timeout)
    def work(tx) -> Rows:
        if not (saved and text in _CHECKED):
            try:
                plan = tx.run(EXPLAIN + text, params).consume()
            except ClientError as e:
                raise QueryError(f"Neo4j refused the query: {_unshifted(first_line(e))}") from None
            check_read_only(plan)
            if saved:
                if len(_CHECKED) > 1000:
                    _CHECKED.clear()
                _CHECKED.add(text)
        result = tx.run(text, params)
        out = Rows(list(result.keys()), [])
        for record in result:
            if max_rows is not None and len(out.rows) == max_rows:
                out.truncated = True
                break
            out.rows.append(dict(zip(out.columns, record.values())) if values_only else plain_row(record))
        return out

    try:
        with driver.session(database=database, default_access_mode=READ_ACCESS) as session:
            return session.execute_read(work)
    except ClientError as e:
        if "TransactionTimedOut" in (e.code or ""):
            raise QueryTimeout(
                f"the query ran longer than {timeout:g} s and was stopped "
                f"({'SANCT_SAVED_QUERY_TIMEOUT' if saved else 'SANCT_QUERY_TIMEOUT'} sets the limit)"
            ) from None
        if e.code == "Neo.ClientError.Statement.AccessMode":
            raise ReadOnlyError(f"refused by the server: {first_line(e)}") from None
        raise QueryError(f"Neo4j refused the query: {first_line(e)}") from None


def first_line(error: Neo4jError) -> str:
    """What Neo4j said, its first line: not the query or a stack trace of the server's."""
    return (error.message or str(error)).strip().splitlines()[0]


def _unshifted(message: str) -> str:
    """The error's position in the text as typed, not in "EXPLAIN " + text."""

    def shift(m: re.Match) -> str:
        line, column, offset = int(m[1]), int(m[2]), int(m[3])
        if line == 1:
            column = max(column - len(EXPLAIN), 1)
        return f"(line {line}, column {column} (offset: {max(offset - len(EXPLAIN), 0)}))"

    return POSITION.sub(shift, message)


def check_read_only(summary) -> None:
    """Refuse a planned query (an EXPLAIN summary) unless it only reads the graph."""
    operators = list(_operators(summary.plan or {}))
    kind = summary.query_type
    if kind in ("w", "rw"):
        writes = sorted({op for op, _ in operators if WRITE_OPERATORS.search(op)})
        raise ReadOnlyError(
            "refused: the query would write to the graph"
            + (f" ({', '.join(writes)})" if writes else "")
            + "; only reading queries run here, nothing was changed"
        )
    if kind != "r":
        raise ReadOnlyError(
            "refused: schema, administration and server commands do not run here "
            f"(query type {kind!r}); nothing was changed"
        )
    for op, details in operators:
        if op in REFUSED_OPERATORS:
            raise ReadOnlyError(f"refused: {REFUSED_OPERATORS[op]}; nothing was run")
        if op.startswith(("Show", "Terminate")) and op not in ALLOWED_COMMANDS:
            raise ReadOnlyError(f"refused: the server command {op} does not run here")
        if op == "ProcedureCall":
            procedure = (details or "").split("(")[0].strip()
            if procedure not in ALLOWED_PROCEDURES:
                raise ReadOnlyError(
                    f"refused: procedure {procedure or '?'} is not allowed here "
                    f"(allowed: {', '.join(sorted(ALLOWED_PROCEDURES))})"
                )


def _operators(plan: Mapping) -> Iterator[tuple[str, str | None]]:
    """(operator, details) of every step of a plan, e.g. ("ProcedureCall", "db.labels() :: …")."""
    yield plan.get("operatorType", "").split("@")[0], plan.get("args", {}).get("Details")
    for child in plan.get("children", []):
        yield from _operators(child)


# -- results as DataFrames ------------------------------------------------------------------


def to_frame(
    columns: Sequence[str], rows: Sequence[Mapping], dates: Collection[str] | None = None
) -> pd.DataFrame:
    """Rows as a DataFrame with dtypes a notebook expects: date columns as datetime64,
    whole-number columns with gaps as Int64 (also when empty, if named like one: `date`,
    `start`, `end`, `…_on`, `…_date`; `days`, `…_days`); lists and maps stay objects.
    `dates` names the date columns instead (a value that is no date becomes NaT)."""
    rows = [native(row) for row in rows]
    frame = pd.DataFrame(rows, columns=list(columns))
    for column in frame.columns:
        values = [row[column] for row in rows if row.get(column) is not None]
        if dates is not None:
            if column in dates:
                frame[column] = pd.to_datetime(frame[column], errors="coerce")
        elif all(isinstance(v, date) for v in values) and (values or DATE_NAME.search(column)):
            frame[column] = pd.to_datetime(frame[column])
        elif (
            all(isinstance(v, int) and not isinstance(v, bool) for v in values)
            and (values or DAYS_NAME.search(column))
            and len(values) < len(rows)
        ):
            # pandas made these floats because of the gaps
            frame[column] = pd.array([row.get(column) for row in rows], dtype="Int64")
    return frame


#: The types `Record.data()` returns as the driver decoded them.
_AS_DECODED = frozenset(
    {
        str,
        int,
        float,
        bool,
        type(None),
        neo4j_time.Date,
        neo4j_time.DateTime,
        neo4j_time.Time,
        neo4j_time.Duration,
    }
)


def _as_decoded(value) -> bool:
    kind = type(value)
    if kind in _AS_DECODED:
        return True
    if kind is list:
        return all(map(_as_decoded, value))
    if kind is dict:
        return all(map(_as_decoded, value.values()))
    return False


def plain_row(record: Record) -> dict:
    """`record.data()`, faster: a row of plain values (in lists and maps too) is taken as
    the driver decoded it. data() walks every value through isinstance checks of abstract
    classes, 7x the time of this check (20k rows of the demo's entities: 0.70 s against
    0.09 s); a row with anything else (a node, a relationship, a value the driver could not
    decode, which data() reports) still goes through data()."""
    values = tuple.__iter__(record)  # Record's own __iter__ checks each value in Python
    row = dict(zip(record.keys(), values))
    return row if all(map(_as_decoded, row.values())) else record.data()


def native(value):
    """Neo4j temporal values as Python ones, inside lists and maps too."""
    if hasattr(value, "to_native"):
        return value.to_native()
    if isinstance(value, list):
        return [native(v) for v in value]
    if isinstance(value, Mapping):
        return {k: native(v) for k, v in value.items()}
    return value
