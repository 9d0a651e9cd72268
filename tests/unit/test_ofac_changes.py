"""OFAC's archive of changes to the SDN list (sdnnew23.txt), joined to the SDN list of
2024-05-03, both real files in data/ofac (no database)."""

import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

import loaders
from loaders.base import LoadError
from loaders.ofac_changes import OfacChangesLoader

DATA = Path(__file__).resolve().parents[2] / "data"
ARCHIVE = DATA / "ofac" / "sdnnew23.txt"
SDN_2024 = DATA / "ofac" / "history" / "sdn_2024-05-03.csv"


def load(*paths):
    loader = OfacChangesLoader()
    announcements = {a.id: a for a in loader.read(list(paths))}
    return loader, announcements


@pytest.fixture(scope="module")
def loaded():
    return load(ARCHIVE, SDN_2024)


def independent_counts() -> Counter:
    """Entries per (action date, kind), read from the raw text without the loader: an
    entry ends with CRLF (its wrapped lines with LF alone); "resulting in …" lists are
    a.k.a. entries a change adds or drops, neither additions nor removals."""
    counts: Counter = Counter()
    day = kind = None
    for chunk in ARCHIVE.read_bytes().decode("ascii").split("\r\n"):
        text = " ".join(chunk.split())
        if re.fullmatch(r"\d\d/\d\d/\d\d:", text):
            month, dd, yy = text[:-1].split("/")
            day, kind = date(2000 + int(yy), int(month), int(dd)), None
        elif text.startswith("The following"):
            kind = ("added" if "have been added" in text
                    else "removed" if "have been removed" in text else "changed")
        elif text.startswith("resulting in"):
            kind = "a.k.a. of a change"
        elif text and text != "\x1a" and day:
            counts[(day, kind)] += 1
    return counts


def test_additions_and_removals_per_action_date_match_an_independent_count(loaded):
    loader, _ = loaded
    expected = independent_counts()
    found = Counter((a.date, a.kind if a.result is None else "a.k.a. of a change") for a in loader.actions)
    assert found == expected
    totals = Counter()
    for (_, kind), n in expected.items():
        totals[kind] += n
    assert totals == {"added": 5616, "removed": 468, "changed": 498, "a.k.a. of a change": 93}
    assert len({day for day, _ in expected}) == 114


def test_one_announcement_per_action_date_and_kind(loaded):
    loader, announcements = loaded
    kinds = {(a.date, a.kind) for a in loader.actions}
    assert set(announcements) == {f"ofac-changes:{d.isoformat()}:{k}" for d, k in kinds}
    assert len(announcements) == 175
    a = announcements["ofac-changes:2023-12-08:added"]
    assert a.date == date(2023, 12, 8) and a.jurisdiction == "US"
    assert a.title == "OFAC: additions to the SDN list, 8 December 2023"
    assert a.url == "https://ofac.treasury.gov/recent-actions/20231208"
    assert announcements["ofac-changes:2023-01-19:removed"].title == \
        "OFAC: removals from the SDN list, 19 January 2023"
    assert loader.meta.dataset == "us-ofac-changes"
    assert loader.meta.url == "https://www.treasury.gov/ofac/downloads/sdnnew23.txt"
    assert loader.meta.published_on == date(2023, 12, 28)
    assert [Path(f.path).name for f in loader.meta.files] == ["sdnnew23.txt", "sdn_2024-05-03.csv"]


