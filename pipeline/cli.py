"""Command line: ``python -m pipeline build [--raw DIR] [--warehouse DIR] [--version V]``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from pipeline.resources import DEFAULT_RAW, DEFAULT_WAREHOUSE, REPO


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

    started = time.perf_counter()
    print(f"building from {args.raw} into {args.warehouse} ...", flush=True)
    try:
        result = run_build(
            Path(args.raw),
            Path(args.warehouse),
            version=args.version,
            instance=dg.DagsterInstance.get(),
            log_level="INFO" if args.verbose else "WARNING",
        )
    except (ReleaseExists, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - started
    passed = sum(c.passed for c in result.checks)
    print(f"\nchecks: {passed}/{len(result.checks)} passed")
    for c in result.failed_checks:
        print(f"  FAILED {c.asset}:{c.name}\n    " + c.details.replace("\n", "\n    "))
    if result.error:
        print(f"error: {result.error}", file=sys.stderr)
    if not result.success or result.release_dir is None:
        print(f"build failed after {elapsed:.1f}s: nothing published", file=sys.stderr)
        return 1
    print("records per table:")
    for name, n in result.rows.items():
        print(f"  {name:<24}{n:>8}")
    print(f"release {result.version} published at {result.release_dir} in {elapsed:.1f}s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the dataset and publish a release")
    build.add_argument("--raw", default=str(DEFAULT_RAW), help="input folder (default raw/)")
    build.add_argument("--warehouse", default=str(DEFAULT_WAREHOUSE), help="output folder")
    build.add_argument("--version", default=None, help="release version (default CalVer)")
    build.add_argument("-v", "--verbose", action="store_true", help="show Dagster's step log")
    build.set_defaults(func=cmd_build)
    args = parser.parse_args(argv)
    return int(args.func(args))
