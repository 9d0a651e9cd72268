"""OFAC's "advanced" XML layout (sdn_advanced.xsd): sdn_advanced.xml for the SDN list,
cons_advanced.xml for the non-SDN consolidated list.

Root `<Sanctions>` in the namespace http://www.un.org/sanctions/1.0 (the 2018 schema,
still used in 2020) or …/PublicationPreview/exports/ADVANCED_XML (current files);
elements are matched by local name. The layout is relational: every code is a numeric
ID into the file's own ReferenceValueSets (lists, programs, measure types, feature
types, party types, name-part types, scripts, countries). OFAC adds values over time,
so every ID is resolved through the file that uses it, and the loader only knows the
*names* of the values it treats specially ("Created", "Program", "Birthdate", …).

Sections come in schema order: DateOfIssue, ReferenceValueSets, Locations,
IDRegDocuments, DistinctParties, ProfileRelationships, SanctionsEntries. A party's
programs and dates live in the entries after it, so the file is read twice: the first
pass keeps what the records need from every section but the parties (short strings and
small tuples per ID, like the UN loader's first pass), the second streams the parties
and stops after them. Both release every element they pass, so memory stays flat: an
83 MB file of 15,000 parties peaks at 82 MB resident, the real 2.7 MB file at 72 MB.

One record per DistinctParty, keyed by its FixedRef: the ent_num of the CSV set and the
uid of SDN.XML, so the three formats of one list give the same record keys. A party has
one SanctionsEntry per list it is on. In cons_advanced.xml every party has one on the
umbrella "Consolidated List" and one on its own list (Sectoral Sanctions
Identifications, Non-SDN PLC, FSE, CAPTA); a few are on the "SDN List" as well. All
entries of a party carry the same program measures; each has its own "Created" date,
and the umbrella's is the umbrella's start (2014-10-10) for parties listed before it
(the PLC listings of 2006). So a program's listing date is the earliest Created date of
the party's entries on this dataset's lists, and every entry's list and date is kept
in the sanction's extra: the file does not say which program came with which entry.
The consolidated file's "SDN List" entries belong to the SDN list and do not date the
consolidated listing (ROSNEFT TRADING: SSI 2015-07-30, SDN 2020-02-18). An entry without
a Created date gives none: the others' earliest is then only a bound (listed_by).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from loaders.base import (
    Loader,
    LoadError,
    child_text,
    children,
    clean,
    country_code,
    full_date,
    iterparse,
    one_file,
    partial_date,
    release,
    xml_root,
)
from loaders.ofac_xml import _FACT_TYPES
from loaders.records import Link, Name, Record, Sanction

NAMESPACES = (
    "http://www.un.org/sanctions/1.0",
    "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML",
)
#: List names (ListValues) that decide the dataset. The SDN file's ListValues name the
#: consolidated lists too, so the lists its *entries* use decide, not the value set.
SDN_LIST, CONSOLIDATED_LIST = "sdn list", "consolidated list"

SCHEMAS = {"individual": "Person", "vessel": "Vessel", "aircraft": "Aircraft"}
ALIAS_KINDS = {"a.k.a.": "aka", "f.k.a.": "fka", "n.k.a.": "nka"}
#: Name parts after the last name, in the order OFAC's other formats write them
#: ("DERIPASKA, Oleg Vladimirovich"); other part types follow in document order.
PART_ORDER = {"first name": 0, "middle name": 1, "patronymic": 2, "matronymic": 3}
#: Scripts written without spaces between name parts (ISO 15924 codes).
UNSPACED_SCRIPTS = {"Hans", "Hant", "Hani", "Jpan", "Kore"}
#: Location parts in the order of SDN.XML's address elements, which loaders/ofac_xml.py joins.
ADDRESS_PARTS = ("ADDRESS1", "ADDRESS2", "ADDRESS3", "CITY", "STATE/PROVINCE", "POSTAL CODE", "REGION")
#: Vessel features under the names the CSV and SDN.XML loaders give them in extra.
VESSEL_FEATURES = {
    "vessel call sign": "call_sign",
    "vessel type": "vessel_type",
    "vessel flag": "vessel_flag",
    "vessel owner": "vessel_owner",
    "vessel tonnage": "tonnage",
    "vessel gross registered tonnage": "grt",
}
#: RelationType names → (link type, the link points from the other party to this one).
RELATIONS = {
    "owned or controlled by": ("OWNS", True),
    "associate of": ("ASSOCIATE_OF", False),
    "family member of": ("FAMILY_OF", False),
    "leader or official of": ("LEADS", False),
    "principal executive officer": ("LEADS", False),
}
#: What the first pass reads; of a DistinctParty only its ids (Profile ID → FixedRef).
FIRST_PASS = (
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
)


@dataclass
class _Entry:
    """One SanctionsEntry: one party on one list."""

    id: str
    list_name: str
    created: date | None
    programs: list[str]
    measures: list[str]
    legal_bases: list[str]


@dataclass
class _Place:
    """One Location, as text: kept from the first pass for the features that cite it."""

    address: str | None
    #: The same address in another script, where OFAC gives one (Cyrillic, Chinese…).
    other_script: str | None
    country: str | None
    iso: str | None


@dataclass
class _Refs:
    """The file's ReferenceValueSets: set name → ID → (text, attributes)."""

    sets: dict[str, dict[str, tuple[str | None, dict[str, str]]]] = field(default_factory=dict)

    @classmethod
    def read(cls, elem: etree._Element) -> _Refs:
        refs = cls()
        for value_set in elem:
            if not isinstance(value_set.tag, str):
                continue
            refs.sets[etree.QName(value_set).localname] = {
                value.get("ID"): (clean(value.text), dict(value.attrib))
                for value in value_set
                if isinstance(value.tag, str) and value.get("ID")
            }
        return refs

    def text(self, value_set: str, id_: str | None) -> str | None:
        return self.sets.get(value_set, {}).get(id_ or "", (None, {}))[0]

    def attr(self, value_set: str, id_: str | None, name: str) -> str | None:
        return self.sets.get(value_set, {}).get(id_ or "", (None, {}))[1].get(name)

    def has(self, value_set: str, id_: str | None) -> bool:
        return (id_ or "") in self.sets.get(value_set, {})


