"""Reading rows column by column gives exactly what pandas' to_dict gives."""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from pipeline.frames import arrow_frame, frame_records, text_is_in
from pipeline.resolve import StatementTable
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


def test_frame_records_of_an_empty_frame():
    frame = mixed_frame().iloc[0:0]
    assert frame_records(frame) == []


def test_a_different_value_is_seen():
    frame = mixed_frame()
    other = frame.copy()
    other.loc[2, "text"] = "changed"
    assert not same_cells(frame_records(frame), frame_records(other))


STATED = [
    ("project", "prj-1", "name", "Alpha", "doc-1", 0, 5, "Alpha", "rule@1"),
    ("project", "prj-1", "programme_id", "prg-1", "doc-1", 10, 20, "x", "rule@1"),
    ("programme", "prg-1", "fund", "ERDF", None, None, None, None, "override"),
    ("project", "prj-1", "name", "Alpha", "doc-1", 0, 5, "repeated", "rule@1"),
    ("programme", "prg-1", "name", "Beta", "doc-2", 300, 304, "Beta", "rule@1"),
]
COLUMNS = ("record_type", "record_id", "field", "value", "doc_id")
COLUMNS += ("char_start", "char_end", "quote", "extractor")


def statement_id(*values: object) -> str:
    """The documented id of one statement, written out independently of the code."""
    raw = "\x1f".join(map(str, values))
    return "stm-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def test_statements_come_out_sorted_across_chunks_and_a_repeated_one_once():
    table = StatementTable()
    table.CHUNK_ROWS = 2  # the five statements span three chunks
    for row in STATED:
        table.add(*row)
    rows = table.table().to_pylist()
    assert [(r["record_id"], r["field"], r["quote"]) for r in rows] == [
        ("prg-1", "fund", None),
        ("prg-1", "name", "Beta"),
        ("prj-1", "name", "Alpha"),  # the first one stands
        ("prj-1", "programme_id", "x"),
    ]
    for got, stated in zip(rows, [STATED[i] for i in (2, 4, 0, 1)], strict=True):
        assert [got[c] for c in COLUMNS] == list(stated)
        record_id, field, value, doc_id, start, end, _, extractor = stated[1:]
        expected_id = statement_id(record_id, field, value, doc_id, start, end, extractor)
        assert got["statement_id"] == expected_id
    assert StatementTable().table().num_rows == 0


def test_of_a_repeated_statement_the_first_added_stands():
    table = StatementTable()
    table.CHUNK_ROWS = 2
    for row in reversed(STATED):  # the repeat with quote "repeated" now comes first
        table.add(*row)
    quotes = [r["quote"] for r in table.table().to_pylist()]
    assert quotes == [None, "Beta", "repeated", "x"]


def test_sorted_statements_are_already_what_conform_gives():
    table = StatementTable()
    table.CHUNK_ROWS = 3
    for row in [*STATED, *reversed(STATED)]:
        table.add(*row)
    table.add("project", "prj-1", "name", "Alpha", None, None, None, None, "override")
    table.add("project", "prj-1", "name", "Zeta", "doc-1", 7, 11, "Zeta", "rule@1")
    sorted_frame = arrow_frame(table.table())
    pd.testing.assert_frame_equal(sorted_frame, conform("statements", sorted_frame))


def test_no_statements_give_an_empty_table():
    table = StatementTable().table()
    assert table.num_rows == 0
    assert conform("statements", arrow_frame(table)).empty


def test_an_arrow_table_becomes_the_frame_of_its_rows():
    table = StatementTable()
    for row in STATED:
        table.add(*row)
    statements = table.table()
    by_rows = records_frame("statements", statements.to_pylist())
    by_arrow = conform("statements", arrow_frame(statements))
    pd.testing.assert_frame_equal(by_rows, by_arrow)
    assert by_arrow["char_start"].isna().sum() == 1 and by_arrow["doc_id"].isna().sum() == 1


@given(
    st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=12),
    st.lists(st.one_of(st.none(), st.text(max_size=3)), max_size=12),
)
def test_text_membership_is_what_pandas_isin_says(values, known):
    as_text = pd.StringDtype("pyarrow")
    series, among = pd.Series(values, dtype=as_text), pd.Series(known, dtype=as_text)
    assert text_is_in(series, among).tolist() == series.isin(among).tolist()
