"""Command line: ``python -m pipeline build [--raw DIR] [--warehouse DIR] [--version V]``
and ``python -m pipeline pack [--release DIR] [--output DIR]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline import bench, synth
from pipeline.inventory import DEFAULT_MAX_FILE_MB
from pipeline.resources import DEFAULT_RAW, DEFAULT_WAREHOUSE, REPO

if TYPE_CHECKING:
    from pipeline.build import CheckOutcome


def use_repo_dagster_home() -> None:
    """Dagster's run storage lives in the repo (gitignored), never in $HOME."""
    home = Path(os.environ.get("DAGSTER_HOME") or REPO / ".dagster").resolve()
    home.mkdir(parents=True, exist_ok=True)
    os.environ["DAGSTER_HOME"] = str(home)


def cmd_build(args: argparse.Namespace) -> int:
    use_repo_dagster_home()
    import dagster as dg

    from pipeline.build import run_build
    from pipeline.release import ReleaseExists

    if not Path(args.raw).is_dir():
        print(f"error: no input folder at {args.raw}", file=sys.stderr)
        return 2
    started, started_at = time.perf_counter(), time.time()
    print(f"building from {args.raw} into {args.warehouse} ...", flush=True)
    try:
        result = run_build(
            Path(args.raw),
            Path(args.warehouse),
            version=args.version,
            instance=dg.DagsterInstance.get(),
            log_level="CRITICAL" if args.quiet else ("DEBUG" if args.verbose else "INFO"),
            max_file_mb=args.max_file_mb,
        )
    except (ReleaseExists, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    print_input_summary(Path(args.warehouse), started_at)
    print_rejected_rows(Path(args.warehouse), started_at)
    passed = sum(c.passed for c in result.checks)
    print(f"\nchecks: {passed}/{len(result.checks)} passed")
    print_failed_checks(result.failed_checks)
    if result.error and not result.failed_checks:
        print(f"error: {result.error}", file=sys.stderr)
    if not result.success or result.release_dir is None:
        latest = Path(args.warehouse) / "releases" / "latest"
        kept = f"; latest is still {latest.resolve().name}" if latest.is_dir() else ""
        print(f"build failed after {elapsed:.1f}s: nothing published{kept}", file=sys.stderr)
        return 1
    print("records per table:")
    for name, n in result.rows.items():
        print(f"  {name:<24}{n:>8}")
    print(f"release {result.version} published at {result.release_dir} in {elapsed:.1f}s")
    return 0


def print_input_summary(warehouse: Path, since: float, show: int = 10) -> None:
    """What became of the files under raw/ in this build: documents, rejected
    (with reasons), ignored; read from the stored ingest assets."""
    import pyarrow.parquet as pq

    from pipeline.resources import asset_path

    names = ("raw_files", "documents", "rejected_documents")
    paths = {name: asset_path(warehouse.resolve(), name) for name in names}
    if not all(p.is_file() and p.stat().st_mtime >= since for p in paths.values()):
        return
    statuses = pq.read_table(paths["raw_files"], columns=["status"])["status"].to_pylist()
    rejected = pq.read_table(paths["rejected_documents"], columns=["source", "reason"]).to_pylist()
    documents = pq.read_metadata(paths["documents"]).num_rows
    print(
        f"input: {len(statuses)} files under raw/ -> {documents} documents "
        f"(+{statuses.count('duplicate')} duplicate names), {len(rejected)} rejected, "
        f"{statuses.count('ignored')} ignored"
    )
    for row in rejected[:show]:
        print(f"  rejected {row['source']}: {row['reason']}")
    if len(rejected) > show:
        print(f"  ... and {len(rejected) - show} more (see rejected_documents)")


def print_failed_checks(failed: list[CheckOutcome], show: int = 12) -> None:
    """Each failed check by table and name, with the first rows of its failure table."""
    for c in failed:
        lines = c.details.splitlines()
        print(f"  FAILED {c.asset}:{c.name}")
        for line in lines[:show]:
            print(f"    {line}")
        if len(lines) > show:
            print(f"    ... {len(lines) - show} more lines (see the check in the Dagster UI)")


def print_rejected_rows(warehouse: Path, since: float) -> None:
    """How many rows each table held out into rejected_rows in this build."""
    import pyarrow.parquet as pq

    from pipeline.resources import asset_path

    path = asset_path(warehouse.resolve(), "rejected_rows")
    if not path.is_file() or path.stat().st_mtime < since:
        return
    tables = pq.read_table(path, columns=["table_name"])["table_name"].to_pylist()
    if tables:
        counts = ", ".join(f"{t} {tables.count(t)}" for t in sorted(set(tables)))
        print(f"rows held out in rejected_rows (with the reason): {counts}")


def positive_float(value: str) -> float:
    number = float(value)
    if not number > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, not {value}")
    return number


def cmd_pack(args: argparse.Namespace) -> int:
    from pipeline.catalog import ReleaseDamaged, pack, sha256_file

    release = Path(args.release).resolve()
    if not release.is_dir():
        print(f"error: no release folder at {args.release}", file=sys.stderr)
        return 2
    output = Path(args.output) if args.output else release.parent.parent / "archives"
    try:
        archive, description = pack(release, output)
    except ReleaseDamaged as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    print(f"packed release {release.name} into {archive}")
    print(f"  {archive.stat().st_size} bytes, sha256 {sha256_file(archive)}")
    print(f"  DCAT-AP description: {description}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the dataset and publish a release")
    build.add_argument("--raw", default=str(DEFAULT_RAW), help="input folder (default raw/)")
    build.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help="output folder")
    build.add_argument("--version", default=None, help="release version (default CalVer)")
    build.add_argument(
        "--max-file-mb",
        type=positive_float,
        default=DEFAULT_MAX_FILE_MB,
        help=f"refuse raw files larger than this, unread (default {DEFAULT_MAX_FILE_MB:g})",
    )
    build.add_argument(
        "-v", "--verbose", action="store_true", help="show every Dagster event of the run"
    )
    build.add_argument(
        "-q", "--quiet", action="store_true", help="no progress lines, only the summary"
    )
    build.set_defaults(func=cmd_build)
    pack = sub.add_parser("pack", help="pack a release into one zip archive for a data portal")
    pack.add_argument(
        "--release",
        default=str(DEFAULT_WAREHOUSE / "releases" / "latest"),
        help="release folder (default warehouse/releases/latest)",
    )
    pack.add_argument(
        "--output", default=None, help="folder for the archive (default <warehouse>/archives)"
    )
    pack.set_defaults(func=cmd_pack)
    synth.add_command(sub)
    bench.add_command(sub)
    args = parser.parse_args(argv)
    return int(args.func(args))
