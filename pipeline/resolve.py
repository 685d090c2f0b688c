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
import gc
import hashlib
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from rapidfuzz import fuzz, process

from pipeline.extract import EXTRACTOR_VERSION
from pipeline.extract.model import Mention
from pipeline.gc_pause import paused_gc
from pipeline.names import fold, is_acronym, norm_name
from schemas.derive import arrow_schema
from schemas.tables import ID_PREFIX, TABLES

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


@dataclass(frozen=True)
class DocMentions:
    doc_id: str
    language: str
    text: str
    mentions: list[Mention]


@dataclass(frozen=True, slots=True)
class Doc:
    """What resolution reads of a document besides its mentions."""

    doc_id: str
    language: str
    text: str


STATEMENTS_SCHEMA = arrow_schema("statements")
# The published order; it ends with the statement id (``StatementTable.table`` counts on it).
STATEMENTS_ORDER = TABLES["statements"].order


def statement_ids(
    record_ids: pa.Array,
    fields: pa.Array,
    values: pa.Array,
    doc_ids: pa.Array,
    char_starts: pa.Array,
    char_ends: pa.Array,
    extractors: pa.Array,
) -> pa.Array:
    """The statement id of every row of the columns: "stm-" and 16 hex digits of
    the sha256 of the seven values joined by U+001F (a missing value written
    "None"). Arrow writes and joins the texts in one pass; only the hashing is
    done row by row (a Python call per statement took 2 s for a million)."""
    parts = [
        pc.fill_null(column.cast(pa.string()), "None")
        for column in (record_ids, fields, values, doc_ids, char_starts, char_ends, extractors)
    ]
    raws = pc.binary_join_element_wise(*parts, "\x1f").cast(pa.binary()).to_pylist()
    sha256 = hashlib.sha256
    # The ids are written into one buffer of 20-byte rows, not made a Python string
    # each (that and their conversion were a sixth of the time).
    digits = b"".join([sha256(raw).digest()[:8] for raw in raws]).hex().encode()
    rows = np.hstack(
        [
            np.broadcast_to(np.frombuffer(b"stm-", np.uint8), (len(raws), 4)),
            np.frombuffer(digits, np.uint8).reshape(len(raws), 16),
        ]
    )
    offsets = np.arange(0, rows.size + 1, 20, dtype=np.int32)
    return pa.StringArray.from_buffers(len(raws), pa.py_buffer(offsets), pa.py_buffer(rows))


# A statement as added: the columns of the statements table after statement_id.
StatementRow = tuple[str, str, str, str, str | None, int | None, int | None, str | None, str]


