"""A briefing to cite: per target, each state's action or its absence, as a document an
NGO can attach to a letter (Markdown, HTML, PDF).

Pure: it takes what the client returns (designations(), coverage(), a gap matrix or any
frame of targets with `id` and `name`) and returns text; `from_graph` is the one place
that asks a client for them. Every date says what it is (graph/dates.py); a state that
did not designate a target says which list of what date that rests on, and a state with
no list loaded says so, never "not designated". Every source link says whether it is the
official announcement, the list itself, or only a secondary account.

    b = briefing.from_graph(g, g.gap_matrix(family="human_rights", country="CN"),
                            ["US", "GB", "EU", "CA", "AU"], question={...}, query={...})
    briefing.to_markdown(b); briefing.to_html(b); briefing.to_pdf(b)
"""

from __future__ import annotations

import datetime as dt
import html
import re
import shlex
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from urllib.parse import urlsplit

import pandas as pd

from graph import dates
from graph.exc import InvalidInput, NotFound
from graph.model import UN, model
from graph.resolve.compare import MERGE
from graph.wording import counted
from loaders.base import STRONG_ALIASES
from loaders.datasets import find_dataset

#: Hosts of official publishers (a host is official when it is one of these or ends with
#: "." + one): the US (.gov: Treasury, State, the Federal Register), the UK, Canada, the
#: EU (the Official Journal, the Council), Australia, the UN, and the other states the
#: model knows; and OFSI's own storage, where gov.uk's link to its list leads.
OFFICIAL_HOSTS = (
    "gov",
    "gov.uk",
    "canada.ca",
    "gc.ca",
    "europa.eu",
    "gov.au",
    "un.org",
    "govt.nz",
    "admin.ch",
    "go.jp",
    "gov.ua",
    "gouv.fr",
    "fgov.be",
    "belgium.be",
    "gouv.mc",
    "ofsistorage.blob.core.windows.net",
)

#: What each kind of link is, for the reader.
LINK_KINDS = {
    "announcement": "the official announcement",
    "list": "the official list the designation is recorded in",
    "secondary": "only a secondary source is known (no official announcement is loaded)",
    "none": "no source URL is recorded",
}

#: Of two actions on one day, the one with the better source comes first.
LINK_ORDER = ["announcement", "list", "secondary", "none"]

#: The formats a briefing is written in: file extension and MIME type.
FORMATS = {
    "md": ("md", "text/markdown"),
    "html": ("html", "text/html"),
    "pdf": ("pdf", "application/pdf"),
}

#: A briefing lists each target; more than this is a report, not an attachment.
MAX_TARGETS = 200


@dataclass(frozen=True)
class Link:
    kind: str  # announcement | list | secondary | none
    url: str | None = None
    title: str | None = None

    @property
    def label(self) -> str:
        return {
            "announcement": "announcement",
            "list": "list",
            "secondary": "secondary source",
            "none": "no source",
        }[self.kind]


@dataclass(frozen=True)
class Action:
    """One designation of a target by a state."""

    jurisdiction: str
    date: str  # with its basis: "2020-07-09 (announced)"
    since: dt.date | None  # dt.: in this class, `date` is the field above
    basis: str
    program: str  # "Global Magnitsky (US-GLOMAG)"
    program_id: str | None
    record_id: str | None
    dataset: str | None
    link: Link
    #: The entry a list folded into this one, or this one's into: a move, not a delisting
    #: (OFAC's Kadyrov, 36459 into 23343). The date may be the other entry's.
    moved_from: str | None = None
    moved_to: str | None = None
    delisted: str = ""  # "delisted 2022-01-03", or ""
    counted: bool = True  # under the programs compared (False: another family)
    #: On the day asked (as_of): False where its dates are bounds around that day, or
    #: unknown, so that whether it was in force then is not known.
    in_force_known: bool = True

    @property
    def exact_day(self) -> dt.date | None:
        """The day, where the date is one (listed or announced) and not a bound."""
        return self.since if self.basis in dates.EXACT else None

    @property
    def exact(self) -> bool:
        return self.exact_day is not None


@dataclass(frozen=True)
class StateLine:
    """What one state did about one target: `state` is designated, delisted, other
    program (designated only under programs outside the comparison), not designated, not
    known or no list; `text` says it in words for the last four (not known with actions:
    their designations ended, and a record the state designates may be the target).
    `doubt`: where a record of the actions is as like another target as a join, which of
    the two it names."""

    jurisdiction: str
    name: str
    state: str
    actions: tuple[Action, ...] = ()
    text: str = ""
    doubt: str = ""

    @property
    def first(self) -> Action | None:
        compared = [a for a in self.actions if a.counted]
        return min(compared, key=lambda a: (a.since is None, a.since or date.max), default=None)


@dataclass(frozen=True)
class Lag:
    to: str
    days: int | None
    text: str


@dataclass(frozen=True)
class Target:
    id: str
    name: str
    kind: str | None
    lines: tuple[StateLine, ...]
    lags: tuple[Lag, ...] = ()


@dataclass
class Briefing:
    title: str
    made: datetime
    jurisdictions: list[str]
    names: dict[str, str]
    base: str | None
    targets: list[Target]
    coverage: pd.DataFrame
    question: dict[str, str] = field(default_factory=dict)
    query: dict = field(default_factory=dict)
    left_out: int = 0


# -- reading the client's frames ----------------------------------------------------------


def is_official(url: str | None) -> bool:
    host = (urlsplit(url).hostname or "").lower() if url else ""
    return any(host == h or host.endswith("." + h) for h in OFFICIAL_HOSTS)


def link(row: Mapping) -> Link:
    """The source of one designation (a row of designations()): its announcement where it
    has one, else the URL it was recorded from, labelled by what it is. A designation an
    aggregator reports (OpenSanctions) is a secondary account, whatever official page it
    cites: the record is the aggregator's, not the list's."""
    url = _text(row.get("source_url"))
    title = _text(row.get("announcement"))
    if not url:
        return Link("none")
    spec = find_dataset(_text(row.get("dataset")) or "")
    if not is_official(url) or (spec is not None and spec.resolved_upstream):
        return Link("secondary", url, title)
    return Link("announcement" if title else "list", url, title)


def action(row: Mapping, counted: bool = True) -> Action:
    since = _day(row.get("since"))
    basis = _text(row.get("basis")) or ("listed" if since else "unknown")
    program_id = _text(row.get("program_id"))
    program = _text(row.get("program")) or program_id or "program not stated"
    if program_id and program_id != program:
        program = f"{program} ({program_id})"
    return Action(
        jurisdiction=row["jurisdiction"],
        date=dates.describe(since, basis, _day(row.get("after"))),
        since=since,
        basis=basis,
        program=program,
        program_id=program_id,
        record_id=_text(row.get("record_id")),
        dataset=_text(row.get("dataset")),
        link=link(row),
        moved_from=_text(row.get("moved_from_record")),
        moved_to=_text(row.get("moved_to_record")),
        delisted=dates.describe_delisting(
            _day(row.get("delisted_on")), _day(row.get("delisted_after")), row.get("delisted_by")
        ),
        counted=counted,
        # designations(as_of=…)'s in_force: null where it is not known.
        in_force_known=not pd.isna(row.get("in_force", True)),
    )


