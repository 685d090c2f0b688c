"""Results of per-document steps, stored by document sha256 and code version.

Parsing a page and extracting its mentions are pure functions of the page's
bytes and of the code and reference data that do the work. Their results are
kept under ``<warehouse>/cache/<step>/<version>/``, so a rebuild after one
page of 10,000 changed parses and extracts that one page only.

The version of a step is its declared version (``EXTRACTOR_VERSION`` for
extraction) plus a fingerprint of its source files and reference data: a
bumped version or an edited extractor both start a fresh cache, and nobody
has to remember to bump anything for stale results to be ignored.

Entries are sharded by the first two hex digits of the sha256 into 256
Parquet files (sha256, payload as JSON text), each replaced atomically. Two
builds writing the same shard at once can lose each other's new entries,
never corrupt them: an entry lost is computed again next time.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from importlib import metadata
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

PIPELINE = Path(__file__).resolve().parent
SHARD_DIGITS = 2
SCHEMA = pa.schema([pa.field("sha256", pa.string()), pa.field("payload", pa.string())])


@cache
def fingerprint(paths: tuple[Path, ...], packages: tuple[str, ...] = ()) -> str:
    """A short hash of the bytes of these files (folders: every file below
    them) and of the installed versions of these packages."""
    digest = hashlib.sha256()
    for path in paths:
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for file in files:
            if file.suffix == ".pyc":
                continue
            digest.update(file.relative_to(path.parent).as_posix().encode())
            digest.update(file.read_bytes())
    for package in packages:
        digest.update(f"{package}=={metadata.version(package)}".encode())
    return digest.hexdigest()[:12]


def extraction_version() -> str:
    from pipeline.extract import EXTRACTOR_VERSION

    code = fingerprint(
        (
            PIPELINE / "extract",
            PIPELINE / "names.py",
            PIPELINE / "reference",
            PIPELINE / "reference_files.py",
        )
    )
    return f"{EXTRACTOR_VERSION}-{code}"


def documents_version() -> str:
    code = fingerprint(
        (
            PIPELINE / "documents.py",
            PIPELINE / "cheap_text.py",
            PIPELINE / "inventory.py",
            PIPELINE / "reference",
        ),
        ("charset-normalizer", "ftfy", "selectolax", "lingua-language-detector"),
    )
    return f"documents-{code}"


class ResultCache:
    """JSON payloads of one step, keyed by document sha256, for one version."""

    def __init__(self, root: Path, step: str, version: str):
        self.step_dir = root / step
        self.dir = self.step_dir / version

    def shard_path(self, shard: str) -> Path:
        return self.dir / f"{shard}.parquet"

    def read_shard(self, shard: str) -> dict[str, str]:
        path = self.shard_path(shard)
        if not path.is_file():
            return {}
        try:
            table = pq.read_table(path)
        except (OSError, pa.ArrowInvalid):
            return {}  # a damaged shard is a cache miss, recomputed and rewritten
        return dict(zip(table["sha256"].to_pylist(), table["payload"].to_pylist(), strict=True))

    def get_many(self, shas: Iterable[str]) -> dict[str, str]:
        """The payloads stored for these sha256s (missing ones are absent)."""
        found: dict[str, str] = {}
        for stored in self.get_by_shard(shas):
            found.update(stored)
        return found

    def get_by_shard(self, shas: Iterable[str]) -> Iterator[dict[str, str]]:
        """What ``get_many`` finds, one shard at a time, so that a caller can
        convert each part and drop it before the next is read."""
        wanted: dict[str, set[str]] = defaultdict(set)
        for sha in shas:
            wanted[sha[:SHARD_DIGITS]].add(sha)
        for shard in sorted(wanted):
            stored = self.read_shard(shard)
            yield {sha: stored[sha] for sha in sorted(wanted[shard]) if sha in stored}

    def put_many(self, payloads: Mapping[str, str]) -> None:
        """Add or replace entries; each touched shard is rewritten atomically."""
        if not payloads:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        by_shard: dict[str, dict[str, str]] = defaultdict(dict)
        for sha, payload in payloads.items():
            by_shard[sha[:SHARD_DIGITS]][sha] = payload
        for shard, new in sorted(by_shard.items()):
            merged = {**self.read_shard(shard), **new}
            shas = sorted(merged)
            table = pa.table([shas, [merged[s] for s in shas]], schema=SCHEMA)
            path = self.shard_path(shard)
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            pq.write_table(table, tmp, compression="zstd", compression_level=1)
            os.replace(tmp, path)

    def drop_other_versions(self) -> None:
        """Forget what older code computed; it can never be read again."""
        if not self.step_dir.is_dir():
            return
        for other in self.step_dir.iterdir():
            if other.is_dir() and other != self.dir:
                shutil.rmtree(other, ignore_errors=True)
