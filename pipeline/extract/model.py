"""What extraction returns: mentions of records, located in the text.

A mention is one place in one document where a record (programme, objective,
objective action, territory, project, organisation) is named, with the values
read nearby (each with its own span) and links to other mentions of the same
document (a project to the programme it belongs to, a territory to the
programme whose area it is part of). Extraction never invents text: every
span must satisfy ``text[start:end] == quote``; ``validate`` drops any that
does not.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from schemas.record_types import RECORD_TYPES


@dataclass(frozen=True, order=True)
class Ref:
    """Points at another mention of the same document by its type and span."""

    record_type: str
    start: int
    end: int


@dataclass(frozen=True)
class Value:
    """An attribute value and the words it was read from.

    ``value`` is already normalised (268000000 for "€268 million", "FR" for
    "France"); ``start``/``end`` locate the words. Values that come from
    reference data rather than the text (a NUTS code looked up for a name)
    point at the name they were looked up for.
    """

    field: str
    value: str | int
    start: int
    end: int
    rule: str


@dataclass(frozen=True)
class Link:
    """A relation from this mention to another: field is the target column
    (``programme_id``, ``objective_id``, ``area_of``, ``partner_of``)."""

    field: str
    target: Ref


@dataclass
class Mention:
    record_type: str
    start: int
    end: int
    quote: str
    rule: str
    # Name under which to publish the record, when it differs from the quote
    # (the canonical name of a gazetteer entry: "West Flanders" for
    # "West-Vlaanderen"). None means the quote itself.
    canonical: str | None = None
    # The strongest identifier the extractor knows: "nuts:BE25", "iso:FR",
    # "ref:<programme key>", "code:RSO1.1". Resolution merges on it.
    key: str | None = None
    language: str | None = None
    values: list[Value] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)

    @property
    def ref(self) -> Ref:
        return Ref(self.record_type, self.start, self.end)

    @property
    def name(self) -> str:
        return self.canonical or self.quote

    def add(self, field_name: str, value: str | int, start: int, end: int, rule: str) -> None:
        self.values.append(Value(field_name, value, start, end, rule))

    def link(self, field_name: str, target: Mention) -> None:
        self.links.append(Link(field_name, target.ref))


def span_ok(text: str, start: int, end: int) -> bool:
    return 0 <= start < end <= len(text)


def validate(text: str, mentions: list[Mention]) -> list[Mention]:
    """Keep mentions whose spans lie in the text and whose quote is the slice.

    Values with a bad span are dropped from their mention; links to mentions
    that are not kept are dropped. Source-grounded: an item that cannot be
    located in the text is not published.
    """
    kept: list[Mention] = []
    for m in mentions:
        if m.record_type not in RECORD_TYPES:
            continue
        if not span_ok(text, m.start, m.end) or text[m.start : m.end] != m.quote:
            continue
        if not m.quote.strip():
            continue
        m.values = [v for v in m.values if span_ok(text, v.start, v.end)]
        kept.append(m)
    refs = {m.ref for m in kept}
    for m in kept:
        m.links = [link for link in m.links if link.target in refs]
    # one mention per (type, span): the first extractor to claim it keeps its
    # name and key, and gains the values and links of the others
    unique: dict[Ref, Mention] = {}
    for m in kept:
        first = unique.setdefault(m.ref, m)
        if first is not m:
            first.values.extend(v for v in m.values if v not in first.values)
            first.links.extend(link for link in m.links if link not in first.links)
    return sorted(unique.values(), key=lambda m: (m.start, m.end, m.record_type))


def to_row(doc_id: str, m: Mention) -> dict[str, object]:
    """A mention as a row of the internal ``mentions`` table."""
    return {
        "doc_id": doc_id,
        "record_type": m.record_type,
        "char_start": m.start,
        "char_end": m.end,
        "quote": m.quote,
        "rule": m.rule,
        "canonical": m.canonical,
        "key": m.key,
        "language": m.language,
        # vars, not asdict: asdict deep-copies every field, and the fields are plain
        # strings and numbers (a link's one nested Ref is spelt out); same JSON
        "values_json": json.dumps([vars(v) for v in m.values], ensure_ascii=False),
        "links_json": json.dumps(
            [{"field": link.field, "target": vars(link.target)} for link in m.links],
            ensure_ascii=False,
        ),
    }


def from_row(row: dict) -> Mention:
    def opt(value: object) -> str | None:
        return value if isinstance(value, str) else None

    return Mention(
        record_type=str(row["record_type"]),
        start=int(row["char_start"]),
        end=int(row["char_end"]),
        quote=str(row["quote"]),
        rule=str(row["rule"]),
        canonical=opt(row.get("canonical")),
        key=opt(row.get("key")),
        language=opt(row.get("language")),
        values=[Value(**v) for v in json.loads(str(row["values_json"]))],
        links=[
            Link(link["field"], Ref(**link["target"]))
            for link in json.loads(str(row["links_json"]))
        ],
    )