def by_state(coverage: pd.DataFrame) -> dict[str, dict]:
    """coverage() as {jurisdiction: its row}: what `absence` looks up, once for a page of
    thousands of cells rather than a frame's filter a cell."""
    return {row["jurisdiction"]: row for row in coverage.to_dict("records")}


def absence(
    jurisdiction: str,
    coverage: pd.DataFrame | Mapping[str, Mapping],
    first: dt.date | None = None,
    un_listed: bool = False,
    compared: Mapping[str, Sequence[str]] | None = None,
    families: Collection[str] = (),
    as_of: date | str | None = None,
) -> tuple[str, str]:
    """(state, text) for a state with no designation of a target: what that rests on.
    `first`: the day of the target's first designation by any state (or the day that
    bounds it from above): a list older than it cannot say the state has not followed.
    `un_listed`: the UN lists the target, by its own designation or by a state's under a
    UN regime (`un_listing`), which a list that leaves out the UN's listings cannot
    say anything of (UN_APART), nor the UN's own list when none of its records was
    joined to the target (UN_UNMATCHED). `compared`: each state's programs the comparison
    counts (Model.compared_programs; None: any measure): where only extracts of its
    lists are loaded, their silence says "not designated" only if they hold the whole of
    those programs (coverage's whole_programs), else "not known". `families`: the
    program families any state designates or designated the target under (client.families_of),
    which a state may list apart from the lists loaded (coverage's leaves_out_families:
    Canada's terrorist entities, under its Criminal Code), where the comparison counts
    that family: then "not known" (FAMILY_APART). `as_of`: the day asked, where it is
    before the oldest version of the state's lists loaded (coverage's versions), "not
    known" (BEFORE_VERSIONS); between two versions, "not designated" by both, not by the
    newest alone. The one place this is
    decided: the profile, briefings, gap matrix, its CSV, lag summary and follow-up list
    read it. `coverage`: coverage(), or by_state() of it."""
    c = coverage.get(jurisdiction) if isinstance(coverage, Mapping) else _coverage_row(coverage, jurisdiction)
    programs = None if compared is None else compared.get(jurisdiction, [])
    if c is None or c["status"] == "no list":
        return "no list", "no list loaded: whether it designated the target is not known here"
    if un_listed and c.get("leaves_out_un"):
        return "not known", UN_APART
    if un_listed and jurisdiction == UN:
        return "not known", UN_UNMATCHED
    if apart := _family_apart(c.get("leaves_out_families"), families, programs):
        return "not known", apart
    versions_from = _versions_from(c)
    if versions_from and (asked := _day(as_of)) and asked < versions_from:
        return "not known", (
            f"{BEFORE_VERSIONS}{versions_from}, after the day asked: what it designated then "
            "and delisted before that is in none of them"
        )
    if why := dates.older_than(c.get("list_date"), c.get("not_before"), first):
        return "not known", f"not known: {why}"
    when = _day(c.get("list_date"))
    age = c.get("age_days")
    old = f", {counted(int(age), 'day')} old" if age is not None and not pd.isna(age) else ""
    # An undated list's newest entry bounds its date: it is of that day or later.
    bound = dates.not_before(c.get("not_before"))
    bound = f" ({bound})" if bound else ""
    if c["status"] == "partial":
        # Each extract by name and date: their oldest date alone reads as a whole list's.
        lists = "; ".join(c["lists"])
        whole = _listed(c.get("whole_programs"))
        if programs and set(programs) <= set(whole):
            return "not designated", (
                f"not designated by the extracts loaded ({lists}), which hold the whole of {', '.join(programs)}"
            )
        # What they can say still: the state has not designated it under the programs
        # whose whole list is loaded (the EU's human rights regime, by its annex).
        held = [p for p in whole if programs is None or p in programs]
        return "not known", (
            f"{EXTRACTS_ONLY} ({lists}): a target missing from them may be listed elsewhere"
            + (f"; not designated under {_programs_named(held)}, whose whole list is loaded" if held else "")
        )
    lacking = LACKS_ALIASES if STRONG_ALIASES in _listed(c.get("lacks")) else ""
    # The list by its name: Canada's is its autonomous sanctions list, not its Criminal
    # Code listings, and a letter citing the answer cites the list.
    named = " and the ".join(_listed(c.get("rests_on")))
    if not when:
        return "not designated", f"not designated by the undated {named or 'list'} loaded{bound}{lacking}"
    if around := versions_around(c, as_of):
        # Its newest list says nothing of a day years before it; the versions either
        # side of the day do, but not of a listing made and ended between them.
        return "not designated", (
            f"not designated by the {named or 'list'} in its versions of {around[0]} and {around[1]}, "
            f"either side of the day asked: a listing made and ended between them is in neither{lacking}"
        )
    return (
        "not designated",
        f"not designated by the {named or 'list'} of {when} ({old.lstrip(', ') or 'age unknown'}){lacking}",
    )


def absences(
    coverage: Mapping[str, Mapping], compared: Mapping[str, Sequence[str]] | None, as_of: date | str | None
) -> Callable[[str, dt.date | None, bool, Collection[str]], tuple[str, str]]:
    """`absence` for the many targets of one page, count or list, which share the
    coverage, the programs compared and the day: what it answers depends on a target only
    through its first day, whether the UN lists it and its families, which many targets
    share, so each is asked once (the gap page with every family: 53,460 calls a run,
    0.75 s, against 2,903). `coverage`: by_state() of coverage()."""

    @cache
    def answer(
        jurisdiction: str, first: dt.date | None, un_listed: bool, families: frozenset[str]
    ) -> tuple[str, str]:
        return absence(jurisdiction, coverage, first, un_listed, compared, families, as_of)

    def asked(
        jurisdiction: str, first: dt.date | None, un_listed: bool, families: Collection[str]
    ) -> tuple[str, str]:
        # A target's families come as a list or tuple: made hashable for the cache.
        return answer(jurisdiction, first, un_listed, frozenset(families))

    return asked


def _versions_from(c: Mapping) -> date | None:
    """The day from which every list of a state (`c`: its row of coverage()) has a version
    loaded: its silence on an earlier day says nothing of what it delisted before then.
    None where one of them has no dated version."""
    versions = _listed(c.get("versions"))
    return max(days[0] for days in versions) if versions and all(versions) else None


