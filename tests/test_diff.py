"""The release diff finds what was added, removed and changed, and nothing else."""

from __future__ import annotations

import pyarrow as pa

from pipeline.diff import LISTED_IN_WORDS, changes_markdown, release_diff, table_diff

KEY = ["project_id"]


def projects(rows: list[tuple]) -> pa.Table:
    return pa.table(
        {
            "project_id": [r[0] for r in rows],
            "name": [r[1] for r in rows],
            "programme_id": [r[2] for r in rows],
        },
        schema=pa.schema(
            [("project_id", pa.string()), ("name", pa.string()), ("programme_id", pa.string())]
        ),
    )


def test_records_added_removed_and_changed_by_id_with_the_changed_fields():
    before = projects([("p1", "Alpha", "g1"), ("p2", "Beta", "g1"), ("p3", "Gamma", None)])
    after = projects([("p1", "Alpha", "g1"), ("p3", "Gamma", "g2"), ("p4", "Delta", "g1")])
    diff = table_diff(before, after, KEY)
    assert diff["records_added"] == ["p4"]
    assert diff["records_removed"] == ["p2"]
    assert diff["records_changed"] == [{"id": "p3", "fields": ["programme_id"]}]
    assert (diff["rows_before"], diff["rows_after"]) == (3, 3)


def test_same_rows_in_another_order_are_no_change():
    rows = [("p1", "Alpha", "g1"), ("p2", None, "g1")]
    diff = table_diff(projects(rows), projects(rows[::-1]), KEY)
    assert diff["records_added"] == diff["records_removed"] == diff["records_changed"] == []


def test_a_null_that_gets_a_value_is_a_change_and_several_fields_are_listed():
    before = projects([("p1", None, "g1")])
    after = projects([("p1", "Alpha", "g2")])
    assert table_diff(before, after, KEY)["records_changed"] == [
        {"id": "p1", "fields": ["name", "programme_id"]}
    ]


def test_composite_keys_are_joined_with_a_bar():
    before = pa.table({"project_id": ["p1", "p1"], "organisation_id": ["o1", "o2"]})
    after = pa.table({"project_id": ["p1"], "organisation_id": ["o1"]})
    diff = table_diff(before, after, ["project_id", "organisation_id"])
    assert diff["records_removed"] == ["p1|o2"]
    assert diff["records_added"] == []


def test_a_new_column_is_reported_once_not_as_a_change_of_every_record():
    before = pa.table({"project_id": ["p1", "p2"], "name": ["A", "B"]})
    after = pa.table({"project_id": ["p1", "p2"], "name": ["A", "B"], "url": ["x", "y"]})
    diff = table_diff(before, after, KEY)
    assert diff["columns_added"] == ["url"]
    assert diff["columns_removed"] == []
    assert diff["records_changed"] == []
    back = table_diff(after, before, KEY)
    assert back["columns_removed"] == ["url"]


def test_records_are_not_compared_when_the_key_column_is_gone():
    before = pa.table({"project_id": ["p1"], "name": ["A"]})
    after = pa.table({"code": ["p1"], "name": ["A"]})
    diff = table_diff(before, after, KEY)
    assert diff["records_compared"] is False
    assert "records_added" not in diff


def test_tables_added_and_removed_and_the_first_release():
    old = {"projects": projects([("p1", "A", None)]), "legacy": pa.table({"x": [1]})}
    new = {"projects": projects([("p1", "A", None)]), "documents": pa.table({"doc_id": ["d"]})}
    diff = release_diff(old, new, {"projects": KEY}, "2.0", "1.0")
    assert diff["tables_added"] == ["documents"]
    assert diff["tables_removed"] == ["legacy"]
    assert diff["tables"]["legacy"] == {"rows_before": 1, "rows_after": None}
    first = release_diff(None, new, {"projects": KEY}, "1.0", None)
    assert first["previous_version"] is None
    assert first["tables_added"] == ["documents", "projects"]


def test_changes_in_words_name_the_records_and_cut_long_lists():
    before = projects([])
    after = projects([(f"p{i:03d}", f"Name {i}", None) for i in range(LISTED_IN_WORDS + 5)])
    diff = release_diff({"projects": before}, {"projects": after}, {"projects": KEY}, "2", "1")
    text = changes_markdown(diff, {("projects", "p000"): "Name 0"})
    assert "# Changes in release 2 since release 1" in text
    assert f"{LISTED_IN_WORDS + 5} record(s) added:" in text
    assert "- `p000` (Name 0)" in text
    assert f"`p{LISTED_IN_WORDS:03d}`" not in text
    assert "and 5 more (see `diff.json`)" in text
    assert "| `projects` | 0 | 30 | 30 | 0 | 0 |" in text


def test_changes_in_words_say_when_nothing_changed():
    same = {"projects": projects([("p1", "A", None)])}
    text = changes_markdown(release_diff(same, same, {"projects": KEY}, "2", "1"), {})
    assert "No table, column or record was added, removed or changed." in text
    first = changes_markdown(release_diff(None, same, {"projects": KEY}, "1", None), {})
    assert "first release" in first
