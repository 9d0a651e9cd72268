"""What resolution works on and hands back: a record's features, the evidence that joins
two records (Edge), the matcher's finding (Comparison, Scored), people's judgements and
the outcome (Resolution)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import countrynames
import yaml

from graph.exc import InvalidInput

#: Stored blocking keys and pair scores are reused only if made by this matcher: change
#: it with anything that changes `blocking_keys` or `compare`.
MATCHER_VERSION = "2026-12-07.11"
_ISO = re.compile(r"^[A-Z]{2}$")
_IMO = re.compile(r"\bIMO\D{0,20}?(\d{7})\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Features:
    """What resolution compares of one list record (slots: a load holds tens of
    thousands, and each instance's own dictionary took three quarters of the memory they
    took: bench/README.md, stop 44)."""

    key: str
    dataset: str
    schema: str
    #: Names the list gives with confidence; weak aliases (nicknames) are left out.
    names: tuple[str, ...]
    birth_dates: tuple[str, ...] = ()
    #: Those of birth_dates the list marks approximate ("circa 1955").
    approximate_birth_dates: tuple[str, ...] = ()
    birth_places: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    gender: str | None = None
    imo_numbers: tuple[str, ...] = ()
    #: Refs this record publishes ("un:QDi.268") and record keys or refs it cites.
    refs: tuple[str, ...] = ()
    same_as: tuple[str, ...] = ()
    #: False for datasets resolved upstream (OpenSanctions): only same_as joins them.
    fuzzy: bool = True
    #: The record's blocking keys as stored with it by MATCHER_VERSION (empty: compute).
    blocking: tuple[str, ...] = ()
    #: Names the list itself grades weak ("a.k.a. 'ABU ISMAIL'"): compared, but they never
    #: join on their own (compare.WEAK_ALIAS).
    weak_names: tuple[str, ...] = ()
    #: Numbers of the record's identity documents and registrations ("Passport 403062567",
    #: "Registration ID 1027700159497"), digits and letters only: one in common is strong.
    id_numbers: tuple[str, ...] = ()

    @classmethod
    def from_properties(cls, p: Mapping, fuzzy: bool = True) -> Features:
        """From a :Record's properties as graph/store.py writes them."""
        weak = set(p.get("weak_aliases") or ())
        ids = " ".join(p.get("identifiers") or ())
        return cls(
            key=p["key"],
            dataset=p["dataset"],
            schema=p["schema"],
            names=tuple(n for n in p.get("names") or () if n not in weak),
            birth_dates=tuple(p.get("birth_dates") or ()),
            approximate_birth_dates=tuple(p.get("approximate_birth_dates") or ()),
            birth_places=tuple(p.get("birth_places") or ()),
            nationalities=country_codes(tuple(p.get("nationalities") or ())),
            countries=country_codes(tuple(p.get("countries") or ())),
            gender=(p.get("gender") or "").lower() or None,
            imo_numbers=tuple(dict.fromkeys(_IMO.findall(ids))),
            refs=tuple(p.get("refs") or ()),
            same_as=tuple(p.get("same_as") or ()),
            fuzzy=fuzzy,
            blocking=tuple(p.get("block_keys") or ()) if p.get("matcher") == MATCHER_VERSION else (),
            # In the list's order (not the set's, which changes with the hash seed).
            weak_names=tuple(
                n for n in dict.fromkeys(p.get("weak_aliases") or ()) if n not in (p.get("names") or ())[:1]
            ),
            id_numbers=id_numbers(tuple(p.get("identifiers") or ())),
        )

    @classmethod
    def of_record(cls, rec, fuzzy: bool = True) -> Features:
        """From a loader's Record, as the store would read it back (for evaluations and
        benchmarks that run without Neo4j)."""
        return cls.from_properties(
            {
                "key": rec.key,
                "dataset": rec.dataset,
                "schema": rec.schema,
                "names": rec.all_names(),
                "weak_aliases": rec.weak_aliases(),
                "birth_dates": rec.birth_dates,
                "approximate_birth_dates": rec.approximate_birth_dates,
                "birth_places": rec.birth_places,
                "nationalities": rec.nationalities,
                "countries": rec.countries,
                "gender": rec.gender,
                "identifiers": rec.identifiers,
                "refs": rec.refs,
                "same_as": rec.same_as,
            },
            fuzzy,
        )


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


#: A Russian KPP, the code of a tax office and of the reason a company is registered
#: there ("7704734000/770301001", OFAC's "Government Gazette Number 770301001"): shared by
#: every company one office registers, it is no company's own number.
_KPP = re.compile(r"^\d{4}01001$")


def names_a_day(date: str) -> bool:
    """A birth date that names a day: not the first or last day of a year, which lists
    write for a year alone (OFAC's "1973" as 1973-01-01 to 1973-12-31)."""
    return len(date) == 10 and date[5:] not in ("01-01", "12-31")


