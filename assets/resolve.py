"""Resolve group: mentions from all documents -> records with stable IDs, as statements."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pandas as pd

from assets.metadata import definition_metadata, table_output
from pipeline.extract.model import from_row
from pipeline.overrides import apply_overrides, load_overrides
from pipeline.resolve import DocMentions, resolve
from pipeline.resources import PipelinePaths
from schemas.derive import records_frame


@dg.multi_asset(
    group_name="resolve",
    outs={
        "statements": dg.AssetOut(
            kinds={"pandas", "parquet"},
            metadata=definition_metadata("statements"),
            description="Every published value with its provenance (record, field, value, "
            "document, offsets, quote, extractor); the record tables are derived from it.",
        ),
        "aliases": dg.AssetOut(
            kinds={"pandas", "parquet"},
            metadata=definition_metadata("aliases"),
            description="Every name of every record, with its language and kind.",
        ),
    },
)
def entities(
    context: dg.AssetExecutionContext,
    paths: PipelinePaths,
    documents: pd.DataFrame,
    mentions: pd.DataFrame,
) -> Iterator[dg.Output]:
    by_doc: dict[str, list] = {}
    for row in mentions.to_dict("records"):
        by_doc.setdefault(str(row["doc_id"]), []).append(from_row(row))
    docs = [
        DocMentions(
            str(d["doc_id"]), str(d["language"]), str(d["text"]), by_doc.get(d["doc_id"], [])
        )
        for d in documents[["doc_id", "language", "text"]].to_dict("records")
    ]
    result, unmatched = apply_overrides(resolve(docs), load_overrides(Path(paths.overrides_file)))
    for o in unmatched:
        context.log.warning(f"override matches no record: {o.describe()} ({o.reason})")
    statements = records_frame("statements", [s.as_row() for s in result.statements])
    aliases = records_frame("aliases", result.aliases)
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
