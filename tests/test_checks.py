"""The pure checks fail, with a message that says what and where, on deliberately broken frames."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from pipeline import checks
from schemas import derive
from schemas.derive import empty_frame, records_frame

DOC = "doc-0123456789abcdef"
TEXT = "The Alpine Space programme funds work in Tyrol and in Carinthia."


def ter(n: int) -> str:
    return f"ter-{n:012x}"


def territory(n: int, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "territory_id": ter(n),
        "name": f"Region {n}",
        "type": "region",
        "country_code": "AT",
        "nuts_code": "AT33",
        "nuts_level": 2,
    }
    return {**row, **values}


def evidence(start: int, end: int, quote: str, record_id: str = ter(1)) -> dict[str, object]:
    return {
        "record_type": "territory",
        "record_id": record_id,
        "doc_id": DOC,
        "char_start": start,
        "char_end": end,
        "quote": quote,
    }


def documents() -> pd.DataFrame:
    return records_frame(
        "documents",
        [
            {
                "doc_id": DOC,
                "source": "page.txt",
                "sha256": "0" * 64,
                "size_bytes": len(TEXT),
                "media_type": "text/plain",
                "encoding": "utf-8",
                "language": "en",
                "title": None,
                "text": TEXT,
                "n_chars": len(TEXT),
            }
        ],
    )


def reasons(failures: list[dict]) -> str:
    return "\n".join(str(f["reason"]) for f in failures)


# ------------------------------------------------------------ schema


def test_a_valid_frame_passes_every_frame_check():
    frame = records_frame(
        "territories", [territory(1), territory(2, nuts_code="AT332", nuts_level=3)]
    )
    assert checks.schema_failures("territories", frame) == []
    assert checks.primary_key_failures("territories", frame) == []


def test_duplicate_primary_key_fails_with_the_key_and_both_rows():
    frame = records_frame("territories", [territory(1), territory(1, name="Again"), territory(2)])
    failures = checks.primary_key_failures("territories", frame)
    assert len(failures) == 1
    assert ter(1) in str(failures[0]["reason"]) and "repeated" in str(failures[0]["reason"])
    assert failures[0]["column"] == "territory_id"
    schema = checks.schema_failures("territories", frame)
    assert sorted(f["row"] for f in schema) == [0, 1]
    assert all("primary key repeated" in str(f["reason"]) for f in schema)


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("country_code", "EL", "not in ISO 3166-1 alpha-2"),  # NUTS spelling, not ISO
        ("country_code", "ZZ", "not in ISO 3166-1 alpha-2"),
        ("nuts_code", "AT39", "not in NUTS 2021"),  # the right shape, but no such region
        ("nuts_code", "at33", "not in NUTS 2021"),
        ("territory_id", "prg-000000000001", "does not match ter-"),  # another type's prefix
        ("territory_id", "ter-00000000000G", "does not match ter-"),
        ("type", "town", "not one of country"),
        ("name", "", "empty string"),
        ("name", None, "missing value in a required column"),
        ("nuts_level", 4, "above the maximum 3"),
    ],
)
def test_a_malformed_value_fails_the_schema_on_its_row_and_column(column, value, words):
    frame = records_frame("territories", [territory(1), territory(2, **{column: value})])
    failures = [f for f in checks.schema_failures("territories", frame) if f["column"] == column]
    assert failures, f"{column}={value!r} passed"
    # Rows are in canonical order: find where the broken one went.
    broken = int(frame.index[frame["name"].fillna("") != "Region 1"][0])
    assert failures[0]["row"] == broken
    assert words in str(failures[0]["reason"])


def test_codes_spelled_as_iso_and_the_regulation_pass():
    frame = records_frame(
        "territories",
        [territory(1, country_code="GR", nuts_code="EL30", nuts_level=2), territory(2)],
    )
    assert checks.schema_failures("territories", frame) == []
    objectives = records_frame(
        "objectives",
        [
            {"objective_id": "obj-000000000001", "code": "ISO6.3", "policy_objective": "ISO1",
             "title": "Trust"},
            {"objective_id": "obj-000000000002", "code": "RSO2.4", "policy_objective": "PO2",
             "title": "Climate"},
        ],
    )  # fmt: skip
    assert checks.schema_failures("objectives", objectives) == []


def test_objective_codes_outside_the_regulation_fail():
    frame = records_frame(
        "objectives",
        [
            {"objective_id": "obj-000000000001", "code": "RSO9.1", "title": "Trust"},
            {"objective_id": "obj-000000000002", "code": "RSO2.4", "policy_objective": "PO3",
             "title": "Climate"},
        ],
    )  # fmt: skip
    failures = checks.schema_failures("objectives", frame)
    assert {(f["row"], f["column"]) for f in failures} == {
        (0, "code"),
        (1, "code, policy_objective"),
    }
    assert "breaks the rule: policy_objective is the one" in reasons(failures)


def test_a_wrong_type_fails_the_schema():
    frame = records_frame("territories", [territory(1)])
    frame["nuts_level"] = frame["nuts_level"].astype("string")
    failures = checks.schema_failures("territories", frame)
    assert any("wrong type, expected Int64" in str(f["reason"]) for f in failures)


def test_an_undeclared_or_missing_column_fails_the_schema():
    frame = records_frame("territories", [territory(1)])
    assert "column not declared" in reasons(
        checks.schema_failures("territories", frame.assign(x=1))
    )
    missing = checks.schema_failures("territories", frame.drop(columns=["nuts_level"]))
    assert "declared column missing" in reasons(missing)


@pytest.mark.parametrize(
    ("values", "rule"),
    [
        ({"nuts_level": 3}, "nuts_level is the number"),
        ({"nuts_level": None}, "given together"),
        ({"country_code": "DE"}, "country_code is the country of nuts_code"),
    ],
)
def test_row_rules_between_columns_fail_on_the_row(values, rule):
    frame = records_frame("territories", [territory(1), territory(2, **values)])
    failures = checks.schema_failures("territories", frame)
    assert [f["row"] for f in failures] == [1]
    assert rule in str(failures[0]["reason"])


def test_statements_with_half_an_origin_fail():
    row = {
        "statement_id": "stm-0123456789abcdef",
        "record_type": "territory",
        "record_id": ter(1),
        "field": "name",
        "value": "Tyrol",
        "doc_id": DOC,
        "char_start": None,
        "char_end": None,
        "quote": None,
        "extractor": "rule@1",
    }
    failures = checks.schema_failures("statements", records_frame("statements", [row]))
    assert "breaks the rule: doc_id, char_start, char_end and quote" in reasons(failures)
    override = {**row, "doc_id": None}
    assert checks.schema_failures("statements", records_frame("statements", [override])) == []


def test_a_record_id_with_another_types_prefix_fails_on_its_row():
    def statement(n: int, record_type: str, record_id: str) -> dict[str, object]:
        return {
            "statement_id": f"stm-{n:016x}",
            "record_type": record_type,
            "record_id": record_id,
            "field": "name",
            "value": "Tyrol",
            "doc_id": None,
            "char_start": None,
            "char_end": None,
            "quote": None,
            "extractor": "override",
        }

    rows = [
        statement(1, "territory", ter(1)),
        statement(2, "territory", "prg-000000000001"),  # a programme's prefix
        statement(3, "programme", "prg-000000000001"),
        statement(4, "project", ter(2)),
    ]
    frame = records_frame("statements", rows)
    failures = checks.schema_failures("statements", frame)
    failed = frame.iloc[sorted({int(f["row"]) for f in failures})]
    assert list(failed["statement_id"]) == [f"stm-{2:016x}", f"stm-{4:016x}"]
    assert "record_id carries the prefix of its record_type" in reasons(failures)


def test_row_rules_judged_in_slices_fail_on_the_same_rows(monkeypatch):
    broken = {"nuts_level": 3}
    rows = [territory(n, **(broken if n in (2, 3, 7) else {})) for n in range(1, 9)]
    frame = records_frame("territories", rows)
    whole = checks.schema_failures("territories", frame)
    monkeypatch.setattr(derive, "RULE_SLICE_ROWS", 3)  # slices [0-2], [3-5], [6-7]
    assert checks.schema_failures("territories", frame) == whole
    assert [f["row"] for f in whole] == [1, 2, 6]


# ------------------------------------------------------------ quarantine


def test_split_valid_holds_bad_rows_out_with_the_reason_and_loses_none():
    frame = records_frame(
        "territories", [territory(1), territory(2, country_code="ZZ"), territory(3)]
    )
    kept, rejected = checks.split_valid("territories", frame)
    assert list(kept["territory_id"]) == [ter(1), ter(3)]
    assert len(kept) + len(rejected) == len(frame)
    entry = rejected.iloc[0]
    assert (entry["table_name"], entry["row_key"], entry["check"]) == (
        "territories",
        ter(2),
        "schema",
    )
    assert "ZZ" in entry["reason"] and json.loads(entry["row"])["country_code"] == "ZZ"
    assert checks.schema_failures("rejected_rows", records_frame("rejected_rows", [])) == []
    assert checks.schema_failures("rejected_rows", rejected) == []


def test_rows_pointing_at_a_rejected_row_are_held_out_too_and_other_dangling_rows_are_not():
    links = records_frame(
        "programme_territories",
        [
            {"programme_id": "prg-000000000001", "territory_id": ter(2)},  # ter 2 is rejected
            {"programme_id": "prg-000000000001", "territory_id": ter(9)},  # never existed
        ],
    )
    territories = records_frame("territories", [territory(1), territory(2, country_code="ZZ")])
    programmes = records_frame(
        "programmes", [{"programme_id": "prg-000000000001", "name": "P", "kind": "interreg"}]
    )
    valid, rejected = checks.split_valid("territories", territories)
    tables = {"territories": valid, "programme_territories": links, "programmes": programmes}
    tables, held = checks.quarantine_dangling(tables, rejected)
    assert list(tables["programme_territories"]["territory_id"]) == [ter(9)]
    cascaded = held[held["check"] == "foreign_key"]
    assert list(cascaded["table_name"]) == ["programme_territories"]
    assert "held in rejected_rows" in cascaded.iloc[0]["reason"]
    # The reference that dangles for no known reason is left for the check to fail on.
    failures = checks.foreign_key_failures("programme_territories", tables)
    assert [f["value"] for f in failures] == [ter(9)]


# ------------------------------------------------------------ references


def test_a_dangling_foreign_key_fails_and_a_null_one_does_not():
    programmes = records_frame(
        "programmes", [{"programme_id": "prg-000000000001", "name": "P", "kind": "interreg"}]
    )
    projects = records_frame(
        "projects",
        [
            {"project_id": "prj-000000000001", "name": "A", "programme_id": "prg-000000000001"},
            {"project_id": "prj-000000000002", "name": "B", "programme_id": "prg-00000000dead"},
            {"project_id": "prj-000000000003", "name": "C", "programme_id": None},
        ],
    )
    failures = checks.foreign_key_failures(
        "projects", {"projects": projects, "programmes": programmes}
    )
    assert len(failures) == 1
    assert failures[0]["row"] == 1
    assert failures[0]["reason"] == (
        "programme_id = prg-00000000dead is not in programmes.programme_id"
    )


def test_record_references_resolve_by_prefix_or_to_a_rejected_record():
    frames = {name: empty_frame(name) for name in checks.RECORD_TABLES.values()}
    frames["territories"] = records_frame("territories", [territory(1)])
    frames["evidence"] = records_frame(
        "evidence",
        [
            evidence(41, 46, "Tyrol", ter(1)),
            evidence(54, 63, "Carinthia", ter(2)),  # rejected: still resolves
            evidence(4, 15, "Alpine Space", "prg-000000000007"),  # nowhere
        ],
    )
    rejected = records_frame(
        "rejected_rows",
        [
            {
                "table_name": "territories",
                "row_key": ter(2),
                "check": "schema",
                "reason": "x",
                "row": "{}",
            }
        ],
    )
    failures = checks.record_reference_failures("evidence", frames, rejected)
    assert [f["value"] for f in failures] == ["prg-000000000007"]
    assert "is not a row of programmes" in str(failures[0]["reason"])


# ------------------------------------------------------------ evidence


def test_a_quote_that_is_not_the_text_at_its_offsets_fails():
    good = evidence(41, 46, "Tyrol")
    shifted = evidence(42, 47, "Tyrol", ter(2))
    unknown_doc = {**evidence(0, 3, "The", ter(3)), "doc_id": "doc-ffffffffffffffff"}
    frame = records_frame("evidence", [good, shifted, unknown_doc])
    failures = checks.quote_failures("evidence", frame, documents())
    assert len(failures) == 2
    by_value = {f["value"]: str(f["reason"]) for f in failures}
    assert "which reads 'yrol '" in by_value["Tyrol"]
    assert "doc-ffffffffffffffff is not in documents" in by_value["The"]


def test_only_located_values_are_checked_and_missing_offsets_fail_on_their_row():
    unlocated = {
        "statement_id": "stm-" + "1" * 16,
        "record_type": "territory",
        "record_id": ter(1),
        "field": "nuts_code",
        "value": "AT33",
        "extractor": "reference",
    }
    located = {
        **unlocated,
        "statement_id": "stm-" + "2" * 16,
        "doc_id": DOC,
        "char_start": 41,
        "char_end": 46,
        "quote": "Tyrol",
        "extractor": "t@1",
    }
    no_offsets = {**located, "statement_id": "stm-" + "3" * 16, "char_end": None}
    frame = records_frame("statements", [unlocated, located, no_offsets])
    failures = checks.quote_failures("statements", frame, documents())
    assert [(f["row"], f["reason"]) for f in failures] == [
        (2, "offsets or quote missing for a located value")
    ]


def test_quotes_read_in_slices_fail_on_their_own_rows(monkeypatch):
    monkeypatch.setattr(checks, "ROWS_PER_SLICE", 2)
    rows = [evidence(41, 46, "Tyrol", ter(n)) for n in range(1, 6)]
    rows[2] = evidence(42, 47, "Tyrol", ter(3))  # slice 2, first row
    rows[4] = evidence(41, 46, "Tirol", ter(5))  # slice 3, alone
    frame = records_frame("evidence", rows)
    failures = checks.quote_failures("evidence", frame, documents())
    assert [(f["row"], f["value"]) for f in failures] == [(2, "Tyrol"), (4, "Tirol")]


def test_every_record_needs_evidence():
    frames = {name: empty_frame(name) for name in checks.RECORD_TABLES.values()}
    frames["territories"] = records_frame("territories", [territory(1), territory(2)])
    ev = records_frame("evidence", [evidence(41, 46, "Tyrol", ter(1))])
    failures = checks.evidence_coverage_failures(frames, ev)
    assert [(f["table"], f["value"]) for f in failures] == [("territories", ter(2))]


def test_row_counts_outside_the_declared_bounds_fail():
    failures = checks.row_count_failures("documents", empty_frame("documents"))
    assert "0 rows, expected between 1 and" in str(failures[0]["reason"])
    assert checks.row_count_failures("documents", documents()) == []


# ------------------------------------------------------------ presentation


def test_failures_read_as_a_markdown_table_with_pipes_escaped():
    failures = [checks.failure("t", "c", f"bad {i}", "col", i, "a|b") for i in range(60)]
    text = checks.failures_markdown(failures, limit=3)
    lines = text.splitlines()
    assert lines[0] == "| table | column | row | value | reason |"
    assert lines[2] == "| t | col | 0 | a\\|b | bad 0 |"
    assert "57 more (60 in all)" in text
    assert checks.failures_markdown([]) == "none"
