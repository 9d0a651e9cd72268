"""The write path's statements for records new to the graph or stored unchanged (the
bulk of every load): index seeks and CREATE only. An Eager operator makes Neo4j hold a
whole batch before it writes; a label scan reads every node of a label, and would make a
load cost what the graph holds instead of what it changes (issue #15)."""

import json
import subprocess
from datetime import date

import pandas as pd
import pytest
from lxml import etree

from conftest import DATA, new_server
from graph import SanctionsGraph, store
from graph.model import model

STATEMENTS = ["STORED_RECORDS", "STORED_DESIGNATIONS", "CREATE_RECORDS", "CREATE_ENTITIES", "CREATE_DESIGNATIONS",
              "LINK_DESIGNATIONS", "TARGET_DESIGNATIONS", "LAST_HELD_IN", "LINK_ENTITIES"]
WRITES = ("Create", "Merge", "Set", "Delete", "DetachDelete", "Remove", "Foreach")
SCANS = {"AllNodesScan", "NodeByLabelScan", "DirectedRelationshipTypeScan", "UndirectedRelationshipTypeScan"}


def operators(plan) -> list[str]:
    found = [plan["operatorType"].split("@")[0]]
    for child in plan.get("children", []):
        found += operators(child)
    return found


@pytest.mark.parametrize("name", STATEMENTS)
def test_write_path_statement_has_no_eager_and_no_scan(graph, name):
    with graph.driver.session(database=graph.database) as session:
        plan = session.run("EXPLAIN " + getattr(store, name)).consume().plan
    ops = operators(plan)
    # The Eager barrier, not EagerAggregation: the reads collect their rows into one
    # (a row each cost the driver more than the seeks), and the bulk writes count what
    # they wrote (store.RETURNS_COUNT); an aggregation holds no write back only when it
    # comes after every write (the plan is listed from its last operator down).
    assert "Eager" not in ops, ops
    if "EagerAggregation" in ops:
        assert not [op for op in ops[: ops.index("EagerAggregation")] if op.startswith(WRITES)], ops
    assert SCANS.isdisjoint(ops), ops
    # What the statements read, they read by a unique key.
    if "MATCH" in getattr(store, name):
        assert any(op.startswith("NodeUniqueIndexSeek") for op in ops), ops


@pytest.fixture(scope="module")
def fresh_server(tmp_path_factory, server_settings):
    """A local Neo4j of its own, new: its indexes' statistics are those of an empty graph
    until it samples them again, as on a first `make run` or a bench server. The shared
    test server has sampled the graphs of other tests by the time this module runs."""
    yield from new_server(tmp_path_factory, server_settings, "fresh-neo4j")


def test_every_statement_of_a_load_seeks_its_nodes_while_the_statistics_lag(fresh_server, monkeypatch):
    """Neo4j plans a statement from its statistics; right after the first loads into a new
    server they still say the indexes are empty, and a lookup by key planned as a scan of
    the whole index under each row cost what the graph holds, per row: deleting the
    CANDIDATE edges of 2,000 records took 5 s (bench/README.md, stop 42). So the loads'
    lookups name the index they seek (USING INDEX SEEK). Every statement four loads ran,
    planned again in the graph they left (first versions, a new version, another list,
    the curated case with its stubs and links by name): no operator reads more than it
    looks up."""
    statements: dict[str, dict] = {}
    sent = store.run_forgetting_rows

    def keep(tx, statement, **params):
        if statement not in statements:  # a copy as sent: the writer empties its lists once they are
            statements[statement] = {k: list(v) if isinstance(v, list) else v for k, v in params.items()}
        return sent(tx, statement, **params)

    monkeypatch.setattr(store, "run_forgetting_rows", keep)
    g = SanctionsGraph.connect(fresh_server, start=False)
    try:
        g.load("un-xml", DATA / "un" / "UN_consolidated_2024-11-30.xml")
        g.load("un-xml", DATA / "un" / "UN_consolidated_2026-02-27.xml")
        g.load("eu-fsf-xml", DATA / "eu" / "fsf_sample_2026-08-05.xml")
        g.load("curated", DATA / "curated")
        scans = {}
        with g.driver.session(database=g.database) as session:
            for statement, params in statements.items():
                ops = operators(session.run("EXPLAIN " + statement, params).consume().plan)
                if found := [op for op in ops if "Scan" in op]:
                    scans[" ".join(statement.split())[:160]] = found
    finally:
        g.close()
    assert len(statements) > 40  # the loads ran through this function
    # Whether the graph holds a record other than a stub: a scan that stops at the first.
    assert scans == {
        "MATCH (r:Record) WHERE r.status <> 'stub' RETURN r.key AS key LIMIT 1": ["NodeByLabelScan"]
    }, scans


