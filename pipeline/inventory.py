"""Step 1 of the flow: list every file under raw/ and say what becomes of it.

Nothing is skipped silently: hidden files and editor backups are listed as
ignored; links that lead outside raw/, special files (pipes, sockets),
unreadable files and files over the size limit are refused without their
content being read, each with its reason.

Hashing reads every byte of raw/; a ``HashMemo`` lets a rebuild skip the
files that have not changed since the previous scan (git's index does the
same, for the same reason).
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import time
from dataclasses import dataclass, replace
from pathlib import Path

# Pages are a few kB to a few hundred kB; a file this large is not a captured
# page. Configurable per build (PipelinePaths.max_file_mb, --max-file-mb).
DEFAULT_MAX_FILE_MB = 20.0
BACKUP_SUFFIXES = ("~", ".bak", ".swp", ".swo", ".tmp", ".orig", ".rej")


@dataclass(frozen=True)
class RawFile:
    path: str  # relative to raw/, POSIX separators
    size_bytes: int | None
    sha256: str | None
    status: str  # read, duplicate, ignored, refused (see schemas.tables.RAW_FILES)
    reason: str | None = None
    doc_id: str | None = None


def megabytes_to_bytes(megabytes: float) -> int:
    return int(megabytes * 1024 * 1024)


def doc_id_for(sha256: str) -> str:
    """A document is its bytes: the same content under two names is one document."""
    return f"doc-{sha256[:16]}"


def ignore_reason(rel: Path) -> str | None:
    """Why a file is not a document at all, judging from its name only."""
    if any(part.startswith(".") for part in rel.parts):
        return "hidden file"
    name = rel.name
    if name.endswith(BACKUP_SUFFIXES) or (name.startswith("#") and name.endswith("#")):
        return "editor backup or temporary file"
    if name.lower() in {"readme.md", "readme.txt", "readme"}:
        return "folder README, not a captured page"
    return None


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def printable_path(rel: str) -> str:
    """The path as valid UTF-8: bytes that are not (Linux allows any) are shown
    as \\xNN escapes, so the name can be stored and reported."""
    return os.fsencode(rel).decode("utf-8", "backslashreplace")


# A file that last changed this close to the start of the scan hashing it is
# not remembered: a second write within the same timestamp tick would leave
# its stamp as it was (git calls such entries "racily clean"). Two seconds
# cover coarse kernel clocks and filesystems that keep whole seconds.
RACY_MARGIN_NS = 2_000_000_000


class HashMemo:
    """The sha256 of each file of raw/ with the stat stamp it had when hashed,
    kept in one JSON file between scans.

    A file whose device, inode, size, modification and status-change times
    (ns) are those it had when hashed is taken to hold the same bytes, as in
    git's index. Changing a file's content changes its status-change time
    (ctime), which nothing in user space can set back (``touch -d`` and
    ``cp -p`` restore the mtime only), and a new file on a reused inode gets a
    new one. The trade-off: on a filesystem that does not keep ctime (some
    FUSE or network mounts) or after the clock was set back, an edited file
    could keep its old hash, and so its old document. Deleting the memo file
    (under ``<warehouse>/cache/``) makes the next scan hash everything.
    """

    def __init__(self, file: Path, raw_dir: Path):
        self.file = file
        self.root = str(raw_dir.resolve())
        self.started_ns = time.time_ns()
        self.known: dict[str, list] = {}
        self.seen: dict[str, list] = {}
        try:
            stored = json.loads(file.read_text())
        except (OSError, ValueError):
            return  # no memo, or a damaged one: every file is hashed
        if isinstance(stored, dict) and stored.get("root") == self.root:
            self.known = stored["files"]

    def sha256(self, rel: str, full: Path, status: os.stat_result) -> str:
        """The file's sha256: remembered if its stamp is unchanged, else read."""
        stamp = [
            status.st_dev,
            status.st_ino,
            status.st_size,
            status.st_mtime_ns,
            status.st_ctime_ns,
        ]
        known = self.known.get(rel)
        sha = known[-1] if known and known[:-1] == stamp else sha256_of(full)
        if max(status.st_mtime_ns, status.st_ctime_ns) < self.started_ns - RACY_MARGIN_NS:
            self.seen[rel] = [*stamp, sha]
        return sha

    def save(self) -> None:
        """Keep what this scan hashed (and only that: deleted files are forgotten)."""
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
        tmp.write_text(json.dumps({"root": self.root, "files": self.seen}, sort_keys=True))
        os.replace(tmp, self.file)


