"""The OFAC legacy CSV loader on the real files in data/ofac (no database)."""

import csv
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from loaders.base import LoadError
from loaders.ofac_csv import OfacCsvLoader

OFAC = Path(__file__).resolve().parents[2] / "data" / "ofac"
XINJIANG = ["29159", "29160", "29162", "29219", "29220", "29299", "29300", "29319", "31492", "31493"]


@pytest.fixture(scope="module")
def sdn():
    loader = OfacCsvLoader()
    records = {r.record_id: r for r in loader.read([OFAC / "sdn.csv"])}
    return loader, records


def raw_rows(name):
    """The file read independently of the loader: csv module, -0- left as is."""
    text = (OFAC / name).read_bytes().decode("utf-8").rstrip("\x1a")
    return [row for row in csv.reader(text.splitlines()) if row]


def test_every_entry_loads(sdn):
    loader, records = sdn
    assert len(records) == len(raw_rows("sdn.csv")) == 8976
    assert loader.meta.dataset == "us-ofac-sdn"
    assert len(loader.meta.files) == 4 and loader.meta.lacks == []


def test_program_counts_match_the_file(sdn):
    _, records = sdn
    expected = Counter(p.strip() for row in raw_rows("sdn.csv") for p in row[3].split("] [")
                       if row[3].strip() != "-0-")
    found = Counter(s.program for r in records.values() for s in r.sanctions)
    assert found == expected
    assert found["GLOMAG"] == 315
    assert any({s.program for s in r.sanctions} == {"SDGT", "GLOMAG"} for r in records.values())


def test_aliases_and_addresses_match_the_side_files(sdn):
    _, records = sdn
    strong = sum(1 for r in records.values() for n in r.names if n.quality == "strong")
    assert strong == len(raw_rows("alt.csv"))
    addresses = [row for row in raw_rows("add.csv")
                 if any(c.strip() != "-0-" for c in row[2:5])]
    assert sum(len(r.addresses) for r in records.values()) == len(addresses)


def test_weak_aliases_come_from_remarks_and_stay_apart(sdn):
    _, records = sdn
    bnc = records["306"]  # BANCO NACIONAL DE CUBA: "a.k.a. 'BNC'." in remarks
    assert [(n.value, n.quality) for n in bnc.names if n.value == "BNC"] == [("BNC", "weak")]
    assert all(n.quality == "strong" for n in bnc.names if n.value == "NATIONAL BANK OF CUBA")


def test_xinjiang_records(sdn):
    _, records = sdn
    for ent in XINJIANG:
        rec = records[ent]
        assert [s.program for s in rec.sanctions] == ["GLOMAG"], ent
        assert rec.sanctions[0].jurisdiction == "US"
    assert records["29159"].schema == "Organization"
    assert records["29299"].schema == "Organization"
    assert records["29220"].schema == "Person"
    assert records["29220"].birth_dates == ["1955"]
    assert records["29220"].birth_places == ["Pingyu, Henan, China"]
    assert records["29220"].gender == "male"
    assert records["31493"].birth_dates == ["1966-10"]
    assert records["31493"].nationalities == ["CN"]
    links = {(ent, link.target) for ent in XINJIANG for link in records[ent].links}
    assert links == {
        ("29299", "CHEN, Quanguo"),
        ("29300", "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"),
        ("29319", "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"),
        ("31492", "XINJIANG PRODUCTION AND CONSTRUCTION CORPS"),
        ("31493", "XINJIANG PUBLIC SECURITY BUREAU"),
    }
    assert {n.value for n in records["29159"].names} >= {"PUBLIC SECURITY DEPARTMENT OF XUAR"}


def test_remarks_continue_in_the_comments_file(sdn):
    _, records = sdn
    remarks = records["12300"].extra["remarks"]
    assert "Linked To: PROMO RAIZ S.A.S." in remarks
    assert any(link.target == "R D I S.A" for link in records["12300"].links)


def test_truncated_file_names_the_line(tmp_path):
    data = (OFAC / "sdn.csv").read_bytes()
    cut = data[: data.index(b"\n29220,") + 30]  # inside Chen Quanguo's row
    (tmp_path / "sdn.csv").write_bytes(cut)
    with pytest.raises(LoadError) as e:
        list(OfacCsvLoader().read([tmp_path / "sdn.csv"]))
    assert e.value.path.endswith("sdn.csv")
    assert e.value.line == 8207
    assert "line 8207" in str(e.value)


