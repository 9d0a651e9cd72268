"""Canada's consolidated autonomous list on the real 2020 and 2025 files (no database)."""

import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from lxml import etree

from graph.model import Model
from loaders import detect
from loaders.base import LoadError
from loaders.canada import LEGAL_FORMS, CanadaSemaLoader

CANADA = Path(__file__).resolve().parents[2] / "data" / "canada"
FILES = {"2020": CANADA / "sema-lmes_2020-04-15.xml", "2025": CANADA / "sema-lmes_2025-09-22.xml"}


@pytest.fixture(scope="module")
def loaded():
    out = {}
    for year, path in FILES.items():
        loader = CanadaSemaLoader()
        out[year] = loader, {r.record_id: r for r in loader.read([path])}
    return out


def raw_records(year):
    """The file read independently of the loader: every <record> as a dict of its fields."""
    root = etree.parse(str(FILES[year])).getroot()
    return [{child.tag: (child.text or "").strip() for child in rec} for rec in root.iter("record")]


def expected_aliases(fields):
    """Distinct alias strings of a record: comma/semicolon pieces that are not a bare legal
    form, the language label removed, the record's own name excluded. A comma inside
    «…» is part of the name."""
    aliases = re.sub(r"«[^«»]*»", lambda m: m.group().replace(",", "\0"), fields.get("Aliases", ""))
    pieces = [p.strip().replace("\0", ",") for p in re.split(r"[,;]", aliases)]
    names = {re.sub(r"^(Russian|Belaru\w+|Ukrainian)\s*:\s*", "", re.sub(r"\s+", " ", p))
             for p in pieces if p and p.casefold() not in LEGAL_FORMS}
    own = fields.get("EntityOrShip") or fields.get("Entity") or " ".join(
        p for p in (fields.get("GivenName"), fields.get("LastName")) if p)
    return len(names - {own})


@pytest.mark.parametrize("year, count", [("2020", 1369), ("2025", 5090)])
def test_every_record_loads_with_the_file_counts(loaded, year, count):
    loader, records = loaded[year]
    raw = raw_records(year)
    assert len(records) == len(raw) == count
    assert loader.meta.dataset == "ca-sema"
    assert loader.meta.published_on == date.fromisoformat(FILES[year].stem.split("_")[1])
    assert loader.meta.published_from == "file name"
    assert sum(len(r.sanctions) for r in records.values()) == count
    assert sum(len(r.names) for r in records.values()) == sum(expected_aliases(f) for f in raw)
    assert sum(len(r.addresses) for r in records.values()) == 0  # the list has none
    # Only what cannot be a date is reported, never a lost record.
    assert all("date of birth" in w.message for w in loader.warnings)
    schemas = Counter(r.schema for r in records.values())
    ships = sum(1 for f in raw if f.get("ShipIMONumber"))
    assert schemas["Vessel"] == ships
    assert schemas["Person"] == sum(1 for f in raw if f.get("LastName") or f.get("GivenName"))


def test_china_records_and_dates(loaded):
    _, records = loaded["2025"]
    china = {k: r for k, r in records.items() if k.startswith("china-")}
    assert sorted(china) == sorted([f"china-p1-{i}" for i in range(1, 13)] + ["china-p2-1"])
    for key, rec in china.items():
        item = int(key.rsplit("-", 1)[1])
        march_2021 = key == "china-p2-1" or item <= 4
        assert rec.sanctions[0].listed_on == (date(2021, 3, 21) if march_2021 else date(2024, 12, 9)), key
        assert rec.sanctions[0].program == "China / Chine"
    assert china["china-p1-1"].name == "Hailun Zhu"
    assert china["china-p1-5"].name == "Quanguo Chen" and china["china-p1-5"].birth_dates == ["1955-11"]
    assert china["china-p2-1"].schema == "Organization"
    assert china["china-p2-1"].name == "Xinjiang Production and Construction Corps Public Security Bureau"


def test_every_regulation_is_a_program_of_canada(loaded):
    model = Model()
    programs = Counter(model.program("CA", s.program).id
                       for year in loaded for r in loaded[year][1].values() for s in r.sanctions)
    assert all(model.programs[p].authority == "CA-GAC" for p in programs), programs
    assert model.programs["CA-JVCFOR"].family == "human_rights"
    # The China regulations were made for Xinjiang's human rights violations: the
    # family says so, with its grounds (data/programs/ca.yaml); other SEMA regimes are
    # country regimes.
    assert model.programs["CA-CHINA"].family == "human_rights"
    assert "SOR/2021-49" in model.programs["CA-CHINA"].family_grounds
    assert model.programs["CA-RUSSIA"].family == "country"
    assert programs["CA-BURMA"] == 89 + 241  # "Burma" in 2020, "Myanmar (Burma)" in 2025


