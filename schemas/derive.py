"""Everything that is derived from the table declarations.

Pandera schemas for validation, Arrow schemas for Parquet, pandas dtypes for
frames, Dagster column schemas for the UI. Nothing here names a column: it all
comes from :mod:`schemas.tables`.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import dagster as dg
import numpy as np
import pandas as pd
import pandera.pandas as pa
import pyarrow as pa_arrow
import pyarrow.compute as pc

from schemas.spec import Column, RowRule, Table
from schemas.tables import TABLES

PANDAS_DTYPES: dict[str, Any] = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
}
ARROW_TYPES = {
    "string": pa_arrow.string(),
    "integer": pa_arrow.int64(),
    "number": pa_arrow.float64(),
    "boolean": pa_arrow.bool_(),
}


def constraints_doc(col: Column) -> list[str]:
    """The column's constraints in words, for the dictionary and the UI."""
    parts = []
    if col.code_list:
        parts.append(
            f"One of the {len(col.code_list.codes)} codes of {col.code_list.name} "
            f"({col.code_list.source})."
        )
    elif col.allowed:
        parts.append("One of: " + ", ".join(col.allowed) + ".")
    if col.pattern:
        parts.append(f"Pattern: {col.pattern}.")
    if col.minimum is not None:
        parts.append(f"Minimum: {col.minimum:g}.")
    if col.maximum is not None:
        parts.append(f"Maximum: {col.maximum:g}.")
    if col.unique:
        parts.append("Unique.")
    return parts


