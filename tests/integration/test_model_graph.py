"""The graph is what graph/model.yaml declares: what loads write has declared labels,
types and properties of the declared types; Neo4j's warnings about names it has never
held reach the tests; and the curated case's signatories sign its calls (SIGNED)."""

from __future__ import annotations

import pytest
import yaml
from conftest import DATA, wipe

from graph.model import model

#: The lists whose loads together write most of the model: announcements, calls and
#: stubs (curated), designations joined to the curated records (EU OJ), stated links (FtM).
LOADS = [("curated", DATA / "curated"),
         ("eu-oj-csv", DATA / "eu" / "eu_oj_32020R1998.csv"),
         ("ftm", DATA / "opensanctions" / "zala_entities.ftm.json")]
#: What valueType() says of a value of each of the model's property types.
CYPHER_TYPES = {"string": "STRING", "integer": "INTEGER", "float": "FLOAT", "boolean": "BOOLEAN",
                "date": "DATE", "datetime": "ZONED DATETIME"}
LETTER = "hrf-joint-letter-2020-08-18"


def declared_type(label: str, key: str) -> set[str]:
    prop = model().properties(label).get(key)
    if prop is None:
        return set()
    one = f"{CYPHER_TYPES[prop.type]} NOT NULL"
    # An empty list has no element type.
    return {f"LIST<{one}> NOT NULL", "LIST<NOTHING> NOT NULL"} if prop.many else {one}


@pytest.fixture(scope="module")
def loaded(graph):
    wipe(graph)
    graph.state = "dirty"
    for kind, path in LOADS:
        graph.load(kind, path)
    graph.case_list("Xinjiang", ids=["curated:chen-quanguo"])
    return graph


def test_what_loads_write_is_declared_with_its_type(loaded):
    g = loaded
    m = model()
    labels = g.read("MATCH (n) UNWIND labels(n) AS label RETURN collect(DISTINCT label) AS all")[0]["all"]
    types = g.read("MATCH ()-[r]->() RETURN collect(DISTINCT type(r)) AS all")[0]["all"]
    assert set(labels) - {"TestMarker"} <= set(m.labels)
    assert set(types) <= set(m.relationships)
    # Most of the model is there to be checked.
    assert {"Entity", "Person", "Organization", "Designation", "Program", "Authority", "Jurisdiction",
            "Source", "Announcement", "Call", "CaseList", "Record", "Postings", "Resolver",
            "WriteLock"} <= set(labels)
    # (RECORDED_IN is written when a version no longer holds a designation: the demo's
    # versions have it, tests/integration/test_dates.py.)
    assert {"TARGETS", "UNDER", "ADMINISTERED_BY", "OF", "ANNOUNCED_IN", "URGES",
            "SIGNED", "INCLUDES", "DESCRIBES", "SAME_AS", "CANDIDATE", "STATES", "CITES",
            "SIGNS", "ANNOUNCES", "OWNS"} <= set(types)
    written = g.read(
        """
        CALL () {
            MATCH (n) WHERE NOT n:TestMarker
            UNWIND labels(n) AS label UNWIND keys(n) AS key
            RETURN label, key, valueType(n[key]) AS type
          UNION ALL
            MATCH ()-[r]->() UNWIND keys(r) AS key
            RETURN type(r) AS label, key, valueType(r[key]) AS type
        }
        RETURN label, key, collect(DISTINCT type) AS types ORDER BY label, key
        """)
    wrong = [f"{w['label']}.{w['key']}: {', '.join(w['types'])}, declared "
             f"{' or '.join(sorted(declared_type(w['label'], w['key']))) or 'nowhere'}"
             for w in written if not set(w["types"]) <= declared_type(w["label"], w["key"])]
    assert not wrong, "written otherwise than graph/model.yaml declares:\n" + "\n".join(wrong)
    assert len(written) > 150


def test_the_2020_letter_is_signed_by_the_organisations_the_curated_case_names(loaded):
    calls = yaml.safe_load((DATA / "curated" / "xinjiang.yaml").read_text(encoding="utf-8"))["calls"]
    signatories = {c["id"]: set(c.get("signatories", [])) for c in calls}
    assert len(signatories[LETTER]) == 7
    signed = loaded.read(
        """
        MATCH (r:Record)-[:DESCRIBES]->(e:Entity)-[:SIGNED]->(c:Call)
        RETURN c.id AS call, collect(r.key) AS records, collect(e.name) AS names
        """)
    assert {row["call"]: set(row["records"]) for row in signed} == signatories
    # The organisations shared/facts/xinjiang_case.md names: Human Rights First released
    # the letter, "among them" the others.
    letter, = (row for row in signed if row["call"] == LETTER)
    assert {"Human Rights First", "Human Rights Foundation", "REDRESS", "PEN America", "Justice For All",
            "International Partnership for Human Rights"} <= set(letter["names"])


def test_neo4j_warns_of_a_name_the_model_lacks_and_the_test_fails(empty_graph, no_unknown_names):
    g = empty_graph
    g.read("MATCH (r:Record)-[:SIGNED_AS]->(c:Call) RETURN c.signatures")
    warned = " ".join(no_unknown_names.messages)
    assert "The relationship type `SIGNED_AS` does not exist" in warned
    assert "The property `signatures` does not exist" in warned
    no_unknown_names.messages.clear()  # this test's own: the fixture would fail it
    # What the model declares is known, though the empty graph holds none of it.
    assert g.read("MATCH (v:Vessel)-[s:SIGNS]->(c:CaseList) RETURN v.birth_places, s, c.made_from") == []
    assert no_unknown_names.messages == [] and g.read("MATCH (n) WHERE NOT n:TestMarker RETURN n") == []

