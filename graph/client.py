"""SanctionsGraph: the Python client the app, the CLI and notebooks share.

    from graph import SanctionsGraph
    g = SanctionsGraph.connect()
    g.search("chen quanguo")
    g.designations(g.search("chen quanguo").id[0])

Results are pandas DataFrames (dates as datetime64) and networkx graphs.
"""

from __future__ import annotations

import logging
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import ClassVar, Self

import networkx as nx
import pandas as pd
from neo4j.exceptions import (
    AuthError,
    ClientError,
    ConfigurationError,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
)

from graph import briefing, dates
from graph import settings as settings_module
from graph.exc import (
    GraphRefused,
    GraphUnavailable,
    InvalidInput,
    LoadRefused,
    NotFound,
    SearchFailed,
    ServerError,
)
from graph.export import export as export_graph
from graph.loading import LoadReport, Progress, collecting_rarely
from graph.loading import load as load_source
from graph.model import model
from graph.names import SearchText, best_name
from graph.queries import (
    Rows,
    catalogue,
    first_line,
    fragment,
    native,
    plain_row,
    run_read_only,
    saved_query,
    to_frame,
)
from graph.resolve import (
    MERGE,
    REVIEW,
    Comparison,
    Edge,
    Features,
    Judgements,
    compare,
    conflict,
)
from graph.server import LocalServer
from graph.settings import Settings
from graph.store import (
    read_features,
    rebuild_resolution,
    resolve_features,
    stored_scores,
)
from graph.wording import counted
from loaders.datasets import find_dataset
from loaders.records import REF_NAMESPACES
from neo4j import (
    Driver,
    GraphDatabase,
    NotificationDisabledClassification,
    RoutingControl,
)

#: The driver logs each retry as a warning. Without a handler of its own Python would
#: print them to stderr, between the lines of the command line's output; a program that
#: wants them configures logging.
logging.getLogger("neo4j").addHandler(logging.NullHandler())
#: Seconds a query is retried after a lost connection. When Neo4j is down every call
#: says so within seconds, not after half a minute of retries; when it is back, the
#: next call reconnects.
RETRY_SECONDS = 2


DESIGNATION_COLUMNS = [
    "jurisdiction",
    "authority",
    "program",
    "program_id",
    "family",
    "date",
    "since",
    "basis",
    "after",
    "listed_on",
    "announced_on",
    "first_seen",
    "first_seen_after",
    "delisted",
    "delisted_on",
    "delisted_after",
    "delisted_by",
    "status",
    "in_force",
    "moved_to",
    "record_id",
    "moved_from_record",
    "moved_to_record",
    "dataset",
    "source",
    "list_date",
    "source_url",
    "announcement",
    "record_key",
    "id",
]
DATE_COLUMNS = (
    "listed_on",
    "announced_on",
    "delisted_on",
    "first_seen",
    "first_seen_after",
    "since",
    "after",
    "delisted_after",
    "list_date",
)


def _date_as_text(column: str) -> str:
    """Two columns for one: the date as text, and the value itself when it is not a date
    (see GAP_COLUMNS; _date_of reads them back)."""
    return (
        f"CASE WHEN {column} IS :: DATE THEN toString({column}) END, "
        f"CASE WHEN {column} IS :: DATE THEN null ELSE {column} END"
    )


#: What gap_matrix() takes of each row of the saved query gap_matrix, in this order; the
#: dates as text: the driver takes ~7 µs to make each Date object, 35 ms for the 5k rows
#: of a large family.
GAP_COLUMNS = ", ".join(
    [
        "id",
        "name",
        "kind",
        "countries",
        "jurisdiction",
        _date_as_text("designated_on"),
        "dated",
        "basis",
        _date_as_text("designated_after"),
        _date_as_text("delisted_on"),
        _date_as_text("delisted_after"),
        "delisted_by",
        "programs",
        "record_id",
        "dataset",
        "source_url",
        "date_basis",
        "in_force_unknown",
    ]
)
#: The entity `$id` names, bound as `e`: its id or the key of one of its records, both
#: looked up by a unique index (a test of `record_keys` would read every entity). The
#: saved queries' fragment queries/_entity.cypher does the same.
ENTITY_LOOKUP = """
CALL () {
    MATCH (e:Entity {id: $id}) RETURN e
  UNION
    MATCH (:Record {key: $id})-[:DESCRIBES]->(e:Entity) RETURN e
}
WITH e LIMIT 1
"""
#: Search results less similar than this to what was typed are noise, not candidates.
#: Scores mean the same whatever was typed: see graph/names.py ACRONYM_SCORE.
MIN_SEARCH_SCORE = 0.5
#: A best match scoring this or more is the entity meant: the app's Enter opens it. It is
#: one letter wrong in a name of ten to twelve (0.9–0.92), an acronym the name spells out
#: (0.95), a list reference or a name as written (1.0). Below it, the text is only like
#: the names it found (half the letters in common: 0.5; "' OR 1=1 --" ~ "NOOR 1": 0.67),
#: and the app lists them for the user to choose.
CONFIDENT_SCORE = 0.9
#: Words of typed text the index is asked about: a name has fewer. Each fuzzy word
#: expands to up to 50 terms in Lucene, which refuses a query of more than 1,024 clauses.
MAX_QUERY_WORDS = 12
#: Typed text that may be a list reference: one word with a letter and a digit
#: ("GHR0075", "QDi.268", "EU.3886.3"). A number is a record id ("29220": OFAC ent_num,
#: OFSI Group ID), which an index finds.
_REFERENCE = re.compile(r"(?=\S*\d)(?=\S*[^\W\d_])[\w.\-/:]{3,40}")


