"""Incremental builds: parsing and extraction are redone only for what changed."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pipeline.documents
import pipeline.extract
from pipeline import cache
from pipeline.batch import (
    declared_entries,
    extract_cached,
    mention_entries,
    mention_entry_columns,
    mention_rows,
    read_documents_cached,
)
from pipeline.cache import ResultCache
from pipeline.documents import read_documents
from pipeline.extract import extract_mentions
from pipeline.extract.model import to_row
from pipeline.frames import frame_records
from pipeline.inventory import scan
from pipeline.synth import write_corpus
from schemas.derive import arrow_schema, records_frame

# ------------------------------------------------------------ the store


VALUE = [pa.field("value", pa.int64())]


def entries(**values: int) -> pa.Table:
    """Cache entries of one integer column, keyed by 64-hex-digit sha256s."""
    return pa.table({"sha256": list(values), "value": list(values.values())})


def sha(prefix: str, fill: str = "0") -> str:
    return prefix + fill * 62


def test_entries_come_back_by_sha_and_version(tmp_path):
    store = ResultCache(tmp_path, "mentions", "v1", VALUE)
    store.put(entries(**{sha("cd"): 2, sha("ab"): 1}))
    store.put(entries(**{sha("ab", "1"): 3}))  # same shard, the first entry stays
    wanted = [sha("ef"), sha("cd"), sha("ab", "1"), sha("ab")]
    got = store.get(wanted).to_pydict()
    assert got == {"sha256": [sha("ab"), sha("ab", "1"), sha("cd")], "value": [1, 3, 2]}
    assert store.get([sha("cd")]).to_pydict() == {"sha256": [sha("cd")], "value": [2]}
    assert store.get([sha("ab", "2"), sha("ab", "3")]).num_rows == 0  # as many, not the same
    assert ResultCache(tmp_path, "mentions", "v2", VALUE).get(wanted).num_rows == 0
    assert ResultCache(tmp_path, "documents", "v1", VALUE).get(wanted).num_rows == 0


def test_a_new_entry_replaces_the_stored_one_and_the_last_of_repeats_wins(tmp_path):
    store = ResultCache(tmp_path, "mentions", "v1", VALUE)
    store.put(entries(**{sha("ab"): 1, sha("ab", "1"): 2}))
    store.put(pa.table({"sha256": [sha("ab"), sha("ab")], "value": [7, 8]}))
    got = store.get([sha("ab"), sha("ab", "1")]).to_pydict()
    assert got == {"sha256": [sha("ab"), sha("ab", "1")], "value": [8, 2]}


def put_one_at_a_time(root: str, first: int) -> None:
    """Fifteen entries of the same shard, one put each (run in a pool)."""
    store = ResultCache(Path(root), "mentions", "v1", VALUE)
    for n in range(first, first + 15):
        store.put(entries(**{f"a{n:063x}": n}))


def test_writers_at_once_keep_each_other_s_entries(tmp_path):
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        pool.starmap(put_one_at_a_time, [(str(tmp_path), first) for first in range(0, 60, 15)])
    stored = ResultCache(tmp_path, "mentions", "v1", VALUE).get(f"a{n:063x}" for n in range(60))
    assert stored["value"].to_pylist() == list(range(60))


def test_older_versions_are_dropped_and_a_damaged_shard_is_a_miss(tmp_path):
    old = ResultCache(tmp_path, "mentions", "v1", VALUE)
    old.put(entries(**{sha("ab"): 0}))
    new = ResultCache(tmp_path, "mentions", "v2", VALUE)
    new.put(entries(**{sha("ab"): 1}))
    new.drop_other_versions()
    assert not old.dir.exists() and new.dir.exists()
    new.shard_path(sha("ab")[: cache.SHARD_DIGITS]).write_bytes(b"not an Arrow file")
    assert new.get([sha("ab")]).num_rows == 0


def test_a_shard_of_other_columns_is_a_miss(tmp_path):
    ResultCache(tmp_path, "mentions", "v1", VALUE).put(entries(**{sha("ab"): 1}))
    text = ResultCache(tmp_path, "mentions", "v1", [pa.field("value", pa.string())])
    assert text.get([sha("ab")]).num_rows == 0


def test_the_version_changes_with_the_code_it_covers(tmp_path):
    module = tmp_path / "extractor.py"
    module.write_text("RULE = 1\n")
    before = cache.fingerprint((tmp_path,))
    cache.fingerprint.cache_clear()
    module.write_text("RULE = 2\n")
    assert cache.fingerprint((tmp_path,)) != before
    cache.fingerprint.cache_clear()


# ------------------------------------------------------------ extraction


@pytest.fixture
def docs(tmp_path) -> list[tuple[str, str, str]]:
    """(doc_id, text, language) of 30 synthetic pages, parsed."""
    raw = tmp_path / "raw"
    write_corpus(raw, 30, seed=4)
    documents, _ = read_documents(raw, scan(raw))
    return [(d.doc_id, d.text, d.language) for d in documents]


@pytest.fixture
def extracted(monkeypatch) -> list[str]:
    """Texts handed to the extractors, in order (one per document extracted)."""
    seen: list[str] = []

    def counting(text: str, language: str = "und"):  # type: ignore[no-untyped-def]
        seen.append(text)
        return extract_mentions(text, language)

    monkeypatch.setattr(pipeline.extract, "extract_mentions", counting)
    return seen


def test_a_rebuild_extracts_only_the_changed_document(tmp_path, docs, extracted):
    store = tmp_path / "cache"
    first, n_first, _ = extract_cached(docs, store, workers=1)
    assert n_first == len(docs) == len(extracted)
    again, n_again, _ = extract_cached(docs, store, workers=1)
    assert n_again == 0 and again.equals(first)
    changed = [*docs]
    doc_id, text, language = changed[7]
    changed[7] = (doc_id, text + "\nInterreg Europe supports this page.", language)
    extracted.clear()
    _, n_changed, _ = extract_cached(changed, store, workers=1)
    assert n_changed == 1 and extracted == [changed[7][1]]


def test_cached_rows_are_the_rows_extraction_gives_in_the_table_order(tmp_path, docs):
    fresh, _, _ = extract_cached(docs, tmp_path, workers=1)
    rows, n, _ = extract_cached(docs, tmp_path, workers=1)
    direct = [to_row(d, m) for d, text, lang in docs for m in extract_mentions(text, lang)]
    expected = records_frame("mentions", direct)
    assert n == 0 and len(expected) > 0
    for table in (fresh, rows):
        assert table.schema == arrow_schema("mentions")
        assert table.to_pylist() == frame_records(expected)


def test_a_version_bump_re_extracts_everything(tmp_path, docs, extracted, monkeypatch):
    extract_cached(docs, tmp_path, workers=1)
    monkeypatch.setattr(pipeline.extract, "EXTRACTOR_VERSION", "999.0.0")
    extracted.clear()
    _, n, _ = extract_cached(docs, tmp_path, workers=1)
    assert n == len(docs) == len(extracted)
    assert [p.name[:8] for p in (tmp_path / "mentions").iterdir()] == ["999.0.0-"]


def test_identical_texts_are_extracted_once(tmp_path, docs, extracted):
    doc_id, text, language = docs[0]
    twice = [(doc_id, text, language), ("doc-" + "f" * 16, text, language)]
    rows, n, _ = extract_cached(twice, tmp_path, workers=1)
    assert n == 1 and len(extracted) == 1
    assert set(rows["doc_id"].to_pylist()) == {doc_id, "doc-" + "f" * 16} or not rows


# Any text a mention can hold: quotes, backslashes, control characters, any plane.
TEXT = st.text(max_size=30)
MENTION_ROW = st.fixed_dictionaries(
    {
        "record_type": TEXT,
        "char_start": st.integers(0, 2**40),
        "char_end": st.integers(0, 2**40),
        "quote": TEXT,
        "rule": TEXT,
        "canonical": st.none() | TEXT,
        "key": st.none() | TEXT,
        "language": st.none() | TEXT,
        "values_json": TEXT,
        "links_json": TEXT,
    }
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(MENTION_ROW, max_size=4), min_size=1, max_size=3))
def test_stored_rows_read_back_as_extraction_gave_them(tmp_path_factory, per_text):
    """Whatever the values (a column all null, or no rows at all, leave Arrow
    no type to infer), the rows of each text come back from the cache, for
    every document of the text."""
    keys = [f"{n:064x}" for n in range(len(per_text))]
    doc_ids = {key: ["doc-1", "doc-2"][: n % 2 + 1] for n, key in enumerate(keys)}
    store = ResultCache(tmp_path_factory.mktemp("c"), "mentions", "v1", mention_entry_columns())
    computed = mention_entries(per_text, [None] * len(keys))
    rows = declared_entries(computed, store.schema.field("rows"))["rows"]
    store.put(pa.table([keys, rows], schema=store.schema))
    expected = [
        {"doc_id": doc_id, **row}
        for key, rows in zip(keys, per_text, strict=True)
        for doc_id in doc_ids[key]
        for row in rows
    ]
    assert mention_rows(store.get(keys), doc_ids).to_pylist() == expected


A_ROW = {
    "record_type": "project",
    "char_start": 0,
    "char_end": 1,
    "quote": "x",
    "rule": "r",
    "canonical": None,
    "key": None,
    "language": None,
    "values_json": "[]",
    "links_json": "[]",
}


@pytest.mark.parametrize(
    "bad",
    [
        {**A_ROW, "surprise": "x"},  # an undeclared column
        {k: v for k, v in A_ROW.items() if k != "rule"},  # a declared column missing
        {**A_ROW, "char_start": "12"},  # a number as text
        {**A_ROW, "quote": 12},  # text as a number
    ],
)
def test_rows_that_disagree_with_the_declaration_are_refused_not_converted(bad):
    declared = mention_entry_columns()[0]
    assert declared_entries(mention_entries([[A_ROW]], [None]), declared)["rows"].to_pylist()
    with pytest.raises(TypeError):
        declared_entries(mention_entries([[bad]], [None]), declared)


# ------------------------------------------------------------ parsing


@pytest.fixture
def raw(tmp_path) -> Path:
    """Synthetic pages plus what must be rejected, duplicated or ignored."""
    folder = tmp_path / "raw"
    write_corpus(folder, 20, seed=9)
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(64))
    (folder / "broken-again.png").write_bytes((folder / "broken.png").read_bytes())
    (folder / "empty.txt").write_bytes(b"")
    (folder / "latin1.txt").write_bytes("Région Hauts-de-France, coopération.".encode("cp1252"))
    (folder / ".hidden.txt").write_text("not a page")
    (folder / "again.txt").write_bytes((folder / "latin1.txt").read_bytes())
    return folder


@pytest.fixture
def parsed(monkeypatch) -> list[str]:
    """Sources handed to the parser, in order."""
    seen: list[str] = []
    parse = pipeline.documents.parse_document

    def counting(data: bytes, source: str, sha256: str):  # type: ignore[no-untyped-def]
        seen.append(source)
        return parse(data, source, sha256)

    monkeypatch.setattr(pipeline.documents, "parse_document", counting)
    return seen


def test_cached_parsing_gives_what_read_documents_gives(tmp_path, raw):
    files = scan(raw)
    expected = read_documents(raw, files)
    assert expected[1], "the corpus must hold rejections"
    assert read_documents_cached(raw, files, tmp_path / "cache", workers=1) == expected
    assert read_documents_cached(raw, files, tmp_path / "cache", workers=1) == expected


def test_a_rebuild_parses_only_the_changed_file(tmp_path, raw, parsed):
    read_documents_cached(raw, scan(raw), tmp_path / "cache", workers=1)
    assert len(parsed) == 20 + 2  # 20 pages, latin1.txt, and the PNG (rejected) once
    parsed.clear()
    page = sorted(raw.glob("000*"))[3]
    page.write_bytes(page.read_bytes() + b"\nEdited.\n")
    files = scan(raw)
    documents, _ = read_documents_cached(raw, files, tmp_path / "cache", workers=1)
    assert parsed == [page.name]
    assert (documents, _) == read_documents(raw, files)


def test_an_extractor_crash_on_one_document_spares_the_others_and_is_not_cached(
    tmp_path, monkeypatch
):
    import pipeline.extract as extract

    real = extract.extract_mentions

    def crash_on_poison(text, language="und"):
        if "POISON" in text:
            raise RuntimeError("extractor bug")
        return real(text, language)

    monkeypatch.setattr(extract, "extract_mentions", crash_on_poison)
    docs = [
        ("doc-aaaaaaaaaaaaaaaa", "Interreg Oberrhein covers Baden-Württemberg.", "en"),
        ("doc-bbbbbbbbbbbbbbbb", "POISON and Nord-Pas-de-Calais.", "en"),
    ]
    rows, extracted, failures = extract_cached(docs, tmp_path, workers=1)
    assert extracted == 2
    assert list(failures) == ["doc-bbbbbbbbbbbbbbbb"]
    assert "RuntimeError: extractor bug" in failures["doc-bbbbbbbbbbbbbbbb"]
    assert rows.num_rows and set(rows["doc_id"].to_pylist()) == {"doc-aaaaaaaaaaaaaaaa"}
    # the failure is not cached: the next build tries the document again
    _, extracted_again, failures_again = extract_cached(docs, tmp_path, workers=1)
    assert extracted_again == 1
    assert list(failures_again) == ["doc-bbbbbbbbbbbbbbbb"]
