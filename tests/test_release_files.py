"""The release's fast paths write the files the plain ones did: CSV built in Arrow is
pandas' ``to_csv`` byte for byte, a table unchanged since the previous release gets
the same files, and a damaged previous release is never copied."""

from __future__ import annotations

import io
import json

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import catalog
from pipeline.release import FORMULA_PREFIXES, ReleaseTables, csv_lines, publish
from pipeline.resources import frame_to_arrow, read_parquet
from schemas.derive import records_frame
from schemas.tables import PUBLISHED, TABLES
from tests.test_release import file_digests, sample_records, sample_tables


def pandas_csv(name: str, frame: pd.DataFrame) -> bytes:
    """How the release wrote CSV before: pandas, after neutralising formula cells."""
    out = frame[TABLES[name].column_names].copy()
    for column in TABLES[name].columns:
        if column.type == "string":
            values = out[column.name].astype("string")
            risky = values.str.startswith(FORMULA_PREFIXES).fillna(False).astype(bool)
            out[column.name] = values.mask(risky, "'" + values)
    buffer = io.BytesIO()
    out.to_csv(buffer, index=False, encoding="utf-8", lineterminator="\r\n")
    return buffer.getvalue()


def arrow_csv(name: str, frame: pd.DataFrame) -> bytes:
    return b"".join(bytes(chunk) for chunk in csv_lines(name, frame_to_arrow(name, frame)))


# Every character the CSV rules or the formula rule look at, and some that they do not.
CHARACTERS = [",", '"', "\r", "\n", "=", "+", "-", "@", "\t", " ", "'", ";", "a", "é", "€", "😀"]
# (integers beyond 2**53 do not survive records_frame's float round trip)
VALUES = {
    "string": st.text(alphabet=st.sampled_from(CHARACTERS), max_size=6),
    "integer": st.one_of(st.integers(-(2**53), 2**53), st.integers(-3, 3)),
}


def rows_of(name: str) -> st.SearchStrategy[list[dict]]:
    """Rows of any values of the declared types, null where the column allows it."""
    columns = {
        c.name: VALUES[c.type] if not c.nullable else st.one_of(st.none(), VALUES[c.type])
        for c in TABLES[name].columns
    }
    return st.lists(st.fixed_dictionaries(columns), max_size=8)


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(rows_of("objective_actions"), rows_of("evidence"))
def test_csv_built_in_arrow_is_what_pandas_writes(actions, spans):
    for name, rows in (("objective_actions", actions), ("evidence", spans)):
        frame = records_frame(name, rows)
        assert arrow_csv(name, frame) == pandas_csv(name, frame)


def test_csv_of_many_rows_is_written_in_batches_with_the_same_bytes():
    texts = ["plain", 'a "b", c', "=1", "", None, "line\nbreak"] * 30_000
    rows = [
        {"project_id": f"prj-{i:012x}", "name": "n", "programme_id": None, "description": t}
        for i, t in enumerate(texts)
    ]
    frame = records_frame("projects", rows)
    assert arrow_csv("projects", frame) == pandas_csv("projects", frame)


def test_every_sample_table_is_written_as_pandas_wrote_it():
    for name, frame in sample_tables().items():
        assert arrow_csv(name, frame) == pandas_csv(name, frame), name


def test_a_table_unchanged_since_the_previous_release_has_the_same_files(tmp_path):
    releases = tmp_path / "releases"
    publish(sample_tables(), releases, "1.0")
    renamed = [dict(sample_records()["projects"][0], name="Renamed")]
    second = publish(sample_tables(projects=renamed), releases, "2.0")
    alone = publish(sample_tables(projects=renamed), tmp_path / "alone" / "releases", "2.0")
    again, fresh = file_digests(second), file_digests(alone)
    for name in PUBLISHED:
        for suffix in (".csv", ".parquet"):
            assert again[name + suffix] == fresh[name + suffix], name + suffix
    diff = json.loads((second / catalog.DIFF_FILE).read_text())
    assert diff["tables"]["projects"]["records_changed"] == [
        {"id": renamed[0]["project_id"], "fields": ["name"]}
    ]
    assert diff["tables"]["territories"]["records_changed"] == []
    assert catalog.verify_checksums(second) == []


def test_a_damaged_file_of_the_previous_release_is_not_copied(tmp_path):
    releases = tmp_path / "releases"
    first = publish(sample_tables(), releases, "1.0")
    (first / "territories.csv").write_bytes(b"damaged\r\n")
    second = publish(sample_tables(), releases, "2.0")
    fresh = publish(sample_tables(), tmp_path / "alone" / "releases", "2.0")
    assert (second / "territories.csv").read_bytes() == (fresh / "territories.csv").read_bytes()
    assert catalog.verify_checksums(second) == []


def test_the_release_reads_the_stored_tables_as_the_frames_they_hold(seed_build):
    assert seed_build.release_dir is not None
    warehouse = seed_build.release_dir.parent.parent
    stored = ReleaseTables.from_warehouse(warehouse)
    for name in PUBLISHED:
        frame = read_parquet(warehouse / "assets" / f"{name}.parquet")
        assert stored.arrow[name].equals(frame_to_arrow(name, frame), check_metadata=True), name
        pd.testing.assert_frame_equal(stored.frames[name], frame)
        assert seed_build.rows[name] == len(frame)
    assert isinstance(stored.arrow["statements"], pa.Table)
