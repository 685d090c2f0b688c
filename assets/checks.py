"""Asset checks, generated from the table declarations.

Every published table gets a blocking schema check (lazy Pandera validation,
all failures listed), a primary-key check, a row-count check and, where it has
foreign keys or a record reference, a reference check. Evidence and
statements get a quote check against the documents' text, and evidence a
coverage check over every record table. Blocking: a failure stops the
release, which is downstream of them all.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import dagster as dg
import pandas as pd

from assets.tables import DERIVED_TABLES as QUARANTINED_TABLES
from pipeline import checks
from pipeline.resources import PipelinePaths, load_tables
from schemas.tables import PUBLISHED, RECORD_TABLES, TABLES

Failures = list[dict[str, object]]


def result(failures: Failures, **metadata: Any) -> dg.AssetCheckResult:
    """Pass or fail, with every failure counted and the first ones as a Markdown table."""
    return dg.AssetCheckResult(
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
) -> dg.AssetChecksDefinition:
    @dg.asset_check(asset=table, name=name, blocking=True, description=description)
    def _check(frame: pd.DataFrame) -> dg.AssetCheckResult:
        return result(run(frame), rows=len(frame))

    return _check


def schema_check(table: str) -> dg.AssetChecksDefinition:
    """Lazy Pandera validation; for a quarantining table, also counts the rows held out."""
    description = (
        f"Pandera schema of {table}: types, nullability, allowed values, patterns, row rules."
    )
    if table not in QUARANTINED_TABLES:
        return frame_check(table, "schema", description, partial(checks.schema_failures, table))

    @dg.asset_check(
        asset=table,
        name="schema",
        blocking=True,
        description=description + " Rows that failed it are in rejected_rows (counted here).",
        additional_ins={"rejected_rows": dg.AssetIn("rejected_rows")},
    )
    def _check(frame: pd.DataFrame, rejected_rows: pd.DataFrame) -> dg.AssetCheckResult:
        held = rejected_rows[rejected_rows["table_name"] == table]
        return result(
            checks.schema_failures(table, frame),
            rows=len(frame),
            rows_rejected=len(held),
            rows_rejected_by_check={k: int(v) for k, v in held["check"].value_counts().items()},
        )

    return _check


def reference_check(table: str) -> dg.AssetChecksDefinition:
    spec = TABLES[table]
    record_tables = sorted(RECORD_TABLES.values()) if spec.record_reference else []
    targets = sorted(
        ({fk.table for fk in spec.foreign_keys} | set(record_tables))
        | ({"rejected_rows"} if record_tables else set())
    )
    targets = [t for t in targets if t != table]
    described = [f"{', '.join(fk.columns)} -> {fk.table}" for fk in spec.foreign_keys]
    if spec.record_reference:
        described.append(f"{spec.record_reference.column} -> the record table of its prefix")

    @dg.asset_check(
        asset=table,
        name="foreign_keys",
        blocking=True,
        description="Every reference resolves: " + "; ".join(described),
        additional_deps=targets,
    )
    def _check(frame: pd.DataFrame, paths: PipelinePaths) -> dg.AssetCheckResult:
        tables = {**load_tables(paths.warehouse, targets), table: frame}
        failures = checks.foreign_key_failures(table, tables)
        if spec.record_reference:
            failures += checks.record_reference_failures(table, tables, tables["rejected_rows"])
        return result(failures)

    return _check


def quote_check(table: str) -> dg.AssetChecksDefinition:
    @dg.asset_check(
        asset=table,
        name="quotes_match_text",
        blocking=True,
        description="Every quote equals the document's text at its character offsets.",
        additional_ins={"documents": dg.AssetIn("documents")},
    )
    def _check(frame: pd.DataFrame, documents: pd.DataFrame) -> dg.AssetCheckResult:
        return result(checks.quote_failures(table, frame, documents))

    return _check


def evidence_coverage_check() -> dg.AssetChecksDefinition:
    record_tables = sorted(RECORD_TABLES.values())

    @dg.asset_check(
        asset="evidence",
        name="every_record_has_evidence",
        blocking=True,
        description="Every record of every record table is named somewhere in a document.",
        additional_deps=record_tables,
    )
    def _check(evidence: pd.DataFrame, paths: PipelinePaths) -> dg.AssetCheckResult:
        tables = load_tables(paths.warehouse, record_tables)
        return result(checks.evidence_coverage_failures(tables, evidence))

    return _check


def build_checks() -> list[dg.AssetChecksDefinition]:
    out: list[dg.AssetChecksDefinition] = []
    for table in PUBLISHED:
        spec = TABLES[table]
        out.append(schema_check(table))
        out.append(
            frame_check(
                table,
                "primary_key_unique",
                f"Primary key ({', '.join(spec.primary_key)}) is unique.",
                partial(checks.primary_key_failures, table),
            )
        )
        out.append(
            frame_check(
                table,
                "row_count",
                f"Between {spec.min_rows} and {spec.max_rows} rows.",
                partial(checks.row_count_failures, table),
            )
        )
        if spec.foreign_keys or spec.record_reference:
            out.append(reference_check(table))
    out += [quote_check("evidence"), quote_check("statements"), evidence_coverage_check()]
    return out
