"""Case lists: a named set of targets an investigator works on ("Xinjiang 2020 letter",
the targets a call names), kept in the graph as a `:CaseList` node and used as a filter
(`case`) by the gap matrix, the analysis queries (queries/_filters.cypher), the
briefing, the command line (`python -m graph case …`) and the app (`?case=…`).

A case list holds list records, not entities: `(:CaseList)-[:INCLUDES]->(:Record)`, the
record whose key is the entity's id (else its first). Records are never deleted and
resolution re-derives entities from them, so a case list outlives a reload and a change
of resolution: its targets are the entities its records describe now. The loads never
touch it (graph/store.py writes only what a source says).

    cases.save(g, "Xinjiang 2020 letter", call="hrf-joint-letter-2020-08-18")
    cases.get(g, "xinjiang-2020-letter")["targets"]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from graph.exc import InvalidInput, NotFound

#: A case list's id: lower-case letters, digits and dashes, as in a URL.
ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")
#: A file of targets holds at most this many lines.
MAX_FILE_LINES = 2000

CONSTRAINT = "CREATE CONSTRAINT caselist_id IF NOT EXISTS FOR (n:CaseList) REQUIRE n.id IS UNIQUE"

#: The record that stands for each entity: the one whose key is its id, else its first.
MEMBER_RECORDS = """
UNWIND $ids AS id
CALL (id) {
    MATCH (e:Entity {id: id}) RETURN e
  UNION
    MATCH (:Record {key: id})-[:DESCRIBES]->(e:Entity) RETURN e
}
MATCH (r:Record)-[:DESCRIBES]->(e)
WITH id, e, r ORDER BY r.key = e.id DESC, r.status = 'stub', r.key
WITH id, e, head(collect(r)) AS r
RETURN id, e.id AS entity, e.name AS name, r.key AS record
"""

SAVE = """
MERGE (c:CaseList {id: $id})
ON CREATE SET c.created_at = datetime($now)
SET c.name = $name, c.description = $description, c.made_from = $made_from,
    c.updated_at = datetime($now)
WITH c
OPTIONAL MATCH (c)-[old:INCLUDES]->(:Record)
WHERE $replace
DELETE old
WITH DISTINCT c
UNWIND $members AS m
MATCH (r:Record {key: m.record})
MERGE (c)-[i:INCLUDES]->(r)
ON CREATE SET i.added_at = datetime($now), i.asked = m.asked
RETURN count(*) AS n
"""

REMOVE = """
MATCH (c:CaseList {id: $id})-[i:INCLUDES]->(r:Record)-[:DESCRIBES]->(e:Entity)
WHERE e.id IN $entities OR r.key IN $entities
DELETE i
"""

DELETE = "MATCH (c:CaseList {id: $id}) DETACH DELETE c RETURN count(*) AS n"

GET = """
MATCH (c:CaseList {id: $id})
OPTIONAL MATCH (c)-[i:INCLUDES]->(r:Record)
OPTIONAL MATCH (r)-[:DESCRIBES]->(e:Entity)
WITH c, i, r, e ORDER BY e.name, e.id
RETURN c.id AS id, c.name AS name, c.description AS description, c.made_from AS made_from,
       toString(c.created_at) AS created_at, toString(c.updated_at) AS updated_at,
       [x IN collect(CASE WHEN r IS NOT NULL THEN {id: e.id, name: coalesce(e.name, r.name),
                                                  kind: e.kind, record: r.key} END)
        WHERE x IS NOT NULL] AS targets
"""

ALL = """
MATCH (c:CaseList)
OPTIONAL MATCH (c)-[:INCLUDES]->(:Record)-[:DESCRIBES]->(e:Entity)
RETURN c.id AS id, c.name AS name, count(DISTINCT e) AS targets, c.made_from AS made_from,
       c.description AS description, toString(c.updated_at) AS updated_at
ORDER BY name, id
"""

CALL_TARGETS = "MATCH (c:Call {id: $call})-[:NAMES]->(e:Entity) RETURN c.title AS title, collect(e.id) AS ids"


def slug(name: str) -> str:
    """A case list's id from its name: "Xinjiang 2020 letter" → "xinjiang-2020-letter"."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    found = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:80].strip("-")
    if not found:
        raise InvalidInput(f"a case list needs a name with a letter or a digit, got {name!r}")
    return found


def case_id(case: str) -> str:
    """A case list's id, or the id its name makes."""
    return case if ID.match(case) else slug(case)


def _write(g, statement: str, **params) -> list[dict]:
    with g.neo4j_errors(), g.driver.session(database=g.database) as session:
        return session.execute_write(lambda tx: [r.data() for r in tx.run(statement, params)])


