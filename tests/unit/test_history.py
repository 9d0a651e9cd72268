"""graph/history.py: the real OFAC history (308 dated versions of sdn.csv in a git bundle)
checked against a diff written here with plain csv reads of `git show`, and small
folders of dated versions written here (re-listing, side files, damaged versions).
No database."""

import csv
import shutil
import subprocess
import time
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from graph.history import replay, versions
from loaders.base import LoadError
from loaders.ofac_csv import OfacCsvLoader
from loaders.records import Seen

HISTORY = Path(__file__).resolve().parents[2] / "data" / "ofac" / "history"
BUNDLE = HISTORY / "sdn-history.bundle"
LAST = HISTORY / "sdn_2024-05-03.csv"


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True).stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    repo = tmp_path_factory.mktemp("history") / "sdn"
    subprocess.run(["git", "clone", "-q", str(BUNDLE), str(repo)], check=True)
    return repo


@pytest.fixture(scope="module")
def commits(clone) -> list[tuple[str, str]]:
    """(commit, ISO commit time) of each version, oldest first, as git itself lists them."""
    log = git(clone, "log", "--reverse", "--format=%H %cI", "--", "sdn.csv").decode().split()
    return list(zip(log[0::2], log[1::2]))


@pytest.fixture(scope="module")
def history(clone):
    found = versions(clone)
    cpu = time.process_time()
    result = replay("ofac-sdn-csv", found)
    result.cpu = time.process_time() - cpu  # this process only: git's inflating is apart
    return result


def shown(repo: Path, commits: list[tuple[str, str]]):
    """Each version's sdn.csv, from one `git show` of them all (one git per version takes
    minutes: each inflates its delta chain anew). Each file ends with its 0x1A byte."""
    with subprocess.Popen(["git", "-C", str(repo), "show", *(f"{c}:sdn.csv" for c, _ in commits)],
                          stdout=subprocess.PIPE) as git_show:
        pending = bytearray()
        for chunk in iter(lambda: git_show.stdout.read(1 << 20), b""):
            start = len(pending)
            pending += chunk
            while (end := pending.find(b"\x1a", start)) >= 0:
                yield bytes(pending[:end + 1])
                del pending[:end + 1]
                start = 0
        assert not pending and git_show.wait() == 0


@pytest.fixture(scope="module")
def independent(clone, commits):
    """Per version: the ids added, removed and changed, and the last row of each removed
    id; and for each (id, program) the (first, last) versions of each run of versions
    whose row of the id names the program (last None: the newest version has it). From
    `git show` and the csv module only (none of graph/history.py). A version's
    rows are its CRLF-ended lines, each of which must parse, strictly, as one whole row of
    sdn.csv's 12 cells, one per id; a line is parsed once, when a version first has it
    (parsing all 308 versions whole took 20 s)."""
    parsed: dict[bytes, tuple[str, ...]] = {}

    def row(line: bytes) -> tuple[str, ...]:
        if line not in parsed:
            (cells,) = csv.reader([line.decode("utf-8")], strict=True)
            assert len(cells) == 12, line
            parsed[line] = tuple(cells)
        return parsed[line]

    def programs(cells: tuple[str, ...]) -> set[str]:
        return {WRITTEN_ANEW.get(p, p) for p in (p.strip("[] ") for p in cells[3].split("] ["))}

    diffs, last_rows, ever = [], {}, set()
    spans: dict[tuple[str, str], list[list]] = {}  # (id, program) → [[first, last], …]
    before: dict[str, tuple] | None = None
    before_lines: set[bytes] = set()
    for i, data in enumerate(shown(clone, commits)):
        assert data.endswith(b"\r\n\x1a")
        lines = set(data[:-len(b"\r\n\x1a")].split(b"\r\n"))
        if before is None:
            rows = {row(line)[0]: row(line) for line in lines}
            diffs.append((set(), set(), set()))
        else:
            came = lines - before_lines
            rows = dict(before)
            for line in before_lines - lines:
                del rows[row(line)[0]]
            rows.update((row(line)[0], row(line)) for line in came)
            removed = before.keys() - rows.keys()
            diffs.append((rows.keys() - before.keys(), removed,
                          {e for e in {row(line)[0] for line in came} & before.keys()
                           if rows[e] != before[e]}))
            last_rows.update((e, before[e]) for e in removed)
        assert len(rows) == len(lines), "an id on two lines"
        touched = rows.keys() if before is None else {row(line)[0] for line in lines ^ before_lines}
        for e in touched:
            was = programs(before[e]) if before and e in before else set()
            now = programs(rows[e]) if e in rows else set()
            for p in now - was:
                spans.setdefault((e, p), []).append([i, None])
            for p in was - now:
                spans[(e, p)][-1][1] = i - 1
        ever |= rows.keys()
        before, before_lines = rows, lines
    assert len(diffs) == len(commits)
    return diffs, last_rows, ever, before, spans