class SanctionsGraph:
    def __init__(self, driver: Driver, settings: Settings, server: LocalServer | None = None):
        self.driver = driver
        self.settings = settings
        self.database = settings.database
        self.server = server
        #: Why this client refuses to load, or None: the app in viewer mode sets it.
        self.refuse_loads: str | None = None

    # -- connecting ------------------------------------------------------------------------

    @classmethod
    def connect(cls, settings: Settings | None = None, start: bool = True) -> SanctionsGraph:
        """Connect to NEO4J_URI if set, else to the local server (started if needed)."""
        s = settings or settings_module.load()
        notifications = _notifications(s.notifications)
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
        try:
            driver = GraphDatabase.driver(
                uri,
                auth=auth,
                **notifications,
                connection_acquisition_timeout=20,
                max_transaction_retry_time=RETRY_SECONDS,
            )
        except (ConfigurationError, ValueError) as e:
            # The driver's message repeats the URI, with any password written into it.
            raise GraphUnavailable(f"NEO4J_URI cannot be used: {_redact(str(e))}") from None
        graph = cls(driver, s, server)
        graph.ping()
        return graph

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def ping(self) -> None:
        try:
            self.driver.verify_connectivity()
        except AuthError:
            raise GraphUnavailable(
                "Neo4j refused the credentials: check NEO4J_USER and NEO4J_PASSWORD"
            ) from None
        except (ServiceUnavailable, SessionExpired, OSError):
            raise GraphUnavailable(self._unavailable_message()) from None

    def _unavailable_message(self) -> str:
        if self.settings.uri:
            return (
                f"Neo4j at {_redact(self.settings.uri)} is not reachable. Check that it "
                "runs and that NEO4J_URI is right."
            )
        return (
            "The local Neo4j server is not running. Start it with "
            "`python -m graph server start` (or `make run`)."
        )

    @contextmanager
    def neo4j_errors(self) -> Iterator[None]:
        """Neo4j's failures as this project's errors, for any code that talks to it
        (this client's calls, and graph/ modules that use the driver themselves): a
        server that cannot be reached is GraphUnavailable; a refusal for a reason of its
        own (the user's rights, its memory, the database named) is GraphRefused, in one
        line. An error in this project's own Cypher passes unchanged: it is a bug."""
        try:
            yield
        except (ServiceUnavailable, SessionExpired) as e:
            raise GraphUnavailable(self._unavailable_message()) from e
        except Neo4jError as e:
            if _our_mistake(e):
                raise
            raise GraphRefused(f"Neo4j refused: {first_line(e)}") from e

    def read(self, statement: str, /, **params) -> list[dict]:
        """Run one of the client's own read queries and return plain rows."""
        return [plain_row(r) for r in self._records(statement, params)]

    def _read_values(self, statement: str, /, **params) -> list[list]:
        """Like `read`, the rows as lists of the values the driver decoded (nodes stay
        Node objects): for queries that return many plain values."""
        return [r.values() for r in self._records(statement, params)]

    def _records(self, statement: str, params: dict) -> list:
        with self.neo4j_errors():
            records, _, _ = self.driver.execute_query(
                statement, params, database_=self.database, routing_=RoutingControl.READ
            )
        return records

    # -- loading ---------------------------------------------------------------------------

    def load(
        self, kind: str, *paths: str | Path, progress: Progress | None = None, force: bool = False
    ) -> LoadReport:
        """Load one source (a file, or a folder for multi-file formats) of the given kind
        ("auto" detects it). All or nothing: a bad file leaves the graph as it was.
        A source loaded before from the same records is skipped unless `force`.
        Raises LoadRefused, writing nothing, when `refuse_loads` says why it may not."""
        if self.refuse_loads:
            raise LoadRefused(self.refuse_loads)
        with self.neo4j_errors():
            return load_source(
                self.driver,
                self.database,
                kind,
                paths,
                batch_size=self.settings.batch_size,
                progress=progress,
                force=force,
            )

    def rebuild_resolution(self) -> dict[str, int]:
        """Resolve every record from scratch, as after a change of matcher or judgements
        (each load otherwise resolves only what it changed, with the same result).
        Returns records, moved (to another entity), compared (pairs) and joins."""
        with self.neo4j_errors(), collecting_rarely():
            return rebuild_resolution(self.driver, self.database, model(), self.settings.batch_size)

    # -- looking up ------------------------------------------------------------------------

    def search(self, text: str, limit: int = 20) -> pd.DataFrame:
        """Entities whose names (in any script, any word order, or an acronym of them) are
        close to `text`, or whose list records have `text` as id or reference.

        Columns: id, name, kind, score (0–1, the same scale whatever was typed: see
        CONFIDENT_SCORE), jurisdictions (that listed it), matched (the name, or the list
        record whose id or reference it is). Any text may be typed: none of it is query
        syntax. A list's record id or key ("29220", "gb-ofsi:14074", "china-p1-1") or a
        reference other lists cite ("GHR0075", "QDi.268", "EU.3886.3") finds its entity
        with score 1.
        """
        text = (text or "").strip()
        columns = ["id", "name", "kind", "score", "jurisdictions", "matched"]
        if not text:
            return pd.DataFrame(columns=columns)
        wanted = SearchText(text)
        query = _fulltext_query(wanted)
        ids = list(dict.fromkeys([text, text.lower(), text.upper()]))
        refs = _reference_candidates(text)
        # Only whole fragments are put together here, never typed text: that is in the
        # parameters, and in $query only as escaped Lucene terms. A curated record's id is
        # this project's slug ("xpcc"), not a list's: only its key finds it.
        branches = [
            """
            MATCH (r:Record) WHERE (r.record_id IN $ids AND r.dataset <> 'curated') OR r.key IN $ids
            MATCH (r)-[:DESCRIBES]->(e:Entity)
            RETURN e, 100.0 AS hit, r.key AS via
            """,
            "MATCH (e:Entity) WHERE e.id IN $ids RETURN e, 100.0 AS hit, e.id AS via",
        ]
        if refs:
            # References are list elements, which no property index holds: the records
            # are read one by one (~3 µs each), and only for text that may be a reference.
            branches.append("""
            MATCH (r:Record)
            WHERE any(x IN coalesce(r.refs, []) + coalesce(r.same_as, []) WHERE toLower(x) IN $refs)
            MATCH (r)-[:DESCRIBES]->(e:Entity)
            RETURN e, 100.0 AS hit, r.key AS via
            """)
        if query:
            branches.append("""
            CALL db.index.fulltext.queryNodes('entity_names', $query, {limit: 200})
            YIELD node, score
            RETURN node AS e, score AS hit, null AS via
            """)
        # One row holding the ≤ 200 candidates as lists: the driver costs ~0.1 ms per row
        # it receives and per value it turns into a dict, as much as the index search.
        statement = (
            "CALL () {"
            + "\n  UNION\n".join(branches)
            + "}\n"
            + """
            WITH e, max(hit) AS hit, collect(via) AS via ORDER BY hit DESC LIMIT 200
            OPTIONAL MATCH (e)<-[:TARGETS]-(d:Designation {status: 'active'})
            WITH e, hit, via, [j IN collect(DISTINCT d.jurisdiction) WHERE j IS NOT NULL] AS jurisdictions
            RETURN collect([e.id, e.name, e.kind, e.names, hit, jurisdictions, via[0]]) AS rows
            """
        )
        try:
            found = self._read_values(statement, ids=ids, refs=refs, query=query)[0][0]
        except ClientError as e:
            # Not the text (it is never syntax): the server's own trouble, said in one
            # line without its stack trace or paths.
            raise SearchFailed(f"the search could not run ({e.code or 'server error'})") from None
        results = []
        matched: str | None  # None: no name of the entity is like the text at all
        for id_, name, kind, names, hit, jurisdictions, via in found:
            if hit >= 100:
                score, matched = 1.0, f"{text} ({via})" if via and via != text else text
            else:
                score, matched = best_name(wanted, names or [], organisation=kind != "Person")
            results.append(
                {
                    "id": id_,
                    "name": name,
                    "kind": kind,
                    "score": round(score, 3),
                    "jurisdictions": sorted(jurisdictions),
                    "matched": matched,
                    "hit": hit,
                }
            )
        frame = pd.DataFrame(results, columns=[*columns, "hit"])
        frame = frame[frame["score"] >= MIN_SEARCH_SCORE]
        frame = frame.sort_values(["score", "hit", "name"], ascending=[False, False, True])
        return frame[columns].head(limit).reset_index(drop=True)

    def entity(self, id: str) -> dict | None:
        """An entity with every list record that describes it, or None. `id` is the
        entity's id or the key of one of its records (ENTITY_LOOKUP)."""
        rows = self.read(
            ENTITY_LOOKUP
            + """
            OPTIONAL MATCH (e)<-[:DESCRIBES]-(r:Record)
            WITH e, r ORDER BY r.key
            RETURN e {.*, labels: labels(e)} AS entity,
                   [x IN collect(r {.*}) WHERE x.key IS NOT NULL] AS records
            """,
            id=id,
        )
        if not rows:
            return None
        return native({**rows[0]["entity"], "records": rows[0]["records"]})

    def designations(
        self, id: str, as_of: date | str | None = None, date_basis: str = "announced"
    ) -> pd.DataFrame:
        """Every designation of the entity by every jurisdiction, with dates and sources.

        `as_of` keeps the designations in force on that date (listed or announced by then
        and not delisted before it), or perhaps in force: `in_force` is null where their
        dates are bounds around it, or unknown. `date_basis`, as the gap matrix's: "announced" (the
        announcement's date, else the list's) or "listed" (the other way round).
        """
        if date_basis not in ("announced", "listed"):  # as queries/_filters.cypher declares it
            raise InvalidInput(f"date_basis must be 'announced' or 'listed', not {date_basis!r}")
        rows = self.read(
            ENTITY_LOOKUP
            + """
            MATCH (e)<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
            OPTIONAL MATCH (p)-[:ADMINISTERED_BY]->(a:Authority)
            // Its version: the one that last held it, else its list's current one (model.yaml).
            OPTIONAL MATCH (d)-[:RECORDED_IN]->(held:Source)
            OPTIONAL MATCH (listing:Source {dataset: d.dataset, current: true}) WHERE held IS NULL
            WITH d, p, a, coalesce(held, listing) AS s
            OPTIONAL MATCH (d)-[:ANNOUNCED_IN]->(n:Announcement)
            WITH d, p, a, s, n ORDER BY n.date
            WITH d, p, a, s, head(collect(n)) AS n
            """
            + fragment("dated")
            + """
            // An entry folded into another (a move): the records before and after it.
            OPTIONAL MATCH (was:Designation {id: d.moved_from})
            OPTIONAL MATCH (became:Designation {id: d.moved_to})
            RETURN d.id AS id, d.jurisdiction AS jurisdiction, coalesce(a.name, d.authority) AS authority,
                   p.name AS program, p.id AS program_id, p.family AS family, since, basis, after,
                   d.listed_on AS listed_on, d.announced_on AS announced_on,
                   d.first_seen AS first_seen, d.first_seen_after AS first_seen_after,
                   d.delisted_on AS delisted_on, d.delisted_after AS delisted_after,
                   d.delisted_by AS delisted_by, d.status AS status, in_force,
                   coalesce(d.moved_to, d.possibly_moved_to) AS moved_to,
                   d.record_id AS record_id, was.record_id AS moved_from_record,
                   became.record_id AS moved_to_record, d.dataset AS dataset, s.name AS source,
                   coalesce(s.published_on, date(s.downloaded_at)) AS list_date,
                   coalesce(n.url, d.source_url, s.url) AS source_url, n.title AS announcement,
                   d.record_key AS record_key
            ORDER BY since, d.jurisdiction
            """,
            id=id,
            as_of=_as_date(as_of),
            date_basis=date_basis,
        )
        for row in rows:
            row["date"] = dates.describe(native(row["since"]), row["basis"], native(row["after"]))
            row["delisted"] = dates.describe_delisting(
                native(row["delisted_on"]), native(row["delisted_after"]), row["delisted_by"]
            )
        return to_frame(DESIGNATION_COLUMNS, rows, dates=DATE_COLUMNS)

    def undecided(self, ids: Sequence[str], jurisdictions: Sequence[str] | None = None) -> pd.DataFrame:
        """For each entity of `ids`, the other entities that the matcher found alike enough
        to doubt (a stored candidate pair of their records, at or above review) without
        joining them, and the records by which a jurisdiction designates them (of
        `jurisdictions`, None: any): where one is, "not designated" by that state cannot
        be said (briefing.state_lines, the gap matrix, export.gap_table). Two banks that
        share a brand ("Sberbank" against OFAC's Sberbank of Russia and its Ukrainian
        subsidiary), a join refused for review. Every state that designates the other
        entity is in doubt, not only the one whose record was scored: Australia's "VTB
        Bank" is one entity with OFAC's, which Canada's "VTB" was left for review against.
        A pair a person judged not the same is left out. Columns: id, jurisdiction,
        record (the state's), name, entity, score, ours (id's record), scored (the other
        entity's record scored against ours); the best record first for each id and
        jurisdiction."""
        rows = self.read(
            """
            UNWIND $ids AS id
            MATCH (e:Entity {id: id})<-[:DESCRIBES]-(r:Record)-[c:CANDIDATE]-(o:Record)-[:DESCRIBES]->(other:Entity)
            WHERE other <> e AND o.status = 'active'
            MATCH (other)<-[:TARGETS]-(d:Designation)
            WHERE d.status = 'active' AND ($jurisdictions IS NULL OR d.jurisdiction IN $jurisdictions)
            MATCH (held:Record {key: d.record_key})
            RETURN DISTINCT id, d.jurisdiction AS jurisdiction, held.key AS record, held.name AS name,
                   other.id AS entity, c.score AS score, r.key AS ours, o.key AS scored
            ORDER BY id, jurisdiction, score DESC, record, ours
            """,
            ids=list(ids),
            jurisdictions=None if jurisdictions is None else list(jurisdictions),
        )
        judged = {frozenset((a, b)) for a, b, _ in Judgements.load().not_same}
        rows = [r for r in rows if frozenset((r["scored"], r["ours"])) not in judged]
        return pd.DataFrame(
            rows, columns=["id", "jurisdiction", "record", "name", "entity", "score", "ours", "scored"]
        )

    def un_listed(self, ids: Sequence[str]) -> set[str]:
        """Those of `ids` listed under a UN regime, in force: by the UN's own designation
        or by a state's under a UN regime it applies (briefing.un_listing). What a list
        leaving out the UN's listings cannot speak of (coverage's leaves_out_un), nor the
        UN's list when none of its records is the target's (briefing.absence)."""
        return self.listed_by(ids, briefing.UN, programs=sorted(model().implementing_un))

    def families_of(self, ids: Sequence[str]) -> dict[str, set[str]]:
        """The program families each of `ids` is or was designated under, by any state:
        what a list leaving out one of them (coverage's leaves_out_families: Canada's
        autonomous list, not its Criminal Code's terrorist entities) cannot speak of
        (briefing.absence). Ended ones too: OFAC's delisting of the FARC says nothing of
        Canada's Criminal Code."""
        families: dict[str, set[str]] = {}
        for r in self.read(
            """
            UNWIND $ids AS id
            MATCH (e:Entity {id: id})<-[:TARGETS]-(:Designation)-[:UNDER]->(p:Program)
            RETURN DISTINCT id, p.family AS family
            """,
            ids=list(ids),
        ):
            families.setdefault(r["id"], set()).add(r["family"])
        return families

    def listed_by(self, ids: Sequence[str], jurisdiction: str, programs: Sequence[str] = ()) -> set[str]:
        """The entities of `ids` that `jurisdiction` designates, in force, or that any
        state designates under one of `programs`."""
        return {
            r["id"]
            for r in self.read(
                """
                UNWIND $ids AS id
                MATCH (e:Entity {id: id})<-[:TARGETS]-(d:Designation)
                WHERE d.status = 'active' AND (d.jurisdiction = $jurisdiction OR d.program_id IN $programs)
                RETURN DISTINCT id
                """,
                ids=list(ids),
                jurisdiction=jurisdiction,
                programs=list(programs),
            )
        }

    def programs_of(
        self,
        ids: Sequence[str],
        jurisdictions: Sequence[str] | None = None,
        as_of: date | str | None = None,
        date_basis: str = "announced",
    ) -> dict[str, dict[str, list[str]]]:
        """Every program each entity is designated under, by jurisdiction: {id: {"CA":
        ["CA-RUSSIA"]}}. The gap matrix says "designated under CA-RUSSIA" where a target
        is not designated in the family shown, rather than "not designated". `as_of`: only
        the designations that may have been in force that day (queries/_dated.cypher, on
        `date_basis`), as the matrix's own: Canada's listing of Chen Quanguo of 2024-12-09
        is none of 2020's."""
        rows = self.read(
            """
            UNWIND $ids AS id
            MATCH (e:Entity {id: id})<-[:TARGETS]-(d:Designation)-[:UNDER]->(p:Program)
            WHERE $jurisdictions IS NULL OR d.jurisdiction IN $jurisdictions
            """
            + fragment("dated")
            + """
            WITH e.id AS id, d.jurisdiction AS j, p.id AS program ORDER BY program
            RETURN id, j, collect(DISTINCT program) AS programs
            """,
            ids=list(ids),
            jurisdictions=list(jurisdictions) if jurisdictions else None,
            as_of=_as_date(as_of),
            date_basis=date_basis,
        )
        found: dict[str, dict[str, list[str]]] = {}
        for r in rows:
            found.setdefault(r["id"], {})[r["j"]] = r["programs"]
        return found

    #: What choices(name) offers for a saved query's parameter of that name: the values
    #: the graph holds, each with what it is.
    CHOICES: ClassVar[dict[str, str]] = {
        "jurisdiction": "MATCH (j:Jurisdiction) RETURN j.code AS value, j.name AS label ORDER BY value",
        "family": "MATCH (p:Program) WHERE p.family IS NOT NULL "
        "RETURN DISTINCT p.family AS value, null AS label ORDER BY value",
        "program": "MATCH (p:Program) RETURN p.id AS value, p.name AS label ORDER BY value",
        "call": "MATCH (c:Call) RETURN c.id AS value, toString(c.date) + ': ' + c.title AS label "
        "ORDER BY c.date, value",
        "country": "MATCH (e:Entity) UNWIND coalesce(e.countries, []) + coalesce(e.nationalities, []) AS c "
        "RETURN DISTINCT c AS value, null AS label ORDER BY value",
        "case": "MATCH (c:CaseList) RETURN c.id AS value, c.name AS label ORDER BY c.name, value",
    }
    #: Parameter names that take those values.
    CHOICE_PARAMS: ClassVar[dict[str, str]] = {
        "base": "jurisdiction",
        "others": "jurisdiction",
        "jurisdictions": "jurisdiction",
        "jurisdiction": "jurisdiction",
        "family": "family",
        "program": "program",
        "call": "call",
        "country": "country",
        "case": "case",
    }

    def choices(self, name: str) -> dict[str, str] | None:
        """The values the graph holds for a saved query's parameter called `name` (base,
        others, jurisdictions, family, program, call, country, case; types: the link types), each
        with a label (a jurisdiction's or program's name, a call's date and title), or
        None when the parameter takes any value."""
        if name == "types":
            return {t: t.replace("_", " ").lower() for t in model().links}
        kind = self.CHOICE_PARAMS.get(name)
        if kind is None:
            return None
        labels = {"family": model().families} if kind == "family" else {}
        return {
            r["value"]: r["label"] or labels.get(kind, {}).get(r["value"]) or r["value"]
            for r in self.read(self.CHOICES[kind])
            if r["value"]
        }

    def coverage(self) -> pd.DataFrame:
        """What "not designated" rests on, per jurisdiction of the model: `status` "full"
        (a whole list of it is loaded), "partial" (only extracts or samples: a regime's
        annex, a 5-record sample) or "no list"; the current `lists` with their scope;
        `list_date` (the oldest date among its full lists, else among its extracts; none
        where one of them is undated), `age_days` (from that date to today) and, where
        one of those lists is undated, `not_before`: the oldest day each of them is known
        to be of or later, its date or its newest entry's (Australia's Control Date; the
        EU's undated annex of 2026-05-28 or later beside a sample of 2026-08-05);
        `versions`: the days of each of those lists' versions, oldest first (a version
        undated: its newest entry's; Canada's 2020-04-15 and 2025-09-22), from which its
        silence on a day asked (as_of) is read: nothing before the oldest version of every
        one of them (OFAC's history from 2021-08-18), both versions around a day between
        two (briefing.absence);
        `leaves_out_un`: its lists hold none of the UN's listings it applies under its own
        law (Canada's autonomous list), so its silence on a UN-listed target says nothing;
        `leaves_out_families`: program family → where the state lists such targets
        instead, in a list not loaded (Canada's terrorist entities: its Criminal Code's
        list), so its silence on a target designated under that family says nothing;
        `whole_programs`: the programs of which an extract loaded is the whole list (the
        EU's human rights regime, by the annex of Regulation 2020/1998): a comparison by
        those alone may read the silence of a "partial" state (briefing.absence); `lacks`:
        what the files of its lists as loaded lack (SourceMeta.lacks: "strong aliases");
        `rests_on`: its whole lists by name (data/datasets.yaml covers), which its "not
        designated" names."""
        rows = self.read(
            """
            MATCH (s:Source {current: true})
            RETURN s.dataset AS dataset, s.name AS name, s.records AS records,
                   coalesce(s.published_on, date(s.downloaded_at)) AS list_date,
                   s.newest_entry_on AS newest_entry_on, coalesce(s.lacks, []) AS lacks,
                   // The days it has a version of (an undated one: its newest entry's).
                   COLLECT { MATCH (v:Source {dataset: s.dataset})
                             WITH coalesce(v.published_on, v.newest_entry_on) AS day WHERE day IS NOT NULL
                             RETURN DISTINCT day ORDER BY day } AS versions
            ORDER BY dataset
            """
        )
        m = model()
        found: dict[str, list[dict]] = {}
        for r in rows:
            # A dataset data/datasets.yaml does not describe stands for no jurisdiction's list.
            spec = find_dataset(r["dataset"])
            if spec and spec.jurisdiction:
                full = spec.scope == "full" and (r["records"] or 0) >= spec.full_at_least
                found.setdefault(spec.jurisdiction, []).append(
                    {
                        **r,
                        "list_date": native(r["list_date"]),
                        "newest_entry_on": native(r["newest_entry_on"]),
                        "versions": [native(day) for day in r["versions"]],
                        "full": full,
                        "scope": "full" if full else ("sample" if spec.scope == "full" else "extract"),
                        "covers": spec.covers,
                        "leaves_out_un": spec.leaves_out_un,
                        "leaves_out_families": dict(spec.leaves_out_families),
                        "whole_regime": spec.whole_regime and not full,
                    }
                )
        # The programs each whole regime's extract holds: complete for them.
        whole = {
            r["dataset"]: r["programs"]
            for r in self.read(
                """
                UNWIND $datasets AS dataset
                MATCH (d:Designation {dataset: dataset})
                RETURN dataset, collect(DISTINCT d.program_id) AS programs
                """,
                datasets=[x["dataset"] for lists in found.values() for x in lists if x["whole_regime"]],
            )
        }
        today = date.today()
        table = []
        for code in m.jurisdictions:
            lists = found.get(code, [])
            full = [x for x in lists if x["full"]]
            versions = [x["versions"] for x in (full or lists)]
            dated = [x["list_date"] for x in (full or lists) if x["list_date"]]
            bounds = [x["newest_entry_on"] for x in (full or lists) if not x["list_date"]]
            # The answer rests on every one of them: with one undated, it is of no stated
            # day, only of the oldest day each is known to be of or later (none if an
            # undated one has no newest entry either).
            oldest = min(dated) if dated and not bounds else None
            not_before = min(dated + bounds) if bounds and all(bounds) else None
            table.append(
                {
                    "jurisdiction": code,
                    "name": m.jurisdictions[code],
                    "status": "full" if full else ("partial" if lists else "no list"),
                    "lists": [
                        f"{x['dataset']} ({x['scope']}: {x['covers']}, {counted(x['records'] or 0, 'record')}, "
                        f"{'dated ' + str(x['list_date']) if x['list_date'] else dates.undated(x['newest_entry_on'])})"
                        for x in lists
                    ],
                    "list_date": oldest,
                    "age_days": (today - oldest).days if oldest else None,
                    "not_before": not_before,
                    "versions": versions,
                    "leaves_out_un": bool(lists) and all(x["leaves_out_un"] for x in (full or lists)),
                    # The families every list of it leaves out, with where the state lists them.
                    "leaves_out_families": {
                        f: why for f, why in left_out[0].items() if all(f in x for x in left_out)
                    }
                    if (left_out := [x["leaves_out_families"] for x in (full or lists)])
                    else {},
                    "whole_programs": sorted(
                        {p for x in lists if x["whole_regime"] for p in whole.get(x["dataset"], ())}
                    ),
                    "lacks": sorted({what for x in (full or lists) for what in x["lacks"]}),
                    # What a whole list is, named as its publisher does: what "not
                    # designated" rests on (briefing.absence).
                    "rests_on": sorted({x["covers"] for x in full}),
                }
            )
        frame = pd.DataFrame(
            table,
            columns=[
                "jurisdiction",
                "name",
                "status",
                "lists",
                "list_date",
                "age_days",
                "not_before",
                "versions",
                "leaves_out_un",
                "leaves_out_families",
                "whole_programs",
                "lacks",
                "rests_on",
            ],
        )
        frame["list_date"] = pd.to_datetime(frame["list_date"], errors="coerce")
        frame["not_before"] = pd.to_datetime(frame["not_before"], errors="coerce")
        frame["age_days"] = frame["age_days"].astype("Int64")
        return frame

    # -- resolution: why records are one entity, and what a person should judge ----------

    def explain_match(self, a: str, b: str) -> dict:
        """Why two records are one entity, or why not. `a`, `b`: entity ids or record keys
        (an entity id is the key of its first record).

        Returns a dict: `same_entity`; `entities` (the entity of each); `chain`, the
        (:Record)-[:SAME_AS]- steps joining them, each {from, to, score, method,
        features}; when apart, `best`, the most alike pair of their records as the
        matcher scores it now {a, b, score, features, conflict}, `refusals`, the joins
        between their records the resolver refused and lists for review {a, b, score,
        method, features}, the last feature saying why ("not merged: birth dates …"), and
        `judgement`, a not-same judgement of data/resolution.yaml between them; `summary`
        in words.
        """
        found = {
            r["key"]: r
            for r in self.read(
                "MATCH (r:Record) WHERE r.key IN [$a, $b] AND r.status <> 'stub' "
                "RETURN r.key AS key, r.entity_id AS entity",
                a=a,
                b=b,
            )
        }
        for key in (a, b):
            if key not in found:
                raise NotFound(f"no record or entity {key!r}")
        entities = [found[a]["entity"], found[b]["entity"]]
        result = {
            "same_entity": entities[0] == entities[1],
            "entities": entities,
            "chain": [],
            "best": None,
            "judgement": None,
        }
        if result["same_entity"]:
            rows = (
                self.read(
                    """
                MATCH (x:Record {key: $a}), (y:Record {key: $b})
                MATCH p = shortestPath((x)-[:SAME_AS*..50]-(y))
                RETURN [m IN relationships(p) | {from: startNode(m).key, to: endNode(m).key,
                        score: m.score, method: m.method, features: m.features}] AS chain
                """,
                    a=a,
                    b=b,
                )
                if a != b
                else []
            )
            result["chain"] = rows[0]["chain"] if rows else []
            steps = [
                f"{s['from']} ~ {s['to']} ({s['method']}, {s['score']:.2f}): " + "; ".join(s["features"])
                for s in result["chain"]
            ]
            result["summary"] = f"{a} and {b} are one entity, {entities[0]}" + (
                ":\n  " + "\n  ".join(steps) if steps else "."
            )
            return result

        members = self.read(
            "MATCH (r:Record) WHERE r.entity_id IN $ids RETURN r.key AS key, r.entity_id AS entity",
            ids=entities,
        )
        features, _ = read_features(self.read, [m["key"] for m in members])
        side = {m["key"]: m["entity"] for m in members}
        left = [f for f in features if side[f.key] == entities[0]]
        right = [f for f in features if side[f.key] == entities[1]]
        best = max(
            (compare(x, y) for x in left for y in right), key=lambda c: (c.score, c.a, c.b), default=None
        )
        pairs = {frozenset((x.key, y.key)) for x in left for y in right}
        judgements = Judgements.load()
        judgement = next(
            ((x, y, why) for x, y, why in judgements.not_same if frozenset((x, y)) in pairs), None
        )
        if judgement:
            result["judgement"] = {"records": list(judgement[:2]), "reason": judgement[2]}
        if best:
            result["best"] = {
                "a": best.a,
                "b": best.b,
                "score": best.score,
                "features": list(best.features),
                "conflict": best.conflict,
            }
        # The resolver's own refusals between the two sides, each with its reasons: a
        # list's cross-reference the records contradict, a weak alias or a dropped title
        # that cannot join alone, two entries of one list. Resolving only these records
        # gives the same refusals as the whole graph's resolution between them.
        sides = {f.key: 0 for f in left} | {f.key: 1 for f in right}
        refusals = [e for e in resolve_features(left + right, judgements).review if sides[e.a] != sides[e.b]]
        result["refusals"] = [
            {"a": e.a, "b": e.b, "score": e.score, "method": e.method, "features": list(e.features)}
            for e in refusals
        ]
        result["summary"] = _why_apart(a, b, entities, best, judgement, left, right, refusals)
        return result

    def review_candidates(self) -> pd.DataFrame:
        """Record pairs the resolver is unsure of, for a person to judge: their score is
        between REVIEW and MERGE (graph/resolve.py), or it is higher but joining them
        would put conflicting records in one entity; no judgement settles them yet.

        Runs resolution now over the stored records, as a load would, without writing:
        with the judgements of data/resolution.yaml as they are now, and the scores the
        loads stored (scored again only if the matcher changed since). Columns: score, a,
        a_name, a_dataset, b, b_name, b_dataset, evidence (the matcher's features).
        `attrs` holds records, scored (pairs at or above review), compared (pairs scored
        now) and joins. Record a judgement in data/resolution.yaml (same / not_same).
        """
        features, _ = read_features(self.read)
        judgements = Judgements.load()
        stored = stored_scores(self.read, judgements)
        resolution = resolve_features(features, judgements, stored)
        keys = sorted({k for e in resolution.review for k in (e.a, e.b)})
        about = {
            r["key"]: r
            for r in self.read(
                "MATCH (r:Record) WHERE r.key IN $keys RETURN r.key AS key, r.name AS name, "
                "r.dataset AS dataset",
                keys=keys,
            )
        }
        rows = [
            {
                "score": e.score,
                "a": e.a,
                "a_name": about[e.a]["name"],
                "a_dataset": about[e.a]["dataset"],
                "b": e.b,
                "b_name": about[e.b]["name"],
                "b_dataset": about[e.b]["dataset"],
                "evidence": list(e.features),
            }
            for e in resolution.review
        ]
        frame = pd.DataFrame(
            rows, columns=["score", "a", "a_name", "a_dataset", "b", "b_name", "b_dataset", "evidence"]
        )
        frame.attrs = {
            "records": len(features),
            "scored": len(resolution.scored),
            "compared": resolution.compared,
            "joins": len(resolution.edges),
        }
        return frame

    # -- analysis: saved queries (queries/*.cypher), ad-hoc Cypher, networks, exports ------

    def saved_queries(self) -> pd.DataFrame:
        """The saved queries of queries/: name, description and typed parameters
        (`name: type = default`). Run one with `run_saved(name, **params)`."""
        return catalogue()

    def run_saved(self, name: str, /, **params) -> pd.DataFrame:
        """Run the saved query `name` read-only and return its rows.

        Parameters are checked and converted by the query's header (strings such as
        "2021-03-22", "US,GB" or "true" are accepted for dates, lists and booleans); a
        wrong type or an unknown parameter raises QueryError naming it. Date columns come
        back as datetime64, whole numbers with gaps as Int64.

            g.run_saved("designation_gaps", base="US", others=["GB", "CA"], family="human_rights")
        """
        rows = self._saved_rows(name, **params)
        return to_frame(rows.columns, rows.rows)

    def cypher(self, text: str, /, **params) -> pd.DataFrame:
        """Run Cypher you typed, read-only and time-limited, and return its rows.

        Anything that would change the graph or reach beyond it (CREATE, MERGE, SET,
        DELETE, REMOVE, LOAD CSV, schema and administration commands, writing or server
        procedures, CALL … IN TRANSACTIONS) is refused with ReadOnlyError before it runs,
        and the READ transaction it runs in would refuse it again. A query stops after
        SANCT_QUERY_TIMEOUT seconds (QueryTimeout); at most SANCT_QUERY_MAX_ROWS rows are
        returned, and when more matched, `frame.attrs["truncated"]` is True and a warning
        says so. Pass values as parameters: g.cypher("MATCH (e:Entity {id: $id}) RETURN e.name", id=…).
        """
        limit = self.settings.query_max_rows
        rows = self._read_only(text, params, max_rows=limit)
        frame = to_frame(rows.columns, rows.rows)
        frame.attrs["truncated"] = rows.truncated
        if rows.truncated:
            warnings.warn(
                f"only the first {limit} rows are returned (SANCT_QUERY_MAX_ROWS); add LIMIT or aggregate",
                stacklevel=2,
            )
        return frame

    @collecting_rarely()  # a large family's table makes ~250k values and ~10 containers per target
    def gap_matrix(
        self,
        family: str | None = None,
        program: str | None = None,
        country: str | None = None,
        jurisdictions: Sequence[str] | None = None,
        as_of: date | str | None = None,
        kind: str | None = None,
        include_country_regimes: bool = False,
        date_basis: str = "announced",
        case: str | None = None,
    ) -> pd.DataFrame:
        """Who designated which target, and when: one row per target.

        Columns: id, name, kind, then one datetime column per jurisdiction (the date of
        the first designation the filters keep; NaT with no entry in `bases`: not
        designated), then countries; `bases` ({jurisdiction: what the date is: "listed",
        "announced", "first_seen", "on_or_before" or "unknown"; every jurisdiction that
        designated the target is there, even when its date is unknown}); `after`
        ({jurisdiction: date} for first_seen: the version before the one it appeared
        in); `programs` ({jurisdiction: [program ids]}); `delisted` ({jurisdiction:
        date} where every such designation has ended) with `delisted_after` (the last
        version that still held it, when the end is a bound); `undated` (the
        jurisdictions whose day is not known exactly: a bound, not a stated date);
        `record_ids`, `lists` and `sources` ({jurisdiction: the first designation's record
        id, "29220"; its dataset, "us-ofac-sdn"; its announcement's URL, else the list's});
        `in_force_unknown` (with as_of: the jurisdictions none of whose designations is
        known to have been in force that day, their dates being bounds around it or
        unknown: "not known", not "designated"), `date_basis` and `as_of` (the day asked,
        or None). `gap_table(matrix)` flattens it for a CSV file.

        Filters: family ("human_rights", …) with include_country_regimes (country
        regimes count too: Canada listed the 2021 Xinjiang officials under SEMA China);
        program (an id such as "US-GLOMAG": its targets, and their designations by its
        jurisdiction only under it); country (ISO alpha-2 of the target's nationalities
        or countries); kind (Person, Organization, Vessel, Aircraft); jurisdictions (also
        the column order; default every one found); as_of (only designations in force
        that day, or perhaps in force: `in_force_unknown`); date_basis "announced" (the announcement's date, else the list's) or
        "listed" (the list's, else the announcement's); case (a case list's id: only its
        targets, see case_list()).
        """
        query = saved_query("gap_matrix")
        params = query.bind(
            {
                "family": family,
                "program": program,
                "country": country,
                "jurisdictions": jurisdictions,
                "as_of": as_of,
                "kind": kind,
                "include_country_regimes": include_country_regimes,
                "date_basis": date_basis,
                "case": case and _case_id(case),
            }
        )
        # The saved query's rows, in its order, fetched as one list: one row per target and
        # jurisdiction costs the driver ~0.1 ms each, more than the query (5k rows: 1 s).
        rows = self._read_only(
            f"CALL () {{\n{query.text}\n}}\nRETURN collect([{GAP_COLUMNS}]) AS rows",
            params,
            saved=True,
            values_only=True,
        ).rows[0]["rows"]
        if isinstance(chosen := params["jurisdictions"], list) and chosen:
            order = [j.upper() for j in chosen]
        else:
            known = list(model().jurisdictions)
            order = sorted(
                {r[4] for r in rows}, key=lambda j: (known.index(j) if j in known else len(known), j)
            )
        targets: dict[str, dict] = {}
        for (
            id_,
            name,
            target_kind,
            countries,
            j,
            on_text,
            on,
            dated,
            basis,
            after_text,
            after,
            off_text,
            off,
            off_after_text,
            off_after,
            off_by,
            programs,
            record_id,
            dataset,
            source_url,
            row_basis,
            in_force_unknown,
        ) in rows:
            target = targets.get(id_)
            if target is None:
                target = targets[id_] = {
                    "id": id_,
                    "name": name,
                    "kind": target_kind,
                    "countries": countries,
                    "bases": {},
                    "after": {},
                    "programs": {},
                    "delisted": {},
                    "delisted_after": {},
                    "delisted_by": {},
                    "undated": [],
                    "record_ids": {},
                    "lists": {},
                    "sources": {},
                    "in_force_unknown": [],
                    "date_basis": row_basis,
                    "as_of": params["as_of"],
                }
            target[j] = _date_of(on_text, on)
            target["bases"][j] = basis
            target["programs"][j] = programs
            target["record_ids"][j] = record_id
            target["lists"][j] = dataset
            target["sources"][j] = source_url
            if after_text is not None or after is not None:
                target["after"][j] = _date_of(after_text, after)
            if off_text is not None or off is not None:
                target["delisted"][j] = _date_of(off_text, off)
            if off_after_text is not None or off_after is not None:
                target["delisted_after"][j] = _date_of(off_after_text, off_after)
            if off_by is not None:
                target["delisted_by"][j] = off_by
            if not dated:
                target["undated"].append(j)
            if in_force_unknown:
                target["in_force_unknown"].append(j)
        columns = [
            "id",
            "name",
            "kind",
            *order,
            "countries",
            "bases",
            "after",
            "programs",
            "delisted",
            "delisted_after",
            "delisted_by",
            "undated",
            "record_ids",
            "lists",
            "sources",
            "in_force_unknown",
            "date_basis",
            "as_of",
        ]
        frame = (
            pd.DataFrame.from_records(list(targets.values()), columns=columns)
            if targets
            else to_frame(columns, [])
        )
        for j in order:
            frame[j] = pd.to_datetime(frame[j])
        return frame

    def lags(self, base: str | None = "US", others: Sequence[str] | None = None, **filters) -> pd.DataFrame:
        """Days from `base`'s first designation of each target to each other
        jurisdiction's: columns target, name, from, to, base_date, follow_date, days
        (Int64; negative when the other acted first, <NA> when it never did), dated
        (False when a date is only the day a list was first loaded) and date_basis.

        With `others`, every pair of a target is listed, designated by the other or not;
        without, only the pairs where another jurisdiction designated the target (the
        never-mirrored ones are counted by `lag_summary`). base=None compares every
        jurisdiction that designated a target with every other. Filters as for
        gap_matrix (family, program, include_country_regimes, country, kind,
        jurisdictions, as_of, date_basis). `lag_summary` gives the statistics per pair.
        """
        return self.run_saved("lags", base=base, others=others, **filters)

    def lag_summary(
        self, base: str | None = "US", others: Sequence[str] | None = None, **filters
    ) -> pd.DataFrame:
        """Per pair of jurisdictions (from, to): targets (designated by `from`),
        mirrored, never_mirrored, not_known, share_never_mirrored, and over the dated lags
        only: dated_lags, median_days, mean_days, min_days, max_days, other_first
        (negative lags), same_day. Parameters as for `lags`.

        A target that `to` has not designated counts as never mirrored only where `to`'s
        lists say so (briefing.absence): of `from`'s designation day or later, whole (or
        extracts holding the whole of the programs compared: the EU's human rights annex
        for the human rights family), holding no record the resolver could not tell from
        the target (`undecided`), and, for a UN-listed target, not leaving out the UN's
        listings (coverage's leaves_out_un: Canada's); otherwise it is `not_known`. The
        share never mirrored is of the targets whose answer is known.
        (The saved query alone counts every one as never mirrored: it does not know the
        lists' dates, nor the pairs left for review.)"""
        summary = self.run_saved("lag_summary", base=base, others=others, **filters)
        if summary.empty:
            return summary.assign(not_known=pd.Series(dtype="int64"))
        states = others or sorted(set(summary["from"]) | set(summary["to"]))
        # The pairs never mirrored, a row per target and base (with the states that never
        # designated it), not a row per pair as `lags` gives them: every family from the
        # US on the demo graph is 16,000 rows, not 195,000 (the summary 3.8-4.9 s, not 12).
        gaps = self.run_saved("designation_gaps", base=base, others=states, missing="any", **filters)
        targets = sorted(set(gaps.id))
        undecided = self.undecided(targets, states)
        doubted = set(zip(undecided.id, undecided.jurisdiction))
        coverage = self.coverage()
        state_rows = briefing.by_state(coverage)
        un_listed = self.un_listed(targets)
        families = self.families_of(targets)
        compared = model().compared_programs(
            states,
            filters.get("family"),
            filters.get("program"),
            filters.get("include_country_regimes", False),
        )
        absence = briefing.absences(state_rows, compared, filters.get("as_of"))

        def unknown_to(target: str, to: str, day) -> bool:
            return (target, to) in doubted or (
                absence(to, native(day), target in un_listed, families.get(target, ()))[0] == "not known"
            )

        unknown = Counter(
            (a, b)
            for target, a, day, missing in zip(gaps.id, gaps.base, gaps.base_date, gaps.not_designated_by)
            for b in missing
            if unknown_to(target, b, day)
        )
        not_known = [unknown[(a, b)] for a, b in zip(summary["from"], summary["to"])]
        summary.insert(list(summary.columns).index("never_mirrored") + 1, "not_known", not_known)
        summary["never_mirrored"] -= summary["not_known"]
        told = summary["targets"] - summary["not_known"]
        summary["share_never_mirrored"] = (summary["never_mirrored"] / told.where(told > 0)).round(3)
        return summary

    def coordinated_actions(
        self,
        window_days: int = 0,
        min_jurisdictions: int = 2,
        from_date: date | str | None = None,
        to_date: date | str | None = None,
        **filters,
    ) -> pd.DataFrame:
        """Designations of the same targets by several jurisdictions within `window_days`.

        A target counts when at least `min_jurisdictions` jurisdictions designated it
        within the window; an action gathers the targets whose designations start within
        the window after the action's first day. One row per action: start, end,
        jurisdictions, n_jurisdictions, n_targets, names, ids, members (per target: id,
        name, start, end, jurisdictions) and date_basis. Only dated designations count.
        With date_basis="listed", Canada's 2021 listings fall on 2021-03-21, the day
        before the others: window_days=1 joins them. Filters as for gap_matrix.
        """
        return self.run_saved(
            "coordinated_actions",
            window_days=window_days,
            min_jurisdictions=min_jurisdictions,
            from_date=from_date,
            to_date=to_date,
            **filters,
        )

    # -- what changed since a day ---------------------------------------------------------

    def changes(
        self,
        since: date | str,
        jurisdictions: Sequence[str] | None = None,
        family: str | None = None,
        kinds: Sequence[str] | None = None,
        **filters,
    ) -> pd.DataFrame:
        """What changed in the lists on or after `since`, newest first: one row per change
        of one list record.

        Columns: change_id (stable: kind, record, programs, day), date, basis, after, kind
        ("added", "removed", "moved" between schedules — a renumbering, not a delisting —
        or "amended": names a newer version no longer lists), jurisdiction, program (ids,
        ", "-joined), id and name (the target entity), target_kind, record_id, record_key,
        dataset, detail, source_url, date_basis, and `when`: the date with what it is, in
        words ("2025-09-22 (first seen; after 2020-04-15)", "delisted by 2025-09-22 (after
        2020-04-15)").

        `basis` says what `date` is: "listed" or "announced" (the day itself), "first_seen"
        (seen in the version of `date`, absent from the one of `after`: between the two,
        never a day) or "on_or_before" (a bound). A change known only as between two
        versions counts when the newer is on or after `since`; an entry already in the
        oldest version loaded is not a change. `kinds` keeps some kinds only. Filters as for
        gap_matrix (family, include_country_regimes, program, country, kind — of target —,
        jurisdictions, date_basis).
        """
        frame = self._changes_frame(
            "changes", since=since, jurisdictions=jurisdictions, family=family, kinds=kinds, **filters
        )
        frame["after"] = pd.to_datetime(frame["after"])
        frame["when"] = pd.Series(
            [
                self._change_when(k, d, b, a)
                for k, d, b, a in zip(frame["kind"], frame["date"], frame["basis"], frame["after"])
            ],
            index=frame.index,
            dtype="str",
        )
        return frame

    def new_gaps(
        self,
        since: date | str,
        jurisdictions: Sequence[str] | None = None,
        family: str | None = None,
        others: Sequence[str] | None = None,
        **filters,
    ) -> pd.DataFrame:
        """The follow-up list: for each target a jurisdiction first designated on or after
        `since` (in the family, …), each other jurisdiction of the selection that has not
        designated it (yet). One row per target and such jurisdiction.

        Columns: id, name, target_kind, countries, jurisdiction (the one that has not),
        status, gap, designated_by (the jurisdictions that did since `since`), first_by,
        date, basis, after, when (the first of those designations, in words),
        first_designated (the target's first designation by any state, whenever it was:
        the day the other state's list is compared with), programs,
        elsewhere (programs outside the selection it lists the target under), no_list,
        date_basis.

        `status` says what "has not" rests on (coverage(), briefing.absence): "not
        designated" (its whole list is loaded, or extracts that hold the whole of the
        programs compared), "not known: …" (its list is older than the target's first
        designation, or undated and perhaps older: it cannot say whether the jurisdiction
        followed; or only extracts of its lists are loaded; or it holds a record the
        resolver could not tell from the target, `undecided`; or the UN lists the target
        and its lists leave out the UN's listings) or "designated under …" (a program
        outside the selection: not a gap); `gap` is True for the first. A jurisdiction
        none of whose lists is loaded has no row: it is
        "no list", not a gap; `no_list` (and `attrs["no_list"]`) names those expected to
        follow. `others`: the jurisdictions expected to follow; default `jurisdictions`,
        else every jurisdiction with a program of the family (data/programs/).
        """
        if others is None:
            others = self._followers(
                jurisdictions, family, filters.get("program"), filters.get("include_country_regimes", False)
            )
        cover = self.coverage()
        coverage = dict(zip(cover.jurisdiction, cover.status))
        others = [j.upper() for j in others]
        no_list = [j for j in others if coverage.get(j, "no list") == "no list"]
        frame = self._changes_frame(
            "new_gaps",
            since=since,
            jurisdictions=jurisdictions,
            family=family,
            **filters,
            others=[j for j in others if j not in no_list],
        )
        frame["after"] = pd.to_datetime(frame["after"])
        ids = sorted(set(frame["id"]))
        undecided_of = dict(tuple(self.undecided(ids, others).groupby(["id", "jurisdiction"])))
        un_listed = self.un_listed(ids)
        families = self.families_of(ids)
        state_rows = briefing.by_state(cover)

        compared = model().compared_programs(
            others, family, filters.get("program"), filters.get("include_country_regimes", False)
        )
        absence = briefing.absences(state_rows, compared, filters.get("as_of"))

        def status(target: str, j: str, elsewhere: list[str], day) -> str:
            if elsewhere:
                return "designated under " + ", ".join(elsewhere)
            if (target, j) in undecided_of:
                return briefing.doubt(undecided_of[(target, j)])
            # Its list says it has not followed only if it is of the target's first
            # designation's day or later (`day` bounds it from above, whatever its basis).
            state, said = absence(j, day, target in un_listed, families.get(target, ()))
            return said if state == "not known" else "not designated"

        frame["status"] = pd.Series(
            [
                status(t, j, e, native(d))
                for t, j, e, d in zip(
                    frame["id"], frame["jurisdiction"], frame["elsewhere"], frame["first_designated"]
                )
            ],
            index=frame.index,
            dtype="str",
        )
        frame["gap"] = frame["status"] == "not designated"
        frame["when"] = pd.Series(
            [dates.describe(d, b, a) for d, b, a in zip(frame["date"], frame["basis"], frame["after"])],
            index=frame.index,
            dtype="str",
        )
        frame["no_list"] = pd.Series([list(no_list) for _ in frame.index], index=frame.index, dtype=object)
        frame = frame[
            [
                "id",
                "name",
                "target_kind",
                "countries",
                "jurisdiction",
                "status",
                "gap",
                "designated_by",
                "first_by",
                "date",
                "basis",
                "after",
                "when",
                "first_designated",
                "programs",
                "elsewhere",
                "no_list",
                "date_basis",
            ]
        ]
        frame.attrs["no_list"] = no_list
        return frame

    def closed_gaps(
        self,
        since: date | str,
        jurisdictions: Sequence[str] | None = None,
        family: str | None = None,
        **filters,
    ) -> pd.DataFrame:
        """Gaps closed on or after `since`: each jurisdiction whose first designation of a
        target (in the family, …) is on or after `since` while another had designated it
        before; the lag from the first of those.

        Columns: id, name, target_kind, countries, jurisdiction (the one that followed),
        date, basis, after, when, programs, followed (the first to designate), followed_date,
        followed_basis, followed_after, followed_when, designated_before, days (Int64: only
        when both days are known exactly), days_min and days_max (the range the bounds
        allow; either may be open), lag (in words: "701 days", "between 20 and 1,845 days",
        "at least 300 days", or empty) and date_basis.
        """
        frame = self._changes_frame(
            "closed_gaps", since=since, jurisdictions=jurisdictions, family=family, **filters
        )
        for column in ("after", "followed_date", "followed_after"):
            frame[column] = pd.to_datetime(frame[column])
        for column in ("days", "days_min", "days_max"):
            frame[column] = pd.array([None if pd.isna(v) else int(v) for v in frame[column]], dtype="Int64")
        frame["when"] = pd.Series(
            [dates.describe(d, b, a) for d, b, a in zip(frame["date"], frame["basis"], frame["after"])],
            index=frame.index,
            dtype="str",
        )
        frame["followed_when"] = pd.Series(
            [
                dates.describe(d, b, a)
                for d, b, a in zip(frame["followed_date"], frame["followed_basis"], frame["followed_after"])
            ],
            index=frame.index,
            dtype="str",
        )
        frame["lag"] = pd.Series(
            [
                self._lag_words(d, lo, hi)
                for d, lo, hi in zip(frame["days"], frame["days_min"], frame["days_max"])
            ],
            index=frame.index,
            dtype="str",
        )
        return frame[
            [
                "id",
                "name",
                "target_kind",
                "countries",
                "jurisdiction",
                "date",
                "basis",
                "after",
                "when",
                "programs",
                "followed",
                "followed_date",
                "followed_basis",
                "followed_after",
                "followed_when",
                "designated_before",
                "days",
                "days_min",
                "days_max",
                "lag",
                "date_basis",
            ]
        ]

    def _changes_frame(self, name: str, /, **params) -> pd.DataFrame:
        """A saved query's rows as a DataFrame, the values as the driver decoded them
        (none of these queries returns nodes): ~3× faster for thousands of rows."""
        query = saved_query(name)
        rows = self._read_only(query.text, query.bind(params), saved=True, values_only=True)
        return to_frame(rows.columns, rows.rows)

    @staticmethod
    def _followers(
        jurisdictions: Sequence[str] | None,
        family: str | None,
        program: str | None,
        include_country_regimes: bool,
    ) -> list[str]:
        """The jurisdictions expected to follow a designation: those chosen, else those
        with a program of the family (or of the program's family), loaded or not."""
        if jurisdictions:
            return [j.upper() for j in jurisdictions]
        m = model()
        chosen = m.programs.get(program) if program else None
        wanted = family or (chosen.family if chosen else None)
        found = {
            p.jurisdiction
            for p in m.programs.values()
            if wanted is None or p.family == wanted or (include_country_regimes and p.family == "country")
        }
        known = list(m.jurisdictions)
        return sorted(found, key=lambda j: (known.index(j) if j in known else len(known), j))

    @staticmethod
    def _change_when(kind: str, day, basis: str, after) -> str:
        """A change's date with what it is, in words: a bound is never a day."""
        if kind == "added":
            return dates.describe(day, basis, after)
        if pd.isna(day):
            return ""
        text = pd.Timestamp(day).strftime("%Y-%m-%d")
        if kind == "removed":
            if basis == "on_or_before":
                return f"delisted on or before {text}"
            return dates.describe_delisting(day, after if basis == "first_seen" else None)
        verb = "moved" if kind == "moved" else "amended"
        if basis in dates.EXACT:
            return f"{verb} {text}"
        if basis == "first_seen" and not pd.isna(after):
            return f"{verb} by {text} (after {pd.Timestamp(after):%Y-%m-%d})"
        return f"{verb} on or before {text}"

    @staticmethod
    def _lag_words(days, low, high) -> str:
        def n(x) -> str:
            return counted(x, "day")

        if not pd.isna(days):
            return n(days)
        if not pd.isna(low) and not pd.isna(high):
            return f"between {low:,} and {n(high)}"
        if not pd.isna(low):
            return f"at least {n(low)}"
        if not pd.isna(high):
            return f"at most {n(high)}"
        return ""

    def neighbours(
        self,
        id: str,
        hops: int = 1,
        limit: int = 200,
        per_type: int | None = None,
        types: Sequence[str] | None = None,
        designations: bool = True,
    ) -> nx.MultiDiGraph:
        """The network around an entity (its id or a list record key), up to `hops` (1–3)
        links away, at most `limit` entities, and at each entity at most `per_type` new
        neighbours per relationship type (default: limit; designated ones first). Nodes
        carry `label` (Person, Organization, …, Program, Jurisdiction) and `name`; an
        entity with links left out carries `more` (how many) and `more_by_type`. Edges
        carry `type` (LEADS, …, DESIGNATED_UNDER, OF), role, dataset, status and date.
        `types` limits the relationship types followed; designations=False leaves out
        programs and jurisdictions. An unknown id gives an empty graph."""
        rows = self._saved_rows(
            "neighbourhood",
            id=id,
            hops=hops,
            limit=limit,
            types=types,
            per_type=per_type or min(limit, 1000),
            designations=designations,
        ).rows
        graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        for r in rows:
            source = r["from_id"]
            if r["row"] == "entity":
                graph.add_node(source, label=r["from_kind"] or "Entity", name=r["from_name"])
            elif r["row"] == "link":
                graph.add_edge(
                    source,
                    r["to_id"],
                    key=_link_key(r),
                    type=r["type"],
                    role=r["role"] or "",
                    dataset=r["dataset"] or "",
                )
            elif r["row"] == "more":
                node = graph.nodes[source]
                node["more"] = node.get("more", 0) + r["more"]
                node.setdefault("more_by_type", {})[r["type"]] = r["more"]
            else:
                program, jurisdiction = r["to_id"], r["to_kind"]
                graph.add_node(program, label="Program", name=r["to_name"])
                graph.add_node(
                    jurisdiction, label="Jurisdiction", name=model().jurisdiction_name(jurisdiction)
                )
                graph.add_edge(
                    source,
                    program,
                    key="DESIGNATED_UNDER",
                    type="DESIGNATED_UNDER",
                    status=r["status"] or "",
                    date=str(native(r["date"]) or ""),
                )
                graph.add_edge(program, jurisdiction, key="OF", type="OF")
        return graph

    def path(self, a: str, b: str, max_hops: int = 6, types: Sequence[str] | None = None) -> nx.MultiDiGraph:
        """The shortest chains of links between two entities (ids or list record keys),
        at most `max_hops` (1–10) long, all of them up to 25, as one graph: nodes carry
        `label` (the kind) and `name`, edges `type`, role, dataset, since, until. Empty
        when no chain is short enough; NotFound when an entity does not exist."""
        rows = self._saved_rows("shortest_path", a=a, b=b, max_hops=max_hops, types=types).rows
        if not rows:
            for end in (a, b):
                if self.entity(end) is None:
                    raise NotFound(f"no entity {end!r}")
        return paths_graph(rows)

    def export(self, path: str | Path, format: str = "graphml") -> list[Path]:
        """Write the whole graph to `path` and return the files written.

        format: "csv" (`path` is a folder: nodes.csv and edges.csv), "graphml" or "gexf"
        (for Gephi, yEd or networkx.read_graphml), or "ftm" (FollowTheMoney JSON lines:
        entities, one Sanction per designation and one relationship entity per link, which
        `load("ftm", path)` reads back). Nodes: entities, programs, jurisdictions, calls;
        node `label` is the name and `kind` the type. Edges: links, DESIGNATED_UNDER (one
        per designation, with its dates), OF, NAMES, URGES, SIGNED; edge `label` is the type.
        """
        return export_graph(self.read, path, format)

    def case_list(self, case: str, ids: Sequence[str] = (), **made_from) -> dict | None:
        """A case list (a named set of targets, kept in the graph): with only `case` (its
        id or name), read it: {id, name, description, made_from, created_at, updated_at,
        targets: DataFrame of id, name, kind, record}, or None. With targets, make or
        replace the list named `case` and return it: ids=[entity ids or record keys],
        call="…" (the targets a call names), search="…" (the matches), file=PATH (an id,
        record key or name a line); description=…, replace=False adds to it. Filter by it
        with case=ID in gap_matrix, lags, coordinated_actions, brief and the saved queries."""
        from graph import cases

        if ids or made_from.keys() & {"call", "search", "file"}:
            return cases.save(self, case, ids, **made_from)
        if made_from:
            raise InvalidInput(f"case_list: {', '.join(made_from)} need targets (ids, call, search or file)")
        return cases.get(self, case)

    def case_lists(self) -> pd.DataFrame:
        """Every case list: id, name, targets, made_from, description, updated_at."""
        from graph import cases

        return cases.all_lists(self)

    def brief(self, format: str = "md", **targets) -> str | bytes:
        """A briefing to cite, as a document: "md" (Markdown) or "html" text, or "pdf" bytes.
        Per target each state's action (date with basis, program, record id, official
        link) or its absence, the lags, the freshness of each list and the query that
        made it. The targets: ids=[…], call="hrf-joint-letter-2020-08-18", case="…" (a
        case list), or else the gap matrix's filters (family=, country=, …, target=
        words of the name); jurisdictions=[…] the states compared (default US, GB, EU,
        CA, AU). graph/briefing.py `make` takes the same arguments."""
        from graph import briefing

        made = briefing.make(self, format=format, **targets)
        document = briefing.render(made, format)
        return document if format == "pdf" else document.decode("utf-8")

    def _saved_rows(self, name: str, /, **params) -> Rows:
        query = saved_query(name)
        return self._read_only(query.text, query.bind(params), saved=True)

    def _read_only(
        self,
        text: str,
        params: dict,
        max_rows: int | None = None,
        saved: bool = False,
        values_only: bool = False,
    ) -> Rows:
        """`saved`: the text is a saved query's, checked read-only once, not on every run,
        and limited to SANCT_SAVED_QUERY_TIMEOUT seconds, not SANCT_QUERY_TIMEOUT.
        `values_only`: see run_read_only."""
        with self.neo4j_errors():
            return run_read_only(
                self.driver,
                self.database,
                text,
                params,
                timeout=self.settings.saved_query_timeout if saved else self.settings.query_timeout,
                max_rows=max_rows,
                saved=saved,
                values_only=values_only,
            )

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
            """
        )
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
            """
        )
        frame = pd.DataFrame(
            rows,
            columns=[
                "dataset",
                "name",
                "published_on",
                "loaded_at",
                "current",
                "records",
                "designations",
                "delisted",
                "sha256",
                "url",
                "files",
                "id",
            ],
        )
        frame["published_on"] = pd.to_datetime(frame["published_on"].map(native), errors="coerce")
        frame["loaded_at"] = pd.to_datetime(frame["loaded_at"].map(native), errors="coerce", utc=True)
        return frame


