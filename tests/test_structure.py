"""Layout of cleaned text: list items, headings, sentences, name runs."""

from pipeline.extract.structure import extend_left, parse, split_item, tokens

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
