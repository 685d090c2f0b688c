"""The diff compares whole columns in Arrow; it must find what comparing every
record's values in Python finds (nulls, NaN, changed types, repeated keys)."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import diff
from pipeline.diff import (
    listed_records,
    record_keys,
    record_labels,
    release_diff,
    table_diff,
    unchanged_table_diff,
)


def python_keys(table: pa.Table, key: list[str]) -> list[str]:
    parts = [table.column(name).to_pylist() for name in key]
    return ["|".join("" if v is None else str(v) for v in row) for row in zip(*parts, strict=True)]


def diff_in_python(previous: pa.Table, current: pa.Table, key: list[str]) -> dict:
    """Records added, removed and changed, by comparing Python values row by row."""
    common = [c for c in current.schema.names if c in previous.schema.names]

    def rows(table: pa.Table) -> dict[str, tuple]:
        values = [table.column(c).to_pylist() for c in common]
        return dict(zip(python_keys(table, key), zip(*values, strict=True), strict=True))

    old, new = rows(previous), rows(current)
    changed = []
    for record in sorted(old.keys() & new.keys()):
        if old[record] != new[record]:
            fields = [c for c, a, b in zip(common, old[record], new[record], strict=True) if a != b]
            changed.append({"id": record, "fields": fields})
    return {
        "records_added": sorted(new.keys() - old.keys()),
        "records_removed": sorted(old.keys() - new.keys()),
        "records_changed": changed,
    }


def arrow_diff(previous: pa.Table, current: pa.Table, key: list[str]) -> dict:
    out = table_diff(previous, current, key)
    return {k: out[k] for k in ("records_added", "records_removed", "records_changed")}


KEYS = st.sampled_from(["a", "b", "c", "d", "é", "Z", "a|b"])
TEXT = st.one_of(st.none(), st.sampled_from(["x", "y", ""]))
NUMBER = st.one_of(st.none(), st.sampled_from([0.0, -0.0, 1.5, float("nan")]))
COUNT = st.one_of(st.none(), st.integers(-2, 2))
# only int64 holds these exactly
WIDE_COUNT = st.one_of(COUNT, st.sampled_from([-(2**63), 2**63 - 1, 10**12]))


INT64 = pa.int64()


@st.composite
def table(draw: st.DrawFn, count_type: pa.DataType = INT64) -> pa.Table:
    n = draw(st.integers(0, 6))
    return pa.table(
        {
            "id": pa.array(draw(st.lists(KEYS, min_size=n, max_size=n)), pa.string()),
            "text": pa.array(draw(st.lists(TEXT, min_size=n, max_size=n)), pa.string()),
            "share": pa.array(draw(st.lists(NUMBER, min_size=n, max_size=n)), pa.float64()),
            "count": pa.array(
                draw(
                    st.lists(WIDE_COUNT if count_type == INT64 else COUNT, min_size=n, max_size=n)
                ),
                count_type,
            ),
        }
    )


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(table(), table(), st.sampled_from([["id"], ["id", "text"], ["id", "count"], ["count"]]))
def test_records_added_removed_and_changed_are_those_python_finds(previous, current, key):
    assert arrow_diff(previous, current, key) == diff_in_python(previous, current, key)
    assert record_keys(current, key) == python_keys(current, key)


@settings(max_examples=100, deadline=None, database=None, derandomize=True)
@given(table(), table(count_type=pa.float64()))
def test_a_column_whose_type_changed_is_compared_as_python_values(previous, current):
    assert arrow_diff(previous, current, ["id"]) == diff_in_python(previous, current, ["id"])


def test_nan_is_a_change_and_two_nulls_are_not():
    previous = pa.table({"id": ["a", "b"], "share": [float("nan"), None]})
    current = pa.table({"id": ["a", "b"], "share": [float("nan"), None]})
    assert table_diff(previous, current, ["id"])["records_changed"] == [
        {"id": "a", "fields": ["share"]}
    ]


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(table(count_type=pa.int64()), st.sampled_from([["id"], ["id", "count"], ["gone"], []]))
def test_a_table_known_unchanged_gets_the_diff_of_comparing_it_with_itself(current, key):
    without_floats = current.drop_columns(["share"])
    assert unchanged_table_diff(without_floats, key) == table_diff(
        without_floats, without_floats, key
    )
    # NaN differs from itself: with a float column the table is compared after all
    assert unchanged_table_diff(current, key) == table_diff(current, current, key)


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(table(), table(), st.sets(KEYS))
def test_labels_of_the_listed_records_are_those_of_all_labels(previous, current, wanted):
    tables = {"t": current.append_column("name", current.column("text"))}
    keys = {"t": ["id"]}
    every = record_labels(tables, keys)
    assert record_labels(tables, keys, {"t": wanted}) == {
        (t, r): label for (t, r), label in every.items() if r in wanted
    }
    assert record_labels(tables, keys, {}) == {}
    diff = release_diff({"t": previous}, {"t": current}, keys, "2", "1")
    entry = diff["tables"]["t"]
    named = set(entry["records_added"] + entry["records_removed"])
    named |= {c["id"] for c in entry["records_changed"]}
    assert listed_records(diff) == ({"t": named} if named else {})


@settings(max_examples=150, deadline=None, database=None, derandomize=True)
@given(table(), table(), st.sampled_from([["id"], ["id", "count"]]))
def test_cells_gathered_by_take_rather_than_by_runs_give_the_same_diff(previous, current, key):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(diff, "MAX_SLICED_RUNS", 0)
        assert arrow_diff(previous, current, key) == diff_in_python(previous, current, key)


def test_runs_of_matched_rows_are_compared_slice_by_slice():
    ids = [f"r{i:03}" for i in range(300)]
    previous = pa.table({"id": ids, "text": ["x"] * 300})
    current = pa.table(
        {"id": [*ids[:100], "new", *ids[150:], *ids[100:140]], "text": ["x"] * 100 + ["y"] * 191}
    )
    expected = diff_in_python(previous, current, ["id"])
    assert expected["records_changed"]  # the moved rows' text changed
    assert arrow_diff(previous, current, ["id"]) == expected
