"""A small typed interpreter of the model kept as data: graph/model.yaml (every node
label, relationship type and property, jurisdictions, authorities) and data/programs/
(families, and the programs of each jurisdiction, one file each).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TypedDict

from graph import bundled
from graph.exc import InvalidInput

MODEL_PATH = bundled.MODEL
PROGRAMS_DIR = bundled.PROGRAMS

#: The types a property may have; `[type]` in model.yaml is a list of them.
PROPERTY_TYPES = ("string", "integer", "float", "boolean", "date", "datetime")


@dataclass(frozen=True)
class Property:
    name: str
    type: str
    #: A list of values of `type`.
    many: bool = False

    @classmethod
    def parse(cls, name: str, written: object, where: str) -> Property:
        many = isinstance(written, list)
        base = written[0] if isinstance(written, list) and len(written) == 1 else written
        if base not in PROPERTY_TYPES:
            raise ValueError(
                f"{where}: property {name} has type {written!r}; write one of "
                f"{', '.join(PROPERTY_TYPES)}, or [type] for a list"
            )
        return cls(name, str(base), many)


@dataclass(frozen=True)
class NodeType:
    label: str
    #: The property that identifies a node: unique, by a constraint.
    key: str
    properties: dict[str, Property]
    caption: str | None = None
    description: str = ""
    #: Labels a node carries beside its own (an Entity is also a Person, …).
    kinds: tuple[str, ...] = ()
    #: Range indexes, each on one property or, as a tuple of several, a composite one.
    indexes: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class RelationshipType:
    type: str
    start: str
    end: str
    properties: dict[str, Property]
    description: str = ""
    indexes: tuple[str, ...] = ()


def _properties(spec: dict, where: str) -> dict[str, Property]:
    return {
        name: Property.parse(name, written, where) for name, written in (spec.get("properties") or {}).items()
    }


def _node(label: str, spec: dict, source: str) -> NodeType:
    where = f"{source}: node {label}"
    node = NodeType(
        label=label,
        key=spec["key"],
        properties=_properties(spec, where),
        caption=spec.get("caption"),
        description=spec.get("description", ""),
        kinds=tuple(spec.get("kinds", ())),
        indexes=tuple(tuple(i) if isinstance(i, list) else (i,) for i in spec.get("indexes", ())),
    )
    named = [node.key, *([node.caption] if node.caption else []), *(p for i in node.indexes for p in i)]
    for prop in named:
        if prop not in node.properties:
            raise ValueError(f"{where}: {prop} is a key, caption or index but not a property")
    return node


def _relationship(type_: str, spec: dict, labels: set[str], source: str) -> RelationshipType:
    where = f"{source}: relationship {type_}"
    rel = RelationshipType(
        type=type_,
        start=spec["from"],
        end=spec["to"],
        properties=_properties(spec, where),
        description=spec.get("description", ""),
        indexes=tuple(spec.get("indexes", ())),
    )
    for label in (rel.start, rel.end):
        if label not in labels:
            raise ValueError(f"{where}: {label} is not a node label of the model")
    for prop in rel.indexes:
        if prop not in rel.properties:
            raise ValueError(f"{where}: {prop} is an index but not a property")
    return rel


#: The UN Security Council's jurisdiction code (model.yaml's jurisdictions).
UN = "UN"


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
    #: The day its regulations came into force, where a list's dates may reach further
    #: back (OFSI's "Listed On" is the day its list first held the target, under any
    #: regime): no designation under it is older.
    in_force_from: date | None = None
    #: The UN Security Council regime whose listings it applies under the state's own
    #: law (Australia's "2713 (Al-Shabaab)"): a target designated under it is one the UN
    #: lists, by that state's list.
    implements: str | None = None


class Model:
    """The graph model: what graph/store.py creates and graph/client.py reads."""

    def __init__(self, model_path: Path = MODEL_PATH, programs_dir: Path = PROGRAMS_DIR):
        spec = bundled.read_yaml(model_path)
        self.nodes: dict[str, NodeType] = {
            label: _node(label, s, model_path.name) for label, s in spec["nodes"].items()
        }
        #: Entity-to-entity relationship types: the types of the links lists state.
        self.links: list[str] = spec["links"]["types"]
        link = {**spec["links"], "from": "Entity", "to": "Entity"}
        declared = {**spec["relationships"], **{t: link for t in self.links}}
        self.relationships: dict[str, RelationshipType] = {
            t: _relationship(t, s, set(self.nodes), model_path.name) for t, s in declared.items()
        }
        self.entity_kinds: list[str] = list(self.nodes["Entity"].kinds)
        self.jurisdictions: dict[str, str] = spec["jurisdictions"]
        self.authorities: dict[str, AuthoritySpec] = spec["authorities"]

        families = bundled.read_yaml(programs_dir / "families.yaml")
        self.families: dict[str, str] = {k: v["label"] for k, v in families["families"].items()}
        self.programs: dict[str, Program] = {}
        self._written: dict[tuple[str, str], Program] = {}
        self._asked: dict[tuple[str, str, str | None], Program] = {}
        for path in sorted(programs_dir.glob("*.yaml")):
            if path.name != "families.yaml":
                self._add_programs(path)
        for program in self.programs.values():
            implemented = self.programs.get(program.implements or "")
            if program.implements and (implemented is None or implemented.jurisdiction != UN):
                raise InvalidInput(
                    f"{programs_dir}: program {program.id} implements {program.implements!r}, "
                    "which is no UN Security Council program"
                )
        #: Other states' programs that apply a UN regime's listings (`implements`): a
        #: designation under one says, as the UN's own does, that the UN lists the target.
        self.implementing_un: frozenset[str] = frozenset(p.id for p in self.programs.values() if p.implements)

    def _add_programs(self, path: Path) -> None:
        for entry in bundled.read_yaml(path)["programs"]:
            written = entry.pop("written", [])
            program = Program(**entry)
            if program.family not in self.families:
                raise InvalidInput(f"{path}: program {program.id} has unknown family {program.family!r}")
            if program.id in self.programs:
                raise InvalidInput(f"{path}: program {program.id} appears twice")
            self.programs[program.id] = program
            for text in [program.id, program.code, program.name, *written]:
                self._written[(program.jurisdiction, _norm(text))] = program

    def program(self, jurisdiction: str, written: str, authority: str | None = None) -> Program:
        """The program a list means by `written`; an unknown one gets an unclassified id.
        Asked once a designation, answered once a program (a list of 20,000 entries
        names a few dozen)."""
        asked = (jurisdiction, written, authority)
        if (known := self._asked.get(asked)) is None:
            known = self._asked[asked] = self._program(jurisdiction, written, authority)
        return known

    def compared_programs(
        self,
        jurisdictions: Sequence[str],
        family: str | None = None,
        program: str | None = None,
        include_country_regimes: bool = False,
    ) -> dict[str, list[str]] | None:
        """The programs of each jurisdiction a comparison by `family` (or by `program`'s
        family) counts, country regimes too with `include_country_regimes`; None when it
        is by no family: every measure counts."""
        chosen = self.programs.get(program) if program else None
        wanted = family or (chosen.family if chosen else None)
        if wanted is None:
            return None
        families = {wanted, "country"} if include_country_regimes else {wanted}
        return {
            j: [p.id for p in self.programs.values() if p.jurisdiction == j and p.family in families]
            for j in jurisdictions
        }

    def counts(
        self,
        program_id: str | None,
        program_family: str | None,
        jurisdiction: str,
        family: str | None = None,
        program: str | None = None,
        include_country_regimes: bool = False,
    ) -> bool:
        """Whether a designation by `jurisdiction` under `program_id` (of `program_family`)
        counts in a comparison by `family` (country regimes too with
        `include_country_regimes`) or by `program` (its jurisdiction's designations only
        under it, the others' under any program, or the family's with one): the filter of
        queries/_designations.cypher, which the gap matrix applies in the graph, for
        designations read whole (a briefing on targets given by id, call or case list
        shows the others as outside the programs compared). A test holds the two equal."""
        if family is not None and not (
            program_family == family
            or (program is not None and program_id == program)
            or (include_country_regimes and program_family == "country")
        ):
            return False
        chosen = self.programs.get(program) if program else None
        return chosen is None or program_id == program or chosen.jurisdiction != jurisdiction

    def same_program(self, jurisdiction: str, one: str, other: str) -> bool:
        """Whether two spellings name one program: a list that writes a program anew
        (OFAC's BELARUS-EO, BELARUS-EO14038 from 2021-08-20) has not ended it. What is
        a spelling of what is data/programs/' `written`."""
        return self.program(jurisdiction, one).id == self.program(jurisdiction, other).id

    def _program(self, jurisdiction: str, written: str, authority: str | None) -> Program:
        jurisdiction = jurisdiction.upper()
        found = self._written.get((jurisdiction, _norm(written)))
        if found:
            return found
        code = re.sub(r"[^A-Za-z0-9]+", "-", written.strip()).strip("-").upper()[:60] or "UNKNOWN"
        code = code.removeprefix(f"{jurisdiction}-")  # FtM program ids start with it: AU-RUSSIA
        return Program(
            id=f"{jurisdiction}-{code}",
            jurisdiction=jurisdiction,
            authority=authority or f"{jurisdiction}-UNKNOWN",
            code=written.strip(),
            name=written.strip(),
            family="unclassified",
        )

    @property
    def labels(self) -> list[str]:
        """Every node label: the nodes' own and their kinds."""
        return [*self.nodes, *(k for n in self.nodes.values() for k in n.kinds)]

    @property
    def property_names(self) -> set[str]:
        """Every property name of any node or relationship."""
        return {p for node in self.nodes.values() for p in node.properties} | {
            p for relationship in self.relationships.values() for p in relationship.properties
        }

    def properties(self, label: str) -> dict[str, Property]:
        """The properties of nodes of `label` (a kind has its node's) or of relationships
        of type `label`."""
        if label in self.relationships:
            return self.relationships[label].properties
        for node in self.nodes.values():
            if label == node.label or label in node.kinds:
                return node.properties
        raise KeyError(f"{label} is neither a node label nor a relationship type of the model")

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
