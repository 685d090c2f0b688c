"""The layout of a cleaned document: lines, list items, headings, sentences.

Extractors read structure, not wording: an objective's actions are the
numbered items under it, a project list is the list after a sentence about
projects, a programme owns what sits under its heading. ``parse`` turns the
cleaned text (see ``pipeline.documents.clean_text``: bullets are "• ", lines
trimmed) into lines with offsets and marks each one's kind and governing
heading. Pure and cached per text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import NamedTuple, Protocol, TypeVar

from pipeline.names import fold

# "• ", "- ", "– " bullets; "1.", "1)", "a)", "(b)" numbering, possibly after a bullet
BULLET = re.compile(r"• ")
DASH = re.compile(r"[-–—] (?=\S)")
NUMBER = re.compile(r"(?:• )?\(?(\d{1,2})[.)](?=\s+\S)\s+")
LETTER = re.compile(r"(?:• )?\(?([a-z])\)\s+(?=\S)")
NAME_DESCRIPTION = re.compile(r"^(?P<name>[^:]{1,80}?)(?:\s*:\s+|\s+[–—-]\s+)(?P<desc>\S.*)$")
# Both ways of ending a sentence start with a space: '(?=\s)' rules out the other
# positions at once, before the look-behind is tried (a third faster)
SENTENCE_END = re.compile(r"(?=\s)(?:(?<=[.!?…])\s+(?=[\"“«„(]?[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ])|\s*\n\s*)")
# Abbreviations whose full stop does not end a sentence ('96 Mio. Euro', 'ca. 40')
ABBREVIATION_BEFORE = re.compile(
    r"(?:^|[\s(])(?:Mio|Mrd|Md|Mln|Mld|bzw|ca|Nr|No|Dr|Prof|Mr|Mrs|Ms|Mme|Mlle|St|Ste|"
    r"Str|vs|approx|incl|excl|resp|etc|Tel|Tél|art|Art|Abs|ggf|vgl|z\.B|u\.a|e\.g|i\.e|"
    r"o\.a|m\.b\.t|bijv|resp|mio|mrd|mln)\.$"
)
HEADING_MAX_CHARS = 200
HEADING_MAX_WORDS = 30
# A line of running text, long enough not to be a title or a table cell
PARAGRAPH_CHARS = 60


@dataclass(frozen=True)
class Line:
    """One line of the text; ``body_start`` skips the list marker, if any."""

    index: int
    start: int
    end: int
    text: str
    kind: str  # blank | bullet | numbered | dash | text
    body_start: int
    number: int | None = None
    heading: bool = False
    # a heading told only by the paragraphs around it (pages from HTML), not by blank lines
    loose: bool = False

    @cached_property  # read by rule after rule, line by line: sliced once
    def body(self) -> str:
        return self.text[self.body_start - self.start :]

    @property
    def is_item(self) -> bool:
        return self.kind in ("bullet", "numbered", "dash")


@dataclass(frozen=True)
class Item:
    """A list item split as 'Name: description' when it is written so."""

    line: Line
    name_start: int
    name_end: int
    desc_start: int | None
    desc_end: int | None


@dataclass(frozen=True)
class Structure:
    text: str
    lines: tuple[Line, ...]
    # index of the heading line that governs each line (None before the first)
    governing: tuple[int | None, ...]
    sentences: tuple[tuple[int, int], ...]
    # offsets and indices for bisection: extractors ask these of every mention
    line_starts: tuple[int, ...]
    sentence_starts: tuple[int, ...]
    heading_indices: tuple[int, ...]

    def line_at(self, offset: int) -> Line:
        return self.lines[max(0, bisect_right(self.line_starts, offset) - 1)]

    def heading_of(self, offset: int) -> Line | None:
        """The nearest heading above the line holding ``offset`` (not itself)."""
        line = self.line_at(offset)
        index = self.governing[line.index]
        return self.lines[index] if index is not None else None

    def headings_above(self, offset: int) -> list[Line]:
        """Headings above ``offset``, nearest first."""
        line = self.line_at(offset)
        above = self.heading_indices[: bisect_left(self.heading_indices, line.index)]
        return [self.lines[i] for i in reversed(above)]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        k = bisect_right(self.sentence_starts, offset) - 1
        if k >= 0 and offset < self.sentences[k][1]:
            return self.sentences[k]
        return offset, offset

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        """The block of non-blank lines holding ``offset``."""
        line = self.line_at(offset)
        first = last = line.index
        while first > 0 and self.lines[first - 1].kind != "blank":
            first -= 1
        while last + 1 < len(self.lines) and self.lines[last + 1].kind != "blank":
            last += 1
        return self.lines[first].start, self.lines[last].end

    def items_after(self, line: Line) -> list[Line]:
        """The list directly after ``line`` (blank lines allowed before it)."""
        out: list[Line] = []
        i = line.index + 1
        while i < len(self.lines) and self.lines[i].kind == "blank" and not out:
            i += 1
        while i < len(self.lines) and self.lines[i].is_item:
            out.append(self.lines[i])
            i += 1
        return out

    def previous_text_line(self, line: Line) -> Line | None:
        """The nearest non-blank, non-item line above a list item."""
        for i in range(line.index - 1, -1, -1):
            if self.lines[i].kind == "text":
                return self.lines[i]
        return None

    def next_content_line(self, line: Line) -> Line | None:
        """The nearest non-blank line below ``line``."""
        for i in range(line.index + 1, len(self.lines)):
            if self.lines[i].kind != "blank":
                return self.lines[i]
        return None


def split_item(line: Line) -> Item:
    """A list item as name and description ('VALUE: what it does')."""
    body = line.body
    m = NAME_DESCRIPTION.match(body)
    if m and len(m.group("name").split()) <= 8 and not m.group("name").endswith((".", ",")):
        base = line.body_start
        return Item(
            line,
            base + m.start("name"),
            base + m.end("name"),
            base + m.start("desc"),
            base + m.end("desc"),
        )
    return Item(line, line.body_start, line.end, None, None)


def classify(index: int, start: int, text: str) -> Line:
    if not text:
        return Line(index, start, start, text, "blank", start)
    m = NUMBER.match(text)
    if m:
        return Line(
            index, start, start + len(text), text, "numbered", start + m.end(), int(m.group(1))
        )
    m = LETTER.match(text)
    if m:
        return Line(
            index,
            start,
            start + len(text),
            text,
            "numbered",
            start + m.end(),
            ord(m.group(1)) - ord("a") + 1,
        )
    if BULLET.match(text):
        return Line(index, start, start + len(text), text, "bullet", start + 2)
    if DASH.match(text):
        return Line(index, start, start + len(text), text, "dash", start + 2)
    return Line(index, start, start + len(text), text, "text", start)


def looks_like_heading(line: Line, before: Line | None, after: Line | None) -> str | None:
    """'strict' for a short title-like line standing alone or announcing a list,
    'loose' for one standing between two paragraphs without blank lines."""
    body = line.body.strip()
    if line.kind != "text" or not body or len(body) > HEADING_MAX_CHARS:
        return None
    if len(body.split()) > HEADING_MAX_WORDS or body[-1] in ".,;:":
        return None
    if not (body[0].isupper() or body[0].isdigit() or body[0] in "\"“«'"):
        return None
    alone_before = before is None or before.kind == "blank" or before.heading
    alone_after = after is None or after.kind == "blank" or after.is_item
    if alone_before and alone_after:
        return "strict"
    # pages converted from HTML have no blank lines: a title line between the end
    # of one paragraph or list and the start of the next paragraph
    closed_before = alone_before or before is None or before.is_item or ends_sentence(before)
    opens_after = alone_after or (
        after is not None and len(after.body) >= PARAGRAPH_CHARS and ends_sentence(after)
    )
    return "loose" if closed_before and opens_after else None


def opens_table(lines: list[Line], index: int) -> bool:
    """Whether the lines after ``index`` are short cells, a table cleaned to one cell a line."""
    cells = lines[index + 1 : index + 4]
    return len(cells) == 3 and all(
        c.kind == "text" and 0 < len(c.body.split()) <= 4 and not ends_sentence(c) for c in cells
    )


def ends_sentence(line: Line) -> bool:
    return line.kind == "text" and line.body.rstrip()[-1:] in ".!?:…"


@lru_cache(maxsize=64)
def parse(text: str) -> Structure:
    lines: list[Line] = []
    offset = 0
    for i, raw in enumerate(text.split("\n")):
        lines.append(classify(i, offset, raw))
        offset += len(raw) + 1
    marked: list[Line] = []
    for i, line in enumerate(lines):
        before = marked[i - 1] if i else None
        after = lines[i + 1] if i + 1 < len(lines) else None
        kind = looks_like_heading(line, before, after)
        if kind is None and before is not None and ends_sentence(before) and opens_table(lines, i):
            kind = looks_like_heading(line, None, None)
            kind = kind and "loose"
        if kind is not None:
            line = Line(
                line.index,
                line.start,
                line.end,
                line.text,
                line.kind,
                line.body_start,
                line.number,
                True,
                kind == "loose",
            )
        marked.append(line)
    governing: list[int | None] = []
    current: int | None = None
    for line in marked:
        governing.append(current)
        if line.heading:
            current = line.index
    sentences = tuple(split_sentences(text))
    return Structure(
        text,
        tuple(marked),
        tuple(governing),
        sentences,
        tuple(line.start for line in marked),
        tuple(start for start, _ in sentences),
        tuple(line.index for line in marked if line.heading),
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans; a line break always ends a sentence."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_END.finditer(text):
        if "\n" not in m.group() and ABBREVIATION_BEFORE.search(
            text, max(0, m.start() - 8), m.start()
        ):
            continue
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


# ------------------------------------------------------------ words and names


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string."""
    return frozenset(words.split())


