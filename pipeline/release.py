"""Step 7 of the flow: checked tables -> an immutable, versioned release folder.

A release is written to a temporary folder beside the others, flushed to
disk, and renamed into place; then ``latest`` is switched to it by an atomic
rename of a symbolic link. A crash or kill at any moment leaves the previous
release and ``latest`` as they were; the temporary folder it leaves behind is
removed by the next publish.

The folder holds every published table as Parquet and spreadsheet-safe CSV,
a DuckDB database, the diff against the release ``latest`` pointed at before,
a quality report, a README, a citation, a DCAT-AP description, and
SHA256SUMS over all of it. Nothing in it depends on the clock.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
from collections.abc import Collection, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from pipeline import catalog
from pipeline.cache import fingerprint
from pipeline.catalog import (
    CATALOG_FILE,
    CHANGES_FILE,
    CHECKSUMS_FILE,
    CITATION_FILE,
    DATAPACKAGE_FILE,
    DICTIONARY_FILE,
    DIFF_FILE,
    DUCKDB_FILE,
    README_FILE,
    REPORT_FILE,
    sha256_file,
)
from pipeline.diff import (
    KeptRows,
    changes_markdown,
    consecutive_runs,
    listed_records,
    record_labels,
    release_diff,
)
from pipeline.report import quality_report
from pipeline.resources import arrow_to_frame, asset_path, frame_to_arrow, write_arrow_parquet
from schemas import package
from schemas.tables import PUBLISHED, TABLES

PIPELINE = Path(__file__).resolve().parent
# Which code wrote each release's CSV files (version -> fingerprint): beside the
# releases, not in them, since a release's files are what its checksums list.
CSV_WRITERS_FILE = ".csv-writers.json"
VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LATEST = "latest"
TMP_PREFIX, LINK_PREFIX = ".tmp-", ".latest-"
# OWASP, CSV injection: cells starting with these are run as formulas by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
# Python's csv module (QUOTE_MINIMAL, "\r\n" line ends) quotes a field holding one of these.
CSV_QUOTED_CHARACTERS = (b",", b'"', b"\r", b"\n")
CSV_QUOTED = '[,"\\r\\n]'
CSV_BATCH_ROWS = 65_536
CSV_BLOCK_BYTES = 1 << 24
# Beyond this many runs of unchanged rows, a changed table's CSV file is written whole
# rather than spliced from the previous release's (a run costs a seek and a write).
MAX_SPLICED_RUNS = 1024
# DuckDB's buffer cache may otherwise take most of the machine's memory while it loads the
# Parquet files: at 10,000 pages it held 290 MB beside the release's own; with this limit
# 140 MB, in the same time (it spills to disk beyond it).
DUCKDB_MEMORY_LIMIT = "128MB"


@dataclass(frozen=True)
class ReleaseTables:
    """The published tables as Arrow (the exact values the files hold) and as frames
    (what the report and README read)."""

    arrow: Mapping[str, pa.Table]
    frames: Mapping[str, pd.DataFrame]

    @classmethod
    def from_frames(cls, frames: Mapping[str, pd.DataFrame]) -> ReleaseTables:
        return cls({name: frame_to_arrow(name, frames[name]) for name in PUBLISHED}, frames)

    @classmethod
    def from_warehouse(cls, warehouse: Path) -> ReleaseTables:
        """The stored table assets, each file read once."""
        arrow = {name: pq.read_table(asset_path(warehouse, name)) for name in PUBLISHED}
        return cls(arrow, {name: arrow_to_frame(table) for name, table in arrow.items()})


class ReleaseExists(FileExistsError):
    """Releases are immutable: a version is published once."""


def next_version(releases_dir: Path, today: dt.date) -> str:
    """CalVer: YYYY.MM.DD, then YYYY.MM.DD.N for the N-th further release that day."""
    base = today.strftime("%Y.%m.%d")
    if not (releases_dir / base).exists():
        return base
    n = 1
    while (releases_dir / f"{base}.{n}").exists():
        n += 1
    return f"{base}.{n}"


def check_version(releases_dir: Path, version: str) -> None:
    if not VERSION.match(version) or version in {LATEST, ".", ".."}:
        raise ValueError(f"invalid release version {version!r}")
    if (releases_dir / version).exists():
        raise ReleaseExists(
            f"release {version} already exists in {releases_dir}; releases are immutable, "
            "choose another --version"
        )


def csv_field(values: pa.Array, formulas_neutralised: bool) -> pa.Array:
    """Each cell as the text of its CSV field, exactly as pandas' ``to_csv`` writes it
    (missing as empty, quoted when needed, quotes doubled), computed in Arrow; a
    test over the column's bytes skips the per-cell work where no cell needs it."""
    if pa.types.is_integer(values.type):
        return pc.fill_null(pc.cast(values, pa.string()), "")
    if not pa.types.is_string(values.type):
        raise TypeError(f"no CSV spelling for {values.type}: add one to csv_field")
    text = _text_buffer(values).to_pybytes()
    if formulas_neutralised and any(p.encode("utf-8") in text for p in FORMULA_PREFIXES):
        risky = pc.starts_with(values, FORMULA_PREFIXES[0])
        for prefix in FORMULA_PREFIXES[1:]:
            risky = pc.or_(risky, pc.starts_with(values, prefix))
        if pc.any(risky).as_py():
            values = pc.if_else(risky, pc.binary_join_element_wise("'", values, ""), values)
    if any(c in text for c in CSV_QUOTED_CHARACTERS):
        quoted = pc.match_substring_regex(values, CSV_QUOTED)
        if pc.any(quoted).as_py():
            doubled = pc.replace_substring(values, '"', '""')
            values = pc.if_else(quoted, pc.binary_join_element_wise('"', doubled, '"', ""), values)
    return pc.fill_null(values, "")


