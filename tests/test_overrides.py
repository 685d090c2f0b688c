"""Manual corrections: applied after resolution, traceable, and reported when stale."""

from __future__ import annotations

import pytest

from pipeline.extract.model import Mention
from pipeline.overrides import InvalidOverride, Override, apply_overrides, load_overrides
from pipeline.resolve import DocMentions, resolve
from pipeline.tables import build_tables
from schemas.derive import records_frame

TEXT = "Namur and Hainaut provinces."


def resolution():
    namur = Mention("territory", 0, 5, "Namur", "test")
    namur.add("type", "municipality", 0, 5, "test")
    hainaut = Mention("territory", 10, 17, "Hainaut", "test", key="nuts:BE32")
    hainaut.add("type", "province", 10, 17, "test")
    return resolve([DocMentions("doc-a", "en", TEXT, [namur, hainaut])])


def with_overrides(overrides: list[Override]) -> tuple[list[dict], list[Override]]:
    """The statements of the sample after the overrides, and the unmatched overrides."""
    res = resolution()
    unmatched = apply_overrides(res, overrides)
    return res.statements.table().to_pylist(), unmatched


def territories(statements: list[dict]) -> dict[str, dict]:
    table = build_tables(records_frame("statements", statements))["territories"]
    return {row["name"]: row for row in table.to_dict("records")}


def fix(**kw) -> Override:
    base = {"field": "type", "value": "province", "reason": "listed as a province", "source": "x"}
    return Override(**{**base, **kw})


def test_an_override_by_name_wins_over_the_extracted_value_and_is_a_statement():
    statements, unmatched = with_overrides([fix(record_type="territory", name="namur")])
    assert unmatched == []
    assert territories(statements)["Namur"]["type"] == "province"
    added = [s for s in statements if s["extractor"] == "override"]
    assert [(s["field"], s["value"], s["doc_id"]) for s in added] == [("type", "province", None)]


def test_an_override_by_record_id_applies_to_that_record_only():
    extracted = resolution().statements.table().to_pylist()
    hainaut_id = next(s["record_id"] for s in extracted if s["quote"] == "Hainaut")
    statements, unmatched = with_overrides([fix(record_id=hainaut_id, value="region")])
    assert unmatched == []
    rows = territories(statements)
    assert rows["Hainaut"]["type"] == "region"
    assert rows["Namur"]["type"] == "municipality"


def test_an_override_that_matches_nothing_is_reported():
    stale = fix(record_type="territory", name="Atlantis")
    statements, unmatched = with_overrides([stale])
    assert unmatched == [stale]
    assert "override" not in {s["extractor"] for s in statements}


def test_the_last_of_two_overrides_of_one_field_wins():
    statements, _ = with_overrides(
        [
            fix(record_type="territory", name="Namur", value="province"),
            fix(record_type="territory", name="Namur", value="district"),
        ]
    )
    assert territories(statements)["Namur"]["type"] == "district"


def test_the_shipped_overrides_file_loads(tmp_path):
    assert isinstance(load_overrides(), list)


@pytest.mark.parametrize(
    "body, message",
    [
        ("overrides: {a: 1}", "must be a list"),
        ("overrides:\n  - {record: ter-x, field: type, value: v, reason: r}", "missing source"),
        (
            "overrides:\n  - {field: type, value: v, reason: r, source: s}",
            "either 'record' or 'match'",
        ),
        (
            "overrides:\n  - {match: {name: X}, field: t, value: v, reason: r, source: s}",
            "needs record_type and name",
        ),
    ],
)
def test_a_malformed_overrides_file_is_a_clear_error(tmp_path, body, message):
    path = tmp_path / "overrides.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(InvalidOverride, match=message):
        load_overrides(path)
