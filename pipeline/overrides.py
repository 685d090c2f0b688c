"""Manual corrections: a reviewed YAML file of fixes, applied after resolution.

Each applied entry is a statement with extractor ``override`` (so the fix is
as traceable as an extracted value) and wins over the extracted statements of
its field. An entry that matches no record is returned as unmatched, for the
build to report: a correction that silently stopped applying is a bug.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from pipeline.names import norm_name
from pipeline.resolve import Resolution

DEFAULT_FILE = Path(__file__).with_name("overrides.yaml")
EXTRACTOR = "override"
REQUIRED = ("field", "value", "reason", "source")


class InvalidOverride(ValueError):
    """An entry of the overrides file is malformed; the message says which and why."""


@dataclass(frozen=True)
class Override:
    field: str
    value: str
    reason: str
    source: str
    record_id: str | None = None
    record_type: str | None = None
    name: str | None = None

    def describe(self) -> str:
        target = self.record_id or f"{self.record_type} named {self.name!r}"
        return f"{target}.{self.field} = {self.value!r}"


def load_overrides(path: Path = DEFAULT_FILE) -> list[Override]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    entries = data.get("overrides") or []
    if not isinstance(entries, list):
        raise InvalidOverride(f"{path}: 'overrides' must be a list")
    out = []
    for i, entry in enumerate(entries, start=1):
        where = f"{path} entry {i}"
        if not isinstance(entry, dict):
            raise InvalidOverride(f"{where}: must be a mapping")
        missing = [k for k in REQUIRED if entry.get(k) in (None, "")]
        if missing:
            raise InvalidOverride(f"{where}: missing {', '.join(missing)}")
        match = entry.get("match") or {}
        if bool(entry.get("record")) == bool(match):
            raise InvalidOverride(f"{where}: give either 'record' or 'match', not both or neither")
        if match and not (match.get("record_type") and match.get("name")):
            raise InvalidOverride(f"{where}: 'match' needs record_type and name")
        out.append(
            Override(
                field=str(entry["field"]),
                value=str(entry["value"]),
                reason=str(entry["reason"]),
                source=str(entry["source"]),
                record_id=entry.get("record"),
                record_type=match.get("record_type"),
                name=match.get("name"),
            )
        )
    return out


def apply_overrides(resolution: Resolution, overrides: list[Override]) -> list[Override]:
    """Adds one statement per applied override to the resolution; returns the unmatched ones."""
    type_of = resolution.record_types
    by_name: dict[tuple[str, str], set[str]] = {}
    if any(not o.record_id for o in overrides):  # a pass over every alias: only when needed
        for alias in resolution.aliases:
            rid = str(alias["record_id"])
            key = (type_of.get(rid, ""), norm_name(str(alias["name"])))
            by_name.setdefault(key, set()).add(rid)
    added: dict[tuple[str, str], str] = {}  # a later entry replaces an earlier one
    unmatched: list[Override] = []
    for o in overrides:
        if o.record_id:
            targets = {o.record_id} if o.record_id in type_of else set()
        else:
            targets = by_name.get((str(o.record_type), norm_name(str(o.name))), set())
        if not targets:
            unmatched.append(o)
        for rid in sorted(targets):
            added[(rid, o.field)] = o.value
    for rid, field in sorted(added):
        resolution.statements.add(
            type_of[rid], rid, field, added[(rid, field)], None, None, None, None, EXTRACTOR
        )
    return unmatched
