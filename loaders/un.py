"""The UN Security Council consolidated list XML (scsanctions.un.org consolidated.xml).

Root `<CONSOLIDATED_LIST dateGenerated=…>` holding INDIVIDUALS/INDIVIDUAL and
ENTITIES/ENTITY, no namespace. The key is DATAID; REFERENCE_NUMBER (QDi.268) is what
other lists cite. Relationships are only text: COMMENTS1 names other entries by their
reference number ("Associated with … (QDe.088)"). A link must point at a record key, so
a first pass maps each reference number to its DATAID (one small entry per listing);
the second pass builds the records. Both passes stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from lxml import etree

from loaders.base import (
    Loader,
    LoadError,
    child_text,
    children,
    clean,
    country_code,
    date_range,
    full_date,
    iterparse,
    one_file,
    partial_date,
    release,
    xml_root,
)
from loaders.records import Link, Name, Record, Sanction

DATASET = "un-sc"
SCHEMAS = {"INDIVIDUAL": "Person", "ENTITY": "Organization"}
#: Alias QUALITY: individuals are graded Good/Low, entities a.k.a./f.k.a.
ALIAS_QUALITY = {
    "Good": ("aka", "strong"),
    "a.k.a.": ("aka", "strong"),
    "Low": ("aka", "weak"),
    "f.k.a.": ("fka", "strong"),
}
NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
_REFERENCE = re.compile(r"\b[A-Z]{2}[ie]\.\d{3}\b")
#: How COMMENTS1 words the tie to the entry it cites; the earliest cue in the clause wins
#: ("the son of LRA leader Joseph Kony" is family). Anything else is an association.
_LINK_CUES = (
    (
        "FAMILY_OF",
        re.compile(
            r"\b(son|daughter|brother|sister|father|mother|wife|husband|nephew|"
            r"niece|cousin|uncle|(brother|sister|son)-in-law)\s+of\b",
            re.IGNORECASE,
        ),
    ),
    (
        "LEADS",
        re.compile(
            r"\b(leader|head|founder|commander|director|chief|emir)\s+of\b(?!\s+staff)", re.IGNORECASE
        ),
    ),
    ("MEMBER_OF", re.compile(r"\bmember\s+of\b", re.IGNORECASE)),
)


class UnScLoader(Loader):
    name = "un-xml"
    description = "UN Security Council consolidated list XML"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return xml_root(path) == "CONSOLIDATED_LIST"

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "one UN consolidated list XML file")
        self.describe(DATASET)
        self.add_file(path)
        data_ids = self._data_ids(path)
        for tag, elem in iterparse(path, (*SCHEMAS, "CONSOLIDATED_LIST")):
            if tag == "CONSOLIDATED_LIST":
                self.meta.published_on = full_date((elem.get("dateGenerated") or "")[:10])
                self.meta.published_from = "file" if self.meta.published_on else None
            else:
                yield self._record(path, tag, elem, data_ids)
                release(elem)
        self.date_from_name(path)

    def _data_ids(self, path: Path) -> dict[str, str]:
        """REFERENCE_NUMBER → DATAID of every entry, for the links between them."""
        found: dict[str, str] = {}
        for _, elem in iterparse(path, tuple(SCHEMAS)):
            data_id, reference = _data_id(path, elem), child_text(elem, "REFERENCE_NUMBER")
            if reference:
                found[reference] = data_id
            release(elem)
        return found

    def _record(self, path: Path, tag: str, elem: etree._Element, data_ids: dict[str, str]) -> Record:
        data_id, reference = _data_id(path, elem), child_text(elem, "REFERENCE_NUMBER")
        name = " ".join(p for p in (child_text(elem, part) for part in NAME_PARTS) if p)
        if not name:
            raise LoadError(path, "the entry has no name", line=elem.sourceline, record=data_id)
        rec = Record(dataset=DATASET, record_id=data_id, schema=SCHEMAS[tag], name=name, line=elem.sourceline)
        if reference:
            rec.refs.append(f"un:{reference}")
            rec.extra["reference_number"] = reference
        if original := child_text(elem, "NAME_ORIGINAL_SCRIPT"):
            rec.names.append(Name(original, "variation", "strong"))
        self._aliases(rec, elem, tag)
        rec.gender = (child_text(elem, "GENDER") or "").lower() or None
        rec.positions += _values(elem, "DESIGNATION")
        if titles := _values(elem, "TITLE"):
            rec.extra["titles"] = "; ".join(titles)
        for country in _values(elem, "NATIONALITY"):
            code = country_code(country)
            if code and code not in rec.nationalities:
                rec.nationalities.append(code)
            elif not code:
                rec.notes.append(f"nationality: {country}")
        for address in children(elem, f"{tag}_ADDRESS"):
            self._address(rec, address)
        for birth in children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
            self._birth_date(path, rec, birth)
        for place in children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
            if text := _join(place, "STREET", "CITY", "STATE_PROVINCE", "COUNTRY", "NOTE"):
                rec.birth_places.append(text)
        for document in children(elem, "INDIVIDUAL_DOCUMENT"):
            if text := _document(document):
                rec.identifiers.append(text)
        comments = child_text(elem, "COMMENTS1")
        if comments:
            rec.notes.append(comments)
            rec.links = self._links(path, rec, reference, comments, data_ids)
        if updated := _values(elem, "LAST_DAY_UPDATED"):
            rec.extra["last_day_updated"] = "; ".join(updated)
        rec.sanctions.append(self._sanction(path, elem, data_id))
        return rec

    def _aliases(self, rec: Record, elem: etree._Element, tag: str) -> None:
        for alias in children(elem, f"{tag}_ALIAS"):
            value = child_text(alias, "ALIAS_NAME")
            if not value:
                continue  # the list's empty stubs: <ALIAS_NAME/>
            kind, quality = ALIAS_QUALITY.get(child_text(alias, "QUALITY") or "", ("aka", None))
            rec.names.append(Name(value, kind, quality))
            # An alias can carry the identity it was used with (its own date of birth).
            if (born := partial_date(child_text(alias, "DATE_OF_BIRTH"))) and born not in rec.birth_dates:
                rec.birth_dates.append(born)
            if note := _join(alias, "DATE_OF_BIRTH", "CITY_OF_BIRTH", "COUNTRY_OF_BIRTH", "NOTE"):
                rec.notes.append(f"alias {value}: {note}")

    def _address(self, rec: Record, address: etree._Element) -> None:
        if text := _join(address, "STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE"):
            rec.addresses.append(text)
        code = country_code(child_text(address, "COUNTRY"))
        if code and code not in rec.countries:
            rec.countries.append(code)

    def _birth_date(self, path: Path, rec: Record, birth: etree._Element) -> None:
        """EXACT and APPROXIMATELY give DATE or YEAR, BETWEEN gives FROM_YEAR..TO_YEAR;
        some entries write the date only in NOTE ("Nov. 1973")."""
        note = child_text(birth, "NOTE")
        written = child_text(birth, "DATE") or child_text(birth, "YEAR") or note
        if child_text(birth, "FROM_YEAR"):
            written = f"{child_text(birth, 'FROM_YEAR')} to {child_text(birth, 'TO_YEAR')}"
            dates = date_range(child_text(birth, "FROM_YEAR"), child_text(birth, "TO_YEAR"))
        else:
            dates = [d for d in [partial_date(written)] if d]
        rec.birth_dates += [d for d in dates if d not in rec.birth_dates]
        kind = child_text(birth, "TYPE_OF_DATE")
        if kind == "APPROXIMATELY":
            rec.approximate_birth_dates += [d for d in dates if d not in rec.approximate_birth_dates]
        if kind == "APPROXIMATELY" or note:
            rec.notes.append(f"date of birth: {' '.join(filter(None, [kind, *dates, note]))}")
        if not dates and (note or kind):
            self.warn(path, birth.sourceline, f"DATAID {rec.record_id}: unreadable date of birth {written!r}")

    def _links(
        self, path: Path, rec: Record, own: str | None, comments: str, data_ids: dict[str, str]
    ) -> list[Link]:
        links: dict[str, Link] = {}
        text = " ".join(comments.split())
        clause_start, seen = 0, {own}
        for found in _REFERENCE.finditer(text):
            reference = found.group()
            clause = text[clause_start : found.start()]
            clause = re.split(r"(?<=[a-z)])\.\s", clause)[-1]  # the sentence that cites it
            clause_start = found.end()
            if reference in seen:
                continue
            seen.add(reference)
            if reference not in data_ids:
                self.warn(path, rec.line, f"DATAID {rec.record_id} cites {reference}, not in this list")
                continue
            cues = [(m.start(), link_type) for link_type, cue in _LINK_CUES if (m := cue.search(clause))]
            links[reference] = Link(
                min(cues)[1] if cues else "ASSOCIATE_OF",
                data_ids[reference],
                role=clause.strip(" ,;()") or None,
            )
        return list(links.values())

    def _sanction(self, path: Path, elem: etree._Element, data_id: str) -> Sanction:
        regime = child_text(elem, "UN_LIST_TYPE")
        if not regime:
            raise LoadError(
                path, "the entry names no UN_LIST_TYPE (regime)", line=elem.sourceline, record=data_id
            )
        listed = child_text(elem, "LISTED_ON")
        # A few dates carry a time-zone offset: "2015-04-07-04:00".
        listed_on = full_date((listed or "")[:10])
        if listed and not listed_on:
            self.warn(path, elem.sourceline, f"DATAID {data_id}: unreadable LISTED_ON {listed!r}")
        extra = {
            "list_type": "; ".join(_values(elem, "LIST_TYPE")),
            "version": child_text(elem, "VERSIONNUM") or "",
        }
        return Sanction(
            *self.described.designated_by,
            regime,
            listed_on=listed_on,
            extra={k: v for k, v in extra.items() if v},
        )


def _data_id(path: Path, elem: etree._Element) -> str:
    """The entry's DATAID: its id on the list, which every entry has."""
    data_id = child_text(elem, "DATAID")
    if not data_id:
        raise LoadError(path, "entry without DATAID", line=elem.sourceline)
    return data_id


def _values(elem: etree._Element, name: str) -> list[str]:
    """The VALUE children of a repeated field (NATIONALITY, DESIGNATION, TITLE, …)."""
    return [v for field in children(elem, name) for v in (clean(x.text) for x in field) if v]


def _join(elem: etree._Element, *names: str) -> str | None:
    return ", ".join(v for v in (child_text(elem, n) for n in names) if v) or None


def _document(document: etree._Element) -> str | None:
    number = child_text(document, "NUMBER")
    kind = " ".join((child_text(document, "TYPE_OF_DOCUMENT") or "").split())
    if not (number or kind):
        return None
    details = _join(
        document,
        "TYPE_OF_DOCUMENT2",
        "ISSUING_COUNTRY",
        "COUNTRY_OF_ISSUE",
        "CITY_OF_ISSUE",
        "DATE_OF_ISSUE",
        "NOTE",
    )
    return " ".join(filter(None, [kind, number])) + (f" ({details})" if details else "")
