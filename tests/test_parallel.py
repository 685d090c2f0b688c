"""Parallel runs give exactly what serial runs give."""

from __future__ import annotations

import gc
import json
import random
from pathlib import Path

import pytest
from rapidfuzz import fuzz

import pipeline.batch
from pipeline.batch import (
    extract_batch,
    extract_cached,
    parse_batch,
    run_batches,
    start_extraction_worker,
)
from pipeline.documents import Document
from pipeline.inventory import scan
from pipeline.resolve import similar_pairs
from pipeline.synth import write_corpus
from tests.support.worker_probe import worker_state


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    write_corpus(folder, 24, seed=21)
    (folder / "binary.bin").write_bytes(b"\x7fELF" + bytes(range(200)))
    return folder


def test_parsing_in_a_pool_gives_the_serial_outcomes_in_order(raw):
    items = [(str(raw), f) for f in scan(raw) if f.status == "read"]
    [serial] = run_batches(parse_batch, items, workers=1)
    parallel = run_batches(parse_batch, items, workers=2, min_items=0)
    assert len(serial) == len(items) == 25
    assert len(parallel) > 1 and [o for batch in parallel for o in batch] == serial
    assert [o.source for o in serial if isinstance(o, Document)] == [f.path for _, f in items][:-1]
    assert sum(isinstance(o, str) for o in serial) == 1


def test_the_mentions_frame_is_the_same_serial_and_parallel(tmp_path, raw):
    items = [(str(raw), f) for f in scan(raw) if f.status == "read"]
    [outcomes] = run_batches(parse_batch, items, workers=1)
    docs = [(d.doc_id, d.text, d.language) for d in outcomes if isinstance(d, Document)]
    serial_rows, _, _ = extract_cached(docs, tmp_path / "serial", workers=1)
    parallel_rows, n, _ = extract_cached(docs, tmp_path / "parallel", workers=2)
    assert n == len(docs)
    assert serial_rows.num_rows > 0
    assert serial_rows.equals(parallel_rows)


def test_small_inputs_never_start_a_pool(monkeypatch):
    def no_pool(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise AssertionError("a pool was started for a small input")

    monkeypatch.setattr(pipeline.batch, "ProcessPoolExecutor", no_pool)
    texts = [("Interreg Europe funds the network.", "en")] * 3
    [entries] = run_batches(extract_batch, texts, workers=2)
    assert entries.equals(extract_batch(texts)) and entries.num_rows == 3


def test_extraction_workers_build_and_freeze_their_tables_and_import_no_parser():
    states = run_batches(
        worker_state, [0, 1], workers=2, min_items=0, initializer=start_extraction_worker
    )
    for state in map(json.loads, (s for batch in states for s in batch)):
        assert state["tables"] == [1, 1]  # built before the first page
        assert state["frozen"] > 100_000  # the reference tables, out of the collector's sight
        assert state["parsing_or_frames"] == []


def test_batches_run_with_the_collector_paused():
    assert gc.isenabled()
    entries = extract_batch([("Interreg Europe funds the network.", "en")])
    assert gc.isenabled() and entries["rows"].to_pylist()[0]


def test_similar_pairs_are_those_of_the_pairwise_loop():
    rng = random.Random(5)
    stems = ["interreg north west europe", "universite de lille", "stadt freiburg im breisgau"]
    names = set()
    for _ in range(600):
        chars = list(
            rng.choice(stems) + " " + "".join(rng.choices("abcdefgh ", k=rng.randint(0, 40)))
        )
        for _ in range(rng.randint(0, 3)):
            chars[rng.randrange(len(chars))] = rng.choice("xyz-")
        names.add("".join(chars))
    ordered = sorted(names)
    loop = [
        (i, j)
        for i, a in enumerate(ordered)
        for j in range(i + 1, len(ordered))
        if fuzz.ratio(a, ordered[j]) >= 94.0
    ]
    assert loop, "the names must hold near-duplicates"
    assert similar_pairs(ordered, 94.0) == loop
    assert similar_pairs(ordered[:1], 94.0) == [] and similar_pairs([], 94.0) == []
