"""The raw/ listing: every file gets a status and a reason, nothing is read
that should not be, and odd names or special files never break the scan."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import signal
from pathlib import Path

import pytest

from pipeline import inventory
from pipeline.inventory import HashMemo, RawFile, doc_id_for, megabytes_to_bytes, scan

PAGE = "Le programme soutient des projets de coopération transfrontalière.\n"


def by_path(files: list[RawFile]) -> dict[str, RawFile]:
    return {f.path: f for f in files}


def test_every_file_is_listed_once_sorted_with_its_hash(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(PAGE + "b")
    (tmp_path / "a.txt").write_text(PAGE + "a")
    (tmp_path / "sub" / "c.html").write_text("<p>c</p>")
    files = scan(tmp_path)
    assert [f.path for f in files] == ["a.txt", "b.txt", "sub/c.html"]
    a = files[0]
    assert a.status == "read"
    assert a.sha256 == hashlib.sha256((PAGE + "a").encode()).hexdigest()
    assert a.size_bytes == len((PAGE + "a").encode())
    assert a.doc_id == doc_id_for(a.sha256)


@pytest.mark.parametrize(
    "name",
    [".hidden.txt", ".git/config", "page.txt~", "page.txt.bak", ".page.txt.swp", "#page.txt#"],
)
def test_hidden_files_and_editor_backups_are_ignored_and_listed(tmp_path, name):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(PAGE)
    (found,) = scan(tmp_path)
    assert found.path == name
    assert found.status == "ignored"
    assert found.reason in {"hidden file", "editor backup or temporary file"}
    assert found.sha256 is None


def test_same_content_under_two_names_is_one_document_with_both_sources(tmp_path):
    (tmp_path / "copy.txt").write_text(PAGE)
    (tmp_path / "original.txt").write_text(PAGE)
    files = by_path(scan(tmp_path))
    first, second = files["copy.txt"], files["original.txt"]
    assert first.status == "read"
    assert second.status == "duplicate"
    assert second.reason == "same content as copy.txt"
    assert first.doc_id == second.doc_id


@pytest.mark.parametrize(
    "name",
    [
        "page with spaces.txt",
        "Région Île-de-France – fiche.txt",
        "straße_ĳ_ø_ñ.txt",
        "quotes'\"`$(x);|&.txt",
        "new\nline.txt",
        "日本語.html",
        "a" * 200 + ".txt",
    ],
)
def test_odd_file_names_are_read(tmp_path, name):
    (tmp_path / name).write_text(PAGE)
    (found,) = scan(tmp_path)
    assert found.path == name
    assert found.status == "read"


def test_file_name_that_is_not_utf8_is_refused_with_a_printable_path(tmp_path):
    os.close(os.open(os.fsencode(tmp_path) + b"/caf\xe9.txt", os.O_CREAT | os.O_WRONLY))
    (found,) = scan(tmp_path)
    assert found.path == "caf\\xe9.txt"
    assert found.path.encode("utf-8")  # storable
    assert (found.status, found.reason) == ("refused", "file name is not valid UTF-8")


# --------------------------------------------------------------------- size


def test_file_over_the_size_limit_is_refused_unread(tmp_path, monkeypatch):
    (tmp_path / "big.txt").write_bytes(b"x" * 2000)
    (tmp_path / "small.txt").write_bytes(b"x" * 1000)
    hashed: list[Path] = []
    real = inventory.sha256_of
    monkeypatch.setattr(inventory, "sha256_of", lambda p: hashed.append(p) or real(p))
    files = by_path(scan(tmp_path, max_bytes=1000))
    assert files["big.txt"].status == "refused"
    assert files["big.txt"].size_bytes == 2000
    assert "over the limit" in str(files["big.txt"].reason)
    assert files["small.txt"].status == "read"
    assert [p.name for p in hashed] == ["small.txt"]


def test_size_limit_is_given_in_megabytes():
    assert megabytes_to_bytes(1) == 1024 * 1024
    assert megabytes_to_bytes(0.5) == 512 * 1024


# ------------------------------------------------------------ links and specials


class OpenRecorder:
    """Records every path opened through io.open or os.open."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.paths: list[str] = []
        real_io_open, real_os_open = io.open, os.open

        def io_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.paths.append(os.fsdecode(file) if not isinstance(file, int) else "")
            return real_io_open(file, *args, **kwargs)

        def os_open(path, *args, **kwargs):  # type: ignore[no-untyped-def]
            self.paths.append(os.fsdecode(path))
            return real_os_open(path, *args, **kwargs)

        monkeypatch.setattr(io, "open", io_open)
        monkeypatch.setattr(os, "open", os_open)

    def opened(self, target: Path) -> bool:
        return any(Path(p).resolve() == target.resolve() for p in self.paths if p)