def test_the_share_of_actions_joined_to_the_2024_list(loaded):
    loader, announcements = loaded
    c = loader.counts
    assert (c["added"], c["joined:added"], c["records:added"]) == (5616, 5598, 2674)
    assert c["joined:added"] / c["added"] > 0.996
    assert {k.split(":")[2]: v for k, v in c.items() if k.startswith("not joined:added:")} == {
        "not in the given list": 6, "removed later in the archive": 6,
        "several candidates": 2, "details differ": 4}
    # Removed in 2023: no 2024 list holds them, and those it holds were listed again or
    # were a duplicate entry of a record still listed (no delisting of a listed record).
    assert c["joined:removed"] == 0
    assert {k.split(":")[2]: v for k, v in c.items() if k.startswith("not joined:removed:")} == {
        "not in the given list": 457, "still listed after the removal": 11}
    assert not any(a.delists for a in announcements.values() if a.id.endswith(":removed"))
    assert (c["changed"], c["joined:changed"]) == (498, 498)
    designated = {d for a in announcements.values() if a.id.endswith(":added") for d in a.designates}
    assert len({key for key, _ in designated}) == 2674
    summary = str(loader.warnings[0])
    assert "5,598 of 5,616 added entries joined to an SDN record (2,674 records)" in summary
    assert any("457 removed entries not joined: not in the given list" in str(w) for w in loader.warnings)


def test_glomag_additions_carry_their_announced_dates(loaded):
    loader, announcements = loaded
    # Picked by hand from the file; ent_nums found with grep in sdn_2024-05-03.csv.
    picks = {
        "40637": (date(2023, 1, 26), ["GLOMAG"]),            # CARTES JARA, Horacio Manuel
        "42038": (date(2023, 4, 5), ["GLOMAG"]),             # BODEAU, Gary
        "39417": (date(2023, 12, 8), ["GLOMAG", "UHRPA"]),   # GAO, Qi (Xinjiang PSB)
    }
    for ent, (day, programs) in picks.items():
        key = f"us-ofac-sdn:{ent}"
        dated = {(a.date, p) for a in announcements.values() if a.id.endswith(":added")
                 for k, p in a.designates if k == key}
        assert dated == {(day, p) for p in programs}, ent
    # Every a.k.a. entry finds the record too: CARTES, Horacio is one of CARTES JARA's.
    aka = [a for a in loader.actions if a.name == "CARTES, Horacio" and a.kind == "added"]
    assert [(a.ent_num, a.joined_by, a.line) for a in aka] == [("40637", "name", 1889)]
    c = loader.counts
    assert (c["glomag:added"], c["joined:glomag:added"], c["records:glomag:added"]) == (168, 168, 78)


def test_changes_designate_only_the_programs_they_add(loaded):
    loader, announcements = loaded
    # SDNTK dropped from [SDNTK] [SDGT]: a delisting under SDNTK alone.
    assert announcements["ofac-changes:2023-06-29:changed"].delists == [("us-ofac-sdn:12992", "SDNTK")]
    assert announcements["ofac-changes:2023-06-29:changed"].designates == []
    # PEESA written PEESA-EO14039 from then on: the same program, no designation.
    sept = announcements["ofac-changes:2023-09-14:changed"]
    assert not any(p.startswith("PEESA") for _, p in sept.designates + sept.delists)
    assert ("us-ofac-sdn:23563", "RUSSIA-EO14024") in sept.designates
    c = loader.counts
    assert (c["changed:programs added"], c["changed:programs removed"]) == (135, 7)
    assert c["changed:program renamed"] == 6


def test_entries_as_written(loaded):
    loader, _ = loaded
    first = loader.actions[0]
    assert (first.line, first.date, first.kind, first.name, first.programs, first.schema) == (
        36, date(2023, 1, 5), "added", "ALESMAIL, Omar Abdulhameed", ("SDGT",), "Person")
    # Wrapped lines: "AL-" + "JUBURI" is one word; the a.k.a.s are the entry's names too.
    lu = next(a for a in loader.actions if a.name == "Hajji Lu'ay")
    assert lu.names == ("Hajji Lu'ay", "AL-JUBURI, Lu'ay Jasim Hammadi",
                        "AL-JUBURI, Lu'ay Jasim Hammadi Mahdi", "HAMMADI, Lu'ay Jasim")
    # A change: old entry "-to-" new entry, the "-to-" wrapped as "-" / "to-".
    ghods = next(a for a in loader.actions if a.kind == "changed" and a.name == "GHODS AVIATION INDUSTRIES")
    assert ghods.line == 185 and "LIGHT AIRPLANES DESIGN AND MANUFACTURING INDUSTRIES" in ghods.names
    assert "LIGHT AIRPLANES DESIGN AND MANUFACTURING INDUSTRIES" not in ghods.old_names
    assert ghods.programs == ghods.old_programs == ("NPWMD", "IFSR", "RUSSIA-EO14024")
    new_alias = next(a for a in loader.actions if a.line == 228)
    assert (new_alias.kind, new_alias.result) == ("changed", "new aliases")
    assert new_alias.ent_num == ghods.ent_num
    assert Counter(a.schema for a in loader.actions if a.kind == "added") == {
        None: 3509, "Person": 1921, "Vessel": 101, "Aircraft": 85}