def csv_lines(name: str, table: pa.Table) -> Iterator[bytes | pa.Buffer]:
    """The header, then the rows in batches, as UTF-8 with CRLF line ends."""
    yield csv_header(name)
    yield from csv_rows(name, table)


def csv_header(name: str) -> bytes:
    return (",".join(TABLES[name].column_names) + "\r\n").encode("utf-8")


def csv_rows(name: str, table: pa.Table) -> Iterator[pa.Buffer]:
    """The rows' lines, a batch at a time."""
    columns = TABLES[name].column_names
    guarded = {c.name for c in TABLES[name].columns if c.type == "string"}
    for batch in table.select(columns).to_batches(CSV_BATCH_ROWS):
        fields = [csv_field(batch.column(column), column in guarded) for column in columns]
        line = pc.binary_join_element_wise(*fields, ",")
        yield _text_buffer(pc.binary_join_element_wise(line, "\r\n", ""))


def _text_buffer(values: pa.Array) -> pa.Buffer:
    """The text of a string array's cells, concatenated (nulls add nothing): a slice of
    its data buffer, not a copy."""
    if not len(values):
        return pa.py_buffer(b"")
    _, offsets, data = values.buffers()
    bounds = np.frombuffer(offsets, dtype=np.int32)
    return data[bounds[values.offset] : bounds[values.offset + len(values)]]


