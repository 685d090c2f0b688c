"""Step 1 of the flow: list every file under raw/ and say what becomes of it.

Nothing is skipped silently: hidden files and editor backups are listed as
ignored; links that lead outside raw/, special files (pipes, sockets),
unreadable files and files over the size limit are refused without their
content being read, each with its reason.
"""

from __future__ import annotations

import hashlib
import os
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


def scan(raw_dir: Path, max_bytes: int = megabytes_to_bytes(DEFAULT_MAX_FILE_MB)) -> list[RawFile]:
    """Every file below raw_dir, sorted by path, with a status and reason."""
    root = raw_dir.resolve()
    found: list[RawFile] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            full = Path(dirpath) / name
            found.append(_inspect(root, full, full.relative_to(root).as_posix(), max_bytes))
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
            out.append(replace(f, doc_id=doc_id))
    return out


def link_refusal(root: Path, link: Path) -> str | None:
    """Why a symbolic link may not be followed, if it may not. Its target is
    resolved by name only, never opened."""
    try:
        target = link.resolve()
    except (OSError, RuntimeError):
        return "symbolic link loop"
    return None if target.is_relative_to(root) else "symbolic link pointing outside raw/"


def _inspect(root: Path, full: Path, rel: str, max_bytes: int) -> RawFile:
    if printable_path(rel) != rel:
        return RawFile(printable_path(rel), None, None, "refused", "file name is not valid UTF-8")
    reason = ignore_reason(Path(rel))
    if full.is_symlink():
        refusal = link_refusal(root, full)
        if refusal:
            return RawFile(rel, None, None, "refused", refusal)
        if reason:
            return RawFile(rel, None, None, "ignored", reason)
    if not full.is_file():
        kind = "broken symbolic link" if full.is_symlink() else "not a regular file"
        return RawFile(rel, None, None, "refused", kind)
    try:
        size = full.stat().st_size
        if reason:
            return RawFile(rel, size, None, "ignored", reason)
        if size > max_bytes:
            limit = f"{max_bytes / 1024 / 1024:.4g} MB"
            return RawFile(rel, size, None, "refused", f"{size} bytes, over the limit of {limit}")
        return RawFile(rel, size, sha256_of(full), "read")
    except OSError as err:
        return RawFile(rel, None, None, "refused", f"cannot be read: {err.strerror or err}")
