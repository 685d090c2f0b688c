"""The Dagster Definitions: what `dagster dev` shows and `python -m pipeline build` runs.

One short module over the asset modules, one per step of the flow. The same
factory serves the UI (default paths: the repository's raw/ and warehouse/)
and the command line and tests (paths of their choosing).
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from assets import checks, extract, ingest, release, resolve, tables
from pipeline.automation import nightly_release, raw_files_sensor
from pipeline.inventory import DEFAULT_MAX_FILE_MB
from pipeline.resources import (
    ParquetIOManager,
    PipelinePaths,
    default_raw_dir,
    default_warehouse_dir,
)

ASSET_MODULES = (ingest, extract, resolve, tables, release)

build_release_job = dg.define_asset_job(
    "build_release",
    selection=dg.AssetSelection.all(),
    description="Ingest raw/, extract, resolve, build and check every table, publish a release.",
)
extract_only_job = dg.define_asset_job(
    "extract_only",
    selection=dg.AssetSelection.groups("ingest", "extract"),
    description="Stop after extraction, for quick iteration on the extractors.",
)


def build_definitions(
    raw_dir: str | None = None,
    warehouse_dir: str | None = None,
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
    shards_executor: dg.ExecutorDefinition | None = None,
) -> dg.Definitions:
    """``shards_executor`` runs the extract_shards job's steps elsewhere (a
    cluster's executor, docs/scaling.md); everything else runs in process."""
    raw = raw_dir or default_raw_dir()
    warehouse = warehouse_dir or default_warehouse_dir()
    return dg.Definitions(
        assets=dg.load_assets_from_modules(list(ASSET_MODULES)),
        asset_checks=checks.build_checks(),
        jobs=[
            build_release_job,
            extract_only_job,
            extract.extract_shards.with_executor_def(shards_executor)
            if shards_executor
            else extract.extract_shards,
        ],
        sensors=[raw_files_sensor],
        schedules=[nightly_release],
        resources={
            "paths": PipelinePaths(raw_dir=raw, warehouse_dir=warehouse, max_file_mb=max_file_mb),
            "io_manager": ParquetIOManager(warehouse_dir=warehouse),
            extract.OP_IO: dg.FilesystemIOManager(base_dir=str(Path(warehouse) / "ops")),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
