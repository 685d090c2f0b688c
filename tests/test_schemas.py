"""Every table is declared once and everything derives from the declaration."""

from __future__ import annotations

import random
import re

import pandas as pd
import pytest

from pipeline.definitions import defs
from pipeline.release import FORMULA_PREFIXES
from pipeline.tables import NAME_COLUMN, build_evidence, build_tables
from schemas.codes import COUNTRIES, NUTS_2021
from schemas.derive import (
    arrow_schema,
    conform,
    dagster_column_schema,
    pandera_schema,
    records_frame,
    repeats_a_key,
)
from schemas.package import data_dictionary, datapackage, table_section
from schemas.spec import Column, Table
from schemas.tables import ID_PREFIX, PUBLISHED, RECORD_TABLES, TABLES


@pytest.mark.parametrize("name", list(TABLES))
def test_every_table_builds_every_derived_schema(name):
    table = TABLES[name]
    assert list(pandera_schema(name).columns) == table.column_names
    arrow = arrow_schema(name)
    assert arrow.names == table.column_names
    assert all(field.metadata[b"description"] for field in arrow)
    assert [c.name for c in dagster_column_schema(name).columns] == table.column_names
    if table.published:
        fields = datapackage("v", PUBLISHED)["resources"][PUBLISHED.index(name)]["schema"]
        assert [f["name"] for f in fields["fields"]] == table.column_names
        assert all(f"`{c}`" in table_section(table) for c in table.column_names)


def test_the_dictionary_and_package_cover_exactly_the_published_tables():
    package = datapackage("v", PUBLISHED)
    assert [r["name"] for r in package["resources"]] == PUBLISHED
    dictionary = data_dictionary()
    for name in TABLES:
        assert (f"(`{name}`)" in dictionary) == TABLES[name].published, name
    with pytest.raises(ValueError, match="not published"):
        datapackage("v", ["mentions"])
    with pytest.raises(ValueError, match="does not list"):
        datapackage("v", ["objective_actions"])  # its foreign key target is missing


def test_the_dictionary_states_the_rules_that_decide_published_values():
    from pipeline.tables import CONFLICT_RULE, NAME_RULE

    dictionary = data_dictionary()
    assert CONFLICT_RULE in dictionary and NAME_RULE in dictionary
    assert "leading `'`" in dictionary and "`=`" in dictionary


def test_every_table_asset_declares_its_columns_before_any_run():
    graph = defs.resolve_asset_graph()
    for key in graph.get_all_asset_keys():
        name = key.path[-1]
        if name in TABLES:
            assert graph.get(key).metadata["dagster/column_schema"] == dagster_column_schema(name)


def test_declarations_refuse_anchored_patterns_and_unknown_key_columns():
    with pytest.raises(ValueError, match="anchors"):
        Column("x", "string", "x", pattern="^[A-Z]$")
    with pytest.raises(ValueError, match="unknown"):
        Table("t", "T", "t", (Column("a", "string", "a"),), primary_key=("b",))


def test_every_foreign_key_points_at_a_declared_primary_key():
    for table in TABLES.values():
        for fk in table.foreign_keys:
            assert fk.ref_columns == TABLES[fk.table].primary_key, (table.name, fk)
            assert TABLES[fk.table].published or not table.published


def test_no_allowed_value_is_altered_by_the_csv_formula_rule():
    """CSV cells starting with a formula character get a quote: no code may start with one."""
    for table in TABLES.values():
        for col in table.columns:
            for value in col.allowed_values or ():
                assert not value.startswith(FORMULA_PREFIXES), (table.name, col.name, value)
            if col.pattern:
                first = re.compile(f"(?:{col.pattern})")
                assert not any(first.match(p + "0" * 20) for p in FORMULA_PREFIXES), col.name


def test_code_lists_are_the_real_ones():
    assert {"GR", "GB", "XK", "FR"} <= set(COUNTRIES.codes)
    assert not {"EL", "UK"} & set(COUNTRIES.codes)  # NUTS spellings, not ISO 3166
    assert len(COUNTRIES.codes) > 240
    assert {"EL30", "UKI", "BE", "FRE11", "DEZ"} <= set(NUTS_2021.codes)
    assert len(NUTS_2021.codes) > 2000


def test_conform_refuses_undeclared_and_missing_columns():
    frame = pd.DataFrame({"programme_id": ["prg-000000000001"], "territory_id": ["ter-0"]})
    with pytest.raises(ValueError, match="undeclared columns \\['extra'\\]"):
        conform("programme_territories", frame.assign(extra=1))
    with pytest.raises(ValueError, match="missing declared columns \\['territory_id'\\]"):
        conform("programme_territories", frame.drop(columns=["territory_id"]))
    with pytest.raises(ValueError, match="undeclared"):
        records_frame("programme_territories", [{"programme_id": "p", "surprise": 1}])


