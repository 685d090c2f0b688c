"""Resolve group: mentions from all documents -> records with stable IDs, as statements."""

from collections.abc import Callable, Iterator
from pathlib import Path

import dagster as dg
import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from assets.metadata import table_out, table_output
from pipeline.frames import arrow_frame, frame_records
from pipeline.gc_pause import return_free_memory
from pipeline.overrides import Override, apply_overrides, load_overrides
from pipeline.resolve import (
    LINK_TYPE,
    MENTION_SCHEMA,
    VALUE_TYPE,
    Doc,
    TypeMentions,
    forget_names,
    resolve_by_type,
)
from pipeline.resources import PipelinePaths
from schemas.derive import records_frame


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
    statements = resolved.statements.table()
    del resolved
    return arrow_frame(statements), aliases, unmatched


def occurrences_reader(
    documents: pd.DataFrame, mentions: pd.DataFrame
) -> Callable[[str], TypeMentions]:
    """The mentions of one record type at a time, each in its document, as
    ``resolve_by_type`` asks for them: in document id order, then in the frame's
    order (the order ``resolve`` reads a document's mentions in)."""
    docs = {
        str(d["doc_id"]): Doc(str(d["doc_id"]), str(d["language"]), str(d["text"]))
        for d in frame_records(documents[["doc_id", "language", "text"]])
    }
    table = pa.Table.from_pandas(mentions, preserve_index=False)
    known = pc.is_in(table["doc_id"], pa.array(list(docs), table.schema.field("doc_id").type))
    record_types = table["record_type"]
    read = [f.name for f in MENTION_SCHEMA if f.name not in ("values", "links")]
    table = table.select(["doc_id", *read, "values_json", "links_json"])

    def mentions_of(record_type: str) -> TypeMentions:
        rows = table.filter(pc.and_(pc.equal(record_types, record_type), known))
        # sorted by document, stably: a document's mentions keep their order. The frame
        # is in document order already, and a take of its chunks costs 10x the filter.
        by_doc = pc.sort_indices(rows["doc_id"]).to_numpy()
        if (by_doc != np.arange(len(by_doc))).any():
            rows = rows.combine_chunks().take(by_doc)
        columns = [rows[name].cast(MENTION_SCHEMA.field(name).type) for name in read]
        values, links = parsed_json(rows)
        return TypeMentions(
            [docs[doc_id] for doc_id in rows["doc_id"].to_pylist()],
            pa.Table.from_arrays([*columns, values, links], schema=MENTION_SCHEMA),
        )

    return mentions_of


# The JSON of a mention's values and links, as DuckDB's ``from_json`` reads it
# into the types of ``VALUE_TYPE`` and ``LINK_TYPE``. A value is text or an
# integer (``pipeline.extract.model.Value``): read as VARCHAR, an integer is the
# text ``str`` gives. At 10,000 pages this took a quarter of the time of Arrow's
# JSON reader (which needs one type per field), a fifth of ``json.loads``.
VALUES_JSON = (
    '[{"field": "VARCHAR", "value": "VARCHAR", "start": "BIGINT", "end": "BIGINT", '
    '"rule": "VARCHAR"}]'
)
LINKS_JSON = (
    '[{"field": "VARCHAR", "target": {"record_type": "VARCHAR", "start": "BIGINT", '
    '"end": "BIGINT"}}]'
)


def parsed_json(rows: pa.Table) -> tuple[pa.ChunkedArray, pa.ChunkedArray]:
    """The values and the links of the rows, parsed from their JSON."""
    with duckdb.connect(config={"threads": 1}) as con:
        con.register("texts", rows.select(["values_json", "links_json"]))
        parsed = con.sql(
            f"select from_json(values_json, '{VALUES_JSON}') as value_list, "
            f"from_json(links_json, '{LINKS_JSON}') as link_list from texts"
        ).to_arrow_table()
    return (
        parsed["value_list"].cast(pa.list_(VALUE_TYPE)),
        parsed["link_list"].cast(pa.list_(LINK_TYPE)),
    )
