"""Step 5 of the flow: statements -> the wide tables of the data contract.

Every record table is a pivot of the statements table: one row per record,
one column per field. Where the statements of one field disagree, the value
kept is chosen by ``choose`` (the rule is written in the data dictionary) and
the disagreement is listed in the ``conflicts`` table.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.frames import column_values
from pipeline.gc_pause import paused_gc
from pipeline.names import is_acronym
from schemas.derive import conform
from schemas.spec import Table
from schemas.tables import RECORD_TABLES, TABLES

OVERRIDE = "override"
CONFLICT_RULE = (
    "a manual override (pipeline/overrides.yaml) wins; otherwise the value with the most "
    "statements; on a tie, the value stated first (document id, then character offset)"
)
NAME_RULE = "a full name over an acronym, then most statements, then the longest"
# Link fields that become rows of a link table instead of a column.
LINK_TABLES = {
    "area_of": ("programme_territories", "territory_id", "programme_id"),
    "partner_of": ("project_organisations", "organisation_id", "project_id"),
}
# The column that carries a record's name, where it is not "name".
NAME_COLUMN = {"objective": "title", "objective_action": "text"}


class Stated:
    """The statements of some whole records (rows sorted by record id and field): their
    values as a Python list, the columns only a disagreement reads kept in Arrow and
    read for that field alone. A field's statements are the rows of one slice. (A dict
    per statement for the million statements of 10,000 pages took most of the time and
    about 1 GB; every column as a Python list, a third of what is left.)"""

    def __init__(self, chunk: pd.DataFrame) -> None:
        self.value: list[str] = column_values(chunk["value"])
        self.doc_id = pa.array(chunk["doc_id"])
        self.char_start = pa.array(chunk["char_start"])
        self.statement_id = pa.array(chunk["statement_id"])
        is_override = pc.fill_null(pc.equal(pa.array(chunk["extractor"]), OVERRIDE), False)
        self.overrides: list[int] = np.flatnonzero(
            is_override.to_numpy(zero_copy_only=False)
        ).tolist()

    def order_keys(self, rows: slice) -> list[tuple]:
        """Each row's place in document order: document id, character offset, statement id."""
        doc_ids, starts, ids = (
            c[rows].to_pylist() for c in (self.doc_id, self.char_start, self.statement_id)
        )
        return [(d or "", c or 0, s or "") for d, c, s in zip(doc_ids, starts, ids, strict=True)]

    def override(self, rows: slice) -> str | None:
        """The value of the last manual override among the rows, if any."""
        if not self.overrides:
            return None
        last = bisect_left(self.overrides, rows.stop) - 1
        if last < 0 or self.overrides[last] < rows.start:
            return None
        return str(self.value[self.overrides[last]])


def all_equal(values: list[str]) -> bool:
    return values.count(values[0]) == len(values)


def choose(stated: Stated, rows: slice) -> str:
    """A manual override wins; else the most stated value, ties going to the
    first statement in document order."""
    override = stated.override(rows)
    if override is not None:
        return override
    values = stated.value[rows]
    if all_equal(values):  # most fields: nothing to settle
        return values[0]
    counts = Counter(values)
    first_seen: dict[str, tuple] = {}
    for key, value in zip(stated.order_keys(rows), values, strict=True):
        if value not in first_seen or key < first_seen[value]:
            first_seen[value] = key
    return min(counts, key=lambda v: (-counts[v], first_seen[v]))


def choose_name(stated: Stated, rows: slice, acronyms: set[str]) -> str:
    override = stated.override(rows)
    if override is not None:
        return override
    values = stated.value[rows]
    if all_equal(values):
        return values[0]
    counts = Counter(values)
    return min(
        counts,
        key=lambda n: (n in acronyms or is_acronym(n), -counts[n], -len(n), n),
    )


# Statements read into Python at a time (whole records): the columns of the
# million statements of 10,000 pages as Python lists would take hundreds of MB.
CHUNK_ROWS = 1 << 16
# the columns read below, not the quotes
STATED_COLUMNS = ["value", "doc_id", "char_start", "extractor", "statement_id"]