def statements_for_every_column() -> pd.DataFrame:
    """One statement per column of every record table, and one per link field."""
    ids = {t: f"{p}-{'0' * 11}1" for t, p in ID_PREFIX.items()}
    rows = []
    for record_type, table_name in RECORD_TABLES.items():
        table = TABLES[table_name]
        name_column = NAME_COLUMN.get(record_type, "name")
        for col in table.columns:
            if col.name == table.primary_key[0]:
                continue
            field = "name" if col.name == name_column else col.name
            value = ids[col.name[: -len("_id")]] if col.name.endswith("_id") else "1"
            rows.append((record_type, ids[record_type], field, value))
    rows.append(("territory", ids["territory"], "area_of", ids["programme"]))
    rows.append(("organisation", ids["organisation"], "partner_of", ids["project"]))
    # Two values for one field: a conflict.
    rows.append(("programme", ids["programme"], "fund", "ESF+"))
    frame = pd.DataFrame(rows, columns=["record_type", "record_id", "field", "value"])
    n = len(frame)
    return frame.assign(
        statement_id=[f"stm-{i:016x}" for i in range(n)],
        doc_id="doc-0000000000000001",
        char_start=pd.array(range(n), dtype="Int64"),
        char_end=pd.array(range(1, n + 1), dtype="Int64"),
        quote="x",
        extractor="test@1",
    )


def test_every_declared_column_of_the_derived_tables_is_filled_by_the_table_builder():
    """A declared column the table code never fills is dead; one it adds is refused."""
    statements = statements_for_every_column()
    built = build_tables(statements)
    built["evidence"] = build_evidence(statements)
    for name, frame in built.items():
        assert list(frame.columns) == TABLES[name].column_names, name
        assert len(frame), name
        empty = [c for c in frame.columns if frame[c].isna().all()]
        assert not empty, (name, empty)


def evidence_row(record_id, doc_id, start, end, quote):  # type: ignore[no-untyped-def]
    return {
        "record_type": "project",
        "record_id": record_id,
        "doc_id": doc_id,
        "char_start": start,
        "char_end": end,
        "quote": quote,
    }


def test_conform_puts_missing_values_first_and_keeps_ties_in_their_order():
    rows = [
        evidence_row("rec-2", "doc-b", 5, 9, "tie 1"),
        evidence_row("rec-1", "doc-a", 3, 4, "rec-1"),
        evidence_row("rec-2", None, 1, 2, "no doc"),
        evidence_row("rec-2", "doc-b", 5, 9, "tie 2"),
        evidence_row(None, "doc-a", 1, 1, "no record"),
        evidence_row("rec-2", "doc-b", None, 9, "no start"),
        evidence_row("rec-2", "doc-b", 5, 9, "tie 3"),
        evidence_row("rec-é", "doc-a", 0, 1, "accent"),  # after every ASCII id
        evidence_row("rec-10", "doc-a", 2, 3, "rec-10"),  # text order: rec-1 < rec-10 < rec-2
    ]
    out = records_frame("evidence", rows)
    assert out["quote"].tolist() == [
        "no record",
        "rec-1",
        "rec-10",
        "no doc",
        "no start",
        "tie 1",
        "tie 2",
        "tie 3",
        "accent",
    ]


def test_conform_sorts_like_a_stable_pandas_sort_with_missing_values_first():
    """Thousands of rows over a few keys, with missing values in every key
    column: an unstable sort would mix up the ties, another null placement
    would move the missing ones; the quote holds each row's input position."""
    rng = random.Random(8)
    rows = [
        evidence_row(
            rng.choice(["rec-1", "rec-2", "rec-10", "rec-ä", None]),
            rng.choice(["doc-a", "doc-b", None]),
            rng.choice([0, 7, 12, None]),
            rng.choice([3, 20, None]),
            str(position),
        )
        for position in range(6000)
    ]
    typed = pd.DataFrame(rows).astype(
        {"char_start": "Int64", "char_end": "Int64", "quote": "string", "record_id": "string"}
    )
    typed = typed.astype({"record_type": "string", "doc_id": "string"})
    expected = typed.sort_values(TABLES["evidence"].order, kind="mergesort", na_position="first")
    out = records_frame("evidence", rows)
    pd.testing.assert_frame_equal(out, expected.reset_index(drop=True))
    assert out["record_id"].isna().iloc[: out["record_id"].isna().sum()].all()
    ties = out.groupby(TABLES["evidence"].order, dropna=False, sort=False)["quote"]
    assert ties.apply(lambda q: q.astype(int).is_monotonic_increasing).all()


@pytest.mark.parametrize("seed", range(40))
def test_repeated_keys_are_found_as_pandas_finds_them(seed):
    rng = random.Random(seed)
    n = rng.randint(0, 12)
    frame = pd.DataFrame(
        {
            "a": pd.Series([rng.choice(["x", "y", "xy", None]) for _ in range(n)], dtype="string"),
            "b": pd.Series([rng.choice([0, 1, -1, None]) for _ in range(n)], dtype="Int64"),
        }
    )
    for columns in (["a"], ["b"], ["a", "b"], ["b", "a"]):
        expected = bool(frame.duplicated(subset=columns).any())
        assert repeats_a_key(frame, columns) is expected, (frame, columns)


def test_repeated_keys_are_left_to_pandas_when_arrow_cannot_tell():
    frame = pd.DataFrame({"f": pd.Series([float("nan"), float("nan")]), "s": ["a", "a"]})
    assert repeats_a_key(frame, ["f"]) is None  # NaN equals NaN for pandas only
    assert repeats_a_key(frame, ["missing"]) is None
    assert repeats_a_key(pd.concat([frame, frame[["s"]]], axis=1), ["s"]) is None
    assert repeats_a_key(frame.assign(o=[1, "1"]), ["o"]) is None
    assert repeats_a_key(frame, ["s"]) is True
