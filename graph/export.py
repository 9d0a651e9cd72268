"""Exports of the whole entity layer: CSV (nodes + edges), GraphML and GEXF (Gephi,
yEd, networkx) and FollowTheMoney JSON lines (which the `ftm` loader reads back).

The network has entities, programs, jurisdictions and civil-society calls as nodes;
entity links, designations (entity → program, one edge each), OF (program →
jurisdiction), NAMES, URGES and SIGNED as edges. Node `label` is the display name and
`kind` the type (Person, Program, …); edge `label` is the relationship, as Gephi shows
them. The list records themselves (provenance) stay in the graph; each entity carries the
keys of its records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Mapping
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd

from graph import briefing, dates
from graph.exc import InvalidInput
from graph.model import model
from graph.queries import native
from loaders.ftm import RELATIONSHIPS

FORMATS = ("csv", "graphml", "gexf", "ftm")
#: Our entity kinds as FollowTheMoney schemata.
FTM_SCHEMA = {"Person": "Person", "Organization": "Organization", "Vessel": "Vessel", "Aircraft": "Airplane"}
#: Link types as FtM relationship schemata: the inverse of what the ftm loader reads.
#: PART_OF has none and becomes an UnknownLink whose role says "part of".
FTM_LINKS = {
    link: (schema, source, target, roles[0])
    for schema, (link, source, target, roles) in RELATIONSHIPS.items()
}

Read = Callable[..., list[dict]]

ENTITIES = """
MATCH (e:Entity)
RETURN e.id AS id, e.kind AS kind, e.name AS name, e.names AS names,
       e.birth_dates AS birth_dates, e.birth_places AS birth_places,
       e.nationalities AS nationalities, e.countries AS countries, e.gender AS gender,
       e.positions AS positions, e.datasets AS datasets, e.record_keys AS record_keys
ORDER BY id
"""
DESIGNATIONS = """
MATCH (e:Entity)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
RETURN d.id AS id, e.id AS entity, d.jurisdiction AS jurisdiction, p.id AS program_id,
       p.code AS program_code, p.name AS program, d.authority AS authority,
       d.listed_on AS listed_on, d.announced_on AS announced_on,
       // What the dates are (graph/dates.py): a first-seen or on-or-before bound travels
       // with the file, so an export never reads as a stated listing date.
       d.first_seen AS first_seen, d.first_seen_after AS first_seen_after,
       coalesce(d.seen_basis, 'unknown') AS first_seen_basis,
       d.delisted_on AS delisted_on, d.delisted_after AS delisted_after, d.status AS status, d.record_id AS record_id, d.dataset AS dataset, d.reason AS reason,
       d.source_url AS source_url
ORDER BY id
"""
LINKS = """
MATCH (a:Entity)-[l]->(b:Entity) WHERE type(l) IN $types
RETURN a.id AS source, b.id AS target, type(l) AS type, l.role AS role, l.dataset AS dataset,
       l.since AS since, l.until AS until, l.source_url AS source_url
ORDER BY source, target, type, dataset
"""
PROGRAMS = """
MATCH (p:Program)
OPTIONAL MATCH (p)-[:ADMINISTERED_BY]->(a:Authority)
RETURN p.id AS id, p.name AS name, p.code AS code, p.family AS family,
       p.jurisdiction AS jurisdiction, p.legal_basis AS legal_basis, a.name AS authority
ORDER BY id
"""
JURISDICTIONS = "MATCH (j:Jurisdiction) RETURN j.code AS code, j.name AS name ORDER BY code"
CALLS = """
MATCH (c:Call)
RETURN c.id AS id, c.title AS title, c.date AS date, c.url AS url,
       c.signatory_count AS signatory_count,
       [(c)-[:NAMES]->(e:Entity) | e.id] AS names,
       [(c)-[u:URGES]->(j:Jurisdiction) | {code: j.code, measure: u.measure}] AS urges,
       [(e:Entity)-[:SIGNED]->(c) | e.id] AS signatories
