"""OFAC's SDN.XML layout (root `sdnList`): SDN.XML for the SDN list, CONSOLIDATED.XML
for the non-SDN consolidated list.

`<publshInformation>` (sic) gives Publish_Date (MM/DD/YYYY) and Record_Count; then one
`<sdnEntry>` per entry, keyed by `uid` (the CSV's ent_num). Unlike the CSV set, the facts
are elements: akas graded strong/weak, addresses, dates and places of birth,
nationalities, citizenships, and an idList whose idType also carries facts that are not
identifiers (Gender, Website, directive determinations, CMIC listing dates). Relationships
stay text: "(Linked To: NAME)" in remarks. The namespace changes with the vintage, so
elements are matched by local name.

The file does not say which list it holds: its name does, as OFAC publishes it
(SDN.XML, CONSOLIDATED.XML; a name with "cons" is the consolidated list).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path

from lxml import etree

from loaders.base import (
    Loader,
    LoadError,
    add_new,
    approximate,
    child_text,
    children,
    country_code,
    iterparse,
    one_file,
    release,
    xml_root,
)
from loaders.ofac_csv import ALIAS_KINDS, SCHEMAS, _dob, _phrases
from loaders.records import Link, Name, Record, Sanction

#: vesselInfo children under the names the CSV loader gives the same fields.
VESSEL_FIELDS = {
    "callSign": "call_sign",
    "vesselType": "vessel_type",
    "tonnage": "tonnage",
    "grossRegisteredTonnage": "grt",
    "vesselFlag": "vessel_flag",
    "vesselOwner": "vessel_owner",
}
#: idTypes that state a fact about the entry, not a document or register number: kept in
#: extra under their idType. Gender and Nationality of Registration fill fields instead.
_FACT_TYPES = re.compile(
    r"Date|Directive|Secondary sanctions risk|Target Type|Organization Type|"
    r"Information|Issuer Name|Website|Email Address|Nationality of Registration",
    re.IGNORECASE,
)
_LINKED_TO = re.compile(r"\(?Linked To: (.+?)\)?")


class OfacXmlLoader(Loader):
    name = "ofac-sdn-xml"
    description = "OFAC SDN.XML layout (SDN.XML, or CONSOLIDATED.XML for the non-SDN list)"
    datasets = ("us-ofac-sdn", "us-ofac-cons")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return xml_root(path) == "sdnList"

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "one SDN.XML-layout file")
        self.describe("us-ofac-cons" if "cons" in path.name.lower() else "us-ofac-sdn")
        self.add_file(path)
        stated, found = None, 0
        for tag, elem in iterparse(path, ("publshInformation", "sdnEntry")):
            if tag == "publshInformation":
                stated = self._header(path, elem)
            else:
                found += 1
                yield self._record(path, elem)
                release(elem)
        if stated is not None and stated != found:
            self.warn(path, None, f"Record_Count says {stated} entries, the file holds {found}")
        self.date_from_name(path)

    def _header(self, path: Path, header: etree._Element) -> int | None:
        published = child_text(header, "Publish_Date")
        try:
            self.meta.published_on = datetime.strptime(published or "", "%m/%d/%Y").date()
            self.meta.published_from = "file"
        except ValueError:
            self.warn(path, header.sourceline, f"unreadable Publish_Date {published!r}")
        count = child_text(header, "Record_Count")
        return int(count) if count and count.isdigit() else None

    def _record(self, path: Path, entry: etree._Element) -> Record:
        uid, line = child_text(entry, "uid"), entry.sourceline
        if not uid or not uid.isdigit():
            raise LoadError(path, f"uid must be a number, found {uid!r}", line=line)
        name = _name(entry)
        if not name:
            raise LoadError(path, "the entry has no name", line=line, record=uid)
        rec = Record(
            dataset=self.meta.dataset,
            record_id=uid,
            name=name,
            line=line,
            schema=SCHEMAS.get((child_text(entry, "sdnType") or "").lower(), "Organization"),
            refs=[f"ofac:{uid}"],
        )
        if title := child_text(entry, "title"):
            rec.positions.append(title)
        for programs in children(entry, "programList"):
            rec.sanctions += [
                Sanction(*self.described.designated_by, code)
                for code in (child.text.strip() for child in children(programs, "program") if child.text)
            ]
        if not rec.sanctions:
            self.warn(path, line, f"uid {uid} names no program")
        for aka in _items(entry, "akaList", "aka"):
            if value := _name(aka):
                kind = ALIAS_KINDS.get((child_text(aka, "type") or "").replace(".", "").lower(), "aka")
                rec.names.append(Name(value, kind, child_text(aka, "category") or "strong"))
        for address in _items(entry, "addressList", "address"):
            self._address(rec, address)
        for birth in _items(entry, "dateOfBirthList", "dateOfBirthItem"):
            written = child_text(birth, "dateOfBirth")
            dates = _dob(written or "")
            if not dates:
                self.warn(path, birth.sourceline, f"uid {uid}: unreadable date of birth {written!r}")
            add_new(rec.birth_dates, dates)
            if approximate(written):
                add_new(rec.approximate_birth_dates, dates)
        rec.birth_places += [
            p
            for p in (
                child_text(b, "placeOfBirth") for b in _items(entry, "placeOfBirthList", "placeOfBirthItem")
            )
            if p
        ]
        for country in [
            *_items(entry, "nationalityList", "nationality"),
            *_items(entry, "citizenshipList", "citizenship"),
        ]:
            written = child_text(country, "country")
            code = country_code(written)
            if code and code not in rec.nationalities:
                rec.nationalities.append(code)
            elif not code and written:
                rec.notes.append(f"nationality: {written}")
        for ident in _items(entry, "idList", "id"):
            self._id(rec, ident)
        for vessel in children(entry, "vesselInfo"):
            self._vessel(rec, vessel)
        if remarks := child_text(entry, "remarks"):
            rec.extra["remarks"] = remarks
            for phrase in _phrases(remarks):
                if linked := _LINKED_TO.fullmatch(phrase):
                    rec.links.append(Link("LINKED_TO", linked.group(1).strip(), by_name=True))
                else:
                    rec.notes.append(phrase)
        return rec

    def _address(self, rec: Record, address: etree._Element) -> None:
        parts = [
            child_text(address, p)
            for p in ("address1", "address2", "address3", "city", "stateOrProvince", "postalCode", "country")
        ]
        if any(parts):
            rec.addresses.append(", ".join(p for p in parts if p))
        code = country_code(child_text(address, "country"))
        if code and code not in rec.countries:
            rec.countries.append(code)

    def _id(self, rec: Record, ident: etree._Element) -> None:
        kind, number = child_text(ident, "idType") or "", child_text(ident, "idNumber") or ""
        country = child_text(ident, "idCountry")
        if kind == "Gender":
            rec.gender = number.lower()
        elif kind == "Nationality of Registration" and (code := country_code(number)):
            if code not in rec.countries:
                rec.countries.append(code)
        elif _FACT_TYPES.search(kind):
            key = kind.rstrip(" :-")
            rec.extra[key] = "; ".join(filter(None, [rec.extra.get(key), number]))
        else:
            rec.identifiers.append(f"{kind} {number}".strip() + (f" ({country})" if country else ""))

    def _vessel(self, rec: Record, vessel: etree._Element) -> None:
        for field, key in VESSEL_FIELDS.items():
            if value := child_text(vessel, field):
                rec.extra[key] = value
        if (code := country_code(rec.extra.get("vessel_flag"))) and code not in rec.countries:
            rec.countries.append(code)


def _name(elem: etree._Element) -> str | None:
    """ "LAST, First" for people, as OFAC writes them everywhere (and in "Linked To")."""
    last, first = child_text(elem, "lastName"), child_text(elem, "firstName")
    return f"{last}, {first}" if last and first else last or first


def _items(entry: etree._Element, list_name: str, item_name: str) -> Iterator[etree._Element]:
    for container in children(entry, list_name):
        yield from children(container, item_name)
