"""Step 7 of the flow: checked tables -> an immutable, versioned release folder.

A release is written to a temporary folder beside the others and renamed
into place, then ``latest`` is switched to it by an atomic rename of a
symbolic link: a crash at any moment leaves the previous release and
``latest`` as they were.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from pipeline.resources import write_parquet
from schemas.tables import PUBLISHED

VERSION = re.compile(r"^\d{4}\.\d{2}\.\d{2}(\.\d+)?$|^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
DUCKDB_FILE = "cooperation.duckdb"
CHECKSUMS_FILE = "SHA256SUMS"


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
    if not VERSION.match(version) or version in {"latest", ".", ".."}:
        raise ValueError(f"invalid release version {version!r}")
    if (releases_dir / version).exists():
        raise ReleaseExists(
            f"release {version} already exists in {releases_dir}; releases are immutable, "
            "choose another --version"
        )


def write_csv(frame: pd.DataFrame, path: Path) -> None:
    """UTF-8, RFC 4180 (CRLF, quotes doubled), header row."""
    frame.to_csv(path, index=False, encoding="utf-8", lineterminator="\r\n")


def write_duckdb(folder: Path, names: list[str]) -> None:
    con = duckdb.connect(str(folder / DUCKDB_FILE))
    try:
        for name in names:
            parquet = (folder / f"{name}.parquet").as_posix().replace("'", "''")
            con.execute(f"CREATE TABLE {name} AS SELECT * FROM read_parquet('{parquet}')")
    finally:
        con.close()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_checksums(folder: Path) -> None:
    lines = [
        f"{sha256_file(p)}  {p.name}\n"
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name != CHECKSUMS_FILE
    ]
    (folder / CHECKSUMS_FILE).write_text("".join(lines), encoding="utf-8")


def publish(tables: dict[str, pd.DataFrame], releases_dir: Path, version: str) -> Path:
    """Write every published table into releases_dir/version and point latest at it."""
    releases_dir.mkdir(parents=True, exist_ok=True)
    check_version(releases_dir, version)
    tmp = releases_dir / f".tmp-{version}-{os.getpid()}"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir()
    try:
        for name in PUBLISHED:
            write_parquet(name, tables[name], tmp / f"{name}.parquet")
            write_csv(tables[name], tmp / f"{name}.csv")
        write_duckdb(tmp, PUBLISHED)
        write_checksums(tmp)
        final = releases_dir / version
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    point_latest(releases_dir, version)
    return final


def point_latest(releases_dir: Path, version: str) -> None:
    link = releases_dir / "latest"
    tmp_link = releases_dir / f".latest-{os.getpid()}"
    if tmp_link.is_symlink() or tmp_link.exists():
        tmp_link.unlink()
    tmp_link.symlink_to(version, target_is_directory=True)
    os.replace(tmp_link, link)
