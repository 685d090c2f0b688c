"""The quality report of a release: one self-contained HTML page, from the tables alone.

A pure function of the tables (and the version label), so the page is as
reproducible as the data: no clock, no external scripts, styles or fonts,
charts drawn as inline SVG. It answers what a data user asks before trusting
the data: how much was found, where, in which languages, how much of it is
backed by evidence, what the sources disagree on, and what was held out.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pipeline.frames import column_values, text_is_in
from schemas.derive import empty_frame
from schemas.tables import RECORD_TABLES, TABLES

# Long lists are cut in the page; the full rows are in the tables themselves.
MAX_ROWS = 200
MAX_BARS = 30
BAR_HEIGHT, LABEL_WIDTH, BAR_WIDTH = 20, 260, 360

STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:62rem;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem}h2{font-size:1.25rem;margin-top:2.2rem;border-bottom:1px solid #ccc}
table{border-collapse:collapse;margin:.6rem 0;font-size:.9rem}
th,td{border:1px solid #ccc;padding:.2rem .5rem;text-align:left;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
.figures{display:flex;flex-wrap:wrap;gap:.8rem;padding:0;list-style:none}
.figures li{border:1px solid #ccc;border-radius:.4rem;padding:.5rem .8rem;min-width:9rem}
.figures b{display:block;font-size:1.4rem}
.note{color:#555;font-size:.9rem}.wide{overflow-x:auto}
svg text{font:12px system-ui,sans-serif;fill:#1b1b1b}
"""


@dataclass(frozen=True)
class Coverage:
    """The headline figures, shared with the data README."""

    documents: int
    documents_with_records: int
    records: int
    records_with_evidence: int
    territories: int
    territories_with_nuts: int
    conflicts: int
    rejected_rows: int
    rejected_documents: int


