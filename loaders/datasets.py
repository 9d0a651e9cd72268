"""What each dataset is, read from data/datasets.yaml: a small typed reader.

A dataset is one list as the graph keeps it, named by the id its records carry
(us-ofac-sdn, gb-ofsi, eu-oj-2020-1998 …). Its entry says what the list is (title,
publisher, jurisdiction and authority, full list or extract), where it is published (the
files `python -m graph update` downloads, per format) and how resolution treats it (rank,
resolved upstream, repeats targets). The file's header describes each field.

It lives beside the loaders because they read it (the title and URL of what they read);
graph/ reads it for update, resolution and coverage, the Data page to show it. Loaders
stay free of the database: this module imports nothing of graph/ but its errors and
where the bundled files are (graph/exc.py, graph/bundled.py).

A file that breaks a rule is refused as a whole, with the file and the entry named: a
misspelt field would otherwise pass silently as a default.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from graph.bundled import DATA
from graph.exc import InvalidInput

#: The one place that says where the file is.
DATASETS_PATH = DATA / "datasets.yaml"

SCOPES = ("full", "extract")
#: The rank of a dataset the file does not describe (a renamed copy in bench/resolution.py):
#: after the states' lists, before the curated case and OpenSanctions.
UNKNOWN_RANK = 70


class DatasetsFileError(InvalidInput):
    """data/datasets.yaml breaks a rule; the message names the file and the entry."""


@dataclass(frozen=True)
class File:
    #: The name the file is saved under: the one its loader recognises.
    name: str
    url: str


@dataclass(frozen=True)
class Download:
    """One format a list is published in."""

    #: The loader of the format (`python -m graph load KIND`).
    loader: str
    #: The first file is the one given to the loader; the others lie beside it.
    files: tuple[File, ...]
    #: Names the folder `update` saves the files in, and its outcome.
    name: str
    #: Whether `python -m graph update` fetches it (else only its URL is used).
    update: bool = True

    @property
    def url(self) -> str:
        return self.files[0].url

    def url_of(self, name: str) -> str | None:
        """The URL of the file saved as `name`, if it is one of this download's."""
        return next((f.url for f in self.files if f.name == name), None)


@dataclass(frozen=True)
class Dataset:
    #: The dataset id, or a family of them: an id ending in * (eu-oj-*).
    id: str
    title: str
    publisher: str
    #: "full" or "extract" (SCOPES).
    scope: str
    covers: str
    rank: int
    #: graph/model.yaml keys; None when each record says its own (OpenSanctions, curated).
    jurisdiction: str | None = None
    authority: str | None = None
    full_at_least: int = 0
    resolved_upstream: bool = False
    repeats_targets: bool = False
    leaves_out_un: bool = False
    #: Program family → where the state lists its targets of that family instead, in a
    #: list not loaded (Canada's terrorist entities: the Criminal Code's list): the
    #: list's silence on a target designated under that family says nothing.
    leaves_out_families: tuple[tuple[str, str], ...] = ()
    #: An extract that is the whole of one regime's list (the annex of one EU regulation):
    #: complete for the programs its records are under.
    whole_regime: bool = False
    page: str | None = None
    downloads: tuple[Download, ...] = ()

    @property
    def family(self) -> bool:
        return self.id.endswith("*")

    def matches(self, dataset: str) -> bool:
        return fnmatch.fnmatchcase(dataset, self.id) if self.family else dataset == self.id

    def download(self, loader: str) -> Download | None:
        """How the list is published in the format of `loader`, if it is."""
        return next((d for d in self.downloads if d.loader == loader), None)

    @property
    def designated_by(self) -> tuple[str, str]:
        """The jurisdiction and authority of the designations the list records."""
        if not (self.jurisdiction and self.authority):
            raise DatasetsFileError(
                f"{DATASETS_PATH}: dataset {self.id}: names no jurisdiction and "
                "authority, but its loader needs them"
            )
        return self.jurisdiction, self.authority


#: The fields of an entry and their types; the first six are required.
_FIELDS: dict[str, type] = {
    "title": str,
    "publisher": str,
    "scope": str,
    "covers": str,
    "rank": int,
    "jurisdiction": str,
    "authority": str,
    "full_at_least": int,
    "resolved_upstream": bool,
    "repeats_targets": bool,
    "leaves_out_un": bool,
    "leaves_out_families": dict,
    "whole_regime": bool,
    "page": str,
    "downloads": list,
}
_REQUIRED = ("title", "publisher", "scope", "covers", "rank")
_DOWNLOAD_FIELDS: dict[str, type] = {"loader": str, "files": dict, "name": str, "update": bool}
#: Makes the error for one problem, naming the file and the entry.
_Fail = Callable[[str], DatasetsFileError]


@cache
def datasets() -> dict[str, Dataset]:
    """Every entry of data/datasets.yaml by id, in the order of the file (update's order)."""
    return read(DATASETS_PATH)


@cache
def find_dataset(dataset: str) -> Dataset | None:
    """The entry that describes `dataset`: its own, else its family's; None if none does."""
    entries = datasets()
    return entries.get(dataset) or next((d for d in entries.values() if d.matches(dataset)), None)


