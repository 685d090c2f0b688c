"""Release group: checked tables -> a versioned release folder.

Downstream of every table, so Dagster runs it only after their blocking
checks have passed: a failed check means no release, and the previous one
stays published.
"""

import datetime as dt

import dagster as dg

from pipeline.release import next_version, publish
from pipeline.resources import PipelinePaths, load_tables
from schemas.tables import PUBLISHED


class ReleaseConfig(dg.Config):
    version: str | None = None


@dg.asset(
    group_name="release",
    kinds={"parquet", "csv", "duckdb"},
    deps=PUBLISHED,
    description="Publishes warehouse/releases/<version>/ (Parquet, CSV, DuckDB, checksums) and "
    "points releases/latest at it.",
)
def release(
    context: dg.AssetExecutionContext, config: ReleaseConfig, paths: PipelinePaths
) -> dg.MaterializeResult:
    tables = load_tables(paths.warehouse, PUBLISHED)
    releases = paths.warehouse / "releases"
    version = config.version or next_version(releases, dt.date.today())
    folder = publish(tables, releases, version)
    context.log.info(f"release {version} published at {folder}")
    return dg.MaterializeResult(
        metadata={
            "version": version,
            "path": dg.MetadataValue.path(str(folder)),
            **{f"rows_{name}": len(tables[name]) for name in PUBLISHED},
        }
    )
