"""Step 6 of the flow: checks over the tables, as pure functions.

Each check takes frames and returns every failure it finds (empty when the
check passes). A failure says what failed and where: ``table``, ``check``,
``column``, ``row`` (0-based position in the frame), ``value`` and a
``reason`` a person can act on. The Dagster asset checks in
``assets/checks.py`` are thin wrappers that list them as a Markdown table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

import pandas as pd
import pandera.errors as pa_errors

from pipeline.frames import column_values
from schemas.derive import pandera_schema, repeats_a_key
from schemas.tables import ID_PREFIX, RECORD_TABLES, TABLES

Failure = dict[str, object]
MAX_LISTED = 50
MAX_CELL_CHARS = 80
ROWS_PER_SLICE = 65_536
QUOTE_COLUMNS = ("doc_id", "char_start", "char_end", "quote")
TABLE_OF_PREFIX = {prefix: RECORD_TABLES[t] for t, prefix in ID_PREFIX.items()}
# Pandera's names for its built-in checks, in words.
PANDERA_CHECKS = {
    "not_nullable": "missing value in a required column",
    "field_uniqueness": "value repeated in a unique column",
    "multiple_fields_uniqueness": "primary key repeated",
    "column_in_dataframe": "declared column missing from the frame",
    "column_in_schema": "column not declared in schemas/tables.py",
    "column_ordered": "columns not in declared order",
}


def failure(
    table: str,
    check: str,
    reason: str,
    column: str | None = None,
    row: int | None = None,
    value: object = None,
) -> Failure:
    return {
        "table": table,
        "check": check,
        "column": column,
        "row": row,
        "value": None if value is None else str(value),
        "reason": reason,
    }


def _scalar(value: object) -> object:
    """None for pandas' missing-value markers (None, NaN, NA), else the value."""
    missing = value is None or value is pd.NA or (isinstance(value, float) and value != value)
    return None if missing else value


def _check_words(check: str) -> str:
    if check.startswith("dtype("):
        return f"wrong type, expected {check[len('dtype(') : -1].strip(chr(39))}"
    return PANDERA_CHECKS.get(check, check)