def members(g, ids: Sequence[str]) -> tuple[list[dict], list[str]]:
    """The record each entity id or record key stands for, and the ones not found."""
    ids = list(dict.fromkeys(i.strip() for i in ids if i and i.strip()))
    found = {r["id"]: r for r in g.read(MEMBER_RECORDS, ids=ids)}
    return [found[i] for i in ids if i in found], [i for i in ids if i not in found]


def save(
    g,
    name: str,
    ids: Sequence[str] = (),
    *,
    call: str | None = None,
    search: str | None = None,
    file: str | Path | None = None,
    description: str | None = None,
    made_from: str | None = None,
    replace: bool = True,
    limit: int = 20,
) -> dict:
    """Make (or with replace=False, add to) the case list `name` from entity ids or record
    keys (`ids`, e.g. a gap matrix selection), the targets a `call` names, the confident
    matches of a `search`, or a `file` (one id, record key or name a line, # comments).
    Returns get(); InvalidInput (NotFound) naming what is not found, writing nothing."""
    if not name or not name.strip():
        raise InvalidInput("a case list needs a name")
    name = name.strip()
    asked, origin = list(ids), made_from
    if call:
        rows = g.read(CALL_TARGETS, call=call)
        if not rows or not rows[0]["ids"]:
            raise NotFound(f"no call {call!r} names a target")
        asked += rows[0]["ids"]
        origin = origin or f"call {call}: {rows[0]['title']}"
    if search:
        found = g.search(search, limit=limit)
        asked += list(found.id)
        origin = origin or f"search “{search}”"
        if found.empty:
            raise NotFound(f"no entity matches the search {search!r}")
    if file:
        asked += _from_file(g, Path(file))
        origin = origin or f"file {Path(file).name}"
    if not asked:
        raise InvalidInput("give the targets: ids, a call, a search or a file")
    found, missing = members(g, asked)
    if missing:
        raise NotFound(
            f"no entity {', '.join(missing[:10])}"
            + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
        )
    _write(g, CONSTRAINT)
    case = slug(name)
    _write(
        g,
        SAVE,
        id=case,
        name=name,
        description=description,
        made_from=origin or "ids",
        replace=replace,
        now=datetime.now(UTC).isoformat(),
        members=[{"record": m["record"], "asked": m["id"]} for m in found],
    )
    saved = get(g, case)
    if saved is None:  # another session deleted it between the write and this read
        raise NotFound(f"the case list {name!r} was deleted as it was saved")
    return saved


def _from_file(g, path: Path) -> list[str]:
    """The entity ids a file of ids, record keys or names stands for (a name must match
    one entity confidently, as the search box's Enter does)."""
    from graph.client import CONFIDENT_SCORE

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(f"no file {path}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise InvalidInput(f"{path}: cannot be read as text ({e})") from None
    lines = [line.split("#", 1)[0].strip() for line in text.splitlines()]
    lines = [line.split(",")[0].strip().strip('"') for line in lines if line]
    if len(lines) > MAX_FILE_LINES:
        raise InvalidInput(
            f"{path.name}: {len(lines):,} lines; a case list file holds at most {MAX_FILE_LINES:,}"
        )
    found, unknown = members(g, lines)
    ids = [m["entity"] for m in found]
    for text in unknown:
        hits = g.search(text, limit=2)
        best = hits.score[0] if not hits.empty else 0
        if best < CONFIDENT_SCORE or (len(hits) > 1 and hits.score[1] >= best):
            raise NotFound(f"{path.name}: “{text}” names no entity clearly; write its id or record key")
        ids.append(hits.id[0])
    return ids


def remove(g, case: str, ids: Sequence[str]) -> dict | None:
    """Take targets (entity ids or record keys) out of a case list."""
    _write(g, REMOVE, id=case_id(case), entities=list(ids))
    return get(g, case)


def delete(g, case: str) -> bool:
    return bool(_write(g, DELETE, id=case_id(case))[0]["n"])


def get(g, case: str) -> dict | None:
    """{id, name, description, made_from, created_at, updated_at, targets: DataFrame of
    id, name, kind, record}, or None. `case` is an id or a name."""
    rows = g.read(GET, id=case_id(case))
    if not rows:
        return None
    found = dict(rows[0])
    found["targets"] = pd.DataFrame(found["targets"], columns=["id", "name", "kind", "record"])
    return found


def all_lists(g) -> pd.DataFrame:
    """Every case list: id, name, targets (how many), made_from, description, updated_at."""
    return pd.DataFrame(
        g.read(ALL), columns=["id", "name", "targets", "made_from", "description", "updated_at"]
    )