def versions_around(c: Mapping, as_of: date | str | None) -> tuple[date, date] | None:
    """Where a day asked falls between two versions of a state's lists (`c`: its row of
    coverage(), whose `versions` are the days of each list's versions, oldest first), the
    latest version before it and the earliest after it over those lists: its silence on
    that day rests on both. None where every list has a version of that day or none after it."""
    asked = _day(as_of)
    if asked is None:
        return None
    before, after = [], []
    for days in _listed(c.get("versions")):
        later = [d for d in days if d > asked]
        if later and asked not in days:
            before += [d for d in days if d < asked][-1:]
            after.append(later[0])
    return (min(before), max(after)) if before and after else None


def _family_apart(
    left_out: Mapping[str, str] | None, families: Collection[str], compared: Sequence[str] | None
) -> str:
    """FAMILY_APART's text where the target is designated under a family the state's
    lists leave out (`left_out`: family → where it lists those targets) and the comparison
    counts that family (`compared`: the state's programs compared; None: any measure)."""
    if not left_out or not families:
        return ""
    m = model()
    counted = None if compared is None else {m.programs[p].family for p in compared if p in m.programs}
    for family in sorted(families):
        if family in left_out and (counted is None or family in counted):
            return f"{FAMILY_APART}{m.families.get(family, family).lower()} programs, and {left_out[family]}"
    return ""


def _listed(value: object) -> list:
    """A list cell of a frame or a mapping as a list (missing: none)."""
    return list(value) if isinstance(value, (list, tuple)) else []


def _programs_named(ids: Sequence[str]) -> str:
    programs = model().programs
    return ", ".join(f"{programs[p].name} ({p})" if p in programs else p for p in ids)


def state_lines(
    designations: pd.DataFrame,
    coverage: pd.DataFrame,
    jurisdictions: Sequence[str],
    programs: Mapping[str, Sequence[str]] | None = None,
    undecided: pd.DataFrame | None = None,
    compared: Mapping[str, Sequence[str]] | None = None,
    as_of: date | str | None = None,
) -> list[StateLine]:
    """One line per jurisdiction for one target. `programs` ({jurisdiction: [program
    ids]}, as a gap matrix row has it): only designations under those count, the others
    show as "other program"; None: every designation counts. `undecided`: the records
    of other entities the resolver could not tell from this one (client.undecided): a
    state that designates one of them is "not known", never "not designated".
    `compared`: each state's programs the comparison counts (Model.compared_programs;
    None: any measure), which decides what extracts can say (`absence`); `as_of`, the day
    asked (the designations being those in force then), which the lists' silence is read
    of (`absence`)."""
    names = _names(coverage)
    lines = []
    # Listed by the UN, in force: what a list leaving out the UN's listings cannot say.
    un_listed = any(
        un_listing(r["jurisdiction"], r.get("program_id")) and pd.isna(r.get("delisted_on"))
        for r in designations.to_dict("records")
    )
    # The families it is or was designated under: what a list leaving one out cannot say.
    programs_known = model().programs
    families = {
        programs_known[r["program_id"]].family
        for r in designations.to_dict("records")
        if r.get("program_id") in programs_known
    }
    # The target's first designation by any state, under the programs compared.
    first = min(
        (
            a.since
            for r in designations.to_dict("records")
            if (a := action(r)).since
            and (programs is None or a.program_id in programs.get(a.jurisdiction, ()))
        ),
        default=None,
    )
    for j in jurisdictions:
        rows = designations[designations.jurisdiction == j] if not designations.empty else designations
        acts = tuple(
            action(r, counted=programs is None or r.get("program_id") in programs.get(j, ()))
            for r in rows.to_dict("records")
        )
        acts = tuple(
            sorted(
                acts,
                key=lambda a: (
                    not a.counted,
                    a.since is None,
                    a.since or date.max,
                    LINK_ORDER.index(a.link.kind),
                    a.program,
                ),
            )
        )
        in_scope = [a for a in acts if a.counted]
        if in_scope and not any(a.in_force_known for a in in_scope):
            # Asked of a day its dates are bounds around: neither designated then nor not
            # (the actions follow, with their dates).
            lines.append(StateLine(j, names.get(j, j), "not known", acts, IN_FORCE_UNKNOWN))
        elif in_scope and all(a.delisted for a in in_scope) and (ended_yet := _doubt(undecided, j)):
            # Its designation of this record ended, while a record it designates in force
            # may be this target (Canada's "VTB Bank OAO", gone by 2025, and its "VTB"):
            # "delisted" would say what the data cannot.
            lines.append(StateLine(j, names.get(j, j), "not known", acts, ended_yet))
        elif in_scope:
            state = "delisted" if all(a.delisted for a in in_scope) else "designated"
            lines.append(StateLine(j, names.get(j, j), state, acts, doubt=_joined_in_doubt(undecided, acts)))
        elif acts:
            others = ", ".join(dict.fromkeys(a.program for a in acts))
            lines.append(
                StateLine(
                    j,
                    names.get(j, j),
                    "other program",
                    acts,
                    f"not designated under the programs compared; designated under {others}",
                )
            )
        elif doubt := _doubt(undecided, j):
            lines.append(StateLine(j, names.get(j, j), "not known", (), doubt))
        else:
            state, text = absence(j, coverage, first, un_listed, compared, families, as_of)
            lines.append(StateLine(j, names.get(j, j), state, (), text))
    return lines


def _joined_in_doubt(undecided: pd.DataFrame | None, acts: Sequence[Action]) -> str:
    """Where a record of `acts` scores as high against another target as a join would
    need (OFSI's PJSC SBERBANK OF RUSSIA, joined to OFAC's Ukrainian subsidiary, against
    Sberbank of Russia itself): the resolver picked one, and a person should look. Not
    against another entry of the same state's lists: the state keeps the two apart."""
    if undecided is None or undecided.empty or not acts:
        return ""
    keys = {f"{a.dataset}:{a.record_id}" for a in acts if a.dataset and a.record_id}
    rows = undecided[
        undecided.ours.isin(keys)
        & (undecided.score >= MERGE)
        & (undecided.jurisdiction != acts[0].jurisdiction)
    ]
    if "scored" in rows:  # the record scored, not another record of its entity
        rows = rows[rows.scored == rows.record]
    if rows.empty:
        return ""
    best = rows.sort_values(["score", "record"], ascending=[False, True]).iloc[0]
    return (
        f"its record {best.ours} is as like another target, {best.record} ({best['name']}, "
        f"{best.score:.2f}): which of the two it names is for a person to review"
    )


