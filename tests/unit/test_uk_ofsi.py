"""The OFSI Consolidated List loader on the real xlsx and on CSV forms of it (no database)."""

import csv
import re
import zipfile
from collections import defaultdict
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from graph.model import Model
from loaders import detect
from loaders.base import LoadError
from loaders.uk_ofsi import OfsiLoader, _xlsx_rows

XLSX = Path(__file__).resolve().parents[2] / "data" / "uk" / "ofsi_conlist_2025-04-10.xlsx"
XINJIANG = {"14074": "GHR0075", "14076": "GHR0076", "14077": "GHR0077", "14078": "GHR0078",
            "14079": "GHR0079"}
ADDRESS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6",
           "Post/Zip Code", "Country")


@pytest.fixture(scope="module")
def sheet():
    """The sheet read independently of the loader: the date row, the header, the rows."""
    book = openpyxl.load_workbook(XLSX, read_only=True)
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    book.close()
    return rows[0], list(rows[1]), rows[2:]


@pytest.fixture(scope="module")
def ofsi():
    loader = OfsiLoader()
    return loader, {r.record_id: r for r in loader.read([XLSX])}


def groups(sheet):
    _, header, rows = sheet
    out = defaultdict(list)
    for row in rows:
        cells = dict(zip(header, row))
        out[cells["Group ID"]].append(cells)
    return out


def test_every_group_loads_with_the_file_counts(ofsi, sheet):
    loader, records = ofsi
    by_group = groups(sheet)
    assert len(sheet[2]) == 18796
    assert len(records) == len(by_group) == 4686
    assert loader.meta.published_on == date(2025, 4, 10) and loader.meta.published_from == "file"
    assert loader.meta.dataset == "gb-ofsi"
    # Names: every distinct spelling (name parts or non-Latin script) but the record's own.
    names = sum(len({tuple(r[f"Name {i}"] for i in range(1, 7)) for r in rows})
                + len({r["Name Non-Latin Script"] for r in rows if r["Name Non-Latin Script"]}) - 1
                for rows in by_group.values())
    assert sum(len(r.names) for r in records.values()) == names == 11278
    addresses = sum(len({tuple(r[c] for c in ADDRESS) for r in rows
                         if any(r[c] for c in ADDRESS)}) for rows in by_group.values())
    assert sum(len(r.addresses) for r in records.values()) == addresses
    designations = sum(len({r["Regime"] for r in rows}) for rows in by_group.values())
    assert sum(len(r.sanctions) for r in records.values()) == designations == 4702
    # Two groups have no "Primary name" row: said, not lost.
    assert [w.message.split(" has no")[0] for w in loader.warnings] == ["Group ID 16601", "Group ID 16789"]


def test_xinjiang_records(ofsi):
    _, records = ofsi
    for group_id, ref in XINJIANG.items():
        rec = records[group_id]
        assert [(s.jurisdiction, s.authority, s.program, s.listed_on) for s in rec.sanctions] == [
            ("GB", "GB-OFSI", "Global Human Rights", date(2021, 3, 22))], group_id
        assert rec.refs == [f"ofsi-group:{group_id}", f"gb-ref:{ref}"]
    chen = records["14074"]
    assert chen.name == "MINGGUO CHEN" and chen.schema == "Person"
    assert chen.birth_dates == ["1966-10"] and chen.birth_places == ["Yilong, Sichuan, China"]
    assert chen.nationalities == ["CN"] and chen.gender == "male"
    assert len(chen.positions) == 2 and chen.addresses == ["Xinjiang, China"]
    assert chen.sanctions[0].reason.startswith("Chen Mingguo is a provincial-level")
    assert chen.sanctions[0].extra == {"listed_on": "22/03/2021", "date_designated": "22/03/2021",
                                       "last_updated": "01/04/2021"}
    psb = records["14079"]
    assert psb.schema == "Organization"
    assert psb.name == "XINJIANG PRODUCTION AND CONSTRUCTION CORPS PUBLIC SECURITY BUREAU"
    assert {n.value for n in psb.names} == {"XPCC PSB", "XINJIANG SHENGCHAN JIANSHE BINGTUAN GONG'AN JU"}
    assert psb.notes == ["Director: Yang Guangqiu (XPCC PSB Director and Chief Inspector)"]
    assert psb.extra["type_of_entity"] == "Public Security Body"


