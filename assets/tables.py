"""Tables group: statements -> the wide tables of the data contract.

Rows that break their table's schema are held out into ``rejected_rows``
with the reason, never dropped silently.
"""

from collections.abc import Iterator

import dagster as dg
import pandas as pd

from assets.metadata import table_out, table_output
from pipeline.checks import quarantine_dangling, split_valid
from pipeline.gc_pause import return_free_memory
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
    outs={name: table_out(name) for name in (*DERIVED_TABLES, "rejected_rows")},
)
def record_tables(
    context: dg.AssetExecutionContext, statements: pd.DataFrame
) -> Iterator[dg.Output]:
    built = build_tables(statements)
    built["evidence"] = build_evidence(statements)
    rejected_parts = [pd.DataFrame(columns=TABLES["rejected_rows"].column_names)]
    for name in DERIVED_TABLES:
        built[name], rejected = split_valid(name, built[name])
        rejected_parts.append(rejected)
    # Rows pointing at a held-out row would dangle: they are held out too.
    built, held = quarantine_dangling(
        {name: built[name] for name in DERIVED_TABLES}, pd.concat(rejected_parts)
    )
    rejected_rows = conform("rejected_rows", held)
    for name in DERIVED_TABLES:
        valid = built[name]
        n_rejected = int((rejected_rows["table_name"] == name).sum())
        if n_rejected:
            context.log.warning(f"{name}: {n_rejected} rows held out in rejected_rows")
        extra: dict[str, object] = {"rows_rejected": n_rejected}
        if name == "territories":
            extra["territories_without_nuts"] = int(valid["nuts_code"].isna().sum())
        if name == "conflicts":
            extra["conflicts"] = len(valid)
        yield table_output(name, valid, **extra)
    yield table_output("rejected_rows", rejected_rows)
    del built, rejected_rows
    return_free_memory()