@paused_gc()
def build_tables(statements: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Record tables, link tables and conflicts from the statements."""
    frame = statements[["record_type", "record_id", "field", *STATED_COLUMNS]]
    record_ids, fields = pa.array(frame["record_id"]), pa.array(frame["field"])
    ordered = pc.or_(
        pc.less(record_ids[:-1], record_ids[1:]),
        pc.and_(pc.equal(record_ids[:-1], record_ids[1:]), pc.less_equal(fields[:-1], fields[1:])),
    )
    if pc.all(ordered).as_py() is False:
        # the stored statements come sorted; a stable sort keeps each field's order
        by_record_field = pc.sort_indices(
            pa.table({"record_id": record_ids, "field": fields}),
            sort_keys=[("record_id", "ascending"), ("field", "ascending")],
        )
        frame = frame.take(by_record_field.to_numpy())
    del record_ids, fields
    records: dict[str, list[dict]] = {t: [] for t in RECORD_TABLES.values()}
    links: dict[str, set[tuple[str, str]]] = {t: set() for t, _, _ in LINK_TABLES.values()}
    conflicts: list[dict] = []
    for chunk in record_chunks(frame):
        stated = Stated(chunk)
        for rid, record_type, fields_of_record in field_runs(chunk):
            table = TABLES[RECORD_TABLES[record_type]]
            row = record_row(table, rid, record_type, fields_of_record, stated, links, conflicts)
            records[table.name].append(row)

    out: dict[str, pd.DataFrame] = {}
    for table_name, table_rows in records.items():
        out[table_name] = conform(table_name, typed_frame(table_name, table_rows))
    for link_table, own_col, other_col in LINK_TABLES.values():
        pairs = sorted(links[link_table])
        link_frame = pd.DataFrame(pairs, columns=[own_col, other_col])
        out[link_table] = conform(link_table, link_frame)
    out["conflicts"] = conform(
        "conflicts", pd.DataFrame(conflicts, columns=TABLES["conflicts"].column_names)
    )
    return out


def field_runs(chunk: pd.DataFrame) -> Iterator[tuple[str, str, dict[str, slice]]]:
    """Each record of rows sorted by record id and field: its id, its type (that of its
    first row) and the rows of each of its fields. The runs are found in Arrow: a Python
    test per row took 0.4 s over the million statements, one per run (9 rows) is left."""
    new_record = _changes(pa.array(chunk["record_id"]))
    run_starts = np.flatnonzero(new_record | _changes(pa.array(chunk["field"])))
    run_ends = np.append(run_starts[1:], len(chunk)).tolist()
    record_starts = np.flatnonzero(new_record)
    record_ids = column_values(chunk["record_id"].iloc[record_starts])
    record_types = column_values(chunk["record_type"].iloc[record_starts])
    run_fields = column_values(chunk["field"].iloc[run_starts])
    # the runs of record r are runs first_run[r] to first_run[r + 1] - 1
    first_run = np.append(np.searchsorted(run_starts, record_starts), len(run_starts)).tolist()
    starts = run_starts.tolist()
    for r, (rid, record_type) in enumerate(zip(record_ids, record_types, strict=True)):
        runs = range(first_run[r], first_run[r + 1])
        yield rid, record_type, {run_fields[k]: slice(starts[k], run_ends[k]) for k in runs}


def _changes(values: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """Per row, whether its value differs from the row before's (the first row does; two
    missing values are equal)."""
    changed = np.ones(len(values), dtype=bool)
    if len(values) > 1:
        after, before = values[1:], values[:-1]
        both_missing = pc.and_(pc.is_null(after), pc.is_null(before))
        differ = pc.if_else(both_missing, False, pc.fill_null(pc.not_equal(after, before), True))
        changed[1:] = np.asarray(differ)
    return changed


def record_chunks(frame: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """Slices of about ``CHUNK_ROWS`` rows of a frame sorted by record id, each
    ending with the last statement of a record."""
    record_ids = pa.array(frame["record_id"])
    changes = pc.not_equal(record_ids[1:], record_ids[:-1]).to_numpy(zero_copy_only=False)
    record_starts = np.flatnonzero(changes) + 1
    start = 0
    while start < len(frame):
        i = np.searchsorted(record_starts, start + CHUNK_ROWS)
        stop = int(record_starts[i]) if i < len(record_starts) else len(frame)
        yield frame.iloc[start:stop]
        start = stop


def record_row(
    table: Table,
    rid: str,
    record_type: str,
    fields: dict[str, slice],
    stated: Stated,
    links: dict[str, set[tuple[str, str]]],
    conflicts: list[dict],
) -> dict[str, object]:
    """One row of the record's table from the rows of its statements by field;
    adds its links and the fields whose statements disagree."""
    id_col = table.primary_key[0]
    row: dict[str, object] = {c: None for c in table.column_names}
    row[id_col] = rid
    for field_name, rows in fields.items():  # in field order, as the rows are sorted
        values = stated.value[rows]
        if field_name in LINK_TABLES:
            links[LINK_TABLES[field_name][0]].update((rid, v) for v in values)
            continue
        column = NAME_COLUMN.get(record_type, "name") if field_name == "name" else field_name
        if column not in row or column == id_col:
            continue
        if field_name == "name" and column != "name" and column in fields:
            continue  # a title stated as such beats the name of the mention
        if all_equal(values) and stated.override(rows) is None:
            row[column] = values[0]  # most fields: what both rules choose, and no conflict
            continue
        if field_name == "name":
            acronyms = {
                v for f in ("short_name", "acronym") if f in fields for v in stated.value[fields[f]]
            }
            value, rule = choose_name(stated, rows, acronyms), NAME_RULE
        else:
            value, rule = choose(stated, rows), CONFLICT_RULE
        row[column] = value
        if field_name != "name" and not all_equal(values):  # not an override among equal ones
            distinct = Counter(values)
            conflicts.append(
                {
                    "record_id": rid,
                    "field": field_name,
                    "chosen": value,
                    "candidates": "; ".join(f"{v} ({n})" for v, n in sorted(distinct.items())),
                    "rule": rule,
                }
            )
    return row


def typed_frame(table_name: str, rows: Iterable[dict]) -> pd.DataFrame:
    """Statement values are text; turn them into the declared column types."""
    table = TABLES[table_name]
    frame = pd.DataFrame(list(rows), columns=table.column_names)
    for col in table.columns:
        if col.type == "integer":
            frame[col.name] = pd.to_numeric(frame[col.name], errors="coerce").astype("Int64")
        elif col.type == "number":
            frame[col.name] = pd.to_numeric(frame[col.name], errors="coerce").astype("Float64")
    return frame


def build_evidence(statements: pd.DataFrame) -> pd.DataFrame:
    """Where each record is named: the spans of its name statements."""
    located_names = (statements["field"] == "name") & statements["doc_id"].notna()
    # the columns first, then the rows: filtering every column of a million rows took 0.2 s
    columns = ["record_type", "record_id", "doc_id", "char_start", "char_end", "quote"]
    frame = statements[columns][located_names]
    frame = frame.drop_duplicates(subset=["record_id", "doc_id", "char_start", "char_end"])
    return conform("evidence", frame)