class OfacAdvancedLoader(Loader):
    name = "ofac-advanced-xml"
    description = "OFAC advanced XML layout (sdn_advanced.xml, or cons_advanced.xml for the non-SDN list)"
    datasets = ("us-ofac-sdn", "us-ofac-cons")

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return xml_root(path) == "Sanctions" and _root_namespace(path) in NAMESPACES

    def __init__(self) -> None:
        super().__init__()
        self.refs = _Refs()
        #: SanctionsEntry elements read, and DistinctParty elements (the records).
        self.entry_count = 0
        self.party_count = 0
        self._places: dict[str, _Place] = {}
        self._documents: dict[str, list[str]] = {}
        self._entries: dict[str, list[_Entry]] = {}
        self._relations: dict[str, list[tuple[str, str, bool]]] = {}
        #: Profile ID → the FixedRef of its party (they are equal in OFAC's files so far).
        self._parties: dict[str, str] = {}
        self._known_programs: set[str] | None = None
        self._missing: set[tuple[str, str]] = set()

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "one OFAC advanced XML file (sdn_advanced.xml or cons_advanced.xml)")
        if (root := xml_root(path)) and root != "Sanctions":
            raise LoadError(
                path, f"the root element is <{root}>, not the <Sanctions> of OFAC's advanced XML layout"
            )
        self.add_file(path)
        self._first_pass(path)
        self.describe(self._dataset(path))
        self.date_from_name(path)
        used_identities: set[str] = set()
        # Elements not released would stay in the tree: the sections before the parties
        # are released unread, and the pass stops after them (the first pass has read the
        # rest, and found the whole file well-formed).
        for tag, elem in iterparse(path, ("Location", "IDRegDocument", "DistinctParty", "DistinctParties")):
            if tag == "DistinctParties":
                break
            if tag == "DistinctParty":
                yield self._record(path, elem, used_identities)
            release(elem)
        orphans = sum(
            len(docs) for identity, docs in self._documents.items() if identity not in used_identities
        )
        if orphans:
            self.warn(path, None, f"{orphans} IDRegDocument(s) cite an identity no party has: not loaded")

    # -- first pass: everything but the parties ---------------------------------------

    def _first_pass(self, path: Path) -> None:
        checked = False
        for tag, elem in iterparse(path, FIRST_PASS):
            if not checked:
                self._check_root(path, elem.getroottree().getroot())
                checked = True
            if tag == "DateOfIssue":
                self._date_of_issue(path, elem)
            elif tag == "ReferenceValueSets":
                self.refs = _Refs.read(elem)
            elif tag == "Location":
                self._places[elem.get("ID") or ""] = self._place(path, elem)
            elif tag == "IDRegDocument":
                self._document(path, elem)
            elif tag == "DistinctParty":
                self._party_ids(path, elem)
            elif tag == "ProfileRelationship":
                self._relation(path, elem)
            elif tag == "SanctionsEntry":
                self._entry(path, elem)
            release(elem)
        if not checked:
            raise LoadError(path, "no elements of OFAC's advanced XML layout (<Sanctions>) in this file")
        for profile in self._entries.keys() - self._parties.keys():
            self.warn(
                path, None, f"SanctionsEntry for profile {profile}, which no DistinctParty holds: not loaded"
            )

    def _check_root(self, path: Path, root: etree._Element) -> None:
        qname = etree.QName(root)
        if qname.localname != "Sanctions":
            raise LoadError(
                path,
                f"the root element is <{qname.localname}>, not the <Sanctions> of OFAC's advanced XML layout",
                line=root.sourceline,
            )
        if qname.namespace not in NAMESPACES:
            # Elements are matched by local name, so a new namespace still loads; say so.
            self.warn(
                path,
                root.sourceline,
                f"unknown namespace {qname.namespace!r} for OFAC's advanced layout; read by element names",
            )

    def _date_of_issue(self, path: Path, elem: etree._Element) -> None:
        issued = _date(elem)
        if issued:
            self.meta.published_on, self.meta.published_from = issued, "file"
        else:
            self.warn(path, elem.sourceline, f"unreadable DateOfIssue {_date_text(elem)!r}")

    def _lookup(self, path: Path, line: int | None, value_set: str, id_: str | None) -> str | None:
        """The name of a reference value; a warning (the value is lost) if the file lacks it."""
        if id_ is None:
            return None
        if not self.refs.has(value_set, id_):
            # Once per missing ID: a value set the file lacks would otherwise repeat the
            # same warning for every element that cites it.
            if (value_set, id_) not in self._missing:
                self._missing.add((value_set, id_))
                self.warn(path, line, f"ID {id_} is not in {value_set}: values that cite it are not loaded")
            return None
        return self.refs.text(value_set, id_)

    def _country(self, path: Path, line: int | None, country_id: str | None) -> tuple[str | None, str | None]:
        """(name, ISO alpha-2) of a CountryValues ID. The name goes through country_code
        like every loader's; the file's own ISO2 attribute covers what it does not know."""
        name = self._lookup(path, line, "CountryValues", country_id)
        iso = country_code(name) or self.refs.attr("CountryValues", country_id, "ISO2")
        return name, iso

    def _place(self, path: Path, location: etree._Element) -> _Place:
        line = location.sourceline
        main: dict[str, list[str]] = {}
        other: dict[str, list[str]] = {}
        for part in children(location, "LocationPart"):
            kind = (self._lookup(path, line, "LocPartTypeValues", part.get("LocPartTypeID")) or "").upper()
            for value in children(part, "LocationPartValue"):
                text = child_text(value, "Value")
                if text:
                    # Primary is the Latin form; the others are the same part in another script.
                    (main if value.get("Primary") != "false" else other).setdefault(kind, []).append(text)
        country = iso = None
        for located in children(location, "LocationCountry"):
            country, iso = self._country(path, line, located.get("CountryID"))
            break
        else:
            for area in children(location, "LocationAreaCode"):
                area_id = area.get("AreaCodeID")
                if self._lookup(path, line, "AreaCodeValues", area_id) is not None:
                    iso = self.refs.text("AreaCodeValues", area_id)
                    country = self.refs.attr("AreaCodeValues", area_id, "Description") if iso else None
        address = _address(main, country)
        alternative = (
            _address({k: other.get(k, v) for k, v in main.items()} | other, country) if other else None
        )
        return _Place(address, alternative if alternative != address else None, country, iso)

    def _document(self, path: Path, doc: etree._Element) -> None:
        line = doc.sourceline
        kind = self._lookup(path, line, "IDRegDocTypeValues", doc.get("IDRegDocTypeID")) or ""
        number = child_text(doc, "IDRegistrationNo")
        if not number:
            self.warn(path, line, f"IDRegDocument {doc.get('ID')} ({kind}) has no number: not loaded")
            return
        # The same text as SDN.XML's "idType idNumber (idCountry)".
        text = f"{kind} {number}".strip()
        country, _ = self._country(path, line, doc.get("IssuedBy-CountryID"))
        if country:
            text += f" ({country})"
        validity = self._lookup(path, line, "ValidityValues", doc.get("ValidityID"))
        if validity and validity.lower() != "valid":
            text += f" ({validity.lower()})"
        for when in children(doc, "DocumentDate"):
            kind_of_date = self._lookup(path, line, "IDRegDocDateTypeValues", when.get("IDRegDocDateTypeID"))
            dates = [d for period in children(when, "DatePeriod") for d in _period(period)[0]]
            if dates:
                text += f", {(kind_of_date or 'date').lower()} {' to '.join(dates)}"
        if authority := child_text(doc, "IssuingAuthority"):
            text += f", issued by {authority}"
        self._documents.setdefault(doc.get("IdentityID") or "", []).append(text)

    def _party_ids(self, path: Path, party: etree._Element) -> None:
        fixed_ref = party.get("FixedRef")
        if not fixed_ref or not fixed_ref.isdigit():
            raise LoadError(
                path, f"DistinctParty FixedRef must be a number, found {fixed_ref!r}", line=party.sourceline
            )
        self.party_count += 1
        for profile in children(party, "Profile"):
            self._parties[profile.get("ID") or fixed_ref] = fixed_ref

    def _relation(self, path: Path, rel: etree._Element) -> None:
        kind = self._lookup(path, rel.sourceline, "RelationTypeValues", rel.get("RelationTypeID"))
        source, target = rel.get("From-ProfileID"), rel.get("To-ProfileID")
        if kind and source and target:
            self._relations.setdefault(source, []).append((target, kind, rel.get("Former") == "true"))

    def _entry(self, path: Path, elem: etree._Element) -> None:
        line, entry_id, profile = elem.sourceline, elem.get("ID") or "?", elem.get("ProfileID") or ""
        self.entry_count += 1
        list_name = self._lookup(path, line, "ListValues", elem.get("ListID")) or ""
        if not list_name:
            self.warn(path, line, f"SanctionsEntry {entry_id} names no list")
        created, legal = [], []
        for event in children(elem, "EntryEvent"):
            kind = self._lookup(path, event.sourceline, "EntryEventTypeValues", event.get("EntryEventTypeID"))
            if (kind or "").lower() != "created":
                continue
            when = next(children(event, "Date"), None)
            day = _date(when) if when is not None else None
            if day:
                created.append(day)
            else:
                self.warn(
                    path,
                    event.sourceline,
                    f"SanctionsEntry {entry_id}: unreadable Created date {_date_text(when)!r}",
                )
            basis = self._lookup(path, event.sourceline, "LegalBasisValues", event.get("LegalBasisID"))
            if basis and basis.lower() != "unknown" and basis not in legal:
                legal.append(basis)
        if not created:
            self.warn(
                path,
                line,
                f"SanctionsEntry {entry_id} (profile {profile}, {list_name or 'no list'}): "
                "no Created date, so no listing date from it",
            )
        programs, measures = [], []
        for measure in children(elem, "SanctionsMeasure"):
            kind = self._lookup(
                path, measure.sourceline, "SanctionsTypeValues", measure.get("SanctionsTypeID")
            )
            if (kind or "").lower() == "program":
                # The measure of type "Program" names the program code in its Comment, as
                # the CSV and SDN.XML write it; SanctionsProgramValues lists the known codes.
                code = child_text(measure, "Comment")
                if not code:
                    self.warn(
                        path,
                        measure.sourceline,
                        f"SanctionsEntry {entry_id}: a Program measure names no program",
                    )
                    continue
                if code not in self._program_codes():
                    self.warn(
                        path,
                        measure.sourceline,
                        f"SanctionsEntry {entry_id}: program {code!r} is not "
                        "in SanctionsProgramValues; loaded as written",
                    )
                if code not in programs:
                    programs.append(code)
            elif kind and kind not in measures:
                measures.append(kind)
        # Created events can repeat, one per legal basis; the earliest is the entry's.
        self._entries.setdefault(profile, []).append(
            _Entry(entry_id, list_name, min(created) if created else None, programs, measures, legal)
        )

    def _program_codes(self) -> set[str]:
        if self._known_programs is None:
            values = self.refs.sets.get("SanctionsProgramValues", {}).values()
            self._known_programs = {text for text, _ in values if text}
        return self._known_programs

    def _dataset(self, path: Path) -> str:
        """us-ofac-cons if the entries use the umbrella Consolidated List (or only non-SDN
        lists), us-ofac-sdn if they use the SDN List; the file name only if no entry says."""
        lists = {e.list_name.lower() for entries in self._entries.values() for e in entries if e.list_name}
        by_name = "us-ofac-cons" if "cons" in path.name.lower() else "us-ofac-sdn"
        if CONSOLIDATED_LIST in lists or (lists and SDN_LIST not in lists):
            dataset = "us-ofac-cons"
        elif SDN_LIST in lists:
            dataset = "us-ofac-sdn"
        else:
            self.warn(path, None, f"no SanctionsEntry names a list: taken as {by_name} from the file name")
            return by_name
        if ("cons" in path.name.lower() or "sdn" in path.name.lower()) and dataset != by_name:
            on = "Consolidated" if dataset == "us-ofac-cons" else "SDN"
            self.warn(
                path,
                None,
                f"the file name suggests {by_name}, but its entries are on the {on} List: "
                f"loaded as {dataset}",
            )
        return dataset

    def _on_dataset(self, list_name: str) -> bool:
        is_sdn = list_name.lower() == SDN_LIST
        return is_sdn if self.meta.dataset == "us-ofac-sdn" else not is_sdn

    # -- second pass: one record per party --------------------------------------------

    def _record(self, path: Path, party: etree._Element, used_identities: set[str]) -> Record:
        fixed_ref, line = party.get("FixedRef") or "", party.sourceline
        profiles = list(children(party, "Profile"))
        if not profiles:
            raise LoadError(path, "the DistinctParty has no Profile", line=line, record=fixed_ref)
        # The primary identity first: its primary Latin name is the record's name.
        identities = sorted(
            (i for p in profiles for i in children(p, "Identity")), key=lambda i: i.get("Primary") != "true"
        )
        names = [n for identity in identities for n in self._names(path, identity)]
        primary = (
            next((n for n in names if n[1] == "primary" and n[3] is None), None)
            or next((n for n in names if n[1] == "primary"), None)
            or (names[0] if names else None)
        )
        if primary is None:
            raise LoadError(path, "the party has no name", line=line, record=fixed_ref)
        rec = Record(
            dataset=self.meta.dataset,
            record_id=fixed_ref,
            name=primary[0],
            line=line,
            schema=self._schema(path, profiles[0]),
            refs=[f"ofac:{fixed_ref}"],
        )
        seen = {rec.name}
        for value, kind, quality, lang in names:
            if value not in seen:
                seen.add(value)
                # Other renderings of the primary name (another script) are variations.
                rec.names.append(Name(value, "variation" if kind == "primary" else kind, quality, lang))
        for comment in (child_text(party, "Comment"), *(child_text(p, "Comment") for p in profiles)):
            if comment:
                rec.notes.append(comment)
                rec.extra["remarks"] = "; ".join(filter(None, [rec.extra.get("remarks"), comment]))
        for profile in profiles:
            for identity in children(profile, "Identity"):
                identity_id = identity.get("ID") or ""
                used_identities.add(identity_id)
                rec.identifiers += [
                    d for d in self._documents.get(identity_id, []) if d not in rec.identifiers
                ]
            for feature in children(profile, "Feature"):
                self._feature(path, rec, feature)
            for target, kind, former in self._relations.get(profile.get("ID") or "", []):
                self._link(path, rec, target, kind, former)
        self._sanctions(path, rec, [e for p in profiles for e in self._entries.get(p.get("ID") or "", [])])
        return rec

    def _schema(self, path: Path, profile: etree._Element) -> str:
        line, sub_id = profile.sourceline, profile.get("PartySubTypeID")
        sub_type = self._lookup(path, line, "PartySubTypeValues", sub_id) or ""
        party_type = (
            self._lookup(
                path, line, "PartyTypeValues", self.refs.attr("PartySubTypeValues", sub_id, "PartyTypeID")
            )
            or ""
        )
        # The subtype says Vessel or Aircraft; "Unknown" subtypes leave it to the party type.
        return SCHEMAS.get(sub_type.lower()) or SCHEMAS.get(party_type.lower(), "Organization")

    def _names(self, path: Path, identity: etree._Element) -> Iterator[tuple[str, str, str, str | None]]:
        """(name, kind, quality, script) of every DocumentedName of the identity: each
        alias is documented once per script; kind "primary" for the alias OFAC lists under."""
        part_types: dict[str, str] = {}
        for groups in children(identity, "NamePartGroups"):
            for master in children(groups, "MasterNamePartGroup"):
                for group in children(master, "NamePartGroup"):
                    part_type = self._lookup(
                        path, group.sourceline, "NamePartTypeValues", group.get("NamePartTypeID")
                    )
                    part_types[group.get("ID") or ""] = (part_type or "").lower()
        for alias in children(identity, "Alias"):
            alias_type = (
                self._lookup(path, alias.sourceline, "AliasTypeValues", alias.get("AliasTypeID")) or ""
            )
            kind = "primary" if alias.get("Primary") == "true" else ALIAS_KINDS.get(alias_type.lower(), "aka")
            quality = "weak" if alias.get("LowQuality") == "true" else "strong"
            for documented in children(alias, "DocumentedName"):
                parts, script_id = [], None
                for part in children(documented, "DocumentedNamePart"):
                    for value in children(part, "NamePartValue"):
                        if text := clean(value.text):
                            parts.append((part_types.get(value.get("NamePartGroupID") or "", ""), text))
                            script_id = script_id or value.get("ScriptID")
                if not parts:
                    continue
                script = self._lookup(path, documented.sourceline, "ScriptValues", script_id)
                code = self.refs.attr("ScriptValues", script_id, "ScriptCode") or script or ""
                latin = not script or code.lower() in ("latn", "latin")
                yield _compose(parts, latin, code), kind, quality, None if latin else script

    def _feature(self, path: Path, rec: Record, feature: etree._Element) -> None:
        line = feature.sourceline
        kind = self._lookup(path, line, "FeatureTypeValues", feature.get("FeatureTypeID"))
        if not kind:
            return
        key = kind.lower().rstrip(" :-")
        for version in children(feature, "FeatureVersion"):
            reliability = self._lookup(
                path, version.sourceline, "ReliabilityValues", version.get("ReliabilityID")
            )
            if (reliability or "").lower() == "false":
                # OFAC keeps facts it found to be false: a note, not a fact of the record.
                rec.notes.append(f"{kind} (false): {'; '.join(self._values(path, version)) or '?'}")
                continue
            if key == "birthdate":
                self._birth_dates(path, rec, version)
            elif key in ("nationality country", "citizenship country", "nationality of registration"):
                # A country is a Location (with a LocationCountry, or only its name as a
                # part) or, in older files, text.
                target = rec.countries if key == "nationality of registration" else rec.nationalities
                written = [
                    (p.iso or country_code(p.address), p.address) for p in self._version_places(path, version)
                ]
                written += [(country_code(v), v) for v in self._details(path, version)]
                for code, text in written:
                    if code and code not in target:
                        target.append(code)
                    elif not code and text:
                        rec.notes.append(f"{kind.lower()}: {text}")
            elif key == "location":
                for place in self._version_places(path, version):
                    for address in (place.address, place.other_script):
                        if address and address not in rec.addresses:
                            rec.addresses.append(address)
                    if place.iso and place.iso not in rec.countries:
                        rec.countries.append(place.iso)
            else:
                values = self._values(path, version)
                if not values:
                    self.warn(path, version.sourceline, f"ofac {rec.record_id}: {kind} without a value")
                for value in values:
                    self._fact(rec, kind, key, value)

    def _fact(self, rec: Record, kind: str, key: str, value: str) -> None:
        """A feature that is neither a date, a country nor an address: where SDN.XML's
        loader puts the same fact (its idList, title and vesselInfo)."""
        if key == "place of birth":
            rec.birth_places.append(value)
        elif key == "gender":
            rec.gender = value.lower()
        elif key == "title":
            rec.positions.append(value)
        elif key in VESSEL_FEATURES:
            rec.extra[VESSEL_FEATURES[key]] = value
            if key == "vessel flag" and (code := country_code(value)) and code not in rec.countries:
                rec.countries.append(code)
        elif _FACT_TYPES.search(kind):
            name = kind.rstrip(" :-")
            rec.extra[name] = "; ".join(filter(None, [rec.extra.get(name), value]))
        else:
            identifier = f"{kind} {value}"
            if identifier not in rec.identifiers:
                rec.identifiers.append(identifier)

    def _birth_dates(self, path: Path, rec: Record, version: etree._Element) -> None:
        periods = list(children(version, "DatePeriod"))
        for period in periods:
            dates, approximate = _period(period)
            if not dates:
                self.warn(path, period.sourceline, f"ofac {rec.record_id}: unreadable birth date")
            rec.birth_dates += [d for d in dates if d not in rec.birth_dates]
            if approximate and dates:
                rec.approximate_birth_dates += [d for d in dates if d not in rec.approximate_birth_dates]
                rec.notes.append(f"date of birth: circa {' to '.join(dates)}")
        if not periods:
            for value in self._details(path, version):  # a date written as text
                if born := partial_date(value):
                    rec.birth_dates.append(born)
                else:
                    self.warn(
                        path, version.sourceline, f"ofac {rec.record_id}: unreadable birth date {value!r}"
                    )

    def _version_places(self, path: Path, version: etree._Element) -> list[_Place]:
        places = []
        for located in children(version, "VersionLocation"):
            place = self._places.get(located.get("LocationID") or "")
            if place is None:
                self.warn(
                    path,
                    located.sourceline,
                    f"Location {located.get('LocationID')} is not in the file: its address is not loaded",
                )
            else:
                places.append(place)
        return places

    def _details(self, path: Path, version: etree._Element) -> Iterator[str]:
        """The VersionDetail values of a feature version: text, or a DetailReference's name."""
        for detail in children(version, "VersionDetail"):
            if text := clean(detail.text):
                yield text
            elif (ref := detail.get("DetailReferenceID")) and (
                value := self._lookup(path, detail.sourceline, "DetailReferenceValues", ref)
            ):
                yield value

    def _values(self, path: Path, version: etree._Element) -> list[str]:
        """A feature version's values as text: details, dates, places."""
        values = list(self._details(path, version))
        values += [" to ".join(d) for p in children(version, "DatePeriod") if (d := _period(p)[0])]
        values += [p.address for p in self._version_places(path, version) if p.address]
        return values

    def _link(self, path: Path, rec: Record, target_profile: str, kind: str, former: bool) -> None:
        target = self._parties.get(target_profile)
        if target is None:
            self.warn(
                path,
                rec.line,
                f"ofac {rec.record_id}: {kind} profile {target_profile}, which is not "
                "in the file: link not loaded",
            )
            return
        link_type, reverse = RELATIONS.get(kind.lower(), ("LINKED_TO", False))
        role = kind + (" (former)" if former else "")
        rec.links.append(Link(link_type, target, reverse=reverse, role=role))

    def _sanctions(self, path: Path, rec: Record, entries: list[_Entry]) -> None:
        mine = [e for e in entries if self._on_dataset(e.list_name)]
        if entries and not mine:
            self.warn(
                path,
                rec.line,
                f"ofac {rec.record_id}: no entry on the lists of {self.meta.dataset}; "
                "programs loaded without a listing date",
            )
        programs = list(dict.fromkeys(p for e in (mine or entries) for p in e.programs))
        if not programs:
            self.warn(path, rec.line, f"ofac {rec.record_id} names no program")
            return
        dated = [e.created for e in mine if e.created]
        # Every entry on this dataset's lists dated: the earliest is the listing date. One
        # undated: the earliest known date is only a bound (listed on or before it).
        complete = bool(dated) and len(dated) == len(mine)
        listed_on = min(dated) if complete else None
        listed_by = min(dated) if dated and not complete else None
        extra = {
            "lists": "; ".join(
                f"{e.list_name or '?'} {e.created or 'undated'}"
                for e in sorted(entries, key=lambda e: (e.created or date.max, e.list_name))
            ),
            "measures": "; ".join(dict.fromkeys(m for e in entries for m in e.measures)),
            "legal_basis": "; ".join(dict.fromkeys(b for e in entries for b in e.legal_bases)),
        }
        extra = {k: v for k, v in extra.items() if v}
        rec.sanctions += [
            Sanction(
                *self.described.designated_by,
                code,
                listed_on=listed_on,
                listed_by=listed_by,
                extra=dict(extra),
            )
            for code in programs
        ]