#: How `absence` begins where only extracts of a state's lists are loaded, not the whole
#: of the programs compared: their silence says nothing.
EXTRACTS_ONLY = "not known: only extracts of its lists are loaded"
#: After a "not designated" by a list whose files lack its aliases (OFAC's dated
#: versions hold sdn.csv only): the names it was compared by are fewer than it gives.
LACKS_ALIASES = (
    "; the files loaded lack its strong aliases (entries new to the graph since carry their main names only), "
    "so a target it lists under another name may be missed"
)
#: How `absence` begins for a target designated under a family of programs that the
#: state lists apart from the lists loaded (coverage's leaves_out_families).
FAMILY_APART = "not known: this target is or was designated under "
#: How `absence` begins, asked of a day (as_of) before the oldest version of a state's
#: lists loaded: what it designated then and delisted before that version is in none.
BEFORE_VERSIONS = "not known: its oldest list loaded is of "
#: How `doubt` begins: lags tell its "not known" from a list's that is older.
_DOUBT = "not known: its record "
#: How a state's answer on the day asked (as_of) begins where every designation of the
#: target it holds is dated by bounds around that day, or not at all: OFAC's entries of
#: 2021, known "on or before 2021-08-18", asked of 2020-12-31. Neither "designated" then
#: nor "not designated": the dates cannot tell.
IN_FORCE_UNKNOWN = "not known whether in force on the day asked"


def in_force_unknown(when: str) -> str:
    """The text for a state whose designations' dates (`when`, in words: "on or before
    2021-08-18", with its delisting if any) do not say whether it was in force on the
    day asked."""
    return f"{IN_FORCE_UNKNOWN}: {when}"


#: A UN-listed target and a state whose lists loaded leave out the UN's listings
#: (coverage's leaves_out_un: Canada's autonomous list).
UN_APART = (
    "not known: this target is listed under a UN Security Council regime (by the UN, or by a "
    "state applying it), and this state's list loaded holds its own designations only, not the "
    "UN's listings it applies under its own law"
)
#: The UN's own line, where a state designates the target under a UN regime it
#: implements and no UN record was joined to it: the UN's list may hold it under a
#: record the resolver did not match (another spelling, a date of birth the lists give
#: differently), or have removed it since that state's list was made.
UN_UNMATCHED = (
    "not known: a state lists this target under a UN Security Council regime it implements, "
    "and no record of the UN's list loaded was matched to it"
)


def un_listing(jurisdiction: str, program_id: str | None) -> bool:
    """Whether a designation says the UN lists its target: the UN's own, or a state's
    under a UN regime it implements (Model.implementing_un: Australia's "1988 (Taliban)").
    A target two lists name apart is not always joined, and the UN's record of it may be
    in another entity: the state's listing still says the UN lists it."""
    return jurisdiction == UN or program_id in model().implementing_un


def _doubt(undecided: pd.DataFrame | None, jurisdiction: str) -> str:
    """Why a state's silence says nothing: a record it designates may be this target."""
    if undecided is None or undecided.empty:
        return ""
    return doubt(undecided[undecided.jurisdiction == jurisdiction])


def doubt(rows: pd.DataFrame) -> str:
    """The "not known: …" of one target and one state, from client.undecided's rows of
    them; "" without any."""
    if rows.empty:
        return ""
    rows = rows.sort_values(["score", "record"], ascending=[False, True])
    best = rows.iloc[0]
    more = rows.record.nunique() - 1
    scored = best.get("scored", best.record)
    why = (
        f"the matcher scored them {best.score:.2f} and left them"
        if scored == best.record
        else f"it is one target with {scored}, which the matcher scored {best.score:.2f} against this one "
        "and left"
    )
    return f"{_DOUBT}{best.record} ({best['name']}) may be this target: {why} for a person to review" + (
        f" ({counted(more, 'other record')} too)" if more else ""
    )


def lags(lines: Sequence[StateLine], base: str, coverage: pd.DataFrame) -> list[Lag]:
    """Days from `base`'s first designation to each other state's, where both days are
    exact (listed or announced); otherwise what can be said."""
    by = {line.jurisdiction: line for line in lines}
    start = by[base].first if base in by else None
    if start is None:
        return []
    start_day = start.exact_day
    found = []
    for line in lines:
        if line.jurisdiction == base:
            continue
        j, follow = line.jurisdiction, line.first
        if line.state == "no list":
            found.append(Lag(j, None, f"{j}: no list loaded"))
        elif follow is None and line.text.startswith(
            (_DOUBT, UN_APART, UN_UNMATCHED, FAMILY_APART, EXTRACTS_ONLY, BEFORE_VERSIONS)
        ):
            found.append(Lag(j, None, f"{j}: {line.text}"))
        elif follow is None:  # not designated, or only under programs outside the comparison
            c = _coverage_row(coverage, j)
            when = _day(c.get("list_date")) if c is not None else None
            bound = _day(c.get("not_before")) if c is not None else None
            # Extracts that hold the whole of the programs compared (`absence`).
            caveat = "; by the extracts loaded" if c is not None and c["status"] == "partial" else ""
            if not start_day:
                text = f"{j}: not designated"
            elif dates.older_than(when, bound, start_day):
                # A list older than the designation cannot say the state has not followed.
                text = (
                    f"{j}: not known (its list of {when} is older than the {base} designation)"
                    if when
                    else f"{j}: not known (its list is {dates.undated(bound)})"
                )
            elif when:
                text = f"{j}: not designated {counted((when - start_day).days, 'day')} later (list of {when}){caveat}"
            else:  # an undated list is of its newest entry's day or later: a lag of at least that
                assert bound is not None  # older_than: an undated list is new enough by its bound only
                text = (
                    f"{j}: not designated at least {counted((bound - start_day).days, 'day')} later "
                    f"(list {dates.undated(bound)}){caveat}"
                )
            found.append(Lag(j, None, text))
        elif start_day is None or follow.exact_day is None:
            inexact = start if start_day is None else follow
            found.append(
                Lag(
                    j,
                    None,
                    f"{j}: no exact lag (the {inexact.jurisdiction} date is "
                    f"{inexact.date}, not a stated day)",
                )
            )
        else:
            days = (follow.exact_day - start_day).days
            found.append(Lag(j, days, f"{j}: {days:+,} days" + (" (acted first)" if days < 0 else "")))
    return found


