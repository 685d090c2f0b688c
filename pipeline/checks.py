"""Step 6 of the flow: checks over the tables, as pure functions.

Each check takes frames and returns a list of failures (empty when the check
passes); a failure is a dict with at least ``table``, ``check`` and
``reason`` so that the asset check's metadata and the command line can say
what failed and where. The Dagster asset checks in ``assets/checks.py`` are
thin wrappers around these.
"""

from __future__ import annotations

import json

import pandas as pd
import pandera.errors as pa_errors

from schemas.derive import pandera_schema
from schemas.tables import RECORD_TABLES, TABLES

Failure = dict[str, object]
MAX_LISTED = 50


def schema_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    """Every way the frame breaks its declared schema (lazy validation)."""
    try:
        pandera_schema(table_name).validate(frame, lazy=True)
    except pa_errors.SchemaErrors as err:
        cases = err.failure_cases
        return [
            {
                "table": table_name,
                "check": str(row.get("check")),
                "column": None if pd.isna(row.get("column")) else str(row.get("column")),
                "row": None if pd.isna(row.get("index")) else int(row["index"]),
                "value": None if pd.isna(row.get("failure_case")) else str(row["failure_case"]),
                "reason": f"{row.get('schema_context')} {row.get('column')}: "
                f"{row.get('check')} failed for {row.get('failure_case')!r}",
            }
            for row in cases.to_dict("records")
        ]
    return []


def split_valid(table_name: str, frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(rows that pass the schema, rejected_rows entries for the others).

    Frame-level failures (a missing column, a wrong dtype) cannot be pinned on
    a row: they are left in place so that the blocking check fails loudly.
    """
    failures = schema_failures(table_name, frame)
    bad_rows: dict[int, list[str]] = {}
    for f in failures:
        if isinstance(f["row"], int):
            bad_rows.setdefault(f["row"], []).append(str(f["reason"]))
    if not bad_rows:
        return frame, pd.DataFrame(columns=TABLES["rejected_rows"].column_names)
    table = TABLES[table_name]
    rejected = []
    for index, reasons in sorted(bad_rows.items()):
        row = frame.loc[index]
        rejected.append(
            {
                "table_name": table_name,
                "row_key": "|".join(str(row[c]) for c in table.primary_key),
                "check": "schema",
                "reason": "; ".join(sorted(set(reasons))),
                "row": json.dumps(
                    {k: (None if pd.isna(v) else v) for k, v in row.items()},
                    ensure_ascii=False,
                    sort_keys=True,
                    default=str,
                ),
            }
        )
    kept = frame.drop(index=list(bad_rows)).reset_index(drop=True)
    return kept, pd.DataFrame(rejected, columns=TABLES["rejected_rows"].column_names)


def primary_key_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    key = list(TABLES[table_name].primary_key)
    dup = frame[frame.duplicated(subset=key, keep=False)]
    return [
        {
            "table": table_name,
            "check": "primary_key_unique",
            "reason": f"duplicate primary key {'|'.join(str(row[c]) for c in key)}",
        }
        for _, row in dup.drop_duplicates(subset=key).head(MAX_LISTED).iterrows()
    ]


def foreign_key_failures(table_name: str, tables: dict[str, pd.DataFrame]) -> list[Failure]:
    failures: list[Failure] = []
    frame = tables[table_name]
    for fk in TABLES[table_name].foreign_keys:
        target = tables[fk.table]
        known = set(map(tuple, target[list(fk.ref_columns)].astype(str).to_numpy().tolist()))
        values = frame[list(fk.columns)].dropna()
        for row in values.astype(str).to_numpy().tolist():
            if tuple(row) not in known:
                failures.append(
                    {
                        "table": table_name,
                        "check": "foreign_key",
                        "reason": f"{','.join(fk.columns)}={'|'.join(row)} not in "
                        f"{fk.table}.{','.join(fk.ref_columns)}",
                    }
                )
    return failures[:MAX_LISTED]


def quote_failures(table_name: str, frame: pd.DataFrame, documents: pd.DataFrame) -> list[Failure]:
    """Every quote must be the document's text at its offsets."""
    texts = dict(zip(documents["doc_id"], documents["text"], strict=True))
    failures: list[Failure] = []
    located = frame[frame["doc_id"].notna()]
    for row in located[["doc_id", "char_start", "char_end", "quote"]].to_dict("records"):
        text = texts.get(row["doc_id"])
        if text is None:
            reason = f"document {row['doc_id']} is not in documents"
        elif text[int(row["char_start"]) : int(row["char_end"])] != row["quote"]:
            reason = (
                f"quote {row['quote']!r} is not the text of {row['doc_id']} at "
                f"[{row['char_start']}, {row['char_end']}): "
                f"{text[int(row['char_start']) : int(row['char_end'])]!r}"
            )
        else:
            continue
        failures.append({"table": table_name, "check": "quote_matches_text", "reason": reason})
    return failures[:MAX_LISTED]


def evidence_coverage_failures(
    tables: dict[str, pd.DataFrame], evidence: pd.DataFrame
) -> list[Failure]:
    """Every record of every record table has at least one evidence row."""
    covered = set(evidence["record_id"])
    failures: list[Failure] = []
    for table_name in RECORD_TABLES.values():
        id_col = TABLES[table_name].primary_key[0]
        for rid in tables[table_name][id_col]:
            if rid not in covered:
                failures.append(
                    {
                        "table": table_name,
                        "check": "has_evidence",
                        "reason": f"{rid} has no evidence",
                    }
                )
    return failures[:MAX_LISTED]


def row_count_failures(table_name: str, frame: pd.DataFrame) -> list[Failure]:
    table = TABLES[table_name]
    if table.min_rows <= len(frame) <= table.max_rows:
        return []
    return [
        {
            "table": table_name,
            "check": "row_count",
            "reason": f"{len(frame)} rows, expected between {table.min_rows} and {table.max_rows}",
        }
    ]