#: What a pass over every designation finds that the loads left otherwise: an
#: announcement naming a designation's record without the designation linked to it, and
#: a designation whose announced_on is not the earliest of its own and its announcements'
#: dates, of those no later than the first version seen to hold it (a later one is a change
#: to the entry). Loads date only the designations they can change (store._announcements).
UNDATED = """
CALL () {
    MATCH (a:Announcement)-[x:ANNOUNCES]->(r:Record)
    MATCH (d:Designation {record_key: r.key})
    WHERE (x.program IS NULL OR d.program_id = x.program) AND NOT (d)-[:ANNOUNCED_IN]->(a)
    RETURN count(*) AS unlinked
}
CALL () {
    MATCH (d:Designation)
    OPTIONAL MATCH (d)-[:ANNOUNCED_IN]->(a:Announcement) WHERE d.first_seen IS NULL OR a.date <= d.first_seen
    WITH d, [x IN collect(a.date) + [d.stated_announced_on] WHERE x IS NOT NULL] AS dates
    WITH d, reduce(m = null, x IN dates | CASE WHEN m IS NULL OR x < m THEN x ELSE m END) AS first
    RETURN count(CASE WHEN first IS NULL THEN null ELSE d END) AS dated,
           count(CASE WHEN d.announced_on IS NULL AND first IS NULL OR d.announced_on = first
                      THEN null ELSE d END) AS misdated
}
RETURN unlinked, dated, misdated
"""


def test_the_demo_graph_is_dated_as_a_pass_over_every_designation_would_date_it(demo_graph):
    found = demo_graph.read(UNDATED)[0]
    assert (found["unlinked"], found["misdated"]) == (0, 0)
    assert found["dated"] > 1000  # OFAC's 2023 archive alone dates more than that


def test_announcements_loaded_before_their_list_and_again_after_it_date_it(empty_graph, case_ofac_sdn):
    # The OFAC entries the curated case names, not the whole list: the same dates, and a
    # tenth of the test's time.
    curated, sdn = DATA / "curated", case_ofac_sdn
    empty_graph.load("curated", curated)  # names OFAC records the graph holds as stubs yet
    empty_graph.load("ofac-sdn-csv", sdn)
    found = empty_graph.read(UNDATED)[0]
    assert (found["unlinked"], found["misdated"]) == (0, 0) and found["dated"] > 0
    # Chen Quanguo's US designation (sdn.csv 29220): the 2021 list gives no date, the
    # Treasury's announcement of 2020-07-09 that the curated case holds does.
    chen = empty_graph.read("MATCH (d:Designation {record_key: 'us-ofac-sdn:29220'}) "
                            "RETURN d.announced_on AS on, d.stated_announced_on AS stated")
    assert [(str(r["on"]), r["stated"]) for r in chen] == [("2020-07-09", None)]
    empty_graph.load("curated", curated, force=True)
    assert empty_graph.read(UNDATED)[0] == found


def test_a_graph_written_with_recorded_in_on_every_designation_is_mended_by_the_next_version(empty_graph):
    """Earlier code kept a RECORDED_IN on every designation, to the newest version that
    held it. The next version loaded drops those of the designations it still holds, and
    those it no longer holds cite the version before it (graph/model.yaml RECORDED_IN)."""
    g = empty_graph
    old, new = DATA / "un" / "UN_consolidated_2024-11-30.xml", DATA / "un" / "UN_consolidated_2026-02-27.xml"
    g.load("un-xml", old)
    with g.driver.session(database=g.database) as session:  # the graph earlier code left
        session.run("MATCH (s:Source {dataset: 'un-sc', current: true}) MATCH (d:Designation {dataset: 'un-sc'}) "
                    "CREATE (d)-[:RECORDED_IN]->(s)").consume()
    g.load("un-xml", new)
    rows = g.read(
        """
        MATCH (d:Designation {dataset: 'un-sc'})
        OPTIONAL MATCH (d)-[:RECORDED_IN]->(s:Source)
        RETURN d.status AS status, s.published_on AS version, count(*) AS n ORDER BY status
        """)
    left = len(set(dataids(old)) - set(dataids(new)))  # removed, or issued again under a new id
    assert [(r["status"], str(r["version"])) for r in rows] == [
        ("active", "None"), ("inactive", "2024-11-30"), ("moved", "2024-11-30")], rows
    assert sum(r["n"] for r in rows if r["status"] != "active") == left == 12


