"""The OFAC advanced-XML loader on the real cons_advanced.xml of 2020-03-17 (no database).

Every expectation about the real file comes from an independent read of it here, with
the standard library's ElementTree and nothing of the loader: IDs are resolved through
the file's ReferenceValueSets by hand, names are put together from their parts by hand.
"""

import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pytest

import loaders
from graph.model import Model
from loaders.base import LoadError
from loaders.ofac_advanced import OfacAdvancedLoader
from loaders.ofac_xml import OfacXmlLoader

DATA = Path(__file__).resolve().parents[2] / "data"
XML = DATA / "ofac" / "cons_advanced_2020-03-17.xml"
NS = {"s": "http://www.un.org/sanctions/1.0"}
CURRENT_NS = "https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ADVANCED_XML"


@pytest.fixture(scope="module")
def cons():
    loader = OfacAdvancedLoader()
    return loader, {r.record_id: r for r in loader.read([XML])}


@pytest.fixture(scope="module")
def file():
    """The file read independently: value sets, parties, entries by profile."""
    root = ET.parse(XML).getroot()
    values = {vs.tag.split("}")[1]: {v.get("ID"): v for v in vs}
              for vs in root.find("s:ReferenceValueSets", NS)}

    def text(value_set, id_):
        return values[value_set][id_].text

    entries = defaultdict(list)
    for entry in root.iterfind("s:SanctionsEntries/s:SanctionsEntry", NS):
        created = [date(*(int(e.findtext(f"s:Date/s:{p}", namespaces=NS)) for p in ("Year", "Month", "Day")))
                   for e in entry.findall("s:EntryEvent", NS)
                   if text("EntryEventTypeValues", e.get("EntryEventTypeID")) == "Created"]
        programs = [m.findtext("s:Comment", namespaces=NS) for m in entry.findall("s:SanctionsMeasure", NS)
                    if text("SanctionsTypeValues", m.get("SanctionsTypeID")) == "Program"]
        entries[entry.get("ProfileID")].append({
            "id": entry.get("ID"), "list": text("ListValues", entry.get("ListID")),
            "created": created, "programs": programs})
    parties = {p.get("FixedRef"): p for p in root.iterfind("s:DistinctParties/s:DistinctParty", NS)}
    return {"root": root, "values": values, "text": text, "entries": entries, "parties": parties}


def documented_names(party, text):
    """(name, alias type, primary, low quality, script) of every DocumentedName of a party,
    "LAST, First" as OFAC's other formats write names."""
    found = []
    for identity in party.iterfind("s:Profile/s:Identity", NS):
        part_type = {g.get("ID"): text("NamePartTypeValues", g.get("NamePartTypeID"))
                     for g in identity.iterfind("s:NamePartGroups/s:MasterNamePartGroup/s:NamePartGroup", NS)}
        for alias in identity.iterfind("s:Alias", NS):
            for name in alias.iterfind("s:DocumentedName", NS):
                values = name.findall("s:DocumentedNamePart/s:NamePartValue", NS)
                last = " ".join(v.text for v in values if part_type[v.get("NamePartGroupID")] == "Last Name")
                rest = " ".join(v.text for v in values if part_type[v.get("NamePartGroupID")] != "Last Name")
                full = f"{last}, {rest}" if last and rest else last or rest
                found.append((full, text("AliasTypeValues", alias.get("AliasTypeID")),
                              alias.get("Primary") == "true", alias.get("LowQuality") == "true",
                              {text("ScriptValues", v.get("ScriptID")) for v in values}))
    return found


# -- the real file ---------------------------------------------------------------------


def test_every_entry_and_party_loads(cons, file):
    loader, records = cons
    root = file["root"]
    assert len(root.findall("s:SanctionsEntries/s:SanctionsEntry", NS)) == loader.entry_count == 759
    assert len(records) == len(file["parties"]) == loader.party_count == 375
    assert set(records) == set(file["parties"])
    assert not loader.warnings
    issued = root.find("s:DateOfIssue", NS)
    assert loader.meta.published_on == date(*(int(issued.findtext(f"s:{p}", namespaces=NS))
                                              for p in ("Year", "Month", "Day"))) == date(2020, 3, 17)
    assert loader.meta.published_from == "file"
    assert (loader.meta.dataset, loader.meta.url) == (
        "us-ofac-cons", "https://www.treasury.gov/ofac/downloads/sanctions/1.0/cons_advanced.xml")
    assert loader.meta.title == "OFAC Consolidated (non-SDN) list"
    assert [Path(f.path).name for f in loader.meta.files] == [XML.name]
    assert all(r.refs == [f"ofac:{r.record_id}"] and r.dataset == "us-ofac-cons" for r in records.values())
    schemas = Counter(file["text"]("PartyTypeValues", file["values"]["PartySubTypeValues"][
        p.find("s:Profile", NS).get("PartySubTypeID")].get("PartyTypeID")) for p in file["parties"].values())
    assert schemas == {"Entity": 293, "Individual": 82}
    assert Counter(r.schema for r in records.values()) == {"Organization": 293, "Person": 82}


