"""A small typed interpreter of the model kept as data: graph/model.yaml (labels,
relationships, jurisdictions, authorities) and data/programs/ (families, and the programs
of each jurisdiction, one file each).
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TypedDict

import yaml

from graph import bundled
from graph.exc import InvalidInput

MODEL_PATH = bundled.MODEL
PROGRAMS_DIR = bundled.PROGRAMS


class NodeSpec(TypedDict, total=False):
    key: str
    caption: str
    description: str
    kinds: list[str]
    indexes: list[str]


class AuthoritySpec(TypedDict):
    name: str
    jurisdiction: str


@dataclass(frozen=True)
class Program:
    id: str
    jurisdiction: str
    authority: str
    code: str
    name: str
    family: str
    legal_basis: str | None = None
    #: Why the program is in its family when its name does not say so (data/programs/).
    family_grounds: str | None = None


class Model:
    """The graph model: what graph/store.py creates and graph/client.py reads."""

    def __init__(self, model_path: Path = MODEL_PATH, programs_dir: Path = PROGRAMS_DIR):
        spec = yaml.safe_load(model_path.read_text(encoding="utf-8"))
        self.nodes: dict[str, NodeSpec] = spec["nodes"]
        self.relationships: dict[str, str] = spec["relationships"]
        self.links: list[str] = spec["links"]
        self.entity_kinds: list[str] = spec["nodes"]["Entity"]["kinds"]
        self.jurisdictions: dict[str, str] = spec["jurisdictions"]
        self.authorities: dict[str, AuthoritySpec] = spec["authorities"]
        self.datasets: dict[str, dict] = spec["datasets"]

        families = yaml.safe_load((programs_dir / "families.yaml").read_text(encoding="utf-8"))
        self.families: dict[str, str] = {k: v["label"] for k, v in families["families"].items()}
        self.programs: dict[str, Program] = {}
        self._written: dict[tuple[str, str], Program] = {}
        for path in sorted(programs_dir.glob("*.yaml")):
            if path.name != "families.yaml":
                self._add_programs(path)

    def _add_programs(self, path: Path) -> None:
        for entry in yaml.safe_load(path.read_text(encoding="utf-8"))["programs"]:
            written = entry.pop("written", [])
            program = Program(**entry)
            if program.family not in self.families:
                raise InvalidInput(f"{path}: program {program.id} has unknown family {program.family!r}")
            if program.id in self.programs:
                raise InvalidInput(f"{path}: program {program.id} appears twice")
            self.programs[program.id] = program
            for text in [program.id, program.code, program.name, *written]:
                self._written[(program.jurisdiction, _norm(text))] = program

    def dataset(self, dataset: str) -> dict:
        """What model.yaml says a dataset is (jurisdiction, scope, covers); an unknown one
        is an extract of no jurisdiction, so it never stands for a whole list."""
        for pattern, spec in self.datasets.items():
            if fnmatch.fnmatchcase(dataset, pattern):
                return spec
        return {"scope": "extract", "covers": dataset}

    def program(self, jurisdiction: str, written: str, authority: str | None = None) -> Program:
        """The program a list means by `written`; an unknown one gets an unclassified id."""
        jurisdiction = jurisdiction.upper()
        found = self._written.get((jurisdiction, _norm(written)))
        if found:
            return found
        code = re.sub(r"[^A-Za-z0-9]+", "-", written.strip()).strip("-").upper()[:60] or "UNKNOWN"
        code = code.removeprefix(f"{jurisdiction}-")  # FtM program ids start with it: AU-RUSSIA
        return Program(
            id=f"{jurisdiction}-{code}", jurisdiction=jurisdiction,
            authority=authority or f"{jurisdiction}-UNKNOWN", code=written.strip(),
            name=written.strip(), family="unclassified",
        )

    def authority_name(self, key: str) -> str:
        spec = self.authorities.get(key)
        return spec["name"] if spec else key

    def jurisdiction_name(self, code: str) -> str:
        return self.jurisdictions.get(code, code)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


@cache
def model() -> Model:
    return Model()