#: Counted by the test's own diff of the 308 versions (see the test that asserts them);
#: 207 and 135 when tags written anew count as programs ended and begun.
ADDED_LATER, LEFT = 149, 29

#: Program tags OFAC wrote anew on the entries that had them, read off the versions: on
#: one day every entry with the old tag has the new one instead (BELARUS-EO, 33 entries,
#: BELARUS-EO14038 from 2021-08-20; ILLICIT-DRUGS-EO, 44, from 2022-09-22; MIDDLE-EAST-EO,
#: 4, WEST-BANK-EO14115 from 2024-02-08; PEESA-EO, 21, PEESA-EO14039 from 2021-11-12).
#: The same program: its designations go on. Each is written as its last spelling.
WRITTEN_ANEW = {
    "BELARUS-EO": "BELARUS-EO14038",
    "ILLICIT-DRUGS-EO": "ILLICIT-DRUGS-EO14059",
    "MIDDLE-EAST-EO": "WEST-BANK-EO14115",
    "PEESA": "PEESA-EO14039",
    "PEESA-EO": "PEESA-EO14039",
}


def by_id(records):
    return {r.record_id: r for r in records}


# -- the real history ------------------------------------------------------------------


def test_308_dated_versions(clone, commits):
    found = versions(clone)
    assert len(found) == 308
    assert [v.commit for v in found] == [c for c, _ in commits]
    assert [v.at.isoformat() for v in found] == [t for _, t in commits]  # the times are UTC
    assert found[0].on == date(2021, 8, 18) and found[-1].on == date(2024, 5, 3)
    assert all(v.files == ("sdn.csv",) for v in found)  # the scrape has no side files


def test_the_bundle_gives_the_same_versions(clone):
    from_bundle = versions(BUNDLE)
    assert [(v.commit, v.at) for v in from_bundle] == [(v.commit, v.at) for v in versions(clone)]
    assert from_bundle[-1].read() == LAST.read_bytes()


def test_replay_time(history, capsys):
    with capsys.disabled():
        print(f"\nreplay of {len(history.read)} versions: {history.seconds:.1f} s "
              f"(CPU {history.cpu:.1f} s) "
              f"({len(history.records)} entries now, {len(history.removed)} removed)")
    assert history.seconds < 60


def test_every_version_is_read(history):
    assert history.skipped == [] and len(history.read) == len(history.changes) == 308


def test_per_version_diffs_match_an_independent_diff(history, independent):
    diffs, *_ = independent
    found = [(set(c.added), set(c.removed), set(c.changed)) for c in history.changes]
    assert found == diffs
    assert sum(len(c.removed) for c in history.changes) == len(history.removed) == 927
    assert sum(len(c.added) for c in history.changes) == 6809


def test_entries_ever_seen(history, independent):
    _, _, ever, final, _ = independent
    assert {r.record_id for r in history.records} == final.keys()
    assert {r.record_id for r in history.removed} == ever - final.keys()
    assert len(ever) == 15892
    assert history.earlier == {}  # no entry of these versions came back after a removal