def read(path: Path) -> dict[str, Dataset]:
    """The entries of a datasets file; DatasetsFileError names what is wrong and where."""
    try:
        spec = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeys)
    except (OSError, yaml.YAMLError) as e:
        raise DatasetsFileError(f"{path}: {e}") from None
    if not isinstance(spec, dict) or not spec:
        raise DatasetsFileError(f"{path}: expected a mapping of dataset ids to their entries")
    found = {str(key): _entry(path, str(key), value) for key, value in spec.items()}
    _check_together(path, found)
    return found


def _entry(path: Path, id: str, spec: Any) -> Dataset:
    def fail(problem: str) -> DatasetsFileError:
        return DatasetsFileError(f"{path}: dataset {id}: {problem}")

    if "*" in id.removesuffix("*"):
        raise fail("a * may only end an id (a family of datasets, one per file)")
    if not isinstance(spec, dict):
        raise fail("expected a mapping of fields")
    _check_fields(spec, _FIELDS, _REQUIRED, fail)
    if spec["scope"] not in SCOPES:
        raise fail(f"scope is {spec['scope']!r}, not one of {', '.join(SCOPES)}")
    if "full_at_least" in spec and spec["scope"] != "full":
        raise fail("full_at_least is for a full list only")
    if ("jurisdiction" in spec) != ("authority" in spec):
        raise fail("give jurisdiction and authority together, or neither")
    downloads = tuple(_download(id, i, d, fail) for i, d in enumerate(spec.get("downloads", []), 1))
    if downloads and id.endswith("*"):
        raise fail("a family of datasets has no downloads of its own")
    if any(d.update for d in downloads) and "jurisdiction" not in spec:
        raise fail("update selects lists by jurisdiction: give the jurisdiction")
    for family, where in spec.get("leaves_out_families", {}).items():
        if not isinstance(family, str) or not isinstance(where, str) or not where.strip():
            raise fail(
                f"leaves_out_families: {family!r}: expected a program family and where its targets are listed"
            )
    loaders = [d.loader for d in downloads]
    if len(loaders) != len(set(loaders)):
        raise fail("two downloads of one loader: a loader could not tell which URL is its own")
    left_out = tuple(spec.get("leaves_out_families", {}).items())
    return Dataset(id=id, **{**spec, "downloads": downloads, "leaves_out_families": left_out})


def _download(id: str, number: int, spec: Any, fail: _Fail) -> Download:
    def failed(problem: str) -> DatasetsFileError:
        return fail(f"download {number}: {problem}")

    if not isinstance(spec, dict):
        raise failed("expected a mapping of loader, files and optionally name and update")
    _check_fields(spec, _DOWNLOAD_FIELDS, ("loader", "files"), failed)
    files = spec["files"]
    if not files:
        raise failed("files is empty")
    for name, url in files.items():
        if (
            not isinstance(name, str)
            or "/" in name
            or not isinstance(url, str)
            or not url.startswith("https://")
        ):
            raise failed(f"file {name!r}: expected a file name and its https:// URL")
    return Download(
        loader=spec["loader"],
        files=tuple(File(n, u) for n, u in files.items()),
        name=spec.get("name", id),
        update=spec.get("update", True),
    )


def _check_fields(spec: dict, types: dict[str, type], required: tuple[str, ...], fail: _Fail) -> None:
    unknown = sorted(set(map(str, spec)) - set(types))
    if unknown:
        raise fail(f"unknown field {', '.join(unknown)}; the fields are {', '.join(types)}")
    missing = [k for k in required if k not in spec]
    if missing:
        raise fail(f"missing {', '.join(missing)}")
    for key, value in spec.items():
        # bool is an int to Python, not to this file: rank: true is a mistake.
        if not isinstance(value, types[key]) or (types[key] is int and isinstance(value, bool)):
            raise fail(f"{key} is {value!r}: expected {types[key].__name__}")
        if isinstance(value, str) and not value.strip():  # a str field (none takes a wider type)
            raise fail(f"{key} is empty")


def _check_together(path: Path, found: dict[str, Dataset]) -> None:
    """What no single entry shows: ids two entries claim, download folders and saved file
    names that would collide (`update` saves and, from SANCT_UPDATE_BASE_URL, fetches files
    by name)."""
    for entry in found.values():
        for other in found.values():
            if other is not entry and not other.family and entry.family and entry.matches(other.id):
                raise DatasetsFileError(f"{path}: dataset {other.id}: also in the family {entry.id}")
    seen: dict[str, str] = {}
    for entry in found.values():
        for d in entry.downloads:
            if not d.update:
                continue
            for key in [f"folder {d.name}", *(f"file {f.name}" for f in d.files)]:
                if key in seen:
                    raise DatasetsFileError(f"{path}: dataset {entry.id}: {key} is also {seen[key]}'s")
                seen[key] = entry.id


class _UniqueKeys(yaml.SafeLoader):
    """A YAML loader that refuses a key given twice (PyYAML keeps the last, silently)."""


def _no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict:
    keys = [loader.construct_object(k, deep=True) for k, _ in node.value]
    for i, key in enumerate(keys):
        if key in keys[:i]:
            raise yaml.constructor.ConstructorError(
                None, None, f"{key!r} is given twice", node.value[i][0].start_mark
            )
    return loader.construct_mapping(node, deep=True)


_UniqueKeys.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)
