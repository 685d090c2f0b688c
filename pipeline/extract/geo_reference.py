"""Geography reference data: every name a territory may be written under.

Loads (once, cached) the files in ``pipeline/reference/`` described in its
README: NUTS 2021 regions with their national names, our alias table of
English/French/Dutch/German exonyms, the national type terminology per NUTS
level, countries from pycountry (names in en/fr/nl/de), major municipalities,
named cross-border and metropolitan areas, and the rules for ambiguous names.
Everything is returned as ``PlaceName`` rows (a written name -> a ``Place``),
which ``territories`` feeds to the gazetteer.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, replace
from functools import cache

import pycountry

from pipeline.extract.gazetteer import fold
from pipeline.reference_files import read_reference

LANGUAGES = ("fr", "nl", "de")
# The UK left the EU before NUTS 2021 applied; its regions get no NUTS code
# here (UK nations are listed in named_areas.csv instead).
COUNTRIES_WITHOUT_NUTS = frozenset({"GB"})
# Names this short are matched only when capitalised exactly.
SHORT_NAME_LETTERS = 4
# GeoNames towns smaller than this with a one-word name are matched only in
# context (a type word, a postcode, "in"/"à"/"bei" before them, a country after
# them, or beside other places in a list).
TOWN_WITHOUT_CONTEXT = 15_000


@dataclass(frozen=True)
class Place:
    """One territory: what a mention of it publishes."""

    canonical: str
    type: str
    country_code: str | None
    nuts_code: str | None = None
    nuts_level: int | None = None
    key: str | None = None


@dataclass(frozen=True)
class PlaceName:
    """A name a place is written under, with how safely it can be matched.

    ``needs_cue``: the bare name denotes this place only next to a word of
    its type ("Gent" is the arrondissement only in "arrondissement Gent" or
    "Ghent district"; otherwise it is the city). ``rule``: "proper",
    "strict" (exact capitals), "context" (strict, and kept only with a type
    cue, a postcode, a preposition of place, a country after it or in a list of
    other territories) or "common" (a common word: kept only with a type word or
    postcode before it, or in a list of other territories).
    """

    name: str
    place: Place
    needs_cue: bool = False
    rule: str = "proper"


def split_names(cell: str) -> list[str]:
    return [name.strip() for name in cell.split("|") if name.strip()]


# ------------------------------------------------------------ name rules


@cache
def name_rules() -> dict[str, str]:
    """Folded name -> "never" | "strict" | "context" (ambiguous_names.csv)."""
    return {fold(row["name"]): row["rule"] for row in read_reference("ambiguous_names.csv")}


def rule_for(name: str) -> str | None:
    """The match rule of a name, or None when it must never match."""
    rule = name_rules().get(fold(name))
    if rule == "never":
        return None
    if rule is not None:
        return rule
    return "strict" if letter_count(name) <= SHORT_NAME_LETTERS else "proper"


def letter_count(name: str) -> int:
    return sum(map(str.isalpha, name))


@cache
def country_adjectives() -> dict[str, str]:
    """Folded adjective ("belge", "Dutch") -> ISO country code."""
    out: dict[str, str] = {}
    for row in read_reference("country_adjectives.csv"):
        for adjective in split_names(row["adjectives"]):
            out[fold(adjective)] = row["country_code"]
    return out


# ----------------------------------------------------------------- types


@dataclass(frozen=True)
class LevelType:
    type: str
    terms: tuple[str, ...]
    match_national_names: bool
    bare_name_needs_cue: bool


@cache
def territory_types() -> dict[tuple[str, int], tuple[LevelType, ...]]:
    """(ISO country, NUTS level) -> the national type(s) of that level."""
    out: dict[tuple[str, int], list[LevelType]] = {}
    for row in read_reference("territory_types.csv"):
        level_type = LevelType(
            row["type"],
            tuple(split_names(row["national_term"])),
            row["match_national_names"] == "yes",
            row["bare_name_needs_cue"] == "yes",
        )
        out.setdefault((row["country_code"], int(row["nuts_level"])), []).append(level_type)
    return {key: tuple(value) for key, value in out.items()}


def has_term(name: str, term: str) -> bool:
    """A national term in a name: lower-case terms also as a suffix ("Ortenaukreis")."""
    if term[0].islower():
        return term in name.lower()
    return re.search(rf"(?<!\w){re.escape(term)}(?!\w)", name) is not None


def level_type(country: str, level: int, national_name: str) -> LevelType | None:
    """The type of a NUTS region: the row whose term the name contains, else the first."""
    options = territory_types().get((country, level), ())
    best: tuple[int, LevelType] | None = None
    for option in options:
        for term in option.terms:
            if has_term(national_name, term) and (best is None or len(term) > best[0]):
                best = (len(term), option)
    if best is not None:
        return best[1]
    return options[0] if options else None


# ------------------------------------------------------------------ NUTS

COUNTRY_SUFFIX = re.compile(r"^(?P<name>.+?)\s*\((?P<cc>[A-Z]{2})\)$")
CITY_SUFFIX = re.compile(r"^(?P<name>.+?), (?:Kreisfreie Stadt|Stadtkreis)$")
DISTRICT_SUFFIX = re.compile(r"^(?P<name>.+?), (?P<kind>Landkreis|Kreis)$")
PREFIXED = re.compile(r"^(?:Prov\.|Arr\. de|Arr\.|Bezirk) (?P<name>[^—]+)$")


def national_variants(name: str) -> list[str]:
    """Names a NUTS label stands for: "Prov. Limburg (BE)" -> also "Limburg"."""
    out: list[str] = []
    for part in re.split(r"\s*/\s*", name):
        part = part.strip()
        if not part:
            continue
        out.append(part)
        for pattern in (COUNTRY_SUFFIX, CITY_SUFFIX, PREFIXED):
            found = pattern.match(part)
            if found:
                out.extend(national_variants(found["name"]))
        district = DISTRICT_SUFFIX.match(part)
        if district:
            out += [f"Landkreis {district['name']}", f"Kreis {district['name']}", district["name"]]
    with_ss = [variant.replace("ß", "ss") for variant in out if "ß" in variant]
    return list(dict.fromkeys(out + with_ss))


def display_name(name: str) -> str:
    """A readable canonical name from a NUTS label (first language, no prefix)."""
    first = re.split(r"\s*/\s*", name)[0].strip()
    district = DISTRICT_SUFFIX.match(first)
    if district:
        return f"Landkreis {district['name']}"
    for pattern in (CITY_SUFFIX, PREFIXED, COUNTRY_SUFFIX):
        found = pattern.match(first)
        if found:
            return display_name(found["name"])
    return first


@cache
def nuts_aliases() -> dict[str, dict[str, str]]:
    return {row["nuts_code"]: row for row in read_reference("nuts_aliases.csv")}


def alias_names(row: dict[str, str]) -> list[str]:
    cells = (row["names_en"], row["names_fr"], row["names_nl"], row["names_de"], row["names_other"])
    return list(dict.fromkeys(name for cell in cells for name in split_names(cell)))


@cache
def nuts_rows() -> dict[str, dict[str, str]]:
    """NUTS 2021 rows by code, without Extra-Regio and without the UK."""
    return {
        row["nuts_code"]: row
        for row in read_reference("nuts2021.csv")
        if not row["nuts_code"].endswith("Z") and row["country_code"] not in COUNTRIES_WITHOUT_NUTS
    }


def nuts_place(code: str) -> Place | None:
    row = nuts_rows()[code]
    level = int(row["level"])
    country = row["country_code"]
    found = level_type(country, level, row["name_national"])
    if found is None:
        return None
    alias = nuts_aliases().get(code)
    canonical = split_names(alias["names_en"])[0] if alias else display_name(row["name_national"])
    return Place(canonical, found.type, country, code, level, f"nuts:{code}")


def nuts_region_names() -> list[PlaceName]:
    """Names of NUTS 1-3 regions: our aliases, plus national labels where matched."""
    out: list[PlaceName] = []
    for code, row in sorted(nuts_rows().items()):
        level = int(row["level"])
        if level == 0:
            continue
        place = nuts_place(code)
        if place is None:
            continue
        country = row["country_code"]
        found = level_type(country, level, row["name_national"])
        assert found is not None
        alias = nuts_aliases().get(code)
        names: list[str] = alias_names(alias) if alias else []
        if found.match_national_names:
            for label in dict.fromkeys((row["name_national"], row["name_latin"])):
                names += national_variants(label)
        cue_by_default = alias["bare_needs_cue"] == "yes" if alias else found.bare_name_needs_cue
        for name in dict.fromkeys(names):
            full_form = any(has_term(name, term) for term in found.terms)
            out.append(PlaceName(name, place, cue_by_default and not full_form))
    return out


# ------------------------------------------------------------- countries


@cache
def translations() -> dict[str, gettext.NullTranslations]:
    return {
        lang: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
        for lang in LANGUAGES
    }


@cache
def nuts_country_codes() -> dict[str, str]:
    """ISO code -> NUTS code for the countries NUTS 2021 covers (minus the UK)."""
    return {row["country_code"]: code for code, row in nuts_rows().items() if row["level"] == "0"}


def country_place(iso: str) -> Place:
    country = pycountry.countries.get(alpha_2=iso)
    if country is None:
        raise KeyError(f"unknown ISO 3166-1 code {iso}")
    canonical = getattr(country, "common_name", None) or country.name
    nuts = nuts_country_codes().get(iso)
    if nuts is not None:
        return Place(canonical, "country", iso, nuts, 0, f"nuts:{nuts}")
    return Place(canonical, "country", iso, None, None, f"iso:{iso}")


def country_names() -> list[PlaceName]:
    """Countries in English, French, Dutch and German, with common short forms."""
    extra: dict[str, list[str]] = {}
    dropped: set[tuple[str, str]] = set()
    for row in read_reference("country_aliases.csv"):
        if row["action"] == "drop":
            dropped.add((row["country_code"], fold(row["name"])))
        else:
            extra.setdefault(row["country_code"], []).append(row["name"])
    for code, row in nuts_rows().items():
        if row["level"] == "0":
            extra.setdefault(row["country_code"], []).extend(
                national_variants(row["name_national"])
            )
            alias = nuts_aliases().get(code)
            if alias:
                extra[row["country_code"]].extend(alias_names(alias))
    out: list[PlaceName] = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        iso = country.alpha_2
        english = [
            n
            for n in (
                country.name,
                getattr(country, "common_name", None),
                getattr(country, "official_name", None),
            )
            if n
        ]
        names = list(english)
        for translation in translations().values():
            names += [translation.gettext(n) for n in english]
        names += extra.get(iso, [])
        place = country_place(iso)
        for name in dict.fromkeys(names):
            if "," in name or "(" in name or (iso, fold(name)) in dropped:
                continue
            out.append(PlaceName(name, place))
    return out


# ------------------------------------------------- municipalities and areas


def municipality_names(nuts_names: list[PlaceName]) -> list[PlaceName]:
    """Major municipalities; a city that is its own NUTS region gets that code."""
    nuts_cities: dict[tuple[str | None, str], Place] = {}
    for item in nuts_names:
        if item.place.type == "municipality":
            nuts_cities[(item.place.country_code, fold(item.name))] = item.place
    out: list[PlaceName] = []
    for row in read_reference("municipalities.csv"):
        names = [row["name"], *split_names(row["aliases"])]
        country = row["country_code"]
        place = Place(row["name"], "municipality", country)
        for name in names:
            same = nuts_cities.get((country, fold(name)))
            if same is not None:
                place = replace(
                    place, nuts_code=same.nuts_code, nuts_level=same.nuts_level, key=same.key
                )
                break
        out += [PlaceName(name, place) for name in dict.fromkeys(names)]
    return out


def named_area_names() -> list[PlaceName]:
    out: list[PlaceName] = []
    for row in read_reference("named_areas.csv"):
        countries = split_names(row["country_codes"])
        place = Place(row["name"], row["type"], countries[0] if len(countries) == 1 else None)
        names = [row["name"], *split_names(row["aliases"])]
        out += [PlaceName(name, place) for name in dict.fromkeys(names)]
    return out


def geonames_names(taken: set[str]) -> list[PlaceName]:
    """Towns and cities from GeoNames (geonames_places.csv), for names not taken.

    A name that an existing place bears without needing a cue (a country, a
    listed city, a region) is left to that place; a town named like the German
    district around it (Rastatt, Borken) is added, since the district's bare name
    needs a type word anyway. One-word names of small towns, short names and
    names that are frequent common words (Best, Essen, Auen) are matched only in
    context; compound names of small towns (Baarle-Hertog, Sas van Gent) are not.
    """
    out: list[PlaceName] = []
    for row in read_reference("geonames_places.csv"):
        place = Place(
            row["name"], "municipality", row["country_code"], key=f"geonames:{row['geonameid']}"
        )
        one_word = re.fullmatch(r"[^\W\d_]+", row["name"]) is not None
        needs_context = (
            one_word and int(row["population"]) < TOWN_WITHOUT_CONTEXT
        ) or letter_count(row["name"]) <= SHORT_NAME_LETTERS
        rule = "common" if row["common_word_in"] else "context" if needs_context else "proper"
        for name in [row["name"], *split_names(row["aliases"])]:
            if fold(name) not in taken:
                out.append(PlaceName(name, place, rule=rule if name == row["name"] else "proper"))
    return out


# -------------------------------------------------------------- together


@cache
def place_names() -> tuple[PlaceName, ...]:
    """Every matchable territory name, with its match rule; "never" names left out."""
    regions = nuts_region_names()
    cities = municipality_names(regions)
    # a NUTS region that is a listed city is published as that city
    city_of_code = {p.place.nuts_code: p.place for p in cities if p.place.nuts_code}
    regions = [
        replace(p, place=city_of_code[p.place.nuts_code])
        if p.place.nuts_code in city_of_code
        else p
        for p in regions
    ]
    listed = [*country_names(), *regions, *cities, *named_area_names()]
    taken = {fold(p.name) for p in listed if not p.needs_cue}
    out: list[PlaceName] = []
    for item in listed:
        rule = rule_for(item.name)
        if rule is not None:
            out.append(with_rule(item, rule))
    for item in geonames_names(taken):
        rule = rule_for(item.name)
        if rule is not None:
            out.append(with_rule(item, item.rule if item.rule != "proper" else rule))
    return tuple(out)


def with_rule(item: PlaceName, rule: str) -> PlaceName:
    """``item`` with that match rule (itself when it has it: most of 48,000 names)."""
    return item if item.rule == rule else replace(item, rule=rule)