def test_line_ends_made_alike_read_the_same(loaded, tmp_path):
    """A copy whose CRLFs became LF (or whose LFs became CRLF) gives the same actions."""
    loader, announcements = loaded
    lf = ARCHIVE.read_bytes().replace(b"\r\n", b"\n")
    for name, data in (("lf", lf), ("crlf", lf.replace(b"\n", b"\r\n"))):
        (tmp_path / name).mkdir()
        (tmp_path / name / ARCHIVE.name).write_bytes(data)
        other, other_announcements = load(tmp_path / name / ARCHIVE.name, SDN_2024)
        assert [(a.line, a.date, a.kind, a.text, a.ent_num) for a in other.actions] == \
               [(a.line, a.date, a.kind, a.text, a.ent_num) for a in loader.actions], name
        assert other_announcements == announcements


def test_the_file_is_recognised_by_its_name_and_headings(tmp_path):
    assert loaders.detect(ARCHIVE).name == "ofac-changes"
    claimed = [p for p in DATA.glob("*/*") if OfacChangesLoader.sniff(p)]
    assert claimed == [ARCHIVE]
    assert not OfacChangesLoader.sniff(SDN_2024)
    renamed = tmp_path / "changes.txt"
    shutil.copy(ARCHIVE, renamed)
    assert not OfacChangesLoader.sniff(renamed)
    other = tmp_path / "sdnnew22.txt"
    other.write_text("Some other text\r\n01/05/22:\r\n")
    assert not OfacChangesLoader.sniff(other)


# -- small files: joins by date, and damage ---------------------------------------------

HEAD = ("This publication of Treasury's Office of Foreign Assets Control\n"
        "(\"OFAC\") ... Specially Designated Nationals and Blocked Persons since January 1,\n"
        "2023:\r\n\r\n")
ADDED = ("01/05/23:\r\n\r\n"
         "The following [GLOMAG] entries have been added to OFAC's SDN List: \r\n\r\n"
         "ZAKIR, Shohrat (a.k.a. ZAKIR, Shohrat-\nJan), China; DOB 1953; nationality China; Gender\n"
         "Male (individual) [GLOMAG].\r\n"
         "ZAKIR, Shohrat-Jan (a.k.a. ZAKIR, Shohrat), China; DOB 1953; nationality China; Gender\n"
         "Male (individual) [GLOMAG].\r\n\r\n")
REMOVED = ("02/10/23:\r\n\r\n"
           "The following [GLOMAG] entries have been removed: \r\n\r\n"
           "TUNIYAZ, Erken, China; DOB 1965; nationality China (individual) [GLOMAG].\r\n\r\n")
END = "\x1a"
SDN = ('34079,"ZAKIR, Shohrat","individual","GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '"DOB 1953; nationality China."\r\n'
       '34119,"TUNIYAZ, Erken","individual","GLOMAG",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,'
       '"DOB 1965; nationality China."\r\n\x1a')


