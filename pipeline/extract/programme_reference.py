"""Reference programmes, funds and objectives, and how texts write them.

Loads pipeline/reference/ (see its README for sources): Interreg programmes
2021-2027 and 2014-2020 with their short names and name variants, EU funds
and programmes in four languages, and the 2021-2027 policy and specific
objectives. Finds their names in a text with word boundaries, tolerant of the
dash and spacing variants programmes use ('France – Wallonie – Vlaanderen'),
and normalises the objective codes pages write ('SO 1.1', 'ISO1(b)', 'OS 2.4').
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from pipeline.extract.structure import disjoint
from pipeline.names import fold
from pipeline.reference_files import read_reference

DASHES = "-–—‐‑/"
SEPARATOR = re.compile(rf"\s*[{DASHES}]\s*|\s+")


@dataclass(frozen=True)
class ProgrammeRef:
    key: str
    name: str
    short_name: str | None
    kind: str  # interreg | fund | programme | initiative | strategy
    strand: str | None
    aliases: tuple[str, ...]

    @property
    def fund(self) -> str | None:
        return self.short_name if self.kind == "fund" else None


@dataclass(frozen=True)
class ObjectiveRef:
    code: str
    policy_objective: str
    title: str


@cache
def programmes() -> tuple[ProgrammeRef, ...]:
    out: list[ProgrammeRef] = []
    for file in ("interreg_programmes_2021_2027.csv", "interreg_programmes_2014_2020.csv"):
        for row in read_reference(file):
            aliases = (*split_aliases(row["aliases"]), row["name"])
            out.append(
                ProgrammeRef(
                    row["key"],
                    row["name"],
                    row["short_name"] or None,
                    "interreg",
                    row["strand"] or None,
                    aliases,
                )
            )
    for row in read_reference("eu_funds_and_programmes.csv"):
        aliases = (*split_aliases(row["aliases"]), row["name"])
        out.append(
            ProgrammeRef(
                row["key"], row["name"], row["acronym"] or None, row["kind"], None, aliases
            )
        )
    return tuple(out)


@cache
def predecessor_keys() -> frozenset[str]:
    """Keys of the 2014-2020 programmes that did not continue under their name."""
    return frozenset(row["key"] for row in read_reference("interreg_programmes_2014_2020.csv"))


def split_aliases(raw: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in raw.split("|") if a.strip())


def name_form(text: str) -> str:
    """How two writings of one name compare: folded, dashes and spaces alike."""
    return SEPARATOR.sub(" ", fold(text).replace("’", "'")).strip(" .")


def is_acronym_alias(alias: str) -> bool:
    letters = [c for c in alias if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and " " not in alias.strip()


def alias_regex(alias: str) -> str:
    parts = [re.escape(p) for p in SEPARATOR.split(alias.strip()) if p]
    return r"(?:\s*[-–—‐‑/]\s*|\s+)".join(parts)


def any_alias_regex(aliases: list[str]) -> str:
    """The aliases as one alternation, tried in order, on word boundaries.

    The boundaries sit once around the group, not inside each alternative:
    the same matches (the engine backtracks into the group when the lookahead
    fails), but the lookbehind is tested once per position, not once per alias.
    """
    return rf"(?<![\w+])(?:{'|'.join(alias_regex(a) for a in aliases)})(?![\w+])"


# Characters of an alias's first word that pick, at a word of the text, the
# aliases worth trying there
SCAN_KEY_CHARS = 3


class AliasScanner:
    """Finds what ``any_alias_regex(aliases)`` finds, at a fraction of the cost.

    That alternation tries every alias at every word of a page (about 300
    aliases, 1.5 ms a page). The scanner tries, at each word, only the aliases
    whose first characters match the word's (compared with the pattern's own
    flags, so case folding is the regex engine's), in their order and with the
    same boundaries, and resumes after each match as ``finditer`` does: the
    aliases it skips could not have matched there, so the matches are the same.
    """

    def __init__(self, aliases: list[str], flags: int = 0) -> None:
        self.aliases = aliases
        self.flags = flags
        heads = [first_word(a)[:SCAN_KEY_CHARS] for a in aliases]
        self.prefixes = [re.compile(re.escape(h), flags) for h in heads]
        self.first_letters = [re.compile(re.escape(h[0]), flags) for h in heads]
        # where some alias's first characters match (a few words a page)
        self.starts = re.compile(rf"(?<![\w+])(?={grouped_alternation(heads)})", flags)
        self.by_first: dict[str, tuple[int, ...]] = {}
        self.by_key: dict[str, re.Pattern[str] | None] = {}
        self.by_members: dict[tuple[int, ...], re.Pattern[str]] = {}
        for head in dict.fromkeys(heads):  # compiled now, not while the first pages are read
            self.pattern_for(head)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        resume = 0
        for start in self.starts.finditer(text):
            at = start.start()
            if at < resume:
                continue
            key = text[at : at + SCAN_KEY_CHARS]
            pattern = self.by_key[key] if key in self.by_key else self.pattern_for(key)
            found = pattern.match(text, at) if pattern is not None else None
            if found is not None:
                resume = found.end()
                yield found

    def pattern_for(self, key: str) -> re.Pattern[str] | None:
        """The alternation of the aliases whose first characters match ``key``."""
        first = key[0]
        if first not in self.by_first:
            self.by_first[first] = tuple(
                i for i, letter in enumerate(self.first_letters) if letter.match(first)
            )
        members = tuple(i for i in self.by_first[first] if self.prefixes[i].match(key))
        pattern = None
        if members:
            if members not in self.by_members:
                chosen = [self.aliases[i] for i in members]
                self.by_members[members] = re.compile(any_alias_regex(chosen), self.flags)
            pattern = self.by_members[members]
        self.by_key[key] = pattern
        return pattern


def grouped_alternation(literals: list[str]) -> str:
    """The literals as one alternation, grouped by first character ('A(?:lp|tl)|B(?:or)'):
    the same strings, but the regex engine tries each first character once."""
    rests: dict[str, list[str]] = {}
    for literal in sorted(set(literals)):
        rests.setdefault(literal[0], []).append(re.escape(literal[1:]))
    return "|".join(f"{re.escape(first)}(?:{'|'.join(r)})" for first, r in rests.items())


def first_word(alias: str) -> str:
    """The part of an alias before its first separator: matched literally."""
    return next(p for p in SEPARATOR.split(alias.strip()) if p)


@cache
def alias_index() -> tuple[AliasScanner, AliasScanner, dict[str, ProgrammeRef]]:
    """Two scanners (names: any case; acronyms: exact case) and form -> ref."""
    by_form: dict[str, ProgrammeRef] = {}
    names: list[str] = []
    acronyms: list[str] = []
    for ref in programmes():
        for alias in ref.aliases:
            form = name_form(alias)
            if form in by_form and by_form[form].key != ref.key:
                continue  # ambiguous writings stay with the first row that claims them
            by_form[form] = ref
            (acronyms if is_acronym_alias(alias) else names).append(alias)
    order = sorted(set(names), key=lambda a: (-len(a), a))
    order_acr = sorted(set(acronyms), key=lambda a: (-len(a), a))
    return AliasScanner(order, re.IGNORECASE), AliasScanner(order_acr), by_form


@cache
def alias_words() -> tuple[tuple[tuple[str, ...], ProgrammeRef], ...]:
    """The words of every alias form, with its row, in the order of the forms."""
    _, _, by_form = alias_index()
    return tuple((tuple(form.split()), ref) for form, ref in sorted(by_form.items()))


@dataclass(frozen=True)
class RefMatch:
    start: int
    end: int
    ref: ProgrammeRef
    acronym_only: bool


def find_reference_names(text: str) -> list[RefMatch]:
    """Reference programme/fund names in ``text``; longest match wins."""
    names_re, acr_re, by_form = alias_index()
    found: list[RefMatch] = []
    for pattern, acronym in ((names_re, False), (acr_re, True)):
        for m in pattern.finditer(text):
            ref = by_form.get(name_form(m.group()))
            if ref is not None:
                found.append(RefMatch(m.start(), m.end(), ref, acronym))
    return disjoint(sorted(found, key=lambda r: (-(r.end - r.start), r.start)))


@lru_cache(maxsize=4096)  # pages repeat the same names; unknown ones scan every alias
def match_programme_name(name: str) -> ProgrammeRef | None:
    """The reference row a free-form programme name stands for, if any.

    Exact writings first, then truncations token by token, as in
    'Interreg Fr-Wall-Vlaanderen' for 'Interreg France-Wallonie-Vlaanderen'.
    """
    _, _, by_form = alias_index()
    form = name_form(name)
    if form in by_form:
        return by_form[form]
    tokens = form.split()
    if len(tokens) < 2:
        return None
    candidates = []
    for alias_tokens, ref in alias_words():
        if len(alias_tokens) == len(tokens) and all(
            a.startswith(t) and (len(t) >= 2 or a == t)
            for t, a in zip(tokens, alias_tokens, strict=True)
        ):
            candidates.append(ref)
    keys = {ref.key for ref in candidates}
    return candidates[0] if len(keys) == 1 else None


# ------------------------------------------------------------ objectives


@cache
def specific_objectives() -> dict[str, ObjectiveRef]:
    return {
        row["code"]: ObjectiveRef(row["code"], row["policy_objective"], row["title"])
        for row in read_reference("specific_objectives_2021_2027.csv")
    }


@cache
def policy_objectives() -> dict[str, str]:
    return {row["code"]: row["title"] for row in read_reference("policy_objectives_2021_2027.csv")}


# Specific objective prefixes: RSO/SO (EN), OS (FR objectif spécifique), SD (NL
# specifieke doelstelling), SZ (DE spezifisches Ziel); ISO for Interreg ones.
SPECIFIC_CODE = (
    r"(?P<prefix>RSO|ISO|SO|OS|SD|SZ)\s?(?P<po>\d{1,2})"
    r"(?:\s?[.,]\s?(?P<sub>\d{1,2})|\s?\(?(?P<letter>[a-h])\)?(?![\w]))"
)
POLICY_CODE = r"(?P<pprefix>PO|OP|BD|PZ)\s?(?P<pnum>[1-7])(?![\d.])"
CODE = re.compile(rf"\b(?:{SPECIFIC_CODE}|{POLICY_CODE})")


def normalise_objective_code(raw: str) -> tuple[str, str] | None:
    """A written objective code -> (release code, policy objective).

    'RSO 1.1', 'SO1.1', 'OS 1.1', 'SD 1.1' -> ('RSO1.1', 'PO1'); 'RSO 6.1' and
    'ISO1(a)' -> ('ISO6.1', 'ISO1'); 'ISO 7.2' -> ('ISO7.2', 'ISO2');
    'PO 2', 'OP2' -> ('PO2', 'PO2'). None when the code is not in the regulation.
    """
    raw = raw.strip().rstrip(".:")
    interreg_policy = re.fullmatch(r"ISO\s?([12])", raw)
    if interreg_policy:
        return f"ISO{interreg_policy.group(1)}", f"ISO{interreg_policy.group(1)}"
    m = CODE.fullmatch(raw)
    if not m:
        return None
    if m.group("pprefix"):
        code = f"PO{m.group('pnum')}"
        if code not in policy_objectives():
            return None
        return code, code
    po = int(m.group("po"))
    if m.group("letter"):
        # ISO1(a)-(f) and ISO2(a)-(d): the letter counts the specific objective
        index = ord(m.group("letter")) - ord("a") + 1
        if m.group("prefix") != "ISO" or po not in (1, 2):
            return None
        code = f"ISO{po + 5}.{index}"
    else:
        sub = int(m.group("sub"))
        code = f"RSO{po}.{sub}" if po <= 5 else f"ISO{po}.{sub}"
    ref = specific_objectives().get(code)
    return (code, ref.policy_objective) if ref else None


def compact_code(raw: str) -> str:
    """The code as the page writes it, without spaces: 'RSO 6.1' -> 'RSO6.1'."""
    return re.sub(r"\s+", "", raw).rstrip(".:").upper()
