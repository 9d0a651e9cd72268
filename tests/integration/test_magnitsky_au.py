"""The Russian officials of the Magnitsky case that Australia listed under its thematic
human-rights regime (Control Date 2022-03-30), on the demo graph: each is one entity with
its US, UK and Canadian records, and the lags between the four states are what the lists
allow.

The records of each official were picked by hand from the real files (the table below)
and each pick is checked here against the files, read with python-calamine, csv, lxml and
git, independently of loaders/: the same surname, the same birth date (where the list
gives one), the human-rights regime of each state and its listing date. The graph must
join exactly these records of the four lists, no more (the traps: the UK's other
Krivoruchko, Aleksei Yurievich, born 1975, Deputy Minister of Defence; its Georgy
Alexandrovich Karlov; Canada's Georgy Alexandrovich Karlov), no fewer."""

from __future__ import annotations

import csv
import re
import subprocess
from datetime import date, datetime

import pandas as pd
import pytest
from conftest import DATA
from lxml import etree
from python_calamine import CalamineWorkbook

AU_FILE = DATA / "au" / "regulation8_consolidated.xlsx"
UK_FILE = DATA / "uk" / "ofsi_conlist_2025-04-10.xlsx"
CA_FILE = DATA / "canada" / "sema-lmes_2025-09-22.xml"
US_FILE = DATA / "ofac" / "sdn.csv"
US_HISTORY = DATA / "ofac" / "history" / "sdn-history.bundle"
AU_LISTED = date(2022, 3, 30)
STATES = ["US", "GB", "CA", "AU"]

#: Australia's Reference → (OFAC ent_num, OFSI Group ID, Canada's JVCFOR Item or None).
#: Canada's Magnitsky law lists 20 of the 25; it never listed Karlov, Kibis, Lapshov,
#: Strizhov and Trikulya.
OFFICIALS = {
    6830: (19099, 13853, 20),    # Aleksey Vasilyevich ANICHIN
    6831: (15879, 13880, 22),    # Aleksei DROGANOV
    6832: (16395, 13860, 23),    # Alexandra Viktorovna GAUS/GAUSS
    6833: (17546, 13875, 25),    # Victor Yakovlevich GRIN
    6834: (15881, 13862, 30),    # Dmitriy KOMNOV
    6835: (16394, 13852, 31),    # Dmitry Borisovich KRATOV
    6836: (16431, 13877, 32),    # Andrei Alexandrovich KRECHETOV
    6837: (15885, 13886, 33),    # Aleksey KRIVORUCHKO, born 1977, judge
    6838: (16393, 13865, 35),    # Larisa Anatolievna LITVINOVA
    6839: (15888, 13870, 36),    # Oleg LOGUNOV
    6840: (15890, 13876, 38),    # Andrey Ivanovich PECHEGIN
    6841: (15891, 13881, 40),    # Sergei PODOPRIGOROV
    6842: (15892, 13864, 41),    # Ivan Pavlovitch PROKOPENKO
    6843: (15893, 13854, 42),    # Oleg F. SILCHENKO
    6844: (15894, 13883, 43),    # Yelena STASHINA
    6845: (16396, 13859, 46),    # Fikret TAGIYEV
    6846: (15896, 13878, 47),    # Dmitri TOLCHINSKIY
    6847: (15897, 13887, 48),    # Svetlana UKHNALYOVA
    6848: (15898, 13858, 49),    # Natalya VINOGRADOVA
    6849: (23253, 13856, None),  # Gennady Vyacheslavovich KARLOV
    6850: (19268, 13868, None),  # Boris Borisovich KIBIS
    6851: (19273, 13884, None),  # Pavel LAPSHOV
    6852: (17547, 13872, None),  # Andrei Alexandrovich STRIZHOV
    6853: (26723, 13873, None),  # Elena Anatolievna TRIKULYA
    6854: (21186, 13867, 21),    # Alexander Ivanovich BASTRYKIN
}
#: The UK lists Prokopenko twice: under Global Human Rights (GHR0009, head of the FSIN at
#: Matrosskaya Tishina) and under its Russia regime in 2022 (RUS1666, head of the FSIN's
#: Tula branch): the same name, born on 28/09/1973 in Vinnitsa both times, the same
#: service. One person, two UK records.
UK_SECOND_RECORD = {6842: 15643}
#: The US gives Kratov's birth date as 16 Jul 1964, the UK and Australia as 19/07/1964:
#: the same official of the Magnitsky case (same full name, same program in each list).
US_BORN_OTHERWISE = {6835: date(1964, 7, 16)}


