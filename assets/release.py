"""Release group: checked tables -> a versioned release folder.

Downstream of every table, so Dagster runs it only after their blocking
checks have passed: a failed check means no release, and the previous one
stays published.
"""

import datetime as dt

import dagster as dg

from assets.metadata import RELEASE_CONTENTS, release_metadata
from pipeline.gc_pause import return_free_memory
from pipeline.release import ReleaseTables, diff_summary, next_version, publish
from pipeline.resources import PipelinePaths
from schemas.tables import PUBLISHED


class ReleaseConfig(dg.Config):
    version: str | None = None


@dg.asset(
    group_name="release",
    kinds={"parquet", "csv", "duckdb"},
    deps=PUBLISHED,
    metadata={"dagster/column_schema": RELEASE_CONTENTS},
    description="Publishes warehouse/releases/<version>/ (Parquet, CSV, DuckDB, README, "
    "citation, quality report, diff to the previous release, DCAT-AP, SHA256SUMS) and points "
    "releases/latest at it.",
)
def release(
    context: dg.AssetExecutionContext, config: ReleaseConfig, paths: PipelinePaths
) -> dg.MaterializeResult:
    return_free_memory()  # what the checks freed: the release holds every table at once
    tables = ReleaseTables.from_warehouse(paths.warehouse)
    releases = paths.warehouse / "releases"
    version = config.version or next_version(releases, dt.date.today())
    folder = publish(tables, releases, version)
    context.log.info(f"release {version} published at {folder}")
    return dg.MaterializeResult(
        metadata={**release_metadata(version, folder, tables.frames), **diff_summary(folder)}
    )
