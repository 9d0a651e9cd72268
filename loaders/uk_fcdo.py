"""The FCDO "UK Sanctions List" XML: one <Designation> per target under <Designations>,
with <DateGenerated> (dd/mm/yyyy) as the list date.

The key is UniqueID (GHR0075), the "UK Sanctions List Ref" the OFSI list also carries;
OFSIGroupID is the OFSI list's Group ID and UNReferenceNumber the UN's reference, so
both are kept as same_as. RegimeName is the regulation's full title ("The Global Human
Rights Sanctions Regulations 2020"), which data/programs/gb.yaml maps to the same program
as the OFSI list's short regime name. Names join Name1…Name6 in order (given names, then
the family name), as the OFSI loader does. ParentCompany and Subsidiary name other
entries: they become OWNS links found by name in this list. Every other leaf element is
kept in `extra` under its tag; those about the measure (DesignationSource,
SanctionsImposed, the SanctionsImposedIndicators) go on the Sanction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from loaders.base import (
    Loader,
    LoadError,
    clean,
    country_code,
    full_date,
    iterparse,
    one_file,
    partial_date,
    release,
)
from loaders.records import Link, Name, Record, Sanction
from loaders.uk_ofsi import without_placeholders

DATASET = "gb-fcdo"
SCHEMAS = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}
NAME_KINDS = {"primary name": "primary", "primary name variation": "variation", "alias": "aka"}
STRENGTH = {"good quality a.k.a": "strong", "low quality a.k.a": "weak"}
NAME_PARTS = ("Name1", "Name2", "Name3", "Name4", "Name5", "Name6")
ADDRESS_PARTS = (
    "AddressLine1",
    "AddressLine2",
    "AddressLine3",
    "AddressLine4",
    "AddressLine5",
    "AddressLine6",
    "AddressPostalCode",
    "AddressCountry",
)
#: Leaves read into the Record's own fields; every other leaf is kept in `extra`.
READ = {
    "UniqueID",
    "OFSIGroupID",
    "UNReferenceNumber",
    "DateDesignated",
    "RegimeName",
    "IndividualEntityShip",
    "UKStatementofReasons",
    *NAME_PARTS,
    "NameType",
    "AliasStrength",
    "NameNonLatinScript",
    "NonLatinScriptType",
    "NonLatinScriptLanguage",
    *ADDRESS_PARTS,
    "DOB",
    "Nationality",
    "Gender",
    "Position",
    "PassportNumber",
    "PassportAdditionalInformation",
    "NationalIdentifierNumber",
    "NationalIdentifierAdditionalInformation",
    "TownOfBirth",
    "CountryOfBirth",
    "ParentCompany",
    "Subsidiary",
    "IMONumber",
    "BusinessRegistrationNumber",
}
#: Leaves about the measure rather than the target: kept on the Sanction.
MEASURE = {"LastUpdated", "DesignationSource", "SanctionsImposed"}


class FcdoXmlLoader(Loader):
    name = "uk-fcdo-xml"
    description = "FCDO UK Sanctions List, XML (UK-Sanctions-List.xml)"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        if not path.is_file() or path.suffix.lower() != ".xml":
            return False
        with open(path, "rb") as f:
            head = f.read(4096)
        return b"<Designations" in head and b"<UniqueID>" in head

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "the one UK Sanctions List XML file")
        self.describe(DATASET)
        self.add_file(path)
        first_line: dict[str, int | None] = {}
        for tag, elem in iterparse(path, tags=("DateGenerated", "Designation")):
            if tag == "DateGenerated":
                self.meta.published_on = full_date(clean(elem.text))
                self.meta.published_from = "file" if self.meta.published_on else None
                continue
            rec = self._record(path, elem)
            if rec.record_id in first_line:
                raise LoadError(
                    path,
                    f"UniqueID {rec.record_id} appears twice (first at line {first_line[rec.record_id]})",
                    line=rec.line,
                    record=rec.record_id,
                )
            first_line[rec.record_id] = rec.line
            release(elem)
            yield rec
        self.date_from_name(path)

    def _record(self, path: Path, elem: etree._Element) -> Record:
        line = elem.sourceline
        unique_id = _text(elem, "UniqueID")
        if not unique_id:
            raise LoadError(path, "a Designation without UniqueID", line=line)
        names = _names(elem)
        if not names:
            raise LoadError(path, "the designation has no name", line=line, record=unique_id)
        kind = (_text(elem, "IndividualEntityShip") or "").lower()
        if kind not in SCHEMAS:
            self.warn(path, line, f"{unique_id}: unknown IndividualEntityShip {kind!r}")
        rec = Record(
            dataset=self.meta.dataset,
            record_id=unique_id,
            schema=SCHEMAS.get(kind, "Organization"),
            name=names[0].value,
            names=names[1:],
            line=line,
            refs=[f"gb-ref:{unique_id}"],
        )
        if group := _text(elem, "OFSIGroupID"):
            rec.same_as.append(f"ofsi-group:{group}")
        if un := _text(elem, "UNReferenceNumber"):
            rec.same_as.append(f"un:{un}")

        for address in _all(elem, "Address"):
            parts = [v for p in ADDRESS_PARTS if (v := _text(address, p))]
            _add(rec.addresses, [", ".join(parts)] if parts else [])
            if code := country_code(_text(address, "AddressCountry")):
                _add(rec.countries, [code])
        for dob in _texts(elem, "DOB"):
            if found := partial_date(without_placeholders(dob)):
                _add(rec.birth_dates, [found])
            else:
                self.warn(path, line, f"{unique_id}: unreadable DOB {dob!r}")
        for nationality in _texts(elem, "Nationality"):
            _add(rec.nationalities, [country_code(nationality) or nationality])
        rec.gender = next((g.lower() for g in _texts(elem, "Gender")), None)
        _add(rec.positions, _texts(elem, "Position"))
        for place in _all(elem, "Location"):
            _add(
                rec.birth_places,
                [", ".join(p for p in (_text(place, "TownOfBirth"), _text(place, "CountryOfBirth")) if p)],
            )
        for passport in _all(elem, "Passport"):
            _add(
                rec.identifiers,
                [_document("Passport", passport, "PassportNumber", "PassportAdditionalInformation")],
            )
        for national_id in _all(elem, "NationalIdentifier"):
            _add(
                rec.identifiers,
                [
                    _document(
                        "National ID",
                        national_id,
                        "NationalIdentifierNumber",
                        "NationalIdentifierAdditionalInformation",
                    )
                ],
            )
        _add(rec.identifiers, [f"IMO {imo.removeprefix('IMO').strip()}" for imo in _texts(elem, "IMONumber")])
        _add(rec.identifiers, _texts(elem, "BusinessRegistrationNumber"))
        for parent in _texts(elem, "ParentCompany"):
            rec.links.append(Link("OWNS", parent, by_name=True, reverse=True, role="parent company"))
        for subsidiary in _texts(elem, "Subsidiary"):
            rec.links.append(Link("OWNS", subsidiary, by_name=True, role="subsidiary"))

        measure: dict[str, str] = {}
        for leaf in elem.iter():
            if len(leaf) or not isinstance(leaf.tag, str) or not (value := clean(leaf.text)):
                continue
            tag = etree.QName(leaf).localname
            if tag in READ:
                continue
            kept = (
                measure
                if tag in MEASURE or leaf.getparent().tag == "SanctionsImposedIndicators"
                else rec.extra
            )
            if tag not in kept:
                kept[tag] = value
            elif value not in kept[tag].split("; "):
                kept[tag] += f"; {value}"

        regime = _text(elem, "RegimeName")
        if not regime:
            raise LoadError(path, "the designation names no RegimeName", line=line, record=unique_id)
        rec.sanctions.append(
            Sanction(
                *self.described.designated_by,
                regime,
                listed_on=full_date(_text(elem, "DateDesignated")),
                reason=_text(elem, "UKStatementofReasons"),
                extra=measure,
            )
        )
        return rec


def _names(elem: etree._Element) -> list[Name]:
    """Primary name first, each spelling once; non-Latin names after the Latin ones."""
    found: list[Name] = []
    for name in _all(elem, "Name"):
        full = " ".join(v for p in NAME_PARTS if (v := _text(name, p)))
        if full:
            found.append(
                Name(
                    full,
                    NAME_KINDS.get((_text(name, "NameType") or "").lower(), "aka"),
                    STRENGTH.get((_text(name, "AliasStrength") or "").lower()),
                )
            )
    for name in _all(elem, "NonLatinName"):
        if script := _text(name, "NameNonLatinScript"):
            found.append(
                Name(
                    script,
                    "variation",
                    lang=_text(name, "NonLatinScriptLanguage") or _text(name, "NonLatinScriptType"),
                )
            )
    found.sort(key=lambda n: n.kind != "primary")
    unique: dict[str, Name] = {}
    for name in found:
        unique.setdefault(name.value, name)
    return list(unique.values())


def _document(kind: str, elem: etree._Element, number_tag: str, details_tag: str) -> str:
    number, details = _text(elem, number_tag), _text(elem, details_tag)
    return " ".join(p for p in (kind, number) if p) + (f" ({details})" if details else "")


def _all(elem: etree._Element, tag: str) -> list[etree._Element]:
    return [e for e in elem.iter() if isinstance(e.tag, str) and etree.QName(e).localname == tag]


def _texts(elem: etree._Element, tag: str) -> list[str]:
    return [v for e in _all(elem, tag) if (v := clean(e.text))]


def _text(elem: etree._Element, tag: str) -> str | None:
    return next(iter(_texts(elem, tag)), None)


def _add(target: list[str], values: list[str]) -> None:
    for value in values:
        if value and value not in target:
            target.append(value)
