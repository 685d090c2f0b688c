"""Territory extraction on short snippets in English, French, Dutch and German."""

import re
import sys

from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.structure import lowered_text
from pipeline.extract.territories import any_cue_word_before, extract_territories


def found(text: str) -> list[tuple[str, str | None, str | None, str | None]]:
    """(quote, type, country, nuts) per mention."""
    return [
        (m.quote, value(m, "type"), value(m, "country_code"), value(m, "nuts_code"))
        for m in extract_territories(Context(text=text))
    ]


def value(mention: Mention, field_name: str) -> str | None:
    values = [v.value for v in mention.values if v.field == field_name]
    return str(values[0]) if values else None


def by_quote(text: str) -> dict[str, tuple[str | None, str | None, str | None]]:
    return {quote: (kind, country, nuts) for quote, kind, country, nuts in found(text)}


def test_spans_and_canonical_names() -> None:
    text = "Partners from West-Vlaanderen and Wallonie."
    mentions = extract_territories(Context(text=text))
    assert [(m.quote, m.canonical, m.key) for m in mentions] == [
        ("West-Vlaanderen", "West Flanders", "nuts:BE25"),
        ("Wallonie", "Wallonia", "nuts:BE3"),
    ]
    assert all(text[m.start : m.end] == m.quote for m in mentions)
    assert all(v.start == m.start and v.end == m.end for m in mentions for v in m.values)


def test_a_list_of_departments_types_every_item() -> None:
    got = by_quote("in France: Nord, Pas de Calais, Aisne, Oise, Somme and Marne departments;")
    assert got["Nord"] == ("department", "FR", "FRE11")
    assert got["Pas de Calais"] == ("department", "FR", "FRE12")
    assert got["Somme"] == ("department", "FR", "FRE23")
    assert got["Marne"] == ("department", "FR", "FRF23")


def test_a_list_of_provinces_decides_namur_and_luxembourg() -> None:
    got = by_quote("in Wallonia: Hainaut, Namur and Luxembourg provinces;")
    assert got["Namur"] == ("province", "BE", "BE35")
    assert got["Luxembourg"] == ("province", "BE", "BE34")


def test_french_list_with_articles_after_the_cue() -> None:
    got = by_quote("les provinces de Hainaut, de Namur et de Luxembourg")
    assert got["Luxembourg"] == ("province", "BE", "BE34")


def test_namur_after_a_postcode_is_the_city() -> None:
    assert found("Place du Théâtre 1\n5000 Namur") == [("Namur", "municipality", "BE", None)]


def test_namur_without_context_is_the_city_without_a_code() -> None:
    assert found("The partners met in Namur.") == [("Namur", "municipality", "BE", None)]


def test_province_cue_in_dutch_and_german() -> None:
    assert found("de provincie Luxemburg") == [("Luxemburg", "province", "BE", "BE34")]
    assert found("die Provinz Lüttich") == [("Lüttich", "province", "BE", "BE33")]


def test_luxembourg_alone_is_the_country() -> None:
    assert found("Partners in Luxembourg.") == [("Luxembourg", "country", "LU", "LU")]


def test_limburg_is_left_without_a_code_when_nothing_decides() -> None:
    assert found("De provincie Limburg investeert.") == [("Limburg", "province", None, None)]


def test_limburg_decided_by_adjective_brackets_or_siblings() -> None:
    assert found("Belgisch Limburg") == [("Belgisch Limburg", "province", "BE", "BE22")]
    assert found("the Dutch province of Limburg") == [("Limburg", "province", "NL", "NL42")]
    assert found("Die Provinz Limburg (Belgien)")[0] == ("Limburg", "province", "BE", "BE22")
    got = by_quote("in Zeeland, Noord-Brabant en Limburg")
    assert got["Limburg"] == ("province", "NL", "NL42")


