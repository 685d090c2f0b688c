"""Step 4 of the flow: mentions from every document -> one record per real thing.

Mentions of the same type are merged when they share their strongest key
(a NUTS or ISO code, a reference programme), a normalised name, an acronym or
short name, or a name within a small edit distance. Two groups holding
different keys never merge. Each record gets a stable ID derived from its
key, and every value, name and link becomes a statement with the words it
came from.
"""

from __future__ import annotations

import bisect
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from pipeline.extract import EXTRACTOR_VERSION
from pipeline.extract.model import Mention, Ref
from pipeline.gc_pause import paused_gc
from pipeline.names import is_acronym, norm_name
from schemas.tables import ID_PREFIX

# Two names this similar (rapidfuzz ratio, 0-100) are spelling variants of
# one name ("Walloon Governement"/"Walloon Government"); below it, distinct
# names such as "Interreg Europe"/"Interreg Euregio" stay apart. The tests in
# tests/test_resolve.py pin both sides of the threshold.
FUZZY_MERGE_RATIO = 94.0
FUZZY_MIN_LENGTH = 12
# Types resolved first can be pointed at by the types after them.
RESOLUTION_ORDER = (
    "programme",
    "territory",
    "organisation",
    "project",
    "objective",
    "objective_action",
)
NAME_FIELDS = {"short_name", "acronym"}


@dataclass(frozen=True)
class DocMentions:
    doc_id: str
    language: str
    text: str
    mentions: list[Mention]


@dataclass(slots=True)  # a million of them at 10,000 pages: no per-object dict
class Statement:
    record_type: str
    record_id: str
    field: str
    value: str
    doc_id: str | None
    char_start: int | None
    char_end: int | None
    quote: str | None
    extractor: str

    def as_row(self) -> dict[str, object]:
        row: dict[str, object] = {name: getattr(self, name) for name in STATEMENT_FIELDS}
        row["statement_id"] = statement_id(self)
        return row


STATEMENT_FIELDS = tuple(f.name for f in fields(Statement))


def statement_columns(
    statements: list[Statement], known_ids: Sequence[str] = ()
) -> dict[str, list]:
    """The rows of ``as_row`` as columns, without a dict per statement.

    ``known_ids``: the ids of the first statements, computed before.
    """
    columns: dict[str, list] = {
        name: [getattr(s, name) for s in statements] for name in STATEMENT_FIELDS
    }
    ids = list(known_ids[: len(statements)])
    columns["statement_id"] = ids + [statement_id(s) for s in statements[len(ids) :]]
    return columns


@dataclass
class Resolution:
    statements: list[Statement] = field(default_factory=list)
    aliases: list[dict[str, object]] = field(default_factory=list)
    # statement_id of each statement, where ``resolve`` computed them already
    statement_ids: list[str] = field(default_factory=list)


def statement_id(s: Statement) -> str:
    raw = "\x1f".join(
        map(str, (s.record_id, s.field, s.value, s.doc_id, s.char_start, s.char_end, s.extractor))
    )
    return "stm-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


def make_id(record_type: str, key: str) -> str:
    """Stable ID: type prefix and a hash of the record's strongest key."""
    digest = hashlib.sha256(f"{record_type}|{key}".encode()).hexdigest()[:12]
    return f"{ID_PREFIX[record_type]}-{digest}"


# ------------------------------------------------------------ grouping