# -- helpers ------------------------------------------------------------------------------


def _fulltext_query(text: SearchText) -> str:
    """A Lucene query from the words of the text's readings, each escaped, so that typed
    text is only ever words to look for ("*", "~", "name:[a TO z]" are text). A word of
    five to thirty letters may differ by one letter; the words of a reading are also looked
    for joined (the index holds names joined too). Han characters are looked for one by
    one, as the index splits them. "" when the text has nothing to look for ("*")."""
    terms: dict[str, None] = {}
    for reading in text.readings:
        # normalize() keeps some punctuation ("chen~", "*", "1=1"): the index holds words.
        words = re.findall(r"\w+", reading)[:MAX_QUERY_WORDS]
        for w in words:
            fuzzy = 5 <= len(w) <= 30 and not w.isdigit()
            terms[f"{_lucene(w[:100])}~1" if fuzzy else _lucene(w[:100])] = None
        if len(words) > 1:
            terms[_lucene("".join(words)[:100])] = None
        if len(terms) >= 2 * MAX_QUERY_WORDS:
            break
    han = re.findall(r"[\u3400-\u9fff]", text.text)[: MAX_QUERY_WORDS * 2]
    return " ".join([*terms, *dict.fromkeys(han)])


#: Characters Lucene's query parser reads as syntax.
_LUCENE_SPECIAL = re.compile(r'[+\-&|!(){}\[\]^"~*?:\\/]')


