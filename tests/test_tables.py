"""Record tables from statements: read a few records at a time, in any row order."""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline import tables
from pipeline.resolve import StatementTable
from pipeline.tables import build_tables
from schemas.derive import records_frame


def statements() -> pd.DataFrame:
    """Three programmes, one with a budget conflict (the first stated of the tie wins)."""
    table = StatementTable()
    for n, (budgets, fund) in enumerate([(["10", "12"], "ERDF"), (["7"], None), (["5"], "IPA")]):
        rid = f"prg-{n:012x}"
        table.add("programme", rid, "name", f"Interreg {n}", "doc-b", 0, 10, "x", "r@1")
        for i, budget in enumerate(budgets):
            table.add("programme", rid, "budget_eur", budget, f"doc-{'dc'[i]}", 20, 30, "y", "r@1")
        if fund:
            table.add("programme", rid, "fund", fund, "doc-b", 40, 44, fund, "r@1")
    return records_frame("statements", table.table().to_pylist())


def same_tables(a: dict[str, pd.DataFrame], b: dict[str, pd.DataFrame]) -> None:
    assert a.keys() == b.keys()
    for name in a:
        pd.testing.assert_frame_equal(a[name], b[name])


def test_a_conflict_goes_to_the_value_stated_first():
    built = build_tables(statements())
    programmes = built["programmes"].set_index("name")
    assert programmes.loc["Interreg 0", "budget_eur"] == 12  # doc-c before doc-d
    assert pd.isna(programmes.loc["Interreg 1", "fund"])
    assert list(built["conflicts"]["candidates"]) == ["10 (1); 12 (1)"]


@pytest.mark.parametrize("chunk_rows", [1, 2, 3, 1000])
def test_records_read_in_chunks_give_the_same_tables(monkeypatch, chunk_rows):
    whole = build_tables(statements())
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk_rows)
    same_tables(build_tables(statements()), whole)


def test_statements_in_any_row_order_give_the_same_tables(monkeypatch):
    frame = statements()
    shuffled = frame.sample(frac=1, random_state=3).reset_index(drop=True)
    assert not shuffled["record_id"].is_monotonic_increasing
    monkeypatch.setattr(tables, "CHUNK_ROWS", 2)
    same_tables(build_tables(shuffled), build_tables(frame))


def overridden_statements() -> pd.DataFrame:
    """A programme whose budget sources disagree and two overrides set it; its fund is
    stated twice alike and once more by an override; its name by an override too."""
    table = StatementTable()
    rid = "prg-000000000001"
    table.add("programme", rid, "name", "Interreg A", "doc-b", 0, 10, "x", "r@1")
    table.add("programme", rid, "name", "Interreg B", None, None, None, None, "override")
    for doc, budget in (("doc-b", "10"), ("doc-c", "12"), ("doc-d", "12")):
        table.add("programme", rid, "budget_eur", budget, doc, 20, 30, "y", "r@1")
    for budget in ("7", "8"):
        table.add("programme", rid, "budget_eur", budget, None, None, None, None, "override")
    for doc in ("doc-b", "doc-c"):
        table.add("programme", rid, "fund", "ERDF", doc, 40, 44, "ERDF", "r@1")
    table.add("programme", rid, "fund", "ERDF", None, None, None, None, "override")
    return records_frame("statements", table.table().to_pylist())


@pytest.mark.parametrize("chunk_rows", [1, 4, 1000])
def test_the_last_override_of_a_field_wins_and_a_disagreement_is_still_listed(
    monkeypatch, chunk_rows
):
    monkeypatch.setattr(tables, "CHUNK_ROWS", chunk_rows)
    frame = overridden_statements()
    built = build_tables(frame)
    programme = built["programmes"].iloc[0]
    budget_overrides = frame[(frame["field"] == "budget_eur") & (frame["extractor"] == "override")]
    assert programme["budget_eur"] == int(budget_overrides["value"].iloc[-1])
    assert programme["name"] == "Interreg B"
    assert programme["fund"] == "ERDF"
    conflicts = built["conflicts"]
    assert list(conflicts["field"]) == ["budget_eur"]  # the fund's statements all agree
    assert conflicts["chosen"].iloc[0] == budget_overrides["value"].iloc[-1]
    assert conflicts["candidates"].iloc[0] == "10 (1); 12 (2); 7 (1); 8 (1)"