def build(
    targets: pd.DataFrame,
    designations: Mapping[str, pd.DataFrame],
    coverage: pd.DataFrame,
    jurisdictions: Sequence[str],
    *,
    question: Mapping[str, object] | None = None,
    query: Mapping | None = None,
    base: str | None = None,
    made: datetime | None = None,
    title: str | None = None,
    undecided: pd.DataFrame | None = None,
    compared: Mapping[str, Sequence[str]] | None = None,
    as_of: date | str | None = None,
) -> Briefing:
    """A briefing on `targets` (a frame with id and name, and kind and a gap matrix's
    `programs` where known): `designations` maps each target id to designations();
    `undecided`, client.undecided() of the targets, `compared`, the programs compared,
    and `as_of`, the day asked (see state_lines)."""
    jurisdictions = [j.upper() for j in jurisdictions]
    base = base or (jurisdictions[0] if jurisdictions else None)
    base = base.upper() if base else None
    shown = targets.head(MAX_TARGETS)
    found = []
    for row in shown.to_dict("records"):
        frame = designations.get(row["id"])
        if frame is None:
            frame = pd.DataFrame(columns=["jurisdiction"])
        programs = row.get("programs") if isinstance(row.get("programs"), Mapping) else None
        doubts = undecided[undecided.id == row["id"]] if undecided is not None else None
        lines = state_lines(frame, coverage, jurisdictions, programs, doubts, compared, as_of)
        found.append(
            Target(
                row["id"],
                row["name"],
                _text(row.get("kind")),
                tuple(lines),
                tuple(lags(lines, base, coverage)) if base in jurisdictions else (),
            )
        )
    return Briefing(
        title=title or "Who designated these targets, and who did not",
        made=made or datetime.now(UTC),
        jurisdictions=jurisdictions,
        names=_names(coverage),
        base=base,
        targets=found,
        coverage=(
            coverage.set_index("jurisdiction")
            .reindex([j for j in jurisdictions if j in set(coverage.jurisdiction)])
            .reset_index()
            if not coverage.empty
            else coverage
        ),
        question={k: _plain(v) for k, v in (question or {}).items() if _plain(v)},
        query=dict(query or {}),
        left_out=max(len(targets) - len(shown), 0),
    )


def from_graph(
    g,
    targets: pd.DataFrame,
    jurisdictions: Sequence[str],
    *,
    as_of: date | str | None = None,
    date_basis: str = "announced",
    family: str | None = None,
    program: str | None = None,
    include_country_regimes: bool = False,
    **kwargs,
) -> Briefing:
    """`build` with the designations and coverage the client `g` gives, dated on
    `date_basis`. Targets without a gap matrix's `programs` (given by id, call or case
    list) are compared by family or program (with include_country_regimes), as the gap
    matrix compares its own: a designation outside them shows as such."""
    ids = list(targets["id"].head(MAX_TARGETS))
    designations = {i: g.designations(i, as_of=as_of, date_basis=date_basis) for i in ids}
    if "programs" not in targets.columns and (family or program):
        counted = [
            counted_programs(designations[i], family, program, include_country_regimes)
            if i in designations
            else {}
            for i in targets.id
        ]
        targets = targets.assign(programs=pd.Series(counted, index=targets.index, dtype=object))
    undecided = g.undecided(ids, [j.upper() for j in jurisdictions])
    return build(
        targets, designations, g.coverage(), jurisdictions, undecided=undecided, as_of=as_of, **kwargs
    )


def counted_programs(
    designations: pd.DataFrame,
    family: str | None = None,
    program: str | None = None,
    include_country_regimes: bool = False,
) -> dict[str, list[str]]:
    """{jurisdiction: the programs of its designations (a frame of designations()) that a
    comparison by family or program counts (Model.counts)}: a gap matrix row's `programs`,
    for a target the gap matrix did not give."""
    counted: dict[str, list[str]] = {}
    for r in designations.to_dict("records"):
        if model().counts(
            r.get("program_id"), r.get("family"), r["jurisdiction"], family, program, include_country_regimes
        ):
            counted.setdefault(r["jurisdiction"], []).append(r["program_id"])
    return counted


#: The states a briefing compares unless told otherwise; the first is the one lags count from.
JURISDICTIONS = ("US", "GB", "EU", "CA", "AU")
#: The targets a briefing is given rather than chosen by the gap matrix's filters, in words.
GIVEN = {"ids": "entity ids", "call": "a call", "case": "a case list"}


def make(
    g,
    *,
    ids: Sequence[str] | None = None,
    call: str | None = None,
    case: str | None = None,
    jurisdictions: Sequence[str] = JURISDICTIONS,
    target: str | None = None,
    family: str | None = None,
    program: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    as_of: date | str | None = None,
    include_country_regimes: bool = False,
    date_basis: str = "announced",
    format: str = "pdf",
) -> Briefing:
    """A briefing from the client `g` on the targets of one of: `ids` (entity ids or list
    record keys), `call` (the targets a civil-society call names), `case` (a case list's
    targets, graph/cases.py), or else the gap matrix's filters (family, program, country,
    kind, as_of, include_country_regimes, date_basis, with `target`: only names with
    these words). Given targets are compared as the gap matrix compares its own (family,
    program, include_country_regimes, as_of, date_basis); country, kind and target, which
    choose targets, are refused with them. InvalidInput (NotFound) when nothing matches.
    `format` only shapes the command line it prints to make it again."""
    from graph.names import normalize

    jurisdictions = [j.strip().upper() for j in jurisdictions if j and j.strip()]
    ids = [i.strip() for i in ids or [] if i and i.strip()] or None
    if case:
        from graph.cases import case_id

        case = case_id(case)
    chosen = [name for name, value in (("ids", ids), ("call", call), ("case", case)) if value]
    if len(chosen) > 1:
        raise InvalidInput(f"a briefing is on one set of targets: give one of {' or '.join(chosen)}")
    narrowing = [name for name, value in (("country", country), ("kind", kind), ("target", target)) if value]
    if chosen and narrowing:
        # They choose the gap matrix's targets; given targets are briefed on as they are.
        raise InvalidInput(
            f"{' and '.join(narrowing)} choose{'s' if len(narrowing) == 1 else ''} targets from the gap "
            "matrix; a briefing on "
            f"{GIVEN[chosen[0]]} is on the targets it names"
        )
    # What the comparison counts (and, from the gap matrix, which targets it chose).
    asked = {
        "Program family": family or "any",
        "Program": program,
        "Target country": country,
        "Kind": kind,
        "As of": as_of,
        "Target name": target,
        "Dates": date_basis,
        "Country regimes count too": bool(family) and include_country_regimes,
    }
    made_by: dict[str, object] = {
        "command": command(
            family=family,
            program=program,
            country=country,
            kind=kind,
            jurisdictions=jurisdictions,
            as_of=as_of,
            date_basis=date_basis,
            include_country_regimes=include_country_regimes,
            target=target,
            call=call,
            case=case,
            ids=ids,
            format=format,
        )
    }
    title = None
    if call:
        rows = g.run_saved("urged_vs_designated", call=call)
        if rows.empty:
            raise NotFound(f"no call {call!r} names a target")
        targets = rows.drop_duplicates("id")[["id", "name"]]
        question = {"Call": call, "Call date": rows.call_date.iloc[0]}
        made_by.update(name="urged_vs_designated", params={"call": call})
    elif case:
        found = g.case_list(case)
        if found is None:
            raise NotFound(f"no case list {case!r}")
        targets = found["targets"]
        if targets.empty:
            raise NotFound(f"the case list {found['name']!r} has no target in the graph")
        question = {
            "Case list": f"{found['name']} ({found['id']})",
            "Made from": found.get("made_from"),
            "Description": found.get("description"),
        }
        made_by.update(name="case_list", params={"case": found["id"]})
        title = f"{found['name']}: who designated these targets, and who did not"
    elif ids:
        entities = [g.entity(i) for i in ids]
        missing = [i for i, e in zip(ids, entities) if e is None]
        if missing:
            raise NotFound(f"no entity {', '.join(missing)}")
        targets = pd.DataFrame([{"id": e["id"], "name": e["name"], "kind": e.get("kind")} for e in entities])
        question = {"Entities asked about": ", ".join(ids)}
    else:
        filters = {
            "family": family,
            "program": program,
            "country": country,
            "kind": kind,
            "jurisdictions": jurisdictions,
            "as_of": as_of,
            "include_country_regimes": include_country_regimes,
            "date_basis": date_basis,
        }
        targets = g.gap_matrix(**filters)
        if target:
            wanted = normalize(target).split()
            targets = targets[targets.name.map(lambda n: all(w in normalize(n).split() for w in wanted))]
        question = {}
        made_by.update(name="gap_matrix", params={k: v for k, v in filters.items() if v not in (None, False)})
    if targets.empty:
        raise InvalidInput("no target matches: nothing to brief on")
    question.update(asked)
    compared = model().compared_programs(
        jurisdictions or list(model().jurisdictions), family, program, include_country_regimes
    )
    return from_graph(
        g,
        targets,
        jurisdictions,
        as_of=as_of,
        date_basis=date_basis,
        family=family,
        program=program,
        include_country_regimes=include_country_regimes,
        question=question,
        query=made_by,
        title=title,
        compared=compared,
    )