def test_the_2021_12_10_glomag_designations(history, independent):
    diffs, *_ = independent
    days = [v.on for v in history.read]
    records = by_id(history.records)
    for ent, name in (("34079", "ZAKIR, Shohrat"), ("34119", "TUNIYAZ, Erken")):
        first = next(i for i, (added, _, _) in enumerate(diffs) if ent in added)
        assert days[first] == date(2021, 12, 10)
        record = records[ent]
        assert record.name == name
        assert "GLOMAG" in {s.program for s in record.sanctions}
        assert record.seen == Seen(first_by=date(2021, 12, 10), first_after=days[first - 1])
        assert record.seen.first_after == date(2021, 12, 9)


def test_an_entry_of_the_first_version_is_listed_on_or_before_it(history):
    cuba = by_id(history.records)["306"]  # BANCO NACIONAL DE CUBA
    assert cuba.seen == Seen(first_by=date(2021, 8, 18), first_after=None)


def test_removed_entries_keep_their_last_state(history, independent):
    diffs, last_rows, *_ = independent
    days = [v.on for v in history.read]
    gone_at = {e: i for i, (_, removed, _) in enumerate(diffs) for e in removed}
    for record in history.removed:
        row = last_rows[record.record_id]
        assert record.name == row[1]
        held = [s for s in record.sanctions if not s.seen or s.seen.gone_by == record.seen.gone_by]
        assert [s.program for s in held] == [p.strip("[] ") for p in row[3].split("] [")]
        i = gone_at[record.record_id]
        assert (record.seen.last_seen, record.seen.gone_by) == (days[i - 1], days[i])
        assert record.seen.first_by <= record.seen.last_seen


def test_the_final_records_are_a_direct_parse_of_the_last_version(history, tmp_path):
    shutil.copyfile(LAST, tmp_path / "sdn.csv")
    direct = list(OfacCsvLoader().read([tmp_path / "sdn.csv"]))
    assert len(direct) == 14965
    # Less what the replay adds: the programs' dates, the programs the entries left, the
    # entries folded into them.
    folded = {f"us-ofac-sdn:{old}" for old in FOLDED}
    as_listed = [
        replace(r, seen=None, sanctions=[replace(s, seen=None) for s in r.sanctions
                                         if not (s.seen and s.seen.gone_by)],
                same_as=[k for k in r.same_as if k not in folded])
        for r in history.records
    ]
    assert as_listed == direct