class StatementTable:
    """Statements added row by row, kept as Arrow columns.

    At 10,000 pages there are over a million statements: as Python objects they
    took about 1 GB, so every ``CHUNK_ROWS`` rows the pending tuples are moved
    into Arrow arrays (about a fifth of that) and freed.
    """

    CHUNK_ROWS = 1 << 16

    def __init__(self) -> None:
        self._rows: list[StatementRow] = []
        self._chunks: list[list[pa.Array]] = [[] for _ in STATEMENTS_SCHEMA]

    def add(
        self,
        record_type: str,
        record_id: str,
        field: str,
        value: str,
        doc_id: str | None,
        char_start: int | None,
        char_end: int | None,
        quote: str | None,
        extractor: str,
    ) -> None:
        self.extend(
            [(record_type, record_id, field, value, doc_id, char_start, char_end, quote, extractor)]
        )

    def extend(self, rows: list[StatementRow]) -> None:
        """Adds rows of the arguments of ``add``, in order."""
        self._rows.extend(rows)
        if len(self._rows) >= self.CHUNK_ROWS:
            self._flush()

    def extend_columns(self, columns: Sequence[pa.Array]) -> None:
        """Adds rows given as Arrow columns (the arguments of ``add``, in order),
        after the rows added before them."""
        self._flush()
        for start in range(0, len(columns[0]), self.CHUNK_ROWS):
            self._append([column.slice(start, self.CHUNK_ROWS) for column in columns])

    def _flush(self) -> None:
        if not self._rows:
            return
        columns = [
            pa.array(values, type=f.type)
            for values, f in zip(
                zip(*self._rows, strict=True), list(STATEMENTS_SCHEMA)[1:], strict=True
            )
        ]
        self._rows = []
        self._append(columns)

    def _append(self, columns: list[pa.Array]) -> None:
        """Stores a chunk of rows with their statement ids (hashed a chunk at a time,
        so the joined texts and their bytes exist for one chunk only)."""
        record_ids, fields, values, doc_ids, starts, ends, _, extractors = columns[1:]
        ids = statement_ids(record_ids, fields, values, doc_ids, starts, ends, extractors)
        for chunks, column in zip(self._chunks, [ids, *columns], strict=True):
            chunks.append(column)

    def table(self) -> pa.Table:
        """The statements added, each statement id once (the same value read twice
        from the same words by the same rule is one statement, the first one),
        in the statements table's order (stable, nulls first, as
        ``schemas.derive.conform`` sorts). Empties the builder: its columns are
        reordered one at a time, each freed as its copy is made."""
        self._flush()
        columns = [
            pa.chunked_array(chunks, type=f.type)
            for chunks, f in zip(self._chunks, STATEMENTS_SCHEMA, strict=True)
        ]
        self._chunks = [[] for _ in STATEMENTS_SCHEMA]
        n_rows = len(columns[0])
        rows = pc.sort_indices(
            pa.table(columns, schema=STATEMENTS_SCHEMA).select(list(STATEMENTS_ORDER)),
            sort_keys=[(k, "ascending", "at_start") for k in STATEMENTS_ORDER],
        ).to_numpy()
        # Sorted last by id, and a repeated id repeats every column sorted before it:
        # the repeats follow their first (the sort is stable), no second sort needed.
        sorted_ids = columns[0].combine_chunks().take(rows)
        repeated = pc.equal(sorted_ids[1:], sorted_ids[:-1]).to_numpy(zero_copy_only=False)
        if repeated.any():
            rows = rows[np.concatenate(([True], ~repeated))]
        del sorted_ids
        if len(rows) < n_rows or (rows != np.arange(n_rows)).any():
            for i, column in enumerate(columns):
                # one array first: a take across chunks costs several times more
                columns[i] = column.combine_chunks().take(rows)
                del column
        return pa.table(columns, schema=STATEMENTS_SCHEMA)


@dataclass
class Resolution:
    # the statements, built into a table once all are added (``StatementTable.table``)
    statements: StatementTable = field(default_factory=StatementTable)
    aliases: list[dict[str, object]] = field(default_factory=list)
    # record id -> record type, of every record stated
    record_types: dict[str, str] = field(default_factory=dict)


def make_id(record_type: str, key: str) -> str:
    """Stable ID: type prefix and a hash of the record's strongest key."""
    digest = hashlib.sha256(f"{record_type}|{key}".encode()).hexdigest()[:12]
    return f"{ID_PREFIX[record_type]}-{digest}"


# ------------------------------------------------------------ grouping


# The columns of one type's mentions: a value's value is text (``str`` of it).
VALUE_TYPE = pa.struct(
    [
        pa.field("field", pa.string()),
        pa.field("value", pa.string()),
        pa.field("start", pa.int64()),
        pa.field("end", pa.int64()),
        pa.field("rule", pa.string()),
    ]
)
LINK_TYPE = pa.struct(
    [
        pa.field("field", pa.string()),
        pa.field(
            "target",
            pa.struct(
                [
                    pa.field("record_type", pa.string()),
                    pa.field("start", pa.int64()),
                    pa.field("end", pa.int64()),
                ]
            ),
        ),
    ]
)
# The stored mentions' columns resolution reads as they are (types from schemas/),
# then their values and links as lists of structs instead of JSON text.
STORED_MENTIONS = arrow_schema("mentions")
MENTION_SCHEMA = pa.schema(
    [
        *(
            pa.field(name, STORED_MENTIONS.field(name).type)
            for name in ("char_start", "char_end", "quote", "rule", "canonical", "key")
        ),
        pa.field("values", pa.list_(VALUE_TYPE)),
        pa.field("links", pa.list_(LINK_TYPE)),
    ]
)


