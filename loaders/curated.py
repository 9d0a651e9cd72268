"""Curated case data: data/curated/*.yaml (see data/curated/xinjiang.yaml for the layout).

What official lists lack: announcement dates and URLs, roles, designations no list
carries (visa restrictions), and civil-society calls. Curated entries refer to list
records by key ("us-ofac-sdn:29220"), so they attach to the entities the lists describe.
A file that breaks the layout is refused with its line.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

import yaml

from loaders.base import (
    Loader,
    LoadError,
    country_code,
    open_text,
    partial_date,
    require_files,
)
from loaders.records import (
    LINK_TYPES,
    SCHEMAS,
    Announcement,
    Call,
    Item,
    Link,
    Name,
    Record,
    Sanction,
)

DATASET = "curated"
SECTIONS = {"title", "source_url", "records", "roles", "announcements", "calls"}


class CuratedLoader(Loader):
    name = "curated"
    description = "Curated case data (data/curated/*.yaml)"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        files = sorted(path.glob("*.y*ml")) if path.is_dir() else [path]
        return bool(files) and all(_looks_curated(f) for f in files)

    def read(self, paths: Sequence[Path]) -> Iterator[Item]:
        require_files(paths)
        files = sorted(
            p for path in paths for p in (sorted(path.glob("*.y*ml")) if path.is_dir() else [path])
        )
        if not files:
            raise LoadError(paths[0], "no .yaml files here")
        self.describe(DATASET)
        for path in files:
            self.add_file(path)
        for path in files:
            yield from _File(path).items()


def _looks_curated(path: Path) -> bool:
    """A YAML file whose top level has this layout's sections (not, say, programs data)."""
    if path.suffix not in (".yaml", ".yml"):
        return False
    with open(path, encoding="utf-8", errors="replace") as f:
        head = f.read(65536)
    return any(
        line.split(":")[0] in ("records", "announcements", "calls")
        for line in head.splitlines()
        if line and not line[0].isspace()
    )


