"""Results of per-document steps, stored by document sha256 and code version.

Parsing a page and extracting its mentions are pure functions of the page's
bytes and of the code and reference data that do the work. Their results are
kept under ``<warehouse>/cache/<step>/<version>/``, so a rebuild after one
page of 10,000 changed parses and extracts that one page only.

The version of a step is its declared version (``EXTRACTOR_VERSION`` for
extraction) plus a fingerprint of its source files and reference data: a
bumped version or an edited extractor both start a fresh cache, and nobody
has to remember to bump anything for stale results to be ignored.

An entry is one row of Arrow columns (the sha256, then the step's result
columns), so that a rebuild reads its 10,000 entries as Arrow tables and
concatenates them: no per-entry decoding. Entries are sharded by the first
hex digit of the sha256 into 16 Arrow IPC files, LZ4-compressed (the
mentions of 10,000 pages read in 0.1 s; as Parquet, 0.6 s; zstd halves the
size and doubles the time), each replaced atomically under a lock file, so
that builds or shard steps writing at once keep each other's entries (on a
filesystem without ``flock`` an entry could be lost, and computed again next
time; never corrupted).
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
from collections.abc import Iterable
from contextlib import suppress
from functools import cache
from importlib import metadata
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.ipc as ipc

PIPELINE = Path(__file__).resolve().parent
# 16 shards: at 10,000 pages one holds the mentions of 600 pages (2 MB), rewritten
# in 20 ms when one of them changes; 256 smaller files took 4 times longer to
# write all and twice as long to read.
SHARD_DIGITS = 1
# Part of every version directory's name: a change in how entries are laid
# out (this module's, not the steps') must never read a shard of the old one.
STORAGE = "arrow1"
KEY = pa.field("sha256", pa.string(), nullable=False)


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
    """Results of one step, keyed by document sha256, for one version: one row
    per entry, of ``columns`` after the ``sha256``."""

    def __init__(self, root: Path, step: str, version: str, columns: Iterable[pa.Field]):
        self.step_dir = root / step
        self.dir = self.step_dir / f"{version}.{STORAGE}"
        self.schema = pa.schema([KEY, *columns])

    def shard_path(self, shard: str) -> Path:
        return self.dir / f"{shard}.arrow"

    def read_shard(self, shard: str) -> pa.Table:
        """The shard's entries, sorted by sha256; none if it is missing or damaged
        (a damaged shard is a cache miss, recomputed and rewritten)."""
        path = self.shard_path(shard)
        if not path.is_file():
            return self.schema.empty_table()
        try:
            with pa.OSFile(str(path)) as source:
                table = ipc.open_file(source).read_all()
        except (OSError, pa.ArrowInvalid):
            return self.schema.empty_table()
        return table if table.schema.equals(self.schema) else self.schema.empty_table()

    def get(self, shas: Iterable[str]) -> pa.Table:
        """The entries stored for these sha256s (missing ones are absent), in
        sha256 order."""
        wanted: dict[str, list[str]] = {}
        for sha in sorted(set(shas)):
            wanted.setdefault(sha[:SHARD_DIGITS], []).append(sha)
        parts = [self.schema.empty_table()]
        for shard, in_shard in wanted.items():
            stored = self.read_shard(shard)
            wanted_rows = pc.is_in(stored["sha256"], pa.array(in_shard, pa.string()))
            if not pc.all(wanted_rows).as_py():  # a rebuild wants them all: no copy then
                stored = stored.filter(wanted_rows)
            parts.append(stored)
        return pa.concat_tables(parts)

    def put(self, entries: pa.Table) -> None:
        """Add or replace entries (a table of this cache's schema; of repeated
        sha256s the last counts); each touched shard is rewritten atomically."""
        if not entries.num_rows:
            return
        self.dir.mkdir(parents=True, exist_ok=True)
        # One copy in sha256 order, then each shard is a slice of it: a take
        # per shard would combine the chunks of the whole table each time.
        order = pc.sort_indices(entries["sha256"]).to_pylist()
        shas = entries["sha256"].take(order).to_pylist()
        last = [
            row for row in range(len(shas)) if row + 1 == len(shas) or shas[row + 1] != shas[row]
        ]
        if len(last) < len(shas):
            order, shas = [order[row] for row in last], [shas[row] for row in last]
        ordered = entries.cast(self.schema).take(order)
        start = 0
        while start < len(shas):
            shard = shas[start][:SHARD_DIGITS]
            end = start
            while end < len(shas) and shas[end].startswith(shard):
                end += 1
            self.write_shard(shard, ordered.slice(start, end - start))
            start = end

    def write_shard(self, shard: str, new: pa.Table) -> None:
        """Merge new entries (sorted by sha256) into a shard, atomically, one
        writer at a time: the shard steps of ``extract_shards`` all write every
        shard, and without the lock each could drop the others' entries."""
        path = self.shard_path(shard)
        with open(path.with_name(f".{path.name}.lock"), "w") as lock:
            with suppress(OSError):  # no locks on this filesystem: written unlocked
                fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
            old = self.read_shard(shard)
            if old.num_rows:
                kept = old.filter(pc.invert(pc.is_in(old["sha256"], new["sha256"])))
                merged = pa.concat_tables([kept, new])
                new = merged.take(pc.sort_indices(merged["sha256"]))
            tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
            options = ipc.IpcWriteOptions(compression="lz4")
            with ipc.new_file(str(tmp), self.schema, options=options) as out:
                out.write_table(new)
            os.replace(tmp, path)

    def drop_other_versions(self) -> None:
        """Forget what older code computed; it can never be read again."""
        if not self.step_dir.is_dir():
            return
        for other in self.step_dir.iterdir():
            if other.is_dir() and other != self.dir:
                shutil.rmtree(other, ignore_errors=True)
