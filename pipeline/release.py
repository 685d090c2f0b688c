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
import json
import os
import re
import shutil
from collections.abc import Mapping
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq

from pipeline import catalog
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
)
from pipeline.diff import changes_markdown, record_labels, release_diff
from pipeline.report import quality_report
from pipeline.resources import frame_to_arrow, write_parquet
from schemas import package
from schemas.tables import PUBLISHED, TABLES

VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
LATEST = "latest"
TMP_PREFIX, LINK_PREFIX = ".tmp-", ".latest-"
# OWASP, CSV injection: cells starting with these are run as formulas by spreadsheets.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


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


def spreadsheet_safe(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells that a spreadsheet would run as a formula get a leading single quote."""
    out = frame.copy()
    for column in TABLES[name].columns:
        if column.type != "string" or column.name not in out.columns:
            continue
        values = out[column.name].astype("string")
        risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
        out[column.name] = values.mask(risky, "'" + values)
    return out


def write_csv(name: str, frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, RFC 4180 (CRLF, quotes doubled), header row, formulas neutralised."""
    safe = spreadsheet_safe(name, frame[TABLES[name].column_names])
    safe.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def write_duckdb(folder: Path, names: list[str]) -> None:
    """Every table from its Parquet file, with the declared descriptions as comments."""
    con = duckdb.connect(str(folder / DUCKDB_FILE))
    try:
        for name in names:
            parquet = _sql_text((folder / f"{name}.parquet").as_posix())
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet({parquet})")
            con.execute(f"COMMENT ON TABLE {name} IS {_sql_text(TABLES[name].description)}")
            for col in TABLES[name].columns:
                con.execute(
                    f'COMMENT ON COLUMN {name}."{col.name}" IS {_sql_text(col.description)}'
                )
    finally:
        con.close()


def write_checksums(folder: Path) -> None:
    lines = [
        f"{entry.sha256}  {entry.name}\n"
        for entry in catalog.file_entries(folder, exclude=(CHECKSUMS_FILE,))
    ]
    (folder / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")


def latest_release(releases_dir: Path) -> Path | None:
    """The release folder ``latest`` points at, if it points at one."""
    link = releases_dir / LATEST
    target = link.resolve() if link.is_symlink() else None
    return target if target is not None and target.is_dir() else None


def write_diff(
    tables: Mapping[str, pd.DataFrame], folder: Path, version: str, previous: Path | None
) -> None:
    """diff.json and CHANGES.md against the previous release (or none)."""
    current = {name: frame_to_arrow(name, tables[name]) for name in PUBLISHED}
    before = (
        {p.stem: pq.read_table(p) for p in sorted(previous.glob("*.parquet"))} if previous else None
    )
    keys = {name: table.primary_key for name, table in TABLES.items()}
    diff = release_diff(before, current, keys, version, previous.name if previous else None)
    labels = record_labels(before or {}, keys) | record_labels(current, keys)
    (folder / DIFF_FILE).write_text(catalog.json_text(diff), encoding="utf-8")
    (folder / CHANGES_FILE).write_text(changes_markdown(diff, labels), encoding="utf-8")


def write_release(
    tables: Mapping[str, pd.DataFrame], folder: Path, version: str, previous: Path | None
) -> None:
    """Every file of a release, into ``folder``; SHA256SUMS last, over all the others."""
    for name in PUBLISHED:
        write_parquet(name, tables[name], folder / f"{name}.parquet")
        write_csv(name, tables[name], folder / f"{name}.csv")
    write_duckdb(folder, PUBLISHED)
    datapackage = catalog.json_text(package.datapackage(version, PUBLISHED))
    (folder / DATAPACKAGE_FILE).write_text(datapackage, encoding="utf-8")
    (folder / DICTIONARY_FILE).write_text(package.data_dictionary(), encoding="utf-8")
    write_diff(tables, folder, version, previous)
    (folder / REPORT_FILE).write_text(quality_report(tables, version), encoding="utf-8")
    info = catalog.load_dataset_info()
    (folder / CITATION_FILE).write_text(catalog.citation_cff(info, version), encoding="utf-8")
    files = sorted({p.name for p in folder.iterdir()} | {README_FILE, CATALOG_FILE, CHECKSUMS_FILE})
    readme = catalog.data_readme(info, version, tables, files, FORMULA_PREFIXES)
    (folder / README_FILE).write_text(readme, encoding="utf-8")
    entries = catalog.file_entries(folder)
    description = catalog.dcat_description(info, version, tables, entries)
    (folder / CATALOG_FILE).write_text(catalog.json_text(description), encoding="utf-8")
    write_checksums(folder)


def publish(tables: Mapping[str, pd.DataFrame], releases_dir: Path, version: str) -> Path:
    """Write every published table into releases_dir/version and point latest at it."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    check_version(releases_dir, version)
    remove_leftovers(releases_dir)
    previous = latest_release(releases_dir)
    tmp = releases_dir / f"{TMP_PREFIX}{version}-{os.getpid()}"
    tmp.mkdir()
    try:
        write_release(tables, tmp, version, previous)
        _sync_folder(tmp)
        final = releases_dir / version
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    point_latest(releases_dir, version)
    return final


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
