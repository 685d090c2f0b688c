"""Step 3 of the flow: a document's clean text -> mentions with character spans.

Each extractor is a pure function ``Context -> list[Mention]``; they run in
the order below, each seeing what the earlier ones found. The result is
validated against the text, so no mention can point at words that are not
there.
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable

from pipeline.extract.context import Context
from pipeline.extract.model import Mention, validate

# Bump when any extractor's output may change: cached extraction results are
# keyed by document sha256 and this version.
EXTRACTOR_VERSION = "0.3.3"

Extractor = Callable[[Context], list[Mention]]


def extractors() -> list[Extractor]:
    from pipeline.extract import (
        objectives,
        organisations,
        programmes,
        projects,
        relations,
        territories,
    )

    return [
        programmes.extract_programmes,
        objectives.extract_objectives,
        territories.extract_territories,
        organisations.extract_organisations,
        projects.extract_projects,
        relations.link_mentions,
    ]


def extract_mentions(text: str, language: str = "und") -> list[Mention]:
    """All mentions in one document's cleaned text, sorted by position."""
    ctx = Context(text=text, language=language)
    for extractor in extractors():
        found = extractor(ctx)
        ctx.mentions.extend(found)
    return validate(text, ctx.mentions)


def build_reference_tables() -> None:
    """Build now, not on first use, every reference table, automaton and word
    pattern of the extractors: the functions of no argument they cache. A pool
    worker calls this before its first page (see ``pipeline.batch``)."""
    extractors()  # imports every extractor module
    for name, module in sorted(sys.modules.items()):
        if not name.startswith(f"{__name__}."):
            continue
        for value in list(vars(module).values()):
            if (
                hasattr(value, "cache_info")
                and value.__module__ == name
                and not inspect.signature(value).parameters
            ):
                value()