def scan(
    raw_dir: Path,
    max_bytes: int = megabytes_to_bytes(DEFAULT_MAX_FILE_MB),
    hashes: HashMemo | None = None,
) -> list[RawFile]:
    """Every file below raw_dir, sorted by path, with a status and reason;
    ``hashes`` spares reading the files unchanged since it was saved."""
    root = raw_dir.resolve()
    found: list[RawFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        folder = Path(dirpath)
        prefix = folder.relative_to(root).as_posix() + "/" if folder != root else ""
        for name in sorted(filenames):
            found.append(_inspect(root, folder / name, prefix + name, max_bytes, hashes))
        # Linked directories are listed as entries of their own, never walked.
        for name in dirnames:
            full = Path(dirpath) / name
            if full.is_symlink():
                rel = printable_path(full.relative_to(root).as_posix())
                found.append(RawFile(rel, None, None, "refused", "symbolic link to a folder"))
    return mark_duplicates(sorted(found, key=lambda f: f.path))


def mark_duplicates(files: list[RawFile]) -> list[RawFile]:
    """The same bytes under several names are one document: the first path
    in sort order is read, the others point at its document."""
    first_path: dict[str, str] = {}
    out = []
    for f in files:
        if f.status != "read" or f.sha256 is None:
            out.append(f)
            continue
        doc_id = doc_id_for(f.sha256)
        if f.sha256 in first_path:
            reason = f"same content as {first_path[f.sha256]}"
            out.append(replace(f, status="duplicate", reason=reason, doc_id=doc_id))
        else:
            first_path[f.sha256] = f.path
            # not ``replace``, which inspects the fields each time: 10,000 of these
            out.append(RawFile(f.path, f.size_bytes, f.sha256, f.status, f.reason, doc_id))
    return out


def link_refusal(root: Path, link: Path) -> str | None:
    """Why a symbolic link may not be followed, if it may not. Its target is
    resolved by name only, never opened."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):
        return "symbolic link loop"
    return None if target.is_relative_to(root) else "symbolic link pointing outside raw/"


def _inspect(root: Path, full: Path, rel: str, max_bytes: int, hashes: HashMemo | None) -> RawFile:
    if printable_path(rel) != rel:
        return RawFile(printable_path(rel), None, None, "refused", "file name is not valid UTF-8")
    reason = ignore_reason(Path(rel))
    link = os.path.islink(full)  # one lstat; Path.is_symlink costs twice as much
    if link:
        refusal = link_refusal(root, full)
        if refusal:
            return RawFile(rel, None, None, "refused", refusal)
        if reason:
            return RawFile(rel, None, None, "ignored", reason)
    try:
        status = full.stat()  # of the link's target, for a link
    except OSError:
        status = None
    if status is None or not stat.S_ISREG(status.st_mode):
        kind = "broken symbolic link" if link else "not a regular file"
        return RawFile(rel, None, None, "refused", kind)
    size = status.st_size
    if reason:
        return RawFile(rel, size, None, "ignored", reason)
    if size > max_bytes:
        limit = f"{max_bytes / 1024 / 1024:.4g} MB"
        return RawFile(rel, size, None, "refused", f"{size} bytes, over the limit of {limit}")
    try:
        sha = hashes.sha256(rel, full, status) if hashes else sha256_of(full)
    except OSError as err:
        return RawFile(rel, None, None, "refused", f"cannot be read: {err.strerror or err}")
    return RawFile(rel, size, sha, "read")