@dataclass(frozen=True)
class TypeMentions:
    """The mentions of one record type in document order (doc_id, then position
    among the document's mentions): each one's document, and its columns
    (``MENTION_SCHEMA``). Their statements are built from the columns in Arrow
    (``type_statements``): at 10,000 pages, a Python tuple per statement and the
    Python values they were built from took half of resolution's time."""

    docs: list[Doc]
    table: pa.Table

    @classmethod
    def of(cls, found: Sequence[tuple[Doc, Mention]]) -> TypeMentions:
        mentions = [m for _, m in found]
        columns = {
            "char_start": [m.start for m in mentions],
            "char_end": [m.end for m in mentions],
            "quote": [m.quote for m in mentions],
            "rule": [m.rule for m in mentions],
            "canonical": [m.canonical for m in mentions],
            "key": [m.key for m in mentions],
            "values": [
                [
                    {
                        "field": v.field,
                        "value": str(v.value),
                        "start": v.start,
                        "end": v.end,
                        "rule": v.rule,
                    }
                    for v in m.values
                ]
                for m in mentions
            ],
            "links": [
                [{"field": link.field, "target": vars(link.target)} for link in m.links]
                for m in mentions
            ],
        }
        return cls([d for d, _ in found], pa.table(columns, schema=MENTION_SCHEMA))


def flattened(lists: pa.ChunkedArray) -> pa.Table:
    """The items of a column of lists of structs, one row each and in order, with
    the row of the list each is in (``mention``); nested fields as "target.start"."""
    combined = lists.combine_chunks()
    items = pa.Table.from_struct_array(pc.list_flatten(combined)).flatten()
    return items.append_column("mention", pc.list_parent_indices(combined))


# A value resolution reads to group and name records: (field, value as text).
NamingValue = tuple[str, str]
NAMING_FIELDS = ("short_name", "acronym", "type", "code", "position")
# A link of a mention: (field, and the target's record type, start and end).
LinkRow = tuple[str, str, int, int]


@dataclass(slots=True)
class Occurrence:
    """One mention in its document, as grouping and naming read it (its
    statements are built from its type's columns, not from these)."""

    index: int  # its row in its type's ``TypeMentions``
    doc: Doc
    start: int
    end: int
    quote: str
    canonical: str | None
    key: str | None
    values: list[NamingValue]  # of the ``NAMING_FIELDS`` only
    links: list[LinkRow]
    first_link: int  # the row of its first link among its type's links
    # the short names, then the acronyms, read several times per mention
    short_names: tuple[str, ...]
    name: str  # the canonical name, or else the quote

    def field_values(self, name: str) -> list[str]:
        return [v[1] for v in self.values if v[0] == name]


def short_names(values: list[NamingValue]) -> tuple[str, ...]:
    return tuple(
        [v for f, v in values if f == "short_name"] + [v for f, v in values if f == "acronym"]
    )


def occurrences(mentions: TypeMentions) -> list[Occurrence]:
    """The occurrences of one type's mentions, in their order."""
    table = mentions.table
    named: list[list[NamingValue]] = [[] for _ in range(table.num_rows)]
    values = flattened(table["values"])
    naming = values.filter(pc.is_in(values["field"], pa.array(NAMING_FIELDS)))
    for row, field_name, value in zip(
        *(naming[c].to_pylist() for c in ("mention", "field", "value")), strict=True
    ):
        named[row].append((field_name, value))
    del values, naming
    linked: list[list[LinkRow]] = [[] for _ in range(table.num_rows)]
    links = flattened(table["links"])
    link_columns = ("mention", "field", "target.record_type", "target.start", "target.end")
    for row, *link in zip(*(links[c].to_pylist() for c in link_columns), strict=True):
        linked[row].append((link[0], link[1], link[2], link[3]))
    link_counts = pc.list_value_length(table["links"]).to_numpy()
    first_links = (np.cumsum(link_counts) - link_counts).tolist()
    columns = ("char_start", "char_end", "quote", "canonical", "key")
    return [
        Occurrence(
            i,
            doc,
            start,
            end,
            quote,
            canonical,
            key,
            named[i],
            linked[i],
            first_link,
            short_names(named[i]) if named[i] else (),
            canonical or quote,
        )
        for i, (doc, start, end, quote, canonical, key, first_link) in enumerate(
            zip(
                mentions.docs,
                *(table[c].to_pylist() for c in columns),
                first_links,
                strict=True,
            )
        )
    ]


