"""Layout of cleaned text: list items, headings, sentences, name runs."""

import random
import re
from dataclasses import dataclass

import pytest

from pipeline.extract.structure import (
    FoldedPattern,
    disjoint,
    extend_left,
    lowered_source,
    lowered_text,
    parse,
    split_item,
    token_index_at,
    tokens,
)

TEXT = (
    "Interreg Example Programme\n"
    "\n"
    "RSO 1.1 Developing research\n"
    "\n"
    "• Summary of the objective.\n"
    "1. First action.\n"
    "2) Second action.\n"
    "a) Lettered action.\n"
    "- Dashed item\n"
    "\n"
    "Projects such as :\n"
    "• ALPHA: a description here.\n"
    "Plain sentence one. Second sentence here."
)


def test_list_items_are_classified_with_their_numbers():
    lines = parse(TEXT).lines
    kinds = {ln.body: (ln.kind, ln.number) for ln in lines if ln.kind != "blank"}
    assert kinds["Summary of the objective."] == ("bullet", None)
    assert kinds["First action."] == ("numbered", 1)
    assert kinds["Second action."] == ("numbered", 2)
    assert kinds["Lettered action."] == ("numbered", 1)
    assert kinds["Dashed item"] == ("dash", None)


def test_bullet_before_a_number_counts_as_the_number():
    line = parse("• 1. Boost growth.").lines[0]
    assert (line.kind, line.number, line.body) == ("numbered", 1, "Boost growth.")


def test_headings_are_short_lines_standing_alone():
    structure = parse(TEXT)
    headings = [ln.body for ln in structure.lines if ln.heading]
    assert "Interreg Example Programme" in headings
    assert "RSO 1.1 Developing research" in headings
    assert "Projects such as :" not in headings  # ends with a colon: it announces a list
    assert "Plain sentence one. Second sentence here." not in headings


def test_heading_of_an_offset_is_the_nearest_heading_above():
    structure = parse(TEXT)
    offset = TEXT.index("First action")
    assert structure.heading_of(offset).body == "RSO 1.1 Developing research"


def test_items_after_an_announcing_line():
    structure = parse(TEXT)
    intro = next(ln for ln in structure.lines if ln.body == "Projects such as :")
    items = structure.items_after(intro)
    assert [i.body for i in items] == ["ALPHA: a description here."]
    split = split_item(items[0])
    assert TEXT[split.name_start : split.name_end] == "ALPHA"
    assert TEXT[split.desc_start : split.desc_end] == "a description here."


def test_an_item_without_a_colon_has_no_description():
    structure = parse("• Just a sentence with no label")
    split = split_item(structure.lines[0])
    assert split.desc_start is None


def test_sentences_split_at_full_stops_and_line_breaks():
    structure = parse(TEXT)
    start, end = structure.sentence_at(TEXT.index("Second sentence"))
    assert TEXT[start:end] == "Second sentence here."


def test_abbreviations_do_not_end_a_sentence():
    text = "Sectors (e.g. advanced manufacturing) grow."
    assert parse(text).sentences == ((0, len(text)),)


def test_name_runs_cross_connectors_but_not_sentence_starters():
    text = "The Lille Metropolis Development and Urban Planning Agency"
    toks = tokens(text)
    first = extend_left(text, toks, len(toks) - 1)
    assert text[toks[first].start :] == "Lille Metropolis Development and Urban Planning Agency"


def test_abbreviations_of_amounts_do_not_end_a_sentence_but_full_stops_do():
    text = "Dafür stehen insgesamt 96 Mio. Euro zur Verfügung. Es sind ca. 40 Projekte."
    assert [text[s:e] for s, e in parse(text).sentences] == [
        "Dafür stehen insgesamt 96 Mio. Euro zur Verfügung.",
        "Es sind ca. 40 Projekte.",
    ]


# ------------------------------------------------------------ case-insensitive search