def dataids(path) -> list[str]:
    return [e.findtext("DATAID") for e in etree.parse(str(path)).iter("INDIVIDUAL", "ENTITY")]


#: What the loads derived of the entities, as sorted rows: their labels and facts, and
#: their edges to records, designations, calls and one another.
DERIVED = {
    "entities": "MATCH (e:Entity) RETURN e.id AS id, labels(e) AS labels, properties(e) AS facts",
    "describes": "MATCH (r:Record)-[:DESCRIBES]->(e:Entity) RETURN r.key AS a, e.id AS b",
    "targets": "MATCH (d:Designation)-[:TARGETS]->(e:Entity) RETURN d.id AS a, e.id AS b",
    "links": "MATCH (a:Entity)-[l]->(b:Entity) RETURN a.id AS a, type(l) AS type, b.id AS b, properties(l) AS p",
    "calls": "MATCH (e:Entity)-[x:NAMES|SIGNED]-(c:Call) RETURN e.id AS a, type(x) AS type, c.id AS b",
}


def derived(tx) -> dict[str, list]:
    return {what: sorted(json.dumps({**row, **({"labels": sorted(row["labels"])} if "labels" in row else {})},
                                    sort_keys=True, default=str)
                         for row in tx.run(query).data())
            for what, query in DERIVED.items()}


def test_entities_made_with_their_records_are_those_derivation_makes(demo_graph):
    """A load makes the entity of each record new to the graph in Python, with its
    record (store.SourceWriter._create_entities), instead of deriving it in the graph
    (Derivation.describe and materialise). Every entity of the demo graph derived again
    from its records, in a transaction rolled back, is as the loads left it."""
    with demo_graph.driver.session(database=demo_graph.database) as session:
        tx = session.begin_transaction()
        try:
            as_loaded = derived(tx)
            again = store.Derivation(lambda statement, **params: tx.run(statement, params), 2000, model())
            keys = tx.run("MATCH (r:Record) WHERE r.status <> 'stub' RETURN r.key ORDER BY r.key").value()
            ids = set()
            for i in range(0, len(keys), 2000):
                ids |= again.describe(keys[i:i + 2000])
            again.materialise(sorted(ids))
            rederived = derived(tx)
        finally:
            tx.rollback()
    # Not an empty comparison: the demo's lists, their links and the kinds of entity.
    assert len(as_loaded["entities"]) > 20_000 and len(as_loaded["links"]) > 100
    assert len(as_loaded["targets"]) > 20_000
    assert all(any(f'"{kind}"' in row for row in as_loaded["entities"]) for kind in ("Person", "Organization"))
    for what in DERIVED:
        assert as_loaded[what] == rederived[what], what


def test_links_between_records_new_to_the_graph_are_made_with_their_statements(empty_graph, monkeypatch):
    """A statement by key between two records a load creates with their entities makes
    its link as it is written (store.SourceWriter._link_directly): neither entity is
    derived again for it. The OpenSanctions Zala file states 21 relationships
    (Ownership, Family, Directorship), each between two entities of the file; into an
    empty graph, all 21 links are made so, and no entity at their ends is derived again.
    (That they are the links derivation makes: the test above, on the demo graph.)"""
    derived_again: list[str] = []
    materialise = store.Derivation.materialise

    def recording(self, touched, refacted=None):
        touched = list(touched)
        derived_again.extend(touched)
        return materialise(self, touched, refacted)

    monkeypatch.setattr(store.Derivation, "materialise", recording)
    empty_graph.load("ftm", DATA / "opensanctions" / "zala_entities.ftm.json")
    links = empty_graph.read(
        "MATCH (a:Entity)-[l]->(b:Entity) WHERE type(l) IN $types RETURN a.id AS a, b.id AS b",
        types=model().links,
    )
    assert len(links) == 21
    assert not {end for link in links for end in link.values()} & set(derived_again)


