"""graph/model.yaml declares the whole graph: every Cypher text the project runs (the
strings in graph/ and the saved queries and fragments in queries/) names only the labels,
relationship types and properties it declares.

The reading of Cypher is pragmatic, by regular expressions: labels of node patterns and
label tests, types of relationship patterns, and properties of variables bound to a label
or type in the same text (`e.name` where `(e:Entity)`, `{key: …}` in `(:Record {key: …})`,
`.name` in a map projection). A variable bound anew (`… AS r`, `r IN list`) is not
followed: what it holds there is not read from the text. Names put together at run time
(`$(kind)`, an f-string's `{link}`) are the model's own by construction.
"""

from __future__ import annotations

import ast
import re
import shutil
from collections import defaultdict
from pathlib import Path

import pytest

from graph.exc import InvalidInput
from graph.export import FTM_SCHEMA
from graph.model import Model, model
from graph.queries import QUERIES_DIR, saved_queries
from loaders.records import LINK_TYPES, SCHEMAS

ROOT = Path(__file__).resolve().parents[2]
#: The Python whose strings hold Cypher the project runs.
PYTHON = sorted([*ROOT.glob("graph/*.py"), *ROOT.glob("graph/resolve/*.py")])
#: A string holding one of these is Cypher.
CLAUSE = re.compile(r"\b(MATCH|MERGE|CREATE|UNWIND|RETURN|DELETE|REMOVE)\b")

NAME = r"[A-Za-z_]\w*"
#: `(var:Label:Other {…}`, `(:A|B)`: a node pattern's variable and label expression.
NODE = re.compile(rf"\(\s*(?P<var>{NAME})?\s*(?P<labels>:\s*!?{NAME}(?:\s*[:|&]\s*!?{NAME})*)"
                  rf"\s*(?P<map>\{{[^{{}}]*\}})?")
#: `[var:TYPE|OTHER {…}`: a relationship pattern's variable and types.
RELATIONSHIP = re.compile(rf"\[\s*(?P<var>{NAME})?\s*:\s*(?P<types>!?{NAME}(?:\s*\|\s*:?!?{NAME})*)"
                          rf"\s*(?P<map>\{{[^{{}}]*\}})?")
#: `n:Entity` in WHERE, SET, REMOVE and index hints (written without spaces).
LABEL_TEST = re.compile(r"(?<![\w\[(.$])(?P<var>[a-z_]\w*)(?P<labels>(?::[A-Z]\w*)+)\b")
PROPERTY = re.compile(r"(?<![\w.$])(?P<var>[a-z_]\w*)\.(?P<prop>[a-z_]\w*)\b(?!\s*\()")
PROJECTION = re.compile(r"(?<![\w.$])(?P<var>[a-z_]\w*)\s*\{(?P<items>[^{}]*)\}")
REBOUND = re.compile(r"\bAS\s+(?P<var>[a-z_]\w*)|[\[(,|]\s*(?P<item>[a-z_]\w*)\s+IN\b")
MAP_KEY = re.compile(r"(?:^|,)\s*(\w+)\s*:")


def cypher_texts() -> list[tuple[str, str]]:
    """(where, text) of every Cypher text the project runs: its strings in graph/ (not
    docstrings; f-strings with their fields left out) and its saved queries, raw and with
    their fragments included."""
    texts = []
    for path in PYTHON:
        for line, text in _strings(path):
            if CLAUSE.search(text):
                texts.append((f"{path.relative_to(ROOT)}:{line}", text))
    for path in sorted(QUERIES_DIR.glob("*.cypher")):
        texts.append((str(path.relative_to(ROOT)), path.read_text(encoding="utf-8")))
    for name, query in saved_queries().items():
        texts.append((f"queries/{name}.cypher (fragments included)", query.text))
    return texts


