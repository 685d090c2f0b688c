"""Extraction of organisations mentions (placeholder until the extractor lands)."""

from __future__ import annotations

from pipeline.extract.context import Context
from pipeline.extract.model import Mention


def extract_organisations(ctx: Context) -> list[Mention]:
    return []
