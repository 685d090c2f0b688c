"""The per-document steps at scale: cached by content hash, run in batches on all cores.

Parsing (raw bytes -> Document) and extraction (text -> mentions) are pure
per-document functions, so their results are looked up in a
:class:`~pipeline.cache.ResultCache` first and only the misses are computed,
over batches in a process pool when there are enough of them to repay the
pool's start-up (each worker imports the code and loads the language models,
a few seconds). Results are returned in input order, so serial and parallel
runs give the same frames.

Workers build their reference data once (the pool's ``initializer``), then
take it out of the cycle collector's sight (``gc.freeze``), and run each batch
with the collector paused, as the main process does: parsing and extraction
make no reference cycles, and every full collection would otherwise rescan
the ~260,000 objects of the extractors' reference tables.
"""

from __future__ import annotations

import dataclasses
import gc
import hashlib
import math
import multiprocessing
import os
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline.gc_pause import paused_gc

if TYPE_CHECKING:
    # imported where used: extraction workers import this module, and parsing's
    # libraries (ftfy, charset-normalizer, selectolax, lingua) are nothing to them
    from pipeline.documents import Document, Rejection
    from pipeline.inventory import RawFile

if TYPE_CHECKING:
    import pyarrow as pa

# Below this many documents to compute, one process does the work: a pool's
# start-up costs more than it saves.
POOL_MIN_DOCUMENTS = 300
# Several batches per worker even out uneven pages; fewer would idle a core
# at the end, many more would only add pickling.
BATCHES_PER_WORKER = 4

Item = TypeVar("Item")
Result = TypeVar("Result")


def worker_count() -> int:
    """Cores to use: TCD_WORKERS if set (1 turns the pool off), else all."""
    configured = os.environ.get("TCD_WORKERS")
    return max(1, int(configured)) if configured else os.cpu_count() or 1


def run_batches(
    work: Callable[[list[Item]], Result],
    items: Sequence[Item],
    workers: int | None = None,
    min_items: int = POOL_MIN_DOCUMENTS,
    initializer: Callable[[], None] | None = None,
) -> list[Result]:
    """``work`` over ``items`` in batches: the result of each batch, in input order.

    ``work`` (and ``initializer``, run once by each worker before its first
    batch) must be a module-level function: workers are started with
    'spawn', which is safe beside Dagster's threads, and import it by name.
    """
    items = list(items)
    workers = worker_count() if workers is None else workers
    if workers <= 1 or len(items) < max(min_items, 2):
        return [work(items)]
    size = math.ceil(len(items) / (workers * BATCHES_PER_WORKER))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        min(workers, len(batches)), mp_context=context, initializer=initializer
    ) as pool:
        return list(pool.map(work, batches))


def frozen_after(build: Callable[[], object]) -> None:
    """``build`` what a worker keeps for its whole life, then exempt every object
    alive from the cycle collector: none of it is garbage."""
    build()
    gc.freeze()


# ------------------------------------------------------------ parsing


def start_parse_worker() -> None:
    """Pool initializer: parsing's libraries and boilerplate patterns, frozen."""
    from pipeline.documents import boilerplate_line

    frozen_after(boilerplate_line)


@paused_gc()
def parse_batch(files: list[tuple[str, RawFile]]) -> list[Document | str]:
    """(raw folder, file) pairs -> per file, its document or why it was
    rejected, as ``parse_file`` decides."""
    from pipeline.documents import parse_file

    return [parse_file(Path(raw_dir), f) for raw_dir, f in files]


# What the documents cache keeps of a parsed file: a Document's fields but its
# sha256 (the key) and source (the bytes are the key; the name they came under
# is not), or the reason it was rejected.
NOT_CACHED = ("sha256", "source")


def document_fields() -> list[str]:
    from pipeline.documents import Document

    return [f.name for f in dataclasses.fields(Document) if f.name not in NOT_CACHED]


def document_entry_columns() -> list[pa.Field]:
    """The cached fields, typed as the published documents table types them."""
    import pyarrow as pa

    from schemas.derive import arrow_schema

    declared = arrow_schema("documents")
    return [
        pa.field("rejected", pa.string()),
        *(pa.field(name, declared.field(name).type) for name in document_fields()),
    ]


def document_entries(outcomes: Mapping[str, Document | str], schema: pa.Schema) -> pa.Table:
    """Outcomes of parsing by sha256 -> cache entries."""
    import pyarrow as pa

    from pipeline.documents import Document

    docs = [o if isinstance(o, Document) else None for o in outcomes.values()]
    columns = {
        "sha256": list(outcomes),
        "rejected": [None if isinstance(o, Document) else o for o in outcomes.values()],
        **{
            name: [None if d is None else getattr(d, name) for d in docs]
            for name in document_fields()
        },
    }
    return pa.table(columns, schema=schema)