ORDER BY id
"""


def export(read: Read, path: Path | str, format: str) -> list[Path]:
    """Write the graph to `path` in `format`; return the files written. For csv, `path`
    is a folder that receives nodes.csv and edges.csv."""
    if format not in FORMATS:
        raise InvalidInput(f"unknown export format {format!r}; choose one of {', '.join(FORMATS)}")
    path = Path(path)
    if format == "ftm":
        return [write_ftm(read, path)]
    graph = network(read)
    if format == "csv":
        return write_csv(graph, path)
    path.parent.mkdir(parents=True, exist_ok=True)
    plain = _plain_graph(graph)
    (nx.write_graphml if format == "graphml" else nx.write_gexf)(plain, path)
    return [path]


def network(read: Read) -> nx.MultiDiGraph:
    """The entity layer as one networkx graph (attributes keep lists and dates)."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for e in read(ENTITIES):
        graph.add_node(e.pop("id"), label=e.pop("name"), kind=e.pop("kind") or "Entity", **e)
    for j in read(JURISDICTIONS):
        graph.add_node(j["code"], label=j["name"] or j["code"], kind="Jurisdiction")
    for p in read(PROGRAMS):
        program = p.pop("id")
        graph.add_node(program, label=p.pop("name"), kind="Program", **p)
        graph.add_edge(program, p["jurisdiction"], key="OF", label="OF", relationship="OF")
    for d in read(DESIGNATIONS):
        graph.add_edge(
            d.pop("entity"),
            d.pop("program_id"),
            key=d.pop("id"),
            label="DESIGNATED_UNDER",
            relationship="DESIGNATED_UNDER",
            **d,
        )
    for link in read(LINKS, types=list(model().links)):
        # No key: two links of one type may join the same pair (49% and 51% owners).
        source, target, kind = link.pop("source"), link.pop("target"), link.pop("type")
        graph.add_edge(source, target, label=kind, relationship=kind, **link)
    for c in read(CALLS):
        call = c.pop("id")
        names, urges, signatories = c.pop("names"), c.pop("urges"), c.pop("signatories")
        graph.add_node(call, label=c.pop("title"), kind="Call", **c)
        # (u, v, key, data): a multigraph's edges; types-networkx knows only (u, v[, data])
        graph.add_edges_from(
            (call, e, "NAMES", {"label": "NAMES", "relationship": "NAMES"})  # type: ignore[misc]
            for e in names
        )
        graph.add_edges_from(
            (
                call,
                u["code"],
                "URGES",
                {
                    "label": "URGES",
                    "relationship": "URGES",  # type: ignore[misc]
                    "measure": u["measure"],
                },
            )
            for u in urges
        )
        graph.add_edges_from(
            (e, call, "SIGNED", {"label": "SIGNED", "relationship": "SIGNED"})  # type: ignore[misc]
            for e in signatories
        )
    return graph