def column_doc(col: Column) -> str:
    """The column's description with its unit and constraints, for humans."""
    parts = [col.description]
    if col.unit:
        parts.append(f"Unit: {col.unit}.")
    return " ".join(parts + constraints_doc(col))


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

    A missing declared column is an error, not a silent null column, and an
    undeclared one is an error, not silently dropped: either means the code
    building the table and its declaration disagree.
    """
    table = TABLES[table_name]
    missing = [c for c in table.column_names if c not in frame.columns]
    undeclared = [c for c in frame.columns if c not in table.column_names]
    if missing or undeclared:
        raise ValueError(
            f"{table_name}: missing declared columns {missing}, undeclared columns {undeclared}"
        )
    out = pd.DataFrame(
        {
            c.name: frame[c.name].astype(PANDAS_DTYPES[c.type])
            if len(frame)
            else pd.Series([], dtype=PANDAS_DTYPES[c.type])
            for c in table.columns
        }
    )
    if len(out):
        keys = pa_arrow.Table.from_pandas(out[table.order], preserve_index=False)
        order = canonical_order(table_name, keys)
        if (order != np.arange(len(order))).any():
            out = out.take(order)
    return out.reset_index(drop=True)


def canonical_order(table_name: str, keys: pa_arrow.Table) -> np.ndarray:
    """Row positions that sort a table's rows (``keys``: at least its order
    columns) in its canonical order: by the order columns, missing values
    first, ties in their order, as ``sort_values(order, kind="mergesort",
    na_position="first")`` sorts them, but in Arrow: 0.9 s and 15 MB instead
    of 1.4 s and 280 MB for a million statements."""
    order = TABLES[table_name].order
    return pc.sort_indices(keys, sort_keys=[(c, "ascending", "at_start") for c in order]).to_numpy()


def column_checks(col: Column) -> list[pa.Check]:
    """Pandera checks for the column; their error texts are what a failure report shows."""
    checks: list[pa.Check] = []
    if col.code_list:
        checks.append(
            pa.Check.isin(list(col.code_list.codes), error=f"not in {col.code_list.name}")
        )
    elif col.allowed:
        checks.append(
            pa.Check.isin(list(col.allowed), error=f"not one of {', '.join(col.allowed)}")
        )
    if col.pattern:
        # Frictionless anchors patterns at both ends; so does this.
        checks.append(
            pa.Check.str_matches(f"(?:{col.pattern})$", error=f"does not match {col.pattern}")
        )
    if col.type == "string":
        # A CSV cannot tell an empty string from a missing value: text is null or non-empty.
        checks.append(pa.Check.str_length(min_value=1, error="empty string (write null instead)"))
    if col.minimum is not None:
        checks.append(pa.Check.ge(col.minimum, error=f"below the minimum {col.minimum:g}"))
    if col.maximum is not None:
        checks.append(pa.Check.le(col.maximum, error=f"above the maximum {col.maximum:g}"))
    return checks


# Row rules are judged this many rows at a time: a rule may build Python values for every
# row it reads (250 MB over the million statements of 10,000 pages at once).
RULE_SLICE_ROWS = 131_072


def rule_check(rule: RowRule) -> pa.Check:
    """A row rule as a frame-wide Pandera check; rows where it cannot be judged pass.

    A row rule reads one row at a time, so it is judged on slices of rows and the
    verdicts put end to end: the same verdicts, with a slice's memory at most.
    """

    def judged(part: pd.DataFrame) -> pd.Series:
        return rule.holds(part).astype("boolean").fillna(True).astype(bool)

    def holds(frame: pd.DataFrame) -> pd.Series:
        if len(frame) <= RULE_SLICE_ROWS:
            return judged(frame)
        slices = range(0, len(frame), RULE_SLICE_ROWS)
        return pd.concat([judged(frame.iloc[i : i + RULE_SLICE_ROWS]) for i in slices])

    return pa.Check(holds, name=rule.name, error=rule.description)


@cache
def pandera_schema(table_name: str, key_check: bool = True) -> pa.DataFrameSchema:
    """The table's Pandera schema; without ``key_check``, the primary key's uniqueness is
    not checked (the caller knows it holds)."""
    table = TABLES[table_name]
    return pa.DataFrameSchema(
        {
            c.name: pa.Column(
                PANDAS_DTYPES[c.type],
                checks=column_checks(c),
                nullable=c.nullable,
                unique=c.unique,
                description=column_doc(c),
            )
            for c in table.columns
        },
        checks=[rule_check(r) for r in table.rules],
        unique=list(table.primary_key) if key_check else None,
        strict=True,
        ordered=True,
        name=table.name,
        description=table.description,
    )


def repeats_a_key(frame: pd.DataFrame, columns: Sequence[str]) -> bool | None:
    """Whether two rows hold the same values in ``columns`` (missing values equal), as
    ``frame.duplicated(subset=columns).any()`` says, found by sorting in Arrow: for the
    million statement ids 40 MB instead of pandas' 200 MB of hash table and Python
    strings. None when it cannot say (a column missing or repeated, or not text or integers)."""
    if not frame.columns.is_unique or any(c not in frame.columns for c in columns):
        return None
    try:
        keys = pa_arrow.Table.from_pandas(frame[list(columns)], preserve_index=False)
    except (pa_arrow.ArrowInvalid, pa_arrow.ArrowTypeError):
        return None
    exact = (pa_arrow.types.is_integer, pa_arrow.types.is_string, pa_arrow.types.is_large_string)
    if not all(any(test(keys[c].type) for test in exact) for c in columns):
        return None  # floats: NaN is not equal to itself in Arrow
    if keys.num_rows < 2:
        return False
    order = pc.sort_indices(keys, sort_keys=[(c, "ascending") for c in columns])
    ordered = keys.take(order)
    same = None
    for c in columns:
        after, before = ordered[c].slice(1), ordered[c].slice(0, keys.num_rows - 1)
        equal = pc.or_(
            pc.fill_null(pc.equal(after, before), False),
            pc.and_(pc.is_null(after), pc.is_null(before)),
        )
        same = equal if same is None else pc.and_(same, equal)
    return bool(pc.any(same).as_py())


def table_constraints_doc(table: Table) -> list[str]:
    """Keys and row rules of a table in words, for the dictionary and the UI."""
    parts = [f"Primary key: {', '.join(table.primary_key)}."]
    parts += [
        f"Foreign key: {', '.join(fk.columns)} -> {fk.table}({', '.join(fk.ref_columns)})."
        for fk in table.foreign_keys
    ]
    if table.record_reference:
        parts.append(
            f"Record reference: {table.record_reference.column} is the ID of a row of the "
            "record table its prefix names (or of a row of it held in rejected_rows)."
        )
    parts += [f"Rule {r.name}: {r.description}" for r in table.rules]
    parts.append(f"Rows: {table.min_rows} to {table.max_rows}.")
    return parts


def dagster_column_schema(table_name: str) -> dg.TableSchema:
    table: Table = TABLES[table_name]
    return dg.TableSchema(
        columns=[
            dg.TableColumn(
                name=c.name,
                type=c.type,
                description=c.description + (f" Unit: {c.unit}." if c.unit else ""),
                constraints=dg.TableColumnConstraints(
                    nullable=c.nullable, unique=c.unique, other=constraints_doc(c)
                ),
            )
            for c in table.columns
        ],
        constraints=dg.TableConstraints(other=table_constraints_doc(table)),
    )


def records_frame(table_name: str, records: list[dict]) -> pd.DataFrame:
    """Rows given as dicts -> a conformed frame; keys not declared are an error."""
    names = TABLES[table_name].column_names
    extra = sorted({k for r in records for k in r} - set(names))
    if extra:
        raise ValueError(f"{table_name}: undeclared columns {extra}")
    frame = pd.DataFrame(records, columns=names)
    return conform(table_name, frame)
