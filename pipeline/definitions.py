"""The Dagster Definitions: what `dagster dev` shows and `python -m pipeline build` runs.

One short module over the asset modules, one per step of the flow. The same
factory serves the UI (default paths: the repository's raw/ and warehouse/)
and the command line and tests (paths of their choosing).
"""

from __future__ import annotations

import dagster as dg

from assets import checks, extract, ingest, release, resolve, tables
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
    raw_dir: str | None = None, warehouse_dir: str | None = None
) -> dg.Definitions:
    raw = raw_dir or default_raw_dir()
    warehouse = warehouse_dir or default_warehouse_dir()
    return dg.Definitions(
        assets=dg.load_assets_from_modules(list(ASSET_MODULES)),
        asset_checks=checks.build_checks(),
        jobs=[build_release_job, extract_only_job],
        resources={
            "paths": PipelinePaths(raw_dir=raw, warehouse_dir=warehouse),
            "io_manager": ParquetIOManager(warehouse_dir=warehouse),
        },
        executor=dg.in_process_executor,
    )


defs = build_definitions()