def test_record_ids_are_the_ent_nums_of_the_other_formats(cons):
    """FixedRef is the uid of SDN.XML: the 2025 CONSOLIDATED.XML has the same entries
    under the same numbers (366 still listed), with the same birth dates."""
    _, records = cons
    sdnxml = {r.record_id: r for r in OfacXmlLoader().read([DATA / "ofac" / "cons_sdnxml_2025-06-30.xml"])}
    common = records.keys() & sdnxml.keys()
    assert len(common) == 366
    assert all(records[i].birth_dates == sdnxml[i].birth_dates for i in common)
    # Names change in five years (Gazprom became a public joint stock company); an entry
    # still shares a spelling with its namesake.
    same = [i for i in common if {n.lower() for n in records[i].all_names()} &
            {n.lower() for n in sdnxml[i].all_names()}]
    assert len(same) >= 355


def test_listed_on_is_the_created_date_of_the_entries(cons, file):
    """Each party: the earliest Created date of its entries on the non-SDN lists (the
    umbrella Consolidated List dates from 2014-10-10 for the PLC entries of 2006), and
    every entry's list and date in the sanction's extra."""
    _, records = cons
    dated = 0
    for profile, entries in file["entries"].items():
        rec = records[profile]
        assert rec.sanctions
        expected = min(min(e["created"]) for e in entries if e["list"] != "SDN List")
        for sanction in rec.sanctions:
            assert sanction.listed_on == expected, profile
            assert sanction.listed_by is None
            for entry in entries:
                assert f"{entry['list']} {min(entry['created']).isoformat()}" in sanction.extra["lists"]
        dated += sum(1 for e in entries if e["created"])
    assert dated == 759
    by_list = Counter(e["list"] for entries in file["entries"].values() for e in entries)
    assert by_list["Consolidated List"] == 375 and by_list["SDN List"] == 9
    hamas_plc = records["9639"].sanctions[0]
    assert (hamas_plc.program, hamas_plc.listed_on) == ("NS-PLC", date(2006, 4, 12))


def test_programs_per_entry(cons, file):
    _, records = cons
    for profile, entries in file["entries"].items():
        expected = {p for e in entries if e["list"] != "SDN List" for p in e["programs"]}
        assert {s.program for s in records[profile].sanctions} == expected, profile
    assert all((s.jurisdiction, s.authority) == ("US", "US-OFAC") for r in records.values() for s in r.sanctions)
    assert Counter(s.program for r in records.values() for s in r.sanctions) == {
        "UKRAINE-EO13662": 290, "NS-PLC": 78, "FSE-SY": 5, "SYRIA": 6, "VENEZUELA-EO13850": 2,
        "SDGT": 1, "FSE-IR": 1, "561-Related": 1}


def test_every_program_has_a_family():
    model = Model()
    codes = {p.text for p in ET.parse(XML).getroot().iterfind(
        "s:ReferenceValueSets/s:SanctionsProgramValues/s:SanctionsProgram", NS)} - {"Unknown"}
    assert len(codes) == 8
    assert all(model.program("US", code, "US-OFAC").family != "unclassified" for code in codes)


def test_every_name_in_every_script(cons, file):
    _, records = cons
    total = 0
    for fixed_ref, party in file["parties"].items():
        rec = records[fixed_ref]
        names = documented_names(party, file["text"])
        total += len(names)
        assert set(rec.all_names()) == {n[0] for n in names}, fixed_ref
        primary = [n for n in names if n[2]]
        assert rec.name == primary[0][0]
        # Every part of every name is in a name of the record.
        parts = [v.text for v in party.iterfind(".//s:NamePartValue", NS)]
        assert all(any(p in n for n in rec.all_names()) for p in parts)
        kinds = {}
        for value, alias_type, is_primary, weak, _ in names:
            kinds.setdefault(value, ("primary" if is_primary else
                                     {"A.K.A.": "aka", "F.K.A.": "fka", "N.K.A.": "nka"}[alias_type],
                                     "weak" if weak else "strong"))
        assert {n.value: (n.kind, n.quality) for n in rec.names} == {
            v: k for v, k in kinds.items() if v != rec.name}
    assert total == 1290
    # This file writes every name in Latin script only.
    scripts = {s for p in file["parties"].values() for n in documented_names(p, file["text"]) for s in n[4]}
    assert scripts == {"Latin"}
    assert all(n.lang is None for r in records.values() for n in r.names)


