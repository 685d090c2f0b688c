"""The quality report is one self-contained, deterministic page computed from the tables."""

from __future__ import annotations

import re

from pipeline.report import Coverage, coverage, quality_report
from tests.test_release import DOC_FR, TEXT_FR, empty_tables, sample_records, sample_tables

EXTERNAL = re.compile(r"<script|<link|<img|<iframe|\bsrc=|@import|url\(", re.IGNORECASE)


def test_figures_are_counted_from_the_tables():
    # The sample: 2 documents, both with evidence; 5 records (1 programme, 2 territories,
    # 1 project, 1 organisation) of which 3 have evidence; 1 of 2 territories has NUTS.
    assert coverage(sample_tables()) == Coverage(
        documents=2,
        documents_with_records=2,
        records=5,
        records_with_evidence=3,
        territories=2,
        territories_with_nuts=1,
        conflicts=1,
        rejected_rows=1,
        rejected_documents=1,
    )


def test_the_page_shows_the_figures_per_document_and_language():
    page = quality_report(sample_tables(), "1.0")
    assert "<title>Quality report, release 1.0</title>" in page
    assert "1 of 2 territories (50.0 %) have a NUTS 2021 code" in page
    assert "3 of 5 records (60.0 %) have evidence" in page
    # a.html names the programme and Wallonia: 2 records; b.txt Wallonia and the project.
    assert '<td>a.html</td><td>Programme Nord</td><td>fr</td><td class="n">2</td>' in page
    assert '<td>fr</td><td class="n">1</td><td class="n">2</td>' in page  # language rows
    assert "2027 (2); 2029 (1)" in page  # the conflict
    assert "bad id" in page  # the rejected row
    assert "not text" in page  # the rejected document
    assert page.count("<svg") >= 5


def test_the_page_is_self_contained():
    page = quality_report(sample_tables(), "1.0")
    assert page.startswith("<!DOCTYPE html>")
    assert not EXTERNAL.search(page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page


def test_text_from_the_documents_is_escaped():
    records = sample_records()
    records["documents"][0]["title"] = "<script>alert(1)</script>"
    page = quality_report(sample_tables(documents=records["documents"]), "1.0")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_the_page_is_the_same_whatever_the_row_order():
    tables = sample_tables()
    shuffled = {name: frame.iloc[::-1].reset_index(drop=True) for name, frame in tables.items()}
    assert quality_report(shuffled, "1.0") == quality_report(tables, "1.0")


def test_empty_tables_give_a_page_without_division_by_zero():
    page = quality_report(empty_tables(), "0")
    assert "n/a" in page
    assert "No data." in page


def test_a_document_without_records_counts_against_coverage():
    records = sample_records()
    evidence = [e for e in records["evidence"] if e["doc_id"] == DOC_FR]
    figures = coverage(sample_tables(evidence=evidence))
    assert figures.documents_with_records == 1
    page = quality_report(sample_tables(evidence=evidence), "1.0")
    assert "1 of 2 documents (50.0 %) have at least one record" in page
    assert '<td>b.txt</td><td>A project</td><td>en</td><td class="n">0</td>' in page


def test_records_per_language_count_a_record_once_per_language():
    records = sample_records()
    again = dict(records["evidence"][1], char_start=records["evidence"][1]["char_start"] - 3)
    again["quote"] = TEXT_FR[again["char_start"] : again["char_end"]]
    page = quality_report(sample_tables(evidence=[*records["evidence"], again]), "1.0")
    # fr: the programme and Wallonia (named twice); en: Wallonia and the project.
    assert '<td>fr</td><td class="n">1</td><td class="n">2</td>' in page
    assert '<td>en</td><td class="n">1</td><td class="n">2</td>' in page
