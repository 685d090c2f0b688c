"""Benchmark: what a build costs on 1,000 and 10,000 synthetic documents.

``python -m pipeline bench [--docs 1000,10000]`` writes a corpus per size
(``pipeline.synth``), then measures in the same run:

- an I/O floor: read every raw file, hash it, write the texts to one Parquet
  file: the least any build of this corpus must do;
- a full build in a fresh process (so its memory is its own), with the wall
  time of each stage taken from Dagster's step events, extraction throughput
  and peak memory;
- an incremental rebuild after one page changed, into the same warehouse
  (parsing and extraction cached), and how many documents it re-extracted;
- the serial per-document cost of parsing and of each extractor on a sample,
  to show where the time goes.

It prints figures; it asserts nothing. The goals it reports against are the
ones of the scaling issue (docs/scaling.md).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

GOAL_SECONDS_10K = 60.0
GOAL_FLOOR_RATIO = 15.0
GOAL_PEAK_MB = 1500.0
GOAL_LINEARITY = 11.0
GOAL_INCREMENTAL_SHARE = 0.10
SAMPLE_DOCS = 200
# Dagster step keys of the assets, and the stage each belongs to; every other
# step of the build is an asset check.
STAGE_OF_STEP = {
    "raw_files": "inventory",
    "documents": "documents",
    "mentions": "extraction",
    "entities": "resolution",
    "record_tables": "tables",
    "release": "release",
}
STAGES = ("inventory", "documents", "extraction", "resolution", "tables", "checks", "release")


# ------------------------------------------------------------ measured in a child process


def tree_rss_mb(root: int) -> float | None:
    """Resident memory of a process and all its descendants now (Linux /proc), in MB.

    ru_maxrss gives each process's own peak, at different moments; the sum of
    those is only an upper bound. Sampling the tree gives what it held at once.
    """
    parents: dict[int, int] = {}
    pages: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid = int(stat.parent.name)
            # the command name may hold spaces: fields start after its closing ")"
            parents[pid] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            pages[pid] = int((stat.parent / "statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            continue  # the process ended while we read it
    if root not in pages:
        return None
    tree, frontier = {root}, [root]
    while frontier:
        parent = frontier.pop()
        children = [pid for pid, ppid in parents.items() if ppid == parent and pid not in tree]
        tree.update(children)
        frontier.extend(children)
    return sum(pages[pid] for pid in tree) * os.sysconf("SC_PAGE_SIZE") / 2**20


class TreePeak:
    """Samples this process tree's resident memory in a thread; keeps the highest."""

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            now = tree_rss_mb(os.getpid())
            if now is not None:
                self.peak_mb = max(self.peak_mb or 0.0, now)
            self._stop.wait(self.interval)

    def __enter__(self) -> TreePeak:
        if Path("/proc/self/statm").exists():
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join()


def measure_build(raw: Path, warehouse: Path, version: str) -> dict[str, object]:
    """Run one build here and return its timings, counts and peak memory."""
    import dagster as dg

    from pipeline.build import run_build
    from pipeline.cache import documents_version, extraction_version

    instance = dg.DagsterInstance.ephemeral()
    started = time.perf_counter()
    with TreePeak() as tree:
        result = run_build(raw, warehouse, version=version, instance=instance)
    seconds = time.perf_counter() - started
    run = instance.get_runs(limit=1)[0]
    stages = dict.fromkeys(STAGES, 0.0)
    began: dict[str, float] = {}
    extracted = None
    for record in instance.all_logs(run.run_id):
        event = record.dagster_event
        if event is None or record.step_key is None:
            continue
        if event.event_type_value == "STEP_START":
            began[record.step_key] = record.timestamp
        elif event.event_type_value in ("STEP_SUCCESS", "STEP_FAILURE"):
            stage = STAGE_OF_STEP.get(record.step_key, "checks")
            stages[stage] += record.timestamp - began.get(record.step_key, record.timestamp)
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            materialization = event.step_materialization_data.materialization
            if materialization.asset_key.to_user_string() == "mentions":
                value = materialization.metadata.get("documents_extracted")
                extracted = getattr(value, "value", value)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return {
        "success": result.success,
        "error": result.error,
        "seconds": seconds,
        "stages": stages,
        "rows": result.rows,
        "documents_extracted": extracted,
        "peak_mb_main": own,
        "peak_mb_worker": workers,
        "peak_mb_tree": tree.peak_mb,
        "code_versions": [documents_version(), extraction_version()],
    }