def id_numbers(identifiers: tuple[str, ...]) -> tuple[str, ...]:
    """The numbers in identifiers as lists write them, hyphens left out: words of six or
    more characters with five or more digits ("35404-1577309-9" → 3540415773099). Dates
    (of issue, of expiry) are not numbers of a document, nor a tax office's code (_KPP)."""
    out: dict[str, None] = {}
    for text in identifiers:
        for word in re.findall(r"[A-Za-z0-9][A-Za-z0-9\-]*", text):
            if _ISO_DATE.match(word) or _KPP.match(word):
                continue
            number = word.replace("-", "").upper()
            if len(number) >= 6 and sum(c.isdigit() for c in number) >= 5:
                out[number] = None
    return tuple(out)


@lru_cache(maxsize=10_000)
def country_codes(values: tuple[str, ...]) -> tuple[str, ...]:
    """ISO codes as the loaders give them, and the countries they could not recognise
    read by `countrynames` ("Congo (Democratic Republic)" CD, "Belrus" BY, "The Gambia"
    GM, "Estonia, Russia" EE and RU); what it cannot read either stays as written."""
    out: dict[str, None] = {}
    for value in values:
        if _ISO.match(value):
            out[value] = None
            continue
        codes = [
            countrynames.to_code(part, fuzzy=True)
            for part in (s.strip() for s in re.split(r"[.,;/]", value))
            if part
        ]
        known = [c for c in codes if c]
        if known and len(known) == len(codes):
            out.update(dict.fromkeys(known))
        else:
            out[value] = None
    return tuple(out)


@dataclass(frozen=True)
class Edge:
    """Evidence that two records are one target; written as (:Record)-[:SAME_AS]->."""

    a: str
    b: str
    score: float
    #: judgement (data/resolution.yaml) | same_as (a list says so) | matcher
    method: str
    features: tuple[str, ...] = ()


@dataclass(frozen=True)
class Comparison:
    """What the matcher found comparing two records."""

    a: str
    b: str
    score: float
    features: tuple[str, ...]
    #: What rules out one target (type, birth dates, gender, IMO number); score is 0.
    conflict: str | None = None
    #: How alike the best names are (1.0: the same words, written alike or not).
    name_score: float = 0.0
    #: How precisely the birth dates agree: 10 to the day, 7 the month, 4 the year.
    birth_date_precision: int = 0
    #: How the birth dates relate (a key of compare.BIRTH_DATES; empty without dates).
    birth_dates: str = ""

    @property
    def exact_name(self) -> bool:
        return self.name_score == 1.0

    def edge(self) -> Edge:
        return Edge(self.a, self.b, self.score, "matcher", self.features)


@dataclass(frozen=True)
class Scored:
    """A compared pair that clustering needs (score ≥ REVIEW). Kept on the graph between
    loads as (:Record)-[:CANDIDATE]->(:Record), so a load scores only its own list's pairs."""

    a: str
    b: str
    score: float
    features: tuple[str, ...]
    #: Two entries of one list that the evidence allows to be one (_same_within_list).
    within_list_ok: bool = False

    def edge(self) -> Edge:
        return Edge(self.a, self.b, self.score, "matcher", self.features)


@dataclass
class Judgements:
    same: list[tuple[str, str, str]] = field(default_factory=list)
    not_same: list[tuple[str, str, str]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path | None = None) -> Judgements:
        """The judgements of `path`, by default data/resolution.yaml (JUDGEMENTS_PATH)."""
        if path is None:
            import graph.resolve  # its JUDGEMENTS_PATH, which tests may point elsewhere

            path = graph.resolve.JUDGEMENTS_PATH
        if not path.exists():
            return cls()
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as e:
            raise InvalidInput(f"{path}: not valid YAML ({e})".replace("\n", " ")) from None
        judged = cls()
        for verdict in ("same", "not_same"):
            for i, item in enumerate(data.get(verdict) or []):
                try:
                    a, b = item["records"]
                    reason = str(item["reason"]).strip()
                except (TypeError, KeyError, ValueError):
                    reason = ""
                if not reason or ":" not in str(a) or ":" not in str(b):
                    raise InvalidInput(
                        f"{path}: {verdict} entry {i + 1} needs "
                        "records: [DATASET:ID, DATASET:ID] and a reason"
                    )
                getattr(judged, verdict).append((str(a), str(b), reason))
        both = {frozenset(p[:2]) for p in judged.same} & {frozenset(p[:2]) for p in judged.not_same}
        if both:
            raise InvalidInput(
                f"{path}: judged both same and not same: " + "; ".join(" / ".join(sorted(p)) for p in both)
            )
        return judged

    def by_record(self, *verdicts: str) -> dict[str, set[str]]:
        """Each record judged ("same", "not_same", or both) and the records it was judged with."""
        others: dict[str, set[str]] = {}
        for verdict in verdicts:
            for a, b, _ in getattr(self, verdict):
                others.setdefault(a, set()).add(b)
                others.setdefault(b, set()).add(a)
        return others


@dataclass
class Resolution:
    #: Every record key → the id of its entity.
    entity_of: dict[str, str]
    #: The evidence that joined records: one edge per merge decision.
    edges: list[Edge]
    #: Pairs a person should judge: close to the threshold, or held apart only because
    #: joining them would put conflicting records in one entity. No judgement settles them.
    review: list[Edge]
    #: How many candidate pairs were scored (never all pairs).
    compared: int
    #: Every pair the matcher found worth keeping, scored now or known from before.
    scored: list[Scored] = field(default_factory=list)
