"""A load whose files, code, libraries and judgements are those of a finished load is
skipped before its files are parsed (graph/loading.py input_digest, _loaded_already);
any other load is parsed, and its fingerprint decides whether anything is written."""

from __future__ import annotations

import pytest

from conftest import DATA, wipe
from graph import loading, store

EU = DATA / "eu" / "eu_oj_32020R1998.csv"
#: Read from the file itself: 177 entries (its distinct pairs of annex and recordId).
EU_RECORDS = 177


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """The kinds of the loads that parsed their files, in order."""
    kinds: list[str] = []
    parse = loading.parse

    def counted(kind, paths, *args, **kwargs):
        kinds.append(kind)
        return parse(kind, paths, *args, **kwargs)

    monkeypatch.setattr(loading, "parse", counted)
    return kinds


@pytest.fixture
def read_back(monkeypatch) -> list[str]:
    """The keys of the records the writer reads back from a load's spool, in order (since
    the test last cleared them)."""
    keys: list[str] = []
    record = store.SpooledRecord.record
    monkeypatch.setattr(store.SpooledRecord, "record", lambda self: keys.append(self.key) or record(self))
    return keys


def source_digests(g) -> list[tuple[str, bool, bool]]:
    return [tuple(r.values()) for r in g.read(
        "MATCH (s:Source) RETURN s.id AS id, s.fingerprint IS NOT NULL AS finished, "
        "s.input_digest IS NOT NULL AS skippable ORDER BY id")]


def test_an_unchanged_file_is_skipped_before_it_is_parsed(empty_graph, parsed, tmp_path):
    first = empty_graph.load("eu-oj-csv", EU)
    assert not first.written.unchanged and parsed == ["eu-oj-csv"]
    assert first.counts["records"] == EU_RECORDS
    assert source_digests(empty_graph) == [(first.source_id, True, True)]

    again = empty_graph.load("eu-oj-csv", EU)
    assert again.written.unchanged and parsed == ["eu-oj-csv"]
    assert (again.dataset, again.source_id, again.counts) == (first.dataset, first.source_id, first.counts)
    assert "unchanged since it was last loaded" in again.summary()

    # The same bytes elsewhere, or read with the format detected: the same load.
    copy = tmp_path / "copy.csv"
    copy.write_bytes(EU.read_bytes())
    assert empty_graph.load("eu-oj-csv", copy).written.unchanged
    detected = empty_graph.load("auto", EU)
    assert detected.written.unchanged and (detected.kind, detected.detected) == ("eu-oj-csv", True)
    assert parsed == ["eu-oj-csv"]

    # Forced, it is parsed and written again.
    assert not empty_graph.load("eu-oj-csv", EU, force=True).written.unchanged
    assert parsed == ["eu-oj-csv", "eu-oj-csv"]