def test_each_program_is_dated_by_the_versions_that_show_it_on_the_entry(history, independent):
    """OFAC adds a program to an entry, or drops one, under the same ent_num: the entry's
    first version does not date a program added later, and a program dropped is a
    designation ended while the entry stays listed."""
    *_, spans = independent
    days = [v.on for v in history.read]
    found = {}
    for record in (*history.records, *history.removed):
        for s in record.sanctions:
            seen = s.seen or record.seen
            key = (record.record_id, WRITTEN_ANEW.get(s.program, s.program))
            assert key not in found, key  # a program written anew is one designation
            found[key] = (seen.first_by, seen.first_after, seen.last_seen, seen.gone_by)
    expected = {
        key: (days[first], days[first - 1] if first else None,
              None if last is None else days[last], None if last is None else days[last + 1])
        for key, runs in spans.items() for first, last in runs[-1:]
    }
    # A program an entry took over from one folded into it runs from the earlier of the
    # two entries' first versions (the test of the folds checks which they are).
    for old, new, program in history.moves:
        moved, held = expected[(old, program)], expected[(new, program)]
        if moved[0] < held[0]:
            expected[(new, program)] = (*moved[:2], *held[2:])
    assert found == expected
    # Counted by the independent diff alone: programs added to entries of the first version,
    # and programs that entries still listed in the newest version no longer have.
    first_ids = {e for (e, _), runs in spans.items() if runs[0][0] == 0}
    current = {r.record_id for r in history.records}
    added_later = {(e, p) for (e, p), runs in spans.items() if e in first_ids and runs[0][0] > 0}
    left = {(e, p) for (e, p), runs in spans.items() if e in current and runs[-1][1] is not None}
    assert (len(added_later), len(left)) == (ADDED_LATER, LEFT)
    # Mnangagwa: ZIMBABWE until the version of 2024-02-28, GLOMAG from that of 2024-03-04
    # (EO 14118 ended the Zimbabwe program; he was designated under Global Magnitsky).
    mnangagwa = by_id(history.records)["7513"]
    programs = {s.program: s.seen for s in mnangagwa.sanctions}
    assert mnangagwa.seen == Seen(first_by=date(2021, 8, 18))
    assert programs["GLOMAG"] == Seen(first_by=date(2024, 3, 4), first_after=date(2024, 2, 28))
    assert programs["ZIMBABWE"] == Seen(first_by=date(2021, 8, 18), last_seen=date(2024, 2, 28),
                                        gone_by=date(2024, 3, 4))
    # Boris Rotenberg: RUSSIA-EO14024 from the version of 2022-03-04, not the entry's 2021.
    rotenberg = {s.program: s.seen for s in by_id(history.records)["16671"].sanctions}
    assert rotenberg["UKRAINE-EO13661"] is None  # as the entry: on or before 2021-08-18
    assert rotenberg["RUSSIA-EO14024"].first_by == date(2022, 3, 4)
    # BELARUS-EO written BELARUS-EO14038 on 2021-08-20: one designation, not an end and a
    # listing; ILLICIT-DRUGS-EO (from 2021-12-16) written ILLICIT-DRUGS-EO14059 on 2022-09-22.
    belarus = {s.program: s.seen for s in by_id(history.records)["31731"].sanctions}
    assert list(belarus) == ["BELARUS-EO14038"] and belarus["BELARUS-EO14038"] is None
    drugs = {s.program: s.seen for s in by_id(history.records)["7226"].sanctions}
    assert "ILLICIT-DRUGS-EO" not in drugs
    assert drugs["ILLICIT-DRUGS-EO14059"] == Seen(first_by=date(2021, 12, 16), first_after=date(2021, 12, 10))


#: Entries OFAC removed in the version where another entry of the same target took up
#: a program of theirs: a duplicate folded into the older entry (Kadyrov), an entry
#: listed anew under another number (BM BANK, Tornado Cash). Read off the versions by
#: hand; the test checks each against the independent diff.
FOLDED = {
    "20002": "17017",  # BM BANK PUBLIC JOINT STOCK COMPANY → BM BANK JSC, 2022-06-28
    "27315": "18348",  # 'AQIL, Ibrahim → AQIL, Ibrahim, 2021-11-22
    "27317": "18349",  # SHUKR, Fu'ad, 2021-11-22
    "35168": "31124",  # KRIVORUCHKO, Aleksey → Aleksei Yurievich, 2022-09-15
    "36417": "18748",  # LLC ACTIVE BUSINESS CONSULT, 2022-08-02
    "36459": "23343",  # KADYROV, Ramzan Akhmatovich, 2022-11-14
    "38499": "39796",  # TORNADO CASH, 2022-11-09
    "44738": "44022",  # JOINT STOCK COMPANY STAR, 2023-09-25
}


def test_an_entry_folded_into_another_moved_its_designations(history, independent):
    """Not a delisting: the target stayed designated under the programs the other entry
    holds. Kadyrov's duplicate entry 36459 (RUSSIA-EO14024 from 2022-09-15) was folded
    into 23343 on 2022-11-14, when 23343 gained RUSSIA-EO14024."""
    diffs, last_rows, _, final, spans = independent
    days = [v.on for v in history.read]
    for old, new in FOLDED.items():
        i = next(i for i, (_, removed, _) in enumerate(diffs) if old in removed)
        took_up = {p for (e, p), runs in spans.items() if e == new and any(first == i for first, _ in runs)}
        was = {WRITTEN_ANEW.get(p, p) for p in (p.strip("[] ") for p in last_rows[old][3].split("] ["))}
        assert took_up & was, (old, new)
    assert {(old, new) for old, new, _ in history.moves} == set(FOLDED.items())
    records = by_id((*history.records, *history.removed))
    kadyrov = {s.program: s.seen for s in records["23343"].sanctions}
    assert kadyrov["RUSSIA-EO14024"] == Seen(
        first_by=date(2022, 9, 15), first_after=date(2022, 9, 14), moved_from=("36459",))
    assert kadyrov["GLOMAG"].first_by == date(2021, 8, 18)  # its own, the earlier
    assert "us-ofac-sdn:36459" in records["23343"].same_as
    duplicate = {s.program: s.seen for s in records["36459"].sanctions}
    assert {p: s.moved_to for p, s in duplicate.items()} == dict.fromkeys(
        ("MAGNIT", "GLOMAG", "RUSSIA-EO14024"), "23343")
    assert duplicate["RUSSIA-EO14024"].gone_by == days[days.index(date(2022, 11, 14))]


