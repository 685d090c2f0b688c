"""Mentions as rows of the internal ``mentions`` table."""

import json
from dataclasses import asdict

from pipeline.extract.model import Link, Mention, Ref, Value, from_row, to_row


def sample_mention() -> Mention:
    m = Mention("project", 10, 16, "MAREVO", "projects.listed", key=None, language="fr")
    m.add("budget_eur", 1_500_000, 30, 42, "projects.values")
    m.add("acronym", "MAREVO", 10, 16, "projects.listed")
    m.links.append(Link("programme_id", Ref("programme", 0, 8)))
    return m


def test_row_writes_values_and_links_as_asdict_would():
    """to_row spells out the fields instead of calling asdict: the same JSON."""
    m = sample_mention()
    row = to_row("doc-1", m)
    assert row["values_json"] == json.dumps([asdict(v) for v in m.values], ensure_ascii=False)
    assert row["links_json"] == json.dumps([asdict(link) for link in m.links], ensure_ascii=False)


def test_row_reads_back_as_the_same_mention():
    m = sample_mention()
    assert from_row(to_row("doc-1", m)) == m
    empty = Mention("territory", 0, 5, "Namur", "territories.gazetteer")
    assert from_row(to_row("doc-1", empty)) == empty
    assert to_row("doc-1", empty)["values_json"] == "[]"


def test_values_and_links_keep_their_field_order():
    row = to_row("doc-1", sample_mention())
    assert list(json.loads(str(row["values_json"]))[0]) == list(
        Value.__dataclass_fields__  # type: ignore[attr-defined]
    )
    link = json.loads(str(row["links_json"]))[0]
    assert list(link) == ["field", "target"]
    assert list(link["target"]) == ["record_type", "start", "end"]
