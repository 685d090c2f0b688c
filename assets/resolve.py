"""Resolve group: mentions from all documents -> records with stable IDs, as statements."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.metadata import table_out, table_output
from pipeline.extract.model import from_row
from pipeline.frames import frame_records, iter_records
from pipeline.gc_pause import paused_gc
from pipeline.overrides import Override, apply_overrides, load_overrides
from pipeline.resolve import DocMentions, resolve, statement_columns
from pipeline.resources import PipelinePaths
from schemas.derive import conform, records_frame


@dg.multi_asset(
    group_name="resolve",
    outs={"statements": table_out("statements"), "aliases": table_out("aliases")},
)
def entities(
    context: dg.AssetExecutionContext,
    paths: PipelinePaths,
    documents: pd.DataFrame,
    mentions: pd.DataFrame,
) -> Iterator[dg.Output]:
    statements, aliases, unmatched = resolved_frames(
        documents, mentions, load_overrides(Path(paths.overrides_file))
    )
    for o in unmatched:
        context.log.warning(f"override matches no record: {o.describe()} ({o.reason})")
    n_records = statements["record_id"].nunique()
    context.log.info(f"entities: {n_records} records, {len(statements)} statements")
    yield table_output(
        "statements",
        statements,
        records=n_records,
        overrides_applied=int((statements["extractor"] == "override").sum()),
        overrides_unmatched=len(unmatched),
    )
    yield table_output("aliases", aliases)


@paused_gc()
def resolved_frames(
    documents: pd.DataFrame, mentions: pd.DataFrame, overrides: list[Override]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Override]]:
    """(statements, aliases, overrides that matched nothing) of the documents' mentions.

    At 10,000 pages every copy of the mentions or statements is hundreds of MB:
    each is dropped as soon as the next form is built.
    """
    by_doc: dict[str, list] = {}
    for row in iter_records(mentions):
        by_doc.setdefault(str(row["doc_id"]), []).append(from_row(row))
    docs = [
        DocMentions(
            str(d["doc_id"]), str(d["language"]), str(d["text"]), by_doc.get(d["doc_id"], [])
        )
        for d in frame_records(documents[["doc_id", "language", "text"]])
    ]
    del by_doc
    resolved = resolve(docs)
    del docs
    result, unmatched = apply_overrides(resolved, overrides)
    # overrides append statements: the ids of the resolved ones are known already
    same = len(result.statements) >= len(resolved.statements) and all(
        a is b for a, b in zip(result.statements, resolved.statements, strict=False)
    )
    known_ids = resolved.statement_ids if same else []
    del resolved
    aliases = records_frame("aliases", result.aliases)
    columns = statement_columns(result.statements, known_ids)
    del result, known_ids
    return conform("statements", pd.DataFrame(columns)), aliases, unmatched
