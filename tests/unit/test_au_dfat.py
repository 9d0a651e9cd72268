"""Australia's Consolidated List loader on the real DFAT xlsx (no database).

The expected figures come from a read of the sheet with openpyxl here, independent of
the loader (which reads it with python-calamine)."""

import re
import zipfile
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from graph.model import Model
from loaders import detect
from loaders.au_dfat import DfatLoader
from loaders.base import LoadError

XLSX = Path(__file__).resolve().parents[2] / "data" / "au" / "regulation8_consolidated.xlsx"
HEADER = ["Reference", "Name of Individual or Entity", "Type", "Name Type", "Date of Birth",
          "Place of Birth", "Citizenship", "Address", "Additional Information",
          "Listing Information", "Committees", "Control Date"]


@pytest.fixture(scope="module")
def sheet():
    """(line, {column: value}) of every non-empty row, read with openpyxl."""
    book = openpyxl.load_workbook(XLSX, read_only=True, data_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    assert list(rows[0][:12]) == HEADER
    return [(line, dict(zip(HEADER, row[:12]))) for line, row in enumerate(rows[1:], 2)
            if any(v is not None and str(v).strip() for v in row)]


@pytest.fixture(scope="module")
def targets(sheet):
    """Rows by the number their Reference starts with: 471, 471a, 471b1 → "471"."""
    out = defaultdict(list)
    for line, row in sheet:
        out[str(int(re.match(r"\d+", str(row["Reference"]).strip()).group()))].append(row)
    return out


@pytest.fixture(scope="module")
def dfat():
    loader = DfatLoader()
    return loader, {r.record_id: r for r in loader.read([XLSX])}


def primary(row) -> bool:
    return " ".join(row["Name Type"].split()).lower() == "primary name"


def regime(text: str) -> str:
    return " ".join(re.sub("[\u2013\u2014]", "-", text).split())


def test_one_record_per_reference(dfat, sheet, targets):
    loader, records = dfat
    assert len(sheet) == 9553
    primaries = [row for _, row in sheet if primary(row)]
    # SOURCE.md's 2,925 counts the cells written exactly "Primary Name"; 137 more write
    # it "Primary Name ", "Primary name", "primary Name" …: 3,062 targets in all.
    assert sum(row["Name Type"] == "Primary Name" for row in primaries) == 2925
    assert len(primaries) == len(targets) == len(records) == 3062
    assert all(sum(map(primary, rows)) == 1 for rows in targets.values())
    assert set(records) == set(targets)
    # Alias rows are joined to their Reference: every distinct name but the primary one.
    for ref, rows in targets.items():
        rec = records[ref]
        main = next(r for r in rows if primary(r))
        assert rec.name == main["Name of Individual or Entity"].strip()
        names = {r["Name of Individual or Entity"].strip() for r in rows} - {rec.name}
        assert {n.value for n in rec.names} == names, ref
    assert sum(len(r.names) for r in records.values()) == 6456
    # Original-script names are variations (a name written twice keeps its first kind:
    # 6241 writes "Jamaah Ansharut Daulah" as an aka, then as its original script).
    originals = {(ref, r["Name of Individual or Entity"].strip()) for ref, rows in targets.items()
                 for r in rows if " ".join(r["Name Type"].split()).lower() == "original script"}
    originals.discard(("6241", "Jamaah Ansharut Daulah"))
    assert {(r.record_id, n.value) for r in records.values() for n in r.names
            if n.kind == "variation"} == originals
    schemas = {ref: {"individual": "Person", "entity": "Organization"}[
        next(r for r in rows if primary(r))["Type"].strip().lower()] for ref, rows in targets.items()}
    assert {ref: r.schema for ref, r in records.items()} == schemas
    assert loader.meta.dataset == "au-dfat" and loader.meta.published_on is None
    assert loader.meta.url == "https://www.dfat.gov.au/sites/default/files/regulation8_consolidated.xlsx"
    assert loader.meta.sha256.startswith("b68a8f5a")


def test_regimes_are_normalised(dfat, sheet, targets):
    _, records = dfat
    raw = {row["Committees"] for _, row in sheet}
    assert "Autonomous (Thematic - Cyber)  " in raw and "Autonomous (Thematic – Corruption)" in raw
    assert len(raw) == 36
    normalised = {regime(v) for v in raw}
    assert len(normalised) == 28
    assert {s.program for r in records.values() for s in r.sanctions} == normalised
    # One Sanction per regime per target; every target has one regime in this file.
    for ref, rows in targets.items():
        rec = records[ref]
        assert sorted(s.program for s in rec.sanctions) == sorted({regime(r["Committees"]) for r in rows})
        assert all((s.jurisdiction, s.authority) == ("AU", "AU-DFAT") for s in rec.sanctions)
    # data/programs/au.yaml classifies every regime.
    model = Model()
    programs = {p: model.program("AU", p, "AU-DFAT") for p in normalised}
    assert all(p.family != "unclassified" and p.jurisdiction == "AU" for p in programs.values())
    assert len({p.id for p in programs.values()}) == 24  # Libya 1970/1973, Somalia 751/2093/2713
    assert programs["Autonomous (Thematic - Human Rights)"].family == "human_rights"
    assert programs["Autonomous (Thematic - Corruption)"].family == "human_rights"
    assert programs["Autonomous (Thematic - Cyber)"].family == "cyber"
    assert programs["Autonomous (Russia)"].family == "country"
    assert programs["1988 (Taliban)"].family == "counter_terrorism"
    assert programs["1718 (DPRK)"].family == "non_proliferation"
    assert model.program("AU", "Autonomous (Thematic – Corruption)").id == "AU-CORRUPTION"
    assert model.jurisdiction_name("AU") == "Australia"
    assert model.authority_name("AU-DFAT") == "Department of Foreign Affairs and Trade"


def test_the_un_regimes_australia_implements_say_the_un_lists_their_targets(sheet):
    # The sheet names a UN regime by its Security Council resolution ("1988 (Taliban)",
    # "751 (Somalia and Eritrea)") and an Australian one "Autonomous (…)"; "1373 (2001)"
    # is Australia's own terrorism listings, under a resolution the UN keeps no list for.
    model = Model()
    raw = {regime(row["Committees"]) for _, row in sheet}
    by_resolution = {r for r in raw if re.match(r"\d", r) and not r.startswith("1373")}
    assert len(by_resolution) == 15 and all(r.startswith("Autonomous") for r in raw - by_resolution - {"1373 (2001)"})
    for written in raw:
        program = model.program("AU", written, "AU-DFAT")
        assert (program.id in model.implementing_un) == (written in by_resolution), written
        if program.implements:
            assert model.programs[program.implements].jurisdiction == "UN"
    assert model.program("AU", "2713 (Al-Shabaab)").implements == "UN-SC2713"


def test_listing_dates_and_control_date_bounds(dfat, targets):
    _, records = dfat
    stated = bound = checked = no_date = 0
    simple = re.compile(r"Listed on:? (\d{1,2}) ([A-Z][a-z]+)\.? (\d{4})$")
    for ref, rows in targets.items():
        (sanction,) = records[ref].sanctions
        controls = [r["Control Date"].date() for r in rows]
        main = next(r for r in rows if primary(r))
        # Exactly one of the two: a stated listing date, or the Control Date bound.
        assert (sanction.listed_on is None) != (sanction.listed_by is None), ref
        if sanction.listed_on is None:
            bound += 1
            assert sanction.listed_by == min(controls), ref
        else:
            stated += 1
        text = main["Listing Information"]
        if isinstance(text, datetime):
            assert sanction.listed_on == text.date()
        elif found := simple.match(" ".join(text.split())):
            written = datetime.strptime(f"{found[1]} {found[2][:3]} {found[3]}", "%d %b %Y").date()
            assert sanction.listed_on == written, ref
            checked += 1
        elif not re.search(r"\d{1,2}\s*[A-Za-z]{3,}\.?,?\s*\d{4}|\d{1,2}/\d{1,2}/\d{4}", text):
            no_date += 1  # an instrument's title: no date to state
            assert sanction.listed_on is None, ref
        assert sanction.extra["control_date"] == main["Control Date"].date().isoformat()
    assert (stated, bound) == (1283, 1779)
    assert (checked, no_date) == (159, 1657)
    # No thematic listing states its date in this file: each has only its Control Date.
    thematic = [r for r in records.values() if "Thematic" in r.sanctions[0].program]
    assert len(thematic) == 122
    assert all(r.sanctions[0].listed_on is None and r.sanctions[0].listed_by for r in thematic)


def test_a_human_rights_listing_has_only_a_control_date(dfat):
    _, records = dfat
    rec = records["7969"]
    assert (rec.name, rec.schema) == ("Zvi Bar YOSEF", "Person")
    assert [(n.value, n.kind) for n in rec.names] == [("Zvi BAR JOSEPH", "aka"), ("Zvi BAR YOSEPH", "aka")]
    assert rec.birth_dates == ["1992-09-20"] and rec.nationalities == ["IL"]
    (s,) = rec.sanctions
    assert (s.program, s.listed_on, s.listed_by) == ("Autonomous (Thematic - Human Rights)", None, date(2024, 7, 25))
    assert s.extra["listing_information"] == (
        "Autonomous Sanctions (Designated Persons and Entities and Declared Persons—Thematic Sanctions) "
        "Amendment (No. 4) Instrument 2024")
    corrupt = [r for r in records.values() if r.sanctions[0].program == "Autonomous (Thematic - Corruption)"]
    assert len(corrupt) == 14
    assert all(r.sanctions[0].extra["committees"] == "Autonomous (Thematic – Corruption)" for r in corrupt)


def test_a_listing_with_its_date_stated(dfat):
    _, records = dfat
    rec = records["2680"]
    assert rec.name == "Sergey Yur’yevich GLAZYEV"
    assert rec.birth_dates == ["1961-01-01"] and rec.birth_places == ["Zaporozhye (Ukrainian SSR)"]
    (s,) = rec.sanctions
    # Listed in 2014; the Control Date is the last re-listing, 2023.
    assert (s.program, s.listed_on, s.listed_by) == ("Autonomous (Russia)", date(2014, 6, 19), None)
    assert s.extra["listing_information"] == "Listed on 19 Jun. 2014 (relisted on 16 Jun. 2017 and 10 June 2023)"
    assert s.extra["control_date"] == "2023-06-10"

    taliban = records["2"]
    assert taliban.name == "MOHAMMAD HASSAN AKHUND" and taliban.nationalities == ["AF"]
    assert [(n.value, n.kind) for n in taliban.names] == [("محمد حسن أخوند", "variation")]
    # "a) Approximately 1955- 1958 b) Approximately 1945-1950": every candidate year.
    assert taliban.birth_dates == ["1955", "1956", "1957", "1958", "1945", "1946", "1947", "1948", "1949", "1950"]
    assert taliban.extra["date_of_birth"] == "a) Approximately 1955- 1958 b) Approximately 1945-1950"
    assert taliban.sanctions[0].listed_on == date(2001, 1, 25)
    # A Listing Information cell that is a date.
    assert records["2583"].sanctions[0].listed_on == date(2013, 3, 7)
    # Re-listed afresh later: the first listing counts.
    assert records["1280"].sanctions[0].listed_on == date(2011, 11, 16)


def test_unreadable_dates_of_birth_are_counted_not_invented(dfat):
    loader, records = dfat
    unreadable = [w.message for w in loader.warnings if "unreadable date of birth" in w.message]
    assert [m.split(":")[0] for m in unreadable] == ["Reference 483", "Reference 2704", "Reference 3581",
                                                    "Reference 6960"]
    assert records["483"].birth_dates == ["1968-01-01"]  # "a) 1/01/1968 b) 23-Apr-68"
    assert records["2704"].birth_dates == ["1962-05-07"]  # "07/05/1962; alt DOB: 07/04/62"
    assert records["3581"].birth_dates == [] and records["6960"].birth_dates == []
    assert len(loader.warnings) == 9  # and 5 listing dates a little after their Control Date


def test_citizenship_and_addresses(dfat):
    _, records = dfat
    assert records["2"].nationalities == ["AF"]
    both = [r for r in records.values() if r.extra.get("citizenship") == "a) German b) Moroccan"]
    assert both and all(r.nationalities == ["DE", "MA"] for r in both)
    # Unrecognised or qualified citizenship stays as written, never guessed.
    assert any("Possibly Ethiopian" in r.nationalities for r in records.values())
    # "NA" / "na" cells say nothing (NA is also Namibia's code).
    assert records["2"].addresses == [] and records["2"].countries == []
    assert not any("NA" in r.nationalities for r in records.values())
    assert records["3413"].countries == ["NA"]  # "… Windhoek, Namibia"
    assert records["483"].addresses == ["Commune of Bouhechana, Daïra de Lakhezara, Guelma, Algeria"]
    assert records["483"].countries == ["DZ"]


# -- bad input ---------------------------------------------------------------------------


def workbook(path: Path, rows: list[list]) -> Path:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


ROW = ["9001", "Test PERSON", "Individual", "Primary Name", "1 Jan. 1970", None, "Russian", None, None,
       "Listed on 1 March 2022", "Autonomous (Russia)", datetime(2022, 3, 1)]


def test_a_small_workbook_loads_and_is_detected(tmp_path):
    path = workbook(tmp_path / "list.xlsx", [HEADER, ROW, ["9001a", "Test ALIAS", "Individual", "aka"]
                                              + ROW[4:]])
    assert detect(path) is DfatLoader
    (rec,) = DfatLoader().read([path])
    assert (rec.record_id, rec.name, [n.value for n in rec.names]) == ("9001", "Test PERSON", ["Test ALIAS"])
    assert rec.sanctions[0].listed_on == date(2022, 3, 1) and rec.nationalities == ["RU"]


def test_a_truncated_workbook_is_refused(tmp_path):
    data = XLSX.read_bytes()
    path = tmp_path / "regulation8_consolidated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(LoadError, match="regulation8_consolidated.xlsx: not a readable xlsx workbook"):
        list(DfatLoader().read([path]))


def test_a_dtd_in_the_workbook_is_refused(tmp_path):
    """python-calamine would read it (it ignores a DTD): the loader refuses it, as the
    UK's does (loaders.base.check_workbook_xml)."""
    plain = workbook(tmp_path / "plain.xlsx", [HEADER, ROW])
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            xml = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = re.sub(rb"^(<\?xml[^>]*\?>)?", rb'\g<0><!DOCTYPE x [<!ENTITY e "unused">]>', xml, count=1)
            out.writestr(item, xml)
    assert len(list(DfatLoader().read([plain]))) == 1
    with pytest.raises(LoadError, match=r"list\.xlsx: not a readable xlsx workbook \(xl/worksheets/sheet1\.xml "
                                        "declares a DTD: refused for safety"):
        list(DfatLoader().read([path]))


def test_a_zip_that_is_no_workbook_is_refused(tmp_path):
    path = tmp_path / "list.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "not a workbook")
    with pytest.raises(LoadError, match="not a readable xlsx workbook"):
        list(DfatLoader().read([path]))
    assert not DfatLoader.sniff(path)


def test_a_missing_column_is_refused_naming_the_row(tmp_path):
    header = [c for c in HEADER if c != "Committees"]
    path = workbook(tmp_path / "list.xlsx", [header, ROW[:10] + ROW[11:]])
    with pytest.raises(LoadError, match=r"list.xlsx, line 1: .*no column Committees") as e:
        list(DfatLoader().read([path]))
    assert e.value.line == 1


def test_an_empty_sheet_and_a_header_alone_are_refused(tmp_path):
    with pytest.raises(LoadError, match="the sheet is empty"):
        list(DfatLoader().read([workbook(tmp_path / "empty.xlsx", [])]))
    with pytest.raises(LoadError, match="no entries"):
        list(DfatLoader().read([workbook(tmp_path / "header.xlsx", [HEADER])]))
    with pytest.raises(LoadError, match="no Consolidated List header"):
        list(DfatLoader().read([workbook(tmp_path / "other.xlsx", [[f"x{i}"] for i in range(6)])]))


def test_a_reference_that_is_no_number_is_refused_naming_the_row(tmp_path):
    path = workbook(tmp_path / "list.xlsx", [HEADER, ROW, ["??"] + ROW[1:]])
    with pytest.raises(LoadError, match=r"line 3: the row's Reference '\?\?' is not a number"):
        list(DfatLoader().read([path]))


def test_the_newest_control_date_bounds_the_undated_list(dfat, sheet):
    # The file states no date of its own; its newest Control Date (read here with
    # openpyxl) is a day the list is of or later, kept beside "undated", not as its date.
    loader, _ = dfat
    newest = max(row["Control Date"].date() for _, row in sheet if isinstance(row["Control Date"], datetime))
    assert newest == date(2024, 11, 11)
    assert loader.meta.newest_entry_on == newest
    assert loader.meta.published_on is None