def folded_words(words: str) -> frozenset[str]:
    """Like ``word_set``, accents and case folded."""
    return frozenset(fold(w) for w in words.split())


TOKEN = re.compile(r"[^\W_](?:[\w'’&+./-]*[^\W_]|)[+]?")
# Lower-case words that may sit inside a proper name between capitalised words
NAME_CONNECTORS = word_set(
    "of for and & the de du des d' la le les l' et van voor en het der die das für und von "
    "zur zum y del della di"
)
CONJUNCTIONS = word_set("and & et en und")
SENTENCE_STARTERS = word_set(
    "The A An This These That Those Our Its Their His Her In On At By For From With As "
    "Since When While After Before During Under Over Through Le La Les Un Une Ce Cette Ces "
    "Notre Nos Dans Sur Pour Par Avec De Du Des Het De Een Dit Deze Onze In Op Voor Met Der "
    "Die Das Ein Eine Dieser Diese Unser Unsere Im Am Mit Für Von Bei Zum Zur"
)


class Token(NamedTuple):
    """A word and its span; a named tuple, built three times faster than a frozen
    dataclass (every page has hundreds)."""

    start: int
    end: int
    text: str

    @property
    def capitalised(self) -> bool:
        return self.text[0].isupper() or self.text[0].isdigit()