def test_district_needs_its_cue() -> None:
    got = by_quote("only Ghent and Oudenaarde districts")
    assert got["Ghent"] == ("district", "BE", "BE234")
    assert got["Oudenaarde"] == ("district", "BE", "BE235")
    assert found("a company from Ghent") == [("Ghent", "municipality", "BE", None)]


def test_elliptic_coordination_in_four_languages() -> None:
    got = by_quote("Wallonie and Eastern and Western Flanders in Belgium")
    assert got["Eastern"] == ("province", "BE", "BE23")
    assert got["Western Flanders"] == ("province", "BE", "BE25")
    assert by_quote("Flandre occidentale et orientale")["orientale"][2] == "BE23"
    assert by_quote("Oost- en West-Vlaanderen")["Oost"][2] == "BE23"
    assert by_quote("Nord- und Südholland")["Nord"][2] == "NL32"
    assert by_quote("North and South Holland")["North"][2] == "NL32"


def test_countries_and_cross_border_areas() -> None:
    got = by_quote("Greece, the UK, the Grande Région and the Euregio Maas-Rijn")
    assert got["Greece"] == ("country", "GR", "EL")
    assert got["UK"] == ("country", "GB", None)
    assert got["Grande Région"] == ("cross-border-area", None, None)
    assert got["Euregio Maas-Rijn"] == ("cross-border-area", None, None)


def test_german_district_free_city_gets_its_nuts_code() -> None:
    assert found("in der Stadt Köln") == [("Köln", "municipality", "DE", "DEA23")]
    assert found("im Regierungsbezirk Köln") == [("Köln", "region", "DE", "DEA2")]


def test_demonyms_are_not_territories() -> None:
    assert found("Belgian, Dutch and German neighbours; the Walloon Government; flamand") == []


def test_lower_case_nord_and_rivers_are_not_territories() -> None:
    assert found("dans le nord de la France") == [("France", "country", "FR", "FR")]
    assert found("The Meuse valley and the river Somme.") == []
    assert found("La Somme et la Marne débordent.") == []
    assert found("Lot of work remains; Nice to meet you.") == []


def test_common_words_and_first_names_are_not_territories() -> None:
    assert found("Florence Hennart, Senior advisor. Centre for research. Tours of the site.") == []


def test_addresses_urls_and_emails_yield_nothing_but_the_town() -> None:
    assert found("Place de Wallonie 1, rue de Namur 12") == []
    assert found("see www.wallonie.be or info@luxembourg.lu") == []
    assert found("Rue Belliard 65\n1040 Brussels") == [("Brussels", "municipality", "BE", None)]


def test_compound_half_is_not_a_territory() -> None:
    assert found("Interreg Fr-Wall-Vlaanderen and the Nord-Est") == []


def test_towns_outside_the_hand_list_come_from_geonames() -> None:
    got = by_quote(
        "Partners in Hengelo, Ahaus and Herzogenrath; twinned with Cape Town (South Africa)."
    )
    assert got["Hengelo"] == ("municipality", "NL", None)
    assert got["Ahaus"] == ("municipality", "DE", None)
    assert got["Herzogenrath"] == ("municipality", "DE", None)
    assert got["Cape Town"] == ("municipality", "ZA", None)
    assert got["South Africa"] == ("country", "ZA", None)


def test_small_towns_need_a_preposition_a_list_or_a_country() -> None:
    assert by_quote("ein Chorfestival in Kandel")["Kandel"] == ("municipality", "DE", None)
    assert "Lauterbourg" in by_quote("die Städte Haguenau, Wissembourg und Lauterbourg")
    assert "Vaals" in by_quote("From the Dreiländerpunkt at Vaals you can see three countries.")
    assert by_quote("Baarle-Hertog in België")["Baarle-Hertog"] == ("municipality", "BE", None)
    # the same small-town words without such context are not places
    assert "Kandel" not in by_quote("Kandel und Harfe spielen zusammen.")
    assert "Auen" not in by_quote("Renaturierung der Auen entlang der Lauter.")