def _copy_set(tmp_path):
    """The four files copied into tmp_path; alt.csv's lines, to change."""
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        shutil.copy(OFAC / name, tmp_path / name)
    return (tmp_path / "alt.csv").read_bytes().split(b"\r\n")


def test_wrong_column_count_names_the_line(tmp_path):
    lines = _copy_set(tmp_path)
    lines[99] = lines[99].rsplit(b",", 1)[0]
    (tmp_path / "alt.csv").write_bytes(b"\r\n".join(lines))
    with pytest.raises(LoadError, match=r"alt\.csv, line 100: expected 5 columns, found 4"):
        list(OfacCsvLoader().read([tmp_path]))


def test_circa_birth_dates_are_marked_approximate(sdn):
    _, records = sdn
    assert records["10569"].approximate_birth_dates == ["1975"]  # MAKHLUF, Hafiz: "DOB circa 1975"
    # MAHAMOUD, Bashir Mohamed: "DOB circa 1979-1982; alt. DOB 1982"
    assert records["11748"].birth_dates == ["1979", "1980", "1981", "1982"]
    # Every "DOB circa YYYY" of the file's remarks, read with a plain regex.
    circa: dict[str, set[str]] = {}
    for row in raw_rows("sdn.csv"):
        for first, last in re.findall(r"\bDOB circa (\d{4})(?:-(\d{4}))?", row[-1]):
            circa.setdefault(row[0], set()).update(str(y) for y in range(int(first), int(last or first) + 1))
    assert len(circa) >= 30
    for ent_num, years in circa.items():
        assert years <= set(records[ent_num].approximate_birth_dates), ent_num


def test_a_side_file_out_of_ent_num_order_names_the_line(tmp_path):
    lines = _copy_set(tmp_path)
    # Line 201 moved to the top: the row after it (the old line 1) goes back in ent_num.
    first, moved = int(lines[0].split(b",")[0]), int(lines[200].split(b",")[0])
    assert moved > first
    (tmp_path / "alt.csv").write_bytes(b"\r\n".join([lines[200], *lines[:200], *lines[201:]]))
    with pytest.raises(LoadError, match=rf"alt\.csv, line 2: not in ent_num order: {first} after {moved}"):
        list(OfacCsvLoader().read([tmp_path]))


def test_side_rows_of_an_entry_the_list_lacks_are_warned_of_once(tmp_path):
    lines = _copy_set(tmp_path)
    # Two aliases of an ent_num no entry has, after the last one of sdn.csv.
    last = max(int(row[0]) for row in raw_rows("sdn.csv"))
    orphan = [f"{last + 1},{n},aka,ORPHAN {n},-0- ".encode() for n in (1, 2)]
    end = lines.index(b"\x1a") if b"\x1a" in lines else len(lines)
    (tmp_path / "alt.csv").write_bytes(b"\r\n".join([*lines[:end], *orphan, *lines[end:]]))
    loader = OfacCsvLoader()
    records = list(loader.read([tmp_path]))
    assert len(records) == 8976
    assert [w.message for w in loader.warnings if "is not in" in w.message] == [
        f"ent_num {last + 1} is not in sdn.csv"
    ]
    assert sum(1 for r in records for n in r.names if n.quality == "strong") == len(raw_rows("alt.csv"))


def test_numbers_labelled_no_are_identifiers(tmp_path):
    # "Tax ID No. 5263000105 (Russia)" and the like went to the notes while the label's
    # pattern ended in \b, which cannot match between "No." and the space after it.
    shutil.copy(OFAC / "history" / "sdn_2024-05-03.csv", tmp_path / "sdn.csv")
    loader = OfacCsvLoader()
    records = {r.record_id: r for r in loader.read([tmp_path / "sdn.csv"])}
    assert "Tax ID No. 5263000105 (Russia)" in records["40587"].identifiers  # TsKB Lazurit
    # Without its side files the list lacks what they hold (the briefing says so).
    assert loader.meta.lacks == ["addresses", "strong aliases", "remarks longer than 1,000 characters"]
    # Every such phrase of the file's remarks, read with a plain regex.
    text = (tmp_path / "sdn.csv").read_bytes().decode("latin-1")
    labelled = re.compile(r"(?:^|; )(?:alt\. )?((?:Tax ID|National ID|Cedula) No\. [^;]+?)(?=;|\.?$)")
    expected = [(row[0], m) for row in csv.reader(text.splitlines()) if row for m in labelled.findall(row[-1])]
    assert len(expected) > 4000
    assert [(e, p) for e, p in expected if p not in records[e].identifiers] == []
