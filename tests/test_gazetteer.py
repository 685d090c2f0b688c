"""The generic name matcher: word boundaries, offsets, case rules, longest match."""

import sys

from pipeline.extract.gazetteer import Gazetteer, fold, fold_char


def spans(gazetteer: Gazetteer[str], text: str) -> list[tuple[str, tuple[str, ...]]]:
    return [(text[m.start : m.end], m.payloads) for m in gazetteer.find(text)]


def test_fold_keeps_length_so_offsets_map_back() -> None:
    text = "Liège, Côte-d’Or, Straße, İstanbul"
    assert len(fold(text)) == len(text)
    assert fold("Pas-de-Calais") == fold("pas de calais")


def test_fold_of_a_text_is_fold_char_of_each_character() -> None:
    """Whole-text folding (lower-case, then replace the non-ASCII letters) gives
    what folding one character at a time gives, for every code point, with and
    without a letter that lower-cases to two ('İ') in the same text."""
    code_points = [c for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF]
    for first in range(0, len(code_points), 512):
        chunk = "".join(map(chr, code_points[first : first + 512]))
        for text in (chunk, chunk + "İ", "Liège " + chunk.upper()):
            assert fold(text) == "".join(map(fold_char, text))


def test_accents_dashes_and_case_are_folded_for_matching() -> None:
    gazetteer = Gazetteer([("Pas-de-Calais", "FRE12"), ("Liège", "BE33")])
    text = "Le Pas de Calais et LIEGE."
    assert spans(gazetteer, text) == [("Pas de Calais", ("FRE12",)), ("LIEGE", ("BE33",))]


def test_matches_only_on_word_boundaries() -> None:
    gazetteer = Gazetteer([("Gent", "x")])
    assert spans(gazetteer, "Gentbrugge and Argent") == []
    assert spans(gazetteer, "in Gent.") == [("Gent", ("x",))]


def test_half_of_a_hyphenated_compound_is_not_a_match() -> None:
    gazetteer = Gazetteer([("Nord", "n"), ("France", "f")])
    assert spans(gazetteer, "le Nord-Est, France-Wallonie") == []
    assert spans(gazetteer, "Nord- und Süd") == [("Nord", ("n",))]


def test_longest_match_wins_on_overlap() -> None:
    gazetteer = Gazetteer([("Nord", "dept"), ("Nord-Pas-de-Calais", "region"), ("Calais", "city")])
    assert spans(gazetteer, "Nord-Pas-de-Calais") == [("Nord-Pas-de-Calais", ("region",))]


def test_proper_rule_needs_a_capital_first_letter() -> None:
    gazetteer = Gazetteer([("Walloon Region", "BE3")])
    assert spans(gazetteer, "the Walloon region") == [("Walloon region", ("BE3",))]
    assert spans(gazetteer, "a walloon region") == []


def test_strict_rule_rejects_lower_case_and_all_capitals() -> None:
    gazetteer = Gazetteer([("Nord", "FRE11", "strict")])
    assert spans(gazetteer, "dans le nord de la France") == []
    assert spans(gazetteer, "NORD") == []
    assert spans(gazetteer, "le Nord") == [("Nord", ("FRE11",))]


def test_all_capital_names_match_exactly() -> None:
    gazetteer = Gazetteer([("UK", "GB")])
    assert spans(gazetteer, "the UK and the uk") == [("UK", ("GB",))]


def test_shared_names_return_every_payload_and_lookup_finds_them() -> None:
    gazetteer = Gazetteer([("Namur", "city"), ("Namur", "province"), ("Namur", "city")])
    assert spans(gazetteer, "Namur") == [("Namur", ("city", "province"))]
    assert gazetteer.lookup("NAMUR") == ("city", "province")
    assert gazetteer.lookup("Ghent") == ()


def test_overlapping_names_keep_the_longest_then_the_leftmost() -> None:
    names = ["Alpha Beta", "Beta Gamma", "Gamma", "Delta", "Beta Gamma Delta", "Alpha"]
    codes = ["ab", "bg", "g", "d", "bgd", "a"]
    gazetteer = Gazetteer(list(zip(names, codes, strict=True)))
    text = "Alpha Beta Gamma Delta, Alpha Beta Gamma and Gamma Delta"
    assert spans(gazetteer, text) == [
        ("Alpha", ("a",)),
        ("Beta Gamma Delta", ("bgd",)),
        ("Alpha Beta", ("ab",)),
        ("Gamma", ("g",)),
        ("Gamma", ("g",)),
        ("Delta", ("d",)),
    ]