def write_csv(name: str, table: pa.Table, path: Path) -> str:
    """UTF-8, RFC 4180 (CRLF, quotes doubled), header row, formulas neutralised;
    returns the file's SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as handle:
        for chunk in csv_lines(name, table):
            handle.write(chunk)
            digest.update(chunk)
    return digest.hexdigest()


def csv_records(path: Path, block_bytes: int = CSV_BLOCK_BYTES) -> tuple[np.ndarray, str]:
    """Where each record of a CSV file starts, then where the file ends; and the file's
    SHA-256. A line end outside quotes ends a record, and a field's own quotes are
    doubled: the line ends with an even count of quotes before them end records."""
    digest = hashlib.sha256()
    bounds = [np.zeros(1, dtype=np.int64)]
    read = quotes_before = 0
    with path.open("rb") as handle:
        while block := handle.read(block_bytes):
            digest.update(block)
            data = np.frombuffer(block, dtype=np.uint8)
            quotes = np.flatnonzero(data == ord('"'))
            breaks = np.flatnonzero(data == ord("\n"))
            outside = (quotes_before + np.searchsorted(quotes, breaks)) % 2 == 0
            bounds.append(read + breaks[outside] + 1)
            quotes_before += len(quotes)
            read += len(block)
    return np.concatenate(bounds), digest.hexdigest()


def write_spliced_csv(
    name: str,
    table: pa.Table,
    path: Path,
    source: Path,
    before: pa.Table,
    kept: KeptRows,
    digest: str,
) -> str | None:
    """The CSV file of a changed table, the lines of its unchanged records copied from
    the previous release's file ``source`` (written from ``before``), the others
    written; its SHA-256. None, and no file, when ``source`` no longer has ``digest``,
    does not hold a line per row of ``before`` or has other columns, or when the kept
    records are cut into too many runs to be worth it."""
    columns = TABLES[name].column_names
    if not set(columns) <= set(before.schema.names) or [
        before.schema.field(c).type for c in columns
    ] != [table.schema.field(c).type for c in columns]:
        return None
    old_rows, new_rows = kept
    runs = consecutive_runs(old_rows, new_rows, MAX_SPLICED_RUNS)
    if runs is None or np.any(np.diff(new_rows) <= 0) or not source.is_file():
        return None
    bounds, found = csv_records(source)
    if found != digest or len(bounds) != before.num_rows + 2:
        return None
    written = hashlib.sha256()
    with path.open("wb") as handle, source.open("rb") as old:

        def emit(chunk: bytes | pa.Buffer) -> None:
            handle.write(chunk)
            written.update(chunk)

        def write_rows(start: int, stop: int) -> None:
            if stop > start:
                for chunk in csv_rows(name, table.slice(start, stop - start)):
                    emit(chunk)

        emit(csv_header(name))
        next_row = 0
        for first, count in runs:
            new_start, old_start = int(new_rows[first]), int(old_rows[first])
            write_rows(next_row, new_start)
            start, end = int(bounds[1 + old_start]), int(bounds[1 + old_start + count])
            old.seek(start)
            while start < end:
                block = old.read(min(CSV_BLOCK_BYTES, end - start))
                if not block:
                    raise OSError(f"{source} was cut short while it was copied")
                emit(block)
                start += len(block)
            next_row = new_start + count
        write_rows(next_row, table.num_rows)
    return written.hexdigest()


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_duckdb(
    folder: Path, names: list[str], written: Mapping[str, Future] | None = None
) -> None:
    """Every table from its Parquet file, with the declared descriptions as comments;
    with ``written``, each table as soon as its file is (its future is done)."""
    con = duckdb.connect(str(folder / DUCKDB_FILE), config={"memory_limit": DUCKDB_MEMORY_LIMIT})
    try:
        for name in names:
            if written is not None:
                written[name].result()
            parquet = _sql_text((folder / f"{name}.parquet").as_posix())
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({parquet})")
            con.execute(f"COMMENT ON TABLE {name} IS {_sql_text(TABLES[name].description)}")
            for col in TABLES[name].columns:
                con.execute(
                    f'COMMENT ON COLUMN {name}."{col.name}" IS {_sql_text(col.description)}'
                )
    finally:
        con.close()


def write_checksums(folder: Path, known: Mapping[str, str] | None = None) -> None:
    lines = [
        f"{entry.sha256}  {entry.name}\n"
        for entry in catalog.file_entries(folder, exclude=(CHECKSUMS_FILE,), known=known)
    ]
    (folder / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")


def latest_release(releases_dir: Path) -> Path | None:
    """The release folder ``latest`` points at, if it points at one."""
    link = releases_dir / LATEST
    target = link.resolve() if link.is_symlink() else None
    return target if target is not None and target.is_dir() else None


def read_release_tables(release: Path | None) -> dict[str, pa.Table] | None:
    """Every table of a release folder, from its Parquet files (None without a release)."""
    if release is None:
        return None
    return {p.stem: pq.read_table(p) for p in sorted(release.glob("*.parquet"))}


def write_diff(
    current: Mapping[str, pa.Table],
    before: Mapping[str, pa.Table] | None,
    folder: Path,
    version: str,
    previous_version: str | None,
    unchanged: Collection[str] = (),
    kept: dict[str, KeptRows] | None = None,
) -> None:
    """diff.json and CHANGES.md against the previous release's tables (or none); the
    tables in ``unchanged`` are known equal to their previous version. ``kept``
    receives the rows of the unchanged records of the tables compared."""
    keys = {name: table.primary_key for name, table in TABLES.items()}
    diff = release_diff(before, current, keys, version, previous_version, unchanged, kept)
    listed = listed_records(diff)
    labels = record_labels(before or {}, keys, listed) | record_labels(current, keys, listed)
    (folder / DIFF_FILE).write_text(catalog.json_text(diff), encoding="utf-8")
    (folder / CHANGES_FILE).write_text(changes_markdown(diff, labels), encoding="utf-8")


def copy_verified(source: Path, destination: Path, digest: str | None) -> str | None:
    """Copy a file whose content is known by its SHA-256; the digest when the copy
    has it, else None (and no copy): the caller then writes the file itself."""
    if digest is None or not source.is_file():
        return None
    shutil.copyfile(source, destination)
    if sha256_file(destination) == digest:
        return digest
    destination.unlink()
    return None


def write_parquet_file(table: pa.Table, path: Path) -> str:
    """One table's Parquet file; returns its SHA-256."""
    write_arrow_parquet(table, path)
    return sha256_file(path)


