"""Issue 8, bad input: every loader, given a damaged copy of a real list file, either
stops with a clear error naming the file and the line or record, or loads with a
counted warning and keeps every record as far as it is valid. Nothing invalid reaches
the graph, a refused file leaves the graph exactly as it was, and the command line says
so in one line, never with a traceback.

The corpus (tests/reliability/make_corpus.py) is built into a temporary folder when this
module is collected. Every case that must be refused is loaded into the demo graph,
which holds the same lists: the graph's counts and the list's checksums are compared
after each, the whole graph's checksums after them all. The cases that parse are
loaded, a loader's cases one after another, into a graph of their own.

With SANCT_WRITE_REPORT=1, a complete run rewrites tests/reliability/corpus_report.md,
the table of cases, outcomes and messages (the committed one is from such a run);
otherwise nothing is written into the repository.
"""

from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from graph.loading import parse, spooled_items
from loaders.base import LoadError
from loaders.records import Record
from reliability.graph_state import counts, snapshot, source_snapshot, versions
from reliability.make_corpus import Case, build
from reliability.processes import command, one_line_error

CORPUS = Path(tempfile.mkdtemp(prefix="sanctions-corpus-"))
atexit.register(shutil.rmtree, CORPUS, True)
CASES = build(CORPUS)
BY_ID = {case.id: case for case in CASES}
REPORT = Path(__file__).with_name("corpus_report.md")
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
ISO_DATE = re.compile(r"\d{4}(-\d\d(-\d\d)?)?")
#: Refused cases that also go through the command line, besides those the store refuses.
#: The command line prints every LoadError the same way (graph/__main__.py); the cases
#: above check each message is one line. These check the printing, a case per kind of
#: refusal: a line of XML, a workbook as a whole, YAML, JSON, one the store refuses.
REFUSED_ON_THE_COMMAND_LINE = ["un-xml:truncated-1of10", "uk-ofsi:zip-not-a-workbook", "curated:date-impossible",
                               "ftm:property-not-a-list", "eu-fsf-xml:duplicate-record-id"]


@dataclass
class Outcome:
    """What happened to one case, for the report."""

    result: str
    message: str


OUTCOMES: dict[str, Outcome] = {}


@dataclass
class Result:
    records: dict[str, Record]
    #: As the loader words them, without the corpus folder.
    warnings: list[str]

    def new_warnings(self, baseline: Result) -> list[str]:
        """Warnings the baseline has not, the same warning on a shifted line included."""
        known = {_unnumbered(w) for w in baseline.warnings}
        return [w for w in self.warnings if _unnumbered(w) not in known]


def _unnumbered(warning: str) -> str:
    return re.sub(r", line \d+", "", warning)


def read(case_paths: list[Path], kind: str) -> Result:
    """Parse as a load does (graph.loading.parse), without a database."""
    with tempfile.TemporaryFile() as spool:
        parsed = parse(kind, case_paths, spool)
        records = {i.key: i for i in spooled_items(spool) if isinstance(i, Record)}
    folder = str(case_paths[0].parent) + "/"
    return Result(records, [str(w).replace(folder, "") for w in parsed.loader.warnings])


def relative(text: str) -> str:
    return text.replace(str(CORPUS) + "/", "")


def check_error(case: Case, error: LoadError) -> None:
    """A clear error: one line, naming the file and, where it can, the line or record."""
    message = str(error)
    assert "\n" not in message and "Traceback" not in message, message
    assert Path(error.path).name == case.paths[0].name, message
    if not case.whole_file:
        assert error.line is not None or error.record is not None, f"no line or record: {message}"
    assert case.says in message, message


def check_records(result: Result) -> None:
    """Nothing invalid is kept: no control characters, names of sane length, real dates."""
    for key, record in result.records.items():
        texts = [record.name, *(n.value for n in record.names), *record.addresses, *record.notes,
                 *record.positions, *record.identifiers, *record.birth_places, *record.extra.values()]
        assert not any(CONTROL.search(t) for t in texts if t), f"{key}: control characters kept"
        assert len(record.name) < 1000 and all(len(n.value) < 1000 for n in record.names), key
        for born in record.birth_dates:
            assert ISO_DATE.fullmatch(born), f"{key}: birth date {born!r}"
            date.fromisoformat(born + "-01-01"[len(born) - 4:])  # raises if impossible