def test_a_name_is_dated_by_the_version_it_left_in(history, clone):
    """A renamed entry's old name left it in the first version whose row no longer has
    it: as git's own pickaxe finds it, the commit that changes how often the quoted name
    occurs in sdn.csv (it occurs once, from the first version on, then no more)."""
    renamed = {"28354": "ALTABAEVA, Ekaterina Borisovna", "7489": "CHIWENGA, Constantine Gureya",
               "16911": "KALASHNIKOV CONCERN", "22413": "DIKIY, Aleksey Aleksandrovich"}
    for record_id, name in renamed.items():
        log = git(clone, "log", "--reverse", "--format=%ct", "-S", f'"{name}"', "--", "sdn.csv").split()
        assert len(log) == 2, (name, log)
        left = datetime.fromtimestamp(int(log[1]), timezone.utc).date()
        assert history.left_on(record_id, name) == left, name
    # A name no version has left before the first (Syria's MILITARY INTELLIGENCE, named
    # "SYRIAN MILITARY INTELLIGENCE DIRECTORATE" from the first version on: a quoted field,
    # not a word inside one); one the newest version still has has not left.
    assert history.left_on("12743", "SYRIAN MILITARY INTELLIGENCE") == history.read[0].on
    assert history.left_on("28354", "ALTABAEVA, Ekateryna Borysovna") is None
    assert history.left_on("99999999", "NOBODY") is None


def test_what_the_scrape_cannot_say_is_unknown(history):
    assert history.unknown == ("add.csv", "alt.csv", "sdn_comments.csv")
    assert any("unknown, not removed" in w for w in history.warnings)


# -- folders of dated versions --------------------------------------------------------


def row(ent, name, programs="SDGT", remarks="-0- "):
    remarks = remarks if remarks == "-0- " else f'"{remarks}"'
    return f'{ent},"{name}",-0- ,"{programs}",' + "-0- ," * 7 + remarks


def sdn_csv(*rows: str) -> bytes:
    return ("\r\n".join(rows) + "\r\n\x1a").encode()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


@pytest.fixture
def downloads(tmp_path) -> Path:
    """Three downloads as `python -m graph update` keeps them, and a day of another list."""
    root = tmp_path / "downloads"
    write(root / "2024-01-01" / "us-ofac-sdn" / "sdn.csv", sdn_csv(
        row(10, "ALPHA"), row(20, "BRAVO"), row(40, "DELTA")))
    write(root / "2024-01-05" / "us-ofac-sdn" / "sdn.csv", sdn_csv(
        row(10, "ALPHA"), row(30, "CHARLIE"), row(40, "DELTA", remarks="DOB 1960.")))
    write(root / "2024-01-05" / "us-ofac-sdn" / "alt.csv",
          b'40,101,"aka","DELTA TRADING",-0- \r\n\x1a')
    write(root / "2024-01-05" / "gb-ofsi" / "ConList.csv", b"not this list")
    write(root / "2024-01-07" / "gb-ofsi" / "ConList.csv", b"not this list")
    write(root / "2024-01-09" / "us-ofac-sdn" / "sdn.csv", sdn_csv(
        row(10, "ALPHA"), row(20, "BRAVO"), row(30, "CHARLIE", "SDGT] [GLOMAG")))
    write(root / "2024-01-09" / "us-ofac-sdn" / "add.csv.part", b"cut short")
    return root


