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

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pandera.pandas as pandera
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.frames import column_values, text_is_in
from schemas.derive import RULE_SLICE_ROWS, empty_frame, pandera_schema, repeats_a_key
from schemas.tables import ID_PREFIX, RECORD_TABLES, TABLES

Failure = dict[str, object]
MAX_LISTED = 50
MAX_CELL_CHARS = 80
ROWS_PER_SLICE = 65_536
QUOTE_COLUMNS = ("doc_id", "char_start", "char_end", "quote")
TABLE_OF_PREFIX = {prefix: RECORD_TABLES[t] for t, prefix in ID_PREFIX.items()}
# Pandera's built-in checks of a bound or a length: the statistic and its comparison.
BOUNDS = {
    "greater_than_or_equal_to": ("min_value", pc.greater_equal),
    "less_than_or_equal_to": ("max_value", pc.less_equal),
}
LENGTH_LIMITS = (
    ("exact_value", pc.equal),
    ("min_value", pc.greater_equal),
    ("max_value", pc.less_equal),
)
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


def holds_every_check(
    table_name: str, schema: pandera.DataFrameSchema, frame: pd.DataFrame
) -> bool:
    """True only when the frame passes every check of the schema (but the primary
    key's, which the caller settles), found with Arrow compute on whole columns:
    Pandera's own column checks took 1 s over the million statements. False means
    "ask Pandera", which then lists the failures, so no verdict depends on this.
    A check of a kind not known here is left to Pandera."""
    expected = list(empty_frame(table_name).dtypes)
    if list(frame.columns) != list(schema.columns) or list(frame.dtypes) != expected:
        return False
    try:
        for name, column in schema.columns.items():
            if (not column.nullable and frame[name].hasnans) or (
                column.unique and repeats_a_key(frame, [name]) is not False
            ):
                return False
            # Pandera's column checks skip nulls; a run of equal values is judged once
            present = _run_heads(pa.array(frame[name]).drop_null())
            if not all(_column_check_holds(check, present) for check in column.checks):
                return False
    except (pa.ArrowException, UnicodeError):
        return False
    return _rules_hold(table_name, schema, frame)


def _rules_hold(table_name: str, schema: pandera.DataFrameSchema, frame: pd.DataFrame) -> bool:
    """Whether every row rule holds on every row, as ``derive.rule_check`` judges it
    (a slice of rows at a time, rows it cannot judge pass), without going through
    Pandera: its first check call imports its strategies (0.1 s). Frame checks other
    than the table's rules are left to Pandera."""
    rules = TABLES[table_name].rules
    if [check.name for check in schema.checks] != [rule.name for rule in rules]:
        return False
    return all(
        rule.holds(frame.iloc[start : start + RULE_SLICE_ROWS]).astype("boolean").fillna(True).all()
        for rule in rules
        for start in range(0, len(frame), RULE_SLICE_ROWS)
    )