def _lucene(word: str) -> str:
    """A word as a Lucene term, whatever characters it holds; a word the parser reads as
    an operator (AND, OR, NOT, TO) in lower case, which it reads as a word."""
    word = _LUCENE_SPECIAL.sub(lambda m: "\\" + m.group(), word)
    return word.lower() if word in ("AND", "OR", "NOT", "TO") else word


def _reference_candidates(text: str) -> list[str]:
    """The list references (as records store them, "gb-ref:ghr0075", lower case) typed
    text may be: one word with a digit, in each namespace of REF_NAMESPACES, or as typed
    when it names its namespace. [] for text that cannot be a reference."""
    if not _REFERENCE.fullmatch(text):
        return []
    value = text.lower()
    return list(dict.fromkeys([value, *(f"{ns}:{value}" for ns in REF_NAMESPACES)]))


def _case_id(case: str) -> str:
    """A case list's id, or the id its name makes ("Xinjiang 2020 letter")."""
    from graph.cases import case_id

    return case_id(case)


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _date_of(text: str | None, value):
    """A value _date_as_text split in two, whole again."""
    return date.fromisoformat(text) if text is not None else native(value)


def _why_apart(
    a: str,
    b: str,
    entities: list[str],
    best: Comparison | None,
    judgement,
    left: list[Features],
    right: list[Features],
    refusals: list[Edge],
) -> str:
    """Why the resolver keeps two entities apart, in sentences."""
    head = f"{a} ({entities[0]}) and {b} ({entities[1]}) are two entities"
    if judgement:
        return f"{head}: judged not the same in data/resolution.yaml ({judgement[2]})."
    if refusals:
        steps = [f"{e.a} ~ {e.b} ({e.method}, {e.score:.2f}): " + "; ".join(e.features) for e in refusals[:3]]
        return (
            f"{head}, listed for a person to review (`python -m graph resolve --review`):\n  "
            + "\n  ".join(steps)
        )
    if best is None:
        return f"{head}: no records to compare."
    evidence = "; ".join(best.features)
    if best.conflict:
        return f"{head}: at best {best.a} ~ {best.b}, and {best.conflict}."
    if best.score < REVIEW:
        return (
            f"{head}: their records are not alike (best {best.a} ~ {best.b}, {best.score:.2f}: {evidence})."
        )
    if best.score < MERGE:
        return (
            f"{head}: {best.a} ~ {best.b} scores {best.score:.2f}, below {MERGE} "
            f"({evidence}); `python -m graph resolve --review` lists it for a person to judge."
        )
    blockers = [f"{x.key} and {y.key}: {why}" for x in left for y in right if (why := conflict(x, y))]
    blockers += [
        f"{x.key} and {y.key} are two entries of one list"
        for x in left
        for y in right
        if x.dataset == y.dataset and not blockers
    ]
    return (
        f"{head}: {best.a} ~ {best.b} scores {best.score:.2f} ({evidence}), but joining "
        f"the entities would put together "
        + ("; ".join(blockers[:3]) or "records another judgement or conflict keeps apart")
        + "."
    )