def test_a_folder_of_dated_downloads(downloads):
    found = versions(downloads)
    assert [v.on for v in found] == [date(2024, 1, 1), date(2024, 1, 5), date(2024, 1, 9)]
    assert [v.files for v in found] == [("sdn.csv",), ("sdn.csv", "alt.csv"), ("sdn.csv",)]
    assert found[0].at is None and found[0].read().startswith(b'10,"ALPHA"')

    result = replay("ofac-sdn-csv", found)
    d1, d5, d9 = date(2024, 1, 1), date(2024, 1, 5), date(2024, 1, 9)
    now = by_id(result.records)
    assert list(now) == ["10", "20", "30"]
    assert now["10"].seen == Seen(first_by=d1)
    assert now["30"].seen == Seen(first_by=d5, first_after=d1)
    assert [s.program for s in now["30"].sanctions] == ["SDGT", "GLOMAG"]
    # BRAVO, removed on the 5th and listed again on the 9th: the latest interval is its
    # Seen, the earlier one is in the Replay.
    assert now["20"].seen == Seen(first_by=d9, first_after=d5)
    assert result.earlier == {"20": (Seen(first_by=d1, last_seen=d1, gone_by=d5),)}
    # DELTA, gone on the 9th: its last state is the 5th's, side file included.
    [delta] = result.removed
    assert delta.seen == Seen(first_by=d1, last_seen=d5, gone_by=d9)
    assert delta.birth_dates == ["1960"]
    assert [(n.value, n.quality) for n in delta.names] == [("DELTA TRADING", "strong")]
    assert [(c.added, c.removed, c.changed) for c in result.changes] == [
        ((), (), ()), (("30",), ("20",), ("40",)), (("20",), ("40",), ("30",))]
    assert [c.entries for c in result.changes] == [3, 3, 3]
    # The newest version has sdn.csv only: aliases unknown, not removed.
    assert result.unknown == ("add.csv", "alt.csv", "sdn_comments.csv")


def test_dated_file_names_and_a_second_removal(tmp_path):
    a, b, c, d = row(1, "ONE"), row(2, "TWO"), row(3, "THREE"), row(4, "FOUR")
    for day, rows in (("2023-03-01", (a, b)), ("2023-03-02", (a,)), ("2023-03-04", (a, b, c)),
                      ("2023-03-09", (a, c, d))):
        write(tmp_path / f"sdn_{day}.csv", sdn_csv(*rows))
    found = versions(tmp_path)
    assert [v.primary for v in found] == ["sdn.csv"] * 4
    result = replay("ofac-sdn-csv", found)
    d1, d2, d4, d9 = (date(2023, 3, n) for n in (1, 2, 4, 9))
    [two] = result.removed
    assert two.seen == Seen(first_by=d4, first_after=d2, last_seen=d4, gone_by=d9)
    assert result.earlier == {"2": (Seen(first_by=d1, last_seen=d1, gone_by=d2),)}
    assert by_id(result.records)["4"].seen == Seen(first_by=d9, first_after=d4)


def test_a_truncated_version_is_skipped_not_read_as_removals(tmp_path):
    full = sdn_csv(row(1, "ONE"), row(2, "TWO"), row(3, "THREE"))
    write(tmp_path / "2024-02-01" / "sdn.csv", full)
    write(tmp_path / "2024-02-02" / "sdn.csv", full[:full.index(b"\r\n") + 10])  # cut in line 2
    write(tmp_path / "2024-02-03" / "sdn.csv", sdn_csv(
        row(1, "ONE"), row(2, "TWO"), row(3, "THREE"), row(4, "FOUR")))
    found = versions(tmp_path)
    result = replay("ofac-sdn-csv", found)
    assert result.removed == [] and [c.removed for c in result.changes] == [(), ()]
    [skipped] = result.skipped
    assert skipped.version is found[1] and skipped.line == 2
    assert "2024-02-02" in result.warnings[0] and "line 2" in result.warnings[0]
    assert "truncated" in result.warnings[0]
    # The skipped version is no evidence: FOUR was added after the 1st, by the 3rd.
    assert by_id(result.records)["4"].seen == Seen(first_by=date(2024, 2, 3), first_after=date(2024, 2, 1))
    with pytest.raises(LoadError, match=r"2024-02-02.*line 2.*truncated"):
        replay("ofac-sdn-csv", found, strict=True)


