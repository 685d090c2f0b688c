"""Everything that is derived from the table declarations.

Pandera schemas for validation, Arrow schemas for Parquet, pandas dtypes for
frames, Dagster column schemas for the UI. Nothing here names a column: it all
comes from :mod:`schemas.tables`.
"""

from __future__ import annotations

from functools import cache

import dagster as dg
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow

from schemas.spec import Column, Table
from schemas.tables import TABLES

PANDAS_DTYPES = {"string": "string", "integer": "Int64", "number": "Float64", "boolean": "boolean"}
ARROW_TYPES = {
    "string": pa_arrow.string(),
    "integer": pa_arrow.int64(),
    "number": pa_arrow.float64(),
    "boolean": pa_arrow.bool_(),
}


def column_doc(col: Column) -> str:
    """The column's description with its unit and constraints, for humans."""
    parts = [col.description]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    if col.allowed:
        parts.append("One of: " + ", ".join(col.allowed) + ".")
    if col.pattern:
        parts.append(f"Pattern: {col.pattern}")
    return " ".join(parts)


@cache
def arrow_schema(table_name: str) -> pa_arrow.Schema:
    """Explicit Arrow schema, with column descriptions as field metadata."""
    table = TABLES[table_name]
    fields = [
        pa_arrow.field(
            c.name,
            ARROW_TYPES[c.type],
            nullable=c.nullable,
            metadata={"description": column_doc(c)},
        )
        for c in table.columns
    ]
    return pa_arrow.schema(fields, metadata={"table": table.name, "description": table.description})


def empty_frame(table_name: str) -> pd.DataFrame:
    table = TABLES[table_name]
    return pd.DataFrame({c.name: pd.Series([], dtype=PANDAS_DTYPES[c.type]) for c in table.columns})


def conform(table_name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Declared columns in declared order and dtypes, rows in canonical order.

    A missing declared column is an error, not a silent null column: it means
    the code building the table and its declaration disagree.
    """
    table = TABLES[table_name]
    missing = [c for c in table.column_names if c not in frame.columns]
    if missing:
        raise ValueError(f"{table_name}: missing declared columns {missing}")
    out = pd.DataFrame(
        {
            c.name: frame[c.name].astype(PANDAS_DTYPES[c.type])
            if len(frame)
            else pd.Series([], dtype=PANDAS_DTYPES[c.type])
            for c in table.columns
        }
    )
    if len(out):
        out = out.sort_values(table.order, kind="mergesort", na_position="first")
    return out.reset_index(drop=True)


def _checks(col: Column) -> list[pa.Check]:
    checks: list[pa.Check] = []
    if col.allowed:
        checks.append(pa.Check.isin(list(col.allowed)))
    if col.pattern:
        checks.append(pa.Check.str_matches(col.pattern))
    if col.minimum is not None:
        checks.append(pa.Check.ge(col.minimum))
    if col.maximum is not None:
        checks.append(pa.Check.le(col.maximum))
    return checks


@cache
def pandera_schema(table_name: str) -> pa.DataFrameSchema:
    table = TABLES[table_name]
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                PANDAS_DTYPES[c.type],
                checks=_checks(c),
                nullable=c.nullable,
                unique=c.unique,
                description=column_doc(c),
            )
            for c in table.columns
        },
        unique=list(table.primary_key),
        strict=True,
        ordered=True,
        name=table.name,
        description=table.description,
    )


def dagster_column_schema(table_name: str) -> dg.TableSchema:
    table: Table = TABLES[table_name]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=c.type,
                description=column_doc(c),
                constraints=dg.TableColumnConstraints(nullable=c.nullable, unique=c.unique),
            )
            for c in table.columns
        ]
    )


def records_frame(table_name: str, records: list[dict]) -> pd.DataFrame:
    """Rows given as dicts -> a conformed frame; keys not declared are an error."""
    names = TABLES[table_name].column_names
    extra = sorted({k for r in records for k in r} - set(names))
    if extra:
        raise ValueError(f"{table_name}: undeclared columns {extra}")
    frame = pd.DataFrame(records, columns=names)
    return conform(table_name, frame)