# The same names come back on page after page: each distinct one is normalised once.
normalised_name = lru_cache(maxsize=1 << 18)(norm_name)


def forget_names() -> None:
    """Drop the memoised names once resolution is done.

    Their few hundred thousand strings are spread over most of Python's arenas,
    which go back to the OS only when empty: at 10,000 pages clearing them
    gave back about 330 MB before the checks and the release.
    """
    normalised_name.cache_clear()
    fold.cache_clear()
    gc.collect()


class Groups:
    """Union-find over occurrences that refuses to join two different keys.

    Groups join only when at most one has a key or both have the same: a group
    has one key or none, and once it has one it keeps it.
    """

    def __init__(self, items: list[Occurrence]):
        self.parent = list(range(len(items)))
        self.key: list[str | None] = [o.key or None for o in items]

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        key_a, key_b = self.key[ra], self.key[rb]
        if key_a and key_b and key_a != key_b:
            return
        low, high = (ra, rb) if ra < rb else (rb, ra)
        self.parent[high] = low
        self.key[low] = key_a or key_b

    def members(self) -> list[list[int]]:
        """The groups, each in item order, in the order of their first items."""
        # A root is its group's first item (``union`` keeps the lower): pointer
        # jumping in numpy finds every item's root at once.
        root = np.array(self.parent, dtype=np.int64)
        if not len(root):
            return []
        while not np.array_equal(root[root], root):
            root = root[root]
        by_root = np.argsort(root, kind="stable")
        starts = np.flatnonzero(np.diff(root[by_root], prepend=-1))
        return [rows.tolist() for rows in np.split(by_root, starts[1:])]


def name_keys(record_type: str, occ: Occurrence) -> set[str]:
    """The normalised names under which an occurrence may meet others."""
    names = {occ.name, occ.quote, *occ.short_names}
    keys = {normalised_name(n) for n in names if n and n.strip()}
    if record_type == "programme":
        keys |= {k.removeprefix("interreg ").strip() for k in keys if k.startswith("interreg ")}
    if record_type == "territory":
        kind = next(iter(occ.field_values("type")), "")
        keys = {f"{k}|{kind}" for k in keys}
    return {k for k in keys if k}


def group(record_type: str, items: list[Occurrence]) -> list[list[Occurrence]]:
    groups = Groups(items)
    by_key: dict[str, int] = {}
    by_name: dict[str, int] = {}
    for i, occ in enumerate(items):
        if occ.key:
            # what union(first with the key, i) does here, where groups are still one
            # key's mentions each, rooted at the first
            groups.parent[i] = by_key.setdefault(occ.key, i)
    # The same names come back on page after page: the keys of each distinct set of
    # names are worked out once (at 10,000 pages, 270,000 mentions had ~1.4 s of keys).
    keys_of_names: dict[tuple, list[str]] = {}
    seen: set[tuple] = set()
    for i, occ in enumerate(items):
        kind = tuple(occ.field_values("type")[:1]) if record_type == "territory" else ()
        names = (occ.canonical, occ.quote, tuple(occ.short_names), kind)
        keys = keys_of_names.get(names)
        if keys is None:
            keys = keys_of_names[names] = sorted(name_keys(record_type, occ))
        if (occ.key, names) in seen:
            # The key and names of an earlier mention: its first name joins it to that
            # one's group, where every other union it could try was made or refused for
            # good (a group's key, once it has one, never changes). Most mentions are such.
            keys = keys[:1]
        else:
            seen.add((occ.key, names))
        for name in keys:
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
    keys = sorted({o.key for o in members if o.key})
    if keys:
        return keys[0]
    if record_type == "territory":
        kinds = sorted({v for o in members for v in o.field_values("type")})
        return f"name:{normalised_name(name)}|{kinds[0] if kinds else ''}"
    return f"name:{normalised_name(name)}"


# ------------------------------------------------------------ statements