@lru_cache(maxsize=64)
def tokens(text: str) -> tuple[Token, ...]:
    """The words of the text; a word ends with a letter, a digit or '+' (see TOKEN),
    so the dot of 'e.V.' is not part of it."""
    return tuple([Token(m.start(), m.end(), m.group()) for m in TOKEN.finditer(text)])


def token_index_at(toks: tuple[Token, ...], offset: int) -> int:
    """Index of the first token starting at or after ``offset``."""
    return bisect_left(toks, offset, key=token_start)


def token_start(token: Token) -> int:
    return token.start


# ------------------------------------------------------------ overlapping spans


class Span(Protocol):
    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...


class Ranked(Span, Protocol):
    @property
    def priority(self) -> int: ...

    @property
    def rule(self) -> str: ...


SpanT = TypeVar("SpanT", bound=Span)
RankedT = TypeVar("RankedT", bound=Ranked)


def disjoint(preferred: Iterable[SpanT]) -> list[SpanT]:
    """Of spans in order of preference, each that overlaps none kept before it,
    in text order."""
    kept: list[SpanT] = []
    starts: list[int] = []
    for span in preferred:
        # the kept spans are disjoint, so their ends rise with their starts: of those
        # starting before this one ends, only the last may reach past its start
        i = bisect_left(starts, span.end)
        if i == 0 or kept[i - 1].end <= span.start:
            kept.insert(i, span)
            starts.insert(i, span.start)
    return kept


def choose(candidates: Iterable[RankedT]) -> list[RankedT]:
    """Non-overlapping candidates: higher priority first, then longer, then earlier."""
    return disjoint(
        sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start, c.rule))
    )


def same_line(text: str, a: int, b: int) -> bool:
    return "\n" not in text[min(a, b) : max(a, b)]


def gap(text: str, left: Token, right: Token) -> str:
    return text[left.end : right.start]


