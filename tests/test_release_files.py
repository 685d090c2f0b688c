"""The release's fast paths write the files the plain ones did: CSV built in Arrow is
pandas' ``to_csv`` byte for byte, a table unchanged since the previous release gets
the same files, and a damaged previous release is never copied."""

from __future__ import annotations

import hashlib
import io
import json

import pandas as pd
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import catalog
from pipeline.diff import KeptRows, table_diff
from pipeline.release import (
    CSV_WRITERS_FILE,
    FORMULA_PREFIXES,
    ReleaseTables,
    csv_lines,
    csv_records,
    csv_writer,
    csv_writer_of,
    publish,
    write_csv,
    write_spliced_csv,
)
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


def rewrite_listed(release, name: str, data: bytes) -> None:
    """Replace a file of a release and its line in SHA256SUMS, as another writer would have."""
    (release / name).write_bytes(data)
    sums = release / catalog.CHECKSUMS_FILE
    lines = [
        f"{hashlib.sha256(data).hexdigest()}  {name}" if line.endswith(f"  {name}") else line
        for line in sums.read_text().splitlines()
    ]
    sums.write_text("\n".join(lines) + "\n")


def test_csv_files_are_copied_only_from_a_release_this_code_wrote(tmp_path):
    """A release written by other code (another CSV format) lends no lines: the
    new files are those a fresh release has; by this code, they are copied."""
    releases = tmp_path / "releases"
    fresh = publish(sample_tables(), tmp_path / "alone" / "releases", "2.0")
    for recorded, copied in ((csv_writer(), True), ("another-writer", False)):
        first = publish(sample_tables(), releases, f"1.{copied}")
        other_format = (first / "territories.csv").read_bytes().replace(b"\r\n", b"\n")
        rewrite_listed(first, "territories.csv", other_format)
        (releases / CSV_WRITERS_FILE).write_text(json.dumps({first.name: recorded}))
        second = publish(sample_tables(), releases, f"2.{copied}")
        expected = other_format if copied else (fresh / "territories.csv").read_bytes()
        assert (second / "territories.csv").read_bytes() == expected
        assert csv_writer_of(releases, second.name) == csv_writer()


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


def kept_rows(name: str, before: pa.Table, after: pa.Table) -> KeptRows:
    kept: KeptRows = []
    table_diff(before, after, TABLES[name].primary_key, kept)
    return kept


@settings(max_examples=200, deadline=None, database=None, derandomize=True)
@given(rows_of("evidence"), rows_of("evidence"), st.integers(0, 8))
def test_a_spliced_csv_is_the_csv_written_whole(tmp_path_factory, old_rows, new_rows, shared):
    """Rows in both releases (``shared`` of the old ones, in any place among the new
    ones) come from the previous file, the others are written: same bytes."""
    folder = tmp_path_factory.mktemp("splice")
    before = frame_to_arrow("evidence", records_frame("evidence", old_rows))
    rows = [*new_rows[: len(new_rows) // 2], *old_rows[:shared], *new_rows[len(new_rows) // 2 :]]
    after = frame_to_arrow("evidence", records_frame("evidence", rows))
    digest = write_csv("evidence", before, folder / "before.csv")
    whole = write_csv("evidence", after, folder / "whole.csv")
    kept = kept_rows("evidence", before, after)
    spliced = write_spliced_csv(
        "evidence", after, folder / "spliced.csv", folder / "before.csv", before, kept, digest
    )
    assert spliced == whole
    assert (folder / "spliced.csv").read_bytes() == (folder / "whole.csv").read_bytes()


def test_records_are_found_across_the_blocks_a_csv_file_is_read_in(tmp_path):
    rows = [dict(r, quote='"a",\r\n"b\n"') for r in sample_records()["evidence"]] * 2
    table = frame_to_arrow("evidence", records_frame("evidence", rows))
    digest = write_csv("evidence", table, tmp_path / "e.csv")
    bounds, found = csv_records(tmp_path / "e.csv")
    assert found == digest
    assert len(bounds) == table.num_rows + 2
    assert bounds[-1] == (tmp_path / "e.csv").stat().st_size
    for block_bytes in (1, 2, 3, 7, 64):
        in_blocks, same = csv_records(tmp_path / "e.csv", block_bytes)
        assert in_blocks.tolist() == bounds.tolist()
        assert same == digest


def test_a_csv_is_not_spliced_from_a_file_that_does_not_match(tmp_path):
    rows = [dict(r, quote='a "b",\r\nc') for r in sample_records()["evidence"]]
    before = frame_to_arrow("evidence", records_frame("evidence", rows))
    after = frame_to_arrow("evidence", records_frame("evidence", rows[:-1]))
    kept = kept_rows("evidence", before, after)
    source, target = tmp_path / "before.csv", tmp_path / "after.csv"
    digest = write_csv("evidence", before, source)

    def splice(written_from: pa.Table, checksum: str) -> str | None:
        return write_spliced_csv("evidence", after, target, source, written_from, kept, checksum)

    assert splice(before, "0" * 64) is None  # the file changed since it was listed
    assert splice(after, digest) is None  # it holds another number of rows
    assert splice(before.rename_columns(["kind", *before.column_names[1:]]), digest) is None
    assert not target.exists()
    assert splice(before, digest) == write_csv("evidence", after, tmp_path / "whole.csv")
