"""The EU Financial Sanctions Files XML (FSF 1.1, "xmlFullSanctionsList_1_1").

Root `<export generationDate=…>`, one `<sanctionEntity logicalId=…>` per target. Every
fact is an attribute of its own element (nameAlias, birthdate, citizenship, address,
identification, regulation), each with a `logicalId` and the regulation that added it.

The EU date pitfall (research/peers.md §3 item 4): `designationDate` on the
sanctionEntity is the date the target was listed; the `regulation` element names the
latest act that touched the entry, so its publicationDate / entryIntoForceDate are
amendment dates. Only designationDate becomes listed_on; the regulation's dates stay in
Sanction.extra. An entry without designationDate has no listed_on.
"""

from __future__ import annotations

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
from loaders.records import Name, Record, Sanction

DATASET = "eu-fsf"
SCHEMAS = {"person": "Person", "enterprise": "Organization"}
GENDERS = {"M": "male", "F": "female"}
#: The regulation's own dates and titles: amendments, not the designation (module doc).
REGULATION_FIELDS = {
    "numberTitle": "regulation",
    "regulationType": "regulation_type",
    "organisationType": "organisation_type",
    "publicationDate": "publication_date",
    "entryIntoForceDate": "entry_into_force_date",
}
UNKNOWN_COUNTRY = ("00", "UNKNOWN")


class EuFsfLoader(Loader):
    name = "eu-fsf-xml"
    description = "EU Financial Sanctions Files XML (FSF 1.1)"
    datasets = (DATASET,)

    @classmethod
    def sniff(cls, path: Path) -> bool:
        return xml_root(path) == "export"

    def read(self, paths: Sequence[Path]) -> Iterator[Record]:
        path = one_file(paths, "one FSF XML file")
        self.describe(DATASET)
        self.add_file(path)
        for tag, elem in iterparse(path, ("sanctionEntity", "export")):
            if tag == "export":
                self._export(path, elem)
            else:
                yield self._record(path, elem)
                release(elem)
        self.date_from_name(path)

    def _export(self, path: Path, root: etree._Element) -> None:
        generated = root.get("generationDate")
        self.meta.published_on = full_date((generated or "")[:10])
        if self.meta.published_on:
            self.meta.published_from = "file"
        else:
            self.warn(path, root.sourceline, f"export has no readable generationDate ({generated!r})")

    def _record(self, path: Path, entity: etree._Element) -> Record:
        line, logical_id = entity.sourceline, clean(entity.get("logicalId"))
        if not logical_id:
            raise LoadError(path, "sanctionEntity has no logicalId", line=line)
        aliases = list(children(entity, "nameAlias"))
        named = [(alias, name) for alias in aliases if (name := _name(alias))]
        if not named:
            raise LoadError(path, "the entry has no name", line=line, record=logical_id)
        subject = next(children(entity, "subjectType"), None)
        code = subject.get("code") if subject is not None else None
        rec = Record(
            dataset=DATASET,
            record_id=logical_id,
            line=line,
            schema=SCHEMAS.get(code or "", "Organization"),
            name=_caption(named),
            names=[name for _, name in named],
        )
        if reference := clean(entity.get("euReferenceNumber")):
            rec.refs.append(f"eu-ref:{reference}")
        if un_id := clean(entity.get("unitedNationId")):
            rec.same_as.append(f"un:{un_id}")
        if details := clean(entity.get("designationDetails")):
            rec.extra["designation_details"] = details
        if code and code not in SCHEMAS:
            rec.extra["subject_type"] = code
        if remark := child_text(entity, "remark"):
            rec.notes.append(remark)
        self._aliases(rec, aliases)
        self._birthdates(path, rec, entity)
        for citizenship in children(entity, "citizenship"):
            _add(rec.nationalities, _country(citizenship))
        self._addresses(rec, entity)
        for ident in children(entity, "identification"):
            rec.identifiers.append(_identification(ident))
        rec.sanctions = self._sanctions(path, entity)
        return rec

    def _aliases(self, rec: Record, aliases: list[etree._Element]) -> None:
        titles: list[str] = []
        for alias in aliases:
            if position := clean(alias.get("function")):
                _add(rec.positions, position)
            if title := clean(alias.get("title")):
                _add(titles, title)
            if gender := GENDERS.get(alias.get("gender") or ""):
                rec.gender = rec.gender or gender
            remark = child_text(alias, "remark")
            if remark and "quality" not in remark.lower():
                rec.notes.append(f"{clean(alias.get('wholeName'))}: {remark}")
        if titles:
            rec.extra["titles"] = "; ".join(titles)

    def _birthdates(self, path: Path, rec: Record, entity: etree._Element) -> None:
        for birth in children(entity, "birthdate"):
            # `birthdate` is Gregorian even on ISLAMIC entries; year/month/day are not.
            gregorian = birth.get("calendarType", "GREGORIAN") == "GREGORIAN"
            if written := partial_date(birth.get("birthdate")):
                dates = [written]
            elif birth.get("yearRangeFrom"):
                dates = date_range(birth.get("yearRangeFrom"), birth.get("yearRangeTo"))
            elif gregorian and (parts := _date_parts(birth)):
                dates = [parts]
            else:
                dates = []
            if not dates and (birth.get("year") or birth.get("birthdate")):
                self.warn(
                    path,
                    birth.sourceline,
                    f"logicalId {rec.record_id}: unreadable birth date "
                    f"{birth.get('birthdate') or birth.get('year')!r}",
                )
            for d in dates:
                _add(rec.birth_dates, d)
            if birth.get("circa") == "true":
                for d in dates:
                    _add(rec.approximate_birth_dates, d)
            place = _join(birth.get("place"), birth.get("city"), birth.get("region"), _country_name(birth))
            _add(rec.birth_places, place)

    def _addresses(self, rec: Record, entity: etree._Element) -> None:
        contacts: list[str] = []
        for address in children(entity, "address"):
            text = _join(
                address.get("street"),
                address.get("poBox"),
                address.get("zipCode"),
                address.get("city"),
                address.get("place"),
                address.get("region"),
                _country_name(address),
            )
            remark = child_text(address, "remark")
            if text:
                rec.addresses.append(text + (f" ({remark})" if remark else ""))
            elif remark:
                rec.notes.append(remark)
            _add(rec.countries, _country(address))
            for contact in children(address, "contactInfo"):
                _add(contacts, f"{contact.get('key')}: {clean(contact.get('value'))}")
        if contacts:
            rec.extra["contacts"] = "; ".join(contacts)

    def _sanctions(self, path: Path, entity: etree._Element) -> list[Sanction]:
        """One designation per programme; several regulations of one programme are the
        acts that amended it, kept side by side in extra."""
        listed_on = full_date(entity.get("designationDate"))
        by_programme: dict[str, Sanction] = {}
        for regulation in children(entity, "regulation"):
            programme = clean(regulation.get("programme"))
            if not programme:
                self.warn(path, regulation.sourceline, "regulation without programme: not loaded")
                continue
            sanction = by_programme.setdefault(
                programme, Sanction(*self.described.designated_by, programme, listed_on=listed_on)
            )
            fields = {key: clean(regulation.get(attr)) for attr, key in REGULATION_FIELDS.items()}
            fields["publication_url"] = child_text(regulation, "publicationUrl")
            for key, value in fields.items():
                if value:
                    sanction.extra[key] = "; ".join(filter(None, [sanction.extra.get(key), value]))
            sanction.source_url = sanction.source_url or fields["publication_url"]
        if not by_programme:
            self.warn(path, entity.sourceline, f"logicalId {entity.get('logicalId')} names no programme")
        return list(by_programme.values())