def write_csv(graph: nx.MultiDiGraph, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    nodes = pd.DataFrame([{"id": n, **text_attributes(a)} for n, a in graph.nodes(data=True)])
    edges = pd.DataFrame(
        [
            {"source": u, "target": v, "id": k, **text_attributes(a)}
            for u, v, k, a in graph.edges(keys=True, data=True)
        ]
    )
    written = [folder / "nodes.csv", folder / "edges.csv"]
    nodes.to_csv(written[0], index=False)
    edges.to_csv(written[1], index=False)
    return written


def write_ftm(read: Read, path: Path) -> Path:
    """Entities, one Sanction per designation and one relationship entity per link, as
    FollowTheMoney JSON lines. The file's name becomes the dataset when loaded back
    (graph.ftm.json → ftm-graph)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as out:
        for e in read(ENTITIES):
            _line(out, _ftm_entity(e))
        for d in read(DESIGNATIONS):
            _line(out, _ftm_sanction(d))
        for link in read(LINKS, types=list(model().links)):
            _line(out, _ftm_link(link))
    return path


def _ftm_entity(e: dict) -> dict:
    schema = FTM_SCHEMA.get(e["kind"], "LegalEntity")
    person = schema == "Person"
    nationalities, countries = e["nationalities"] or [], e["countries"] or []
    props = {
        "name": [e["name"], *[n for n in e["names"] or [] if n != e["name"]]],
        "birthDate": e["birth_dates"],
        "birthPlace": e["birth_places"],
        "gender": [e["gender"]],
        # Only persons have a nationality in FtM; a body's is its country.
        "nationality": nationalities if person else None,
        "country": countries if person else nationalities + countries,
        "position": e["positions"] if person else None,
    }
    return {
        "id": e["id"],
        "caption": e["name"],
        "schema": schema,
        "properties": _values(props),
        "referents": e["record_keys"] or [],
        "datasets": e["datasets"] or [],
    }


def _ftm_sanction(d: dict) -> dict:
    props = {
        "entity": [d["entity"]],
        "country": [d["jurisdiction"].lower()],
        "authority": [d["authority"]],
        "authorityId": [d["record_id"]],
        # The code is what a list writes, so the ftm loader maps it to the same program.
        "program": [d["program"]],
        "programId": [d["program_code"]],
        "listingDate": [d["listed_on"]],
        "startDate": [d["announced_on"]],
        "endDate": [d["delisted_on"]],
        "status": [d["status"]],
        "reason": [d["reason"]],
        "sourceUrl": [d["source_url"]],
        # FtM has no field for a bound: the summary says it in words.
        "summary": [
            None
            if d["listed_on"] or d["announced_on"]
            else dates.describe(d["first_seen"], d["first_seen_basis"], d["first_seen_after"])
        ],
    }
    return {
        "id": d["id"],
        "caption": d["program"],
        "schema": "Sanction",
        "properties": _values(props),
        "datasets": [d["dataset"]],
    }


def _ftm_link(link: dict) -> dict:
    role = link["role"]
    if link["type"] in FTM_LINKS:
        schema, source, target, role_prop = FTM_LINKS[link["type"]]
    else:
        schema, source, target, role_prop = FTM_LINKS["LINKED_TO"]
        role = link["type"].replace("_", " ").lower() + (f": {role}" if role else "")
    key = "|".join(str(link[k]) for k in ("source", "type", "target", "dataset", "role"))
    props = {
        source: [link["source"]],
        target: [link["target"]],
        role_prop: [role],
        "startDate": [link["since"]],
        "endDate": [link["until"]],
        "sourceUrl": [link["source_url"]],
    }
    return {
        "id": f"{schema.lower()}-{hashlib.sha1(key.encode()).hexdigest()[:20]}",
        "schema": schema,
        "properties": _values(props),
        "datasets": [link["dataset"]],
    }


def _values(props: Mapping[str, Iterable | None]) -> dict[str, list[str]]:
    """FtM properties: lists of strings, empty ones left out."""
    out = {}
    for name, values in props.items():
        kept = [_text(v) for v in values or [] if v not in (None, "")]
        if kept:
            out[name] = kept
    return out


def _line(out, entity: dict) -> None:
    out.write(json.dumps(entity, ensure_ascii=False) + "\n")


def graphml(graph: nx.MultiDiGraph) -> str:
    """Any of the client's graphs as GraphML text (the app's downloads)."""
    return "\n".join(nx.generate_graphml(_plain_graph(graph)))


def _plain_graph(graph: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """GraphML and GEXF hold typed scalars only: every attribute as text, None left out."""
    plain: nx.MultiDiGraph = nx.MultiDiGraph()
    plain.add_nodes_from((n, text_attributes(a)) for n, a in graph.nodes(data=True))
    # (u, v, key, data): a multigraph's edges; types-networkx knows only (u, v[, data])
    plain.add_edges_from(
        (u, v, k, text_attributes(a))  # type: ignore[misc]
        for u, v, k, a in graph.edges(keys=True, data=True)
    )
    return plain


def text_attributes(attrs: dict) -> dict[str, str]:
    """Attributes as text, empty ones left out; a list's items joined by "; " (names hold
    commas: "CHEN, Quanguo; 陈全国")."""
    return {k: _text(v) for k, v in attrs.items() if v not in (None, "", [])}


def _text(value) -> str:
    value = native(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return "; ".join(_text(v) for v in value)
    return str(value)


# -- the gap matrix as a table of plain columns (CSV, JSON) -------------------------------

#: The columns gap_table writes per jurisdiction J, after the date column "J".
GAP_TABLE_FIELDS = (
    "status",
    "date basis",
    "first seen after",
    "program",
    "record id",
    "list",
    "source",
    "delisted",
)
#: The gap matrix's columns of per-jurisdiction facts ({J: value}) that gap_table reads.
GAP_FACTS = ("after", "programs", "record_ids", "lists", "sources")


def first_designation(row: Mapping) -> date | None:
    """A gap matrix row's first designation by any state it shows: its day, or the day
    that bounds it from above. A state's list older than that cannot say it has not
    followed (dates.older_than)."""
    days = [row[j] for j in row.get("bases") or {} if j in row and pd.notna(row[j])]
    return pd.Timestamp(min(days)).date() if days else None


def cell_dates(row: Mapping, j: str) -> str:
    """A gap matrix cell's dates in words: the first designation's, and its end where
    every designation of the cell has ended (the gap page's cell, the CSV's "not known
    whether in force")."""
    when = dates.describe(row.get(j), (row.get("bases") or {}).get(j), (row.get("after") or {}).get(j))
    delisted = (row.get("delisted") or {}).get(j)
    if delisted is None:
        return when
    ended = dates.describe_delisting(
        delisted, (row.get("delisted_after") or {}).get(j), (row.get("delisted_by") or {}).get(j)
    )
    return f"{when} → {ended}"


def gap_table(
    matrix: pd.DataFrame,
    coverage: pd.DataFrame | None = None,
    others: dict[str, dict[str, list[str]]] | None = None,
    undecided: pd.DataFrame | None = None,
    un_listed: set[str] | None = None,
    compared: dict[str, list[str]] | None = None,
    families: Mapping[str, Collection[str]] | None = None,
) -> pd.DataFrame:
    """A gap matrix (client.gap_matrix()) as plain columns, for CSV and JSON: id, name,
    kind, countries, then per jurisdiction J: "J" (the first designation's day,
    YYYY-MM-DD), "J status" (designated, delisted, not designated, no list, "not known:
    …" where J's list is older than the target's first designation (with `coverage`)
    or holds a record the resolver could not tell from the target (with `undecided` =
    client.undecided()) or leaves out the UN's listings of a UN-listed target (with
    `un_listed` = client.un_listed()) or the family of programs it is designated under
    (with `families` = client.families_of(): Canada's terrorist entities are in no list
    loaded) or has only extracts loaded that do not hold the
    whole of the programs `compared` (Model.compared_programs; see briefing.absence),
    or other family with `others` = client.programs_of()), "J date basis" (listed, announced,
    first_seen, on_or_before, unknown), "J first seen after", "J program", "J record id",
    "J list" (its dataset), "J source" (the announcement's URL, else the list's) and
    "J delisted"; last the dates chosen (date_basis). With as_of, a state whose
    designations' dates are bounds around that day is "not known" (IN_FORCE_UNKNOWN). Every cell is text or None (empty):
    never a dict or a list."""
    shown = [j for j in matrix.columns if j in model().jurisdictions]
    states = briefing.by_state(coverage) if coverage is not None and not coverage.empty else None
    undecided_of = dict(tuple(undecided.groupby(["id", "jurisdiction"]))) if undecided is not None else {}
    rows = []
    for row in matrix.to_dict("records"):
        first = first_designation(row)
        out = {
            "id": row["id"],
            "name": row["name"],
            "kind": row.get("kind") or "",
            "countries": ", ".join(row.get("countries") or []),
        }
        for j in shown:
            bases = row.get("bases") or {}
            designated = j in bases
            delisted = (row.get("delisted") or {}).get(j) if designated else None
            if designated and delisted is not None and (row["id"], j) in undecided_of:
                status = briefing.doubt(undecided_of[(row["id"], j)])  # as briefing.state_lines
            elif designated and j in (row.get("in_force_unknown") or ()):
                status = briefing.in_force_unknown(cell_dates(row, j))  # as of a day its dates bound
            elif designated:
                status = "delisted" if delisted is not None else "designated"
            elif other_programs := (others or {}).get(row["id"], {}).get(j):
                status = "designated under " + ", ".join(other_programs)
            elif (row["id"], j) in undecided_of:
                status = briefing.doubt(undecided_of[(row["id"], j)])
            elif states is None:
                status = "not designated"  # nothing is known of the lists
            else:
                state, said = briefing.absence(
                    j,
                    states,
                    first,
                    row["id"] in (un_listed or ()),
                    compared,
                    (families or {}).get(row["id"], ()),
                    row.get("as_of"),
                )
                # Its whole text: a "not designated" cited from the file names the lists
                # and the day it rests on, as the page's header and the profile do.
                status = state if state == "no list" else said
            # The facts of j's designation, none where j has not designated the target.
            facts = {field: (row.get(field) or {}).get(j) for field in GAP_FACTS} if designated else {}
            out[j] = dates._day(row.get(j)) or "" if designated else ""
            out[f"{j} status"] = status
            out[f"{j} date basis"] = bases.get(j) or ""
            out[f"{j} first seen after"] = dates._day(facts.get("after")) or ""
            out[f"{j} program"] = ", ".join(facts.get("programs") or [])
            out[f"{j} record id"] = _text(facts["record_ids"]) if facts.get("record_ids") is not None else ""
            out[f"{j} list"] = facts.get("lists") or ""
            out[f"{j} source"] = facts.get("sources") or ""
            out[f"{j} delisted"] = (
                dates.describe_delisting(
                    delisted, (row.get("delisted_after") or {}).get(j), (row.get("delisted_by") or {}).get(j)
                )
                if delisted is not None
                else ""
            )
        out["date_basis"] = row.get("date_basis") or ""
        rows.append(out)
    columns = [
        "id",
        "name",
        "kind",
        "countries",
        *[c for j in shown for c in (j, *(f"{j} {f}" for f in GAP_TABLE_FIELDS))],
        "date_basis",
    ]
    # Empty cells are None: empty in a CSV file, null in JSON.
    return pd.DataFrame(rows, columns=columns).replace({"": None})