# -- the lists, read without loaders/ -----------------------------------------------------


def surnames(name: str) -> set[str]:
    """The surname(s) of a name written "Given SURNAME" (Australia: GAUS/GAUSS)."""
    return {s.strip().upper() for s in name.split()[-1].split("/")}


@pytest.fixture(scope="module")
def australia() -> dict[int, dict]:
    """Australia's thematic human-rights listings of Russians with Control Date 2022-03-30:
    Reference → primary name, surnames of every name, birth date, control date."""
    rows = CalamineWorkbook.from_path(str(AU_FILE)).get_sheet_by_index(0).to_python()
    header = [str(h).strip() for h in rows[0]]
    found: dict[int, dict] = {}
    for row in rows[1:]:
        r = dict(zip(header, row))
        reference = str(r["Reference"]).strip()
        number = int(float(re.match(r"\d+(\.0)?", reference).group()))
        if str(r["Committees"]).strip() != "Autonomous (Thematic - Human Rights)" \
                or r["Control Date"] != AU_LISTED or str(r["Citizenship"]).strip() != "Russia":
            continue
        entry = found.setdefault(number, {"names": set(), "surnames": set()})
        entry["names"].add(str(r["Name of Individual or Entity"]).strip())
        entry["surnames"] |= surnames(str(r["Name of Individual or Entity"]))
        if r["Name Type"] == "Primary Name":
            entry["name"], entry["born"] = str(r["Name of Individual or Entity"]).strip(), r["Date of Birth"]
            entry["control_date"] = r["Control Date"]
    return found


@pytest.fixture(scope="module")
def us_list() -> dict[int, dict]:
    """OFAC's sdn.csv (2021): ent_num → surname, programs, birth date from the remarks."""
    found = {}
    with open(US_FILE, encoding="latin-1", newline="") as f:
        for row in csv.reader(f):
            if len(row) < 12 or not row[0].strip().isdigit():
                continue
            born = re.search(r"DOB (\d{2} \w{3} \d{4})", row[11])
            found[int(row[0])] = {
                "surname": row[1].split(",")[0].strip().upper(),
                "programs": {p.strip(" []") for p in row[3].split("] [")},
                "born": datetime.strptime(born.group(1), "%d %b %Y").date() if born else None}
    return found


@pytest.fixture(scope="module")
def uk_list() -> dict[int, dict]:
    """OFSI's ConList (2025-04-10): Group ID → surnames, regime, birth date, listed on."""
    rows = CalamineWorkbook.from_path(str(UK_FILE)).get_sheet_by_index(0).to_python()
    header = rows[1]
    found: dict[int, dict] = {}
    for row in rows[2:]:
        r = dict(zip(header, row))
        entry = found.setdefault(int(r["Group ID"]), {"surnames": set(), "born": set()})
        entry["surnames"].add(str(r["Name 6"]).strip().upper())
        entry["regime"] = r["Regime"]
        try:  # one row per name: the birth dates of all of them ('00/00/1994' is a year only)
            entry["born"].add(datetime.strptime(str(r["DOB"]), "%d/%m/%Y").date())
        except ValueError:
            pass
        entry["listed"] = r["Listed On"]
    return found


@pytest.fixture(scope="module")
def canada() -> list[dict]:
    """Canada's list (2025-09-22), every record: regime, names, item, listing date."""
    return [{"regime": (r.findtext("Country") or "").strip(), "last": (r.findtext("LastName") or "").strip().upper(),
             "given": (r.findtext("GivenName") or "").strip(), "item": (r.findtext("Item") or "").strip(),
             "listed": date.fromisoformat(r.findtext("DateOfListing"))}
            for r in etree.parse(str(CA_FILE)).iter("record")]