# A mention is known to the mentions after it by (doc_id, record type, start, end):
# the fields of its Ref, without an object per mention.
MentionKey = tuple[str, str, int, int]


def resolve(documents: list[DocMentions]) -> Resolution:
    """All documents' mentions -> statements and aliases of resolved records."""
    by_type: dict[str, list[tuple[Doc, Mention]]] = defaultdict(list)
    for d in sorted(documents, key=lambda d: d.doc_id):
        doc = Doc(d.doc_id, d.language, d.text)
        for m in d.mentions:
            by_type[m.record_type].append((doc, m))
    return resolve_by_type(lambda record_type: TypeMentions.of(by_type.pop(record_type, [])))


@dataclass
class Stated:
    """What ``emit_record`` decided for the statements of one type's mentions."""

    # each mention (its row) with its record, in the order the records are stated
    mentions: list[int] = field(default_factory=list)
    record_ids: list[str] = field(default_factory=list)
    # the links (rows among the type's links) that point at a record known by then
    links: list[int] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)


@paused_gc()
def resolve_by_type(mentions_of: Callable[[str], TypeMentions]) -> Resolution:
    """Statements and aliases of the records named by the mentions of each type.

    ``mentions_of(record_type)`` gives a type's mentions in document order
    (doc_id, then position in the document's mentions); it is asked once per
    type in ``RESOLUTION_ORDER`` and its result dropped before the next type,
    so the mentions of all types need never be held at once.
    """
    out = Resolution()
    entity_of: dict[MentionKey, str] = {}
    for record_type in RESOLUTION_ORDER:
        mentions = mentions_of(record_type)
        items = occurrences(mentions)
        if record_type == "objective":
            clusters = group_by_parent(items, entity_of, "programme_id", objective_key)
        elif record_type == "objective_action":
            clusters = group_by_parent(items, entity_of, "objective_id", action_key)
        else:
            clusters = [(None, c) for c in group(record_type, items)]
        stated = Stated()
        for parent_key, members in clusters:
            emit_record(out, record_type, members, parent_key, entity_of, stated)
        del clusters
        out.statements.extend_columns(type_statements(record_type, mentions, items, stated))
        del mentions, items, stated
    return out


def objective_key(occ: Occurrence) -> str:
    code = next(iter(occ.field_values("code")), None)
    return f"code:{code}" if code else f"title:{normalised_name(occ.name)}"


def action_key(occ: Occurrence) -> str:
    return f"position:{next(iter(occ.field_values('position')), occ.start)}"