def extend_left(text: str, toks: tuple[Token, ...], i: int, stop_at_starters: bool = True) -> int:
    """Index of the first token of the capitalised run ending at token ``i``.

    Connectors ('of', 'de', 'and'...) are crossed only between capitalised
    words; a sentence-initial 'The' or 'Le' is not part of a name.
    """
    first = i
    j = i - 1
    while j >= 0:
        between = gap(text, toks[j], toks[j + 1])
        if between not in (" ", "-", "–", " - ", " – ", "'", "’") or not same_line(
            text, toks[j].start, toks[first].end
        ):
            break
        tok = toks[j]
        if tok.capitalised:
            if stop_at_starters and tok.text in SENTENCE_STARTERS:
                break
            first = j
            j -= 1
            continue
        if (
            tok.text.lower() in NAME_CONNECTORS
            and j > 0
            and toks[j - 1].capitalised
            and (gap(text, toks[j - 1], tok) == " ")
            and toks[j - 1].text not in SENTENCE_STARTERS
        ):
            j -= 1
            continue
        break
    return first


def extend_right(text: str, toks: tuple[Token, ...], i: int, commas: bool = False) -> int:
    """Index of the last token of the capitalised run starting after token ``i``.

    With ``commas``, ', Word' continues the name ('for the Economy, Employment
    and Research').
    """
    last = i
    j = i + 1
    while j < len(toks):
        between = gap(text, toks[j - 1], toks[j])
        allowed = (" ", "-", "–", " - ", " – ", "'", "’") + ((", ",) if commas else ())
        if between not in allowed:
            break
        tok = toks[j]
        if tok.capitalised and tok.text not in SENTENCE_STARTERS - {"The"}:
            last = j
            j += 1
            continue
        if (
            tok.text.lower() in CONJUNCTIONS
            and j + 1 < len(toks)
            and (toks[j + 1].text.lower() in NAME_CONNECTORS)
        ):
            break  # 'Ministerie X und von der Provinz Y' names two bodies
        if tok.text.lower() in NAME_CONNECTORS and between == " ":
            k = j + 1
            while (
                k < len(toks)
                and toks[k].text.lower() in NAME_CONNECTORS
                and (gap(text, toks[k - 1], toks[k]) in (" ", "'", "’"))
            ):
                k += 1
            if (
                k < len(toks)
                and toks[k].capitalised
                and gap(text, toks[k - 1], toks[k]) in (" ", "'", "’")
            ):
                j = k
                continue
        break
    return last


# ------------------------------------------------------------ case-insensitive search


