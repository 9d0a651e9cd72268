"""SanctionsGraph: the Python client the app, the CLI and notebooks share.

    from graph import SanctionsGraph
    g = SanctionsGraph.connect()
    g.search("chen quanguo")
    g.designations(g.search("chen quanguo").id[0])

Results are pandas DataFrames (dates as datetime64) and networkx graphs.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
from neo4j import Driver, GraphDatabase, RoutingControl
from neo4j.exceptions import AuthError, ServiceUnavailable, SessionExpired
from rapidfuzz import fuzz

from graph import settings as settings_module
from graph.loading import LoadReport, Progress
from graph.loading import load as load_source
from graph.names import normalize
from graph.server import LocalServer, ServerError
from graph.settings import Settings


class GraphUnavailable(RuntimeError):
    """Neo4j cannot be reached; the message says how to start it."""


DESIGNATION_COLUMNS = [
    "jurisdiction", "authority", "program", "program_id", "family", "listed_on",
    "announced_on", "delisted_on", "status", "record_id", "dataset", "source",
    "source_url", "announcement", "record_key", "id",
]
DATE_COLUMNS = ("listed_on", "announced_on", "delisted_on", "first_seen")
#: Search results less similar than this to what was typed are noise, not candidates.
MIN_SEARCH_SCORE = 0.5


class SanctionsGraph:
    def __init__(self, driver: Driver, settings: Settings, server: LocalServer | None = None):
        self.driver = driver
        self.settings = settings
        self.database = settings.database
        self.server = server

    # -- connecting ------------------------------------------------------------------------

    @classmethod
    def connect(cls, settings: Settings | None = None, start: bool = True) -> SanctionsGraph:
        """Connect to NEO4J_URI if set, else to the local server (started if needed)."""
        s = settings or settings_module.load()
        server = None
        if s.uri:
            auth = (s.user, s.password) if s.password else None
            uri = s.uri
        else:
            server = LocalServer(s)
            if start:
                try:
                    server.start()
                except ServerError as e:
                    raise GraphUnavailable(str(e)) from None
            uri, auth = server.uri, (s.user, server.password())
        driver = GraphDatabase.driver(uri, auth=auth, notifications_min_severity="OFF",
                                      connection_acquisition_timeout=20,
                                      max_transaction_retry_time=15)
        graph = cls(driver, s, server)
        graph.ping()
        return graph

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> SanctionsGraph:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ping(self) -> None:
        try:
            self.driver.verify_connectivity()
        except AuthError:
            raise GraphUnavailable("Neo4j refused the credentials: check NEO4J_USER and "
                                   "NEO4J_PASSWORD") from None
        except (ServiceUnavailable, SessionExpired, OSError):
            raise GraphUnavailable(self._unavailable_message()) from None

    def _unavailable_message(self) -> str:
        if self.settings.uri:
            return (f"Neo4j at {_redact(self.settings.uri)} is not reachable. Check that it "
                    "runs and that NEO4J_URI is right.")
        return ("the local Neo4j server is not running. Start it with "
                "`python -m graph server start` (or `make run`).")

    def read(self, statement: str, /, **params) -> list[dict]:
        """Run one of the client's own read queries and return plain rows."""
        try:
            records, _, _ = self.driver.execute_query(
                statement, params, database_=self.database, routing_=RoutingControl.READ)
        except (ServiceUnavailable, SessionExpired) as e:
            raise GraphUnavailable(self._unavailable_message()) from e
        return [r.data() for r in records]

    # -- loading ---------------------------------------------------------------------------

    def load(self, kind: str, *paths: str | Path, progress: Progress | None = None) -> LoadReport:
        """Load one source (a file, or a folder for multi-file formats) of the given kind
        ("auto" detects it). All or nothing: a bad file leaves the graph as it was."""
        try:
            return load_source(self.driver, self.database, kind, paths,
                               batch_size=self.settings.batch_size, progress=progress)
        except (ServiceUnavailable, SessionExpired) as e:
            raise GraphUnavailable(self._unavailable_message()) from e

    # -- looking up ------------------------------------------------------------------------

    def search(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Entities whose names (in any script, any word order) are close to `text`.

        Columns: id, name, kind, score (0–1), jurisdictions (that listed it), matched.
        A list record id ("29220", "GHR0075") finds its entity too.
        """
        text = (text or "").strip()
        columns = ["id", "name", "kind", "score", "jurisdictions", "matched"]
        if not text:
            return pd.DataFrame(columns=columns)
        query = _fulltext_query(text)
        rows = self.read(
            """
            CALL () {
                MATCH (r:Record)-[:DESCRIBES]->(e:Entity)
                WHERE r.record_id = $text OR r.key = $text
                RETURN e, 100.0 AS hit
              UNION
                MATCH (e:Entity {id: $text}) RETURN e, 100.0 AS hit
              UNION
                CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: 200})
                YIELD node, score
                WHERE $query <> ''
                RETURN node AS e, score AS hit
            }
            WITH e, max(hit) AS hit ORDER BY hit DESC LIMIT 200
            OPTIONAL MATCH (e)<-[:TARGETS]-(d:Designation {status: 'active'})
            RETURN e.id AS id, e.name AS name, e.kind AS kind, e.names AS names,
                   e.search_names AS search_names, hit,
                   [j IN collect(DISTINCT d.jurisdiction) WHERE j IS NOT NULL] AS jurisdictions
            """, text=text, query=query)
        wanted = normalize(text)
        results = []
        for row in rows:
            if row["hit"] >= 100:
                score, matched = 1.0, text
            else:
                score, matched = _best_name(wanted, row["names"] or [])
            results.append({**row, "score": round(score, 3), "matched": matched,
                            "jurisdictions": sorted(row["jurisdictions"])})
        frame = pd.DataFrame(results, columns=[*columns, "hit"])
        frame = frame[frame["score"] >= MIN_SEARCH_SCORE]
        frame = frame.sort_values(["score", "hit", "name"], ascending=[False, False, True])
        return frame[columns].head(limit).reset_index(drop=True)

    def entity(self, id: str) -> dict | None:
        """An entity with every list record that describes it, or None."""
        rows = self.read(
            """
            MATCH (e:Entity) WHERE e.id = $id OR $id IN e.record_keys
            WITH e LIMIT 1
            OPTIONAL MATCH (e)<-[:DESCRIBES]-(r:Record)
            WITH e, r ORDER BY r.key
            RETURN e {.*, labels: labels(e)} AS entity,
                   [x IN collect(r {.*}) WHERE x.key IS NOT NULL] AS records
            """, id=id)
        if not rows:
            return None
        entity = dict(rows[0]["entity"])
        entity["records"] = [_plain(r) for r in rows[0]["records"]]
        return _plain(entity)

    def designations(self, id: str, as_of: date | str | None = None) -> pd.DataFrame:
        """Every designation of the entity by every jurisdiction, with dates and sources.

        `as_of` keeps the designations in force on that date (listed or announced by then
        and not delisted before it).
        """
        rows = self.read(
            """
            MATCH (e:Entity) WHERE e.id = $id OR $id IN e.record_keys
            WITH e LIMIT 1
            MATCH (e)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
            OPTIONAL MATCH (p)-[:ADMINISTERED_BY]->(a:Authority)
            OPTIONAL MATCH (d)-[:RECORDED_IN]->(s:Source)
            OPTIONAL MATCH (d)-[:ANNOUNCED_IN]->(n:Announcement)
            WITH d, p, a, s, n ORDER BY n.date
            WITH d, p, a, s, head(collect(n)) AS n
            WITH d, p, a, s, n,
                 coalesce(d.announced_on, d.listed_on, d.first_seen) AS since
            WHERE $as_of IS NULL OR (since <= $as_of AND (d.delisted_on IS NULL OR d.delisted_on > $as_of))
            RETURN d.id AS id, d.jurisdiction AS jurisdiction, coalesce(a.name, d.authority) AS authority,
                   p.name AS program, p.id AS program_id, p.family AS family,
                   d.listed_on AS listed_on, d.announced_on AS announced_on,
                   d.delisted_on AS delisted_on, d.status AS status, d.record_id AS record_id,
                   d.dataset AS dataset, s.name AS source,
                   coalesce(n.url, d.source_url, s.url) AS source_url, n.title AS announcement,
                   d.record_key AS record_key
            ORDER BY coalesce(d.announced_on, d.listed_on, d.first_seen), d.jurisdiction
            """, id=id, as_of=_as_date(as_of))
        return _frame(rows, DESIGNATION_COLUMNS)

    def neighbours(self, id: str, hops: int = 1, limit: int = 200) -> nx.MultiDiGraph:
        """The entity's network: linked entities up to `hops` away (at most `limit`),
        and the programs and jurisdictions that designated each of them."""
        rows = self.read(
            """
            MATCH (start:Entity) WHERE start.id = $id OR $id IN start.record_keys
            WITH start LIMIT 1
            CALL (start) {
                MATCH p = (start)-[:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF*1..3]-(other:Entity)
                WHERE length(p) <= $hops
                RETURN DISTINCT other LIMIT $limit
            }
            WITH start, collect(other) + [start] AS nodes
            UNWIND nodes AS n
            OPTIONAL MATCH (n)-[l:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF]->(m:Entity)
            WHERE m IN nodes
            OPTIONAL MATCH (n)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
            RETURN n {.id, .name, .kind} AS node,
                   collect(DISTINCT {type: type(l), to: m.id, role: l.role, dataset: l.dataset}) AS links,
                   collect(DISTINCT {program: p.id, name: p.name, jurisdiction: p.jurisdiction,
                                     status: d.status,
                                     date: coalesce(d.announced_on, d.listed_on)}) AS programs
            """, id=id, hops=min(max(int(hops), 1), 3), limit=int(limit))
        graph = nx.MultiDiGraph()
        for row in rows:
            node = row["node"]
            graph.add_node(node["id"], label=node["kind"] or "Entity", name=node["name"])
        for row in rows:
            source = row["node"]["id"]
            for link in row["links"]:
                if link["to"]:
                    graph.add_edge(source, link["to"], key=f"{link['type']}:{link['dataset']}",
                                   type=link["type"], role=link["role"] or "", dataset=link["dataset"] or "")
            for p in row["programs"]:
                if not p["program"]:
                    continue
                graph.add_node(p["program"], label="Program", name=p["name"])
                graph.add_node(p["jurisdiction"], label="Jurisdiction", name=p["jurisdiction"])
                graph.add_edge(source, p["program"], key="DESIGNATED_UNDER", type="DESIGNATED_UNDER",
                               status=p["status"] or "", date=str(p["date"] or ""))
                graph.add_edge(p["program"], p["jurisdiction"], key="OF", type="OF")
        return graph

    # -- the database itself ---------------------------------------------------------------

    def status(self) -> dict:
        """The server's version and edition, and how many nodes, relationships and
        entities the database holds (entities = 0: nothing loaded yet)."""
        rows = self.read(
            """
            CALL dbms.components() YIELD name, versions, edition
            CALL () { MATCH (n) RETURN count(n) AS nodes }
            CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
            CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
            RETURN versions[0] AS version, edition, nodes, relationships, entities
            """)
        return rows[0]

    def sources(self) -> pd.DataFrame:
        rows = self.read(
            """
            MATCH (s:Source)
            RETURN s.dataset AS dataset, s.name AS name, s.published_on AS published_on,
                   s.loaded_at AS loaded_at, s.current AS current, s.records AS records,
                   s.designations AS designations, s.delisted AS delisted, s.sha256 AS sha256,
                   s.url AS url, s.files AS files, s.id AS id
            ORDER BY s.dataset, s.published_on
            """)
        frame = pd.DataFrame(rows, columns=["dataset", "name", "published_on", "loaded_at", "current",
                                            "records", "designations", "delisted", "sha256", "url",
                                            "files", "id"])
        frame["published_on"] = pd.to_datetime(frame["published_on"].map(_native), errors="coerce")
        frame["loaded_at"] = pd.to_datetime(frame["loaded_at"].map(_native), errors="coerce", utc=True)
        return frame


# -- helpers ------------------------------------------------------------------------------


def _fulltext_query(text: str) -> str:
    """A Lucene query from normalised words only, so user text is never Lucene syntax."""
    words = normalize(text).split()
    terms = [f"{w}~1" if len(w) >= 5 else w for w in words]
    if len(words) > 1:
        terms.append("".join(words))
    originals = re.findall(r"[^\W\d_a-zA-Z]", text)  # letters of non-Latin scripts
    return " ".join(terms + originals)


def _best_name(wanted: str, names: Sequence[str]) -> tuple[float, str | None]:
    best, matched = 0.0, None
    compact = wanted.replace(" ", "")
    for name in names:
        norm = normalize(name)
        if norm.replace(" ", "") == compact or sorted(norm.split()) == sorted(wanted.split()):
            return 1.0, name
        s = max(fuzz.token_sort_ratio(wanted, norm), fuzz.ratio(compact, norm.replace(" ", ""))) / 100
        if s > best:
            best, matched = s, name
    return best, matched


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _native(value):
    return value.to_native() if hasattr(value, "to_native") else value


def _plain(data: dict) -> dict:
    return {k: _native(v) for k, v in data.items()}


def _frame(rows: list[dict], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame([_plain(r) for r in rows], columns=columns)
    for column in DATE_COLUMNS:
        if column in frame:
            frame[column] = pd.to_datetime(frame[column], errors="coerce")
    return frame


def _redact(uri: str) -> str:
    return re.sub(r"//[^@/]*@", "//", uri)