def _strings(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            if node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant):
                skip.add(id(node.body[0].value))
        elif isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
            # A field stands for a name made at run time: "\0" matches no name.
            yield node.lineno, "".join(v.value if isinstance(v, ast.Constant) else "\0" for v in node.values)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            yield node.lineno, node.value


def undeclared(text: str, m: Model) -> list[str]:
    """What `text` names that the model does not declare, one phrase each."""
    # String literals and comments hold no names; `//` in a URL is in a string.
    text = re.sub(r"//[^\n]*", "", re.sub(r"'[^'\n]*'|\"[^\"\n]*\"", "''", text))
    found: list[str] = []
    bound: dict[str, set[str]] = defaultdict(set)
    for match in NODE.finditer(text):
        labels = re.findall(NAME, match["labels"])
        found += [f"label :{label}" for label in labels if label not in m.labels]
        _bind(bound, match["var"], labels)
        found += _map_keys(match["map"], labels, m)
    relationships = set()
    for match in RELATIONSHIP.finditer(text):
        types = re.findall(NAME, match["types"])
        found += [f"relationship type :{t}" for t in types if t not in m.relationships]
        _bind(bound, match["var"], types)
        found += _map_keys(match["map"], types, m)
        relationships.add(match["var"])
    for match in LABEL_TEST.finditer(text):
        names = re.findall(NAME, match["labels"])
        # A hint on a relationship's variable (`USING INDEX SEEK s:STATES(dataset)`) names its type.
        if match["var"] in relationships:
            found += [f"relationship type :{t}" for t in names if t not in m.relationships]
        else:
            found += [f"label :{label}" for label in names if label not in m.labels]
        _bind(bound, match["var"], names)
    for match in REBOUND.finditer(text):
        bound.pop(match["var"] or match["item"], None)
    known = {var: [n for n in names if n in m.labels or n in m.relationships]
             for var, names in bound.items()}
    uses = [(p["var"], p["prop"]) for p in PROPERTY.finditer(text)]
    uses += [(p["var"], item) for p in PROJECTION.finditer(text)
             for item in re.findall(r"(?:^|,)\s*\.(\w+)", p["items"])]
    for var, prop in uses:
        names = known.get(var)
        if names and not any(prop in m.properties(n) for n in names):
            found.append(f"property {var}.{prop} of :{'|'.join(names)}")
    return sorted(set(found))


def _bind(bound: dict[str, set[str]], var: str | None, names: list[str]) -> None:
    if var:
        bound[var].update(names)


def _map_keys(written: str | None, names: list[str], m: Model) -> list[str]:
    names = [n for n in names if n in m.labels or n in m.relationships]
    if not written or not names:
        return []
    return [f"property {{{key}: …}} of :{'|'.join(names)}"
            for key in MAP_KEY.findall(written[1:-1])
            if not any(key in m.properties(n) for n in names)]


# -- the model itself ---------------------------------------------------------------------


def test_the_model_declares_the_record_layer_and_nothing_unused():
    m = model()
    assert {"Record", "Postings", "Resolver", "CaseList"} <= set(m.nodes)
    assert {"DESCRIBES", "SAME_AS", "CANDIDATE", "STATES", "CITES", "SIGNS", "ANNOUNCES",
            "INCLUDES", "SIGNED"} <= set(m.relationships)
    used_labels, used_types = set(), set()
    for _, text in cypher_texts():
        used_labels.update(re.findall(NAME, " ".join(x["labels"] for x in NODE.finditer(text))))
        used_labels.update(re.findall(NAME, " ".join(x["labels"] for x in LABEL_TEST.finditer(text))))
        used_types.update(re.findall(NAME, " ".join(x["types"] for x in RELATIONSHIP.finditer(text))))
    # Entity kinds are set by name at run time ($(kind)), links by their STATES' type.
    assert set(m.labels) - used_labels <= set(m.entity_kinds)
    assert set(m.relationships) - used_types <= set(m.links)


