"""The benchmarks of issue 7: load throughput against two baselines measured in the same
run, the official lists end to end, a million-entity FtM file, memory, queries and
resolution, and how each grows with the data. Never run by CI (pytest collects tests/).

    make bench-quick     # .venv/bin/python bench/run.py --quick   (< 5 min, real list size)
    make bench           # .venv/bin/python bench/run.py           (adds 10k/100k/1M FtM)

Starts its own Neo4j (graph/server.py) in bench/data/server on a free port, with the
default memory settings (graph/settings.py: what `make run` gives a user) for every run,
the million-entity graph's too (issue 15 asks for "FtM 1M on the default heap");
BENCH_HEAP / BENCH_PAGECACHE set others. Data comes from bench/generate.py (seed 7).
Every load runs in a process of its own (bench/load_worker.py) so that its peak memory
is the loader's; queries go through the client (graph/client.py), the code under test.
Results: bench/results/<quick|full>.json, summary-<quick|full>.md and PNG plots;
bench/README.md discusses them.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import neo4j  # noqa: E402

import baselines  # noqa: E402
import incremental  # noqa: E402
import resolution  # noqa: E402
from generate import SIZES, Writer  # noqa: E402
from graph import SanctionsGraph  # noqa: E402
from graph import settings as settings_module  # noqa: E402
from graph.queries import QueryTimeout  # noqa: E402
from graph.server import LocalServer  # noqa: E402

DATA = ROOT / "bench" / "data"
RESULTS = ROOT / "bench" / "results"
SEED = 7
#: The issue's targets, in seconds (latencies: the p95 of each query kind).
TARGETS = {
    "official_lists_s": 30, "ftm_1m_s": 400, "resolution_s": 60, "rss_ratio": 1.2,
    "vs_one_merge_per_tx": 100, "vs_unwind_create": 0.5, "write_vs_unwind_create": 0.5,
    "search": 0.100, "entity": 0.050, "designations": 0.050, "entity_profile": 0.050,
    "neighbourhood": 0.150, "gap_matrix": 0.500, "shortest_path": 0.200,
}
ORDER = ["ofac-sdn-csv", "uk-ofsi", "ca-sema-xml", "eu-fsf-xml", "un-xml"]
SCALES = [10_000, 100_000, 1_000_000]
FAMILIES = ["human_rights", "counter_terrorism", "non_proliferation", "narcotics_crime", "cyber"]
COUNTRIES = [None, None, "RU", "IR", "CN", "KP", "SY", "VE"]


# -- the server and the machine -------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class BenchServer:
    """The project's local server, in a folder and on a port of its own."""

    def __init__(self, heap: str, pagecache: str, fresh: bool = True):
        home = DATA / "server"
        if fresh:
            shutil.rmtree(home, ignore_errors=True)
        self.settings = replace(settings_module.load(), uri=None, password=None, home=home,
                                bolt_port=free_port(), heap=heap, pagecache=pagecache)
        self.server = LocalServer(self.settings)

    def __enter__(self) -> BenchServer:
        self.server.start()
        self.graph = SanctionsGraph.connect(self.settings, start=False)
        return self

    def __exit__(self, *exc) -> None:
        self.graph.close()
        self.server.stop()

    def env(self) -> dict[str, str]:
        env = {**os.environ, "NEO4J_BOLT_PORT": str(self.settings.bolt_port),
               "SANCT_NEO4J_HOME": str(self.settings.home), "PYTHONPATH": str(ROOT)}
        for name in ("NEO4J_URI", "NEO4J_PASSWORD"):
            env.pop(name, None)
        return env

    def wipe(self) -> None:
        with self.graph.driver.session(database=self.graph.database) as session:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS").consume()

    def load(self, kind: str, path: Path, force: bool = False) -> dict:
        """One load by bench/load_worker.py; its report with seconds and peak memory, the
        server's CPU during it (`server_cpu_s`) and how much of that its JIT's C2 compiler
        took (`server_c2_cpu_s`; on a fresh server, more than the queries: bench/README.md,
        stop 31)."""
        pid = self.server.running_pid()
        before = server_cpu(pid)
        done = subprocess.run([sys.executable, str(ROOT / "bench" / "load_worker.py"),
                               *(["--force"] if force else []), kind, str(path)],
                              env=self.env(), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"loading {path} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["load_average"] = os.getloadavg()[0]
        after = server_cpu(pid)
        result["server_cpu_s"] = sum(after.values()) - sum(before.values())
        result["server_c2_cpu_s"] = after.get(C2, 0.0) - before.get(C2, 0.0)
        return result


#: The name Linux gives the threads of HotSpot's C2 compiler (15 characters at most).
C2 = "C2 CompilerThre"


def server_cpu(pid: int | None) -> dict[str, float]:
    """CPU seconds the server's threads have used, by thread name (numbers left out):
    from /proc, so Linux only; empty without a pid."""
    if pid is None:
        return {}
    tick, used = os.sysconf("SC_CLK_TCK"), {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            name = (task / "comm").read_text().strip().rstrip("0123456789")
            fields = (task / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # a thread that ended meanwhile
            continue
        used[name] = used.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / tick
    return used


def machine(graph: SanctionsGraph) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = next(int(line.split()[1]) // 1024 for line in Path("/proc/meminfo").read_text().splitlines()
                  if line.startswith("MemTotal"))
    server = graph.status()
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_mib": memory, "os": platform.platform(),
            "python": platform.python_version(), "neo4j_server": f"{server['version']} {server['edition']}",
            "neo4j_driver": neo4j.__version__, "load_average_at_start": os.getloadavg()}


def median(values: list[float]) -> float:
    return statistics.median(values)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def log(message: str) -> None:
    print(f"[{datetime.now():%H:%M:%S} load {os.getloadavg()[0]:.1f}] {message}", flush=True)


# -- the measurements -----------------------------------------------------------------------


def official_lists(bench: BenchServer, files: dict[str, Path], repeats: int) -> dict:
    """The five lists at real size into an empty graph, in order, end to end; the
    graph holds them afterwards."""
    runs = []
    for run in range(repeats):
        bench.wipe()
        loads = [bench.load(kind, files[kind]) for kind in ORDER]
        total = sum(load["seconds"] for load in loads)
        log(f"official lists, run {run + 1}: {total:.1f} s "
            + ", ".join(f"{load['kind']} {load['seconds']:.1f}" for load in loads))
        runs.append({"seconds": total, "loads": loads})
    best = sorted(runs, key=lambda r: r["seconds"])[len(runs) // 2]
    records = sum(load["records"] for load in best["loads"])
    # The write phase alone: from each load's first statement to its commit (graph/store.py
    # WriteReport.seconds), without parsing, the checks before writing and the index refresh.
    write_s = sum(load["write_seconds"] for load in best["loads"])
    return {"runs": [r["seconds"] for r in runs], "median_s": best["seconds"], "records": records,
            "rows_per_s": records / best["seconds"], "write_s": write_s,
            "write_rows_per_s": records / write_s, "median_run": best["loads"],
            "peak_rss_mib": max(load["peak_rss_mib"] for load in best["loads"])}


def baseline_runs(bench: BenchServer, files: dict[str, Path], repeats: int, per_row_sample: int) -> dict:
    """The two baselines on the rows (records) of the official lists."""
    rows = baselines.rows_of(files, ORDER)
    create = []
    for _ in range(repeats):
        bench.wipe()
        create.append(baselines.unwind_create(bench.graph.driver, rows, bench.graph.settings.batch_size))
    log(f"baseline UNWIND CREATE: {len(rows)} rows, median {median(create):.1f} s")
    merge = []
    sample = rows[:per_row_sample]
    for _ in range(repeats):
        bench.wipe()
        merge.append(baselines.merge_per_transaction(bench.graph.driver, sample))
    log(f"baseline one MERGE per transaction: {len(sample)} rows, median {median(merge):.1f} s")
    return {"rows": len(rows), "what_a_row_is": baselines.ROW,
            "unwind_create_rows_per_s": len(rows) / median(create), "unwind_create_runs_s": create,
            "merge_per_tx_rows_per_s": len(sample) / median(merge), "merge_per_tx_rows": len(sample),
            "merge_per_tx_runs_s": merge}


def throughput(baseline: dict, official: dict) -> dict:
    """The project's loaders (the official lists end to end) against the baselines."""
    assert baseline["rows"] == official["records"], "the baselines wrote other rows"
    project = official["rows_per_s"]
    return {**baseline, "project_rows_per_s": project,
            "project_write_rows_per_s": official["write_rows_per_s"],
            "vs_merge_per_tx": project / baseline["merge_per_tx_rows_per_s"],
            "vs_unwind_create": project / baseline["unwind_create_rows_per_s"],
            "write_vs_unwind_create": official["write_rows_per_s"] / baseline["unwind_create_rows_per_s"]}


def sample_inputs(graph: SanctionsGraph, calls: int, rng: random.Random) -> dict[str, list]:
    """Varied inputs for each query kind, drawn from the loaded graph."""
    total = graph.read("MATCH (e:Entity) RETURN count(e) AS n")[0]["n"]
    share = min(1.0, 3 * calls / max(1, total))
    entities = graph.read("MATCH (e:Entity) WHERE rand() < $share RETURN e.id AS id, e.name AS name "
                          "LIMIT $n", share=share, n=3 * calls)
    linked = graph.read(
        "MATCH (e:Entity) WHERE rand() < $share AND EXISTS { (e)-[:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|"
        "ASSOCIATE_OF|PART_OF]-(:Entity) } RETURN e.id AS id LIMIT $n", share=min(1.0, 10 * share), n=calls)
    # Pairs joined by a chain of 2–4 links (a random walk from each start), and some
    # pairs of random entities, which most often no short chain joins: the worst case.
    pairs = []
    for row in linked[: calls * 3 // 4]:
        walk = graph.read(
            "MATCH p = (a:Entity {id: $id})-[:LINKED_TO|LEADS|MEMBER_OF|OWNS|FAMILY_OF|ASSOCIATE_OF|PART_OF*2..4]-"
            "(b:Entity) WHERE a <> b WITH b LIMIT 50 RETURN b.id AS id", id=row["id"])
        if walk:
            pairs.append((row["id"], rng.choice(walk)["id"]))
    while len(pairs) < calls:
        a, b = rng.sample(entities, 2)
        pairs.append((a["id"], b["id"]))
    names = [_typed(rng, e["name"]) for e in rng.choices(entities, k=calls)]
    ids = [e["id"] for e in rng.choices(entities, k=calls)]
    hubs = [r["id"] for r in rng.choices(linked or entities, k=calls)]
    gaps = [{"family": rng.choice(FAMILIES), "country": rng.choice(COUNTRIES)} for _ in range(calls)]
    return {"search": names, "entity": ids, "designations": ids, "entity_profile": ids,
            "neighbourhood": hubs, "gap_matrix": gaps, "shortest_path": pairs[:calls]}


def _typed(rng: random.Random, name: str) -> str:
    """A name as someone would type it: lower case, words in another order, a letter off."""
    words = name.lower().split()
    if len(words) > 1 and rng.random() < 0.3:
        words.reverse()
    if rng.random() < 0.3:
        i = rng.randrange(len(words))
        if len(words[i]) > 4:
            words[i] = words[i][:-1]
    return " ".join(words)


def query_latencies(graph: SanctionsGraph, calls: int, seed: int) -> dict:
    rng = random.Random(seed)
    inputs = sample_inputs(graph, calls, rng)
    run = {
        "search": lambda x: graph.search(x),
        "entity": lambda x: graph.entity(x),
        "designations": lambda x: graph.designations(x),
        "entity_profile": lambda x: graph.run_saved("entity_profile", id=x),
        "neighbourhood": lambda x: graph.neighbours(x, hops=2, limit=200, per_type=25),
        "gap_matrix": lambda x: graph.gap_matrix(family=x["family"], country=x["country"]),
        "shortest_path": lambda x: graph.path(*x, max_hops=6),
    }
    results = {}
    for kind, call in run.items():
        for x in inputs[kind][:5]:  # warm the plan cache and the page cache
            call(x)
        times, timeouts = [], []
        for x in inputs[kind]:
            started = time.perf_counter()
            try:
                call(x)
            except QueryTimeout:
                # Counted at the time it was stopped after: a failure the figures show.
                timeouts.append(x)
            times.append(time.perf_counter() - started)
        results[kind] = {"calls": len(times), "p50_s": percentile(times, 50), "p95_s": percentile(times, 95),
                         "max_s": max(times), "target_p95_s": TARGETS[kind],
                         "timeouts": len(timeouts), "timed_out_inputs": [str(x) for x in timeouts[:10]]}
        log(f"{kind}: p50 {results[kind]['p50_s'] * 1000:.0f} ms, p95 {results[kind]['p95_s'] * 1000:.0f} ms "
            f"over {len(times)} calls" + (f", {len(timeouts)} stopped at the timeout: {timeouts[:3]}"
                                          if timeouts else ""))
    return results


def resolution_figures() -> dict:
    measured = resolution.measure()
    log(f"resolution: {measured['records']} records in {measured['seconds']:.1f} s, "
        f"{measured['compared']} candidate pairs compared")
    return measured


def scaling(bench: BenchServer, files: dict[str, Path], writer: Writer, calls: int) -> list[dict]:
    """FtM files of 10k, 100k and 1M entities loaded one after the other on top of the
    official lists (which official_lists left loaded): each file's load time and peak
    memory, and query latencies over the graph as it then is (entities counted in
    `graph`). Adding the files up spares loading the lists again for each size."""
    points = []
    for n in SCALES:
        path = DATA / "ftm" / f"entities-{n}.ftm.json"
        if not path.exists():
            log(f"generating {path.name}")
            writer.ftm(n)
        log(f"loading the FtM file of {n} entities")
        load = bench.load("ftm", path)
        log(f"FtM {n}: {load['seconds']:.1f} s, peak RSS {load['peak_rss_mib']:.0f} MiB")
        stats = bench.graph.status()
        points.append({"entities": n, "load": load, "graph": stats,
                       "queries": query_latencies(bench.graph, calls, SEED + n)})
    return points


# -- reporting ------------------------------------------------------------------------------


def verdicts(results: dict) -> list[tuple[str, str, str, bool]]:
    """(figure, measured, target, met) for every target this run measured."""
    out = []
    official = results["official"]
    out.append(("five official lists end to end", f"{official['median_s']:.1f} s", "< 30 s",
                official["median_s"] < TARGETS["official_lists_s"]))
    t = results["throughput"]
    out.append(("throughput vs one MERGE per transaction", f"{t['vs_merge_per_tx']:.2f}×", "≥ 100×",
                t["vs_merge_per_tx"] >= TARGETS["vs_one_merge_per_tx"]))
    out.append(("throughput vs UNWIND CREATE", f"{t['vs_unwind_create']:.2f}×", "≥ 0.5×",
                t["vs_unwind_create"] >= TARGETS["vs_unwind_create"]))
    out.append(("write phase alone (first statement to commit) vs UNWIND CREATE",
                f"{t['write_vs_unwind_create']:.2f}×", "≥ 0.5×",
                t["write_vs_unwind_create"] >= TARGETS["write_vs_unwind_create"]))
    r = results["resolution"]
    out.append((f"resolution of {r['records']} real records", f"{r['seconds']:.1f} s", "< 60 s",
                r["seconds"] < TARGETS["resolution_s"]))
    if "scaling" in results:
        largest = results["scaling"][-1]
        out.append((f"FtM file of {largest['entities']:,} entities", f"{largest['load']['seconds']:.0f} s",
                    f"< {TARGETS['ftm_1m_s']} s", largest["load"]["seconds"] < TARGETS["ftm_1m_s"]))
        m = results["memory"]
        out.append((f"peak RSS, {m['large']:,} vs {m['small']:,} entities", f"{m['ratio']:.2f}×", "≤ 1.2×",
                    m["ratio"] <= TARGETS["rss_ratio"]))
    if "incremental" in results:
        i = results["incremental"]
        out.append((f"a 5-record list loaded onto {incremental.SMALL_LIST_ONTO}", f"{i['small_list_s']:.2f} s", "< 1 s",
                    i["small_list_s"] < 1))
        out.append(("UN list loaded last vs into an empty graph", f"{i['un_last_vs_alone']:.2f}×", "≤ 2×",
                    i["un_last_vs_alone"] <= 2))
        worst = max(i["records_read_vs_list"].values())
        out.append(("stored records read by resolution, per record of the list (worst list)",
                    f"{worst:.2f}×", "≤ 5×", worst <= 5))
        out.append(("US list reloaded unchanged vs its first load", f"{i['reload_unchanged_ratio']:.2f}×",
                    "≤ 0.2×", i["reload_unchanged_ratio"] <= 0.2))
        out.append((f"US list with 1% renamed ({i['one_percent_entries']} entries) vs its first load",
                    f"{i['one_percent_ratio']:.2f}×", "≤ 0.1×", i["one_percent_ratio"] <= 0.1))
        if "next_percent_ratio" in i:
            out.append(("the next version, 1% renamed again (its statements planned by the first)",
                        f"{i['next_percent_ratio']:.2f}×", "≤ 0.1×", i["next_percent_ratio"] <= 0.1))
    for kind, q in results["queries"].items():
        out.append((f"{kind} p95 ({results['queries_graph']})", f"{q['p95_s'] * 1000:.0f} ms"
                    + (f" ({q['timeouts']} of {q['calls']} stopped at the timeout)" if q.get("timeouts") else ""),
                    f"< {TARGETS[kind] * 1000:.0f} ms", q["p95_s"] < TARGETS[kind]))
    return out


def summary(results: dict) -> str:
    lines = [f"# Benchmark figures ({results['mode']}, {results['finished_at']})", "",
             f"Machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
             f"{results['machine']['memory_mib']} MiB; load average {results['load_average']}; "
             f"Neo4j {results['machine']['neo4j_server']} (heap {results['server']['heap']}, page cache "
             f"{results['server']['pagecache']}), driver {results['machine']['neo4j_driver']}, "
             f"Python {results['machine']['python']}.", "",
             "| figure | measured | target | met |", "|---|---|---|---|"]
    lines += [f"| {f} | {m} | {t} | {'yes' if ok else '**no**'} |" for f, m, t, ok in verdicts(results)]
    t = results["throughput"]
    lines += ["", f"Throughput ({t['rows']} rows; a row is {t['what_a_row_is']}): project "
              f"{t['project_rows_per_s']:.0f} rows/s (its write phase alone "
              f"{t['project_write_rows_per_s']:.0f} rows/s), UNWIND CREATE {t['unwind_create_rows_per_s']:.0f} rows/s, "
              f"one MERGE per transaction {t['merge_per_tx_rows_per_s']:.0f} rows/s "
              f"(on the first {t['merge_per_tx_rows']} rows)."]
    lines += ["", "| list | records | seconds | of it writing | peak RSS MiB | server CPU s | of it C2 s |",
              "|---|---|---|---|---|---|---|"]
    lines += [f"| {load['kind']} | {load['records']} | {load['seconds']:.1f} | {load['write_seconds']:.1f} | "
              f"{load['peak_rss_mib']:.0f} | "
              f"{load.get('server_cpu_s', float('nan')):.1f} | {load.get('server_c2_cpu_s', float('nan')):.1f} |"
              for load in results["official"]["median_run"]]
    if "scaling" in results:
        kinds = list(results["scaling"][0]["queries"])
        lines += ["", "| FtM entities in the file | records | load s | peak RSS MiB | entities in the graph | "
                  + " | ".join(f"{k} p95 ms" for k in kinds) + " |", "|---" * (5 + len(kinds)) + "|"]
        for p in results["scaling"]:
            lines.append(f"| {p['entities']:,} | {p['load']['records']:,} | {p['load']['seconds']:.0f} | "
                         f"{p['load']['peak_rss_mib']:.0f} | {p['graph']['entities']:,} | "
                         + " | ".join(f"{p['queries'][k]['p95_s'] * 1000:.0f}" for k in kinds) + " |")
    return "\n".join(lines) + "\n"


def plots(results: dict, mode: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    t = results["throughput"]
    fig, ax = plt.subplots(figsize=(6, 3.5))
    labels = ["one MERGE\nper transaction", "project\nloaders", "UNWIND CREATE\n(no checks)"]
    values = [t["merge_per_tx_rows_per_s"], t["project_rows_per_s"], t["unwind_create_rows_per_s"]]
    ax.bar(labels, values, color=["#999999", "#1f77b4", "#bbbbbb"])
    ax.set_yscale("log")
    ax.set_ylabel("rows per second (log)")
    ax.set_title(f"Load throughput, {t['rows']} rows of the five official lists")
    for i, v in enumerate(values):
        ax.text(i, v, f"{v:,.0f}", ha="center", va="bottom")
    fig.tight_layout()
    written.append(RESULTS / f"throughput-{mode}.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    fig, ax = plt.subplots(figsize=(7, 3.5))
    kinds = list(results["queries"])
    ax.bar(kinds, [results["queries"][k]["p95_s"] * 1000 for k in kinds], color="#1f77b4", label="p95")
    ax.bar(kinds, [results["queries"][k]["p50_s"] * 1000 for k in kinds], color="#aec7e8", label="p50")
    ax.scatter(kinds, [TARGETS[k] * 1000 for k in kinds], color="red", marker="_", s=400, label="target (p95)")
    ax.set_ylabel("ms")
    ax.set_title(f"Query latency through the client ({results['queries_graph']})")
    ax.tick_params(axis="x", rotation=30)
    ax.legend()
    fig.tight_layout()
    written.append(RESULTS / f"queries-{mode}.png")
    fig.savefig(written[-1], dpi=110)
    plt.close(fig)

    if "scaling" in results:
        points = results["scaling"]
        sizes = [p["entities"] for p in points]
        fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4))
        left.plot(sizes, [p["load"]["seconds"] for p in points], "o-", label="FtM load time")
        left.axhline(TARGETS["ftm_1m_s"], color="red", linestyle=":",
                     label=f"target at 1M ({TARGETS['ftm_1m_s']} s)")
        left.set_xscale("log")
        left.set_yscale("log")
        left.set_xlabel("FtM entities in the file")
        left.set_ylabel("seconds")
        left.legend()
        left.set_title("Load time")
        graph_sizes = [p["graph"]["entities"] for p in points]
        for kind in points[0]["queries"]:
            right.plot(graph_sizes, [p["queries"][kind]["p95_s"] * 1000 for p in points], "o-", label=kind)
        right.set_xscale("log")
        right.set_yscale("log")
        right.set_xlabel("entities in the graph")
        right.set_ylabel("p95 ms")
        right.legend(fontsize=8)
        right.set_title("Query p95")
        fig.tight_layout()
        written.append(RESULTS / "scaling.png")
        fig.savefig(written[-1], dpi=110)
        plt.close(fig)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="real list size only, under 5 minutes")
    parser.add_argument("--calls", type=int, default=200, help="calls per query kind")
    parser.add_argument("--repeats", type=int, help="runs of the official lists (default: quick 1, full 3)")
    args = parser.parse_args()
    # Stopped from outside, still stop the server this run started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    mode = "quick" if args.quick else "full"
    defaults = settings_module.load()
    heap = os.environ.get("BENCH_HEAP", defaults.heap)
    pagecache = os.environ.get("BENCH_PAGECACHE", defaults.pagecache)
    started = time.monotonic()
    log(f"generating the official lists at real size {SIZES} (seed {SEED})")
    writer = Writer(DATA, SEED)
    files = writer.official()
    RESULTS.mkdir(parents=True, exist_ok=True)
    results: dict = {"mode": mode, "seed": SEED, "sizes": SIZES, "server": {"heap": heap, "pagecache": pagecache},
                     "targets": TARGETS}
    with BenchServer(heap, pagecache) as bench:
        results["machine"] = machine(bench.graph)
        baseline = baseline_runs(bench, files, repeats=3, per_row_sample=300 if args.quick else 1000)
        results["official"] = official_lists(bench, files, repeats=args.repeats or (1 if args.quick else 3))
        results["throughput"] = throughput(baseline, results["official"])
        results["resolution"] = resolution_figures()
        if args.quick:
            results["queries_graph"] = "the five official lists"
            results["queries"] = query_latencies(bench.graph, args.calls, SEED)
        else:
            results["scaling"] = scaling(bench, files, writer, args.calls)
            results["queries_graph"] = f"{SCALES[-1]:,} FtM entities + the official lists"
            results["queries"] = results["scaling"][-1]["queries"]
            small, large = results["scaling"][-2]["load"], results["scaling"][-1]["load"]
            results["memory"] = {"small": SCALES[-2], "large": SCALES[-1],
                                 "small_peak_rss_mib": small["peak_rss_mib"],
                                 "large_peak_rss_mib": large["peak_rss_mib"],
                                 "process_baseline_mib": small["rss_before_mib"],
                                 "ratio": large["peak_rss_mib"] / small["peak_rss_mib"]}
        # Last: it changes the graph the queries ran on.
        results["incremental"] = incremental.figures(bench, files, results["official"], DATA, SEED, log)
    results["load_average"] = [round(x, 1) for x in os.getloadavg()]
    results["seconds"] = time.monotonic() - started
    results["finished_at"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
    (RESULTS / f"{mode}.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    text = summary(results)
    (RESULTS / f"summary-{mode}.md").write_text(text, encoding="utf-8")
    for path in plots(results, mode):
        log(f"wrote {path.relative_to(ROOT)}")
    print(text)
    log(f"done in {results['seconds'] / 60:.1f} min")


if __name__ == "__main__":
    main()
