"""Tables group: statements -> the wide tables of the data contract.

Rows that break their table's schema are held out into ``rejected_rows``
with the reason, never dropped silently.
"""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.metadata import table_output
from pipeline.checks import split_valid
from pipeline.tables import build_evidence, build_tables
from schemas.derive import conform
from schemas.tables import TABLES

DERIVED_TABLES = (
    "programmes",
    "objectives",
    "objective_actions",
    "territories",
    "programme_territories",
    "projects",
    "organisations",
    "project_organisations",
    "conflicts",
    "evidence",
)


@dg.multi_asset(
    group_name="tables",
    outs={
        name: dg.AssetOut(kinds={"pandas", "parquet"}, description=TABLES[name].description)
        for name in (*DERIVED_TABLES, "rejected_rows")
    },
)
def record_tables(
    context: dg.AssetExecutionContext, statements: pd.DataFrame
) -> Iterator[dg.Output]:
    built = build_tables(statements)
    built["evidence"] = build_evidence(statements)
    rejected_parts = []
    for name in DERIVED_TABLES:
        valid, rejected = split_valid(name, built[name])
        if len(rejected):
            context.log.warning(f"{name}: {len(rejected)} rows rejected by the schema")
            rejected_parts.append(rejected)
        extra: dict[str, object] = {"rows_rejected": len(rejected)}
        if name == "territories":
            extra["territories_without_nuts"] = int(valid["nuts_code"].isna().sum())
        if name == "conflicts":
            extra["conflicts"] = len(valid)
        yield table_output(name, valid, **extra)
    rejected_rows = conform(
        "rejected_rows",
        pd.concat(rejected_parts, ignore_index=True)
        if rejected_parts
        else pd.DataFrame(columns=TABLES["rejected_rows"].column_names),
    )
    yield table_output("rejected_rows", rejected_rows)
