"""What every asset reports to the UI: its columns up front, and after each run its
row count, column schema, a preview of the first rows and the counts that matter."""

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from schemas.derive import dagster_column_schema
from schemas.tables import TABLES

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def preview(frame: pd.DataFrame, rows: int = PREVIEW_ROWS) -> str:
    """The first rows as a markdown table, long cells cut."""
    head = frame.head(rows).astype("string").fillna("")
    head = head.map(lambda v: v if len(v) <= PREVIEW_CELL_CHARS else v[:PREVIEW_CELL_CHARS] + "…")
    head = head.map(lambda v: v.replace("|", "\\|").replace("\n", " "))
    lines = ["| " + " | ".join(head.columns) + " |", "|" + "---|" * len(head.columns)]
    lines += ["| " + " | ".join(row) + " |" for row in head.itertuples(index=False)]
    return "\n".join(lines)


def table_metadata(
    name: str, frame: pd.DataFrame, extra: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "dagster/row_count": len(frame),
        "dagster/column_schema": dagster_column_schema(name),
        "preview": dg.MetadataValue.md(preview(frame)),
    }
    meta.update(extra or {})
    return meta


def table_output(name: str, frame: pd.DataFrame, **extra: object) -> dg.Output:
    return dg.Output(frame, output_name=name, metadata=table_metadata(name, frame, extra))


def definition_metadata(name: str) -> dict[str, Any]:
    """Shown in the catalog before the first run: the declared columns."""
    return {"dagster/column_schema": dagster_column_schema(name)}


def table_out(name: str) -> dg.AssetOut:
    """The output of a multi-asset that stores a declared table: its
    description and columns come from the declaration."""
    return dg.AssetOut(
        kinds={"pandas", "parquet"},
        description=TABLES[name].description,
        metadata=definition_metadata(name),
    )


RELEASE_CONTENTS = dg.TableSchema(
    columns=[
        dg.TableColumn("table", "string", description="Published table."),
        dg.TableColumn("rows", "integer", description="Rows in the table."),
        dg.TableColumn("columns", "integer", description="Columns in the table."),
        dg.TableColumn("parquet_bytes", "integer", description="Size of <table>.parquet."),
        dg.TableColumn("csv_bytes", "integer", description="Size of <table>.csv."),
    ]
)


def release_contents(folder: Path, tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per published table: what a data user downloads."""
    return pd.DataFrame(
        [
            {
                "table": name,
                "rows": len(frame),
                "columns": frame.shape[1],
                "parquet_bytes": (folder / f"{name}.parquet").stat().st_size,
                "csv_bytes": (folder / f"{name}.csv").stat().st_size,
            }
            for name, frame in tables.items()
        ],
        columns=[c.name for c in RELEASE_CONTENTS.columns],
    )


def quality_counts(tables: Mapping[str, pd.DataFrame]) -> dict[str, int]:
    """What was held out or is incomplete, so a reviewer sees it without opening a file."""
    return {
        "documents_rejected": len(tables["rejected_documents"]),
        "rows_rejected": len(tables["rejected_rows"]),
        "territories_without_nuts": int(tables["territories"]["nuts_code"].isna().sum()),
        "conflicts": len(tables["conflicts"]),
    }


def release_metadata(
    version: str, folder: Path, tables: Mapping[str, pd.DataFrame]
) -> dict[str, Any]:
    """The release as a table of its tables, with the quality counts of the whole build."""
    contents = release_contents(folder, tables)
    return {
        "version": version,
        "path": dg.MetadataValue.path(str(folder)),
        "dagster/row_count": len(contents),
        "dagster/column_schema": RELEASE_CONTENTS,
        "preview": dg.MetadataValue.md(preview(contents, rows=len(contents))),
        "rows_published": int(contents["rows"].sum()),
        **quality_counts(tables),
    }
