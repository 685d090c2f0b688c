"""Shared fixtures: one build of the sample pages per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.build import BuildResult, run_build

REPO = Path(__file__).resolve().parent.parent
RAW = REPO / "raw"


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """A release built from raw/ into a temporary warehouse, shared by the session."""
    warehouse = tmp_path_factory.mktemp("warehouse")
    result = run_build(RAW, warehouse, version="test")
    assert result.success, result.error or [c.details for c in result.failed_checks]
    return result