@pytest.fixture(scope="session", autouse=True)
def corpus_report(request):
    """After a run of the whole corpus without a failure, the table for the closing note
    (when asked for)."""
    yield
    if (os.environ.get("SANCT_WRITE_REPORT") == "1" and len(OUTCOMES) == len(CASES)
            and request.session.testsfailed == 0):
        write_report()


DEMO_STATE: dict[str, dict] = {}
#: The undamaged slices, parsed once.
BASELINES: dict[tuple[str, ...], Result] = {}


def baseline_of(case: Case) -> Result:
    key = (case.loader, *map(str, case.like))
    if key not in BASELINES:
        BASELINES[key] = read(case.like, case.loader)
    return BASELINES[key]


def dataset_of(case: Case) -> str:
    """The list a case is a damaged copy of, as its undamaged slice names it."""
    (dataset,) = {record.dataset for record in baseline_of(case).records.values()}
    return dataset


REFUSED = [c for c in CASES if c.expect == "error"]
#: The last refused case of each list: after it, the list's full checksums.
LAST_OF_ITS_LIST = {dataset_of(c): c.id for c in REFUSED}


def demo_before(g) -> dict:
    """The demo graph's snapshot, taken once (it takes seconds): refused loads leave it so."""
    if "before" not in DEMO_STATE:
        DEMO_STATE["before"] = snapshot(g)
    return DEMO_STATE["before"]


def list_state(g, dataset: str, full: bool = False) -> dict:
    """The counts of everything in the graph and the list's versions, with the time
    each was written; `full`: the checksums of the list's designations and records."""
    return {**counts(g), "versions": versions(g, dataset), **(source_snapshot(g, dataset) if full else {})}


def list_state_before(g, dataset: str, full: bool = False) -> dict:
    if dataset not in DEMO_STATE:
        before = demo_before(g)
        DEMO_STATE[dataset] = {"labels": before["labels"], "relationships": before["relationships"],
                               "versions": versions(g, dataset), **source_snapshot(g, dataset)}
    state = DEMO_STATE[dataset]
    return state if full else {k: v for k, v in state.items() if k in ("labels", "relationships", "versions")}


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_case(demo_graph, case: Case):
    """The case's outcome must be the one the corpus states. A case that must be refused
    is loaded into the demo graph, which holds the same list: the load fails with a
    clear error; the counts of everything and the list's versions are as before, and
    after the list's last case, the checksums of its designations, records and versions."""
    g = demo_graph
    baseline = baseline_of(case)
    if case.expect == "error":
        dataset = dataset_of(case)
        full = LAST_OF_ITS_LIST[dataset] == case.id
        before = list_state_before(g, dataset, full)
        if case.where == "write":  # the loader passes it: only the store can see the damage
            check_records(read(case.paths, case.loader))
        with pytest.raises(LoadError) as e:
            g.load(case.loader, *case.paths)
        after = list_state(g, dataset, full)
        if after != before:
            g.state = "dirty"  # the demo data is damaged: the next test that needs it reloads it
            DEMO_STATE.clear()
        OUTCOMES[case.id] = Outcome("refused" if case.where == "parse" else "refused inside the load's transaction",
                                    relative(str(e.value)))
        check_error(case, e.value)
        assert after == before, "a refused load changed the graph" + (
            " (the list's checksums, after its last case: this one or one before)" if full else "")
        return
    try:
        result = read(case.paths, case.loader)
    except LoadError as e:
        OUTCOMES[case.id] = Outcome("refused", relative(str(e)))
        raise AssertionError(f"refused: {e}") from None
    new_warnings = result.new_warnings(baseline)
    OUTCOMES[case.id] = Outcome(f"loads, {len(new_warnings)} new warning{'s' * (len(new_warnings) != 1)}",
                                relative("; ".join(new_warnings)))
    check_records(result)
    assert set(result.records) == set(baseline.records), "records lost or invented"
    if case.expect == "warning":
        assert any(case.says in w for w in new_warnings), new_warnings
    else:
        assert new_warnings == []


