"""Resolve group: mentions from all documents -> records with stable IDs, as statements."""

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.metadata import table_out, table_output
from pipeline.frames import arrow_frame, frame_records
from pipeline.gc_pause import return_free_memory
from pipeline.overrides import Override, apply_overrides, load_overrides
from pipeline.resolve import Doc, Occurrence, forget_names, resolve_by_type
from pipeline.resources import PipelinePaths
from schemas.derive import records_frame
from schemas.tables import TABLES


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
    return_free_memory()  # what extraction freed: resolution needs it for Arrow and Python alike
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
    del statements, aliases
    forget_names()
    return_free_memory()


def resolved_frames(
    documents: pd.DataFrame, mentions: pd.DataFrame, overrides: list[Override]
) -> tuple[pd.DataFrame, pd.DataFrame, list[Override]]:
    """(statements, aliases, overrides that matched nothing) of the documents' mentions.

    At 10,000 pages the mentions as Python objects take hundreds of MB: only
    those of the type being resolved are built, and the statements are kept in
    Arrow.
    """
    resolved = resolve_by_type(occurrences_reader(documents, mentions))
    unmatched = apply_overrides(resolved, overrides)
    aliases = records_frame("aliases", resolved.aliases)
    # Declared columns and types, sorted as conform sorts (tests/test_frames.py checks
    # it): conform's pandas sort of a million statements took 3 s and 250 MB.
    statements = resolved.statements.table(sort_by=TABLES["statements"].order)
    del resolved
    return arrow_frame(statements), aliases, unmatched


# The columns of a stored mention read as they are; values and links are JSON.
MENTION_COLUMNS = ("doc_id", "char_start", "char_end", "quote", "rule", "canonical", "key")


def occurrences_reader(
    documents: pd.DataFrame, mentions: pd.DataFrame
) -> Callable[[str], list[Occurrence]]:
    """The mentions of one record type at a time, each in its document, as
    ``resolve_by_type`` asks for them: in document id order, then in the frame's
    order (the order ``resolve`` reads a document's mentions in)."""
    docs = {
        str(d["doc_id"]): Doc(str(d["doc_id"]), str(d["language"]), str(d["text"]))
        for d in frame_records(documents[["doc_id", "language", "text"]])
    }
    table = pa.Table.from_pandas(mentions, preserve_index=False)

    def occurrences_of(record_type: str) -> list[Occurrence]:
        rows = table.filter(pc.equal(table["record_type"], record_type))
        found = [
            Occurrence(
                docs[doc_id],
                record_type,
                start,
                end,
                quote,
                rule,
                canonical,
                key,
                [(v["field"], str(v["value"]), v["start"], v["end"], v["rule"]) for v in values],
                [(link["field"], *target_key(link["target"])) for link in links],
            )
            for doc_id, start, end, quote, rule, canonical, key, values, links in zip(
                *(rows[c].to_pylist() for c in MENTION_COLUMNS),
                parsed_json(rows["values_json"]),
                parsed_json(rows["links_json"]),
                strict=True,
            )
            if doc_id in docs
        ]
        found.sort(key=lambda o: o.doc.doc_id)  # stable: a document's mentions keep their order
        return found

    return occurrences_of


def target_key(target: dict) -> tuple[str, int, int]:
    return (target["record_type"], target["start"], target["end"])


def parsed_json(texts: pa.ChunkedArray) -> list:
    """``json.loads`` of each text, parsed as one JSON array: the per-call cost of
    hundreds of thousands of small ``loads`` was most of the parsing time."""
    one_list = pa.ListArray.from_arrays([0, len(texts)], texts.combine_chunks())
    joined = pc.binary_join(one_list, pa.scalar(",", texts.type))[0].as_py()
    return json.loads(f"[{joined}]")