def test_no_record_stores_an_empty_list(demo_graph):
    """Neo4j keeps an empty list in a block of its own, as a full one: a record leaves out
    the lists its entry leaves empty (store._without_empty_lists), every list of the demo's
    loads alike, and readers take a missing list as an empty one."""
    found = demo_graph.read(
        "MATCH (r:Record) WHERE r.status <> 'stub' "
        "RETURN count(r) AS records, count(CASE WHEN any(k IN keys(r) WHERE r[k] = []) THEN 1 END) AS with_empty"
    )[0]
    assert found["records"] > 20_000 and found["with_empty"] == 0


def test_a_full_text_index_kept_in_step_is_made_eventually_consistent(empty_graph):
    """ensure_schema reads every index in one statement; the names index of a database
    made before it was eventually consistent (store.FULLTEXT_INDEX says why) is made anew."""
    with empty_graph.driver.session(database=empty_graph.database) as session:
        session.run("DROP INDEX entity_names").consume()
        session.run("CREATE FULLTEXT INDEX entity_names FOR (n:Entity) ON EACH [n.names, n.search_names]").consume()
    consistent = ("SHOW FULLTEXT INDEXES YIELD name, options WHERE name = 'entity_names' "
                  "RETURN options.indexConfig.`fulltext.eventually_consistent` AS consistent")
    assert empty_graph.read(consistent) == [{"consistent": False}]
    store.ensure_schema(empty_graph.driver, empty_graph.database, model())
    assert empty_graph.read(consistent) == [{"consistent": True}]


def test_designations_earlier_code_derived_are_deleted_not_delisted(empty_graph):
    """A designation that the code now loading a list no longer derives from a record the
    list still holds (a program's id written anew, a measure no longer counted as a
    sanction) is an artefact of that code, not a delisting: a graph `make run` had
    written read "delisted" for 27 PEESA and 33 Belarus targets OFAC had only retagged.
    With the same code, what a version does not hold is a delisting, as ever."""
    g = empty_graph
    zala = DATA / "opensanctions" / "zala_entities.ftm.json"
    g.load("ftm", zala)
    key = "ftm-zala_entities:NK-aU5ybkbRFJucf8YMwsJvDw"  # Zakharov, still listed in the file

    def plant(code_digest: str) -> None:
        with g.driver.session(database=g.database) as session:
            session.run(
            """
            MATCH (r:Record {key: $key})-[:DESCRIBES]->(e:Entity), (p:Program) WITH r, e, p LIMIT 1
            CREATE (d:Designation {id: 'ftm-zala_entities:stale', dataset: 'ftm-zala_entities',
                    record_key: $key, record_id: r.record_id, jurisdiction: 'GB', program_id: p.id,
                    status: 'active', history: ['earlier code listed']})-[:TARGETS]->(e),
                   (d)-[:UNDER]->(p)
            WITH 1 AS done
            MATCH (s:Source {dataset: 'ftm-zala_entities', current: true}) SET s.code_digest = $code_digest
            """,
            key=key,
            code_digest=code_digest,
            ).consume()

    def stale() -> list[dict]:
        return g.read("MATCH (d:Designation {id: 'ftm-zala_entities:stale'}) "
                      "RETURN d.status AS status, d.delisted_by AS by")

    plant("written by other code")
    report = g.load("ftm", zala, force=True)
    assert stale() == [] and report.written.rederived == 1
    assert "1 designations that earlier code derived" in report.summary()
    current = g.read("MATCH (s:Source {dataset: 'ftm-zala_entities', current: true}) RETURN s.code_digest AS c")
    plant(current[0]["c"])
    report = g.load("ftm", zala, force=True)
    assert stale() == [{"status": "inactive", "by": "absence"}] and report.written.rederived == 0


#: OFAC retagged Yinon Levi's program between these two versions of its history
#: (data/ofac/history/sdn-history.bundle): MIDDLE-EAST-EO, then WEST-BANK-EO14115.
LEVI_RETAGGED = {"2024-02-02": "154de966", "2024-02-08": "df9ac31d"}