def test_a_file_changed_by_one_byte_is_parsed_and_written(empty_graph, parsed, tmp_path):
    empty_graph.load("eu-oj-csv", EU)
    text = EU.read_text(encoding="utf-8")
    changed = tmp_path / "eu.csv"
    # One name of the list spelled otherwise: another version of it.
    changed.write_text(text.replace("Alexander Kalashnikov", "Alexander Kalashnikow", 1), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text
    report = empty_graph.load("eu-oj-csv", changed)
    assert not report.written.unchanged and parsed == ["eu-oj-csv", "eu-oj-csv"]


def test_a_new_version_reads_back_only_the_records_it_changed(empty_graph, tmp_path, read_back):
    """A record stored as the new version states it stays on the spool: of the 177, only
    the one whose reason changed is read back and written (graph/store.py SpooledRecord).
    The others keep their designations in force."""
    empty_graph.load("eu-oj-csv", EU)
    before = "Alexander Kalashnikov was the director"
    (key,) = [r["key"] for r in empty_graph.read(
        "MATCH (d:Designation) WHERE d.reason STARTS WITH $text RETURN d.record_key AS key", text=before)]
    in_force = "MATCH (d:Designation {status: 'active'}) RETURN count(d) AS n"
    designations = empty_graph.read(in_force)[0]["n"]
    # What would have a quiet record read back anyway: none has a designation that ends.
    assert empty_graph.read("MATCH (d:Designation) WHERE d.ended_on IS NOT NULL RETURN count(d) AS n") == [
        {"n": 0}
    ]
    read_back.clear()  # the first load read every record back: each was new
    changed = tmp_path / "eu.csv"
    changed.write_text(
        EU.read_text(encoding="utf-8").replace(before, "Alexander Kalashnikow was the director", 1),
        encoding="utf-8",
    )
    report = empty_graph.load("eu-oj-csv", changed)
    assert read_back == [key]
    assert report.counts["records"] == EU_RECORDS and report.written.records == EU_RECORDS
    assert empty_graph.read(in_force)[0]["n"] == designations
    assert empty_graph.read(
        "MATCH (d:Designation {record_key: $key}) RETURN d.reason STARTS WITH $text AS now", key=key,
        text="Alexander Kalashnikow was the director",
    ) == [{"now": True}]


def statements(g) -> list[tuple]:
    return [tuple(r.values()) for r in g.read(
        "MATCH (a:Record)-[s:STATES]->(b:Record) "
        "RETURN a.key AS a, s.type AS type, b.key AS b, b.status AS status ORDER BY a, type, b")]


def test_quiet_records_keep_the_links_they_state(empty_graph, tmp_path, read_back):
    """2,755 of the US list's entries state links ("Linked To:"); in a new version that renames
    one entry, the quiet ones are not read back, and the dataset's statements are those
    of the new version loaded into an empty graph."""
    version = tmp_path / "ofac"
    version.mkdir()
    for name in ("sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"):
        (version / name).write_bytes((DATA / "ofac" / name).read_bytes())
    text = (version / "sdn.csv").read_text(encoding="utf-8")
    assert sum(1 for line in text.splitlines() if "Linked To: " in line) == 2755
    # Chen Quanguo's entry (ent_num 29220), which states no link, renamed.
    assert '29220,"CHEN, Quanguo"' in text
    (version / "sdn.csv").write_text(text.replace('29220,"CHEN, Quanguo"', '29220,"CHEN, Quan Guo"'), encoding="utf-8")
    empty_graph.load("ofac-sdn-csv", version)
    fresh = statements(empty_graph)
    assert len(fresh) > 2000
    wipe(empty_graph)

    empty_graph.load("ofac-sdn-csv", DATA / "ofac")
    read_back.clear()
    empty_graph.load("ofac-sdn-csv", version)
    assert read_back == ["us-ofac-sdn:29220"]
    assert statements(empty_graph) == fresh


def test_after_a_change_of_code_the_same_records_are_parsed_once(empty_graph, parsed, monkeypatch):
    empty_graph.load("eu-oj-csv", EU)
    # Another version of the code or of a library: the files are parsed again, their
    # records are the same (the fingerprint), so nothing is written...
    monkeypatch.setattr(loading, "_code_digest", lambda: "the code of a later release")
    assert empty_graph.load("eu-oj-csv", EU).written.unchanged
    assert parsed == ["eu-oj-csv", "eu-oj-csv"]
    # ...and the load after that is skipped before parsing again.
    assert empty_graph.load("eu-oj-csv", EU).written.unchanged
    assert parsed == ["eu-oj-csv", "eu-oj-csv"]


def test_an_older_version_is_known_before_it_is_parsed(empty_graph, parsed):
    older, newer = DATA / "un" / "UN_consolidated_2024-11-30.xml", DATA / "un" / "UN_consolidated_2026-02-27.xml"
    empty_graph.load("un-xml", older)
    empty_graph.load("un-xml", newer)
    report = empty_graph.load("un-xml", older)
    assert report.written.unchanged and parsed == ["un-xml", "un-xml"]
    assert "already loaded as version 1 of 2 (dated 2024-11-30)" in report.summary()