@pytest.fixture
def alarm():
    """Fail instead of hanging if something opens a pipe for reading."""

    def fail(*_):  # type: ignore[no-untyped-def]
        raise TimeoutError("blocked opening a FIFO: a target was read")

    previous = signal.signal(signal.SIGALRM, fail)
    signal.alarm(10)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_link_pointing_outside_raw_is_refused_and_never_opened(tmp_path, monkeypatch, alarm):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    secret = outside / "secret.txt"
    secret.write_text(PAGE)
    fifo = outside / "pipe"
    os.mkfifo(fifo)
    (raw / "secret.txt").symlink_to(secret)
    (raw / "pipe.txt").symlink_to(fifo)
    (raw / "relative.txt").symlink_to(Path("..") / "outside" / "secret.txt")
    recorder = OpenRecorder(monkeypatch)
    files = scan(raw)
    assert {f.path: (f.status, f.reason) for f in files} == {
        name: ("refused", "symbolic link pointing outside raw/")
        for name in ("pipe.txt", "relative.txt", "secret.txt")
    }
    assert all(f.sha256 is None and f.size_bytes is None for f in files)
    assert not recorder.opened(secret)
    assert not recorder.opened(fifo)


def test_link_to_a_folder_is_listed_and_not_walked(tmp_path):
    raw, outside = tmp_path / "raw", tmp_path / "outside"
    raw.mkdir()
    outside.mkdir()
    (outside / "page.txt").write_text(PAGE)
    (raw / "linked").symlink_to(outside, target_is_directory=True)
    assert [(f.path, f.status) for f in scan(raw)] == [("linked", "refused")]


def test_link_inside_raw_reads_the_same_document(tmp_path):
    (tmp_path / "page.txt").write_text(PAGE)
    (tmp_path / "z-link.txt").symlink_to("page.txt")
    files = by_path(scan(tmp_path))
    assert files["page.txt"].status == "read"
    assert files["z-link.txt"].status == "duplicate"