class FoldedPattern:
    """A case-insensitive pattern, searched several times faster.

    Python's regex engine tries a case-insensitive alternation of words at every
    position of the text, letter by letter through Unicode case tables. A
    case-sensitive, lower-cased copy of the pattern runs on the lower-cased
    text to find where the pattern may match, and the pattern itself decides
    there: the copy accepts whatever the pattern accepts (``lowered_source``),
    so every result is the pattern's own.
    """

    def __init__(self, pattern: re.Pattern[str]) -> None:
        if not pattern.flags & re.IGNORECASE:
            raise ValueError("only a case-insensitive pattern gains from folding")
        self.pattern = pattern
        self.lowered = re.compile(lowered_source(pattern.pattern), pattern.flags & ~re.IGNORECASE)

    def search(self, text: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        """``pattern.search(text, start, end)``."""
        end = len(text) if end is None else end
        low = lowered_text(text)
        if low is None:
            return self.pattern.search(text, start, end)
        while (hit := self.lowered.search(low, start, end)) is not None:
            found = self.pattern.match(text, hit.start(), end)
            if found is not None:
                return found
            start = hit.start() + 1
        return None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        """``pattern.finditer(text)``, for a pattern that never matches the empty string."""
        pos = 0
        while (found := self.search(text, pos)) is not None:
            if found.end() == found.start():
                raise ValueError(f"{self.pattern.pattern!r} matched the empty string")
            yield found
            pos = found.end()


# The regex engine's case-insensitive matching takes these letters for 'i' and 's'
# though they lower-case to themselves.
ENGINE_FOLDS = str.maketrans({"ı": "i", "ſ": "s"})


@lru_cache(maxsize=256)
def lowered_text(text: str) -> str | None:
    """The text lower-cased letter for letter, as the regex engine compares letters;
    None when a letter lower-cases to two ('İ') and offsets would move."""
    low = text.lower()
    if len(low) != len(text):
        return None
    return low.translate(ENGINE_FOLDS) if "ı" in low or "ſ" in low else low


# Escapes that mean the same on lower-cased text (their classes do not depend on case)
CASELESS_ESCAPES = frozenset("bBdDsSwWnrtfv")
GROUP_OPENERS = ("(?:", "(?P<", "(?P=", "(?=", "(?!", "(?<=", "(?<!")


def lowered_source(source: str) -> str:
    """A case-insensitive pattern's source rewritten to match the lower-cased text
    wherever the pattern matches the text: letters lower-cased, and a class that
    holds capitals ('[A-Z]', '[A-ZÉ]') given their lower-case letters as well.

    Refuses (ValueError) what it cannot rewrite safely: letters outside Latin-1,
    escapes that name characters, inline flags but a leading '(?i)', ranges
    across letter blocks, negated classes of letters, and a class of letters in
    a pattern with a negative look-around (there the copy must accept no more
    than the pattern).
    """
    out: list[str] = []
    i = len("(?i)") if source.startswith("(?i)") else 0
    letter_class = False
    while i < len(source):
        c = source[i]
        if c == "\\":
            escaped = source[i + 1]
            if escaped.isalnum() and escaped not in CASELESS_ESCAPES:
                raise ValueError(f"escape \\{escaped} in {source!r}")
            out.append(source[i : i + 2])
            i += 2
        elif c == "[":
            end, members = class_members(source, i)
            if any(m[0].isalpha() for m in members):
                if source.startswith("[^", i):  # more letters would accept less
                    raise ValueError(f"a negated class of letters in {source!r}")
                letter_class = True
            out.append(lowered_class(source[i:end], members))
            i = end
        elif c == "(" and source.startswith("(?", i):
            opener = next((g for g in GROUP_OPENERS if source.startswith(g, i)), None)
            if opener is None:
                raise ValueError(f"inline flags in {source!r}")
            if opener in ("(?P<", "(?P="):  # a group name is not matched against the text
                name_end = source.index(">" if opener == "(?P<" else ")", i)
                out.append(source[i : name_end + 1])
                i = name_end + 1
            else:
                out.append(opener)
                i += len(opener)
        else:
            out.append(lowered_letter(c, source))
            i += 1
    if letter_class and ("(?!" in source or "(?<!" in source):
        raise ValueError(f"a class of letters and a negative look-around in {source!r}")
    return "".join(out)


def lowered_letter(c: str, source: str) -> str:
    if not c.isalpha():
        return c
    if not ("a" <= c.lower() <= "z" or "\xc0" <= c <= "\xff"):
        raise ValueError(f"letter {c!r} outside Latin-1 in {source!r}")
    return c.lower()


def class_members(source: str, start: int) -> tuple[int, list[str]]:
    """End of the class '[...]' opening at ``start``, and its members: single
    characters, escapes ('\\w') and ranges ('A-Z')."""
    i = start + 1
    if source.startswith("^", i):
        i += 1
    members: list[str] = []
    first = True
    while source[i] != "]" or first:
        first = False
        member = source[i : i + 2] if source[i] == "\\" else source[i]
        i += len(member)
        if source[i] == "-" and source[i + 1] != "]":
            high = source[i + 1 : i + 3] if source[i + 1] == "\\" else source[i + 1]
            member = f"{member}-{high}"
            i += 1 + len(high)
        members.append(member)
    return i + 1, members


# Ranges of letters whose capitals lower-case, in order, onto a range of the next block
LETTER_BLOCKS = (("A", "Z"), ("a", "z"), ("\xc0", "\xde"), ("\xdf", "\xff"))


def lowered_class(written: str, members: list[str]) -> str:
    """The class with the lower-case letter of each capital it holds added."""
    extra = []
    for member in members:
        if len(member) == 3 and member[1] == "-" and (member[0] + member[2]).isalpha():
            low, high = member[0], member[2]
            if not any(block[0] <= low <= high <= block[1] for block in LETTER_BLOCKS):
                raise ValueError(f"letter range {member} in {written!r}")
            if low.isupper():
                extra.append(f"{low.lower()}-{high.lower()}")
        elif len(member) == 1 and member.isalpha():
            extra.append(lowered_letter(member, written))
        elif member.startswith("\\") and member[1].isalnum() and member[1] not in CASELESS_ESCAPES:
            raise ValueError(f"escape {member} in {written!r}")
    return written[:-1] + "".join(extra) + "]"
