"""Reference tables behind the territory gazetteer."""

import csv

from pipeline.extract.geo_reference import (
    national_variants,
    place_names,
    rule_for,
)
from pipeline.reference_files import REFERENCE
from schemas.tables import TERRITORY_TYPES


def places_named(name: str) -> set[tuple[str, str | None, str | None]]:
    return {
        (p.place.type, p.place.country_code, p.place.nuts_code)
        for p in place_names()
        if p.name == name
    }


def test_every_reference_row_names_its_source() -> None:
    for file_name in (
        "nuts_aliases.csv",
        "municipalities.csv",
        "named_areas.csv",
        "territory_types.csv",
        "ambiguous_names.csv",
        "country_aliases.csv",
        "country_adjectives.csv",
    ):
        with (REFERENCE / file_name).open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert rows, file_name
        assert all(row["source"].strip() for row in rows), file_name


def test_every_alias_code_is_a_nuts_2021_code() -> None:
    with (REFERENCE / "nuts2021.csv").open(encoding="utf-8") as handle:
        codes = {row["nuts_code"] for row in csv.DictReader(handle)}
    with (REFERENCE / "nuts_aliases.csv").open(encoding="utf-8") as handle:
        assert {row["nuts_code"] for row in csv.DictReader(handle)} <= codes


def test_all_types_are_known() -> None:
    assert {p.place.type for p in place_names()} <= set(TERRITORY_TYPES)


def test_exonyms_in_four_languages_point_at_one_region() -> None:
    for name in ("West Flanders", "Flandre-Occidentale", "West-Vlaanderen", "Westflandern"):
        assert places_named(name) == {("province", "BE", "BE25")}, name
    for name in ("Tuscany", "Toscane", "Toskana", "Toscana"):
        assert places_named(name) == {("region", "IT", "ITI1")}, name


def test_national_type_terminology() -> None:
    assert ("region", "FR", "FRE") in places_named("Hauts-de-France")
    assert ("department", "FR", "FRE12") in places_named("Pas-de-Calais")
    assert ("region", "BE", "BE3") in places_named("Wallonie")
    assert ("province", "NL", "NL41") in places_named("Noord-Brabant")
    assert ("region", "DE", "DE2") in places_named("Bayern")


def test_countries_in_four_languages_with_nuts_or_iso_keys() -> None:
    germany = {
        p.place.key for p in place_names() if p.name in ("Germany", "Allemagne", "Duitsland")
    }
    assert germany == {"nuts:DE"}
    greece = {p.place for p in place_names() if p.name == "Greece"}
    assert {(g.country_code, g.nuts_code) for g in greece} == {("GR", "EL")}
    uk = {p.place for p in place_names() if p.name == "UK"}
    assert {(u.country_code, u.nuts_code, u.key) for u in uk} == {("GB", None, "iso:GB")}


def test_shared_names_keep_every_reading() -> None:
    namur = places_named("Namur")
    assert {("municipality", "BE", None), ("province", "BE", "BE35")} <= namur
    limburg = places_named("Limburg")
    assert {("province", "BE", "BE22"), ("province", "NL", "NL42")} <= limburg


def test_district_named_after_its_town_needs_a_cue() -> None:
    gent = [p for p in place_names() if p.name == "Gent" and p.place.type == "district"]
    assert gent and all(p.needs_cue for p in gent)
    full = [p for p in place_names() if p.name == "Arr. Gent"]
    assert full and not any(p.needs_cue for p in full)


def test_generic_words_never_match_and_river_names_need_context() -> None:
    assert rule_for("Centre") is None
    assert rule_for("Somme") == "context"
    assert rule_for("Ath") == "strict"
    assert rule_for("Hainaut") == "proper"
    assert not any(p.name == "Centro" for p in place_names())


def test_national_labels_yield_their_usual_forms() -> None:
    assert "Limburg" in national_variants("Prov. Limburg (BE)")
    assert "Köln" in national_variants("Köln, Kreisfreie Stadt")
    assert "Landkreis Heilbronn" in national_variants("Heilbronn, Landkreis")
    assert "Giessen" in national_variants("Gießen")


def geonames_rows() -> list[dict[str, str]]:
    with (REFERENCE / "geonames_places.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_geonames_rows_are_unique_per_country_and_sorted() -> None:
    rows = geonames_rows()
    keys = [(row["country_code"], row["name"].casefold()) for row in rows]
    assert len(set(keys)) == len(keys)
    assert [row["country_code"] for row in rows] == sorted(row["country_code"] for row in rows)
    assert all(int(row["population"]) >= 0 and row["geonameid"].isdigit() for row in rows)


def test_listed_places_keep_their_names_over_geonames() -> None:
    # Limburg an der Lahn must not give "Limburg" a town reading; Namur stays the listed city
    assert not any(
        (p.place.key or "").startswith("geonames:") for p in place_names() if p.name == "Limburg"
    )
    assert places_named("Namur") >= {("municipality", "BE", None)}
    assert not any(
        (p.place.key or "").startswith("geonames:") for p in place_names() if p.name == "Namur"
    )


def test_geonames_towns_carry_their_match_rule() -> None:
    rules = {p.name: p.rule for p in place_names() if (p.place.key or "").startswith("geonames:")}
    assert rules["Hengelo"] == "proper"  # a town of 80,000
    assert rules["Vaals"] == "context"  # a one-word town under 15,000
    assert rules["Baarle-Hertog"] == "proper"  # a compound name is distinctive
    assert rules["Bergen"] == "common"  # "bergen" is a Dutch word
    assert "Best" not in rules and "Die" not in rules  # too frequent to ever be a place
    # a town named like its German district is added: the district needs a type word
    assert places_named("Rastatt") >= {("municipality", "DE", None)}


def test_swiss_cantons_and_sub_regions_have_short_canonical_names() -> None:
    canonicals = {p.place.canonical for p in place_names() if p.name in ("Genève", "Jura")}
    assert {"Geneva", "Jura"} <= canonicals
    assert places_named("Zuid-Limburg") == {("region", "NL", "NL423")}
    assert places_named("South Limburg") == {("region", "NL", "NL423")}
    assert places_named("Münsterland") == {("other", "DE", None)}
