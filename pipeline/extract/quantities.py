"""Quantities written in English, French, Dutch and German, with their spans.

Money in euros (€268 million, EUR 1.2 bn, 268 M€, 182 millions d'euros,
205 miljoen euro, 96 Mio. Euro, 1,5 Mrd. €, 12.500.000 EUR), areas in km²,
populations ('11 million people', '2,1 millions d'habitants'), periods
(2021-2027, 'from January 2013 to July 2015', 'de 2014 à 2020') and dates.
Every value is normalised (euros as an int, years as ints, dates ISO).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pipeline.extract.structure import FoldedPattern, disjoint

NUM = r"\d{1,3}(?:[.,  ]\d{3})+(?:[.,]\d+)?|\d+(?:[.,]\d+)?"
SCALE_WORDS = {
    # thousands
    "k": 10**3,
    "thousand": 10**3,
    "mille": 10**3,
    "duizend": 10**3,
    "tausend": 10**3,
    # millions
    "m": 10**6,
    "mn": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "millions": 10**6,
    "miljoen": 10**6,
    "millionen": 10**6,
    "million euro": 10**6,
    "mln": 10**6,
    # billions
    "bn": 10**9,
    "b": 10**9,
    "billion": 10**9,
    "billions": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
    "mrd": 10**9,
    "md": 10**9,
    "miljard": 10**9,
    "milliarden": 10**9,
}
SCALE = (
    r"(?:thousand|mille|duizend|tausend|millions?|miljoen|millionen|mio\.?|mln\.?|mn|"
    r"billions?|milliards?|miljard|milliarden|mrd\.?|bn|md|k|m|b)"
)
CURRENCY_BEFORE = r"(?:€|EUR|euros?|Euro)"
CURRENCY_AFTER = r"(?:€|EUR\b|euros?\b|Euro\b|d['’]euros?\b|d['’]EUR\b|M€|Md€|k€)"
MONEY_BEFORE = FoldedPattern(
    re.compile(
        rf"(?<![\w.]){CURRENCY_BEFORE}\s?(?P<num>{NUM})(?:\s?(?P<scale>{SCALE})(?![\w]))?",
        re.IGNORECASE,
    )
)
MONEY_AFTER = re.compile(
    rf"(?<![\w.,])(?P<num>{NUM})\s?(?:(?P<scale>{SCALE})\s?(?:de\s|d['’]|of\s)?)?"
    rf"(?P<cur>{CURRENCY_AFTER})",
    re.IGNORECASE,
)
AREA = re.compile(
    rf"(?<![\w.,])(?P<num>{NUM})\s?(?:km\s?²|km2\b|sq\.? ?km\b|square kilomet(?:re|er)s?\b|"
    r"kilomètres? carrés\b|vierkante kilometers?\b|quadratkilometern?\b)",
    re.IGNORECASE,
)
POPULATION = re.compile(
    rf"(?<![\w.,])(?P<num>{NUM})\s?(?:(?P<scale>{SCALE})\s?(?:d['’]|de\s|of\s)?)?"
    r"(?:people|inhabitants|residents|citizens|habitants|personnes|inwoners|mensen|"
    r"einwohner(?:innen)?|menschen|bürger(?:innen)?)\b",
    re.IGNORECASE,
)
YEAR = r"(?:19[5-9]\d|20\d\d)"
MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "janvier": 1,
    "février": 2,
    "fevrier": 2,
    "mars": 3,
    "avril": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "octobre": 10,
    "novembre": 11,
    "décembre": 12,
    "decembre": 12,
    "januari": 1,
    "februari": 2,
    "maart": 3,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "augustus": 8,
    "oktober": 10,
    "januar": 1,
    "jänner": 1,
    "februar": 2,
    "märz": 3,
    "dezember": 12,
}
MONTH = "(?:" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
FROM_WORD = r"(?:from|between|de|du|d['’]|entre|van|tussen|von|vom|zwischen)"
TO_WORD = r"(?:to|until|till|and|à|au|a|et|tot|en|bis|und)"
# No digit, '/', '.' or '-' before the year, tested after its four digits: a pattern
# that opens with the year's digit is searched four times faster than one opening
# with a look-behind (the regex engine skips ahead to the next '1' or '2')
PERIOD_DASH = re.compile(rf"(?P<a>{YEAR})(?<![\d/.-]....)\s?[-–—/]\s?(?P<b>{YEAR}|\d\d)(?![\d/.-])")
PERIOD_WORDS = FoldedPattern(
    re.compile(
        rf"\b{FROM_WORD}\s+(?:(?:\d{{1,2}}(?:st|nd|rd|th|er|e)?\.?\s)?{MONTH}\s)?(?P<a>{YEAR})"
        rf"\s+{TO_WORD}\s+(?:(?:\d{{1,2}}(?:st|nd|rd|th|er|e)?\.?\s)?{MONTH}\s)?(?P<b>{YEAR})\b",
        re.IGNORECASE,
    )
)
# Every PERIOD_WORDS match holds its first year, a space and a 'to' word: pages
# without them are not searched with the longer pattern
YEAR_THEN_TO_WORD = re.compile(rf"{YEAR}\s+{TO_WORD}\s", re.IGNORECASE)
DATE_DMY = re.compile(
    rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|e)?\.?\s+(?:of\s+)?(?P<m>{MONTH})\s+(?P<y>{YEAR})\b",
    re.IGNORECASE,
)
DATE_MDY = re.compile(
    rf"\b(?P<m>{MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR})\b", re.IGNORECASE
)
DATE_ISO = re.compile(rf"\b(?P<y>{YEAR})-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")
DATE_NUMERIC = re.compile(rf"\b(?P<d>[0-3]?\d)[./](?P<m>[01]?\d)[./](?P<y>{YEAR})\b")


@dataclass(frozen=True)
class Quantity:
    kind: str  # money | area | population | period | date
    value: int | float | str | tuple[int, int]
    start: int
    end: int


def parse_number(raw: str, scaled: bool) -> float | None:
    """'62,000' -> 62000, '1,5' -> 1.5, '12.500.000' -> 12500000, '2.1' -> 2.1.

    A single separator followed by exactly three digits groups thousands,
    unless a scale word follows ('1.500 million' is rare; '1,5 Mrd' is not).
    """
    s = raw.replace(" ", "").replace("\u202f", "").replace("\u00a0", "")
    seps = [c for c in s if c in ".,"]
    if not seps:
        return float(s)
    if len(seps) > 1:
        if len(set(seps)) == 1:
            return float(s.replace(seps[0], ""))
        decimal = seps[-1]
        thousands = "," if decimal == "." else "."
        return float(s.replace(thousands, "").replace(decimal, "."))
    whole, frac = re.split(r"[.,]", s)
    if len(frac) == 3 and not scaled:
        return float(whole + frac)
    return float(f"{whole}.{frac}")


def scale_of(word: str | None) -> int:
    if not word:
        return 1
    key = word.lower().rstrip(".")
    return SCALE_WORDS.get(key, 1)


def money(text: str) -> list[Quantity]:
    """Euro amounts as whole euros."""
    found: list[Quantity] = []
    for pattern in (MONEY_BEFORE, MONEY_AFTER):
        for m in pattern.finditer(text):
            scale_word = m.group("scale")
            cur = m.groupdict().get("cur") or ""
            factor = scale_of(scale_word)
            if cur.lower().startswith("m") and cur.endswith("€"):
                factor = 10**6 if cur.lower() == "m€" else 10**9
            elif cur.lower() == "k€":
                factor = 10**3
            number = parse_number(m.group("num"), factor > 1)
            if number is None:
                continue
            found.append(Quantity("money", round(number * factor), m.start(), m.end()))
    return without_overlaps(found)


def areas(text: str) -> list[Quantity]:
    out = []
    for m in AREA.finditer(text):
        number = parse_number(m.group("num"), False)
        if number is not None:
            out.append(Quantity("area", number, m.start(), m.end()))
    return out


def populations(text: str) -> list[Quantity]:
    out = []
    for m in POPULATION.finditer(text):
        factor = scale_of(m.group("scale"))
        number = parse_number(m.group("num"), factor > 1)
        if number is not None:
            out.append(Quantity("population", round(number * factor), m.start(), m.end()))
    return out


def periods(text: str) -> list[Quantity]:
    """Year ranges: (start year, end year), the end after the start."""
    found = []
    patterns = (PERIOD_WORDS, PERIOD_DASH) if YEAR_THEN_TO_WORD.search(text) else (PERIOD_DASH,)
    for pattern in patterns:
        for m in pattern.finditer(text):
            a, b = int(m.group("a")), m.group("b")
            end = int(b) if len(b) == 4 else (a // 100) * 100 + int(b)
            if a < end <= a + 30:
                found.append(Quantity("period", (a, end), m.start(), m.end()))
    return without_overlaps(found)


def dates(text: str) -> list[Quantity]:
    found = []
    for pattern in (DATE_DMY, DATE_MDY, DATE_ISO, DATE_NUMERIC):
        for m in pattern.finditer(text):
            month_raw = m.group("m")
            month = (
                MONTHS.get(month_raw.lower().rstrip("."))
                if not month_raw.isdigit()
                else int(month_raw)
            )
            day = int(m.group("d"))
            if month and 1 <= month <= 12 and 1 <= day <= 31:
                iso = f"{int(m.group('y')):04d}-{month:02d}-{day:02d}"
                found.append(Quantity("date", iso, m.start(), m.end()))
    return without_overlaps(found)


def without_overlaps(found: list[Quantity]) -> list[Quantity]:
    """Longest first wins where two readings overlap; result sorted by start."""
    return disjoint(sorted(found, key=lambda q: (-(q.end - q.start), q.start)))