def write(folder: Path, text: str, name: str = "sdnnew23.txt") -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def test_a_removal_joins_a_list_of_before_it_and_none_after(tmp_path):
    archive = write(tmp_path / "a", HEAD + ADDED + REMOVED + END)
    tuniyaz = SDN[SDN.index("34119"):]
    before = write(tmp_path / "l", tuniyaz, "sdn_2022-12-28.csv")
    loader, announcements = load(archive, before)
    assert [a.reason for a in loader.actions] == ["not in the given list"] * 2 + [None]
    assert announcements["ofac-changes:2023-02-10:removed"].delists == [("us-ofac-sdn:34119", "GLOMAG")]
    assert announcements["ofac-changes:2023-01-05:added"].designates == []
    # Still in a list of after the removal: listed again, not a delisting.
    after = write(tmp_path / "l", SDN, "sdn_2024-05-03.csv")
    loader, announcements = load(archive, before, after)
    assert announcements["ofac-changes:2023-01-05:added"].designates == [("us-ofac-sdn:34079", "GLOMAG")]
    assert [a.joined_by for a in loader.actions[:2]] == ["name", "name"]
    assert announcements["ofac-changes:2023-02-10:removed"].delists == []
    assert loader.actions[2].reason == "still listed after the removal"
    # An addition a list of before it already holds is another entry of that name.
    loader, _ = load(archive, write(tmp_path / "l", SDN, "sdn_2022-12-28.csv"))
    assert [a.reason for a in loader.actions[:2]] == ["only in lists older than the action"] * 2


def test_an_sdn_list_beside_the_archive_or_where_update_saves_it(tmp_path):
    archive = write(tmp_path / "us-ofac-changes", HEAD + ADDED + END)
    with pytest.raises(LoadError, match="no SDN list to join the changes to"):
        load(archive)
    write(tmp_path / "us-ofac-sdn", SDN, "sdn.csv")
    loader, announcements = load(archive)
    assert [Path(f.path).name for f in loader.meta.files] == ["sdnnew23.txt", "sdn.csv"]
    assert announcements["ofac-changes:2023-01-05:added"].designates == [("us-ofac-sdn:34079", "GLOMAG")]


def test_the_other_years_beside_it_load_together(tmp_path):
    write(tmp_path / "a", HEAD.replace("2023", "2022") + ADDED.replace("/23:", "/22:") + END,
          "sdnnew22.txt")
    archive = write(tmp_path / "a", HEAD + REMOVED + END)
    loader, announcements = load(archive, write(tmp_path / "l", SDN, "sdn.csv"))
    assert sorted(announcements) == ["ofac-changes:2022-01-05:added", "ofac-changes:2023-02-10:removed"]
    assert loader.meta.url.endswith("/sdnnew23.txt") and loader.meta.published_on == date(2023, 2, 10)
    assert loader.meta.title == "OFAC archive of changes to the SDN list, 2022-2023"


@pytest.fixture
def sdn(tmp_path):
    return write(tmp_path / "l", SDN, "sdn.csv")


def fails(tmp_path, sdn, text, match, line=None, name="sdnnew23.txt"):
    archive = write(tmp_path / "a", text, name)
    with pytest.raises(LoadError, match=match) as e:
        load(archive, sdn)
    assert e.value.path == str(archive)
    assert e.value.line == line
    return e.value


def test_the_real_file_cut_in_the_middle_of_an_entry(tmp_path, sdn):
    data = ARCHIVE.read_bytes()
    start = data.index(b"\r\nCARTES JARA, Horacio Manuel") + 2
    line = data.count(b"\n", 0, start) + 1
    fails(tmp_path, SDN_2024, data[: start + 150], "ends in the middle of an entry", line)


def test_the_real_file_cut_after_an_entry_warns(tmp_path):
    data = ARCHIVE.read_bytes()
    cut = data.index(b"\r\n", data.index(b"CARTES JARA, Horacio Manuel")) + 2
    loader, _ = load(write(tmp_path / "a", data[:cut]), SDN_2024)
    assert loader.actions[-1].name == "CARTES JARA, Horacio Manuel"
    assert any(str(w).endswith("no end-of-file mark (0x1A): the file may be truncated")
               for w in loader.warnings)


