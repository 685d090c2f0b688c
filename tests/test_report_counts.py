"""The report counts records per document, per language and with evidence in Arrow; it
must show what counting the same rows one by one in Python shows (missing values,
documents the evidence names but the documents table lacks, repeated quotes, any dtype)."""

from __future__ import annotations

from collections import Counter

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import report
from pipeline.report import RECORD_TABLES, bar_chart, html_table, share
from schemas.derive import records_frame

DOC_IDS = st.sampled_from(["doc-1", "doc-2", "doc-3", "doc-é"])
RECORD_IDS = st.sampled_from(["prg-1", "ter-1", "ter-2", "prj-1", "org-1", ""])
RECORD_TYPES = st.sampled_from([*RECORD_TABLES, "unknown"])
LANGUAGES = st.one_of(st.none(), st.sampled_from(["fr", "en", "und", ""]))


def maybe(values: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), values)


@st.composite
def tables(draw: st.DrawFn) -> dict[str, pd.DataFrame]:
    """Documents, evidence and record tables with overlapping, missing and unknown ids."""
    documents = [
        {"doc_id": doc_id, "source": f"{i}.txt", "sha256": "a" * 64, "size_bytes": 1,
         "media_type": "text/plain", "encoding": "utf-8", "language": draw(LANGUAGES),
         "title": draw(maybe(st.sampled_from(["T", "<b>"]))), "text": "x", "n_chars": 1}
        for i, doc_id in enumerate(draw(st.lists(DOC_IDS, max_size=4)))
    ]  # fmt: skip
    evidence = [
        {"record_type": draw(RECORD_TYPES), "record_id": draw(RECORD_IDS), "doc_id": doc_id,
         "char_start": 0, "char_end": 1, "quote": "x"}
        for doc_id in draw(st.lists(DOC_IDS, max_size=12))
    ]  # fmt: skip
    out = {
        "documents": records_frame("documents", documents),
        "evidence": records_frame("evidence", evidence),
    }
    for record_type, name in RECORD_TABLES.items():
        ids = draw(st.lists(maybe(RECORD_IDS), max_size=4))
        column = f"{record_type}_id"
        frame = records_frame(name, []).reindex(range(len(ids)))
        frame[column] = pd.array(ids, dtype=frame[column].dtype)
        out[name] = frame
    return out


def as_objects(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The same tables with every column of dtype object (the report's Python path)."""
    return {name: frame.astype(object) for name, frame in tables.items()}


def text(frame: pd.DataFrame, name: str) -> list[str]:
    return ["" if v is None or v is pd.NA or v != v else str(v) for v in frame[name].tolist()]


def present(frame: pd.DataFrame, name: str) -> list:
    return [v for v in frame[name].tolist() if v is not None and v is not pd.NA and v == v]


def records_per_document_in_python(tables: dict[str, pd.DataFrame]) -> str:
    documents, evidence = tables["documents"], tables["evidence"]
    named: dict[str, set[tuple[str, str]]] = {}
    for doc_id, record_type, record_id in zip(
        text(evidence, "doc_id"),
        text(evidence, "record_type"),
        text(evidence, "record_id"),
        strict=True,
    ):
        named.setdefault(doc_id, set()).add((record_type, record_id))
    named_types = {rt for pairs in named.values() for rt, _ in pairs}
    types = [t for t in RECORD_TABLES if t in named_types]
    rows, bars = [], {}
    for doc in sorted(documents.itertuples(), key=lambda d: (str(d.source), str(d.doc_id))):
        pairs = named.get(str(doc.doc_id), set())
        per_type = Counter(rt for rt, _ in pairs)
        rows.append(
            (doc.source, doc.title, doc.language, len(pairs), *[per_type[t] for t in types])
        )
        bars[str(doc.source)] = len(pairs)
    return report._section(
        "Records per document",
        '<p class="note">Distinct records named in each document (from the evidence table).</p>',
        bar_chart("Records per document", report._ranked(bars)),
        html_table(("source", "title", "language", "records", *types), rows,
                   numeric={"records", *types}),
    )  # fmt: skip


def records_per_language_in_python(tables: dict[str, pd.DataFrame]) -> str:
    documents, evidence = tables["documents"], tables["evidence"]
    languages = text(documents, "language")
    language_of = dict(zip(text(documents, "doc_id"), languages, strict=True))
    docs = Counter(languages)
    records: dict[str, set[str]] = {}
    for doc_id, record_id in zip(
        text(evidence, "doc_id"), text(evidence, "record_id"), strict=True
    ):
        records.setdefault(language_of.get(doc_id, "und"), set()).add(record_id)
    rows = [
        (lang, docs[lang], len(records.get(lang, set())))
        for lang in sorted(set(docs) | set(records))
    ]
    return report._section(
        "Records per language",
        '<p class="note">Distinct records named in the documents of each language; a record '
        "named in two languages counts in both.</p>",
        bar_chart("Records per language", report._ranked({r[0]: r[2] for r in rows})),
        html_table(("language", "documents", "records"), rows, numeric={"documents", "records"}),
    )


def evidence_counts_in_python(tables: dict[str, pd.DataFrame]) -> list[tuple]:
    evidenced = set(present(tables["evidence"], "record_id"))
    rows = []
    for record_type, name in RECORD_TABLES.items():
        ids = present(tables[name], f"{record_type}_id")
        backed = sum(rid in evidenced for rid in ids)
        rows.append((name, len(ids), backed, share(backed, len(ids))))
    with_records = set(present(tables["evidence"], "doc_id"))
    documents = sum(d in with_records for d in present(tables["documents"], "doc_id"))
    return [*rows, ("documents with records", documents)]


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(tables())
def test_records_per_document_are_those_counted_one_by_one(typed):
    for frames in (typed, as_objects(typed)):
        assert report._records_per_document(frames) == records_per_document_in_python(frames)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(tables())
def test_records_per_language_are_those_counted_one_by_one(typed):
    for frames in (typed, as_objects(typed)):
        assert report._per_language(frames) == records_per_language_in_python(frames)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(tables())
def test_records_with_evidence_are_those_counted_one_by_one(typed):
    for frames in (typed, as_objects(typed)):
        rows = evidence_counts_in_python(frames)
        found = report._records_found(frames)
        assert [(n, *found[n], share(found[n][1], found[n][0])) for n, *_ in rows[:-1]] == rows[:-1]
        figures = report.coverage(frames)
        assert figures.documents_with_records == rows[-1][1]
        assert figures.records == sum(r[1] for r in rows[:-1])
        assert figures.records_with_evidence == sum(r[2] for r in rows[:-1])