# -- loading what parses, and the command line ------------------------------------------------


LOADABLE = [c for c in CASES if c.expect != "error"]


@pytest.mark.parametrize("loader", sorted({c.loader for c in LOADABLE}))
def test_loadable_files_load_with_their_warnings_and_nothing_invalid(empty_graph, loader: str):
    """Each case that parses is loaded in turn into one graph: every load succeeds,
    keeps the slice's records, and stores no control character or impossible date."""
    g = empty_graph
    for case in (c for c in LOADABLE if c.loader == loader):
        report = g.load(case.loader, *case.paths)
        expected = set(baseline_of(case).records)
        rows = g.read("MATCH (r:Record {dataset: $dataset, status: 'active'}) "
                      "RETURN r.key AS key, r.name AS name, r.names AS names, r.birth_dates AS born",
                      dataset=report.dataset)
        assert {r["key"] for r in rows} == expected, case.id
        for row in rows:
            assert not any(CONTROL.search(n) for n in row["names"]), (case.id, row["key"])
            assert all(ISO_DATE.fullmatch(d) for d in row["born"] or []), (case.id, row["born"])
        if case.expect == "warning":
            assert any(case.says in w for w in report.warnings), (case.id, report.warnings)


CLI_CASES = [BY_ID[i] for i in REFUSED_ON_THE_COMMAND_LINE]


@pytest.mark.parametrize("case", CLI_CASES, ids=[c.id for c in CLI_CASES])
def test_command_line_says_why_in_one_line(demo_graph, cli_env, case: Case):
    done = command(cli_env, "load", case.loader, str(case.paths[0]))
    assert done.returncode == 2, done.stderr
    error = one_line_error(done.stderr)
    assert case.paths[0].name in error, error
    assert case.whole_file or re.search(r"line \d+|record ", error), error
    assert "Traceback" not in done.stdout
    dataset = dataset_of(case)
    assert list_state(demo_graph, dataset) == list_state_before(demo_graph, dataset)


def test_after_every_refused_case_the_demo_graph_is_exactly_as_before(demo_graph):
    """Counts after each refused load, the list's checksums too; every value of the
    whole graph, by checksum, after them all (the demo tests run first, in order)."""
    assert snapshot(demo_graph) == demo_before(demo_graph)


def write_report() -> None:
    loaders = sorted({c.loader for c in CASES})
    lines = [
        "# Bad-input corpus: outcomes",
        "",
        "Written by `SANCT_WRITE_REPORT=1 pytest tests/reliability/test_bad_input.py` from the",
        "corpus that `tests/reliability/make_corpus.py` generates out of the real files in data/.",
        "Every refused case was loaded into the demo graph, which holds the same list: the",
        "counts of everything and the list's versions were unchanged after each, the checksums",
        "of its designations, records and versions after its last case, and of the whole graph",
        "after them all. The cases that load were loaded, and their records checked, as well.",
        "\"refused inside the load's transaction\": the loader streams and cannot see a repeated",
        "record id; the store refuses it, and the transaction is rolled back.",
        "",
        "| loader | cases | refused | loaded with a warning | loaded |",
        "|---|---|---|---|---|",
    ]
    for loader in loaders:
        cases = [c for c in CASES if c.loader == loader]
        refused = sum(1 for c in cases if OUTCOMES[c.id].result.startswith("refused"))
        warned = sum(1 for c in cases if OUTCOMES[c.id].result.startswith("loads") and c.expect == "warning")
        lines.append(f"| {loader} | {len(cases)} | {refused} | {warned} | {len(cases) - refused - warned} |")
    lines += ["", f"{len(CASES)} cases.", "", "| case | loader | expected | outcome | message |",
              "|---|---|---|---|---|"]
    for case in CASES:
        outcome = OUTCOMES[case.id]
        message = outcome.message.replace("|", "\\|")
        if len(message) > 160:
            message = message[:157] + "…"
        lines.append(f"| {case.name} | {case.loader} | {case.expect} | {outcome.result} | {message} |")
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")