@pytest.fixture(scope="module")
def us_first_version(tmp_path_factory) -> tuple[date, set[int]]:
    """The oldest version of OFAC's history (a git bundle): its day and its ent_nums."""
    clone = tmp_path_factory.mktemp("sdn-history") / "h"
    subprocess.run(["git", "clone", "-q", str(US_HISTORY), str(clone)], check=True)
    first, when = subprocess.run(["git", "-C", str(clone), "log", "--reverse", "--format=%H %cI", "--", "sdn.csv"],
                                 check=True, capture_output=True, text=True).stdout.split("\n")[0].split()
    text = subprocess.run(["git", "-C", str(clone), "show", f"{first}:sdn.csv"], check=True,
                          capture_output=True, text=True, encoding="latin-1").stdout
    ids = {int(row[0]) for row in csv.reader(text.splitlines()) if row and row[0].strip().isdigit()}
    return datetime.fromisoformat(when).date(), ids


def test_the_hand_picked_records_are_the_officials_in_each_list(australia, us_list, uk_list, canada):
    # Australia listed 25 Russians on 2022-03-30 under its thematic human-rights regime.
    assert set(australia) == set(OFFICIALS) and len(OFFICIALS) == 25
    jvcfor = [r for r in canada if r["regime"].startswith("Justice for Victims of Corrupt Foreign Officials")]
    for reference, (us, uk, ca) in OFFICIALS.items():
        au = australia[reference]
        assert us_list[us]["surname"] in au["surnames"] and "MAGNIT" in us_list[us]["programs"], au
        assert us_list[us]["born"] == US_BORN_OTHERWISE.get(reference, au["born"]), au
        for group in (uk, UK_SECOND_RECORD.get(reference)):
            if group:
                assert uk_list[group]["surnames"] & au["surnames"] and uk_list[group]["born"] == {au["born"]}, au
        assert (uk_list[uk]["regime"], uk_list[uk]["listed"]) == ("Global Human Rights", "06/07/2020")
        mine = [r for r in jvcfor if r["last"] in au["surnames"]]
        if ca is None:
            # On none of Canada's lists under any regime: no record of that surname with
            # that first name (Canada's KARLOV is Georgy Alexandrovich).
            firsts = {n.split()[0] for n in au["names"]}
            assert not [r for r in canada if r["last"] in au["surnames"] and r["given"]
                        and r["given"].split()[0] in firsts], au
            assert mine == []
        else:
            assert [(r["item"], r["listed"]) for r in mine] == [(str(ca), date(2017, 11, 3))], au
    # The traps are other people: other birth dates, other regimes.
    assert (uk_list[13974]["born"], uk_list[13974]["regime"]) == ({date(1975, 7, 17)}, "Chemical Weapons")
    assert uk_list[14359]["surnames"] == {"KARLOV"} and uk_list[14359]["born"] == {date(1971, 1, 4)}


def record_keys(reference: int) -> set[str]:
    us, uk, ca = OFFICIALS[reference]
    keys = {f"au-dfat:{reference}", f"us-ofac-sdn:{us}", f"gb-ofsi:{uk}"}
    if reference in UK_SECOND_RECORD:
        keys.add(f"gb-ofsi:{UK_SECOND_RECORD[reference]}")
    if ca is not None:
        keys.add(f"ca-sema:jvcfor-{ca}")
    return keys


def test_each_official_is_one_entity_with_its_records_of_the_four_states(demo_graph):
    g = demo_graph
    entities = set()
    for reference in OFFICIALS:
        entity = g.entity(f"au-dfat:{reference}")["id"]
        entities.add(entity)
        held = {r["key"] for r in g.read(
            """
            MATCH (r:Record)-[:DESCRIBES]->(:Entity {id: $id})
            WHERE r.dataset IN $datasets
            RETURN r.key AS key
            """, id=entity, datasets=["au-dfat", "us-ofac-sdn", "gb-ofsi", "ca-sema"])}
        assert held == record_keys(reference), reference
        # Each record of them names that entity, whichever is looked up.
        assert {g.entity(key)["id"] for key in record_keys(reference)} == {entity}
    assert len(entities) == 25
    # The traps stay apart.
    for other in ("gb-ofsi:13974", "gb-ofsi:14748", "gb-ofsi:14359"):
        assert g.entity(other)["id"] not in entities