@pytest.fixture
def levi_history(tmp_path):
    """Two real versions of OFAC's sdn.csv, cut to their first three entries and Levi's
    (47320) and ended by their end-of-file mark, as a folder of dated versions."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(DATA / "ofac" / "history" / "sdn-history.bundle"), str(clone)],
                   check=True)
    for day, commit in LEVI_RETAGGED.items():
        lines = subprocess.run(["git", "-C", str(clone), "show", f"{commit}:sdn.csv"], check=True,
                               capture_output=True).stdout.splitlines(keepends=True)
        (tmp_path / "history" / day).mkdir(parents=True)
        (tmp_path / "history" / day / "sdn.csv").write_bytes(
            b"".join([*lines[:3], *(line for line in lines if line.startswith(b"47320,")), lines[-1]]))
    return tmp_path / "history"


def test_a_replay_by_other_code_deletes_what_it_no_longer_derives_in_force_or_not(empty_graph, levi_history):
    """A history replay derives every designation its entries held, those that ended too.
    Earlier code had read OFAC's retags as a program ending ("MIDDLE-EAST-EO, delisted by
    2024-02-08") and written those designations as ended: 129 of them stayed in a graph
    that the current code loaded again, since only designations in force were deleted.
    What a version outside the history held last (a file of the list loaded before) stays."""
    g = empty_graph
    g.load("history:ofac-sdn-csv", levi_history)
    levi = "us-ofac-sdn:47320"
    assert g.read("MATCH (d:Designation {record_key: $key}) RETURN d.program_id AS p, d.status AS s",
                  key=levi) == [{"p": "US-WEST-BANK-EO14115", "s": "active"}]
    first = g.read("MATCH (s:Source {dataset: 'us-ofac-sdn'}) WHERE s.published_on = date('2024-02-02') "
                   "RETURN s.id AS id")[0]["id"]

    def plant(code_digest: str) -> None:
        with g.driver.session(database=g.database) as session:
            session.run(
                """
                MATCH (r:Record {key: $key})-[:DESCRIBES]->(e:Entity), (p:Program {id: 'US-WEST-BANK-EO14115'}),
                      (held:Source {id: $first})
                MERGE (outside:Source {id: 'a file loaded before the history'})
                CREATE (stale:Designation {id: $key + '/earlier-code', dataset: 'us-ofac-sdn', record_key: $key,
                        program_id: p.id, status: 'inactive', delisted_by: 'absence'}),
                       (stale)-[:TARGETS]->(e), (stale)-[:UNDER]->(p), (stale)-[:RECORDED_IN]->(held),
                       (kept:Designation {id: $key + '/before-the-history', dataset: 'us-ofac-sdn', record_key: $key,
                        program_id: p.id, status: 'inactive', delisted_by: 'absence'}),
                       (kept)-[:TARGETS]->(e), (kept)-[:UNDER]->(p), (kept)-[:RECORDED_IN]->(outside)
                WITH 1 AS done
                MATCH (s:Source {dataset: 'us-ofac-sdn', current: true}) SET s.code_digest = $code_digest
                """,
                key=levi, first=first, code_digest=code_digest,
            ).consume()

    def planted() -> list[str]:
        return [r["id"] for r in g.read("MATCH (d:Designation {record_key: $key}) WHERE d.id CONTAINS '/' "
                                        "AND NOT d.id ENDS WITH '14115' RETURN d.id AS id ORDER BY id", key=levi)]

    plant("written by other code")
    report = g.load("history:ofac-sdn-csv", levi_history, force=True)
    assert planted() == [f"{levi}/before-the-history"] and report.written.rederived == 1
    with g.driver.session(database=g.database) as session:
        session.run("MATCH (d:Designation) WHERE d.id ENDS WITH '/before-the-history' DETACH DELETE d").consume()
    current = g.read("MATCH (s:Source {dataset: 'us-ofac-sdn', current: true}) RETURN s.code_digest AS c")
    plant(current[0]["c"])
    report = g.load("history:ofac-sdn-csv", levi_history, force=True)
    assert planted() == [f"{levi}/before-the-history", f"{levi}/earlier-code"] and report.written.rederived == 0


@pytest.fixture
def levi_relisted(tmp_path):
    """Folders of dated versions made of one real version of OFAC's sdn.csv (2024-02-08),
    cut to its first three entries, with Levi's entry (47320) or without it: `gone`
    holds him on the 8th and not on the 9th; `back` has the same two and then him again
    on the 15th and the 20th."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(DATA / "ofac" / "history" / "sdn-history.bundle"), str(clone)],
                   check=True)
    lines = subprocess.run(["git", "-C", str(clone), "show", f"{LEVI_RETAGGED['2024-02-08']}:sdn.csv"],
                           check=True, capture_output=True).stdout.splitlines(keepends=True)
    levi = [line for line in lines if line.startswith(b"47320,")]
    assert len(levi) == 1
    for folder, days in (("gone", {"2024-02-08": True, "2024-02-09": False}),
                         ("back", {"2024-02-08": True, "2024-02-09": False, "2024-02-15": True, "2024-02-20": True})):
        for day, held in days.items():
            (tmp_path / folder / day).mkdir(parents=True)
            (tmp_path / folder / day / "sdn.csv").write_bytes(b"".join([*lines[:3], *(levi if held else []), lines[-1]]))
    return tmp_path / "gone", tmp_path / "back"