def write_csv_files(
    tables: Mapping[str, pa.Table],
    folder: Path,
    previous: Path | None,
    listed: Mapping[str, str],
    unchanged: Collection[str],
    before: Mapping[str, pa.Table] | None = None,
    kept: Future[dict[str, KeptRows]] | None = None,
) -> dict[str, str]:
    """<name>.csv of every published table; name -> SHA-256. From the previous release's
    file when it still has its listed checksum: copied when the table is unchanged,
    spliced with the lines of the changed records when ``kept`` (the diff, when it is
    done) gives the rows of the unchanged ones."""
    digests = {}
    for name in PUBLISHED:
        csv_file = f"{name}.csv"
        path, digest = folder / csv_file, listed.get(csv_file)
        reused = None
        if previous and name in unchanged:
            reused = copy_verified(previous / csv_file, path, digest)
        elif previous and before and name in before and kept and digest:
            rows = kept.result().get(name)
            if rows and len(rows[0]):  # some records were compared and found unchanged
                source = previous / csv_file
                reused = write_spliced_csv(
                    name, tables[name], path, source, before[name], rows, digest
                )
        digests[csv_file] = reused or write_csv(name, tables[name], path)
    return digests


def write_release(
    tables: Mapping[str, pd.DataFrame] | ReleaseTables,
    folder: Path,
    version: str,
    previous: Path | None,
    reuse_csv: bool = False,
) -> None:
    """Every file of a release, into ``folder``; SHA256SUMS last, over all the others.

    A table equal to its version in the previous release is not compared again;
    with ``reuse_csv`` (the previous release's CSV files were written by this
    code) it gets that release's CSV file when it still has its listed checksum.
    """
    if not isinstance(tables, ReleaseTables):
        tables = ReleaseTables.from_frames(tables)
    current, frames = tables.arrow, tables.frames
    # Parquet compression, DuckDB and the CSV kernels are native code that releases
    # the GIL: they run beside each other and beside the reading of the previous
    # release, the diff and the report in this thread; DuckDB loads each Parquet file
    # as soon as it is written.
    with ThreadPoolExecutor(max_workers=1) as parquet, ThreadPoolExecutor(2) as background:
        # the largest file first: DuckDB, which loads the files in their order, starts
        # once it is written (not beside it, when its memory would add to the peak)
        first = max(PUBLISHED, key=lambda name: current[name].num_rows)
        written = {
            name: parquet.submit(write_parquet_file, current[name], folder / f"{name}.parquet")
            for name in [first, *(name for name in PUBLISHED if name != first)]
        }
        database = background.submit(write_duckdb, folder, PUBLISHED, written)
        before = read_release_tables(previous)
        unchanged = {
            name
            for name in PUBLISHED
            if before and name in before and before[name].equals(current[name])
        }
        listed = catalog.read_checksums(previous) if previous else {}
        kept: Future[dict[str, KeptRows]] = Future()
        text = background.submit(
            write_csv_files,
            current,
            folder,
            previous if reuse_csv else None,
            listed,
            unchanged,
            before,
            kept,
        )
        rows: dict[str, KeptRows] = {}
        try:
            previous_version = previous.name if previous else None
            write_diff(current, before, folder, version, previous_version, unchanged, rows)
        finally:
            kept.set_result(rows)  # the CSV files of the changed tables wait for it
        datapackage = catalog.json_text(package.datapackage(version, PUBLISHED))
        (folder / DATAPACKAGE_FILE).write_text(datapackage, encoding="utf-8")
        (folder / DICTIONARY_FILE).write_text(package.data_dictionary(), encoding="utf-8")
        (folder / REPORT_FILE).write_text(quality_report(frames, version), encoding="utf-8")
        database.result()
        digests = text.result() | {f"{n}.parquet": f.result() for n, f in written.items()}
    info = catalog.load_dataset_info()
    (folder / CITATION_FILE).write_text(catalog.citation_cff(info, version), encoding="utf-8")
    files = sorted({p.name for p in folder.iterdir()} | {README_FILE, CATALOG_FILE, CHECKSUMS_FILE})
    readme = catalog.data_readme(info, version, frames, files, FORMULA_PREFIXES)
    (folder / README_FILE).write_text(readme, encoding="utf-8")
    entries = catalog.file_entries(folder, known=digests)
    description = catalog.dcat_description(info, version, frames, entries)
    (folder / CATALOG_FILE).write_text(catalog.json_text(description), encoding="utf-8")
    write_checksums(folder, digests)