def paths_graph(rows: Iterable[Mapping]) -> nx.MultiDiGraph:
    """The paths of queries/shortest_path.cypher's rows (`nodes`: [{id, name, kind}],
    `links`: [{type, from, to, …}]) as one graph."""
    graph: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    for r in rows:
        for node in r["nodes"]:
            graph.add_node(node["id"], label=node.get("kind") or "Entity", name=node.get("name"))
        for link in r["links"]:
            graph.add_edge(
                link["from"],
                link["to"],
                key=_link_key(link),
                **{k: v for k, v in link.items() if k not in ("from", "to")},
            )
    return graph


def _link_key(link: dict) -> str:
    """The edge key of an entity link: the same in every graph the client returns, so
    graphs compose; two links of one type and list differ by their role (49%, 51%)."""
    return ":".join(str(link[k]) for k in ("type", "dataset", "role") if link.get(k))


def _notifications(wanted: Sequence[str]) -> dict:
    """The driver's notification settings: the server sends the classifications `wanted`
    at severity WARNING, or nothing."""
    if not wanted:
        return {"notifications_min_severity": "OFF"}
    unknown = set(wanted) - {c.value for c in NotificationDisabledClassification}
    if unknown:
        raise ValueError(
            f"SANCT_NEO4J_NOTIFICATIONS names unknown classifications: {', '.join(sorted(unknown))}"
        )
    return {
        "notifications_min_severity": "WARNING",
        "notifications_disabled_classifications": [
            c for c in NotificationDisabledClassification if c.value not in wanted
        ],
    }


#: The kinds of Neo4j client error (Neo.ClientError.KIND.…) that say the Cypher sent was
#: wrong: from this client, a bug. Typed and saved queries have run_read_only's errors.
OUR_MISTAKES = frozenset({"Statement", "Schema", "Procedure", "Request"})


def _our_mistake(error: Neo4jError) -> bool:
    parts = (error.code or "").split(".")
    return len(parts) > 2 and parts[1] == "ClientError" and parts[2] in OUR_MISTAKES


def _redact(uri: str) -> str:
    return re.sub(r"//[^@/]*@", "//", uri)
