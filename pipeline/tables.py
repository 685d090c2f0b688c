"""Step 5 of the flow: statements -> the wide tables of the data contract.

Every record table is a pivot of the statements table: one row per record,
one column per field. Where the statements of one field disagree, the value
kept is chosen by ``choose`` (the rule is written in the data dictionary) and
the disagreement is listed in the ``conflicts`` table.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import NamedTuple

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


class Stated(NamedTuple):
    """The statements of some whole records, column by column, in the order
    stored (by record id and field): a dict per statement for the million
    statements of 10,000 pages took most of the time and about 1 GB. A field's
    statements are the rows of one slice of these lists."""

    value: list[str]
    doc_id: list[str | None]
    char_start: list[int | None]
    extractor: list[str]
    statement_id: list[str]

    def order_key(self, i: int) -> tuple:
        return (self.doc_id[i] or "", self.char_start[i] or 0, self.statement_id[i] or "")

    def override(self, rows: slice) -> str | None:
        """The value of the last manual override among the rows, if any."""
        extractors = self.extractor[rows]
        if OVERRIDE not in extractors:
            return None
        last = len(extractors) - 1 - extractors[::-1].index(OVERRIDE)
        return str(self.value[rows][last])


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
    for i in range(rows.start, rows.stop):
        key, value = stated.order_key(i), stated.value[i]
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
STATED_COLUMNS = list(Stated._fields)


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
        stated = Stated(*(column_values(chunk[c]) for c in STATED_COLUMNS))
        chunk_ids, chunk_types = (
            column_values(chunk["record_id"]),
            column_values(chunk["record_type"]),
        )
        for rid, start, fields_of_record in field_runs(chunk_ids, column_values(chunk["field"])):
            record_type = chunk_types[start]
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


def field_runs(
    record_ids: list[str], fields: list[str]
) -> Iterator[tuple[str, int, dict[str, slice]]]:
    """Each record of rows sorted by record id and field: its id, first row and
    the rows of each of its fields."""
    n_rows = len(record_ids)
    i = 0
    while i < n_rows:
        rid, first = record_ids[i], i
        by_field: dict[str, slice] = {}
        while i < n_rows and record_ids[i] == rid:
            field_name, start = fields[i], i
            while i < n_rows and fields[i] == field_name and record_ids[i] == rid:
                i += 1
            by_field[field_name] = slice(start, i)
        yield rid, first, by_field


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
        if field_name == "name":
            acronyms = {
                v for f in ("short_name", "acronym") if f in fields for v in stated.value[fields[f]]
            }
            value, rule = choose_name(stated, rows, acronyms), NAME_RULE
        else:
            value, rule = choose(stated, rows), CONFLICT_RULE
        row[column] = value
        if field_name != "name" and not all_equal(values):
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
    names = statements[(statements["field"] == "name") & statements["doc_id"].notna()]
    frame = names[["record_type", "record_id", "doc_id", "char_start", "char_end", "quote"]]
    frame = frame.drop_duplicates(subset=["record_id", "doc_id", "char_start", "char_end"])
    return conform("evidence", frame)
