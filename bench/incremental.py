"""Issue 15's figures: a load costs what it changes, not what the graph holds.

Run by bench/run.py on the graph the five official lists leave (their first loads are
the reference), and in a full run the FtM files of 10k, 100k and 1M entities loaded
after them: a five-record list loaded onto that graph, the US list loaded again
unchanged, a version of it with 1% of its entries renamed and the next such version,
and the UN list into an empty graph (against the UN list loaded last). Each load in a
process of its own (bench/load_worker.py), timed end to end; `records_read` is how many
stored records' features resolution read (graph/resolving.py).
"""

from __future__ import annotations

import csv
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: The real EU Official Journal CSV (data/eu/SOURCE.md): its first five records are the
#: small list.
EU_OJ = ROOT / "data" / "eu" / "eu_oj_32020R1998.csv"


#: What the small list is loaded onto, as the log and the summary name it.
SMALL_LIST_ONTO = "the graph (the lists; in a full run the FtM files too)"


def small_list(out: Path, records: int = 5) -> Path:
    """The first `records` entries of the real EU OJ file, as a file of their own."""
    path = out / "eu" / f"eu_oj_first_{records}.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(EU_OJ, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    ids = list(dict.fromkeys(row[1] for row in rows[1:]))[:records]
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows([rows[0], *(row for row in rows[1:] if row[1] in ids)])
    return path


def renamed(sdn: Path, out: Path, share: float, seed: int) -> tuple[Path, int]:
    """A copy of the OFAC CSV set of `sdn` (sdn.csv) whose sdn.csv has `share` of its
    entries renamed (a letter changed in the name): a new version that changes that
    share of the list."""
    folder = sdn.parent
    target = out / f"ofac-{share:.0%}-renamed".replace("%", "pct")
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder, target)
    rng = random.Random(seed)
    with open(folder / "sdn.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    chosen = rng.sample(range(len(rows)), max(1, round(len(rows) * share)))
    for i in chosen:
        name = rows[i][1]
        at = rng.randrange(len(name))
        rows[i][1] = name[:at] + ("E" if name[at] != "E" else "A") + name[at + 1:]
    with open(target / "sdn.csv", "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\r\n").writerows(rows)
    return target / "sdn.csv", len(chosen)


def figures(bench, files: dict[str, Path], official: dict, out: Path, seed: int, log) -> dict:
    """The loads of the module docstring; `official` is official_lists()'s median run,
    whose graph the server holds."""
    first = {load["kind"]: load for load in official["median_run"]}
    small = bench.load("eu-oj-csv", small_list(out))
    log(f"5-record list onto {SMALL_LIST_ONTO}: {small['seconds']:.2f} s, "
        f"{small['records_read']} stored records read")
    again = bench.load("ofac-sdn-csv", files["ofac-sdn-csv"], force=True)
    log(f"US list again, unchanged: {again['seconds']:.1f} s "
        f"(first load {first['ofac-sdn-csv']['seconds']:.1f} s)")
    changed_sdn, changed = renamed(files["ofac-sdn-csv"], out, 0.01, seed)
    one_percent = bench.load("ofac-sdn-csv", changed_sdn)
    log(f"US list with {changed} entries renamed: {one_percent['seconds']:.1f} s, "
        f"{one_percent['records_read']} stored records read")
    # The first new version also plans the statements that update records, which no load
    # had run on this server (bench/README.md, stop 45); the next one finds them planned.
    next_sdn, _ = renamed(changed_sdn, out / "next", 0.01, seed + 1)
    next_percent = bench.load("ofac-sdn-csv", next_sdn)
    log(f"US list, the next version with 1% renamed: {next_percent['seconds']:.1f} s")
    bench.wipe()
    un_alone = bench.load("un-xml", files["un-xml"])
    log(f"UN list into an empty graph: {un_alone['seconds']:.1f} s "
        f"(loaded last: {first['un-xml']['seconds']:.1f} s)")
    return {
        "small_list": small, "small_list_s": small["seconds"],
        "reload_unchanged": again,
        "reload_unchanged_ratio": again["seconds"] / first["ofac-sdn-csv"]["seconds"],
        "one_percent": one_percent, "one_percent_entries": changed,
        "one_percent_ratio": one_percent["seconds"] / first["ofac-sdn-csv"]["seconds"],
        "next_percent": next_percent,
        "next_percent_ratio": next_percent["seconds"] / first["ofac-sdn-csv"]["seconds"],
        "un_alone": un_alone,
        "un_last_vs_alone": first["un-xml"]["seconds"] / un_alone["seconds"],
        "records_read_vs_list": {load["kind"]: load["records_read"] / max(load["records"], 1)
                                 for load in official["median_run"]},
    }
