"""Reference tables behind the territory gazetteer."""

import csv

from pipeline.extract.geo_reference import (
    REFERENCE,
    TERRITORY_TYPES,
    national_variants,
    place_names,
    rule_for,
)


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