# the letters lowered_source accepts in a pattern
LATIN_LETTERS = [
    c
    for c in "abcdefghijklmnopqrstuvwxyz" + bytes(range(0xC0, 0x100)).decode("latin-1")
    if c.islower()
]


def test_lowered_text_folds_every_letter_as_the_regex_engine_does():
    """Both ways: the engine takes a character for a Latin letter exactly when
    the lowered text has that letter in its place (or refuses to lower)."""
    engine = re.compile("(?i)(?:" + "|".join(f"({re.escape(c)})" for c in LATIN_LETTERS) + ")")
    every_char = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    # the class is a quick first sieve: it takes at least what the letters take
    sieve = re.compile("(?i)[" + "".join(LATIN_LETTERS) + "]")
    taken = {
        m.group(): LATIN_LETTERS[found.lastindex - 1]
        for m in sieve.finditer(every_char)
        if (found := engine.fullmatch(m.group())) is not None
    }
    assert lowered_text("İ") is None  # the one letter that lowers to two
    every_char = every_char.replace("İ", "")
    lowered = lowered_text(every_char)
    assert lowered is not None
    latin = set(LATIN_LETTERS)
    for char, low in zip(every_char, lowered, strict=True):
        if char in taken or low in latin:
            assert taken.get(char) == low, hex(ord(char))


def test_folded_search_finds_what_the_pattern_finds():
    pattern = re.compile(r"\b(?:covers?|eligible area|[A-ZÉ]tat)\b(?P<tail>\w*)", re.IGNORECASE)
    folded = FoldedPattern(pattern)
    texts = [
        "The area COVERS Ghent; it Covers more.",
        "ſeparate: the ELIGIBLE AREA; État, etat, eTAT",
        "İstanbul covers; coverſ",  # 'İ' lowers to two characters
        "no match at all",
        "discovers recovery",
    ]
    for text in texts:
        for start in range(len(text)):
            for end in (len(text), len(text) - 3):
                expected = pattern.search(text, start, end)
                got = folded.search(text, start, end)
                assert (got and got.span()) == (expected and expected.span()), (text, start, end)
        assert [m.span() for m in folded.finditer(text)] == [
            m.span() for m in pattern.finditer(text)
        ]


def test_lowered_source_refuses_what_it_cannot_rewrite():
    for source in (r"(?i)\x41", r"[^A-Z]", r"(?<!x)[a-z]", r"(?-i:A)", r"[A-z]", "Ğ"):
        with pytest.raises(ValueError):
            lowered_source(source)
    assert lowered_source(r"(?i)(?P<Name>[A-ZÀ-Þ]\w)\S") == r"(?P<Name>[A-ZÀ-Þa-zà-þ]\w)\S"


# ------------------------------------------------------------ overlapping spans


@dataclass(frozen=True)
class Piece:
    start: int
    end: int


def test_disjoint_keeps_what_the_pairwise_test_keeps():
    """Each span, in order of preference, kept when it overlaps none kept before:
    the same spans as testing every kept one, empty spans included."""
    rng = random.Random(7)
    for _ in range(2000):
        spans = []
        for _ in range(rng.randint(0, 12)):
            start = rng.randint(0, 30)
            spans.append(Piece(start, start + rng.choice([0, 1, 2, 3, 5, 8, 13])))
        kept: list[Piece] = []
        for s in spans:
            if all(s.end <= k.start or s.start >= k.end for k in kept):
                kept.append(s)
        assert disjoint(spans) == sorted(kept, key=lambda s: (s.start, s.end)), spans


def test_tokens_are_words_of_the_text_without_a_final_dot():
    text = "Verein e.V. and Acme N.V. with ESF+ funds, l'Eurométropole (2021-2027)."
    toks = tokens(text)
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert [t.text for t in toks][:6] == ["Verein", "e.V", "and", "Acme", "N.V", "with"]
    assert "ESF+" in [t.text for t in toks]
    assert [token_index_at(toks, offset) for offset in (0, 1, 7, 8, len(text))] == [0, 1, 1, 2, 10]
