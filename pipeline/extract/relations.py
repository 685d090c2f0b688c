"""Links between mentions of one document (placeholder until the linker lands)."""

from __future__ import annotations

from pipeline.extract.context import Context
from pipeline.extract.model import Mention


def link_mentions(ctx: Context) -> list[Mention]:
    return []
