"""The benchmark's memory figure: the whole process tree, at the moment it was highest."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.bench import TreePeak, tree_rss_mb

pytestmark = pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="needs Linux /proc")

HOLD_200_MB = (
    "b = bytearray(200 * 2**20); b[::4096] = b'x' * len(b[::4096]); import time; time.sleep(30)"
)


def own_rss_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def test_tree_memory_counts_children():
    alone = tree_rss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", HOLD_200_MB])
    try:
        deadline = time.monotonic() + 20
        while (tree_rss_mb(os.getpid()) or 0) < alone + 190 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert tree_rss_mb(os.getpid()) >= alone + 190
        assert tree_rss_mb(child.pid) >= 190
    finally:
        child.kill()
        child.wait()


def test_peak_is_kept_after_memory_is_freed():
    before = own_rss_mb()
    with TreePeak(interval=0.02) as peak:
        block = bytearray(150 * 2**20)
        block[::4096] = b"x" * len(block[::4096])
        time.sleep(0.3)
        del block
        time.sleep(0.1)
    assert peak.peak_mb is not None
    assert peak.peak_mb >= before + 140
    assert own_rss_mb() < peak.peak_mb - 100


def test_unknown_process_has_no_memory():
    assert tree_rss_mb(2**22 + 12345) is None
