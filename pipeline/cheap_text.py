"""Cheap answers that let parsing skip its two slow libraries when they would change nothing.

- ``stopword_language``: the language of a sample when its function words
  leave no doubt (English, French, Dutch or German, the languages of the
  pages), else None and lingua decides. Lingua costs 2-5 ms a page and loads
  its models in every process; on a clear page both say the same
  (tests/test_cheap_text.py compares them).
- ``needs_ftfy``: False only when ``ftfy.fix_text`` (as ``clean_text`` calls
  it) would return the text unchanged, so the call can be skipped. It is
  derived from what ftfy 6's fixers act on: HTML entities, characters its
  tables map, line breaks other than a plain newline, and text its mojibake
  heuristic flags; anything else is left to ftfy.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from ftfy import TextFixerConfig
from ftfy.badness import BADNESS_RE
from ftfy.chardata import CONTROL_CHARS, HTML_ENTITY_RE, LIGATURES, WIDTH_MAP

# Frequent function words of one language and none of the other three (so
# 'de', 'en', 'in', 'is', 'die', 'des', 'als', 'was' are left out).
STOPWORDS = {
    "en": "the and of to are with for this that these which from by be has have its their "
    "it or not on at as can should would",
    "fr": "le la les et est une du pour dans sur avec qui par au aux sont ce cette ou pas plus "
    "leur leurs été être à",
    "nl": "het een van voor met zijn wordt worden op te dat niet ook naar deze bij om aan heeft "
    "hebben kan door tot uit dit",
    "de": "der und das ist mit für den dem von zu sich nicht auf ein eine einer eines wird werden "
    "im auch sind bei oder über nach zum zur aus durch",
}
LANGUAGE_OF_WORD = {word: lang for lang, words in STOPWORDS.items() for word in words.split()}
WORD = re.compile(r"[^\W\d_]+")
# A verdict needs enough words, a large share of them function words of one
# language, that language far ahead of the next, and few list items: running
# text. Short, mixed or list-like samples go to lingua, which reads the names
# in a list too (an English page listing German districts is German to it).
MIN_WORDS = 40
MIN_SHARE = 0.15
MIN_LEAD = 5
MAX_LIST_LINES = 0.3


def stopword_language(sample: str) -> str | None:
    """'en' | 'fr' | 'nl' | 'de' when the sample's function words are clear, else None.

    ``sample`` is cleaned text (list items start with "• ").
    """
    lines = sample.count("\n") + 1
    if sample.startswith("• ") + sample.count("\n• ") > MAX_LIST_LINES * lines:
        return None
    words = WORD.findall(sample.lower())
    if len(words) < MIN_WORDS:
        return None
    found = Counter(map(LANGUAGE_OF_WORD.get, words))
    counts = {lang: found[lang] for lang in STOPWORDS}
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
    (best, hits), (_, runner_up) = ranked[0], ranked[1]
    if hits >= MIN_SHARE * len(words) and hits >= MIN_LEAD * max(runner_up, 1):
        return best
    return None


# Characters some ftfy fixer rewrites on its own (ligatures, full-width
# forms, control characters, C1 controls, surrogates, line and paragraph
# separators, carriage returns, terminal escapes).
_TRIGGERS = sorted(
    {*LIGATURES, *WIDTH_MAP, *CONTROL_CHARS, *range(0x80, 0xA0), *range(0xD800, 0xE000)}
    | {ord(c) for c in "\r\u2028\u2029\x1b"}
)
FTFY_TRIGGER = re.compile("[" + "".join(re.escape(chr(c)) for c in _TRIGGERS) + "]")
# BADNESS_RE has one anchored alternative ('^[ÃÂ] '): ftfy tests each line on
# its own, so a line start counts as a string start.
LINE_START_MOJIBAKE = re.compile(r"\n[ÃÂ] ")
MAX_SEGMENT = TextFixerConfig().max_decode_length
# Every match of BADNESS_RE holds a non-ASCII character and is at most this
# long (tests/test_cheap_text.py checks both), so it lies within BADNESS_WIDTH
# - 1 characters of a non-ASCII one: only those stretches are searched (with
# pos/endpos, so '^' still means the start of the text), a quarter of the time.
BADNESS_WIDTH = 7
# Non-ASCII characters whose search windows touch form one stretch, one search.
NON_ASCII_STRETCH = re.compile(
    rf"[^\x00-\x7f](?:[\x00-\x7f]{{0,{2 * (BADNESS_WIDTH - 1)}}}+[^\x00-\x7f])*"
)


def has_mojibake(text: str) -> bool:
    """``BADNESS_RE.search(text)``, searching only around non-ASCII characters."""
    reach = BADNESS_WIDTH - 1
    return any(
        BADNESS_RE.search(text, max(stretch.start() - reach, 0), stretch.end() + reach)
        for stretch in NON_ASCII_STRETCH.finditer(text)
    )


def needs_ftfy(text: str) -> bool:
    """Whether ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC") may change it."""
    if len(text) > MAX_SEGMENT:  # ftfy would cut lines at arbitrary places
        return True
    if FTFY_TRIGGER.search(text) or HTML_ENTITY_RE.search(text):
        return True
    if not unicodedata.is_normalized("NFC", text):
        return True
    return has_mojibake(text) or bool(LINE_START_MOJIBAKE.search(text))
