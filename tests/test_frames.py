"""Reading rows column by column gives exactly what pandas' to_dict gives."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from pipeline.frames import frame_records, iter_records
from pipeline.resolve import Statement, statement_columns
from schemas.derive import conform, records_frame


def same_cells(a: list[dict], b: list[dict]) -> bool:
    """Equal rows, keys in the same order, and every value of the same type."""
    if len(a) != len(b):
        return False
    for x, y in zip(a, b, strict=True):
        if list(x) != list(y):
            return False
        for key in x:
            u, v = x[key], y[key]
            if type(u) is not type(v):
                return False
            if isinstance(u, float) and math.isnan(u):
                if not math.isnan(v):
                    return False
            elif u != v:
                return False
    return True


def mixed_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "count": pd.array([1, None, 3], dtype="Int64"),
            "text": pd.array(["a", None, "c"], dtype="string"),
            "share": pd.array([0.5, None, 1.5], dtype="Float64"),
            "flag": pd.array([True, None, False], dtype="boolean"),
            "plain_int": [1, 2, 3],
            "plain_float": [0.5, np.nan, 2.0],
            "inferred_text": ["x", None, "z"],
        }
    )


def test_frame_records_equal_to_dict_records_with_missing_values():
    frame = mixed_frame()
    expected = frame.to_dict("records")
    assert same_cells(frame_records(frame), expected)
    assert expected[1]["count"] is None and expected[1]["text"] is None  # pandas' NA as None
    assert same_cells(list(iter_records(frame)), expected)


def test_frame_records_of_an_empty_frame():
    frame = mixed_frame().iloc[0:0]
    assert frame_records(frame) == [] == list(iter_records(frame))


def test_a_different_value_is_seen():
    frame = mixed_frame()
    other = frame.copy()
    other.loc[2, "text"] = "changed"
    assert not same_cells(frame_records(frame), frame_records(other))


def test_statement_columns_build_the_same_frame_as_rows():
    statements = [
        Statement("project", "prj-1", "name", "Alpha", "doc-1", 0, 5, "Alpha", "rule@1"),
        Statement("project", "prj-1", "programme_id", "prg-1", "doc-1", 10, 20, "x", "rule@1"),
        Statement("programme", "prg-1", "fund", "ERDF", None, None, None, None, "override"),
    ]
    by_rows = records_frame("statements", [s.as_row() for s in statements])
    by_columns = conform("statements", pd.DataFrame(statement_columns(statements)))
    pd.testing.assert_frame_equal(by_rows, by_columns)
    assert by_rows["statement_id"].str.startswith("stm-").all()


def test_known_statement_ids_are_used_for_the_first_statements_only():
    statements = [
        Statement("project", "prj-1", "name", "Alpha", "doc-1", 0, 5, "Alpha", "rule@1"),
        Statement("programme", "prg-1", "fund", "ERDF", None, None, None, None, "override"),
    ]
    computed = statement_columns(statements)["statement_id"]
    assert statement_columns(statements, computed[:1])["statement_id"] == computed
    assert statement_columns(statements, ["stm-given"])["statement_id"] == [
        "stm-given",
        computed[1],
    ]
