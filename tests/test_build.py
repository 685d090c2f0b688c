"""A build of the sample pages publishes every file a data user and the scorer need."""

from __future__ import annotations

import gc
import hashlib
import weakref
from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.build import execute_without_capture, run_build
from schemas.tables import PUBLISHED
from tests.conftest import RAW

pytestmark = pytest.mark.slow

# The columns ../shared/eval/README.md says the scorer reads (kept here because
# the project may not read ../shared).
SCORER_COLUMNS = {
    "documents": {"doc_id", "source", "text"},
    "programmes": {
        "programme_id",
        "name",
        "short_name",
        "period_start",
        "period_end",
        "budget_eur",
        "fund",
    },
    "objectives": {"objective_id", "programme_id", "code", "title"},
    "objective_actions": {"objective_id", "position", "text"},
    "territories": {"territory_id", "name", "type", "country_code", "nuts_code"},
    "programme_territories": {"programme_id", "territory_id"},
    "projects": {"project_id", "name", "programme_id"},
    "organisations": {"organisation_id", "name", "acronym", "country_code"},
    "evidence": {"record_type", "record_id", "doc_id", "char_start", "char_end", "quote"},
}


def test_release_has_parquet_csv_and_duckdb_for_every_table(seed_build):
    folder = seed_build.release_dir
    for name in PUBLISHED:
        assert (folder / f"{name}.parquet").is_file(), name
        assert (folder / f"{name}.csv").is_file(), name
    con = duckdb.connect(str(folder / "cooperation.duckdb"), read_only=True)
    tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
    assert set(PUBLISHED) <= tables
    n_docs = con.execute("SELECT count(*) FROM documents").fetchone()[0]
    assert n_docs == len(list(RAW.glob("*.txt")))


def test_release_has_the_columns_the_scorer_reads(seed_build):
    for name, columns in SCORER_COLUMNS.items():
        schema = pq.read_schema(seed_build.release_dir / f"{name}.parquet")
        assert columns <= set(schema.names), (name, columns - set(schema.names))


def test_latest_points_at_the_new_release(seed_build):
    latest = seed_build.release_dir.parent / "latest"
    assert latest.resolve() == seed_build.release_dir.resolve()


def test_csv_and_parquet_hold_the_same_rows(seed_build):
    for name in ("documents", "territories", "evidence"):
        parquet = pd.read_parquet(seed_build.release_dir / f"{name}.parquet")
        csv = pd.read_csv(seed_build.release_dir / f"{name}.csv")
        assert len(parquet) == len(csv), name


def test_evidence_quotes_are_the_document_text(seed_build):
    docs = pd.read_parquet(seed_build.release_dir / "documents.parquet")
    texts = dict(zip(docs["doc_id"], docs["text"], strict=True))
    evidence = pd.read_parquet(seed_build.release_dir / "evidence.parquet")
    for row in evidence.itertuples():
        assert texts[row.doc_id][row.char_start : row.char_end] == row.quote


def digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.glob("*.parquet"))
    }


def test_two_builds_of_the_same_input_are_byte_identical(seed_build, tmp_path):
    again = run_build(RAW, tmp_path / "wh", version="test")
    assert again.success
    assert digests(again.release_dir) == digests(seed_build.release_dir)


def test_an_existing_version_is_refused(seed_build):
    with pytest.raises(FileExistsError, match="immutable"):
        run_build(RAW, seed_build.release_dir.parent.parent, version="test")


class Payload:
    """An asset's value, weakly referenced to see whether the run still holds it."""


class DiscardingIOManager(dg.IOManager):
    def handle_output(self, context: dg.OutputContext, obj: object) -> None:
        pass

    def load_input(self, context: dg.InputContext) -> object:
        return None


def payload_job() -> tuple[dg.JobDefinition, list[weakref.ref]]:
    made: list[weakref.ref] = []

    @dg.asset(io_manager_key="discard")
    def payload() -> Payload:
        value = Payload()
        made.append(weakref.ref(value))
        return value

    defs = dg.Definitions(
        assets=[payload],
        jobs=[dg.define_asset_job("payload_job", [payload])],
        resources={"discard": DiscardingIOManager()},
    )
    return defs.resolve_job_def("payload_job"), made


def test_a_build_run_does_not_hold_the_assets_values_after_their_step():
    job, made = payload_job()
    result = execute_without_capture(job, {}, dg.DagsterInstance.ephemeral())
    gc.collect()
    assert result.success and len(made) == 1
    assert made[0]() is None
    job, made = payload_job()
    kept = job.execute_in_process(instance=dg.DagsterInstance.ephemeral())
    gc.collect()
    assert made[0]() is not None, "execute_in_process keeps it: the reason for the above"
    del kept
