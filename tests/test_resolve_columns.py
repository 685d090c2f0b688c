"""Resolution reads the stored mentions as columns and builds statements in Arrow:
the statements say what each mention said, whichever way the mentions come in."""

from __future__ import annotations

import pandas as pd

from assets.resolve import resolved_frames
from pipeline.extract import EXTRACTOR_VERSION
from pipeline.extract.model import Mention, to_row
from pipeline.resolve import DocMentions, resolve
from schemas.derive import records_frame

# Values of every kind a mention holds: text (with JSON's special characters and a
# text that looks like a JSON integer value), integers (zero, negative, beyond 64 bits).
ODD_TEXT = 'a "quoted", "value": 5, back\\slash, été, 😀'
A = "Interreg Alpha funds the Alpha Lab in Namur. The Alpha Lab (ALAB) works in Namur."
B = "Interreg Alpha again. Namur, and the Beta Works."


def located(text: str, record_type: str, quote: str, nth: int = 0, **kw) -> Mention:
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    return Mention(record_type, start, start + len(quote), quote, "test", **kw)


def sample() -> list[DocMentions]:
    docs = []
    for doc_id, text, language in (("doc-b", B, "fr"), ("doc-a", A, "en")):
        programme = located(text, "programme", "Interreg Alpha")
        programme.add("budget_eur", 12_000_000, programme.start, programme.end, "money")
        programme.add("period_start", 0, programme.start, programme.end, "period")
        programme.add("offset", -7, programme.start, programme.end, "odd")
        programme.add("big", 2**70, programme.start, programme.end, "odd")
        programme.add("note", ODD_TEXT, programme.start, programme.start + 8, "odd")
        namur = located(text, "territory", "Namur", key="nuts:BE35")
        namur.add("type", "province", namur.start, namur.end, "gazetteer")
        namur.link("area_of", programme)
        mentions = [programme, namur]
        if doc_id == "doc-a":
            lab = located(text, "organisation", "Alpha Lab")
            again = located(text, "organisation", "Alpha Lab", 1)
            again.add("acronym", "ALAB", A.index("ALAB"), A.index("ALAB") + 4, "acronym")
            project = located(text, "project", "Alpha", 1)
            project.link("programme_id", programme)
            lab.link("partner_of", project)  # a project is resolved after: no statement
            second = located(text, "territory", "Namur", 1, key="nuts:BE35")
            second.add("type", "province", second.start, second.end, "gazetteer")
            mentions += [lab, again, project, second]
        else:
            mentions.append(located(text, "organisation", "Beta Works"))
        docs.append(DocMentions(doc_id, language, text, mentions))
    return docs


def stored(docs: list[DocMentions]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The documents and mentions frames the entities asset reads."""
    documents = pd.DataFrame(
        {
            "doc_id": [d.doc_id for d in docs],
            "language": [d.language for d in docs],
            "text": [d.text for d in docs],
        }
    )
    rows = [to_row(d.doc_id, m) for d in docs for m in d.mentions]
    return documents, records_frame("mentions", rows)


def assert_resolved_as(
    statements: pd.DataFrame, aliases: pd.DataFrame, docs: list[DocMentions]
) -> None:
    """The frames are what ``resolve`` gives for the documents' mentions."""
    resolution = resolve(docs)
    expected = records_frame("statements", resolution.statements.table().to_pylist())
    pd.testing.assert_frame_equal(statements, expected)
    pd.testing.assert_frame_equal(aliases, records_frame("aliases", resolution.aliases))


def test_the_stored_mentions_give_the_statements_and_aliases_of_the_mentions():
    docs = sample()
    documents, mentions = stored(docs)
    statements, aliases, _ = resolved_frames(documents, mentions, [])
    assert_resolved_as(statements, aliases, docs)


def test_a_frame_out_of_document_order_is_read_in_document_order():
    docs = sample()
    documents, mentions = stored(docs)
    backwards = mentions.iloc[::-1].reset_index(drop=True)
    statements, aliases, _ = resolved_frames(documents, backwards, [])
    # a document's mentions keep the frame's order: here, reversed
    reversed_docs = [DocMentions(d.doc_id, d.language, d.text, d.mentions[::-1]) for d in docs]
    assert_resolved_as(statements, aliases, reversed_docs)


def test_mentions_of_a_document_not_stored_are_left_out():
    docs = sample()
    documents, mentions = stored(docs)
    statements, _, _ = resolved_frames(documents[documents["doc_id"] == "doc-a"], mentions, [])
    assert set(statements["doc_id"]) == {"doc-a"}


def test_every_statement_says_what_its_mention_said():
    docs = sample()
    by_span = {}  # (doc, type, start, end) -> record id, from the name statements
    rows = resolve(docs).statements.table().to_pylist()
    for s in rows:
        if s["field"] == "name":
            by_span[(s["doc_id"], s["record_type"], s["char_start"], s["char_end"])] = s[
                "record_id"
            ]
    expected = set()
    for d in docs:
        for m in d.mentions:
            rid = by_span[(d.doc_id, m.record_type, m.start, m.end)]
            expected.add((rid, "name", m.canonical or m.quote, d.doc_id, m.start, m.end, m.quote))
            for v in m.values:
                quote = d.text[v.start : v.end]
                expected.add((rid, v.field, str(v.value), d.doc_id, v.start, v.end, quote))
            for link in m.links:
                if link.field == "partner_of":
                    continue  # points at a type resolved later
                target = by_span[(d.doc_id, *vars(link.target).values())]
                words = d.text[link.target.start : link.target.end]
                expected.add(
                    (rid, link.field, target, d.doc_id, link.target.start, link.target.end, words)
                )
    columns = ("record_id", "field", "value", "doc_id", "char_start", "char_end", "quote")
    assert {tuple(s[c] for c in columns) for s in rows} == expected
    assert len(rows) == len(expected)
    assert all(s["extractor"].endswith(f"@{EXTRACTOR_VERSION}") for s in rows)
    values = {s["value"] for s in rows}
    assert {"12000000", "0", "-7", str(2**70), ODD_TEXT} <= values


def test_repeated_mentions_of_two_keys_with_one_name_stay_two_records():
    text = "Limburg, Limburg. Limburg, Limburg. Limburg."
    mentions = []
    for nth, key in enumerate(["nuts:BE22", "nuts:NL42", "nuts:BE22", "nuts:NL42", None]):
        m = located(text, "territory", "Limburg", nth, key=key)
        m.add("type", "province", m.start, m.end, "test")
        mentions.append(m)
    rows = resolve([DocMentions("doc-a", "en", text, mentions)]).statements.table().to_pylist()
    record_of = {s["char_start"]: s["record_id"] for s in rows if s["field"] == "name"}
    starts = [m.start for m in mentions]
    assert len(set(record_of.values())) == 2
    assert record_of[starts[0]] == record_of[starts[2]] != record_of[starts[1]]
    assert record_of[starts[1]] == record_of[starts[3]]
    # without a key, the name joins it to the first record of that name
    assert record_of[starts[4]] == record_of[starts[0]]