def test_the_records_vocabulary_is_the_models():
    m = model()
    assert SCHEMAS == tuple(m.entity_kinds) and LINK_TYPES == tuple(m.links)
    # The saved queries' kind filter offers exactly the kinds, and the FtM export maps each.
    assert saved_queries()["gap_matrix"].params["kind"].choices == tuple(m.entity_kinds)
    assert set(FTM_SCHEMA) == set(m.entity_kinds)


@pytest.mark.parametrize("written, wrong, message", [
    ("      names: [string]", "      names: [strin]", "property names has type ['strin']"),
    ("      country: string", "", "country is a key, caption or index but not a property"),
    ("  NAMES: {from: Call, to: Entity}", "  NAMES: {from: Call, to: Target}", "Target is not a node label"),
])
def test_a_malformed_model_is_refused(tmp_path, written, wrong, message):
    text = (ROOT / "graph" / "model.yaml").read_text(encoding="utf-8")
    assert written in text
    (tmp_path / "model.yaml").write_text(text.replace(written, wrong, 1), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(message)):
        Model(tmp_path / "model.yaml")


@pytest.mark.parametrize("wrong", ["UN-SC9999", "AU-RUSSIA"])
def test_a_program_implementing_what_is_no_un_regime_is_refused(tmp_path, wrong):
    programs = tmp_path / "programs"
    shutil.copytree(ROOT / "data" / "programs", programs)
    text = (programs / "au.yaml").read_text(encoding="utf-8")
    assert "    implements: UN-SC2713\n" in text
    (programs / "au.yaml").write_text(text.replace("implements: UN-SC2713", f"implements: {wrong}"), encoding="utf-8")
    with pytest.raises(InvalidInput, match=f"program AU-UN-SOMALIA implements '{wrong}', which is no UN"):
        Model(programs_dir=programs)


# -- every Cypher text against it ----------------------------------------------------------


def test_the_reading_of_cypher_finds_what_is_undeclared():
    """The check can fail: names a model lacks are found wherever Cypher puts them."""
    m = model()
    assert undeclared("MATCH (r:Record)-[:SIGNED_AS]->(c:Call) RETURN c.title", m) == [
        "relationship type :SIGNED_AS"]
    assert undeclared("MATCH (e:Entity)-[l:LEADS|RUNS]->(x:Agency) WHERE e:Persn "
                      "RETURN e.nmae, l.role, l.share, x.id, e {.name, .aliases}", m) == [
        "label :Agency", "label :Persn", "property e.aliases of :Entity", "property e.nmae of :Entity",
        "property l.share of :LEADS", "relationship type :RUNS"]
    assert undeclared("MERGE (c:Call {id: $id, signatures: 3})", m) == [
        "property {signatures: …} of :Call"]
    # An index hint names a label, or a relationship type for a relationship's variable.
    assert undeclared("MATCH (r:Record)-[s:STATES]->() USING INDEX SEEK r:Recrd(key) "
                      "USING INDEX SEEK s:STATE(dataset) RETURN s", m) == [
        "label :Recrd", "relationship type :STATE"]
    assert undeclared("MATCH ()-[s:STATES]->() USING INDEX SEEK s:STATES(dataset) RETURN s", m) == []
    # Rebound variables and strings are not followed.
    assert undeclared("MATCH (r:Record) WITH r.names AS r RETURN r.x, 'n:Nope' AS s // (n:Nope)", m) == []


def test_every_cypher_text_names_only_what_the_model_declares():
    m = model()
    texts = cypher_texts()
    # Each place is read: the store, the resolver's index, the client, case lists, queries.
    assert {"graph/store.py", "graph/resolving.py", "graph/client.py", "graph/cases.py",
            "queries/_filters.cypher"} <= {where.split(":")[0] for where, _ in texts}
    problems = {where: found for where, text in texts if (found := undeclared(text, m))}
    assert not problems, "names graph/model.yaml does not declare:\n" + "\n".join(
        f"  {where}: {', '.join(found)}" for where, found in problems.items())
