"""What every table asset reports to the UI after a run, derived from its schema."""

from collections.abc import Mapping
from typing import Any

import dagster as dg
import pandas as pd

from schemas.derive import dagster_column_schema

PREVIEW_ROWS = 5
PREVIEW_CELL_CHARS = 60


def preview(frame: pd.DataFrame) -> str:
    """The first rows as a markdown table, long cells cut."""
    head = frame.head(PREVIEW_ROWS).astype("string").fillna("")
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