@dataclass
class Occurrence:
    """One mention in its document."""

    doc: DocMentions
    mention: Mention
    _by_field: dict[str, list[str]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def values(self, name: str) -> list[str]:
        if self._by_field is None:  # asked many times per mention: sorted by field once
            by_field: dict[str, list[str]] = defaultdict(list)
            for v in self.mention.values:
                by_field[v.field].append(str(v.value))
            self._by_field = dict(by_field)
        return list(self._by_field.get(name, ()))


# The same names come back on page after page: each distinct one is normalised once.
normalised_name = lru_cache(maxsize=1 << 18)(norm_name)


class Groups:
    """Union-find over occurrences that refuses to join two different keys."""

    def __init__(self, items: list[Occurrence]):
        self.parent = list(range(len(items)))
        self.keys: list[set[str]] = [{o.mention.key} if o.mention.key else set() for o in items]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.keys[ra] and self.keys[rb] and self.keys[ra] != self.keys[rb]:
            return
        low, high = sorted((ra, rb))
        self.parent[high] = low
        self.keys[low] |= self.keys[high]

    def members(self) -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(len(self.parent)):
            out[self.find(i)].append(i)
        return [out[k] for k in sorted(out)]


def name_keys(record_type: str, occ: Occurrence) -> set[str]:
    """The normalised names under which an occurrence may meet others."""
    m = occ.mention
    names = {m.name, m.quote, *occ.values("short_name"), *occ.values("acronym")}
    keys = {normalised_name(n) for n in names if n and n.strip()}
    if record_type == "programme":
        keys |= {k.removeprefix("interreg ").strip() for k in keys if k.startswith("interreg ")}
    if record_type == "territory":
        kind = next(iter(occ.values("type")), "")
        keys = {f"{k}|{kind}" for k in keys}
    return {k for k in keys if k}


def group(record_type: str, items: list[Occurrence]) -> list[list[Occurrence]]:
    groups = Groups(items)
    by_key: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for i, occ in enumerate(items):
        if occ.mention.key:
            if occ.mention.key in by_key:
                groups.union(by_key[occ.mention.key], i)
            else:
                by_key[occ.mention.key] = i
    for i, occ in enumerate(items):
        for name in sorted(name_keys(record_type, occ)):
            if name in by_name:
                groups.union(by_name[name], i)
            else:
                by_name[name] = i
    if record_type in ("organisation", "programme", "project"):
        long_names = sorted(n for n in by_name if len(n) >= FUZZY_MIN_LENGTH)
        for a_idx, b_idx in similar_pairs(long_names, FUZZY_MERGE_RATIO):
            a, b = long_names[a_idx], long_names[b_idx]
            if numbering(a) == numbering(b):
                groups.union(by_name[a], by_name[b])
    return [[items[i] for i in members] for members in groups.members()]


def similar_pairs(names: list[str], min_ratio: float) -> list[tuple[int, int]]:
    """Index pairs (i < j, in loop order) of names whose fuzz.ratio reaches min_ratio.

    The same pairs as comparing every two names, without the quadratic Python
    loop: rapidfuzz compares in C on all cores, and only names of compatible
    lengths (a ratio of r needs the longer at most (200 - r) / r times the
    shorter), by rows of bounded memory; each candidate is confirmed with
    fuzz.ratio itself.
    """
    by_length = sorted(range(len(names)), key=lambda i: (len(names[i]), i))
    lengths = [len(names[i]) for i in by_length]
    pairs: set[tuple[int, int]] = set()
    row_block = 512
    for start in range(0, len(by_length), row_block):
        rows = by_length[start : start + row_block]
        longest = (
            math.floor(
                lengths[min(start + row_block, len(lengths)) - 1] * (200 - min_ratio) / min_ratio
            )
            + 1
        )
        stop = bisect.bisect_right(lengths, longest)
        cols = by_length[start:stop]
        scores = process.cdist(
            [names[i] for i in rows],
            [names[j] for j in cols],
            scorer=fuzz.ratio,
            score_cutoff=min_ratio - 1,
            dtype=np.float32,
            workers=-1,
        )
        for r, c in zip(*np.nonzero(scores), strict=True):
            a, b = sorted((rows[r], cols[c]))
            if a != b and fuzz.ratio(names[a], names[b]) >= min_ratio:
                pairs.add((a, b))
    return sorted(pairs)


ROMAN = re.compile(r"^(?=[ivxlc]+$)c{0,3}(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})$")


def numbering(name: str) -> set[str]:
    """Numbers and roman numerals of a name: "Interreg V A" and "Interreg VI A"
    are different programmes however alike the rest of their names."""
    return {t for t in name.split() if t.isdigit() or ROMAN.match(t)}


# ------------------------------------------------------------ naming


def preferred_name(names: Iterable[str], acronyms: set[str]) -> str:
    """The published name: a full name over an acronym, then the most
    frequent, then the longest, then the first alphabetically."""
    counts = Counter(names)
    return min(
        counts,
        key=lambda n: (n in acronyms or is_acronym(n), -counts[n], -len(n), n),
    )


def record_key(record_type: str, members: list[Occurrence], name: str) -> str:
    keys = sorted({o.mention.key for o in members if o.mention.key})
    if keys:
        return keys[0]
    if record_type == "territory":
        kinds = sorted({v for o in members for v in o.values("type")})
        return f"name:{normalised_name(name)}|{kinds[0] if kinds else ''}"
    return f"name:{normalised_name(name)}"


# ------------------------------------------------------------ statements


def rule_tag(rule: str) -> str:
    return f"{rule}@{EXTRACTOR_VERSION}"


@paused_gc()
def resolve(documents: list[DocMentions]) -> Resolution:
    """All documents' mentions -> statements and aliases of resolved records."""
    out = Resolution()
    entity_of: dict[tuple[str, Ref], str] = {}  # (doc_id, mention ref) -> record id
    by_type: dict[str, list[Occurrence]] = defaultdict(list)
    for doc in sorted(documents, key=lambda d: d.doc_id):
        for m in doc.mentions:
            by_type[m.record_type].append(Occurrence(doc, m))

    for record_type in RESOLUTION_ORDER:
        items = by_type.get(record_type, [])
        if record_type == "objective":
            clusters = group_by_parent(items, entity_of, "programme_id", objective_key)
        elif record_type == "objective_action":
            clusters = group_by_parent(items, entity_of, "objective_id", action_key)
        else:
            clusters = [(None, c) for c in group(record_type, items)]
        for parent_key, members in clusters:
            emit_record(out, record_type, members, parent_key, entity_of)
    # The same value read twice from the same words by the same rule is one
    # statement: the first one stands.
    seen: set[str] = set()
    unique: list[Statement] = []
    for s in out.statements:
        sid = statement_id(s)
        if sid not in seen:
            seen.add(sid)
            unique.append(s)
            out.statement_ids.append(sid)
    out.statements = unique
    return out


def objective_key(occ: Occurrence) -> str:
    code = next(iter(occ.values("code")), None)
    return f"code:{code}" if code else f"title:{normalised_name(occ.mention.name)}"


def action_key(occ: Occurrence) -> str:
    return f"position:{next(iter(occ.values('position')), occ.mention.start)}"


def group_by_parent(
    items: list[Occurrence],
    entity_of: dict[tuple[str, Ref], str],
    link_field: str,
    own_key: Callable[[Occurrence], str],
) -> list[tuple[str | None, list[Occurrence]]]:
    """Objectives are one per (programme, code or title); actions one per
    (objective, position)."""
    clusters: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in items:
        parent = next(
            (
                entity_of.get((occ.doc.doc_id, link.target))
                for link in occ.mention.links
                if link.field == link_field
            ),
            None,
        )
        clusters[f"{parent}|{own_key(occ)}"].append(occ)
    return [(key, clusters[key]) for key in sorted(clusters)]


def emit_record(
    out: Resolution,
    record_type: str,
    members: list[Occurrence],
    parent_key: str | None,
    entity_of: dict[tuple[str, Ref], str],
) -> None:
    acronyms = {v for o in members for f in NAME_FIELDS for v in o.values(f)}
    name = preferred_name((o.mention.name for o in members), acronyms)
    key = parent_key or record_key(record_type, members, name)
    rid = make_id(record_type, key)
    for o in members:
        entity_of[(o.doc.doc_id, o.mention.ref)] = rid

    alias_seen: set[str] = set()
    for o in members:
        m, doc = o.mention, o.doc
        out.statements.append(
            Statement(
                record_type,
                rid,
                "name",
                m.name,
                doc.doc_id,
                m.start,
                m.end,
                m.quote,
                rule_tag(m.rule),
            )
        )
        for v in m.values:
            out.statements.append(
                Statement(
                    record_type,
                    rid,
                    v.field,
                    str(v.value),
                    doc.doc_id,
                    v.start,
                    v.end,
                    doc.text[v.start : v.end],
                    rule_tag(v.rule),
                )
            )
        for link in m.links:
            target = entity_of.get((doc.doc_id, link.target))
            if target is None:
                continue
            out.statements.append(
                Statement(
                    record_type,
                    rid,
                    link.field,
                    target,
                    doc.doc_id,
                    link.target.start,
                    link.target.end,
                    doc.text[link.target.start : link.target.end],
                    rule_tag(m.rule),
                )
            )
        for alias, kind in alias_candidates(o, name):
            if alias not in alias_seen:
                alias_seen.add(alias)
                language = doc.language if doc.language != "und" else None
                out.aliases.append(
                    {"record_id": rid, "name": alias, "language": language, "kind": kind}
                )


def alias_candidates(occ: Occurrence, canonical: str) -> list[tuple[str, str]]:
    m = occ.mention
    found = [(canonical, "official")]
    for short in [*occ.values("short_name"), *occ.values("acronym")]:
        found.append((short, "acronym"))
    for surface in (m.name, m.quote):
        if surface == canonical:
            continue
        if is_acronym(surface):
            kind = "acronym"
        elif m.canonical and normalised_name(surface) != normalised_name(m.canonical):
            kind = "translation"
        else:
            kind = "variant"
        found.append((surface, kind))
    return found
