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

import gc
import hashlib
import io
import json
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

# Fresh extraction payloads are parsed into Arrow this many documents at a
# time, about a cache shard's worth at 10,000 pages.
FRESH_PARSED_AT_ONCE = 64

Item = TypeVar("Item")


def worker_count() -> int:
    """Cores to use: TCD_WORKERS if set (1 turns the pool off), else all."""
    configured = os.environ.get("TCD_WORKERS")
    return max(1, int(configured)) if configured else os.cpu_count() or 1


def run_batches(
    work: Callable[[list[Item]], list[str]],
    items: Sequence[Item],
    workers: int | None = None,
    min_items: int = POOL_MIN_DOCUMENTS,
    initializer: Callable[[], None] | None = None,
) -> list[str]:
    """``work`` over ``items`` in batches, one result per item, in input order.

    ``work`` (and ``initializer``, run once by each worker before its first
    batch) must be a module-level function: workers are started with
    'spawn', which is safe beside Dagster's threads, and import it by name.
    """
    items = list(items)
    workers = worker_count() if workers is None else workers
    if workers <= 1 or len(items) < max(min_items, 2):
        return work(items)
    size = math.ceil(len(items) / (workers * BATCHES_PER_WORKER))
    batches = [items[i : i + size] for i in range(0, len(items), size)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(
        min(workers, len(batches)), mp_context=context, initializer=initializer
    ) as pool:
        return [result for batch in pool.map(work, batches) for result in batch]


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
def parse_batch(files: list[tuple[str, RawFile]]) -> list[str]:
    """(raw folder, file) pairs -> per file, a JSON payload: {"document": fields}
    or {"rejected": reason}, as ``parse_file`` decides for it."""
    from pipeline.documents import Document, parse_file

    out = []
    for raw_dir, f in files:
        outcome = parse_file(Path(raw_dir), f)
        if isinstance(outcome, Document):
            # vars, not asdict: plain strings and numbers need no deep copy
            payload: dict[str, object] = {"document": vars(outcome)}
        else:
            payload = {"rejected": outcome}
        out.append(json.dumps(payload, ensure_ascii=False))
    return out


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
    from pipeline.documents import Document, assemble

    cache = ResultCache(cache_root, "documents", documents_version())
    to_read = [f for f in files if f.status == "read" and f.sha256 is not None]
    stored = cache.get_many(str(f.sha256) for f in to_read)
    missing = [f for f in to_read if f.sha256 not in stored]
    computed = run_batches(
        parse_batch, [(str(raw_dir), f) for f in missing], workers, initializer=start_parse_worker
    )
    fresh = {str(f.sha256): payload for f, payload in zip(missing, computed, strict=True)}
    cache.put_many(fresh)
    if fresh:
        cache.drop_other_versions()
    payloads = {**stored, **fresh}

    outcomes: dict[str, Document | str] = {}
    for f in to_read:
        result = json.loads(payloads[str(f.sha256)])
        # the bytes are the cache key; the name they came under is not
        outcomes[str(f.sha256)] = (
            result["rejected"]
            if "rejected" in result
            else Document(**{**result["document"], "source": f.path})
        )
    return assemble(files, outcomes)


# ------------------------------------------------------------ extraction


def start_extraction_worker() -> None:
    """Pool initializer: the extractors' reference tables and automata, frozen."""
    from pipeline.extract import build_reference_tables

    frozen_after(build_reference_tables)


@paused_gc()
def extract_batch(docs: list[tuple[str, str]]) -> list[str]:
    """(text, language) of documents -> per document, its mention rows as JSON
    (``to_row`` without the doc_id, which the caller adds back)."""
    from pipeline.extract import extract_mentions
    from pipeline.extract.model import to_row

    out = []
    for text, language in docs:
        try:
            rows = [to_row("", m) for m in extract_mentions(text, language)]
        except Exception as err:  # one document's failure never stops the others
            out.append(json.dumps({"error": f"{type(err).__name__}: {err}"}))
            continue
        for row in rows:
            del row["doc_id"]
        out.append(json.dumps(rows, ensure_ascii=False))
    return out


def text_key(text: str, language: str) -> str:
    """What extraction reads, hashed: a change in cleaning that moves the
    text can never serve mentions with stale offsets."""
    return hashlib.sha256(f"{language}\n{text}".encode()).hexdigest()


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

    from pipeline.cache import ResultCache, extraction_version  # as in read_documents_cached
    from schemas.derive import canonical_order

    cache = ResultCache(cache_root, "mentions", extraction_version())
    keys = [text_key(text, language) for _, text, language in docs]
    doc_ids: dict[str, list[str]] = defaultdict(list)
    for (doc_id, _, _), key in zip(docs, keys, strict=True):
        doc_ids[key].append(doc_id)
    # Payloads become Arrow rows one cache shard at a time: as a dict per row,
    # the 300,000 mentions of 10,000 pages took 1 GB.
    parts = []
    for stored in cache.get_by_shard(list(doc_ids)):
        parts.append(mention_table(stored, doc_ids))
        for key in stored:
            del doc_ids[key]
    inputs = {key: (text, language) for (_, text, language), key in zip(docs, keys, strict=True)}
    computed = run_batches(
        extract_batch,
        [inputs[key] for key in doc_ids],
        workers,
        initializer=start_extraction_worker,
    )
    extracted = len(computed)
    failures: dict[str, str] = {}
    fresh: dict[str, str] = {}
    for key, payload in zip(doc_ids, computed, strict=True):
        if payload.startswith('{"error"'):
            failures.update(dict.fromkeys(doc_ids[key], str(json.loads(payload)["error"])))
        else:
            fresh[key] = payload
    del inputs, computed
    cache.put_many(fresh)
    if extracted:
        cache.drop_other_versions()
    fresh_keys = list(fresh)
    for i in range(0, len(fresh_keys), FRESH_PARSED_AT_ONCE):
        some = {key: fresh.pop(key) for key in fresh_keys[i : i + FRESH_PARSED_AT_ONCE]}
        parts.append(mention_table(some, doc_ids))
    parts.append(mention_table({}, doc_ids))  # the columns, should there be no rows at all
    rows = pa.concat_tables(parts)
    del parts
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
    return pa.table(columns, schema=schema), extracted, dict(sorted(failures.items()))


def mention_table(payloads: Mapping[str, str], doc_ids: Mapping[str, list[str]]) -> pa.Table:
    """The rows of these payloads (by text key) for the documents of each key,
    in the ``mentions`` columns. Arrow's JSON reader parses them: half the
    time of ``json.loads``, and no Python object per cell."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.json as pa_json

    from schemas.derive import arrow_schema

    schema = arrow_schema("mentions")
    row = pa.struct([pa.field(f.name, f.type) for f in schema if f.name != "doc_id"])
    # one line per document, each a JSON object: {"rows": [its mention rows]}
    lines = "\n".join(
        f'{{"rows": {payload}}}' for key, payload in payloads.items() for _ in doc_ids[key]
    ).encode()
    if not lines:
        return schema.empty_table()
    parsed = pa_json.read_json(
        io.BytesIO(lines),
        read_options=pa_json.ReadOptions(block_size=len(lines) + 1, use_threads=False),
        parse_options=pa_json.ParseOptions(
            explicit_schema=pa.schema([pa.field("rows", pa.list_(row))]),
            unexpected_field_behavior="error",
        ),
    )
    rows = parsed["rows"].combine_chunks()
    ids = pa.array([doc_id for key in payloads for doc_id in doc_ids[key]], pa.string())
    doc_id = ids.take(pc.list_parent_indices(rows))
    return pa.Table.from_arrays([doc_id, *pc.list_flatten(rows).flatten()], schema=schema)