def group_by_parent(
    items: list[Occurrence],
    entity_of: dict[MentionKey, str],
    link_field: str,
    own_key: Callable[[Occurrence], str],
) -> list[tuple[str | None, list[Occurrence]]]:
    """Objectives are one per (programme, code or title); actions one per
    (objective, position)."""
    clusters: dict[str, list[Occurrence]] = defaultdict(list)
    for occ in items:
        parent = next(
            (
                entity_of.get((occ.doc.doc_id, target_type, start, end))
                for field_name, target_type, start, end in occ.links
                if field_name == link_field
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
    entity_of: dict[MentionKey, str],
    stated: Stated,
) -> None:
    if len(members) == 1:
        name = members[0].name  # what preferred_name gives of one name
    else:
        acronyms = {v for o in members for v in o.short_names}
        name = preferred_name((o.name for o in members), acronyms)
    key = parent_key or record_key(record_type, members, name)
    rid = make_id(record_type, key)
    out.record_types[rid] = record_type
    for o in members:
        entity_of[(o.doc.doc_id, record_type, o.start, o.end)] = rid
        stated.mentions.append(o.index)
    stated.record_ids.extend([rid] * len(members))

    alias_seen: set[str] = set()
    for o in members:
        if o.links:
            for i, (_, target_type, start, end) in enumerate(o.links):
                target = entity_of.get((o.doc.doc_id, target_type, start, end))
                if target is not None:
                    stated.links.append(o.first_link + i)
                    stated.targets.append(target)
        if (
            name in alias_seen
            and o.quote in alias_seen
            and o.name in alias_seen
            and alias_seen.issuperset(o.short_names)
        ):
            continue  # all its names already aliased: most mentions repeat their record's names
        for alias, kind in alias_candidates(o, name):
            if alias not in alias_seen:
                alias_seen.add(alias)
                language = o.doc.language if o.doc.language != "und" else None
                out.aliases.append(
                    {"record_id": rid, "name": alias, "language": language, "kind": kind}
                )


def type_statements(
    record_type: str, mentions: TypeMentions, items: list[Occurrence], stated: Stated
) -> list[pa.Array]:
    """The statements of one type's mentions, as columns (the arguments of
    ``StatementTable.add``), in the order records are stated and, within a
    record, mention by mention: its name, its values, then its links that
    point at a known record (a statement id stated twice keeps its first).
    A record's statements end up side by side, as the final sort wants them."""
    table = mentions.table
    n_mentions = table.num_rows
    # the position of each mention among the stated ones, and its record
    position = np.empty(n_mentions, np.int64)
    position[stated.mentions] = np.arange(n_mentions)
    record_ids = pa.array(stated.record_ids, pa.string()).take(position)
    doc_ids = pa.array([d.doc_id for d in mentions.docs], pa.string())
    texts = [d.text for d in mentions.docs]
    mention_rules = tagged(table["rule"])
    values = flattened(table["values"])
    links = flattened(table["links"]).take(pa.array(stated.links, pa.int64()))
    value_of = values["mention"].to_numpy()
    link_of = links["mention"].to_numpy()
    parts = [
        [
            record_ids,
            pa.repeat(pa.scalar("name", pa.string()), n_mentions),
            pa.array([o.name for o in items], pa.string()),
            doc_ids,
            table["char_start"],
            table["char_end"],
            table["quote"],
            mention_rules,
        ],
        [
            record_ids.take(value_of),
            values["field"],
            values["value"],
            doc_ids.take(value_of),
            values["start"],
            values["end"],
            quotes(texts, value_of, values["start"], values["end"]),
            tagged(values["rule"]),
        ],
        [
            record_ids.take(link_of),
            links["field"],
            pa.array(stated.targets, pa.string()),
            doc_ids.take(link_of),
            links["target.start"],
            links["target.end"],
            quotes(texts, link_of, links["target.start"], links["target.end"]),
            mention_rules.take(link_of),
        ],
    ]
    # Names, then values, then links, each in mention order: a stable sort by the
    # position of each row's mention among the stated ones gives the order above.
    order = np.argsort(
        position[np.concatenate([np.arange(n_mentions), value_of, link_of])], kind="stable"
    )
    columns = [
        pa.concat_arrays([single_array(part[i]) for part in parts]).take(order)
        for i in range(len(parts[0]))
    ]
    return [pa.repeat(pa.scalar(record_type, pa.string()), len(order)), *columns]


def quotes(
    texts: list[str], rows: np.ndarray, starts: pa.ChunkedArray, ends: pa.ChunkedArray
) -> pa.Array:
    """The words of each span: ``text[start:end]`` of the text of its row."""
    return pa.array(
        [
            texts[row][start:end]
            for row, start, end in zip(
                rows.tolist(), starts.to_pylist(), ends.to_pylist(), strict=True
            )
        ],
        pa.string(),
    )


def single_array(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    """The column as one array, for ``pa.concat_arrays`` (``pa.chunked_array`` would
    take a ChunkedArray too, but reads it value by value: 0.2 s a column)."""
    return column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column


def tagged(rules: pa.ChunkedArray | pa.Array) -> pa.Array:
    """Each rule with the extractor version: "rule@version"."""
    return pc.binary_join_element_wise(rules, f"@{EXTRACTOR_VERSION}", "")


def alias_candidates(occ: Occurrence, canonical: str) -> list[tuple[str, str]]:
    found = [(canonical, "official")]
    for short in occ.short_names:
        found.append((short, "acronym"))
    for surface in (occ.name, occ.quote):
        if surface == canonical:
            continue
        if is_acronym(surface):
            kind = "acronym"
        elif occ.canonical and normalised_name(surface) != normalised_name(occ.canonical):
            kind = "translation"
        else:
            kind = "variant"
        found.append((surface, kind))
    return found