def test_link_loop_and_broken_link_are_refused(tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    (tmp_path / "broken.txt").symlink_to(tmp_path / "missing.txt")
    files = {f.path: (f.status, f.reason) for f in scan(tmp_path)}
    assert files == {
        "a": ("refused", "symbolic link loop"),
        "b": ("refused", "symbolic link loop"),
        "broken.txt": ("refused", "broken symbolic link"),
    }


def test_pipe_inside_raw_is_refused_and_never_opened(tmp_path, monkeypatch, alarm):
    os.mkfifo(tmp_path / "pipe.txt")
    recorder = OpenRecorder(monkeypatch)
    (found,) = scan(tmp_path)
    assert (found.status, found.reason) == ("refused", "not a regular file")
    assert not recorder.opened(tmp_path / "pipe.txt")


def test_unreadable_file_is_refused_with_the_reason(tmp_path, monkeypatch):
    (tmp_path / "locked.txt").write_text(PAGE)
    (tmp_path / "open.txt").write_text(PAGE + "more")
    real = inventory.sha256_of

    def sha256_of(path: Path) -> str:
        if path.name == "locked.txt":  # tests run as root, where chmod 000 does not stop reads
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(inventory, "sha256_of", sha256_of)
    files = by_path(scan(tmp_path))
    assert files["locked.txt"].status == "refused"
    assert files["locked.txt"].reason == "cannot be read: Permission denied"
    assert files["open.txt"].status == "read"


def test_scan_is_deterministic(tmp_path):
    for i in range(20):
        (tmp_path / f"{(i * 7) % 20:02d}.txt").write_text(PAGE * (i % 3))
    assert scan(tmp_path) == scan(tmp_path)


# ------------------------------------------------------------ remembered hashes


class HashCounter:
    """Counts the files whose bytes the scan reads to hash them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.names: list[str] = []
        real = inventory.sha256_of

        def counting(path: Path) -> str:
            self.names.append(path.name)
            return real(path)

        monkeypatch.setattr(inventory, "sha256_of", counting)


def memo_scan(raw: Path, memo_file: Path, later_s: float = 10.0) -> list[RawFile]:
    """A scan with the memo, as if it started ``later_s`` seconds from now
    (files written by a test are otherwise too recent to be remembered)."""
    hashes = HashMemo(memo_file, raw)
    hashes.started_ns += int(later_s * 1e9)
    files = scan(raw, hashes=hashes)
    hashes.save()
    return files


@pytest.fixture
def pages(tmp_path) -> Path:
    raw = tmp_path / "raw"
    (raw / "sub").mkdir(parents=True)
    for name in ("a.txt", "b.txt", "sub/c.txt"):
        (raw / name).write_text(PAGE + name)
    (raw / ".hidden").write_text("x")
    return raw


def test_a_second_scan_reads_only_what_changed_and_lists_the_same(tmp_path, pages, monkeypatch):
    memo = tmp_path / "memo.json"
    first = memo_scan(pages, memo)
    assert first == scan(pages)
    counter = HashCounter(monkeypatch)
    assert memo_scan(pages, memo) == first and counter.names == []
    (pages / "b.txt").write_text(PAGE + "b, edited")
    (pages / "d.txt").write_text(PAGE + "new")
    again = memo_scan(pages, memo)
    assert sorted(counter.names) == ["b.txt", "d.txt"]
    assert again == scan(pages)


def test_an_edit_that_keeps_size_and_mtime_is_still_seen(tmp_path, pages):
    memo = tmp_path / "memo.json"
    memo_scan(pages, memo)
    page = pages / "a.txt"
    before = page.stat()
    page.write_text((PAGE + "a.txt").upper())  # same size
    os.utime(page, ns=(before.st_atime_ns, before.st_mtime_ns))  # mtime set back, as cp -p does
    assert page.stat().st_size == before.st_size and page.stat().st_mtime_ns == before.st_mtime_ns
    files = by_path(memo_scan(pages, memo))
    assert files["a.txt"].sha256 == hashlib.sha256(page.read_bytes()).hexdigest()


def test_a_file_hashed_right_after_a_change_is_not_remembered(tmp_path, pages, monkeypatch):
    memo = tmp_path / "memo.json"
    memo_scan(pages, memo, later_s=0)  # the pages were written just now
    counter = HashCounter(monkeypatch)
    memo_scan(pages, memo)
    assert sorted(counter.names) == ["a.txt", "b.txt", "c.txt"]


def test_a_memo_of_another_folder_or_a_damaged_one_is_not_used(tmp_path, pages, monkeypatch):
    memo = tmp_path / "memo.json"
    memo_scan(pages, memo)
    other = tmp_path / "other"
    shutil.copytree(pages, other)
    counter = HashCounter(monkeypatch)
    memo_scan(other, memo)
    assert sorted(counter.names) == ["a.txt", "b.txt", "c.txt"]
    memo.write_text("{not json")
    counter.names.clear()
    assert memo_scan(pages, memo) == scan(pages)
    assert len(counter.names) == 6  # three for the memo scan, three for the plain one