# -- helpers -----------------------------------------------------------------------------


def _root_namespace(path: Path) -> str | None:
    """The namespace of the root element, read from the file's head (for sniffing)."""
    if not path.is_file():
        return None
    with open(path, "rb") as f:
        head = f.read(4096).removeprefix(b"\xef\xbb\xbf")
    head = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.DOTALL)
    root = re.search(rb"<(?:([A-Za-z_][\w.-]*):)?Sanctions\b([^>]*)>", head)
    if not root:
        return None
    prefix = b":" + root.group(1) if root.group(1) else b""
    declared = re.search(rb"\sxmlns" + re.escape(prefix) + rb"\s*=\s*[\"']([^\"']*)[\"']", root.group(2))
    return declared.group(1).decode("utf-8", "replace").rstrip("/") if declared else None


def _date(elem: etree._Element | None) -> date | None:
    """A DateSchemaType (Year, Month, Day children) as a date."""
    if elem is None:
        return None
    return full_date(_date_text(elem))


def _date_text(elem: etree._Element | None) -> str:
    if elem is None:
        return ""
    return "-".join(child_text(elem, part) or "?" for part in ("Year", "Month", "Day"))


def _boundary(elem: etree._Element | None, first: str, second: str) -> date | None:
    """One end of a DatePeriod: its From or To, whichever the file gives."""
    if elem is None:
        return None
    for name in (first, second):
        for found in children(elem, name):
            return _date(found)
    return None