def build_in_child(raw: Path, warehouse: Path, version: str) -> dict:
    """A build in a fresh interpreter; wall time includes start-up and imports."""
    env = {**os.environ, "DAGSTER_HOME": tempfile.mkdtemp(prefix="tcd-bench-home-")}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.bench", "--measure", str(raw), str(warehouse), version],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"build failed:\n{done.stderr[-3000:]}")
    measured: dict = json.loads(done.stdout.strip().splitlines()[-1])
    measured["wall"] = wall
    return measured


# ------------------------------------------------------------ floor and samples


def io_floor(raw: Path, out: Path) -> float:
    """Seconds to read every raw file, hash it and write the texts to one Parquet."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    started = time.perf_counter()
    shas, texts = [], []
    for path in sorted(p for p in raw.rglob("*") if p.is_file()):
        data = path.read_bytes()
        shas.append(hashlib.sha256(data).hexdigest())
        texts.append(data.decode("utf-8", errors="replace"))
    pq.write_table(pa.table({"sha256": shas, "text": texts}), out, compression="zstd")
    return time.perf_counter() - started


def per_document_costs(raw: Path, sample: int = SAMPLE_DOCS) -> dict[str, float]:
    """Serial milliseconds per document of each part of parsing and extraction."""
    from pipeline import documents as parsing
    from pipeline.extract import extractors
    from pipeline.extract.context import Context

    paths = sorted(p for p in raw.iterdir() if p.is_file())
    step = max(1, len(paths) // sample)
    raws = [p.read_bytes() for p in paths[::step][:sample]]
    costs: dict[str, float] = {}

    def timed(name: str, fn, *args):
        started = time.perf_counter()
        value = fn(*args)
        costs[name] = costs.get(name, 0.0) + time.perf_counter() - started
        return value

    timed("language model load (once)", parsing.detect_language, "Une phrase en français.")
    texts = []
    for data in raws:
        decoded, _ = timed("decode", parsing.decode, data)
        if parsing.looks_like_html(decoded):
            decoded, _ = timed("html", parsing.html_to_text, decoded)
        text = timed("clean (ftfy if needed, boilerplate)", parsing.clean_text, decoded)
        language = timed("language (stopwords, else lingua)", parsing.detect_language, text)
        texts.append((text, language))
    for fn in extractors():  # warm reference tables and patterns
        fn(Context(text=texts[0][0], language=texts[0][1]))
    for text, language in texts:
        ctx = Context(text=text, language=language)
        for fn in extractors():
            ctx.mentions.extend(timed(f"extract: {fn.__module__}.{fn.__name__}", fn, ctx))
    return {
        name: seconds * 1000 / (1 if "once" in name else len(raws))
        for name, seconds in costs.items()
    }


def change_one_document(raw: Path) -> Path:
    """Append a sentence to the first plain-text page, as a site edit would."""
    page = next(p for p in sorted(raw.iterdir()) if p.suffix == ".txt")
    with page.open("a", encoding="utf-8") as handle:
        handle.write("\nThis page was updated by the benchmark.\n")
    return page


# ------------------------------------------------------------ the report


def bench_size(docs: int, seed: int, work: Path) -> dict:
    from pipeline.synth import write_corpus

    raw = work / f"corpus-{docs}"
    started = time.perf_counter()
    write_corpus(raw, docs, seed)
    synth_seconds = time.perf_counter() - started
    raw_mb = sum(p.stat().st_size for p in raw.iterdir()) / 1e6
    floor = io_floor(raw, work / f"floor-{docs}.parquet")
    warehouse = work / f"warehouse-{docs}"
    full = build_in_child(raw, warehouse, "full")
    changed = change_one_document(raw)
    again = build_in_child(raw, warehouse, "incremental")
    return {
        "docs": docs,
        "raw_mb": raw_mb,
        "synth": synth_seconds,
        "floor": floor,
        "full": full,
        "incremental": again,
        "changed": changed.name,
    }


def print_size(r: dict) -> None:
    """The figures of one corpus size, printed as soon as they are measured."""
    workers = os.environ.get("TCD_WORKERS") or os.cpu_count()
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"\n== {workers} worker(s), Python {sys.version.split()[0]}, load average now {load} "
        "(other work on the machine slows every figure)"
    )
    full, inc = r["full"], r["incremental"]
    extraction = full["stages"]["extraction"] or float("nan")
    n_docs = full["rows"].get("documents", r["docs"])
    print(f"\n-- {r['docs']} pages ({r['raw_mb']:.1f} MB raw, written in {r['synth']:.1f} s)")
    print(f"   build ok: {full['success']}; documents {n_docs}")
    print(
        f"   extraction: {n_docs / extraction:8.0f} documents/s  "
        f"{r['raw_mb'] / extraction:6.2f} MB/s  ({extraction:.1f} s)"
    )
    print("   stages (s): " + "  ".join(f"{s} {full['stages'][s]:.1f}" for s in STAGES))
    print(
        f"   end to end: {full['wall']:.1f} s (process start-up and imports included; "
        f"run {full['seconds']:.1f} s)"
    )
    tree = full["peak_mb_tree"]
    print(
        f"   peak memory: main {full['peak_mb_main']:.0f} MB, largest worker "
        f"{full['peak_mb_worker']:.0f} MB, whole process tree "
        + (f"{tree:.0f} MB" if tree is not None else "not measured (no /proc)")
        + f" (goal < {GOAL_PEAK_MB:.0f})"
    )
    print(
        f"   I/O floor: {r['floor']:.2f} s; build / floor = "
        f"{full['wall'] / r['floor']:.1f} (goal < {GOAL_FLOOR_RATIO:.0f})"
    )
    if inc["code_versions"] != full["code_versions"]:
        print(
            "   NOTE: the parsing or extraction code changed between the two builds "
            "(edited meanwhile), so the rebuild could not reuse the whole cache"
        )
    share = inc["wall"] / full["wall"]
    print(
        f"   one page changed ({r['changed']}): rebuild {inc['wall']:.1f} s = "
        f"{share:.0%} of the full build (goal < {GOAL_INCREMENTAL_SHARE:.0%}); "
        f"documents re-extracted: {inc['documents_extracted']}; stages (s): "
        + "  ".join(f"{s} {inc['stages'][s]:.1f}" for s in STAGES),
        flush=True,
    )


def print_summary(results: list[dict], costs: dict[str, float]) -> None:
    sizes = {r["docs"]: r["full"]["wall"] for r in results}
    if 1000 in sizes and 10000 in sizes:
        print(
            f"\n10k/1k time ratio: {sizes[10000] / sizes[1000]:.1f} "
            f"(goal <= {GOAL_LINEARITY:.0f}); "
            f"10k end to end {sizes[10000]:.1f} s (goal < {GOAL_SECONDS_10K:.0f})"
        )
    print(f"\n-- serial cost per document, sample of {SAMPLE_DOCS} pages (ms)")
    for name, ms in sorted(costs.items(), key=lambda kv: -kv[1]):
        print(f"   {ms:8.2f}  {name}")


def cmd_bench(args: argparse.Namespace) -> int:
    sizes = [int(n) for n in str(args.docs).split(",") if n]
    work = Path(args.work or tempfile.mkdtemp(prefix="tcd-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"benchmark in {work} ...", flush=True)
    results = []
    for n in sizes:
        print(f"  {n} pages ...", flush=True)
        results.append(bench_size(n, args.seed, work))
        print_size(results[-1])
    print_summary(results, per_document_costs(work / f"corpus-{sizes[0]}"))
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    bench = sub.add_parser("bench", help="measure build cost on synthetic corpora")
    bench.add_argument("--docs", default="1000,10000", help="corpus sizes, comma-separated")
    bench.add_argument("--seed", type=int, default=1, help="corpus seed")
    bench.add_argument("--work", default=None, help="folder for corpora and warehouses")
    bench.set_defaults(func=cmd_bench)


if __name__ == "__main__" and sys.argv[1:2] == ["--measure"]:
    raw_dir, warehouse_dir, version = sys.argv[2:5]
    print(json.dumps(measure_build(Path(raw_dir), Path(warehouse_dir), version)))
