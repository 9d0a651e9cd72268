"""What one load has seen and written, key by key, kept on disk rather than in memory.

A load must remember every record and designation of the version it writes: what the
version no longer holds is delisted at the end, what it changed is resolved and
derived again. Kept in Python sets, that state grew with the file
(FtM 1M: +264 MiB while its records were written, +115 MiB of entity ids to derive
again; bench/README.md, stop 35). Kept here, in a private temporary SQLite database
whose page cache is bounded, the loader's memory does not grow with the list.

Its keys come back in key order, as the in-memory sets were sorted before (but the
ends of restated statements, which may repeat).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from collections.abc import Set as AbstractSet

from graph.resolving import batched

#: Keys asked about in one `IN (…)`: well under SQLite's limit of bound parameters.
ASKED = 500

SCHEMA = """
CREATE TABLE record (
    key TEXT PRIMARY KEY,
    -- 1 once the load wrote the record (new, or its content or standing changed)
    changed INTEGER NOT NULL DEFAULT 0,
    -- 1 when the load wrote it; 0 for one only marked changed (also_changed)
    written INTEGER NOT NULL DEFAULT 0,
    -- 1 when it was created with an entity of its own, which is not described again
    -- unless resolution moves it
    described INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE TABLE designation (
    id TEXT PRIMARY KEY,
    written INTEGER NOT NULL DEFAULT 0,
    created_with_record INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
-- the entities whose links and calls the load derives again, and their facts unless
-- only what the dataset states or calls changed about them (facts = 0)
CREATE TABLE touched (id TEXT PRIMARY KEY, facts INTEGER NOT NULL) WITHOUT ROWID;
-- the dataset's statements before the load (side 0) and after it (side 1)
CREATE TABLE statement (
    row TEXT NOT NULL, side INTEGER NOT NULL, a TEXT, b TEXT, PRIMARY KEY (row, side)
) WITHOUT ROWID;
-- the ends of the statements that named their target by name, as found (see restated_keys)
CREATE TABLE named (a TEXT NOT NULL, b TEXT NOT NULL, PRIMARY KEY (a, b)) WITHOUT ROWID;
"""


class Ledger:
    """One load's keys: seen, changed, written, to derive again (see the module's note)."""

    def __init__(self) -> None:
        # An empty name: a private database in a temporary file, deleted when closed.
        # SQLite keeps at most its page cache in memory: 8 MiB, the pages a batch of
        # 2,000 random keys may fall on (647k keys took 8.6 µs each to insert with the
        # default 2 MiB, 5.1 µs with them all in cache).
        self.db = sqlite3.connect("")
        self.db.executescript(
            "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -8192;" + SCHEMA
        )
        #: The records this load wrote (new, or their content or standing changed), and
        #: those it derives and resolves again for another reason (see also_changed).
        self.changed = Keys(self.db, "record", "key", "changed")
        #: Of them, those to describe again: not created with an entity of their own.
        self.to_describe = Keys(self.db, "record", "key", "changed AND NOT described")
        #: The entities whose links and calls the load derives again, and of them those
        #: whose facts too.
        self.touched = Keys(self.db, "touched", "id")
        self.refacted = Keys(self.db, "touched", "id", "facts")
        #: The designations this load wrote, and of them those an announcement may date
        #: (not created with their record).
        self.written_designations = Keys(self.db, "designation", "id", "written")
        self.maybe_announced = Keys(self.db, "designation", "id", "written AND NOT created_with_record")

    def close(self) -> None:
        self.db.close()

    # -- records ---------------------------------------------------------------------

    def see_records(self, keys: list[str]) -> int:
        """Note a batch's record keys; returns how many were seen before (duplicates)."""
        inserted = self.db.executemany("INSERT OR IGNORE INTO record (key) VALUES (?)", ((k,) for k in keys))
        return len(keys) - inserted.rowcount

    def unseen_records(self, keys: Iterable[str]) -> Iterator[str]:
        """The keys among `keys` this load has not seen."""
        return self._missing("record", "key", keys)

    def change(self, written: Iterable[str]) -> None:
        """Records the load wrote."""
        self.db.executemany(
            "UPDATE record SET changed = 1, written = 1 WHERE key = ?", ((k,) for k in sorted(written))
        )

    def described(self, keys: Iterable[str]) -> None:
        """Records created with an entity of their own, facts and all (not to describe again)."""
        self.db.executemany("UPDATE record SET described = 1 WHERE key = ?", ((k,) for k in keys))

    def also_changed(self, keys: Iterable[str]) -> None:
        """The records are to be derived, described and resolved again, their stored
        digest kept (a record another moved onto: what it states did not change)."""
        self.db.executemany(
            "UPDATE record SET changed = 1, described = 0 WHERE key = ?", ((k,) for k in keys)
        )

    def marked_only(self) -> Iterator[str]:
        """The changed records the load did not write (also_changed)."""
        return (key for (key,) in self.db.execute("SELECT key FROM record WHERE changed AND NOT written"))

    def changed_among(self, keys: Iterable[str]) -> set[str]:
        return set(self._present("record", "key", keys, "changed"))

    def created_with_entity(self, keys: Iterable[str]) -> set[str]:
        """Those of `keys` created by this load with an entity of their own (described)."""
        return set(self._present("record", "key", keys, "described"))

    # -- designations ----------------------------------------------------------------

    def see_designations(self, ids: Iterable[str]) -> None:
        self.db.executemany("INSERT OR IGNORE INTO designation (id) VALUES (?)", ((i,) for i in ids))

    def unseen_designations(self, ids: Iterable[str]) -> Iterator[str]:
        return self._missing("designation", "id", ids)

    def wrote_designations(self, ids: Iterable[str], created_with_record: AbstractSet[str]) -> None:
        """The designations the load wrote; those `created_with_record` were new along
        with their record (no announcement can have named them before)."""
        self.db.executemany(
            "UPDATE designation SET written = 1, created_with_record = max(created_with_record, ?) "
            "WHERE id = ?",
            ((int(i in created_with_record), i) for i in ids),
        )

    # -- entities to derive again ------------------------------------------------------

    def touch(self, ids: Iterable[str], facts: bool = True) -> None:
        """Entities to derive again; `facts` False when only their links or calls may
        have changed (what the dataset states or calls about their records)."""
        self.db.executemany(
            "INSERT INTO touched (id, facts) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET facts = max(facts, excluded.facts)",
            ((i, int(facts)) for i in ids),
        )

    # -- the dataset's statements, before and after ----------------------------------

    def note_statements(self, rows: Iterable[list], after: bool) -> None:
        """Rows (from key, to key, the statement's properties) as the graph holds them
        before the load writes the dataset's statements, or after."""
        for batch in batched(rows, 2000):
            self.db.executemany(
                "INSERT OR IGNORE INTO statement VALUES (?, ?, ?, ?)",
                (
                    (json.dumps(row, default=str, ensure_ascii=False), int(after), row[0], row[1])
                    for row in batch
                ),
            )

    def named_targets(self, pairs: Iterable[list[str]]) -> None:
        """The ends (from, to) of statements whose target was found by its name."""
        self.db.executemany("INSERT OR IGNORE INTO named VALUES (?, ?)", (tuple(p) for p in pairs))

    def restated_keys(self) -> Iterator[str]:
        """The records at either end of a statement made before or after, not both (a
        key may come more than once), but for the statements linked directly: made by
        key between two records created with their entities (SourceWriter._link_directly),
        whose link was made with the statement. Looked up row by row: grouping every
        row made SQLite sort them all in memory of its own."""
        once = self.db.execute(
            "SELECT a, b FROM statement s WHERE NOT EXISTS "
            "(SELECT 1 FROM statement t WHERE t.row = s.row AND t.side <> s.side) "
            "AND NOT (s.side = 1 "
            "AND EXISTS (SELECT 1 FROM record r WHERE r.key = s.a AND r.described) "
            "AND EXISTS (SELECT 1 FROM record r WHERE r.key = s.b AND r.described) "
            "AND NOT EXISTS (SELECT 1 FROM named n WHERE n.a = s.a AND n.b = s.b))"
        )
        return (key for ends in once for key in ends)

    # -- helpers -----------------------------------------------------------------------

    def _present(self, table: str, column: str, keys: Iterable[str], where: str = "1") -> Iterator[str]:
        for batch in batched(keys, ASKED):
            marks = ",".join("?" * len(batch))
            query = f"SELECT {column} FROM {table} WHERE {where} AND {column} IN ({marks})"
            yield from (value for (value,) in self.db.execute(query, batch).fetchall())

    def _missing(self, table: str, column: str, keys: Iterable[str]) -> Iterator[str]:
        for batch in batched(keys, ASKED):
            present = set(self._present(table, column, batch))
            yield from (k for k in batch if k not in present)


class Keys:
    """Keys of one of the ledger's tables as a collection to iterate (in key order) and
    ask about, read from the database each time."""

    def __init__(self, db: sqlite3.Connection, table: str, column: str, where: str = "1"):
        self.db = db
        self.all = f"SELECT {column} FROM {table} WHERE {where} ORDER BY {column}"
        self.one = f"SELECT 1 FROM {table} WHERE {where} AND {column} = ?"

    def __iter__(self) -> Iterator[str]:
        return (value for (value,) in self.db.execute(self.all))

    def __contains__(self, key: object) -> bool:
        return self.db.execute(self.one, (key,)).fetchone() is not None