@pytest.mark.parametrize("damage, line, message", [
    (row(2, "TWO").replace("-0- ,", "", 1), 2, "expected 12 columns, found 11"),
    (row(1, "ONE AGAIN"), 2, "id 1 again"),
    ('2,"TWO,-0- ', 2, "not valid CSV"),
])
def test_damaged_rows_name_their_line(tmp_path, damage, line, message):
    write(tmp_path / "2024-02-01" / "sdn.csv", sdn_csv(row(1, "ONE"), row(2, "TWO")))
    write(tmp_path / "2024-02-02" / "sdn.csv", sdn_csv(row(1, "ONE"), damage, row(3, "THREE")))
    result = replay("ofac-sdn-csv", versions(tmp_path))
    [skipped] = result.skipped
    assert skipped.line == line and message in skipped.message
    assert [r.record_id for r in result.records] == ["1", "2"] and result.removed == []


def test_a_row_over_several_lines(tmp_path):
    write(tmp_path / "2024-02-01" / "sdn.csv", sdn_csv(row(1, "ONE"), row(2, "TWO")))
    write(tmp_path / "2024-02-02" / "sdn.csv", sdn_csv(
        row(1, "ONE", remarks="DOB 1950; POB Paris,\r\nFrance."), row(2, "TWO")))
    result = replay("ofac-sdn-csv", versions(tmp_path))
    assert result.skipped == []
    assert [c.changed for c in result.changes] == [(), ("1",)]
    assert by_id(result.records)["1"].birth_dates == ["1950"]


def test_a_git_repository_with_side_files(tmp_path):
    repo = tmp_path / "repo"
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}

    def commit(when: str, files: dict[str, bytes]) -> None:
        for name, data in files.items():
            write(repo / "us" / name, data)
        git(repo, "add", "-A")
        subprocess.run(["git", "-C", str(repo), "commit", "-q", "-m", when], check=True,
                       env={**env, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
                            "PATH": "/usr/bin:/bin"})

    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit("2024-03-01T23:30:00-05:00", {"sdn.csv": sdn_csv(row(1, "ONE"), row(2, "TWO")),
                                         "alt.csv": b'2,201,"aka","TWO LTD",-0- \r\n\x1a'})
    commit("2024-03-03T10:00:00+00:00", {"README": b"not a list file"})
    commit("2024-03-04T10:00:00+00:00", {"alt.csv": b'1,101,"aka","ONE LTD",-0- \r\n\x1a'})
    commit("2024-03-05T10:00:00+00:00", {"sdn.csv": sdn_csv(row(1, "ONE"))})
    found = versions(repo)
    # The first commit's time is 2024-03-02 in UTC; the README commit is no version.
    assert [v.on for v in found] == [date(2024, 3, 2), date(2024, 3, 4), date(2024, 3, 5)]
    assert [v.files for v in found] == [("sdn.csv", "alt.csv")] * 3
    assert found[0].where == ("us/sdn.csv", "us/alt.csv")
    result = replay("ofac-sdn-csv", found)
    [two] = result.removed
    assert two.seen == Seen(first_by=date(2024, 3, 2), last_seen=date(2024, 3, 4), gone_by=date(2024, 3, 5))
    assert [n.value for n in two.names] == []  # its alias left alt.csv on the 4th
    assert [n.value for n in result.records[0].names] == ["ONE LTD"]
    assert result.unknown == ("add.csv", "sdn_comments.csv")
    # A name in no version's sdn.csv may have been an alias of alt.csv, which these
    # versions hold: when it left, they do not say.
    assert result.left_on("1", "ONE CORPORATION") is None


def test_no_dated_versions(tmp_path):
    write(tmp_path / "sdn.csv", sdn_csv(row(1, "ONE")))
    with pytest.raises(LoadError, match="no dated versions"):
        versions(tmp_path)