def document_outcomes(entries: pa.Table, path_of: Mapping[str, str]) -> dict[str, Document | str]:
    """Cache entries -> outcomes of parsing by sha256, each document under the
    path its bytes have now."""
    from pipeline.documents import Document

    columns = entries.to_pydict()
    fields = document_fields()
    outcomes: dict[str, Document | str] = {}
    for row, sha in enumerate(columns["sha256"]):
        rejected = columns["rejected"][row]
        outcomes[sha] = (
            rejected
            if rejected is not None
            else Document(
                source=path_of[sha],
                sha256=sha,
                **{name: columns[name][row] for name in fields},
            )
        )
    return outcomes


@paused_gc()
def read_documents_cached(
    raw_dir: Path, files: list[RawFile], cache_root: Path, workers: int | None = None
) -> tuple[list[Document], list[Rejection]]:
    """What ``pipeline.documents.read_documents`` returns, parsing only the
    files whose bytes this version of the code never parsed; both assemble
    their per-content outcomes with ``pipeline.documents.assemble``."""
    # Imported here, not at the top: pool workers import this module, and the
    # cache's pyarrow would cost each parsing worker 0.2 s and 50 MB for nothing.
    from pipeline.cache import ResultCache, documents_version
    from pipeline.documents import assemble

    cache = ResultCache(cache_root, "documents", documents_version(), document_entry_columns())
    path_of = {str(f.sha256): f.path for f in files if f.status == "read" and f.sha256}
    outcomes = document_outcomes(cache.get(path_of), path_of)
    missing = [f for f in files if f.status == "read" and f.sha256 and f.sha256 not in outcomes]
    batches = run_batches(
        parse_batch, [(str(raw_dir), f) for f in missing], workers, initializer=start_parse_worker
    )
    fresh = dict(
        zip((str(f.sha256) for f in missing), (o for batch in batches for o in batch), strict=True)
    )
    cache.put(document_entries(fresh, cache.schema))
    if fresh:
        cache.drop_other_versions()
    return assemble(files, {**outcomes, **fresh})


# ------------------------------------------------------------ extraction


def start_extraction_worker() -> None:
    """Pool initializer: the extractors' reference tables and automata, frozen."""
    from pipeline.extract import build_reference_tables

    frozen_after(build_reference_tables)


@paused_gc()
def extract_batch(docs: list[tuple[str, str]]) -> pa.Table:
    """(text, language) of documents -> their ``mention_entries``."""
    from pipeline.extract import extract_mentions
    from pipeline.extract.model import to_row

    rows_by_doc: list[list[dict[str, object]]] = []
    errors: list[str | None] = []
    for text, language in docs:
        try:
            rows = [to_row("", m) for m in extract_mentions(text, language)]
        except Exception as err:  # one document's failure never stops the others
            rows = []
            errors.append(f"{type(err).__name__}: {err}")
        else:
            errors.append(None)
        for row in rows:
            del row["doc_id"]
        rows_by_doc.append(rows)
    return mention_entries(rows_by_doc, errors)


def mention_entries(
    rows_by_doc: list[list[dict[str, object]]], errors: list[str | None]
) -> pa.Table:
    """Mention rows of documents (``to_row`` without the doc_id, which the
    caller adds back) -> a row per document: ``rows``, its mention rows, and
    ``error``, why extraction failed on it, if it did.

    Arrow infers the column types (the declared schema would import pandas
    into every extraction worker); ``declared_entries`` checks them."""
    import pyarrow as pa

    offsets = [0]
    for rows in rows_by_doc:
        offsets.append(offsets[-1] + len(rows))
    values = pa.array([row for rows in rows_by_doc for row in rows])
    return pa.table(
        {
            "rows": pa.ListArray.from_arrays(pa.array(offsets, pa.int32()), values),
            "error": pa.array(errors, pa.string()),
        }
    )


def declared_entries(entries: pa.Table, rows: pa.Field) -> pa.Table:
    """``mention_entries`` of inferred types -> the same with ``rows`` of the
    declared type, columns in declared order. A column with no value in its
    batch (or a batch with no row) had no type to infer and takes the
    declared one; any other difference is an error, not a conversion (Arrow's
    cast would turn numbers into text and back, drop an undeclared column,
    fill a missing one)."""
    import pyarrow as pa

    inferred, expected = entries.schema.field("rows").type.value_type, rows.type.value_type
    if not pa.types.is_null(inferred):
        types = {f.name: f.type for f in expected}
        if sorted(f.name for f in inferred) != sorted(types) or any(
            f.type not in (types[f.name], pa.null()) for f in inferred
        ):
            raise TypeError(f"mention rows of type {inferred}, not the declared {expected}")
    return entries.cast(pa.schema([rows, entries.schema.field("error")]))