def test_ids_follow_the_items_across_the_two_notations(loaded):
    """2020 writes Schedule "2" where 2025 writes "1, Part 2": the same item keeps its id."""
    old, new = loaded["2020"][1], loaded["2025"][1]
    by_name = {(r.sanctions[0].program[:4], r.name.casefold()): k for k, r in new.items()}
    moved = {k: by_name[(r.sanctions[0].program[:4], r.name.casefold())]
             for k, r in old.items() if (r.sanctions[0].program[:4], r.name.casefold()) in by_name}
    changed = {k: v for k, v in moved.items() if k != v}
    assert len(moved) > 1100
    # What changed is what Canada renumbered (Russia's Schedule 2 folded into Schedule 1,
    # Part 2; South Sudan's two items swapped), not the notation.
    assert all(k.startswith(("russia-s", "south-sudan")) for k in changed), changed
    assert old["syria-p2-1"].name.casefold() == new["syria-p2-1"].name.casefold()
    assert old["iran-p2-1"].name.casefold() == new["iran-p2-1"].name.casefold()
    assert old["jvcfor-1"].name.casefold() == new["jvcfor-1"].name.casefold()


def test_messy_dates_of_birth_and_aliases(loaded):
    _, records = loaded["2025"]
    by_dob = {r.extra.get("DateOfBirthOrShipBuildDate"): r for r in records.values()}
    assert by_dob["1963 or 1964"].birth_dates == ["1963", "1964"]
    assert by_dob["1963-1964"].birth_dates == ["1963", "1964"]
    assert by_dob["1953-10-27"].birth_dates == ["1953-10-27"]  # leading space in the file
    assert by_dob["1965-07-15 OR 1969-09-28"].birth_dates == ["1965-07-15", "1969-09-28"]
    ship = next(r for r in records.values() if r.schema == "Vessel")
    assert ship.birth_dates == [] and ship.identifiers[0].startswith("IMO ")
    company = next(r for r in records.values() if r.extra.get("Aliases") == "КВЗ-Ремсервис, АО")
    assert [n.value for n in company.names] == ["КВЗ-Ремсервис, АО"]
    labelled = next(r for r in records.values()
                    if r.extra.get("Aliases", "").startswith("Siarhei Uladzimiravich Karcheusky"))
    assert [(n.value, n.lang) for n in labelled.names] == [
        ("Siarhei Uladzimiravich Karcheusky", None),
        ("Сяргей Уладзiмiравiч Карчэўскi", "Belarusian"),
        ("Сергей Владимирович Карчевский", "Russian")]


def test_a_comma_inside_a_name_does_not_split_it(loaded):
    _, records = loaded["2025"]
    # A comma written inside the closing quote, then "…, and" before the last alias.
    assert [n.value for n in records["russia-p2-249"].names] == [
        'Акционерное Общество "Специальное Конструкторско-Технологическое Бюро По Релейной Технике"',
        "СКТБ РТ",
        "Специальное конструкторско-технологическое бюро по релейной технике, АО"]
    # A comma inside guillemets.
    society = next(r for r in records.values()
                   if r.extra.get("Aliases", "").startswith("Общероссийская общественно"))
    assert [n.value for n in society.names] == [
        "Общероссийская общественно-государственная организация «Добровольное общество "
        "содействия армии, авиации и флоту России»"]


def test_detected_by_content():
    assert all(detect(path) is CanadaSemaLoader for path in FILES.values())


def test_truncated_file_names_the_line(tmp_path):
    data = FILES["2025"].read_bytes()
    cut = tmp_path / "sema-lmes_2025-09-22.xml"
    cut.write_bytes(data[: data.index(b"<LastName>Chen</LastName>") + 12])
    with pytest.raises(LoadError) as e:
        list(CanadaSemaLoader().read([cut]))
    assert e.value.path == str(cut) and e.value.line == 2852
    assert "malformed XML" in e.value.message


def test_duplicate_id_names_both_records(tmp_path):
    text = FILES["2025"].read_text(encoding="utf-8")
    # China Part 1 item 2 renumbered as item 1: two records claim china-p1-1.
    text = text.replace("<GivenName>Junzheng</GivenName>\n\t\t<Schedule>Part 1</Schedule>\n\t\t<Item>2</Item>",
                        "<GivenName>Junzheng</GivenName>\n\t\t<Schedule>Part 1</Schedule>\n\t\t<Item>1</Item>")
    bad = tmp_path / "sema-lmes_2025-09-22.xml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(LoadError) as e:
        list(CanadaSemaLoader().read([bad]))
    assert e.value.record == "china-p1-1"
    assert "appears twice (first at line 2826)" in str(e.value)
    assert e.value.line == 2834


def test_record_without_item_names_the_line(tmp_path):
    bad = tmp_path / "sema-lmes.xml"
    bad.write_text('<?xml version="1.0"?>\n<data-set>\n<record>\n<Country>China / Chine</Country>\n'
                   "<LastName>Zhu</LastName>\n</record>\n</data-set>\n", encoding="utf-8")
    with pytest.raises(LoadError, match=r"sema-lmes\.xml, line 3: a record without Country or Item"):
        list(CanadaSemaLoader().read([bad]))