def test_features(cons, file):
    _, records = cons
    feature_types = Counter(file["text"]("FeatureTypeValues", f.get("FeatureTypeID"))
                            for f in file["root"].iterfind(".//s:Feature", NS))
    people_born = {p.get("FixedRef") for p in file["parties"].values()
                   if any(file["text"]("FeatureTypeValues", f.get("FeatureTypeID")) == "Birthdate"
                          for f in p.iterfind(".//s:Feature", NS))}
    assert {i for i, r in records.items() if r.birth_dates} == people_born
    assert len(people_born) == feature_types["Birthdate"] == 77
    assert sum(len(r.birth_places) for r in records.values()) == feature_types["Place of Birth"] == 20
    assert sum(1 for r in records.values() if r.gender) == feature_types["Gender"] == 1
    assert sum(1 for r in records.values() if r.nationalities) == feature_types["Citizenship Country"] == 2
    assert sum(len(r.identifiers) for r in records.values()) == len(
        file["root"].findall(".//s:IDRegDocument", NS)) + feature_types["SWIFT/BIC"] + feature_types["BIK (RU)"]
    relations = file["root"].findall(".//s:ProfileRelationship", NS)
    assert sum(len(r.links) for r in records.values()) == len(relations) == 276


def test_hand_checked_entries(cons):
    _, records = cons
    haniya = records["9639"]
    assert (haniya.schema, haniya.name, haniya.birth_dates, haniya.birth_places) == (
        "Person", "HANIYA, Ismail Abdul Salah", ["1962"], ["Shati"])
    assert [(n.value, n.kind, n.quality) for n in haniya.names] == [
        ("HANIYA, Ismail", "aka", "strong"), ("HANIYYA, Ismaeel", "aka", "strong")]
    (plc,) = haniya.sanctions
    assert (plc.program, plc.listed_on) == ("NS-PLC", date(2006, 4, 12))
    assert plc.extra["lists"] == "Non-SDN Palestinian Legislative Council List 2006-04-12; Consolidated List 2014-10-10"
    assert plc.extra["measures"] == "Reject"

    rosneft = records["18299"]
    assert (rosneft.schema, rosneft.name, rosneft.names) == ("Organization", "ROSNEFT TRADING S.A.", [])
    assert rosneft.addresses == ["Rue Place du Lac 2, 1204, Geneva, Switzerland"]
    assert rosneft.countries == ["CH"]
    assert rosneft.identifiers == ["Tax ID No. CHE-309.842.573 (Switzerland)",
                                   "Registration Number CH-660.0.257.011-8 (Switzerland)"]
    assert rosneft.extra["Website"] == "www.rosneft.com"
    assert rosneft.extra["Executive Order 13662 Directive Determination"] == \
        "Subject to Directive 2; Subject to Directive 4"
    assert [(s.program, s.listed_on) for s in rosneft.sanctions] == [
        ("UKRAINE-EO13662", date(2015, 7, 30)), ("VENEZUELA-EO13850", date(2015, 7, 30))]
    # Its SDN listing (Venezuela, 2020-02-18) is another list's: kept, not its listing date here.
    assert rosneft.sanctions[0].extra["lists"] == ("Consolidated List 2015-07-30; Sectoral Sanctions "
                                                   "Identifications List 2015-07-30; SDN List 2020-02-18")
    (owner,) = rosneft.links
    assert (owner.type, owner.target, owner.reverse, owner.role) == ("OWNS", "17022", True, "Owned or Controlled By")
    assert records["17022"].name == "Open Joint-Stock Company Rosneft Oil Company"

    kayakiran = records["26182"]
    assert (kayakiran.schema, kayakiran.name, kayakiran.gender, kayakiran.birth_dates) == (
        "Person", "KAYAKIRAN, Evren", "male", ["1980-02-08"])
    assert (kayakiran.nationalities, kayakiran.countries, kayakiran.addresses) == (["TR"], ["TR"], ["Turkey"])
    assert kayakiran.identifiers == ["Passport U00242309 (Turkey)"]
    (fse,) = kayakiran.sanctions
    assert (fse.program, fse.listed_on, fse.extra["lists"]) == (
        "FSE-IR", date(2019, 2, 7), "Consolidated List 2019-02-07; FSE List 2019-02-07")


