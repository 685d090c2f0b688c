"""Asset checks, generated from the table declarations.

Every published table gets a blocking schema check (lazy Pandera validation,
all failures listed), a primary-key check, a row-count check and, where it has
foreign keys, a foreign-key check. Evidence and statements get a quote check
against the documents' text, and evidence a coverage check over every record
table. Blocking: a failure stops the release, which is downstream of them all.
"""

from collections.abc import Callable
from functools import partial
from typing import Any

import dagster as dg
import pandas as pd

from pipeline import checks
from pipeline.resources import PipelinePaths, load_tables
from schemas.tables import PUBLISHED, RECORD_TABLES, TABLES

Failures = list[dict[str, object]]


def result(failures: Failures, **metadata: Any) -> dg.AssetCheckResult:
    listed = "\n".join(f"- {f.get('reason')}" for f in failures[: checks.MAX_LISTED])
    return dg.AssetCheckResult(
        passed=not failures,
        severity=dg.AssetCheckSeverity.ERROR,
        description=None if not failures else f"{len(failures)} failure(s)",
        metadata={
            "failures": len(failures),
            "details": dg.MetadataValue.md(listed or "none"),
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


def foreign_key_check(table: str) -> dg.AssetChecksDefinition:
    targets = sorted({fk.table for fk in TABLES[table].foreign_keys} - {table})

    @dg.asset_check(
        asset=table,
        name="foreign_keys",
        blocking=True,
        description="Every foreign key resolves: "
        + ", ".join(f"{','.join(fk.columns)} -> {fk.table}" for fk in TABLES[table].foreign_keys),
        additional_deps=targets,
    )
    def _check(frame: pd.DataFrame, paths: PipelinePaths) -> dg.AssetCheckResult:
        tables = {table: frame, **load_tables(paths.warehouse, targets)}
        return result(checks.foreign_key_failures(table, tables))

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
        out.append(
            frame_check(
                table,
                "schema",
                f"Pandera schema of {table}: types, nullability, allowed values, patterns.",
                partial(checks.schema_failures, table),
            )
        )
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
        if spec.foreign_keys:
            out.append(foreign_key_check(table))
    out += [quote_check("evidence"), quote_check("statements"), evidence_coverage_check()]
    return out