class _File:
    def __init__(self, path: Path):
        self.path = path
        with open_text(path) as f:
            text = f.read()
        if not text.endswith("\n"):
            # A file cut short can still be valid YAML, with the last value cut too.
            raise LoadError(
                path,
                "the file ends in the middle of a line: it looks cut short "
                "(a complete file ends with a line break)",
                line=text.count("\n") + 1,
            )
        try:
            self.data = yaml.load(text, Loader=_LineLoader)
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            line: int | None
            problem: object
            if isinstance(e, yaml.reader.ReaderError):
                line, problem = text.count("\n", 0, e.position) + 1, str(e).splitlines()[0]
            else:
                line, problem = mark.line + 1 if mark else None, getattr(e, "problem", None) or e
            raise LoadError(path, f"not valid YAML: {' '.join(str(problem).split())}", line=line) from None
        if not isinstance(self.data, dict):
            raise LoadError(path, "expected a mapping with records, roles, announcements, calls")
        unknown = set(self.data) - SECTIONS - {"__line__"}
        if unknown:
            raise LoadError(path, f"unknown section(s): {', '.join(sorted(unknown))}")
        self.title = self.data.get("title")

    def fail(self, entry: dict, message: str) -> NoReturn:
        raise LoadError(self.path, message, line=entry.get("__line__") if isinstance(entry, dict) else None)

    def items(self) -> Iterator[Item]:
        records: dict[str, Record] = {}
        for entry in self._list("records"):
            rec = self._record(entry)
            if rec.record_id in records:
                self.fail(entry, f"record id {rec.record_id!r} appears twice")
            records[rec.record_id] = rec
        yield from records.values()
        for entry in self._list("roles"):
            yield self._role(entry)
        for entry in self._list("announcements"):
            yield self._announcement(entry)
        for entry in self._list("calls"):
            yield self._call(entry)

    def _list(self, section: str) -> list[dict]:
        value = self.data.get(section) or []
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise LoadError(
                self.path, f"{section} must be a list of mappings", line=self.data.get("__line__")
            )
        return value

    @overload
    def _str(self, entry: dict, key: str, required: Literal[True] = True) -> str: ...
    @overload
    def _str(self, entry: dict, key: str, required: Literal[False]) -> str | None: ...
    def _str(self, entry: dict, key: str, required: bool = True) -> str | None:
        value = entry.get(key)
        if value is None or value == "":
            if required:
                self.fail(entry, f"{key} is required")
            return None
        if not isinstance(value, (str, int, float)):
            self.fail(entry, f"{key} must be text")
        return str(value)

    @overload
    def _date(self, entry: dict, key: str, required: Literal[True] = True) -> date: ...
    @overload
    def _date(self, entry: dict, key: str, required: Literal[False]) -> date | None: ...
    def _date(self, entry: dict, key: str, required: bool = True) -> date | None:
        value = entry.get(key)
        if value is None:
            if required:
                self.fail(entry, f"{key} is required (YYYY-MM-DD)")
            return None
        if isinstance(value, date):
            return value
        self.fail(entry, f"{key} must be a date written YYYY-MM-DD, not {value!r}")

    def _strs(self, entry: dict, key: str) -> list[str]:
        value = entry.get(key) or []
        if not isinstance(value, list):
            self.fail(entry, f"{key} must be a list")
        return [str(v) for v in value]

    def _birth_date(self, entry: dict, value: str) -> str:
        found = partial_date(value)
        if not found:
            self.fail(entry, f"birth date {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
        return found

    def _key(self, entry: dict, value: str) -> str:
        if ":" not in value:
            self.fail(entry, f"{value!r} is not a record key (dataset:record id)")
        return value

    def _record(self, entry: dict) -> Record:
        schema = self._str(entry, "schema")
        if schema not in SCHEMAS:
            self.fail(entry, f"schema must be one of {', '.join(SCHEMAS)}, not {schema!r}")
        source_url = self._str(entry, "source_url")
        names, name_sources = self._names(entry)
        rec = Record(
            dataset=DATASET,
            record_id=self._str(entry, "id"),
            schema=schema,
            name=self._str(entry, "name"),
            line=entry.get("__line__"),
            names=[Name(n, "aka") for n in names],
            birth_dates=[self._birth_date(entry, d) for d in self._strs(entry, "birth_dates")],
            positions=self._strs(entry, "positions"),
            same_as=[self._key(entry, k) for k in self._strs(entry, "same_as")],
            extra={"source_url": source_url},
        )
        if name_sources:
            rec.extra["name_sources"] = "\n".join(name_sources)
        for code in self._strs(entry, "countries"):
            country = country_code(code)
            if not country:
                self.fail(entry, f"unknown country {code!r}")
            rec.countries.append(country)
        for s in entry.get("sanctions") or []:
            if not isinstance(s, dict):
                self.fail(entry, "sanctions must be a list of mappings")
            rec.sanctions.append(
                Sanction(
                    jurisdiction=self._str(s, "jurisdiction"),
                    authority=self._str(s, "authority"),
                    program=self._str(s, "program"),
                    announced_on=self._date(s, "announced_on"),
                    listed_on=self._date(s, "listed_on", required=False),
                    reason=self._str(s, "reason", required=False),
                    source_url=self._str(s, "source_url"),
                )
            )
        return rec

    def _names(self, entry: dict) -> tuple[list[str], list[str]]:
        """A record's other names, and where each that says so comes from. A name is text,
        or a mapping {name, source_url, source}: a name no list gives (the XPCC's
        "Bingtuan") says where it is used, `source` saying what kind of source that is.
        The sources become "name — url (source)" lines of the record's extra.name_sources."""
        value = entry.get("names") or []
        if not isinstance(value, list):
            self.fail(entry, "names must be a list")
        names, sources = [], []
        for item in value:
            if isinstance(item, dict):
                name, url = self._str(item, "name"), self._str(item, "source_url")
                what = self._str(item, "source", required=False)
                names.append(name)
                sources.append(f"{name} — {url}" + (f" ({what})" if what else ""))
            elif isinstance(item, (str, int, float)):
                names.append(str(item))
            else:
                self.fail(entry, "a name must be text or a mapping with name and source_url")
        return names, sources

    def _role(self, entry: dict) -> Link:
        link_type = self._str(entry, "type")
        if link_type not in LINK_TYPES:
            self.fail(entry, f"type must be one of {', '.join(LINK_TYPES)}, not {link_type!r}")
        return Link(
            link_type,
            self._key(entry, self._str(entry, "to")),
            external=True,
            subject=self._key(entry, self._str(entry, "from")),
            role=self._str(entry, "role", False),
            since=self._str(entry, "since", False),
            until=self._str(entry, "until", False),
            source_url=self._str(entry, "source_url"),
        )

    def _announcement(self, entry: dict) -> Announcement:
        targets = []
        for t in entry.get("designates") or []:
            if not isinstance(t, dict) or "record" not in t:
                self.fail(entry, "designates must list mappings with a record key")
            targets.append((self._key(entry, str(t["record"])), t.get("program")))
        return Announcement(
            id=self._str(entry, "id"),
            date=self._date(entry, "date"),
            title=self._str(entry, "title"),
            url=self._str(entry, "url"),
            jurisdiction=self._str(entry, "jurisdiction"),
            designates=targets,
        )

    def _call(self, entry: dict) -> Call:
        urges = []
        for u in entry.get("urges") or []:
            if not isinstance(u, dict):
                self.fail(entry, "urges must list mappings of jurisdiction and measure")
            urges.append((self._str(u, "jurisdiction"), self._str(u, "measure")))
        return Call(
            id=self._str(entry, "id"),
            date=self._date(entry, "date"),
            title=self._str(entry, "title"),
            url=self._str(entry, "url", required=False),
            summary=self._str(entry, "summary", required=False),
            urges=urges,
            names=[self._key(entry, k) for k in self._strs(entry, "names")],
            signatories=[self._key(entry, k) for k in self._strs(entry, "signatories")],
            signatory_count=entry.get("signatory_count"),
        )


class _LineLoader(yaml.SafeLoader):
    """Safe YAML that remembers the line of each mapping, for error messages, and names
    the line of a date that does not exist (2021-02-30)."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode):
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as e:
            raise yaml.constructor.ConstructorError(
                None, None, f"{node.value} is not a date ({e})", node.start_mark
            ) from None

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Hashable, Any]:
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _LineLoader.construct_yaml_timestamp)
