"""Money, areas, populations, periods and dates in four languages."""

import re

import pytest

from pipeline.extract import quantities as q


@pytest.mark.parametrize(
    ("text", "euros"),
    [
        ("€268 million", 268_000_000),
        ("EUR 1.2 bn", 1_200_000_000),
        ("268 M€", 268_000_000),
        ("182 millions d'euros", 182_000_000),
        ("205 miljoen euro", 205_000_000),
        ("96 Mio. Euro", 96_000_000),
        ("1,5 Mrd. €", 1_500_000_000),
        ("12.500.000 EUR", 12_500_000),
        ("a budget of EUR 69.7m", 69_700_000),
    ],
)
def test_money(text, euros):
    found = q.money(text)
    assert [f.value for f in found] == [euros]
    assert text[found[0].start : found[0].end].strip()


def test_numbers_without_currency_are_not_money():
    assert q.money("In 2021, 157 municipalities and 14 authorities") == []


def test_area_and_population():
    text = "These regions cover 62,000 km² and house over 11 million people."
    assert [a.value for a in q.areas(text)] == [62000]
    assert [p.value for p in q.populations(text)] == [11_000_000]
    assert [p.value for p in q.populations("2,1 millions d'habitants")] == [2_100_000]
    assert [p.value for p in q.populations("2.1 millions inhabitants")] == [2_100_000]


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("For the 2021 – 2027 period", (2021, 2027)),
        ("2021-2027", (2021, 2027)),
        ("2021/2027", (2021, 2027)),
        ("From January 2013 to July 2015, Wallonia", (2013, 2015)),
        ("de 2014 à 2020", (2014, 2020)),
        ("van 2021 tot 2027", (2021, 2027)),
        ("von 2021 bis 2027", (2021, 2027)),
        ("2014-20", (2014, 2020)),
    ],
)
def test_periods(text, period):
    assert [p.value for p in q.periods(text)] == [period]


def test_not_periods():
    assert q.periods("programme logo 21-27") == []
    assert q.periods("on 2018-02-28") == []
    assert q.periods("2027-2021") == []  # an end before its start


def test_a_period_starts_at_no_digit_slash_dot_or_dash():
    """PERIOD_DASH tests what stands before the year after reading it: the same
    matches as a look-behind before it, wherever the year sits."""
    before_the_year = re.compile(
        rf"(?<![\d/.-])(?P<a>{q.YEAR})\s?[-–—/]\s?(?P<b>{q.YEAR}|\d\d)(?![\d/.-])"
    )
    for prefix in ("", " ", "x", "1", "/", ".", "-", "a-", "12", "\n"):
        for text in (f"{prefix}2021-2027", f"{prefix}2021 – 27 and {prefix}1999/2006"):
            assert [m.span() for m in q.PERIOD_DASH.finditer(text)] == [
                m.span() for m in before_the_year.finditer(text)
            ], text
    assert q.periods("ref. 12021-2027") == q.periods("v1.2021-2027") == []
    assert [p.value for p in q.periods("(2021-2027)")] == [(2021, 2027)]


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("28th February 2018", "2018-02-28"),
        ("On April 2nd, 2020", "2020-04-02"),
        ("le 19 mars 2021", "2021-03-19"),
        ("op 5 mei 2022", "2022-05-05"),
        ("am 16. März 2022", "2022-03-16"),
        ("2018-02-28", "2018-02-28"),
    ],
)
def test_dates(text, iso):
    assert [d.value for d in q.dates(text)] == [iso]


def test_a_period_in_words_always_holds_the_precondition_searched_first():
    """periods() searches PERIOD_WORDS only where YEAR_THEN_TO_WORD is found."""
    texts = [
        "from January 2013 to July 2015",
        "de 2014 à 2020, DU 1er mars 2015 AU 2017",
        "zwischen 2014 und 2020; van 2010 tot 2012",
        "von März 2016\tbis 2018",
    ]
    matches = [(t, m) for t in texts for m in q.PERIOD_WORDS.finditer(t)]
    assert len(matches) == 6
    for text, m in matches:
        assert q.YEAR_THEN_TO_WORD.search(text, m.start(), m.end())
    assert [p.value for p in q.periods("between 2014 and 2020")] == [(2014, 2020)]
    assert q.periods("between 2014 or 2020") == []