def test_aliases_grades_scripts_and_un_refs(ofsi):
    _, records = ofsi
    haq = records["10834"]  # Abdul Haq: two rows per alias, one per address
    assert haq.same_as == ["un:QDi.268"] and haq.refs == ["ofsi-group:10834", "gb-ref:AQD0103"]
    graded = {n.value: n.quality for n in haq.names}
    assert graded["Abdul HEQ"] == "strong" and graded["SAIFUDING"] == "weak"
    assert haq.addresses == ["Afghanistan", "Pakistan"]
    script = next(n for n in haq.names if n.value == "阿不都·哈克")
    assert script.kind == "variation"
    akhund = records["7172"]
    assert next(n for n in akhund.names if not n.value.isascii()).value == "محمد حسن آخوند"
    assert akhund.extra["title"] == "Mullah; Haji"


def test_several_regimes_and_refs(ofsi, sheet):
    _, records = ofsi
    rows = groups(sheet)

    def stated(group, regime):
        row = next(r for r in rows[group] if r["Regime"] == regime)
        return (datetime.strptime(row["Listed On"], "%d/%m/%Y").date(),
                datetime.strptime(row["UK Sanctions List Date Designated"], "%d/%m/%Y").date())

    lukashenko = records["13919"]
    # Belarus: listed on 06/11/2020, designated anew by the UK on 31/12/2020.
    assert stated("13919", "Belarus") == (date(2020, 11, 6), date(2020, 12, 31))
    assert sorted((s.program, s.listed_on) for s in lukashenko.sanctions) == [
        ("Belarus", date(2020, 11, 6)), ("Global Human Rights", date(2020, 9, 29))]
    assert lukashenko.refs == ["ofsi-group:13919", "gb-ref:BEL0047", "gb-ref:GHR0051"]
    # The earlier of the two days; both stay beside it. Somalia: designated on 12/04/2010,
    # on OFSI's list from 28/04/2010. Kadyrov: on the list since 2014, under the UK's own
    # regulations from 31/12/2020.
    somalia = next(s for s in records["6995"].sanctions if s.program == "Somalia")
    assert somalia.listed_on == date(2010, 4, 12) and somalia.extra["listed_on"] == "28/04/2010"
    kadyrov = next(s for s in records["13042"].sanctions if s.program == "Russia")
    assert stated("13042", "Russia") == (date(2014, 7, 25), date(2020, 12, 31))
    assert kadyrov.listed_on == date(2014, 7, 25) and kadyrov.extra["date_designated"] == "31/12/2020"
    # But never before the regime's regulations: Pshonka was on the list from 2014, and
    # under Global Human Rights (in force from 6 July 2020) from 31/12/2020.
    for group in ("12892", "12893", "12894"):
        assert stated(group, "Global Human Rights") == (date(2014, 3, 6), date(2020, 12, 31))
        (ghr,) = records[group].sanctions
        assert ghr.listed_on == date(2020, 12, 31) and ghr.extra["listed_on"] == "06/03/2014"


def test_placeholder_dates_and_numbered_cells(ofsi, sheet):
    _, records = ofsi

    def group_where(column, value):
        return next(g for g, rows in groups(sheet).items() if any(r[column] == value for r in rows))

    assert "1961" in records[group_where("DOB", "00/00/1961")].birth_dates
    assert "1961-08" in records[group_where("DOB", "00/08/1961")].birth_dates
    assert {"DE", "MA"} <= set(records[group_where("Nationality", "(1) Germany. (2) Morocco")].nationalities)
    passports = records[group_where("Passport Number", "(1) 223611 (2) C00146605")].identifiers
    assert {"Passport 223611 (Libya number)", "Passport C00146605 (British passport number)"} <= set(passports)


