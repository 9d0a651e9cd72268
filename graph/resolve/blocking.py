"""Candidate search: records are filed under keys of their names (`blocking_keys`) and
only records that share a key are compared, never all pairs."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations

from graph.names import MIN_ACRONYM, initials, name_forms, skeleton
from graph.resolve.forms import forms
from graph.resolve.model import Features, names_a_day

#: Name groups larger than this (very common word pairs) are not searched: their
#: members still meet through their other keys and exact names, which are never capped.
MAX_GROUP = 300
#: The words whose first letter files a person under its birth date ("@"): three letters
#: or more, so that "al", "bin", "ul" do not.
BORN_WORD = 3
#: The keys of spelling and of birth date, whose groups MAX_GROUP caps.
CAPPED = ("~", "@")


def searched(key: str, members: int) -> bool:
    """Whether the group of `members` records filed under `key` is searched for pairs:
    not a group of spelling or birth date (CAPPED) larger than MAX_GROUP."""
    return members <= MAX_GROUP or not key.startswith(CAPPED)


def blocking_keys(rec: Features) -> set[str]:
    """The groups a record is filed under; records are compared only within a group.

    - "=" + the name's words in any order, or run together ("chen quan guo" and "Chen
      Quanguo" share "=chenquanguo"); an organisation also under its initials, so
      "XPCC PSB" meets "Xinjiang Production and Construction Corps Public Security Bureau".
    - "~" + two of the name's four longest words by their consonants ("mhmd|l"):
      spelling variants ("Mohammed"/"Muhammad") and names with a word more or less meet
      here. Names alike enough to merge share most words, so two of the longest.
    - "#" + each number of its identifiers (a ship's IMO number, a company's tax or
      registration number, a passport): a vessel renamed ("NS CONSUL" / Canada's
      "Kolomna", IMO 9341093) or a company under its name in another language meets here.
    - "@" + a person's full birth date and the first letter of a word of its names: a name
      romanised by another language's rules ("Miroshnitchenko", "Jefimow", "Demtschenko"
      on Australia's list, "Miroshnichenko", "Yefimov", "Demchenko" on OFAC's) meets its
      like born the same day, where no spelling key does.
    """
    keys: set[str] = {"#" + number for number in (*rec.id_numbers, *rec.imo_numbers)}
    organisation = rec.schema != "Person"
    letters: set[str] = set()
    for name in rec.names:
        for words in dict.fromkeys(
            [*name_forms(name, organisation), *(f.words for f in forms(name, organisation))]
        ):
            keys.add("=" + "".join(sorted(words)))
            keys.add("=" + "".join(words))
            if organisation and len(words) >= MIN_ACRONYM:
                keys.add("=" + initials(words))
            longest = sorted(set(words), key=lambda w: (-len(w), w))[:4]
            skeletons = sorted({s for s in map(skeleton, longest) if s})
            if len(skeletons) == 1:
                keys.add("~" + skeletons[0])
            keys.update(f"~{x}|{y}" for x, y in combinations(skeletons, 2))
            letters.update(w[0] for w in words if len(w) >= BORN_WORD)
    if not organisation:
        keys.update(f"@{day}|{letter}" for day in rec.birth_dates if names_a_day(day) for letter in letters)
    return keys


def candidate_pairs(records: Iterable[Features], changed: set[str] | None = None) -> list[tuple[str, str]]:
    """The record pairs worth scoring, in a stable order: all of them, or those with a
    record in `changed`. Datasets resolved upstream (fuzzy=False) take no part: only
    stated ids join them."""
    if changed is not None and not changed:
        return []  # a component clustered again from its stored scores
    groups: dict[str, list[str]] = defaultdict(list)
    for r in records:
        if r.fuzzy:
            for key in r.blocking or blocking_keys(r):
                groups[key].append(r.key)
    pairs: set[tuple[str, str]] = set()
    for key, members in groups.items():
        if len(members) < 2 or not searched(key, len(members)):
            continue
        if changed is None:
            pairs.update(combinations(sorted(members), 2))
        else:
            pairs.update((min(a, b), max(a, b)) for a in members if a in changed for b in members if b != a)
    return sorted(pairs)


#: The prefixes of the posting keys a record states (posting_keys), not made of its names.
STATED = ("ref:", "cite:")


def posting_keys(rec: Features) -> set[str]:
    """Every key a record is filed under in the stored postings (graph/resolving.py), so
    that a load finds by key, never by reading every record, what its records can join:
    its blocking keys (fuzzy records only), "ref:X" for every id it publishes and
    "cite:X" for every record key or id it cites (the stated joins of cluster.py)."""
    keys = {f"ref:{ref}" for ref in rec.refs} | {f"cite:{cited}" for cited in rec.same_as}
    if rec.fuzzy:
        keys.update(rec.blocking or blocking_keys(rec))
    return keys