def test_damaged_files_name_their_line(tmp_path, sdn):
    fails(tmp_path, sdn, HEAD + ADDED.removeprefix("01/05/23:\r\n\r\n") + END,
          r"a heading before any action date", 5)
    heading = "The following [GLOMAG] entries have been added to OFAC's SDN List: \r\n\r\n"
    fails(tmp_path, sdn, HEAD + ADDED.replace(heading, "") + END,
          "an entry under 2023-01-05 with no heading", 7)
    fails(tmp_path, sdn, HEAD + ADDED.replace("SDN List: ", "SDN List") + END,
          "does not end with a colon", 7)
    fails(tmp_path, sdn, HEAD + ADDED.replace("have been added to", "have been frobbed in") + END,
          "a heading of no known kind", 7)
    fails(tmp_path, sdn, HEAD + ADDED.replace("[GLOMAG].\r\n\r\n", "[GLOMAG]\r\n\r\n") + END,
          "does not end with a period", 12)
    fails(tmp_path, sdn, HEAD + ADDED.replace("(individual) [GLOMAG].\r\nZAK", "(individual [GLOMAG].\r\nZAK")
          + END, "brackets do not pair up", 9)
    fails(tmp_path, sdn, HEAD + ADDED.replace("01/05/23", "02/30/23") + END, "02/30/23: is not a date", 5)
    fails(tmp_path, sdn, HEAD + ADDED + END + "\r\n01/06/23:\r\n", r"text after the end-of-file mark", 16)
    fails(tmp_path, sdn, HEAD + "01/05/23:\r\n\r\n" + heading,
          "ends after a heading, with no entries under it", 7)
    fails(tmp_path, sdn, HEAD + END, "no action date", None)
    fails(tmp_path, sdn, HEAD + REMOVED.replace("The following [GLOMAG] entries have been removed:",
                                                "resulting in the following new [GLOMAG] entries:") + END,
          "with no change before it", 7)


def test_wrong_files_and_encodings(tmp_path, sdn):
    fails(tmp_path, sdn, b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "this is a PDF", 1, name="sdnnew24.txt")
    fails(tmp_path, sdn, "\n<!DOCTYPE html><html><body>Not Found</body></html>\n", "an HTML or XML page", 2)
    fails(tmp_path, sdn, (HEAD + ADDED + END).encode("utf-16-le"), "UTF-16 without a byte-order mark", 1)
    mixed = (HEAD + ADDED.replace("Gender\nMale", "G\u00e9nder\nMale", 1) + END).encode("utf-8")
    mixed = mixed.replace(b"Shohrat-Jan (a.k.a.", b"Shohrat-J\xe1n (a.k.a.")
    fails(tmp_path, sdn, mixed, r"mixed encodings: UTF-8 text \(line 10\)", 12)
    fails(tmp_path, sdn, (HEAD + ADDED + END).replace("ZAKIR, Shohrat (", "ZAKIR, Sh\x00ohrat ("),
          "a NUL byte", 9)
    # cp1252 throughout (OFAC's legacy files) is read as such.
    accented = HEAD + ADDED.replace("Shohrat-\nJan", "Shohrat-\nJ\u00e1n") + END
    loader, _ = load(write(tmp_path / "b", accented.encode("cp1252")), sdn)
    assert loader.actions[0].names == ("ZAKIR, Shohrat", "ZAKIR, Shohrat-J\u00e1n")


def test_neither_an_archive_nor_an_sdn_list(tmp_path, sdn):
    notes = write(tmp_path / "a", "some notes\r\n", "notes.txt")
    with pytest.raises(LoadError, match="neither an OFAC change archive"):
        load(notes, sdn)
    with pytest.raises(LoadError, match="no OFAC change archive"):
        load(sdn)
    with pytest.raises(LoadError, match="the consolidated \\(non-SDN\\) list"):
        load(ARCHIVE, DATA / "ofac" / "cons_prim.csv")


def test_an_sdn_list_with_its_side_files(tmp_path):
    """The 2021 list of data/ofac with its alt.csv: the files are the source's; few 2023
    additions can join a list of two years before."""
    loader, _ = load(ARCHIVE, DATA / "ofac")
    assert [Path(f.path).name for f in loader.meta.files] == [
        "sdnnew23.txt", "sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"]
    assert loader.counts["joined:added"] < 10
