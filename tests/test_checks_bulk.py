"""The checks that work on whole columns give the verdicts the row-by-row checks give.

The quote check compares bytes in bulk and the schema check answers from Arrow
compute when every check holds; both leave anything else to the slow path. These
tests compare them with a plain Python reading of each row, and with Pandera,
on text with astral characters, combining marks, missing values, empty strings
and offsets outside the text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pandera.errors as pa_errors
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline import checks
from schemas.derive import empty_frame, pandera_schema, records_frame
from schemas.tables import TABLES

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# ASCII, Latin letters, a combining mark, CJK, astral (emoji, Gothic) and an empty text
TEXTS = [
    "Tyrol and Carinthia",
    "Région Grand Est, Bézier",
    "e\u0301te\u0301 a\u0300 Lie\u0300ge",
    "漢字と\U0001f600 emoji \U00010348 gothic",
    "",
    "\U0001f600\U0001f600x",
]
DOC_IDS = [f"doc-{n:016x}" for n in range(len(TEXTS))]
MISSING_DOC = "doc-ffffffffffffffff"


def documents(texts: list[str] = TEXTS) -> pd.DataFrame:
    return records_frame(
        "documents",
        [
            {
                "doc_id": DOC_IDS[n],
                "source": f"page{n}.txt",
                "sha256": f"{n:064x}",
                "size_bytes": len(text.encode()),
                "media_type": "text/plain",
                "encoding": "utf-8",
                "language": "en",
                "title": None,
                "text": text,
                "n_chars": len(text),
            }
            for n, text in enumerate(texts)
        ],
    )


def row_by_row(frame: pd.DataFrame, texts: dict[str, str]) -> list[tuple[int, str]]:
    """(row, reason) of every failing quote, by a Python slice per row."""
    out = []
    for i, (doc_id, start, end, quote) in enumerate(
        frame[["doc_id", "char_start", "char_end", "quote"]].astype(object).itertuples(index=False)
    ):
        if pd.isna(doc_id):
            continue
        if doc_id not in texts:
            out.append((i, f"document {doc_id} is not in documents"))
        elif pd.isna(start) or pd.isna(end) or pd.isna(quote):
            out.append((i, "offsets or quote missing for a located value"))
        elif texts[doc_id][start:end] != quote:
            found = texts[doc_id][start:end]
            out.append(
                (i, f"quote is not the text of {doc_id} at [{start}, {end}), which reads {found!r}")
            )
    return out


@st.composite
def quoted_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    """Evidence-like rows: mostly true quotes, some shifted, cut, missing or made up."""
    rows = []
    for _ in range(draw(st.integers(1, 12))):
        n = draw(st.integers(0, len(TEXTS) - 1))
        text = TEXTS[n]
        start = draw(st.integers(-2, len(text) + 2))
        end = draw(st.integers(-2, len(text) + 3))
        quote: str | None = text[start:end]
        kind = draw(st.sampled_from(["true", "true", "true", "other", "null", "empty", "long"]))
        if kind == "other":
            quote = draw(st.text(alphabet="aeé\u0301\U0001f600漢 ", max_size=4))
        elif kind == "null":
            quote = None
        elif kind == "empty":
            quote = ""
        elif kind == "long":  # runs into the next document's bytes
            quote = text[start:] + (TEXTS[(n + 1) % len(TEXTS)] or "x")
        doc_id = draw(st.sampled_from([DOC_IDS[n]] * 4 + [None, MISSING_DOC]))
        rows.append({"doc_id": doc_id, "char_start": start, "char_end": end, "quote": quote})
    return rows


def quote_frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["doc_id", "char_start", "char_end", "quote"])
    return frame.astype(
        {"doc_id": "string", "char_start": "Int64", "char_end": "Int64", "quote": "string"}
    )


@SETTINGS
@given(quoted_rows(), st.sampled_from([1, 3, 65_536]))
def test_quote_check_fails_on_the_rows_a_python_slice_fails_on(rows, slice_rows):
    frame = quote_frame(rows)
    texts = dict(zip(DOC_IDS, TEXTS, strict=True))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(checks, "ROWS_PER_SLICE", slice_rows)
        failures = checks.quote_failures("evidence", frame, documents())
    assert [(f["row"], f["reason"]) for f in failures] == row_by_row(frame, texts)


@SETTINGS
@given(quoted_rows())
def test_bulk_comparison_clears_only_true_quotes(rows):
    frame = quote_frame(rows)
    texts = dict(zip(DOC_IDS, TEXTS, strict=True))
    cleared = checks.quotes_at_offsets(frame, documents())
    for i, row in enumerate(rows):
        if cleared[i] and row["doc_id"] is not None:
            start, end = int(row["char_start"]), int(row["char_end"])  # type: ignore[call-overload]
            assert 0 <= start <= end <= len(texts[str(row["doc_id"])])
            assert texts[str(row["doc_id"])][start:end] == row["quote"]


def test_true_quotes_after_astral_and_combining_characters_are_cleared_in_bulk():
    rows = []
    for doc_id, text in zip(DOC_IDS, TEXTS, strict=True):
        rows += [
            {"doc_id": doc_id, "char_start": s, "char_end": e, "quote": text[s:e]}
            for s in range(len(text))
            for e in range(s + 1, len(text) + 1)
        ]
    cleared = checks.quotes_at_offsets(quote_frame(rows), documents())
    assert cleared.all()


def test_a_quote_one_code_point_off_is_not_cleared():
    text = TEXTS[3]
    at = text.index("\U0001f600")
    rows = [
        {"doc_id": DOC_IDS[3], "char_start": at, "char_end": at + 1, "quote": "\U0001f600"},
        {"doc_id": DOC_IDS[3], "char_start": at + 1, "char_end": at + 2, "quote": "\U0001f600"},
        {"doc_id": DOC_IDS[2], "char_start": 0, "char_end": 1, "quote": "e"},
        {"doc_id": DOC_IDS[2], "char_start": 0, "char_end": 2, "quote": "e"},
    ]
    assert checks.quotes_at_offsets(quote_frame(rows), documents()).tolist() == [
        True,
        False,
        True,
        False,
    ]


def test_repeated_document_ids_leave_every_row_to_the_row_by_row_check():
    docs = pd.concat([documents(), documents()], ignore_index=True)
    frame = quote_frame([{"doc_id": DOC_IDS[0], "char_start": 0, "char_end": 5, "quote": "Tyrol"}])
    assert not checks.quotes_at_offsets(frame, docs).any()
    assert checks.quote_failures("evidence", frame, docs) == []


# ------------------------------------------------------------ schema


def pandera_passes(table: str, frame: pd.DataFrame) -> bool:
    try:
        pandera_schema(table, True).validate(frame, lazy=True)
    except pa_errors.SchemaErrors:
        return False
    return True


def valid_statements() -> pd.DataFrame:
    rows = [
        {
            "statement_id": f"stm-{n:016x}",
            "record_type": "territory",
            "record_id": f"ter-{n:012x}",
            "field": "name",
            "value": "Tyrol",
            "doc_id": DOC_IDS[0],
            "char_start": 0,
            "char_end": 5,
            "quote": "Tyrol",
            "extractor": "t@1",
        }
        for n in range(4)
    ]
    return records_frame("statements", rows)


BREAKS = {
    "null in a required column": ("value", 1, None),
    "empty string": ("field", 2, ""),
    "pattern": ("statement_id", 0, "stm-XYZ"),
    # pandas' match lets "$" match before a final newline; RE2 does not, and defers
    "pattern with a trailing newline": ("doc_id", 3, DOC_IDS[0] + "\n"),
    "not an allowed value": ("record_type", 1, "planet"),
    "below the minimum": ("char_start", 2, -1),
    "row rule": ("char_end", 0, 9),
    "origin half given": ("quote", 3, None),
}


@pytest.mark.parametrize("column, row, value", BREAKS.values(), ids=list(BREAKS))
def test_the_bulk_schema_check_never_passes_a_frame_pandera_fails(monkeypatch, column, row, value):
    frame = valid_statements()
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    frame[column] = frame[column].astype(valid_statements()[column].dtype)
    schema = pandera_schema("statements", False)
    assert not checks.holds_every_check("statements", schema, frame)
    failures = checks.schema_failures("statements", frame)
    assert (failures == []) == pandera_passes("statements", frame)
    monkeypatch.setattr(checks, "holds_every_check", lambda *_: False)
    assert checks.schema_failures("statements", frame) == failures


def test_the_bulk_schema_check_passes_a_valid_frame_and_defers_wrong_types_and_columns():
    frame = valid_statements()
    schema = pandera_schema("statements", False)
    assert pandera_passes("statements", frame)
    assert checks.holds_every_check("statements", schema, frame)
    assert not checks.holds_every_check("statements", schema, frame.astype({"char_end": "Float64"}))
    assert not checks.holds_every_check("statements", schema, frame[frame.columns[::-1]])
    assert not checks.holds_every_check("statements", schema, frame.assign(extra=1))


def test_a_repeated_key_is_found_once_and_shared_by_both_checks():
    frame = pd.concat([valid_statements(), valid_statements().iloc[[0]]], ignore_index=True)
    assert checks.key_may_repeat("statements", frame)
    assert checks.primary_key_failures("statements", frame, key_repeats=True)[0]["row"] == 4
    assert checks.primary_key_failures("statements", frame, key_repeats=False) == []
    assert np.any(
        ["repeated" in str(f["reason"]) for f in checks.schema_failures("statements", frame)]
    )


@pytest.mark.parametrize(
    "ids, repeats",
    [
        (["stm-a", "stm-b", "stm-c"], False),
        (["stm-a", "stm-b", "stm-a"], True),
        (["stm-é", "stm-ü", "stm-é"], True),  # one UTF-8 width, not one length in characters
        (["ab\x00", "ab\x01", "ab\x00"], True),
        (["ab\x00", "ab\x01"], False),
        (["stm-a", "stm-bb", "stm-a"], True),  # widths differ: the sort in Arrow decides
        (["stm-a", None, None], True),
    ],
)
def test_a_key_of_fixed_width_ids_repeats_exactly_when_pandas_finds_a_duplicate(ids, repeats):
    frame = valid_statements().iloc[[0] * len(ids)].reset_index(drop=True)
    frame["statement_id"] = pd.Series(ids, dtype="string")
    assert frame.duplicated(subset=["statement_id"]).any() == repeats
    assert checks.key_may_repeat("statements", frame) == repeats


@pytest.mark.parametrize("table", sorted(TABLES))
def test_an_empty_table_passes_the_bulk_schema_check_as_it_passes_pandera(table):
    frame = empty_frame(table)
    assert pandera_passes(table, frame)
    assert checks.holds_every_check(table, pandera_schema(table, False), frame)


def test_a_row_rule_broken_in_a_later_slice_of_rows_is_found(monkeypatch):
    monkeypatch.setattr(checks, "RULE_SLICE_ROWS", 3)
    frame = valid_statements()
    frame.loc[3, "char_end"] = 9  # quote_fits_span, in the second slice
    assert not checks.holds_every_check("statements", pandera_schema("statements", False), frame)
    assert [f["row"] for f in checks.schema_failures("statements", frame)] == [3]