def schema_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    """Every way the frame breaks its declared schema (lazy validation).

    A frame-wide failure that concerns one row (a row rule, a repeated
    primary key) is one failure for the row, not one per column.
    """
    # Pandera finds repeated keys with pandas' hash table (200 MB for the million
    # statements); when a sort in Arrow finds none, its check could report nothing.
    key_check = repeats_a_key(frame, TABLES[table_name].primary_key) is not False
    try:
        pandera_schema(table_name, key_check).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases.to_dict("records")
    else:
        return []
    rule_columns = {r.description: r.columns for r in TABLES[table_name].rules}
    out: list[Failure] = []
    by_row: dict[tuple[str, int], list[tuple[str, object]]] = {}
    for case in cases:
        check, column = str(case["check"]), _scalar(case.get("column"))
        index, value = _scalar(case.get("index")), _scalar(case.get("failure_case"))
        if case["schema_context"] == "DataFrameSchema" and index is not None:
            if check in rule_columns and column not in rule_columns[check]:
                continue
            by_row.setdefault((check, int(str(index))), []).append((str(column), value))
            continue
        shown = f": {value!r}" if value is not None else ""
        out.append(
            failure(
                table_name,
                "schema",
                f"{_check_words(check)}{shown}",
                column=None if column is None else str(column),
                row=None if index is None else int(str(index)),
                value=value,
            )
        )
    for (check, row), cells in sorted(by_row.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        columns = ", ".join(c for c, _ in cells)
        values = "|".join(str(v) for _, v in cells)
        reason = f"breaks the rule: {check}" if check in rule_columns else _check_words(check)
        out.append(failure(table_name, "schema", reason, columns, row, values))
    return sorted(out, key=lambda f: (f["row"] is not None, f["row"] or 0, str(f["column"])))


def _row_json(row: pd.Series) -> str:
    return json.dumps(
        {k: _scalar(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True, default=str
    )


def _row_key(table_name: str, row: pd.Series) -> str:
    return "|".join(str(row[c]) for c in TABLES[table_name].primary_key)


def rejected_entries(
    table_name: str, frame: pd.DataFrame, reasons: dict[int, list[str]], check: str
) -> pd.DataFrame:
    """rejected_rows entries for the rows at the given positions of the frame."""
    rows = [
        {
            "table_name": table_name,
            "row_key": _row_key(table_name, frame.iloc[position]),
            "check": check,
            "reason": "; ".join(sorted(set(why))),
            "row": _row_json(frame.iloc[position]),
        }
        for position, why in sorted(reasons.items())
    ]
    return pd.DataFrame(rows, columns=TABLES["rejected_rows"].column_names)


def split_valid(table_name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows that pass the schema, rejected_rows entries for the others).

    Frame-level failures (a missing column) cannot be pinned on a row: they
    are left in place so that the blocking check fails loudly.
    """
    frame = frame.reset_index(drop=True)
    bad_rows: dict[int, list[str]] = {}
    for f in schema_failures(table_name, frame):
        if isinstance(f["row"], int):
            bad_rows.setdefault(f["row"], []).append(str(f["reason"]))
    rejected = rejected_entries(table_name, frame, bad_rows, "schema")
    kept = frame.drop(index=list(bad_rows)).reset_index(drop=True)
    return kept, rejected


def _keys(frame: pd.DataFrame, columns: Iterable[str]) -> pd.Series:
    """Each row's values of the columns, '|'-joined (null when any is null)."""
    cols = list(columns)
    parts = frame[cols].astype("string")
    joined = parts[cols[0]]
    for col in cols[1:]:
        joined = joined + "|" + parts[col]
    return joined


def quarantine_dangling(
    tables: dict[str, pd.DataFrame], rejected: pd.DataFrame
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Hold out the rows whose foreign key points at a rejected row, to a fixed point.

    A row whose reference was quarantined would otherwise dangle and stop the
    release; it goes to rejected_rows too, saying which row it pointed at. A
    reference that dangles for any other reason is left for the
    foreign-key check to fail on.
    """
    tables = dict(tables)
    parts = [rejected]
    changed = True
    while changed:
        changed = False
        held = pd.concat(parts, ignore_index=True)
        for name in sorted(tables):
            frame = tables[name].reset_index(drop=True)
            reasons: dict[int, list[str]] = {}
            for fk in TABLES[name].foreign_keys:
                if fk.ref_columns != TABLES[fk.table].primary_key:
                    continue
                held_keys = set(held.loc[held["table_name"] == fk.table, "row_key"])
                keys = _keys(frame, fk.columns)
                for position in keys.index[keys.isin(held_keys).fillna(False)]:
                    reasons.setdefault(int(position), []).append(
                        f"{', '.join(fk.columns)}={keys[position]} refers to a row of "
                        f"{fk.table} held in rejected_rows"
                    )
            if reasons:
                parts.append(rejected_entries(name, frame, reasons, "foreign_key"))
                tables[name] = frame.drop(index=list(reasons)).reset_index(drop=True)
                changed = True
    return tables, pd.concat(parts, ignore_index=True)


def primary_key_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    key = list(TABLES[table_name].primary_key)
    if repeats_a_key(frame, key) is False:
        return []
    frame = frame.reset_index(drop=True)
    repeated = frame.duplicated(subset=key, keep="first")
    if not repeated.any():
        return []
    keys = _keys(frame, key)
    return [
        failure(
            table_name,
            "primary_key_unique",
            f"primary key ({', '.join(key)}) = {keys[i]} is repeated",
            ", ".join(key),
            int(i),
            keys[i],
        )
        for i in frame.index[repeated]
    ]


def foreign_key_failures(table_name: str, tables: dict[str, pd.DataFrame]) -> list[Failure]:
    """Every declared foreign key resolves (nulls are no reference)."""
    out: list[Failure] = []
    frame = tables[table_name].reset_index(drop=True)
    for fk in TABLES[table_name].foreign_keys:
        known = set(_keys(tables[fk.table], fk.ref_columns).dropna())
        keys = _keys(frame, fk.columns)
        dangling = keys.notna() & ~keys.isin(known)
        target = f"{fk.table}.{', '.join(fk.ref_columns)}"
        out += [
            failure(
                table_name,
                "foreign_key",
                f"{', '.join(fk.columns)} = {keys[i]} is not in {target}",
                ", ".join(fk.columns),
                int(i),
                keys[i],
            )
            for i in keys.index[dangling.fillna(False)]
        ]
    return out


def record_reference_failures(
    table_name: str, tables: dict[str, pd.DataFrame], rejected_rows: pd.DataFrame
) -> list[Failure]:
    """Every record ID points at a row of the record table its prefix names.

    A record held in rejected_rows still counts: its aliases and evidence are
    kept, and rejected_rows says why the record itself is not published.
    """
    reference = TABLES[table_name].record_reference
    if reference is None:
        return []
    held = rejected_rows[rejected_rows["table_name"].isin(list(RECORD_TABLES.values()))]
    known = set(held["row_key"])
    for record_table in RECORD_TABLES.values():
        known |= set(tables[record_table][TABLES[record_table].primary_key[0]].dropna())
    # tolist: the values iterating the Series gives, without boxing each cell
    ids = tables[table_name][reference.column].tolist()
    out: list[Failure] = []
    for i, rid in enumerate(ids):
        if rid in known or pd.isna(rid):
            continue
        target = TABLE_OF_PREFIX.get(str(rid).split("-", 1)[0], "any record table")
        out.append(
            failure(
                table_name,
                "record_reference",
                f"{reference.column} = {rid} is not a row of {target}",
                reference.column,
                int(str(i)),
                rid,
            )
        )
    return out


def quote_failures(table_name: str, frame: pd.DataFrame, documents: pd.DataFrame) -> list[Failure]:
    """Every quote must be the document's text at its offsets."""
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    out: list[Failure] = []
    frame = frame.reset_index(drop=True)
    for i, (doc_id, start, end, quote) in enumerate(_rows_in_slices(frame, QUOTE_COLUMNS)):
        text = texts.get(doc_id)
        # the common case, a quote that matches, without pandas' per-value tests
        plain = type(start) is int and type(end) is int and type(quote) is str
        if text is not None and plain and text[start:end] == quote:
            continue
        if pd.isna(doc_id):
            continue
        if text is None:
            reason = f"document {doc_id} is not in documents"
        elif pd.isna(start) or pd.isna(end) or pd.isna(quote):
            reason = "offsets or quote missing for a located value"
        elif text[int(start) : int(end)] != quote:
            found = text[int(start) : int(end)]
            reason = f"quote is not the text of {doc_id} at [{start}, {end}), which reads {found!r}"
        else:
            continue
        out.append(failure(table_name, "quote_matches_text", reason, "quote", i, quote))
    return out


def _rows_in_slices(frame: pd.DataFrame, columns: tuple[str, ...]) -> Iterator[tuple]:
    """The rows' values of the columns as Python values, a slice of rows at a time: the
    million statements' columns as Python lists at once took 200 MB."""
    for start in range(0, len(frame), ROWS_PER_SLICE):
        part = frame.iloc[start : start + ROWS_PER_SLICE]
        yield from zip(*(column_values(part[c]) for c in columns), strict=True)


def evidence_coverage_failures(
    tables: dict[str, pd.DataFrame], evidence: pd.DataFrame
) -> list[Failure]:
    """Every record of every record table has at least one evidence row."""
    covered = set(evidence["record_id"].tolist())
    out: list[Failure] = []
    for table_name in RECORD_TABLES.values():
        id_col = TABLES[table_name].primary_key[0]
        ids = tables[table_name][id_col].tolist()
        out += [
            failure(table_name, "has_evidence", f"{rid} has no evidence", id_col, i, rid)
            for i, rid in enumerate(ids)
            if rid not in covered
        ]
    return out


def row_count_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    table = TABLES[table_name]
    if table.min_rows <= len(frame) <= table.max_rows:
        return []
    reason = f"{len(frame)} rows, expected between {table.min_rows} and {table.max_rows}"
    return [failure(table_name, "row_count", reason, value=len(frame))]


# ------------------------------------------------------------ presentation


def _cell(value: object, limit: int = MAX_CELL_CHARS) -> str:
    text = "" if value is None else str(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def failures_markdown(failures: list[Failure], limit: int = MAX_LISTED) -> str:
    """The failures as a Markdown table (table, column, row, value, reason), first ``limit``."""
    if not failures:
        return "none"
    lines = ["| table | column | row | value | reason |", "|---|---|---|---|---|"]
    lines += [
        "| "
        + " | ".join(_cell(f.get(k)) for k in ("table", "column", "row", "value"))
        + f" | {_cell(f.get('reason'), limit=4 * MAX_CELL_CHARS)} |"
        for f in failures[:limit]
    ]
    if len(failures) > limit:
        lines.append(f"\n… and {len(failures) - limit} more ({len(failures)} in all).")
    return "\n".join(lines)