def share(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "n/a"


def _table(tables: Mapping[str, pd.DataFrame], name: str) -> pd.DataFrame:
    return tables[name] if name in tables else empty_frame(name)


def _present(series: pd.Series) -> list:
    """The values without the missing ones (``dropna``), as Python values: read with
    ``tolist``, not cell by cell."""
    return [v for v in column_values(series) if v is not None and v == v]


def _found(values: pd.Series, among: pd.Series) -> tuple[int, int]:
    """How many values ``values`` has (missing ones aside), and how many of them are
    among those of ``among``: in Arrow when both hold text (the evidence has 300,000
    rows at 10,000 pages), else as Python values."""
    if isinstance(values.dtype, pd.StringDtype) and isinstance(among.dtype, pd.StringDtype):
        present = values.dropna()
        return len(present), int(text_is_in(present, among.dropna()).sum())
    known = set(_present(among))
    present_values = _present(values)
    return len(present_values), sum(v in known for v in present_values)


def _records_found(tables: Mapping[str, pd.DataFrame]) -> dict[str, tuple[int, int]]:
    """Per record table, its records and how many of them have evidence."""
    evidence = _table(tables, "evidence")["record_id"]
    return {
        name: _found(_table(tables, name)[f"{record_type}_id"], evidence)
        for record_type, name in RECORD_TABLES.items()
    }


def coverage(tables: Mapping[str, pd.DataFrame]) -> Coverage:
    records = _records_found(tables).values()
    documents = _table(tables, "documents")
    territories = _table(tables, "territories")
    return Coverage(
        documents=len(documents),
        documents_with_records=_found(documents["doc_id"], _table(tables, "evidence")["doc_id"])[1],
        records=sum(n for n, _ in records),
        records_with_evidence=sum(backed for _, backed in records),
        territories=len(territories),
        territories_with_nuts=int(territories["nuts_code"].notna().sum()),
        conflicts=len(_table(tables, "conflicts")),
        rejected_rows=len(_table(tables, "rejected_rows")),
        rejected_documents=len(_table(tables, "rejected_documents")),
    )


def bar_chart(title: str, bars: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars as inline SVG; the values are printed beside the bars."""
    if not bars:
        return '<p class="note">No data.</p>'
    shown = list(bars[:MAX_BARS])
    top = max(max(v for _, v in shown), 1e-9)
    height = BAR_HEIGHT * len(shown) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{html.escape(title)}">'
        f"<title>{html.escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(shown):
        y = 4 + i * BAR_HEIGHT
        length = BAR_WIDTH * value / top
        short = label if len(label) <= 40 else label[:39] + "…"
        text = f"{value:.1f}{unit}" if unit else f"{value:g}"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + 14}" text-anchor="end">'
            f"<title>{html.escape(label)}</title>{html.escape(short)}</text>"
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length:.1f}" height="{BAR_HEIGHT - 5}" '
            f'fill="#3b6ea8"/>'
            f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{y + 14}">{text}</text>'
        )
    parts.append("</svg>")
    if len(bars) > MAX_BARS:
        parts.append(f'<p class="note">The {MAX_BARS} largest of {len(bars)} shown.</p>')
    return "".join(parts)


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]], numeric=()) -> str:
    """A plain table; columns named in ``numeric`` are right-aligned."""
    if not rows:
        return '<p class="note">None.</p>'
    cls = [' class="n"' if h in numeric else "" for h in header]
    head = "".join(f"<th{c}>{html.escape(h)}</th>" for h, c in zip(header, cls, strict=True))
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{c}>{html.escape('' if v is None or v is pd.NA else str(v))}</td>"
            for v, c in zip(row, cls, strict=True)
        )
        + "</tr>"
        for row in rows[:MAX_ROWS]
    )
    note = (
        f'<p class="note">The first {MAX_ROWS} of {len(rows)} rows.</p>'
        if len(rows) > MAX_ROWS
        else ""
    )
    return (
        f'<div class="wide"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
        f"</div>{note}"
    )


def _ranked(counts: Mapping[str, float]) -> list[tuple[str, float]]:
    """Largest first, then by label: the same order on every run."""
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _section(title: str, *body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{''.join(body)}</section>"


def _per_table(tables: Mapping[str, pd.DataFrame]) -> str:
    rows = [(name, len(tables[name])) for name in TABLES if name in tables]
    records = {TABLES[name].title: len(_table(tables, name)) for name in RECORD_TABLES.values()}
    return _section(
        "Records per table",
        bar_chart("Records per record table", _ranked(records)),
        html_table(("table", "rows"), rows, numeric={"rows"}),
    )


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    """A column as plain strings, nulls as ''."""
    return ["" if v is None or v != v else str(v) for v in column_values(frame[name])]


def _text_table(frame: pd.DataFrame, names: Sequence[str]) -> pa.Table:
    """The columns as Arrow text, missing values as '' (what ``_column`` reads), for
    counting in Arrow: the evidence has a row per quote, 300,000 at 10,000 pages.
    ``string``, not pandas' ``large_string``: Arrow groups it 5-10x faster."""
    columns = {
        name: (
            pc.fill_null(pa.array(frame[name], pa.string()), "")
            if isinstance(frame[name].dtype, pd.StringDtype)
            else pa.array(_column(frame, name), pa.string())
        )
        for name in names
    }
    return pa.table(columns)


def _records_per_document(tables: Mapping[str, pd.DataFrame]) -> str:
    documents = _table(tables, "documents")
    evidence = _text_table(_table(tables, "evidence"), ("doc_id", "record_type", "record_id"))
    # distinct records named in each document, per record type
    named = evidence.group_by(["doc_id", "record_type"]).aggregate(
        [("record_id", "count_distinct")]
    )
    per_document: dict[str, dict[str, int]] = {}
    for doc_id, record_type, n in zip(
        *(named.column(c).to_pylist() for c in named.column_names), strict=True
    ):
        per_document.setdefault(doc_id, {})[record_type] = n
    named_types = set(named.column("record_type").to_pylist())
    types = [t for t in RECORD_TABLES if t in named_types]
    rows, bars = [], {}
    listed = documents[["source", "doc_id", "title", "language"]]
    for doc in sorted(listed.itertuples(), key=lambda d: (str(d.source), str(d.doc_id))):
        per_type = per_document.get(str(doc.doc_id), {})
        records = sum(per_type.values())
        counts = [per_type.get(t, 0) for t in types]
        rows.append((doc.source, doc.title, doc.language, records, *counts))
        bars[str(doc.source)] = records
    header = ("source", "title", "language", "records", *types)
    return _section(
        "Records per document",
        '<p class="note">Distinct records named in each document (from the evidence table).</p>',
        bar_chart("Records per document", _ranked(bars)),
        html_table(header, rows, numeric={"records", *types}),
    )


def _per_language(tables: Mapping[str, pd.DataFrame]) -> str:
    documents = _table(tables, "documents")
    evidence = _text_table(_table(tables, "evidence"), ("doc_id", "record_id"))
    languages = _column(documents, "language")
    language_of = dict(zip(_column(documents, "doc_id"), languages, strict=True))
    docs = Counter(languages)
    # each quote's document language ('und' when the document is not listed), then the
    # distinct records per language
    listed = pa.array(list(language_of), pa.string())
    language = pc.fill_null(
        pa.array(list(language_of.values()), pa.string()).take(
            pc.index_in(evidence.column("doc_id"), value_set=listed)
        ),
        "und",
    )
    named = (
        pa.table({"language": language, "record_id": evidence.column("record_id")})
        .group_by("language")
        .aggregate([("record_id", "count_distinct")])
    )
    records = dict(zip(*(named.column(c).to_pylist() for c in named.column_names), strict=True))
    rows = [(lang, docs[lang], records.get(lang, 0)) for lang in sorted(set(docs) | set(records))]
    return _section(
        "Records per language",
        '<p class="note">Distinct records named in the documents of each language; a record '
        "named in two languages counts in both.</p>",
        bar_chart("Records per language", _ranked({r[0]: r[2] for r in rows})),
        html_table(("language", "documents", "records"), rows, numeric={"documents", "records"}),
    )


def _nuts(tables: Mapping[str, pd.DataFrame], figures: Coverage) -> str:
    territories = _table(tables, "territories")
    kinds = _column(territories, "type")
    totals = Counter(kinds)
    coded = Counter(
        k for k, code in zip(kinds, _column(territories, "nuts_code"), strict=True) if code
    )
    rows = [(k, totals[k], coded[k], share(coded[k], totals[k])) for k in sorted(totals)]
    bars = {k: 100 * coded[k] / totals[k] for k in totals}
    return _section(
        "Territories with a NUTS code",
        f"<p>{figures.territories_with_nuts} of {figures.territories} territories "
        f"({share(figures.territories_with_nuts, figures.territories)}) have a NUTS 2021 code. "
        "Cross-border areas and municipalities have none by nature.</p>",
        bar_chart("Share of territories with a NUTS code, by type", _ranked(bars), unit=" %"),
        html_table(
            ("type", "territories", "with NUTS code", "share"),
            rows,
            numeric={"territories", "with NUTS code", "share"},
        ),
    )


def _coverage(tables: Mapping[str, pd.DataFrame], figures: Coverage) -> str:
    rows, bars = [], {}
    for name, (records, backed) in _records_found(tables).items():
        rows.append((name, records, backed, share(backed, records)))
        if records:
            bars[name] = 100 * backed / records
    return _section(
        "Extraction coverage",
        f"<p>{figures.documents_with_records} of {figures.documents} documents "
        f"({share(figures.documents_with_records, figures.documents)}) have at least one "
        f"record; {figures.records_with_evidence} of {figures.records} records "
        f"({share(figures.records_with_evidence, figures.records)}) have evidence in a "
        "document (the others come from reference data only).</p>",
        bar_chart("Share of records with evidence, by table", _ranked(bars), unit=" %"),
        html_table(
            ("table", "records", "with evidence", "share"),
            rows,
            numeric={"records", "with evidence", "share"},
        ),
    )


def _statements(tables: Mapping[str, pd.DataFrame]) -> str:
    # counted per distinct extractor: the same Counter as one entry per statement
    per_extractor = _table(tables, "statements")["extractor"].value_counts(dropna=False)
    rules: Counter[str] = Counter()
    for extractor, n in zip(
        column_values(per_extractor.index.to_series()), per_extractor, strict=True
    ):
        rules[
            ("" if extractor is None or extractor != extractor else str(extractor)).split("@")[0]
        ] += int(n)
    return _section(
        "Statements per extractor",
        '<p class="note">Every published value is a statement; this is who stated it.</p>',
        bar_chart("Statements per extractor rule", _ranked(rules)),
    )


def _rows(frame: pd.DataFrame, columns: Sequence[str]) -> list[list[str]]:
    """The columns as text rows, sorted, so the page does not depend on the row order."""
    return sorted(list(v) for v in zip(*(_column(frame, c) for c in columns), strict=True))


def _conflicts(tables: Mapping[str, pd.DataFrame]) -> str:
    conflicts = _table(tables, "conflicts")
    columns = ("record_id", "field", "chosen", "candidates", "rule")
    return _section(
        f"Conflicts ({len(conflicts)})",
        '<p class="note">Fields for which the sources give different values.</p>',
        bar_chart("Conflicts per field", _ranked(Counter(_column(conflicts, "field")))),
        html_table(("record", "field", "chosen", "candidates", "rule"), _rows(conflicts, columns)),
    )


def _rejected(tables: Mapping[str, pd.DataFrame]) -> str:
    rejected = _table(tables, "rejected_rows")
    counts = Counter(zip(_column(rejected, "table_name"), _column(rejected, "check"), strict=True))
    summary = [(t, c, n) for (t, c), n in sorted(counts.items())]
    documents = _table(tables, "rejected_documents")
    status = sorted(Counter(_column(_table(tables, "raw_files"), "status")).items())
    return _section(
        f"Rejected rows ({len(rejected)}) and documents ({len(documents)})",
        "<p>Rows that failed validation were held out of their table:</p>",
        html_table(("table", "check", "rows"), summary, numeric={"rows"}),
        html_table(
            ("table", "row key", "check", "reason"),
            _rows(rejected, ("table_name", "row_key", "check", "reason")),
        ),
        "<p>Raw files that did not become documents:</p>",
        html_table(("source", "reason"), _rows(documents, ("source", "reason"))),
        "<p>What became of every raw file:</p>",
        html_table(("status", "files"), status, numeric={"files"}),
    )


def quality_report(tables: Mapping[str, pd.DataFrame], version: str) -> str:
    """The whole page for the release ``version`` (the tables are all it reads)."""
    figures = coverage(tables)
    headline = [
        ("documents", str(figures.documents)),
        ("records", str(figures.records)),
        ("documents with a record", share(figures.documents_with_records, figures.documents)),
        ("records with evidence", share(figures.records_with_evidence, figures.records)),
        ("territories with NUTS", share(figures.territories_with_nuts, figures.territories)),
        ("conflicts", str(figures.conflicts)),
        ("rejected rows", str(figures.rejected_rows)),
        ("rejected documents", str(figures.rejected_documents)),
    ]
    items = "".join(f"<li><b>{html.escape(v)}</b>{html.escape(k)}</li>" for k, v in headline)
    title = f"Quality report, release {version}"
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{html.escape(title)}</h1>"
        '<p class="note">Computed from the release\'s own tables. Records are extracted by rules '
        "from web pages: these figures say how much was found and how well it is backed, not "
        "how much was missed.</p>"
        f'<ul class="figures">{items}</ul>'
        + _per_table(tables)
        + _records_per_document(tables)
        + _per_language(tables)
        + _coverage(tables, figures)
        + _nuts(tables, figures)
        + _statements(tables)
        + _conflicts(tables)
        + _rejected(tables)
        + "</body></html>\n"
    )
