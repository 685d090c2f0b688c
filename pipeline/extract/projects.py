"""Extraction of projects mentions (placeholder until the extractor lands)."""

from __future__ import annotations

from pipeline.extract.context import Context
from pipeline.extract.model import Mention


def extract_projects(ctx: Context) -> list[Mention]:
    return []