def test_sniff_claims_this_layout_and_nothing_else():
    assert loaders.detect(XML).name == "ofac-advanced-xml"
    others = [p for p in DATA.glob("*/*") if p != XML and p.name != "SOURCE.md" and p.parent.name != "programs"]
    assert others and not any(OfacAdvancedLoader.sniff(p) for p in others)
    assert not OfacAdvancedLoader.sniff(DATA / "ofac")


# -- the same layout, written here -----------------------------------------------------


def synthetic(namespace=CURRENT_NS, list_name="SDN List", event='<EntryEvent ID="1" EntryEventTypeID="7" '
              'LegalBasisID="1"><Date CalendarTypeID="1"><Year>2020</Year><Month>7</Month><Day>9</Day></Date>'
              '</EntryEvent>', fixed_ref="29220", last="CHEN", encoding="utf-8"):
    """A small file of the current layout. The IDs differ from the real file's (Created
    is 7 here, not 1): the loader must resolve them through the value sets."""
    return f"""<?xml version="1.0" encoding="{encoding}"?>
<Sanctions xmlns="{namespace}" Version="3">
  <DateOfIssue CalendarTypeID="1"><Year>2026</Year><Month>8</Month><Day>27</Day></DateOfIssue>
  <ReferenceValueSets>
    <AliasTypeValues><AliasType ID="1400">A.K.A.</AliasType><AliasType ID="1403">Name</AliasType></AliasTypeValues>
    <EntryEventTypeValues><EntryEventType ID="7">Created</EntryEventType></EntryEventTypeValues>
    <FeatureTypeValues><FeatureType ID="80">Birthdate</FeatureType></FeatureTypeValues>
    <LegalBasisValues><LegalBasis ID="1">Unknown</LegalBasis></LegalBasisValues>
    <ListValues><List ID="5">SDN List</List><List ID="6">Consolidated List</List><List ID="9">FSE List</List>
    </ListValues>
    <NamePartTypeValues><NamePartType ID="1520">Last Name</NamePartType><NamePartType ID="1521">First Name</NamePartType>
    </NamePartTypeValues>
    <PartySubTypeValues><PartySubType ID="4" PartyTypeID="1">Unknown</PartySubType></PartySubTypeValues>
    <PartyTypeValues><PartyType ID="1">Individual</PartyType></PartyTypeValues>
    <ReliabilityValues><Reliability ID="1">Unknown</Reliability></ReliabilityValues>
    <SanctionsProgramValues><SanctionsProgram ID="3">GLOMAG</SanctionsProgram></SanctionsProgramValues>
    <SanctionsTypeValues><SanctionsType ID="2">Program</SanctionsType><SanctionsType ID="3">Block</SanctionsType>
    </SanctionsTypeValues>
    <ScriptValues><Script ID="215" ScriptCode="Latn">Latin</Script>
      <Script ID="501" ScriptCode="Hans">Chinese Simplified</Script></ScriptValues>
  </ReferenceValueSets>
  <Locations />
  <IDRegDocuments />
  <DistinctParties>
    <DistinctParty FixedRef="{fixed_ref}"><Comment />
      <Profile ID="{fixed_ref}" PartySubTypeID="4">
        <Identity ID="1" FixedRef="{fixed_ref}" Primary="true" False="false">
          <Alias FixedRef="{fixed_ref}" AliasTypeID="1403" Primary="true" LowQuality="false">
            <DocumentedName ID="1" FixedRef="{fixed_ref}" DocNameStatusID="1">
              <DocumentedNamePart><NamePartValue NamePartGroupID="11" ScriptID="215">{last}</NamePartValue></DocumentedNamePart>
              <DocumentedNamePart><NamePartValue NamePartGroupID="12" ScriptID="215">Quanguo</NamePartValue></DocumentedNamePart>
            </DocumentedName>
            <DocumentedName ID="2" FixedRef="{fixed_ref}" DocNameStatusID="2">
              <DocumentedNamePart><NamePartValue NamePartGroupID="13" ScriptID="501">陈</NamePartValue></DocumentedNamePart>
              <DocumentedNamePart><NamePartValue NamePartGroupID="14" ScriptID="501">全国</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
          <Alias FixedRef="{fixed_ref}" AliasTypeID="1400" Primary="false" LowQuality="true">
            <DocumentedName ID="3" FixedRef="{fixed_ref}" DocNameStatusID="2">
              <DocumentedNamePart><NamePartValue NamePartGroupID="15" ScriptID="215">CHEN Quan Guo</NamePartValue></DocumentedNamePart>
            </DocumentedName>
          </Alias>
          <NamePartGroups>
            <MasterNamePartGroup><NamePartGroup ID="11" NamePartTypeID="1520" /></MasterNamePartGroup>
            <MasterNamePartGroup><NamePartGroup ID="12" NamePartTypeID="1521" /></MasterNamePartGroup>
            <MasterNamePartGroup><NamePartGroup ID="13" NamePartTypeID="1520" /></MasterNamePartGroup>
            <MasterNamePartGroup><NamePartGroup ID="14" NamePartTypeID="1521" /></MasterNamePartGroup>
          </NamePartGroups>
        </Identity>
        <Feature ID="5" FeatureTypeID="80"><FeatureVersion ID="5" ReliabilityID="1">
          <DatePeriod CalendarTypeID="1" YearFixed="false" MonthFixed="false" DayFixed="false">
            <Start Approximate="false" YearFixed="false" MonthFixed="false" DayFixed="false">
              <From><Year>1955</Year><Month>11</Month><Day>1</Day></From></Start>
            <End Approximate="true" YearFixed="false" MonthFixed="false" DayFixed="false">
              <To><Year>1955</Year><Month>11</Month><Day>30</Day></To></End>
          </DatePeriod></FeatureVersion>
          <IdentityReference IdentityID="1" IdentityFeatureLinkTypeID="1" /></Feature>
      </Profile>
    </DistinctParty>
  </DistinctParties>
  <ProfileRelationships />
  <SanctionsEntries>
    <SanctionsEntry ID="{fixed_ref}" ProfileID="{fixed_ref}" ListID="{ {'SDN List': 5, 'FSE List': 9}[list_name] }">
      {event}
      <SanctionsMeasure ID="1" SanctionsTypeID="3" />
      <SanctionsMeasure ID="2" SanctionsTypeID="2"><Comment>GLOMAG</Comment></SanctionsMeasure>
    </SanctionsEntry>
  </SanctionsEntries>
  <SanctionsEntryLinks />
</Sanctions>
"""