def _run_heads(values: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """The values that differ from the one before them (ids stored sorted repeat in runs)."""
    if len(values) < 2:
        return values
    changes = pa.chunked_array(pc.not_equal(values[1:], values[:-1])).combine_chunks()
    changes = pc.fill_null(changes, True)
    return pc.filter(values, pa.concat_arrays([pa.array([True]), changes]))


def _column_check_holds(check: pandera.Check, values: pa.Array) -> bool:
    """Pandera's built-in column check on non-null values, in Arrow."""
    stats = check.statistics or {}
    if check.name == "isin":
        allowed = pa.array(list(stats["allowed_values"]), type=values.type)
        verdict = pc.is_in(values, value_set=allowed)
    elif check.name == "str_matches":
        # pandas matches Arrow strings with RE2 as "^(pattern)"; a pattern RE2
        # cannot read raises, and Pandera decides
        verdict = pc.match_substring_regex(values, f"^(?:{stats['pattern']})")
    elif check.name == "str_length":
        lengths = pc.utf8_length(values)  # code points, as pandas' str.len counts
        return all(
            pc.all(compare(lengths, stats[key]), min_count=0).as_py() is True
            for key, compare in LENGTH_LIMITS
            if stats.get(key) is not None
        )
    elif check.name in BOUNDS:
        key, compare = BOUNDS[check.name]
        bound = stats[key]
        if pa.types.is_integer(values.type) and float(bound).is_integer():
            bound = int(bound)  # compare integers exactly, not as doubles
        verdict = compare(values, bound)  # NaN compares false: Pandera decides
    else:
        return False
    return pc.all(verdict, min_count=0).as_py() is True  # an empty column passes


def key_may_repeat(table_name: str, frame: pd.DataFrame) -> bool:
    """False when a sort in Arrow finds no repeated primary key; True when one
    repeats or the sort cannot tell. The schema and primary-key checks of a
    table share this verdict."""
    key = TABLES[table_name].primary_key
    if len(key) == 1 and frame.columns.is_unique and key[0] in frame.columns:
        distinct = _distinct_of_one_width(frame[key[0]])
        if distinct is not None:
            return not distinct
    return repeats_a_key(frame, key) is not False


def _distinct_of_one_width(values: pd.Series) -> bool | None:
    """Whether non-null texts of one UTF-8 length (ids) are all distinct, found by sorting
    them as numpy fixed-width bytes: 0.2 s for the million statement ids, where Arrow's
    sort of strings took 0.5 s. None for any other column."""
    if not isinstance(values.dtype, pd.StringDtype) or values.hasnans or len(values) < 2:
        return None
    data, offsets = _utf8_buffer(_large_string(pa.array(values)))
    widths = np.diff(offsets)
    if widths[0] == 0 or (widths != widths[0]).any():
        return None
    ordered = np.sort(data.view(f"S{widths[0]}"))
    return not bool((ordered[1:] == ordered[:-1]).any())


def schema_failures(
    table_name: str, frame: pd.DataFrame, key_repeats: bool | None = None
) -> list[Failure]:
    """Every way the frame breaks its declared schema (lazy validation).

    A frame-wide failure that concerns one row (a row rule, a repeated
    primary key) is one failure for the row, not one per column.
    ``key_repeats`` is ``key_may_repeat``'s verdict, when the caller has it.
    """
    # Pandera finds repeated keys with pandas' hash table (200 MB for the million
    # statements); when a sort in Arrow finds none, its check could report nothing.
    if key_repeats is None:
        key_repeats = key_may_repeat(table_name, frame)
    schema = pandera_schema(table_name, key_repeats)
    if not key_repeats and holds_every_check(table_name, schema, frame):
        return []
    try:
        schema.validate(frame, lazy=True)
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


def primary_key_failures(
    table_name: str, frame: pd.DataFrame, key_repeats: bool | None = None
) -> list[Failure]:
    """Every row whose primary key an earlier row has; ``key_repeats`` as in ``schema_failures``."""
    key = list(TABLES[table_name].primary_key)
    if key_repeats is None:
        key_repeats = key_may_repeat(table_name, frame)
    if not key_repeats:
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
        known = _keys(tables[fk.table], fk.ref_columns).dropna()
        keys = _keys(frame, fk.columns)
        dangling = keys.notna() & ~text_is_in(keys, known)  # _keys gives text
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
    record_ids = [tables[t][TABLES[t].primary_key[0]].dropna() for t in RECORD_TABLES.values()]
    column = tables[table_name][reference.column]
    candidates = _not_in(column, held["row_key"], *record_ids)
    known = set(held["row_key"]).union(*record_ids) if len(candidates) else set()
    out: list[Failure] = []
    # tolist: the values iterating the Series gives, without boxing each cell
    for i, rid in zip(candidates.tolist(), column.iloc[candidates].tolist(), strict=True):
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
    """Every quote must be the document's text at its offsets.

    The quotes are compared with the text in bulk (``quotes_at_offsets``); only
    the rows that comparison cannot clear are read here, to say why they fail.
    """
    frame = frame.reset_index(drop=True)
    to_read = np.flatnonzero(~quotes_at_offsets(frame, documents))
    if not len(to_read):
        return []
    # tolist: the values iterating the Series gives (missing ones as pd.NA), faster
    texts = dict(zip(documents["doc_id"].tolist(), documents["text"].tolist(), strict=True))
    out: list[Failure] = []
    for i, (doc_id, start, end, quote) in _rows_at(frame, QUOTE_COLUMNS, to_read):
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


def _rows_at(
    frame: pd.DataFrame, columns: tuple[str, ...], positions: np.ndarray
) -> Iterator[tuple[int, tuple]]:
    """(position, the row's values of the columns as Python values) for the rows at the
    positions, a slice of them at a time: the million statements' columns as Python lists
    at once took 200 MB."""
    for start in range(0, len(positions), ROWS_PER_SLICE):
        part = frame.iloc[positions[start : start + ROWS_PER_SLICE]]
        values = zip(*(column_values(part[c]) for c in columns), strict=True)
        yield from zip(positions[start : start + ROWS_PER_SLICE].tolist(), values, strict=True)


def quotes_at_offsets(frame: pd.DataFrame, documents: pd.DataFrame) -> np.ndarray:
    """Per row, True when its quote is certainly its document's text at its character
    offsets (``text[char_start:char_end] == quote``), or it has no document id.

    A Python slice per row took a second over the million statements. Here the
    offsets, Python's code points, are turned into the texts' UTF-8 byte offsets
    and the bytes compared, in numpy. False leaves the row to be read one by one:
    a mismatch, a missing value or document, offsets outside the text (Python's
    slice rules apply), or columns Arrow cannot take (then every row)."""
    cleared = np.zeros(len(frame), dtype=bool)
    try:
        texts = _Texts(documents)
        for start in range(0, len(frame), ROWS_PER_SLICE):
            part = frame.iloc[start : start + ROWS_PER_SLICE]
            cleared[start : start + len(part)] = texts.quoted(part)
    except (pa.ArrowException, UnicodeError, TypeError, ValueError):
        cleared[:] = False
    return cleared


class _Texts:
    """The documents' texts as one UTF-8 buffer, and where each code point of it starts."""

    def __init__(self, documents: pd.DataFrame) -> None:
        if not len(documents) or repeats_a_key(documents, ["doc_id"]) is not False:
            raise ValueError("no documents, or their ids repeat: the rows are read one by one")
        self.doc_ids = pa.array(documents["doc_id"], type=pa.string())
        texts = _large_string(pa.array(documents["text"], type=pa.string()))
        self.has_text = pc.is_valid(texts).to_numpy(zero_copy_only=False)
        self.n_chars = pc.fill_null(pc.utf8_length(texts), 0).to_numpy()
        data, offsets = _utf8_buffer(texts)
        self.data = _padded(data)
        # UTF-8 continuation bytes: every code point has exactly one byte that is not one
        follow = np.flatnonzero((data & 0xC0) == 0x80)
        self.chars_before = offsets[:-1] - np.searchsorted(follow, offsets[:-1])
        # the continuation bytes before code point g of the buffer are those with lead <= g
        self.lead = follow - np.arange(len(follow))

    def byte_at(self, char: np.ndarray) -> np.ndarray:
        """Byte offset in the buffer of the code point at each (buffer-wide) char index."""
        return char + np.searchsorted(self.lead, char, side="right")

    def quoted(self, rows: pd.DataFrame) -> np.ndarray:
        """``quotes_at_offsets`` for a slice of rows.

        A quote of end - start code points whose bytes are those of the text from
        the byte where code point ``start`` begins is the text's slice [start, end)
        (which lies in the document, end being at most its length): the end
        offset needs no lookup of its own.
        """
        doc_ids = pa.array(rows["doc_id"], type=pa.string())
        doc = pc.fill_null(pc.index_in(doc_ids, value_set=self.doc_ids), -1).to_numpy()
        start, end = _integers(rows["char_start"]), _integers(rows["char_end"])
        quotes = _large_string(pa.array(rows["quote"], type=pa.string()))
        quote_data, quote_offsets = _utf8_buffer(quotes)
        quote_data = _padded(quote_data)
        quote_chars = pc.fill_null(pc.utf8_length(quotes), -1).to_numpy()
        known = doc >= 0
        doc = np.where(known, doc, 0)
        usable = known & self.has_text[doc] & (start >= 0) & (start <= end)
        usable &= end <= self.n_chars[doc]
        usable &= quote_chars == end - start
        first = self.byte_at(self.chars_before[doc] + np.where(usable, start, 0))
        lengths = np.diff(quote_offsets)
        same = _same_bytes(self.data, first, quote_data, quote_offsets[:-1], lengths, usable)
        return same | pc.is_null(doc_ids).to_numpy(zero_copy_only=False)


def _large_string(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """One contiguous array with 64-bit offsets."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.cast(pa.large_string())


def _utf8_buffer(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(the bytes of a large_string array's values, each value's offsets in them): views of
    the array's buffers, no copy."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)
    offsets = offsets[values.offset : values.offset + len(values) + 1]
    data_buffer = values.buffers()[2]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer else np.zeros(0, np.uint8)
    return data[offsets[0] : offsets[-1]], offsets - offsets[0]


def _padded(data: np.ndarray) -> np.ndarray:
    """The bytes and 8 zero bytes, so that 8 bytes can be read from any of them."""
    return np.concatenate([data, np.zeros(8, np.uint8)])


def _integers(values: pd.Series) -> np.ndarray:
    """Integer cells as int64, -1 for a missing one (no valid offset is negative)."""
    return pc.fill_null(pa.array(values, type=pa.int64()), -1).to_numpy()


def _words(padded: np.ndarray) -> np.ndarray:
    """The 8 bytes from each byte of a buffer ending in 8 zero bytes, as a little-endian
    integer: a view, no copy."""
    shape = (max(len(padded) - 7, 0),)
    return np.ndarray(shape, dtype="<u8", buffer=padded, strides=(1,))


def _same_bytes(
    data: np.ndarray,
    data_starts: np.ndarray,
    other: np.ndarray,
    other_starts: np.ndarray,
    lengths: np.ndarray,
    rows: np.ndarray,
) -> np.ndarray:
    """For each selected row, whether the padded buffers ``data`` and ``other`` hold the
    same ``lengths`` bytes from their starts (False for the rows not selected).

    Compared 8 bytes at a time, the bytes past a row's length masked off: a byte at a
    time took most of the quote check."""
    lengths = np.where(rows, lengths, 0)
    words = (lengths + 7) // 8
    ends = np.cumsum(words)
    begins = ends - words
    n_words = int(ends[-1]) if len(ends) else 0
    step = 8 * (np.arange(n_words) - np.repeat(begins, words))  # byte of the row at each word
    left = np.repeat(lengths, words) - step  # the row's bytes from that word on
    xor = _words(data)[np.repeat(data_starts, words) + step]
    xor ^= _words(other)[np.repeat(other_starts, words) + step]
    tail = (np.uint64(1) << (8 * np.minimum(left, 7)).astype(np.uint64)) - np.uint64(1)
    xor &= np.where(left >= 8, np.uint64(2**64 - 1), tail)
    differ = np.concatenate([[0], np.cumsum(xor != 0)])
    return rows & (differ[ends] == differ[begins])


def evidence_coverage_failures(
    tables: dict[str, pd.DataFrame], evidence: pd.DataFrame
) -> list[Failure]:
    """Every record of every record table has at least one evidence row."""
    candidates = {
        name: _not_in(tables[name][TABLES[name].primary_key[0]], evidence["record_id"])
        for name in RECORD_TABLES.values()
    }
    if not any(len(c) for c in candidates.values()):
        return []
    covered = set(evidence["record_id"].tolist())
    out: list[Failure] = []
    for table_name, rows in candidates.items():
        id_col = TABLES[table_name].primary_key[0]
        ids = tables[table_name][id_col].iloc[rows].tolist()
        out += [
            failure(table_name, "has_evidence", f"{rid} has no evidence", id_col, i, rid)
            for i, rid in zip(rows.tolist(), ids, strict=True)
            if rid not in covered
        ]
    return out


def _not_in(values: pd.Series, *known: pd.Series) -> np.ndarray:
    """Positions of the values not among the known ones (a missing value matches a
    missing one), found in Arrow for text: pandas' isin makes a Python object of every
    known value. For values of other types every position (the caller looks at each)."""
    if not all(isinstance(s.dtype, pd.StringDtype) for s in (values, *known)):
        return np.arange(len(values))
    return np.flatnonzero(~text_is_in(values, *known))


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