def test_a_replay_dates_a_relisting_by_the_version_that_listed_again(empty_graph, levi_relisted):
    """A replay whose versions list again an entry the graph holds as removed writes
    "relisted" on the day of the first version that holds it again (the 15th), not on
    its newest version's day (the 20th), which is all the writer knew of the load."""
    g = empty_graph
    gone, back = levi_relisted
    g.load("history:ofac-sdn-csv", gone)
    levi = "us-ofac-sdn:47320"
    lines = ("MATCH (r:Record {key: $key}) RETURN r.status AS status, r.history AS history UNION ALL "
             "MATCH (d:Designation {record_key: $key}) RETURN d.status AS status, d.history AS history")
    assert g.read(lines, key=levi) == [
        {"status": "removed", "history": ["2024-02-08 listed", "2024-02-09 no longer listed"]},
        {"status": "inactive", "history": ["2024-02-08 listed", "2024-02-09 no longer listed"]},
    ]
    removal = {"kind": "removed", "date": pd.Timestamp("2024-02-09"), "basis": "first_seen",
               "after": pd.Timestamp("2024-02-08"), "detail": "no longer listed"}
    assert changes_of(g, "47320") == [removal]
    # Earlier code named each version of a folder by the first 16 characters of its path:
    # one :Source for them all. What no designation cites any more goes.
    with g.driver.session(database=g.database) as session:
        session.run("CREATE (:Source {id: 'us-ofac-sdn@/tmp/pytest-of-r', dataset: 'us-ofac-sdn', current: false})"
                    ).consume()
    g.load("history:ofac-sdn-csv", back)
    versions = g.read("MATCH (s:Source {dataset: 'us-ofac-sdn'}) WHERE NOT s.current "
                      "RETURN s.id AS id, toString(s.published_on) AS day ORDER BY id")
    # One a day, known by it; the 9th's, first loaded as the newest version, by its content.
    assert [v for v in versions if "@2" in v["id"]] == [
        {"id": f"us-ofac-sdn@{day}", "day": day} for day in ("2024-02-08", "2024-02-09", "2024-02-15")]
    assert [v["day"] for v in versions if "@2" not in v["id"]] == ["2024-02-09"], versions
    assert g.read(lines, key=levi) == [
        {"status": "active", "history": ["2024-02-08 listed", "2024-02-09 no longer listed", "2024-02-15 relisted"]},
    ] * 2
    # The designation keeps its first listing; the changes show the removal and the
    # return once each, each between the two versions around it.
    assert g.read("MATCH (d:Designation {record_key: $key}) RETURN d.first_seen AS on, d.seen_basis AS basis",
                  key=levi) == [{"on": date(2024, 2, 8), "basis": "on_or_before"}]
    assert changes_of(g, "47320") == [
        {"kind": "added", "date": pd.Timestamp("2024-02-15"), "basis": "first_seen",
         "after": pd.Timestamp("2024-02-09"), "detail": "listed again"},
        {**removal, "detail": "no longer listed; listed again later"},
    ]


def changes_of(g: SanctionsGraph, record_id: str) -> list[dict]:
    changes = g.changes("2024-01-01").query("record_id == @record_id")
    return changes[["kind", "date", "basis", "after", "detail"]].to_dict("records")