def test_the_dates_of_the_four_states(demo_graph, us_first_version):
    """Canada and the UK state their listing days; Australia's Control Date is a bound (the
    listing or a later amendment); OFAC's sdn.csv has no dates, and every one of them is
    in the oldest version of its history: listed on or before that version's day."""
    first_day, first_ids = us_first_version
    assert first_day == date(2021, 8, 18)
    for reference, (us, _, ca) in OFFICIALS.items():
        assert us in first_ids
        d = demo_graph.designations(f"au-dfat:{reference}")
        d = d[d.jurisdiction.isin(STATES) & (d.family == "human_rights")]
        assert d.jurisdiction.is_unique, d
        dates = dict(zip(d.jurisdiction, d.date))
        expected = {"US": f"on or before {first_day}", "GB": "2020-07-06 (listed)",
                    "AU": f"on or before {AU_LISTED}"}
        if ca is not None:
            expected["CA"] = "2017-11-03 (listed)"
        assert dates == expected, reference


def test_the_lags_between_the_four_states(demo_graph, us_first_version):
    g = demo_graph
    first_day, _ = us_first_version
    lags = g.lags(base=None, others=STATES, family="human_rights")
    closed = g.closed_gaps("2018-01-01", family="human_rights", jurisdictions=STATES)
    gaps = g.new_gaps("2020-07-06", family="human_rights", jurisdictions=STATES)
    uk_after_ca = (date(2020, 7, 6) - date(2017, 11, 3)).days
    assert uk_after_ca == 976
    for reference, (_, _, ca) in OFFICIALS.items():
        entity = g.entity(f"au-dfat:{reference}")["id"]
        mine = lags[(lags.target == entity) & lags["from"].isin(STATES)].set_index(["from", "to"])
        # Every ordered pair of the four, from a state that designated the official.
        assert len(mine) == (12 if ca is not None else 9), mine
        # Only two stated days give a number: the UK 976 days after Canada. The US and
        # Australia are bounds: a lag with either would be a number that is not true.
        for (a, b), row in mine.iterrows():
            if {a, b} == {"CA", "GB"} and ca is not None:
                assert row.days == (uk_after_ca if a == "CA" else -uk_after_ca) and row.dated
            elif "CA" in (a, b) and ca is None:
                assert pd.isna(row.days) and pd.isna(row.follow_date if b == "CA" else row.base_date)
            else:
                assert pd.isna(row.days) and not row.dated, (reference, a, b)
        assert mine.loc[("US", "AU")].base_date.date() == first_day
        assert mine.loc[("US", "AU")].follow_date.date() == AU_LISTED
        assert (mine.loc[("US", "AU")].base_basis, mine.loc[("US", "AU")].follow_basis) == (
            "on_or_before", "on_or_before")
        row = closed[(closed.id == entity) & (closed.jurisdiction == "GB")]
        follow_up = gaps[(gaps.id == entity) & gaps.gap]
        if ca is not None:
            # The UK closed its gap on Canada's listing 976 days later.
            assert (row.followed.tolist(), row.days.tolist(), row.lag.tolist()) == (["CA"], [976], ["976 days"])
            assert follow_up.empty
        else:
            # The UK acted first among stated days; Canada has not followed (yet).
            assert row.empty
            assert follow_up.jurisdiction.tolist() == ["CA"] and follow_up.status.tolist() == ["not designated"]
            assert follow_up.first_by.tolist() == ["GB"]
        # Australia's bound has no lower end: nothing says it acted after 2018-01-01.
        assert closed[(closed.id == entity) & (closed.jurisdiction == "AU")].empty
