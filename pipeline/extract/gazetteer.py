"""A fast multi-pattern name matcher over text, on word boundaries.

Names are found with one Aho-Corasick automaton over a *same-length* folding of
the text (lower case, accents dropped, dashes as spaces, curly apostrophes
straight), so every match maps back to the original text by its offsets
alone. A match must start and end on word boundaries of the original text;
overlapping matches are resolved leftmost-longest. Each name carries a case
rule so that short or common-word names only match when written as proper
nouns.

Usage::

    gazetteer = Gazetteer([("Pas-de-Calais", dept), ("Nord", dept_nord, "strict")])
    for match in gazetteer.find(text):
        text[match.start : match.end], match.payloads
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from typing import Generic, Literal, TypeVar

import ahocorasick

from pipeline.extract.structure import disjoint

T = TypeVar("T")

# "any": case-insensitive. "proper": the first letter has the case it has in
# the name (all-capital names such as "UK" must match exactly). "strict":
# every word starts with the case it has in the name, and an all-capital text
# span only matches an all-capital name.
CaseRule = Literal["any", "proper", "strict"]

DASHES = "-‐‑‒–—―"
APOSTROPHES = "’‘`´ʼ"
# A hyphen between two letters joins words ("Nord-Est", "France-Wallonie"):
# a name does not match half of such a compound.
JOINING_HYPHENS = "-‐‑"


def fold_char(ch: str) -> str:
    """One character -> one character: lower case, no accent, plain punctuation."""
    if ch in DASHES:
        return " "
    if ch in APOSTROPHES:
        return "'"
    low = ch.lower()
    if len(low) != 1:
        low = unicodedata.normalize("NFD", ch)[0].lower()
    base = unicodedata.normalize("NFD", low)[0]
    return base if base.isalnum() or base in " '" else low


class _FoldTable(dict[int, str]):
    """Code point -> ``fold_char`` of it, computed the first time it is seen."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


FOLD_TABLE = _FoldTable()


NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> str:
    """Same-length folding used on both names and text; offsets are preserved.

    ``fold_char`` of a character equals ``fold_char`` of its lower case, and of
    ASCII that is the lower case but for '-' and '`': so a page is lower-cased
    whole and only its few distinct non-ASCII letters replaced, twice as fast
    as translating every character (but for a word or two, where it is slower)."""
    if len(text) < 100:
        return text.translate(FOLD_TABLE)
    low = text.lower()
    if len(low) != len(text):  # a letter lower-cases to two ('İ')
        return text.translate(FOLD_TABLE)
    low = low.replace("-", " ").replace("`", "'")
    if not low.isascii():
        for char in sorted(set("".join(NON_ASCII.findall(low)))):
            # a folded character folds to itself: the order of replacement does not matter
            low = low.replace(char, FOLD_TABLE[ord(char)])
    return low


@dataclass(frozen=True)
class GazetteerMatch(Generic[T]):
    start: int
    end: int
    payloads: tuple[T, ...]


@dataclass(frozen=True)
class _Name(Generic[T]):
    surface: str
    rule: CaseRule
    payload: T


def _word_starts(text: str) -> list[int]:
    return [
        i for i, ch in enumerate(text) if ch.isalpha() and (i == 0 or not text[i - 1].isalnum())
    ]


@dataclass(frozen=True)
class _Capitals:
    """What ``case_ok`` asks of a name, worked out once per name, not once per match."""

    all_caps: bool
    # index of the first letter when it is a capital ("proper")
    first_capital: int | None
    # capitalised word starts ("strict")
    word_capitals: tuple[int, ...]


@cache
def _capitals(name: str) -> _Capitals:
    letters = [c for c in name if c.isalpha()]
    first = next((i for i, c in enumerate(name) if c.isalpha()), None)
    return _Capitals(
        len(letters) > 1 and all(c.isupper() for c in letters),
        first if first is not None and name[first].isupper() else None,
        tuple(i for i in _word_starts(name) if name[i].isupper()),
    )


def case_ok(name: str, span: str, rule: CaseRule) -> bool:
    """Whether the text span is written with the capitals the rule asks of the name."""
    if rule == "any":
        return True
    capitals = _capitals(name)
    if capitals.all_caps:
        return span == name or (fold(span) == fold(name) and span.upper() == span)
    if rule == "proper":
        return capitals.first_capital is None or span[capitals.first_capital].isupper()
    span_letters = [c for c in span if c.isalpha()]
    if len(span_letters) > 1 and all(c.isupper() for c in span_letters):
        return False
    return all(span[i].isupper() for i in capitals.word_capitals)


class Gazetteer(Generic[T]):
    """Finds registered names in text; see the module docstring.

    ``entries`` are ``(name, payload)`` or ``(name, payload, case_rule)``;
    the default rule is ``"proper"``. Several payloads may share a name (or
    names that fold alike); a match returns all of them whose case rule
    accepts the text, in registration order.
    """

    def __init__(
        self,
        entries: Iterable[tuple[str, T] | tuple[str, T, CaseRule]],
        join_hyphenated: bool = True,
    ) -> None:
        self.join_hyphenated = join_hyphenated
        self._names: dict[str, list[_Name[T]]] = {}
        for entry in entries:
            name, payload = entry[0], entry[1]
            rule: CaseRule = entry[2] if len(entry) == 3 else "proper"
            name = " ".join(name.split())
            if not name:
                continue
            key = fold(name)
            found = self._names.setdefault(key, [])
            item = _Name(name, rule, payload)
            if item not in found:
                found.append(item)
        # the automaton gives each hit's length only: most hits are dropped on their
        # offsets, without reading any stored object
        self._automaton = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
        for key in self._names:
            self._automaton.add_word(key)
        if self._names:
            self._automaton.make_automaton()

    def lookup(self, name: str) -> tuple[T, ...]:
        """Payloads registered under a name (compared folded, case ignored)."""
        return tuple(
            dict.fromkeys(n.payload for n in self._names.get(fold(" ".join(name.split())), []))
        )

    def _boundary(self, text: str, start: int, end: int) -> bool:
        if start > 0 and text[start - 1].isalnum():
            return False
        if end < len(text) and text[end].isalnum():
            return False
        if self.join_hyphenated:
            if start > 1 and text[start - 1] in JOINING_HYPHENS and text[start - 2].isalnum():
                return False
            if end + 1 < len(text) and text[end] in JOINING_HYPHENS and text[end + 1].isalnum():
                return False
        return True

    def find(self, text: str) -> list[GazetteerMatch[T]]:
        """Non-overlapping matches, leftmost-longest, sorted by position."""
        if not self._names:
            return []
        folded = fold(text)
        found: list[GazetteerMatch[T]] = []
        for last, length in self._automaton.iter(folded):
            end = last + 1
            start = end - length
            # most hits are the inside of a word ('al' in 'regional'): tested first, inline
            if start > 0 and text[start - 1].isalnum():
                continue
            if not self._boundary(text, start, end):
                continue
            span = text[start:end]
            names = self._names[folded[start:end]]
            if len(names) == 1:  # most keys: nothing to deduplicate
                ok = case_ok(names[0].surface, span, names[0].rule)
                payloads: tuple[T, ...] = (names[0].payload,) if ok else ()
            else:
                payloads = tuple(
                    dict.fromkeys(n.payload for n in names if case_ok(n.surface, span, n.rule))
                )
            if payloads:
                found.append(GazetteerMatch(start, end, payloads))
        return disjoint(sorted(found, key=lambda m: (-(m.end - m.start), m.start)))