def text_key(text: str, language: str) -> str:
    """What extraction reads, hashed: a change in cleaning that moves the
    text can never serve mentions with stale offsets."""
    return hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()


def mention_entry_columns() -> list[pa.Field]:
    """What the mentions cache keeps of a text: its mention rows, in the
    ``mentions`` columns but the doc_id."""
    import pyarrow as pa

    from schemas.derive import arrow_schema

    row = pa.struct([pa.field(f.name, f.type) for f in arrow_schema("mentions")][1:])
    return [pa.field("rows", pa.list_(row))]


@paused_gc()
def extract_cached(
    docs: Sequence[tuple[str, str, str]], cache_root: Path, workers: int | None = None
) -> tuple[pa.Table, int, dict[str, str]]:
    """(doc_id, text, language) of documents -> (mention rows of all, as an
    Arrow table of the ``mentions`` columns in its canonical order, number of
    documents actually extracted, extraction failures by doc_id); the others
    come from the cache. A failed document yields no mentions and is not
    cached, so the next build tries it again."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from pipeline.cache import ResultCache, extraction_version  # as in read_documents_cached
    from schemas.derive import canonical_order

    cache = ResultCache(cache_root, "mentions", extraction_version(), mention_entry_columns())
    doc_ids: dict[str, list[str]] = defaultdict(list)
    inputs: dict[str, tuple[str, str]] = {}
    for doc_id, text, language in docs:
        key = text_key(text, language)
        doc_ids[key].append(doc_id)
        inputs[key] = (text, language)
    stored = cache.get(doc_ids)
    for key in stored["sha256"].to_pylist():
        del inputs[key]
    missing = list(inputs)
    batches = run_batches(
        extract_batch, list(inputs.values()), workers, initializer=start_extraction_worker
    )
    del inputs
    computed = pa.concat_tables(
        [declared_entries(batch, cache.schema.field("rows")) for batch in batches]
    )
    del batches
    errors = computed["error"].to_pylist()
    failures = {
        doc_id: error
        for key, error in zip(missing, errors, strict=True)
        if error is not None
        for doc_id in doc_ids[key]
    }
    fresh = pa.table([missing, computed["rows"]], schema=cache.schema)
    del computed
    if failures:
        fresh = fresh.filter(pc.is_null(pa.array(errors, pa.string())))
    cache.put(fresh)
    if missing:
        cache.drop_other_versions()
    rows = mention_rows(pa.concat_tables([stored, fresh]), doc_ids)
    del stored, fresh
    # Sorted one column at a time, each unsorted column dropped and its
    # memory handed back before the sorted copy is made: the table and one
    # column at the peak, not the table twice.
    order = canonical_order("mentions", rows)
    schema = rows.schema
    columns: dict[str, pa.Array] = {}
    for name in rows.column_names:
        column = rows.column(name).combine_chunks()  # take would combine them, a third copy
        rows = rows.drop_columns(name)
        pa.default_memory_pool().release_unused()
        columns[name] = column.take(order)
        del column
    return pa.table(columns, schema=schema), len(missing), dict(sorted(failures.items()))


def mention_rows(entries: pa.Table, doc_ids: Mapping[str, list[str]]) -> pa.Table:
    """The mention rows of these cache entries (by text key) for the
    documents of each key, in the ``mentions`` columns: Arrow's views of the
    entries' lists, no row goes through Python."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from schemas.derive import arrow_schema

    schema = arrow_schema("mentions")
    parts = [schema.empty_table()]  # the columns, should there be no rows at all
    for batch in entries.to_batches():
        keys = batch["sha256"].to_pylist()
        lists = batch["rows"]
        ids = [doc_id for key in keys for doc_id in doc_ids[key]]
        if len(ids) > len(keys):  # the same text under several doc ids: a copy for each
            lists = lists.take([row for row, key in enumerate(keys) for _ in doc_ids[key]])
        doc_id = pa.array(ids, pa.string()).take(pc.list_parent_indices(lists))
        parts.append(
            pa.Table.from_arrays([doc_id, *pc.list_flatten(lists).flatten()], schema=schema)
        )
    return pa.concat_tables(parts)