def publish(
    tables: Mapping[str, pd.DataFrame] | ReleaseTables, releases_dir: Path, version: str
) -> Path:
    """Write every published table into releases_dir/version and point latest at it."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    check_version(releases_dir, version)
    remove_leftovers(releases_dir)
    previous = latest_release(releases_dir)
    reuse_csv = previous is not None and csv_writer_of(releases_dir, previous.name) == csv_writer()
    tmp = releases_dir / f"{TMP_PREFIX}{version}-{os.getpid()}"
    tmp.mkdir()
    try:
        write_release(tables, tmp, version, previous, reuse_csv)
        _sync_folder(tmp)
        final = releases_dir / version
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    record_csv_writer(releases_dir, version)
    point_latest(releases_dir, version)
    return final


def csv_writer() -> str:
    """A fingerprint of what decides a CSV file's bytes: this module, the table
    declarations and the Arrow version. A previous release's CSV lines are copied
    only when it matches, so a release never mixes two writers' formats."""
    return fingerprint((PIPELINE / "release.py", PIPELINE.parent / "schemas"), ("pyarrow",))


def csv_writer_of(releases_dir: Path, version: str) -> str | None:
    """The fingerprint recorded when the release was published (None: unknown)."""
    try:
        writers = json.loads((releases_dir / CSV_WRITERS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return writers.get(version) if isinstance(writers, dict) else None


def record_csv_writer(releases_dir: Path, version: str) -> None:
    path = releases_dir / CSV_WRITERS_FILE
    try:
        writers = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        writers = {}
    if not isinstance(writers, dict):
        writers = {}
    writers[version] = csv_writer()
    tmp = path.with_name(f"{path.name}.{os.getpid()}")
    tmp.write_text(json.dumps(writers, indent=1, sort_keys=True), encoding="utf-8")
    os.replace(tmp, path)


def point_latest(releases_dir: Path, version: str) -> None:
    link = releases_dir / LATEST
    tmp_link = releases_dir / f"{LINK_PREFIX}{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(version, target_is_directory=True)
    os.replace(tmp_link, link)
    _fsync(releases_dir)


def remove_leftovers(releases_dir: Path) -> list[str]:
    """Remove what a killed publish left behind (its process is gone); returns the names."""
    removed = []
    for path in sorted(releases_dir.iterdir()):
        if not path.name.startswith((TMP_PREFIX, LINK_PREFIX)):
            continue
        pid = path.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and _running(int(pid)):
            continue  # another publish is writing it now
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
        removed.append(path.name)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _sync_folder(folder: Path) -> None:
    """Flush every file and the folder itself, so the rename publishes complete files."""
    for path in sorted(folder.iterdir()):
        _fsync(path)
    _fsync(folder)


def _fsync(path: Path) -> None:
    """fsync a file or a folder (on a folder it makes renames inside it durable)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def diff_summary(folder: Path) -> dict[str, str | int]:
    """Counts from a release's diff.json, for the asset's metadata."""
    diff = json.loads((folder / DIFF_FILE).read_text(encoding="utf-8"))
    entries = [t for t in diff["tables"].values() if t.get("records_compared")]
    return {
        "previous_version": diff["previous_version"] or "none",
        **{
            f"records_{kind}": sum(len(t[f"records_{kind}"]) for t in entries)
            for kind in ("added", "removed", "changed")
        },
    }
