"""Asset checks, generated from the table declarations.

Every published table gets a blocking schema check (lazy Pandera validation,
all failures listed), a primary-key check, a row-count check and, where it has
foreign keys or a record reference, a reference check. Evidence and
statements get a quote check against the documents' text, and evidence a
coverage check over every record table. Blocking: a failure stops the
release, which is downstream of them all.

The checks of one table run in one step (a multi-asset check): the table and
the tables its checks read are loaded once, not once per check, and a build
has one check step per table instead of one per check.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import dagster as dg
import pandas as pd

from assets.tables import DERIVED_TABLES as QUARANTINED_TABLES
from pipeline import checks
from pipeline.resources import PipelinePaths, asset_path, read_parquet
from schemas.tables import PUBLISHED, RECORD_TABLES, TABLES

Failures = list[dict[str, object]]


class StoredTables(dict[str, pd.DataFrame]):
    """The tables a step's checks read: each stored table is loaded on first use, once."""

    def __init__(self, warehouse: Path, loaded: dict[str, pd.DataFrame]) -> None:
        super().__init__(loaded)
        self.warehouse = warehouse
        self.key_verdicts: dict[str, bool] = {}

    def __missing__(self, name: str) -> pd.DataFrame:
        frame = read_parquet(asset_path(self.warehouse, name))
        self[name] = frame
        return frame

    def key_may_repeat(self, name: str) -> bool:
        """``checks.key_may_repeat`` of a table, found once for its schema and key checks."""
        if name not in self.key_verdicts:
            self.key_verdicts[name] = checks.key_may_repeat(name, self[name])
        return self.key_verdicts[name]


@dataclass(frozen=True)
class Check:
    """One check of a table: what it reads besides the table, and how it finds failures
    (with the metadata its result reports beside them)."""

    name: str
    description: str
    evaluate: Callable[[StoredTables], tuple[Failures, dict[str, Any]]]
    reads: tuple[str, ...] = ()


def result(table: str, name: str, failures: Failures, **metadata: Any) -> dg.AssetCheckResult:
    """Pass or fail, with every failure counted and the first ones as a Markdown table."""
    return dg.AssetCheckResult(
        asset_key=table,
        check_name=name,
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if not failures else f"{len(failures)} failure(s)",
        metadata={
            "failures": len(failures),
            "details": dg.MetadataValue.md(checks.failures_markdown(failures)),
            **metadata,
        },
    )


def frame_check(
    table: str, name: str, description: str, run: Callable[[pd.DataFrame], Failures]
) -> Check:
    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        return run(tables[table]), {"rows": len(tables[table])}

    return Check(name, description, evaluate)


def schema_check(table: str) -> Check:
    """Lazy Pandera validation; for a quarantining table, also counts the rows held out."""
    description = (
        f"Pandera schema of {table}: types, nullability, allowed values, patterns, row rules."
    )

    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        frame = tables[table]
        failures = checks.schema_failures(table, frame, tables.key_may_repeat(table))
        if table not in QUARANTINED_TABLES:
            return failures, {"rows": len(frame)}
        rejected_rows = tables["rejected_rows"]
        held = rejected_rows[rejected_rows["table_name"] == table]
        return failures, {
            "rows": len(frame),
            "rows_rejected": len(held),
            "rows_rejected_by_check": {k: int(v) for k, v in held["check"].value_counts().items()},
        }

    if table not in QUARANTINED_TABLES:
        return Check("schema", description, evaluate)
    return Check(
        "schema",
        description + " Rows that failed it are in rejected_rows (counted here).",
        evaluate,
        reads=("rejected_rows",),
    )


def primary_key_check(table: str) -> Check:
    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        frame = tables[table]
        failures = checks.primary_key_failures(table, frame, tables.key_may_repeat(table))
        return failures, {"rows": len(frame)}

    key = ", ".join(TABLES[table].primary_key)
    return Check("primary_key_unique", f"Primary key ({key}) is unique.", evaluate)


def reference_check(table: str) -> Check:
    spec = TABLES[table]
    record_tables = sorted(RECORD_TABLES.values()) if spec.record_reference else []
    targets = sorted(
        ({fk.table for fk in spec.foreign_keys} | set(record_tables))
        | ({"rejected_rows"} if record_tables else set())
    )
    described = [f"{', '.join(fk.columns)} -> {fk.table}" for fk in spec.foreign_keys]
    if spec.record_reference:
        described.append(f"{spec.record_reference.column} -> the record table of its prefix")

    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        failures = checks.foreign_key_failures(table, tables)
        if spec.record_reference:
            failures += checks.record_reference_failures(table, tables, tables["rejected_rows"])
        return failures, {}

    return Check(
        "foreign_keys",
        "Every reference resolves: " + "; ".join(described),
        evaluate,
        reads=tuple(t for t in targets if t != table),
    )


def quote_check(table: str) -> Check:
    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        return checks.quote_failures(table, tables[table], tables["documents"]), {}

    return Check(
        "quotes_match_text",
        "Every quote equals the document's text at its character offsets.",
        evaluate,
        reads=("documents",),
    )


def evidence_coverage_check() -> Check:
    record_tables = tuple(sorted(RECORD_TABLES.values()))

    def evaluate(tables: StoredTables) -> tuple[Failures, dict[str, Any]]:
        return checks.evidence_coverage_failures(tables, tables["evidence"]), {}

    return Check(
        "every_record_has_evidence",
        "Every record of every record table is named somewhere in a document.",
        evaluate,
        reads=record_tables,
    )


def checks_of(table: str) -> list[Check]:
    spec = TABLES[table]
    out = [
        schema_check(table),
        primary_key_check(table),
        frame_check(
            table,
            "row_count",
            f"Between {spec.min_rows} and {spec.max_rows} rows.",
            partial(checks.row_count_failures, table),
        ),
    ]
    if spec.foreign_keys or spec.record_reference:
        out.append(reference_check(table))
    if table in ("evidence", "statements"):
        out.append(quote_check(table))
    if table == "evidence":
        out.append(evidence_coverage_check())
    return out


def table_checks(table: str) -> dg.AssetChecksDefinition:
    """Every check of the table, evaluated in one step, each with its own blocking result."""
    table_check_list = checks_of(table)

    @dg.multi_asset_check(
        name=f"{table}_checks",
        description=f"The checks of {table}, on one load of the table.",
        specs=[
            dg.AssetCheckSpec(
                check.name,
                asset=table,
                description=check.description,
                blocking=True,
                additional_deps=list(check.reads),
            )
            for check in table_check_list
        ],
        ins={"frame": dg.AssetIn(table)},
    )
    def _checks(frame: pd.DataFrame, paths: PipelinePaths) -> Iterator[dg.AssetCheckResult]:
        tables = StoredTables(paths.warehouse, {table: frame})
        for check in table_check_list:
            failures, metadata = check.evaluate(tables)
            yield result(table, check.name, failures, **metadata)

    return _checks


def build_checks() -> list[dg.AssetChecksDefinition]:
    return [table_checks(table) for table in PUBLISHED]
