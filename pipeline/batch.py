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
import json
import math
import multiprocessing
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from pipeline.gc_pause import paused_gc

if TYPE_CHECKING:
    # imported where used: extraction workers import this module, and parsing's
    # libraries (ftfy, charset-normalizer, selectolax, lingua) are nothing to them
    from pipeline.documents import Document, Rejection
    from pipeline.inventory import RawFile

# Below this many documents to compute, one process does the work: a pool's
# start-up costs more than it saves.
POOL_MIN_DOCUMENTS = 300
# Several batches per worker even out uneven pages; fewer would idle a core
# at the end, many more would only add pickling.
BATCHES_PER_WORKER = 4

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
) -> tuple[list[dict[str, object]], int, dict[str, str]]:
    """(doc_id, text, language) of documents -> (mention rows of all, number
    of documents actually extracted, extraction failures by doc_id); the
    others come from the cache. A failed document yields no mentions and is
    not cached, so the next build tries it again."""
    from pipeline.cache import ResultCache, extraction_version  # as in read_documents_cached

    cache = ResultCache(cache_root, "mentions", extraction_version())
    keys = [text_key(text, language) for _, text, language in docs]
    stored = cache.get_many(keys)
    missing = sorted({k: i for i, k in enumerate(keys) if k not in stored}.values())
    computed = run_batches(
        extract_batch,
        [(docs[i][1], docs[i][2]) for i in missing],
        workers,
        initializer=start_extraction_worker,
    )
    fresh = {keys[i]: payload for i, payload in zip(missing, computed, strict=True)}
    cache.put_many({k: p for k, p in fresh.items() if not p.startswith('{"error"')})
    if fresh:
        cache.drop_other_versions()
    payloads = {**stored, **fresh}
    rows: list[dict[str, object]] = []
    failures: dict[str, str] = {}
    for (doc_id, _, _), key in zip(docs, keys, strict=True):
        found = json.loads(payloads[key])
        if isinstance(found, dict):
            failures[doc_id] = str(found["error"])
            continue
        rows.extend({"doc_id": doc_id, **row} for row in found)
    return rows, len(missing), failures