def test_common_words_are_places_only_after_a_type_word_or_postcode() -> None:
    assert "Die" not in by_quote("Die Stadt Ahaus und die Gemeinde Gronau.")
    assert "Rust" not in by_quote("The tool is written in Rust.")
    assert "Many" not in by_quote("Many partners joined.")
    assert "Bergen" not in by_quote("In de bergen. Bergen zijn hoog.")
    assert "Bergen" in by_quote("de gemeente Bergen")


def test_world_towns_are_not_read_inside_names_or_acronyms() -> None:
    got = by_quote("The AURORA project. President Vladimir Putin spoke. Aurora Borealis.")
    assert got == {}
    # a capitalised word that is itself a place does not hide the town
    assert "Hengelo" in by_quote("Hengelo Enschede")


def test_bassin_de_keeps_a_town_but_not_a_river() -> None:
    got = by_quote("dans le bassin de Sarreguemines et le bassin de la Meuse")
    assert got == {"Sarreguemines": ("municipality", "FR", None)}


def test_organisations_named_after_a_place_are_not_the_place() -> None:
    assert "Benelux" not in by_quote("met de Benelux Unie")
    assert "Benelux" in by_quote("in de Benelux")


def test_sub_regions_and_swiss_cantons() -> None:
    got = by_quote("Projekte in der Südpfalz, im Münsterland und den Mittleren Oberrhein.")
    assert got["Südpfalz"][0] == "other"
    assert got["Münsterland"][0] == "other"
    assert got["Mittleren Oberrhein"][0] == "other"
    cantons = extract_territories(Context(text="les cantons de Berne, Genève, Jura, Neuchâtel"))
    assert [(m.quote, m.canonical, m.key) for m in cantons][1:3] == [
        ("Genève", "Geneva", "nuts:CH013"),
        ("Jura", "Jura", "nuts:CH025"),
    ]
    departments = by_quote("les départements de l'Ain, du Doubs, du Jura et de la Savoie")
    assert departments["Jura"] == ("department", "FR", "FRC22")


def test_cue_words_are_read_however_a_page_spells_their_letters() -> None:
    # a case-insensitive pattern takes dotless 'ı' for 'i' and long 'ſ' for 's'
    assert found("la provınce de Namur") == [("Namur", "province", "BE", "BE35")]
    assert found("la PROVINCE de Namur") == [("Namur", "province", "BE", "BE35")]
    assert found("la provİnce de Namur") == [("Namur", "province", "BE", "BE35")]
    assert found("ſtreet Namur") == found("Street Namur") == []
    assert found("Vaalserstraat 1, 6211 AB  Maastricht") == [
        ("Maastricht", "municipality", "NL", None)
    ]


def test_cue_words_are_searched_in_the_text_lowered_as_the_regex_engine_reads_it() -> None:
    """Cue words are searched without (?i) in ``lowered_text``: each character that
    (?i) takes for one of the pattern's letters must be that letter there, and every
    character must keep its word or space class. Only 'İ', which lower() turns into
    two characters, leaves its pages to each (?i) pattern."""
    pattern = any_cue_word_before().pattern
    letters = {c for c in re.sub(r"\\.", "", pattern) if c.isalpha()}
    assert letters and all(c == c.lower() for c in letters)
    assert lowered_text("İ") is None
    everything = "".join(map(chr, range(sys.maxunicode + 1))).replace("İ", "")
    lowered = lowered_text(everything)
    assert lowered is not None and len(lowered) == len(everything)
    like_a_letter = set(re.findall("[" + "".join(sorted(letters)) + "]", everything, re.IGNORECASE))

    def word(c: str) -> bool:
        return c.isalnum() or c == "_"

    misread = {
        c
        for c, low in zip(everything, lowered, strict=True)
        if low.isspace() != c.isspace()
        or word(low) != word(c)
        or (
            c in like_a_letter
            and any(re.fullmatch(letter, c, re.IGNORECASE) and low != letter for letter in letters)
        )
    }
    assert misread == set()
