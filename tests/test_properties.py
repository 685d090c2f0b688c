"""Property-based tests of cleaning and extraction on random and mutated text.

Whatever the input: nothing raises (parsing may only reject, with a reason),
every span lies inside the text and its quote is the text at that span, and
the same input gives the same output. Examples are derandomised so CI is
stable; to search further, run with PROPERTY_EXAMPLES=500 (random examples).
"""

from __future__ import annotations

import hashlib
import os
from functools import cache

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.documents import (
    BULLET_CHARS,
    ZERO_WIDTH,
    RejectedInput,
    clean_text,
    html_to_text,
    parse_document,
)
from pipeline.extract import extract_mentions
from pipeline.extract.model import Mention, to_row
from tests.conftest import RAW

EXPLORE = os.environ.get("PROPERTY_EXAMPLES")
PROPERTY = settings(
    max_examples=int(EXPLORE or 50),
    deadline=None,
    database=None,
    derandomize=not EXPLORE,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
LANGUAGES = st.sampled_from(["en", "fr", "nl", "de", "it", "und"])


@cache
def seed_texts() -> tuple[str, ...]:
    """The cleaned text of the sample pages, the material the mutations start from."""
    texts = []
    for path in sorted(RAW.glob("*.txt")):
        raw = path.read_bytes()
        texts.append(parse_document(raw, path.name, hashlib.sha256(raw).hexdigest()).text)
    return tuple(texts)


@st.composite
def mutated_seed(draw: st.DrawFn) -> str:
    """A window of a seed page with characters deleted, inserted and swapped,
    random unicode pasted in, and now and then a very long line."""
    text = draw(st.sampled_from(seed_texts()))
    start = draw(st.integers(0, max(0, len(text) - 1)))
    chars = list(text[start : start + draw(st.integers(200, 3000))])
    for _ in range(draw(st.integers(0, 12))):
        kind = draw(st.sampled_from(["delete", "insert", "swap", "paste", "long line"]))
        at = draw(st.integers(0, len(chars)))
        if kind == "delete":
            del chars[at : at + draw(st.integers(1, 20))]
        elif kind == "insert":
            chars[at:at] = draw(st.sampled_from(list("\n\t •-–:;,.()'\"€%/0123456789ÉéÀß")))
        elif kind == "swap" and len(chars) > 1:
            other = draw(st.integers(0, len(chars) - 1))
            at = min(at, len(chars) - 1)
            chars[at], chars[other] = chars[other], chars[at]
        elif kind == "paste":
            chars[at:at] = draw(st.text(max_size=30))
        elif kind == "long line":
            word = draw(st.sampled_from(["Interreg ", "programme ", "région ", "RSO1.1 ", "€ "]))
            chars[at:at] = word * draw(st.integers(300, 1500))
    return "".join(chars)


TEXTS = st.one_of(st.text(max_size=2000), mutated_seed())


def assert_grounded(text: str, mentions: list[Mention]) -> None:
    refs = {m.ref for m in mentions}
    for m in mentions:
        assert 0 <= m.start < m.end <= len(text), m
        assert text[m.start : m.end] == m.quote, m
        for v in m.values:
            assert 0 <= v.start < v.end <= len(text), (m, v)
        for link in m.links:
            assert link.target in refs, (m, link)


# ------------------------------------------------------------------ extraction


@PROPERTY
@given(text=TEXTS, language=LANGUAGES)
def test_extraction_never_raises_and_every_span_is_in_the_text(text, language):
    assert_grounded(text, extract_mentions(text, language))


@PROPERTY
@given(text=mutated_seed(), language=LANGUAGES)
def test_extraction_is_deterministic(text, language):
    first = [to_row("d", m) for m in extract_mentions(text, language)]
    second = [to_row("d", m) for m in extract_mentions(text, language)]
    assert first == second


@PROPERTY
@given(text=mutated_seed())
def test_extraction_on_cleaned_text_is_grounded_in_the_cleaned_text(text):
    cleaned = clean_text(text)
    assert_grounded(cleaned, extract_mentions(cleaned, "und"))


# -------------------------------------------------------------------- cleaning


@PROPERTY
@given(text=TEXTS)
def test_cleaned_text_is_normalised(text):
    cleaned = clean_text(text)
    assert "\r" not in cleaned and not ZERO_WIDTH.search(cleaned)
    lines = cleaned.split("\n")
    assert all(line == line.strip() for line in lines)
    assert all(line not in BULLET_CHARS for line in lines if line)
    assert "\n\n\n" not in cleaned
    assert cleaned == cleaned.strip()


@PROPERTY
@given(text=TEXTS)
def test_cleaning_is_deterministic_and_idempotent(text):
    cleaned = clean_text(text)
    assert clean_text(text) == cleaned
    assert clean_text(cleaned) == cleaned


# --------------------------------------------------------------------- parsing


@PROPERTY
@given(raw=st.one_of(st.binary(max_size=3000), mutated_seed().map(str.encode)))
def test_parsing_only_ever_returns_a_document_or_rejects(raw):
    sha = hashlib.sha256(raw).hexdigest()
    try:
        doc = parse_document(raw, "page", sha)
    except RejectedInput as err:
        assert str(err)
        return
    assert doc.text and doc.text == clean_text(doc.text)
    assert parse_document(raw, "page", sha) == doc


@PROPERTY
@given(
    text=mutated_seed(),
    codec=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]),
)
def test_any_supported_encoding_of_a_page_reads_as_the_same_text(text, codec):
    try:
        raw = text.encode(codec)
    except UnicodeEncodeError:
        raw = text.encode("utf-8")
    try:
        utf8 = parse_document(text.encode("utf-8"), "a", "0" * 64)
    except RejectedInput:
        return
    assert parse_document(raw, "a", "0" * 64).text == utf8.text


# ------------------------------------------------------------------------ HTML

MARKER = "ZQXMARK"
DROPPED = ["script", "style", "nav", "iframe", "noscript", "template", "aside", "textarea"]
KEPT = ["div", "p", "span", "b", "li", "ul", "td", "h2", "section", "a", "em"]


@st.composite
def html_fragment(draw: st.DrawFn, depth: int = 0) -> str:
    """Random markup where every dropped element carries a marker word."""
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        choice = draw(st.integers(0, 9))
        if choice < 4:
            words = draw(st.text(alphabet="abcdeéü <>&;\n\t", max_size=20))
            parts.append(words.replace("<", "&lt;").replace(">", "&gt;"))
        elif choice < 6:
            tag = draw(st.sampled_from(DROPPED))
            parts.append(f"<{tag}>{MARKER} x</{tag}>")
        elif depth < 4:
            tag = draw(st.sampled_from(KEPT))
            inner = draw(html_fragment(depth + 1))
            closed = draw(st.booleans())
            parts.append(f"<{tag}>{inner}" + (f"</{tag}>" if closed else ""))
    return "".join(parts)


@PROPERTY
@given(body=html_fragment())
def test_text_of_dropped_elements_never_reaches_the_text(body):
    text, _ = html_to_text(f"<html><head><title>T</title></head><body>{body}</body></html>")
    assert MARKER not in text
    assert MARKER not in clean_text(text)


@PROPERTY
@given(body=html_fragment())
def test_html_cleaning_is_deterministic(body):
    page = f"<html><body>{body}</body></html>"
    assert html_to_text(page) == html_to_text(page)