def _period(period: etree._Element) -> tuple[list[str], bool]:
    """A DatePeriod as ISO dates as precise as it is: the whole of 1962 is "1962", the whole
    of a month "1962-05", one day "1962-05-01", whole years 1960 to 1962 each year (as
    loaders.base.date_range reads "1960 to 1962"); anything else both ends. Also whether
    OFAC marks an end approximate ("circa")."""
    start, end = next(children(period, "Start"), None), next(children(period, "End"), None)
    low = _boundary(start, "From", "To")
    high = _boundary(end, "To", "From")
    low, high = low or high, high or low
    approximate = any(b is not None and b.get("Approximate") == "true" for b in (start, end))
    if low is None or high is None:
        return [], approximate
    if low > high:
        low, high = high, low
    if low == high:
        found = [partial_date(low.isoformat())]
    elif (
        low.day == 1
        and (low.year, low.month) == (high.year, high.month)
        and high.day == calendar.monthrange(high.year, high.month)[1]
    ):
        found = [partial_date(f"{low.year}-{low.month}")]
    elif (low.month, low.day, high.month, high.day) == (1, 1, 12, 31):
        found = [partial_date(str(y)) for y in range(low.year, high.year + 1)]
    else:
        found = [partial_date(low.isoformat()), partial_date(high.isoformat())]
    return [d for d in found if d], approximate


def _compose(parts: list[tuple[str, str]], latin: bool, script: str) -> str:
    """A documented name from its typed parts: "LAST, First Middle" in Latin script, as
    OFAC writes names in its CSV and SDN.XML; other scripts without the comma."""
    last = [text for kind, text in parts if kind == "last name"]
    rest = [
        text
        for _, text in sorted(
            ((k, t) for k, t in parts if k != "last name"),
            key=lambda p: PART_ORDER.get(p[0], len(PART_ORDER)),
        )
    ]
    if latin:
        return f"{' '.join(last)}, {' '.join(rest)}" if last and rest else " ".join(last or rest)
    return ("" if script in UNSPACED_SCRIPTS else " ").join(last + rest)


def _address(parts: dict[str, list[str]], country: str | None) -> str | None:
    ordered = [v for kind in ADDRESS_PARTS for v in parts.get(kind, [])]
    ordered += [v for kind, values in parts.items() if kind not in ADDRESS_PARTS for v in values]
    if country and country not in ordered:
        ordered.append(country)
    return ", ".join(ordered) or None
