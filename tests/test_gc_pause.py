"""The cycle collector is paused inside the block and restored after, even on error."""

from __future__ import annotations

import ctypes
import gc

import pyarrow as pa
import pytest

from pipeline.gc_pause import paused_gc, return_free_memory, use_jemalloc_for_arrow


def test_collector_paused_inside_and_restored_after():
    assert gc.isenabled()
    with paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()


def test_collector_restored_when_the_block_raises():
    with pytest.raises(ValueError), paused_gc():
        raise ValueError("boom")
    assert gc.isenabled()


def test_a_collector_off_before_stays_off():
    gc.disable()
    try:
        with paused_gc():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_as_a_decorator():
    @paused_gc()
    def state() -> bool:
        return gc.isenabled()

    assert state() is False
    assert gc.isenabled()


def test_returning_free_memory_is_safe_without_glibc(monkeypatch):
    return_free_memory()

    def no_libc(name: str) -> None:
        raise OSError(f"{name}: not found")

    monkeypatch.setattr(ctypes, "CDLL", no_libc)
    return_free_memory()  # Arrow's pool is still released; malloc_trim is skipped


@pytest.fixture
def arrow_pool():
    """The test may switch Arrow's pool: the one it had is put back after."""
    pool = pa.default_memory_pool()
    yield
    pa.set_memory_pool(pool)


def test_arrow_allocates_from_jemalloc_when_it_can(monkeypatch, arrow_pool):
    monkeypatch.delenv("ARROW_DEFAULT_MEMORY_POOL", raising=False)
    pa.set_memory_pool(pa.system_memory_pool())
    use_jemalloc_for_arrow()
    try:
        expected = pa.jemalloc_memory_pool().backend_name
    except NotImplementedError:
        expected = "system"
    assert pa.default_memory_pool().backend_name == expected


def test_a_pool_chosen_by_the_environment_is_kept(monkeypatch, arrow_pool):
    monkeypatch.setenv("ARROW_DEFAULT_MEMORY_POOL", "system")
    pa.set_memory_pool(pa.system_memory_pool())
    use_jemalloc_for_arrow()
    assert pa.default_memory_pool().backend_name == "system"
