"""Sharded extraction: the union of the shards is the unsharded result."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import dagster as dg
import pytest

from assets.extract import shard_of
from pipeline.batch import extract_cached
from pipeline.definitions import build_definitions
from pipeline.documents import read_documents
from pipeline.frames import arrow_frame
from pipeline.inventory import scan
from pipeline.resources import asset_path, read_parquet
from pipeline.synth import write_corpus
from schemas.derive import conform, records_frame


@pytest.fixture(scope="module")
def raw(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("raw")
    write_corpus(folder, 24, seed=33)
    return folder


def test_every_document_falls_in_exactly_one_shard():
    ids = [f"doc-{n:016x}" for n in range(0, 2**40, 2**40 // 4000)]
    for shards in (1, 3, 8):
        counts = Counter(shard_of(i, shards) for i in ids)
        assert set(counts) == set(range(shards))
        assert max(counts.values()) - min(counts.values()) < len(ids) / shards / 4
    assert shard_of("doc-00000000000000ff", 8) == shard_of("doc-00000000000000ff", 8)


def test_the_union_of_the_shards_is_the_unsharded_result(tmp_path, raw):
    documents, _ = read_documents(raw, scan(raw))
    docs = [(d.doc_id, d.text, d.language) for d in documents]
    whole, _, _ = extract_cached(docs, tmp_path / "whole", workers=1)
    parts = []
    for shard in range(3):
        mine = [d for d in docs if shard_of(d[0], 3) == shard]
        assert mine, "each shard must hold documents"
        rows, n, _ = extract_cached(mine, tmp_path / f"shard-{shard}", workers=1)
        assert n == len(mine)
        parts += rows.to_pylist()
    assert len(parts) > 0
    assert records_frame("mentions", parts).equals(conform("mentions", arrow_frame(whole)))


def materialize_documents(defs: dg.Definitions) -> None:
    job = defs.resolve_implicit_global_asset_job_def()
    selection = [
        dg.AssetKey("raw_files"),
        dg.AssetKey("documents"),
        dg.AssetKey("rejected_documents"),
    ]
    assert job.execute_in_process(asset_selection=selection).success


def mentions_of(defs: dg.Definitions, warehouse: Path) -> tuple[int, object]:
    """Run the extract_only job; (documents it extracted, the mentions frame)."""
    result = defs.resolve_job_def("extract_only").execute_in_process()
    assert result.success
    [event] = [
        e
        for e in result.get_asset_materialization_events()
        if e.asset_key == dg.AssetKey("mentions")
    ]
    metadata = event.step_materialization_data.materialization.metadata
    return metadata["documents_extracted"].value, read_parquet(asset_path(warehouse, "mentions"))


@pytest.mark.slow
def test_the_sharded_job_fills_the_cache_the_build_reads(tmp_path, raw):
    sharded = build_definitions(str(raw), str(tmp_path / "sharded"))
    materialize_documents(sharded)
    run = sharded.resolve_job_def("extract_shards").execute_in_process(
        run_config={"ops": {"plan_shards": {"config": {"shards": 3}}}}
    )
    assert run.success
    steps = {e.step_key for e in run.all_events if e.is_step_success}
    assert {f"extract_shard[shard_{n}]" for n in range(3)} <= steps
    extracted_by_shards = run.output_for_node("shards_done")
    n_docs = len(read_parquet(asset_path(tmp_path / "sharded", "documents")))
    assert extracted_by_shards == n_docs

    left_to_extract, from_shards = mentions_of(sharded, tmp_path / "sharded")
    assert left_to_extract == 0
    unsharded = build_definitions(str(raw), str(tmp_path / "whole"))
    extracted, whole = mentions_of(unsharded, tmp_path / "whole")
    assert extracted == n_docs
    assert from_shards.equals(whole) and len(whole) > 0


def sharded_job_in_processes() -> dg.JobDefinition:
    """The extract_shards job with each step in its own process, paths from the environment."""
    defs = build_definitions(shards_executor=dg.multiprocess_executor)
    return defs.resolve_job_def("extract_shards")


@pytest.mark.slow
def test_shards_run_as_separate_processes_sharing_only_the_warehouse(tmp_path, raw, monkeypatch):
    """The local stand-in for a distributed executor: steps in other processes."""
    warehouse = tmp_path / "warehouse"
    monkeypatch.setenv("TCD_RAW_DIR", str(raw))
    monkeypatch.setenv("TCD_WAREHOUSE_DIR", str(warehouse))
    materialize_documents(build_definitions())
    (tmp_path / "home").mkdir()
    with (
        dg.DagsterInstance.local_temp(str(tmp_path / "home")) as instance,
        dg.execute_job(
            dg.reconstructable(sharded_job_in_processes),
            instance=instance,
            run_config={
                "ops": {"plan_shards": {"config": {"shards": 2}}},
                "execution": {"config": {"max_concurrent": 2}},
            },
        ) as result,
    ):
        assert result.success
        starts = [e for e in result.all_events if e.is_step_start]
        shard_pids = {e.pid for e in starts if e.step_key.startswith("extract_shard")}
        assert len(shard_pids) == 2 and os.getpid() not in shard_pids
        n_docs = len(read_parquet(asset_path(warehouse, "documents")))
        assert result.output_for_node("shards_done") == n_docs
    left, _ = mentions_of(build_definitions(), warehouse)
    assert left == 0