def _name(alias: etree._Element) -> Name | None:
    value = clean(alias.get("wholeName")) or _join(
        alias.get("firstName"), alias.get("middleName"), alias.get("lastName"), sep=" "
    )
    if not value:
        return None
    # A "low quality alias" remark overrides strong="true", as the Council writes it.
    remark = (child_text(alias, "remark") or "").lower()
    weak = alias.get("strong") == "false" or "low quality" in remark
    return Name(value, "aka", "weak" if weak else "strong", clean(alias.get("nameLanguage")))


def _caption(named: list[tuple[etree._Element, Name]]) -> str:
    """No alias is flagged primary. The list's main name is the strong English (or
    language-less) one written in name parts; failing that, the first English one."""
    english = [(alias, name) for alias, name in named if name.lang in (None, "EN")]
    for alias, name in english:
        if name.quality == "strong" and clean(alias.get("lastName")):
            return name.value
    return (english or named)[0][1].value


def _date_parts(birth: etree._Element) -> str | None:
    """year, monthOfYear, dayOfMonth as one ISO date, as precise as they go."""
    year, month, day = (birth.get(k) for k in ("year", "monthOfYear", "dayOfMonth"))
    if not year:
        return None
    parts = [year]
    if month:
        parts += [month, day] if day else [month]
    return partial_date("-".join(parts))


def _identification(ident: etree._Element) -> str:
    number = clean(ident.get("number")) or clean(ident.get("latinNumber")) or "?"
    kind = clean(ident.get("identificationTypeDescription")) or clean(ident.get("identificationTypeCode"))
    details = [
        d
        for d in (
            _country_name(ident),
            f"issued {ident.get('issueDate')}" if ident.get("issueDate") else None,
            f"valid to {ident.get('validTo')}" if ident.get("validTo") else None,
            *(
                flag
                for flag in ("knownFalse", "knownExpired", "reportedLost", "revokedByIssuer", "diplomatic")
                if ident.get(flag) == "true"
            ),
            child_text(ident, "remark"),
        )
        if d
    ]
    return f"{kind} {number}" + (f" ({'; '.join(details)})" if details else "")


def _country(elem: etree._Element) -> str | None:
    code = elem.get("countryIso2Code")
    if code and code not in UNKNOWN_COUNTRY:
        return code
    return country_code(_country_name(elem))


def _country_name(elem: etree._Element) -> str | None:
    name = clean(elem.get("countryDescription"))
    return None if name in UNKNOWN_COUNTRY else name


def _join(*parts: str | None, sep: str = ", ") -> str | None:
    """The non-empty parts joined; "-" is the FSF's placeholder for nothing."""
    return sep.join(p for p in (clean(x) for x in parts) if p and p != "-") or None


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)