def command(
    family: str | None = None,
    program: str | None = None,
    country: str | None = None,
    kind: str | None = None,
    jurisdictions: Sequence[str] | None = None,
    as_of: date | str | None = None,
    include_country_regimes: bool = False,
    date_basis: str = "announced",
    target: str | None = None,
    call: str | None = None,
    ids: Sequence[str] | None = None,
    format: str = "pdf",
    case: str | None = None,
) -> str:
    """The command line that makes this briefing again (`python -m graph brief …`)."""
    words = ["python", "-m", "graph", "brief"]
    for option, value in [
        ("--family", family),
        ("--program", program),
        ("--country", country),
        ("--kind", kind),
        ("--as-of", _plain(as_of)),
        ("--target", target),
        ("--call", call),
        ("--case", case),
        ("--ids", ",".join(ids or [])),
        ("--jurisdictions", ",".join(jurisdictions or [])),
    ]:
        if value:
            words += [option, str(value)]
    if include_country_regimes and family:
        words.append("--include-country-regimes")
    if date_basis and date_basis != "announced":
        words += ["--date-basis", date_basis]
    words += ["--format", format, "--out", f"briefing.{FORMATS.get(format, (format,))[0]}"]
    return shlex.join(words)


# -- writing it ---------------------------------------------------------------------------


def action_text(a: Action) -> str:
    """An action in words, without its link: date with basis, program, record id."""
    record = (
        f"record {a.record_id}" + (f" ({a.dataset})" if a.dataset else "") if a.record_id else "no record id"
    )
    delisted = f" → {a.delisted}" if a.delisted else ""
    return f"{a.date}{delisted} · {a.program} · {record}{moved(a.moved_from, a.moved_to)}"


def moved(moved_from: object, moved_to: object) -> str:
    """The entries before and after a move, in words ("" where none: missing values of a
    frame too). The date of a designation moved into another is the earlier of the two
    entries': 36459's, where OFAC folded it into 23343 as 23343 took up its program."""
    before, after = _text(moved_from), _text(moved_to)
    return (f", moved from {before}" if before else "") + (f", moved to {after}" if after else "")


def absence_note(coverage: pd.DataFrame, columns: Sequence[str]) -> str:
    """What a saved query's "not designated" (its `absence` columns) rests on: the lists
    loaded, each state's with its date, and what the query does not read as absence
    does. Printed under its rows by the app and the command line."""
    states = freshness(coverage)
    loaded = "; ".join(
        f"{r['jurisdiction']}: {r['coverage']}"
        + (f" of {r['list_date']}" if isinstance(r["list_date"], date) else f", {r['list_date']}")
        for r in states
        if r["coverage"] != "no list loaded"
    )
    missing = [r["jurisdiction"] for r in states if r["coverage"] == "no list loaded"]
    return (
        f"Not designated ({', '.join(columns)}) means no designation in the lists loaded ({loaded})"
        + (
            f"; no list of {', '.join(missing)} is loaded, so nothing here says what it designated"
            if missing
            else ""
        )
        + '. This query reads every silence as one; the gap matrix and the briefings say "not known" '
        "where a list is older than the designation or the day asked, holds only extracts, holds a "
        "record under review, or leaves out the UN's listings or a family of programs."
    )


def freshness(coverage: pd.DataFrame) -> list[dict]:
    """Per jurisdiction: coverage, list date, age in days and the lists."""
    rows = []
    for c in coverage.to_dict("records"):
        when = _day(c.get("list_date"))
        age = c.get("age_days")
        rows.append(
            {
                "jurisdiction": c["jurisdiction"],
                "name": c.get("name") or c["jurisdiction"],
                "coverage": {
                    "full": "whole list",
                    "partial": "extracts only",
                    "no list": "no list loaded",
                }.get(c["status"], c["status"]),
                "list_date": when
                or (dates.undated(c.get("not_before")) if c["status"] != "no list" else "—"),
                "age": counted(int(age), "day") if age is not None and not pd.isna(age) else "—",
                "lists": "; ".join(c.get("lists") or []) or "—",
            }
        )
    return rows


def _short(line: StateLine) -> str:
    """A state's cell in the summary table."""
    first = line.first
    # A join in doubt is marked in the summary too: the details say which record.
    doubted = " (record in doubt)" if line.doubt else ""
    if line.state == "designated" and first:
        return first.date + doubted
    if line.state == "delisted" and first:
        return f"{first.date}, {first.delisted}{doubted}"
    if line.state == "not known":
        return "not known: " + unknown_because(line.text)
    return {
        "other program": "other program only",
        "not designated": "not designated",
        "no list": "no list loaded",
    }[line.state]