def line_of(text, tag):
    """The line where `tag` starts in the text: the line a message must name."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if tag in line)


def load(path):
    loader = OfacAdvancedLoader()
    return loader, list(loader.read([path]))


def test_current_namespace_sdn_list_and_other_scripts(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(synthetic(), encoding="utf-8")
    assert OfacAdvancedLoader.sniff(path) and loaders.detect(path).name == "ofac-advanced-xml"
    loader, (rec,) = load(path)
    assert not loader.warnings
    assert (loader.meta.dataset, loader.meta.published_on) == ("us-ofac-sdn", date(2026, 8, 27))
    assert loader.meta.url == "https://www.treasury.gov/ofac/downloads/sanctions/1.0/sdn_advanced.xml"
    assert (rec.key, rec.schema, rec.name) == ("us-ofac-sdn:29220", "Person", "CHEN, Quanguo")
    assert [(n.value, n.kind, n.quality, n.lang) for n in rec.names] == [
        ("陈全国", "variation", "strong", "Chinese Simplified"), ("CHEN Quan Guo", "aka", "weak", None)]
    # The whole of November 1955, "circa" at one end.
    assert rec.birth_dates == ["1955-11"] and rec.notes == ["date of birth: circa 1955-11"]
    (glomag,) = rec.sanctions
    assert (glomag.program, glomag.listed_on, glomag.extra["measures"]) == ("GLOMAG", date(2020, 7, 9), "Block")


def test_the_entries_decide_the_dataset_not_the_file_name(tmp_path):
    path = tmp_path / "cons_advanced.xml"
    path.write_text(synthetic(), encoding="utf-8")
    loader, (rec,) = load(path)
    assert rec.dataset == loader.meta.dataset == "us-ofac-sdn"
    assert any("file name suggests us-ofac-cons" in str(w) for w in loader.warnings)
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(synthetic(list_name="FSE List"), encoding="utf-8")
    loader, (rec,) = load(path)
    assert rec.dataset == "us-ofac-cons" and rec.sanctions[0].listed_on == date(2020, 7, 9)


def test_a_declared_encoding_is_honoured(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_bytes(synthetic(last="MÜLLER", encoding="ISO-8859-1").replace("陈", "").replace(
        "全国", "Quanguo").encode("iso-8859-1"))
    _, (rec,) = load(path)
    assert rec.name == "MÜLLER, Quanguo"


def test_a_missing_created_date_is_warned_and_not_invented(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text := synthetic(event=""), encoding="utf-8")
    loader, (rec,) = load(path)
    assert (rec.sanctions[0].listed_on, rec.sanctions[0].listed_by) == (None, None)
    assert [str(w) for w in loader.warnings] == [
        f"{path}, line {line_of(text, '<SanctionsEntry ')}: SanctionsEntry 29220 (profile 29220, SDN List): no Created date, so no listing date from it"]


def test_an_event_type_the_file_does_not_define(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(synthetic(event='<EntryEvent ID="1" EntryEventTypeID="99" LegalBasisID="1"><Date '
                              'CalendarTypeID="1"><Year>2020</Year><Month>7</Month><Day>9</Day></Date>'
                              '</EntryEvent>'), encoding="utf-8")
    loader, (rec,) = load(path)
    assert rec.sanctions[0].listed_on is None
    assert any("ID 99 is not in EntryEventTypeValues" in str(w) for w in loader.warnings)


def test_one_undated_entry_leaves_a_bound_on_the_real_file(tmp_path):
    """9639's own list entry (2006) loses its date: the umbrella's 2014-10-10 is then only
    a bound (listed on or before), never shown as the listing date."""
    data = XML.read_bytes()
    start = data.index(b'<SanctionsEntry ID="10009639"')
    event = re.compile(rb"<EntryEvent .*?</EntryEvent>", re.S).search(data, start)
    copy = tmp_path / "cons_advanced.xml"
    copy.write_bytes(data[:event.start()] + data[event.end():])
    loader, records = load(copy)
    (plc,) = next(r for r in records if r.record_id == "9639").sanctions
    assert (plc.listed_on, plc.listed_by) == (None, date(2014, 10, 10))
    assert "Non-SDN Palestinian Legislative Council List undated" in plc.extra["lists"]
    assert [w.message for w in loader.warnings] == [
        "SanctionsEntry 10009639 (profile 9639, Non-SDN Palestinian Legislative Council List): "
        "no Created date, so no listing date from it"]
    assert len(records) == 375


def test_a_truncated_file_is_refused_with_its_line(tmp_path):
    data = XML.read_bytes()
    cut = tmp_path / "cons_advanced.xml"
    cut.write_bytes(data[: len(data) // 2])
    loader = OfacAdvancedLoader()
    with pytest.raises(LoadError, match=r"cons_advanced\.xml, line \d+: malformed XML") as error:
        next(loader.read([cut]))
    assert error.value.line > 20000


def test_a_dtd_is_refused(tmp_path):
    data = XML.read_bytes()
    declaration = data.index(b"?>") + 2
    bomb = tmp_path / "cons_advanced.xml"
    bomb.write_bytes(data[:declaration] + b'\n<!DOCTYPE Sanctions [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                     + data[declaration:])
    with pytest.raises(LoadError, match="DTD"):
        next(OfacAdvancedLoader().read([bomb]))


def test_bad_keys_and_other_layouts_are_refused(tmp_path):
    path = tmp_path / "sdn_advanced.xml"
    path.write_text(text := synthetic(fixed_ref="X1"), encoding="utf-8")
    with pytest.raises(LoadError, match=rf"line {line_of(text, '<DistinctParty ')}: DistinctParty FixedRef must be a number, found 'X1'"):
        next(OfacAdvancedLoader().read([path]))
    path.write_text(synthetic(namespace="urn:something-else"), encoding="utf-8")
    assert not OfacAdvancedLoader.sniff(path)
    with pytest.raises(LoadError, match="root element is <sdnList>, not the <Sanctions> of OFAC's advanced"):
        next(OfacAdvancedLoader().read([DATA / "ofac" / "cons_sdnxml_2025-06-30.xml"]))
    with pytest.raises(LoadError, match="the file is empty"):
        (tmp_path / "empty.xml").write_bytes(b"")
        next(OfacAdvancedLoader().read([tmp_path / "empty.xml"]))
