"""The plain records every loader yields; the resolver and the store consume them.

A Record is one entry of one list as that list states it. Nothing here knows about
Neo4j: records are data, so loaders can be tested on files alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from graph.bundled import MODEL, read_yaml

#: graph/model.yaml, the graph's vocabulary (graph.bundled imports no Neo4j driver).
_MODEL = read_yaml(MODEL)
#: What a record may be: the kinds of entity of the model.
SCHEMAS: tuple[str, ...] = tuple(_MODEL["nodes"]["Entity"]["kinds"])
#: One of SCHEMAS.
Schema = str

#: Namespaces of ids that lists cite across each other, as "namespace:id" refs.
REF_NAMESPACES = {
    "ofac": "OFAC ent_num / uid (SDN and non-SDN lists share the number space)",
    "un": "UN Security Council reference number (QDi.268), cited by UK and EU lists",
    "gb-ref": "UK Sanctions List reference (GHR0075), in both UK formats",
    "ofsi-group": "OFSI Group ID, in the OFSI list and as OFSIGroupID in the FCDO list",
    "eu-ref": "EU reference number (EU.3886.3)",
}

#: Relationship types between entities (the model's links); a Link's type is one of these.
LINK_TYPES: tuple[str, ...] = tuple(_MODEL["links"]["types"])


@dataclass(frozen=True)
class Name:
    value: str
    #: primary | variation | aka | fka | nka | translation
    kind: str = "aka"
    #: strong | weak, where the list grades its aliases (OFAC, UK, UN, EU)
    quality: str | None = None
    #: language or script where the list says so (EU nameLanguage, UK non-Latin script)
    lang: str | None = None


@dataclass
class Sanction:
    """One designation: a measure by one authority under one program."""

    jurisdiction: str
    #: Authority key of graph/model.yaml (US-OFAC, GB-OFSI, …) or the list's own name.
    authority: str
    #: The program as the list writes it: a code (GLOMAG) or a regime name.
    program: str
    #: The listing date the list itself states.
    listed_on: date | None = None
    #: A bound the list states instead of a listing date: listed on or before this day
    #: (Australia's Control Date is the listing or the last amendment, whichever is
    #: later). Never shown as the listing date.
    listed_by: date | None = None
    #: An announcement's date (curated data, OFAC's change archives).
    announced_on: date | None = None
    ended_on: date | None = None
    #: Set when the sanction has an id of its own (FtM Sanction entities).
    sanction_id: str | None = None
    reason: str | None = None
    source_url: str | None = None
    extra: dict[str, str] = field(default_factory=dict)
    #: When dated versions show this program on the entry (a history replay): an entry
    #: keeps its id when OFAC adds a program to it or drops one, so the entry's own Seen
    #: would date a program added later by the entry's first version. A program the
    #: entry no longer has is a Sanction with `gone_by` set.
    seen: Seen | None = None


@dataclass
class Link:
    """A relationship stated by the list, from this record to another."""

    type: str
    #: The other record's id in the same dataset, or its name when by_name is set
    #: (OFAC's "Linked To: NAME" names the other entry, it does not number it).
    target: str
    by_name: bool = False
    #: The other record lives in another dataset: "dataset:record_id".
    external: bool = False
    role: str | None = None
    since: str | None = None
    until: str | None = None
    #: The relationship points from the target to this record (FtM Ownership asset).
    reverse: bool = False
    source_url: str | None = None
    #: Set when the link stands alone (curated roles): the key of the record it is
    #: about. Otherwise the record that carries the link is its subject.
    subject: str | None = None


@dataclass(frozen=True)
class Seen:
    """When the dated versions of a list show an entry: bounds, not stated dates.

    The entry first appears in the version dated `first_by`; `first_after` is the
    version before it (None: it is already in the oldest version seen, so it was listed
    on or before `first_by`). When a later version no longer holds it, `last_seen` is
    the last version that did and `gone_by` the first that did not.
    """

    first_by: date
    first_after: date | None = None
    last_seen: date | None = None
    gone_by: date | None = None
    #: Of a program on an entry (Sanction.seen): the entry whose designation under it
    #: this one took over when that entry left the list (a move, graph/history.py), and
    #: on the entry that left, the entry it moved to. Its first dates are the old one's.
    moved_from: tuple[str, ...] = ()
    moved_to: str | None = None
    #: Of an entry: names the graph held for it that the versions no longer show, each
    #: with the version it left in (graph/history.py Replay.left_on).
    names_left: tuple[tuple[str, date], ...] = ()


@dataclass
class Record:
    dataset: str
    record_id: str
    schema: Schema
    name: str
    names: list[Name] = field(default_factory=list)
    #: ISO 8601, as precise as the list: "1955", "1955-11", "1955-11-02".
    birth_dates: list[str] = field(default_factory=list)
    #: Those of birth_dates the list marks approximate ("circa 1955", "APPROXIMATELY").
    approximate_birth_dates: list[str] = field(default_factory=list)
    birth_places: list[str] = field(default_factory=list)
    #: ISO 3166 alpha-2 codes where the country could be recognised, else as written.
    nationalities: list[str] = field(default_factory=list)
    countries: list[str] = field(default_factory=list)
    gender: str | None = None
    positions: list[str] = field(default_factory=list)
    addresses: list[str] = field(default_factory=list)
    identifiers: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    sanctions: list[Sanction] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    #: This entry's ids in namespaces other lists cite (see REF_NAMESPACES): a UN entry
    #: publishes "un:QDi.268", which the UK and EU entries of the same target cite.
    refs: list[str] = field(default_factory=list)
    #: What the list says this entry is elsewhere: record keys ("us-ofac-sdn:29220") or
    #: refs ("un:QDi.268"). Resolution joins records that cite or share a ref.
    same_as: list[str] = field(default_factory=list)
    #: What the list says that the model has no field for, kept verbatim.
    extra: dict[str, str] = field(default_factory=dict)
    #: Where the record starts in its file (line or record number), for messages.
    line: int | None = None
    #: What dated versions of the list say of this entry (graph history), when known.
    seen: Seen | None = None

    @property
    def key(self) -> str:
        return f"{self.dataset}:{self.record_id}"

    def weak_aliases(self) -> list[str]:
        """The aliases the list itself grades weak ("a.k.a. 'ABU ISMAIL'"), former names
        aside: kept, but resolution never joins on them alone."""
        return [n.value for n in self.names if n.quality == "weak" and n.kind != "fka"]

    def all_names(self) -> list[str]:
        seen: dict[str, None] = {self.name: None}
        for n in self.names:
            seen.setdefault(n.value, None)
        return list(seen)


@dataclass
class Announcement:
    """An official announcement of designations (press release, notice, a change-log
    entry): the date the lists lack, with its URL."""

    id: str
    date: date
    title: str
    url: str
    jurisdiction: str
    #: Record keys ("us-ofac-sdn:29220") with the program the announcement applies to
    #: (as the list writes it, e.g. "GLOMAG"), or None for every program of the record.
    designates: list[tuple[str, str | None]] = field(default_factory=list)
    #: Record keys the announcement removes from the list, in the same form.
    delists: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass
class Call:
    """A civil-society letter or campaign urging states to designate targets."""

    id: str
    date: date
    title: str
    url: str | None
    summary: str | None = None
    #: (jurisdiction, measure) pairs: who is urged to do what.
    urges: list[tuple[str, str]] = field(default_factory=list)
    #: Record keys of the targets the call names.
    names: list[str] = field(default_factory=list)
    #: Record keys of the organisations that signed it.
    signatories: list[str] = field(default_factory=list)
    signatory_count: int | None = None


#: What a loader yields.
Item = Record | Link | Announcement | Call
