"""Step 5 of the flow: statements -> the wide tables of the data contract.

Every record table is a pivot of the statements table: one row per record,
one column per field. Where the statements of one field disagree, the value
kept is chosen by ``choose`` (the rule is written in the data dictionary) and
the disagreement is listed in the ``conflicts`` table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.frames import frame_records
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


def choose(statements: list[dict]) -> str:
    """A manual override wins; else the most stated value, ties going to the
    first statement in document order."""
    overrides = [s for s in statements if s.get("extractor") == OVERRIDE]
    if overrides:
        return str(overrides[-1]["value"])
    counts = Counter(s["value"] for s in statements)
    if len(counts) == 1:  # most fields: nothing to settle
        return next(iter(counts))
    first_seen: dict[str, tuple] = {}
    for s in statements:
        key, value = order_key(s), s["value"]
        if value not in first_seen or key < first_seen[value]:
            first_seen[value] = key
    return min(counts, key=lambda v: (-counts[v], first_seen[v]))


def choose_name(statements: list[dict], acronyms: set[str]) -> str:
    overrides = [s for s in statements if s.get("extractor") == OVERRIDE]
    if overrides:
        return str(overrides[-1]["value"])
    counts = Counter(s["value"] for s in statements)
    return min(
        counts,
        key=lambda n: (n in acronyms or is_acronym(n), -counts[n], -len(n), n),
    )


def order_key(s: dict) -> tuple:
    return (s.get("doc_id") or "", s.get("char_start") or 0, s.get("statement_id") or "")


# Statements read into Python at a time (whole records): a dict per statement
# for the million statements of 10,000 pages took about 1 GB.
CHUNK_ROWS = 1 << 16


@paused_gc()
def build_tables(statements: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Record tables, link tables and conflicts from the statements."""
    # the columns read below, not the quotes
    used = ["record_type", "record_id", "field", "value", "doc_id", "char_start", "extractor"]
    frame = statements[[*used, "statement_id"]]
    record_ids = pa.array(frame["record_id"])
    if pc.all(pc.less_equal(record_ids[:-1], record_ids[1:])).as_py() is False:
        # the stored statements come sorted; a stable sort keeps each record's order
        frame = frame.sort_values("record_id", kind="mergesort")
    records: dict[str, list[dict]] = {t: [] for t in RECORD_TABLES.values()}
    links: dict[str, set[tuple[str, str]]] = {t: set() for t, _, _ in LINK_TABLES.values()}
    conflicts: list[dict] = []
    for chunk in record_chunks(frame):
        by_record: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
        type_of: dict[str, str] = {}
        for s in frame_records(chunk):
            by_record[s["record_id"]][s["field"]].append(s)
            type_of[s["record_id"]] = s["record_type"]
        for rid in sorted(by_record):
            table = TABLES[RECORD_TABLES[type_of[rid]]]
            row = record_row(table, rid, type_of[rid], by_record[rid], links, conflicts)
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
    fields: dict[str, list[dict]],
    links: dict[str, set[tuple[str, str]]],
    conflicts: list[dict],
) -> dict[str, object]:
    """One row of the record's table from its statements by field; adds its links
    and the fields whose statements disagree."""
    id_col = table.primary_key[0]
    row: dict[str, object] = {c: None for c in table.column_names}
    row[id_col] = rid
    for field_name, stated in sorted(fields.items()):
        if field_name in LINK_TABLES:
            links[LINK_TABLES[field_name][0]] |= {(rid, s["value"]) for s in stated}
            continue
        column = NAME_COLUMN.get(record_type, "name") if field_name == "name" else field_name
        if column not in row or column == id_col:
            continue
        if field_name == "name" and column != "name" and column in fields:
            continue  # a title stated as such beats the name of the mention
        if field_name == "name":
            acronyms = {s["value"] for f in ("short_name", "acronym") for s in fields.get(f, [])}
            value, rule = choose_name(stated, acronyms), NAME_RULE
        else:
            value, rule = choose(stated), CONFLICT_RULE
        row[column] = value
        distinct = Counter(s["value"] for s in stated)
        if field_name != "name" and len(distinct) > 1:
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