def test_every_regime_is_a_program_of_gb(ofsi):
    _, records = ofsi
    model = Model()
    programs = {model.program("GB", s.program) for r in records.values() for s in r.sanctions}
    assert len(programs) == 31
    assert all(p.family != "unclassified" for p in programs)
    assert model.program("GB", "Global Human Rights").family == "human_rights"
    assert model.program("GB", "Global Anti-Corruption").family == "human_rights"
    assert model.program("GB", "Russia").family == "country"


def write_csv(path, sheet, encoding, rows=None):
    date_row, header, data = sheet
    with open(path, "w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow([c for c in date_row if c])
        writer.writerow(header)
        writer.writerows([["" if c is None else c for c in row] for row in (rows or data)])


def test_csv_form_gives_the_same_records(ofsi, sheet, tmp_path):
    _, from_xlsx = ofsi
    path = tmp_path / "ConList.csv"
    write_csv(path, sheet, "utf-8-sig")  # with a BOM
    assert detect(path) is OfsiLoader
    loader = OfsiLoader()
    from_csv = {r.record_id: r for r in loader.read([path])}
    assert loader.meta.published_on == date(2025, 4, 10)
    assert from_csv.keys() == from_xlsx.keys()
    for key in ("14074", "10834", "13919", "16601"):
        a, b = from_csv[key], from_xlsx[key]
        assert (a.name, a.names, a.sanctions, a.addresses, a.refs) == (b.name, b.names, b.sanctions,
                                                                        b.addresses, b.refs)


def test_cp1252_csv(sheet, tmp_path):
    _, header, data = sheet
    # Chen Mingguo's rows with an accented surname and a dash: bytes that are not UTF-8.
    rows = [("CHÉN – X", *r[1:]) for r in data if r[header.index("Group ID")] == "14074"]
    path = tmp_path / "ConList.csv"
    write_csv(path, sheet, "cp1252", rows)
    assert b"CH\xc9N \x96 X" in path.read_bytes()
    (record,) = OfsiLoader().read([path])
    assert (record.record_id, record.name) == ("14074", "MINGGUO CHÉN – X")


def test_wrong_column_row_names_the_line(sheet, tmp_path):
    path = tmp_path / "ConList.csv"
    write_csv(path, sheet, "utf-8", sheet[2][:200])
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[99] = lines[99].rstrip("\r\n").rsplit(",", 3)[0] + "\r\n"  # three cells short
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(LoadError, match=r"ConList\.csv, line 100: expected 36 columns, found 33"):
        list(OfsiLoader().read([path]))


def test_not_the_conlist_header(tmp_path):
    path = tmp_path / "ConList.csv"
    path.write_text("Last Updated,10/04/2025\nName,Group\nX,1\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"line 2: not the ConList header: no column Name 1"):
        list(OfsiLoader().read([path]))


def test_truncated_xlsx(tmp_path):
    path = tmp_path / "ConList.xlsx"
    path.write_bytes(XLSX.read_bytes()[:1_000_000])
    assert not OfsiLoader.sniff(path)
    with pytest.raises(LoadError) as e:
        list(OfsiLoader().read([path]))
    assert e.value.path == str(path) and "not a readable xlsx workbook" in e.value.message


def write_xlsx(path, rows, top=1, left=1):
    """A workbook whose first sheet holds `rows` from row `top`, column `left` (None: no cell)."""
    book = openpyxl.Workbook()
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is not None:
                book.active.cell(row=top + i, column=left + j, value=value)
    book.save(path)


def test_typed_cells_read_as_the_csv_writes_them(ofsi, sheet, tmp_path):
    """A workbook whose cells are numbers and dates, not text, and whose table starts at
    row 3 with a blank row in it: the same record as the real file's, every line the
    sheet's row."""
    _, records = ofsi
    _, header, data = sheet
    group = [list(r) for r in data if r[header.index("Group ID")] == "14074"]
    for row in group:
        row[header.index("Group ID")] = 14074
        row[header.index("Listed On")] = datetime(2021, 3, 22)
        row[header.index("Last Updated")] = datetime(2021, 4, 1, 9, 30)
    path = tmp_path / "ConList.xlsx"
    write_xlsx(path, [["Last Updated", datetime(2025, 4, 10)], [], header, *group], top=3)
    loader = OfsiLoader()
    (record,) = loader.read([path])
    assert loader.meta.published_on == date(2025, 4, 10)
    expected = records["14074"]
    assert (record.record_id, record.name, record.names, record.birth_dates, record.sanctions, record.refs) == (
        expected.record_id, expected.name, expected.names, expected.birth_dates, expected.sanctions, expected.refs)
    assert record.line == 6  # the date row 3, a blank row, the header 5
    no_group = [*group[0][:header.index("Group ID")], None]
    write_xlsx(path, [["Last Updated", "10/04/2025"], header, *group, [], no_group], top=3)
    with pytest.raises(LoadError, match=rf"ConList\.xlsx, line {5 + len(group) + 1}: the row has no Group ID"):
        list(OfsiLoader().read([path]))


def test_cells_are_read_from_row_1_and_column_a(tmp_path):
    path = tmp_path / "ConList.xlsx"
    write_xlsx(path, [["x", 5, datetime(2021, 3, 22, 13, 45), None, 2.5, True, ""]], top=2, left=3)
    assert list(_xlsx_rows(path)) == [(1, [None] * 8), (2, [None, None, "x", "5", "22/03/2021", None, "2.5", "True"])]


@pytest.mark.parametrize("part", ["xl/workbook.xml", "xl/worksheets/sheet1.xml"])
def test_a_dtd_is_refused_even_when_no_entity_is_used(sheet, tmp_path, part):
    """python-calamine would read the workbook (it ignores a DTD): the loader refuses it."""
    date_row, header, data = sheet
    plain, path = tmp_path / "plain.xlsx", tmp_path / "ConList.xlsx"
    write_xlsx(plain, [date_row, header, *data[:5]])
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as out:
        for item in source.infolist():
            xml = source.read(item)
            if item.filename == part:  # after the XML declaration, where there is one
                xml = re.sub(rb"^(<\?xml[^>]*\?>)?", rb'\g<0><!DOCTYPE x [<!ENTITY e "unused">]>', xml, count=1)
            out.writestr(item, xml)
    assert len(list(OfsiLoader().read([plain]))) == len({r[header.index("Group ID")] for r in data[:5]})
    with pytest.raises(LoadError, match=rf"ConList\.xlsx: not a readable xlsx workbook \({part} declares a DTD: "
                                        "refused for safety"):
        list(OfsiLoader().read([path]))


#: How the OFSI file writes some nationalities, and the country each is (issue 14: these
#: stayed raw text or were dropped).
WRITTEN_NATIONALITIES = {"Congo (Democratic Republic)": "CD", "The Gambia": "GM", "Belrus": "BY",
                         "Palestine": "PS", "Guinea Bissau": "GW", "DPRK": "KP"}


def test_nationalities_as_the_file_writes_them_are_countries(ofsi, sheet):
    _, records = ofsi
    _, header, rows = sheet
    found = 0
    for row in rows:
        cells = dict(zip(header, row))
        written = str(cells["Nationality"] or "")
        for text, code in WRITTEN_NATIONALITIES.items():
            if text in written and "(1)" not in written:  # one nationality in the cell
                found += 1
                nationalities = records[str(cells["Group ID"])].nationalities
                assert code in nationalities and text not in nationalities, (cells["Group ID"], written)
    assert found >= 40


def test_a_business_registration_number_is_an_identifier(ofsi, sheet):
    # Resolution compares identifiers, not extra: OFSI's ALVAND MOTORBUILDING INDUSTRIES
    # COMPANY and OFAC's SANAYE MOTORSAZI ALVAND share the number 606989 (tests/unit/test_resolve.py).
    _, records = ofsi
    cells = groups(sheet)["16482"][0]
    assert "(Business Reg No):606989" in cells["Other Information"]
    assert "Business Reg No 606989" in records["16482"].identifiers
    with_numbers = [r for r in records.values() if "business_registration_number" in r.extra]
    assert with_numbers and all(any(i.startswith("Business Reg No ") for i in r.identifiers) for r in with_numbers)