def unknown_because(text: str) -> str:
    """Why a state's answer is "not known", in a few words, from the text `absence` or
    `doubt` gives: record under review, UN listing, list apart, UN record not matched,
    listed apart (a family its lists loaded leave out), in force then not known (on the
    day asked, IN_FORCE_UNKNOWN), extracts only, or list older (than the first
    designation, or undated and perhaps older; or lists newer than the day asked,
    BEFORE_VERSIONS)."""
    if text.startswith(_DOUBT):
        return "record under review"
    if text == UN_APART:
        return "UN listing, list apart"
    if text == UN_UNMATCHED:
        return "UN record not matched"
    if text.startswith(FAMILY_APART):
        return "listed apart"
    if text.startswith(IN_FORCE_UNKNOWN):
        return "in force then not known"
    if text.startswith(BEFORE_VERSIONS):
        return "lists newer than the day"
    if text.startswith(EXTRACTS_ONLY):
        return "extracts only"
    return "list older"


def to_markdown(b: Briefing) -> str:
    md = _md
    out = [
        f"# {md(b.title)}",
        "",
        (
            f"Made {b.made:%Y-%m-%d %H:%M} UTC with Sanctions Graph from the lists loaded in it "
            "(their dates: Freshness of the lists, below); every fact names its source."
        ),
        "",
    ]
    out += ["## The question", ""]
    out += [f"- {md(k)}: {md(v)}" for k, v in b.question.items()]
    out += [
        f"- States compared: {', '.join(f'{b.names.get(j, j)} ({j})' for j in b.jurisdictions)}",
        f"- Targets: {len(b.targets)}"
        + (f" (the first {len(b.targets)}; {b.left_out} more left out)" if b.left_out else ""),
    ]
    out += [
        f"- {label}: " + (f"<{value}>" if how == "link" else f"`{value}`")
        for label, value, how in _query_parts(b)
    ]
    out += ["", "## Summary", ""]
    out += ["| Target | " + " | ".join(b.jurisdictions) + " |", "|---|" + "---|" * len(b.jurisdictions)]
    for t in b.targets:
        out.append(f"| {md(t.name)} | " + " | ".join(md(_short(x)) for x in t.lines) + " |")
    out += ["", "## Each target, state by state", ""]
    for t in b.targets:
        out += [f"### {md(t.name)}", "", f"{md(t.kind or 'Entity')} · `{t.id}`", ""]
        for line in t.lines:
            head = f"- **{md(line.name)} ({line.jurisdiction})**: "
            if not line.actions:
                out.append(head + md(line.text))
                continue
            if line.text:
                head += md(line.text) + ":"
            else:
                head += line.state + ":"
            if len(line.actions) == 1:
                out.append(f"{head} {_md_action(line.actions[0])}")
            else:
                out.append(head)
                out += [f"  - {_md_action(a)}" for a in line.actions]
            if line.doubt:
                out.append(f"  - {md(line.doubt)}")
        if t.lags:
            out += [
                "",
                f"Lags from the {b.base} designation: " + "; ".join(md(x.text) for x in t.lags) + ".",
                "",
            ]
        else:
            out.append("")
    out += [
        "## Freshness of the lists",
        "",
        "| State | Coverage | List date | Age | Lists |",
        "|---|---|---|---|---|",
    ]
    for r in freshness(b.coverage):
        out.append(
            f"| {md(r['name'])} ({r['jurisdiction']}) | {r['coverage']} | {r['list_date']} | "
            f"{r['age']} | {md(r['lists'])} |"
        )
    out += [
        "",
        "## Where the dates and links come from",
        "",
        md(dates.EXPLAINED),
        "",
        "Lags count only listed and announced days. Links: "
        + "; ".join(f"*{Link(k).label}*: {v}" for k, v in LINK_KINDS.items() if k != "none")
        + ".",
        "",
    ]
    return "\n".join(out)


def _md_action(a: Action) -> str:
    text = _md(action_text(a))
    if not a.counted:
        text += " (outside the programs compared)"
    return f"{text} · {_md_link(a.link)}"


def _md_link(x: Link) -> str:
    if x.kind == "none":
        return "no source URL recorded"
    title = _md(x.title or urlsplit(x.url).hostname or x.url)
    label = x.label + (" (no official announcement known)" if x.kind == "secondary" else "")
    return f"{label}: [{title}](<{x.url}>)"


def _query_parts(b: Briefing) -> list[tuple[str, str, str]]:
    """(label, value, how: "code" | "link") for the lines that say what made the briefing."""
    out = []
    if b.query.get("name"):
        params = "; ".join(
            f"{k}={','.join(map(_plain, v)) if isinstance(v, (list, tuple)) else _plain(v)}"
            for k, v in (b.query.get("params") or {}).items()
            if _plain(v)
        )
        out.append(("Made by the saved query", b.query["name"], "code"))
        if params:
            out.append(("Its parameters", params, "code"))
    if b.query.get("command"):
        out.append(("To make it again", b.query["command"], "code"))
    if b.query.get("link"):
        out.append(("In the app", b.query["link"], "link"))
    return out


CSS = """
@page { size: A4; margin: 16mm 14mm; @bottom-right { content: counter(page) " / " counter(pages);
        font-size: 8pt; color: #6b7280; } }
body { font-family: "DejaVu Sans", "Noto Sans", "Noto Sans CJK SC", Arial, sans-serif;
       font-size: 10pt; line-height: 1.4; color: #111827; max-width: 60rem; margin: 1.5rem auto;
       padding: 0 1rem; }
@media print { body { margin: 0; padding: 0; max-width: none; } }
h1 { font-size: 17pt; margin: 0 0 .3rem; } h2 { font-size: 13pt; margin: 1.4rem 0 .4rem;
     border-bottom: 1px solid #d1d5db; } h3 { font-size: 11pt; margin: 1rem 0 .2rem; }
p.meta, span.meta { color: #4b5563; font-size: 9pt; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; margin: .3rem 0 .6rem; }
th, td { box-sizing: border-box; border: 1px solid #d1d5db; padding: 3px 5px; vertical-align: top; text-align: left;
         overflow-wrap: anywhere; word-break: break-word; }
th { background: #f3f4f6; font-weight: 600; }
tr { page-break-inside: avoid; }
.designated { background: #dcfce7; } .delisted { background: #fef3c7; }
.not-designated { background: #fde2e1; } .no-list { background: #e5e7eb; } .not-known { background: #f3f4f6; }
.other-program { background: #dbeafe; }
a { color: #1d4ed8; } .url { display: block; font-size: 7.5pt; color: #4b5563; overflow-wrap: anywhere; }
h2, h3, span.meta { page-break-after: avoid; } thead { display: table-header-group; }
"""


