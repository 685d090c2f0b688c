"""Step 5 of the flow: statements -> the wide tables of the data contract.

Every record table is a pivot of the statements table: one row per record,
one column per field. Where the statements of one field disagree, the value
kept is chosen by ``choose`` (the rule is written in the data dictionary) and
the disagreement is listed in the ``conflicts`` table.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable

import pandas as pd

from pipeline.frames import frame_records
from pipeline.gc_pause import paused_gc
from pipeline.names import is_acronym
from schemas.derive import conform
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
    first_seen: dict[str, tuple] = {}
    for s in sorted(statements, key=order_key):
        first_seen.setdefault(s["value"], order_key(s))
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


@paused_gc()
def build_tables(statements: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Record tables, link tables and conflicts from the statements."""
    # the columns read below, not the quotes: a dict per statement adds up
    used = ["record_type", "record_id", "field", "value", "doc_id", "char_start", "extractor"]
    rows = frame_records(statements[[*used, "statement_id"]])
    by_record: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    type_of: dict[str, str] = {}
    for s in rows:
        by_record[s["record_id"]][s["field"]].append(s)
        type_of[s["record_id"]] = s["record_type"]

    records: dict[str, list[dict]] = {t: [] for t in RECORD_TABLES.values()}
    links: dict[str, set[tuple[str, str]]] = {t: set() for t, _, _ in LINK_TABLES.values()}
    conflicts: list[dict] = []
    for rid in sorted(by_record):
        fields = by_record[rid]
        table = TABLES[RECORD_TABLES[type_of[rid]]]
        id_col = table.primary_key[0]
        row: dict[str, object] = {c: None for c in table.column_names}
        row[id_col] = rid
        for field_name, stated in sorted(fields.items()):
            if field_name in LINK_TABLES:
                link_table, own_col, other_col = LINK_TABLES[field_name]
                links[link_table] |= {(rid, s["value"]) for s in stated}
                continue
            column = NAME_COLUMN.get(type_of[rid], "name") if field_name == "name" else field_name
            if column not in row or column == id_col:
                continue
            if field_name == "name" and column != "name" and column in fields:
                continue  # a title stated as such beats the name of the mention
            if field_name == "name":
                acronyms = {
                    s["value"] for f in ("short_name", "acronym") for s in fields.get(f, [])
                }
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
        records[table.name].append(row)

    out: dict[str, pd.DataFrame] = {}
    for table_name, table_rows in records.items():
        out[table_name] = conform(table_name, typed_frame(table_name, table_rows))
    for link_table, own_col, other_col in LINK_TABLES.values():
        pairs = sorted(links[link_table])
        frame = pd.DataFrame(pairs, columns=[own_col, other_col])
        out[link_table] = conform(link_table, frame)
    out["conflicts"] = conform(
        "conflicts", pd.DataFrame(conflicts, columns=TABLES["conflicts"].column_names)
    )
    return out


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
