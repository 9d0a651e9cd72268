"""A large OpenSanctions FtM file in the real format, for the fault and concurrency tests.

The bundled FtM exports hold a few dozen entities; these hold a thousand: persons and
companies with names in two scripts, birth dates, nationalities and identifiers, one
to three Sanction entities each (the authorities and programs of the real export), and
Ownership and Directorship relationships between them. Deterministic for a seed.

`version=2` is the next day's export of the same list: a tenth of the targets are gone
(the store must mark their designations delisted), as many new ones arrive, and
`last_seen` is a day later, so it loads as the newer version.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

SANCTIONS = [  # (country, authority, programId) as the real export writes them
    ("us", "Office of Foreign Assets Control", "US-RUSHAR"),
    ("gb", "Foreign, Commonwealth & Development Office", "GB-RUS"),
    ("eu", "Council of the European Union", "EU-UKR"),
    ("ca", "Global Affairs Canada", "CA-SEMA"),
    ("ch", "State Secretariat for Economic Affairs", "SECO-UKRAINE"),
    ("au", "Department of Foreign Affairs and Trade", "AU-RUS"),
]
FIRST = ["Ivan", "Maria", "Sergei", "Olga", "Dmitri", "Anna", "Pavel", "Elena", "Oleg", "Irina"]
LAST = ["Petrov", "Smirnova", "Volkov", "Kuznetsova", "Sokolov", "Popova", "Lebedev", "Morozova"]
CYRILLIC = dict(zip("abdeghiklmnoprstuvyz", "абдегхиклмнопрстувыз"))
COMPANY = ["Aero", "Techno", "Volga", "Ural", "Baltic", "Sever", "Energo", "Trans"]


def write_ftm(path: Path, targets: int, version: int = 1, seed: int = 8) -> dict[str, int]:
    """Write `targets` persons and companies with their sanctions and relationships;
    return what the file holds (things, sanctions, links)."""
    rng = random.Random(seed)
    gone = set(range(0, targets, 10)) if version == 2 else set()
    numbers = [n for n in range(targets) if n not in gone]
    numbers += list(range(targets, targets + len(gone)))
    last_seen = f"2026-04-{28 + version}T12:00:00"
    counts = {"things": 0, "sanctions": 0, "links": 0}
    with open(path, "w", encoding="utf-8") as f:
        def emit(entity: dict) -> None:
            entity.update(datasets=["synthetic"], referents=[], first_seen="2025-01-01T00:00:00",
                          last_seen=last_seen, last_change=last_seen)
            f.write(json.dumps(entity, ensure_ascii=False) + "\n")

        for n in numbers:
            r = random.Random(seed * 1_000_003 + n)  # a target looks the same in both versions
            emit(_thing(n, r))
            counts["things"] += 1
            for country, authority, program in r.sample(SANCTIONS, r.randint(1, 3)):
                emit({"id": f"{country}-syn-{n}", "caption": program, "schema": "Sanction",
                      "properties": {"entity": [_id(n)], "country": [country],
                                     "authority": [authority], "programId": [program],
                                     "listingDate": [f"20{r.randint(14, 25)}-0{r.randint(1, 9)}-1{r.randint(0, 9)}"],
                                     "reason": [f"Synthetic designation {n}"]}})
                counts["sanctions"] += 1
        present = set(numbers)
        companies = [n for n in numbers if n % 3 == 0]
        for n in numbers:
            if n % 3 and companies and rng.random() < 0.5:
                company = rng.choice(companies)
                schema, a, b = (("Directorship", "director", "organization") if n % 2
                                else ("Ownership", "owner", "asset"))
                if company in present:
                    emit({"id": f"rel-{n}-{company}", "caption": schema, "schema": schema,
                          "properties": {a: [_id(n)], b: [_id(company)], "role": ["synthetic"]}})
                    counts["links"] += 1
    return counts


def _id(n: int) -> str:
    return f"NK-syn{n:07d}"


def _thing(n: int, r: random.Random) -> dict:
    if n % 3 == 0:
        name = f"{r.choice(COMPANY)}{r.choice(COMPANY).lower()} {n} LLC"
        return {"id": _id(n), "caption": name, "schema": "Company",
                "properties": {"name": [name, name.upper()], "jurisdiction": ["ru"],
                               "registrationNumber": [str(1_000_000_000 + n)],
                               "address": [f"{n} Lenina St., Moscow"]}}
    name = f"{r.choice(FIRST)} {r.choice(LAST)} {n}"
    native = "".join(CYRILLIC.get(c, c) for c in name.lower())
    return {"id": _id(n), "caption": name, "schema": "Person",
            "properties": {"name": [name, native], "birthDate": [f"19{r.randint(50, 99)}-0{r.randint(1, 9)}-2{r.randint(0, 8)}"],
                           "nationality": ["ru"], "gender": [r.choice(["male", "female"])],
                           "passportNumber": [f"7{n:08d}"], "position": ["Director"]}}


#: Targets of "a large load": about 2,000 designations and 1.4 MB of FtM, written in
#: batches of 100 (large_load.py) by one transaction of some 160 statements: a kill at
#: many different batches, readers beside a load that runs for seconds. (Larger lists
#: take longer, not more kinds of statement: the time of the test suite is its limit.)
LARGE = 1000
#: The synthetic list's file name, and so its dataset (graph: ftm-<name>).
FILE = "synthetic_entities.ftm.json"
DATASET = "ftm-synthetic_entities"


@dataclass
class Versions:
    v1: Path
    v2: Path


def write_versions(folder: Path, targets: int) -> Versions:
    """Version 1 and 2 of the synthetic list, each under its own folder and the same name."""
    paths = []
    for version in (1, 2):
        (folder / f"v{version}").mkdir()
        paths.append(folder / f"v{version}" / FILE)
        write_ftm(paths[-1], targets, version=version)
    return Versions(*paths)