def to_html(b: Briefing) -> str:
    e = _h
    css_class = lambda state: state.replace(" ", "-")
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f"<title>{e(b.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{e(b.title)}</h1>",
        (
            f'<p class="meta">Made {b.made:%Y-%m-%d %H:%M} UTC with Sanctions Graph from the lists '
            "loaded in it (their dates: Freshness of the lists, below); every fact names its source.</p>"
        ),
        "<h2>The question</h2><ul>",
    ]
    out += [f"<li>{e(k)}: {e(v)}</li>" for k, v in b.question.items()]
    out.append(
        f"<li>States compared: {e(', '.join(f'{b.names.get(j, j)} ({j})' for j in b.jurisdictions))}</li>"
    )
    out.append(
        f"<li>Targets: {len(b.targets)}"
        + (f" (the first {len(b.targets)}; {b.left_out} more left out)" if b.left_out else "")
        + "</li>"
    )
    out += [
        f"<li>{e(label)}: "
        + (f'<a href="{e(value)}">{e(value)}</a>' if how == "link" else f"<code>{e(value)}</code>")
        + "</li>"
        for label, value, how in _query_parts(b)
    ]
    out.append(
        "</ul><h2>Summary</h2><table><thead><tr><th style='width:24%'>Target</th>"
        + "".join(f"<th>{e(j)}</th>" for j in b.jurisdictions)
        + "</tr></thead><tbody>"
    )
    for t in b.targets:
        out.append(
            f"<tr><td>{e(t.name)}</td>"
            + "".join(f'<td class="{css_class(x.state)}">{e(_short(x))}</td>' for x in t.lines)
            + "</tr>"
        )
    out.append("</tbody></table><h2>Each target, state by state</h2>")
    for t in b.targets:
        out.append(
            f'<section class="target"><h3>{e(t.name)}</h3>'
            f'<span class="meta">{e(t.kind or "Entity")} · <code>{e(t.id)}</code></span>'
            "<table><thead><tr><th style='width:15%'>State</th><th style='width:25%'>Action</th>"
            "<th style='width:20%'>Program</th><th style='width:13%'>Record id</th>"
            "<th style='width:27%'>Source</th></tr></thead><tbody>"
        )
        for line in t.lines:
            state = f"<td>{e(line.name)} ({e(line.jurisdiction)})</td>"
            if not line.actions:
                out.append(
                    f'<tr class="{css_class(line.state)}">{state}<td colspan="4">{e(line.text)}</td></tr>'
                )
                continue
            for i, a in enumerate(line.actions):
                what = ("" if a.counted else "outside the programs compared: ") + a.date
                what += f" → {a.delisted}" if a.delisted else ""
                record = e((a.record_id or "—") + moved(a.moved_from, a.moved_to)) + (
                    f'<span class="url">{e(a.dataset)}</span>' if a.dataset else ""
                )
                cls = css_class(line.state if a.counted else "other program")
                out.append(
                    f'<tr class="{cls}">{state if i == 0 else "<td></td>"}<td>{e(what)}</td>'
                    f"<td>{e(a.program)}</td><td>{record}</td><td>{_html_link(a.link)}</td></tr>"
                )
            for said in (line.text, line.doubt):
                if said:
                    out.append(
                        f'<tr class="{css_class(line.state)}"><td></td><td colspan="4">{e(said)}</td></tr>'
                    )
        out.append("</tbody></table>")
        if t.lags:
            out.append(
                f"<p>Lags from the {e(b.base)} designation: " + "; ".join(e(x.text) for x in t.lags) + ".</p>"
            )
        out.append("</section>")
    out.append(
        "<h2>Freshness of the lists</h2><table><thead><tr><th style='width:18%'>State</th>"
        "<th style='width:13%'>Coverage</th><th style='width:12%'>List date</th>"
        "<th style='width:11%'>Age</th><th>Lists</th></tr></thead><tbody>"
    )
    for r in freshness(b.coverage):
        out.append(
            f"<tr><td>{e(r['name'])} ({e(r['jurisdiction'])})</td><td>{e(r['coverage'])}</td>"
            f"<td>{e(r['list_date'])}</td><td>{e(r['age'])}</td><td>{e(r['lists'])}</td></tr>"
        )
    out.append(
        "</tbody></table><h2>Where the dates and links come from</h2>"
        f"<p>{e(dates.EXPLAINED)}</p><p>Lags count only listed and announced days. Links: "
        + "; ".join(f"<em>{Link(k).label}</em>: {e(v)}" for k, v in LINK_KINDS.items() if k != "none")
        + ".</p></body></html>"
    )
    return "\n".join(out)


def _html_link(x: Link) -> str:
    if x.kind == "none":
        return "no source URL recorded"
    label = x.label + (" (no official announcement known)" if x.kind == "secondary" else "")
    title = x.title or urlsplit(x.url).hostname or x.url
    return f'{_h(label)}: <a href="{_h(x.url)}">{_h(title)}</a><span class="url">{_h(x.url)}</span>'


def to_pdf(b: Briefing) -> bytes:
    """The HTML briefing printed to PDF by WeasyPrint (which needs Pango: README)."""
    from weasyprint import HTML  # imported here: only a PDF needs it

    return HTML(string=to_html(b)).write_pdf()


def render(b: Briefing, format: str) -> bytes:
    if format not in FORMATS:
        raise InvalidInput(f"unknown briefing format {format!r}; choose one of {', '.join(FORMATS)}")
    if format == "pdf":
        return to_pdf(b)
    return (to_markdown(b) if format == "md" else to_html(b)).encode("utf-8")


# -- helpers ------------------------------------------------------------------------------


def _names(coverage: pd.DataFrame) -> dict[str, str]:
    if coverage.empty or "name" not in coverage:
        return {}
    return dict(zip(coverage.jurisdiction, coverage.name))


def _coverage_row(coverage: pd.DataFrame, jurisdiction: str) -> dict | None:
    if coverage.empty:
        return None
    found = coverage[coverage.jurisdiction == jurisdiction]
    return found.iloc[0].to_dict() if not found.empty else None


def _day(value) -> date | None:
    if value is None or isinstance(value, (list, dict)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _text(value) -> str | None:
    if value is None or isinstance(value, (list, dict)):
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    text = str(value).strip()
    return text or None


def _plain(value) -> str:
    """A filter value as text: lists joined, dates as YYYY-MM-DD, nothing as ""."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value if _plain(v))
    if value is None or value is False:
        return ""
    if value is True:
        return "yes"
    if isinstance(value, (date, pd.Timestamp)):
        return value.strftime("%Y-%m-%d")
    return str(value)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|#$~])")


def escape_markdown(text) -> str:
    """Text shown as itself in Markdown (and in Streamlit's: `$` would start LaTeX)."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


_md = escape_markdown


def _h(text) -> str:
    return html.escape(str(text), quote=True)
