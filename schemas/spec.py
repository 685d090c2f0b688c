"""The vocabulary in which tables are declared: a column, a code list, a key, a rule, a table.

Declarations live in :mod:`schemas.tables`; every other schema (Pandera,
Arrow, Dagster) is derived from them in :mod:`schemas.derive`, and the
Frictionless data package and the data dictionary in :mod:`schemas.package`,
so a column is written down exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

import pandas as pd

ColumnType = Literal["string", "integer", "number", "boolean"]


@dataclass(frozen=True)
class CodeList:
    """A closed list of codes taken from a reference, named with its source."""

    name: str
    source: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class Column:
    """One column. ``pattern`` must match the whole value (XML Schema style: no anchors)."""

    name: str
    type: ColumnType
    description: str
    nullable: bool = True
    unit: str | None = None
    pattern: str | None = None
    allowed: tuple[str, ...] | None = None
    code_list: CodeList | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False

    def __post_init__(self) -> None:
        if self.pattern and (self.pattern.startswith("^") or self.pattern.endswith("$")):
            raise ValueError(f"{self.name}: patterns match whole values, drop the ^ $ anchors")
        if self.allowed and self.code_list:
            raise ValueError(f"{self.name}: give allowed values or a code list, not both")

    @property
    def allowed_values(self) -> tuple[str, ...] | None:
        return self.code_list.codes if self.code_list else self.allowed


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class RecordReference:
    """A column holding the ID of a record of any type (a polymorphic foreign key).

    The ID's prefix names the record table it points into (``ter-`` ->
    territories); a Frictionless foreign key cannot say that, so the
    reference is checked by ``pipeline.checks`` and explained in the dictionary.
    """

    column: str


@dataclass(frozen=True)
class RowRule:
    """A condition between columns of the same row; ``holds`` marks the rows that meet it."""

    name: str
    description: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    record_reference: RecordReference | None = None
    rules: tuple[RowRule, ...] = ()
    # Inclusive bounds on the row count, for a build of the sample pages and of
    # a real corpus alike; the row-count check uses them.
    min_rows: int = 0
    max_rows: int = 10_000_000
    # Rows are sorted by these columns before writing, for byte-identical files.
    sort_by: tuple[str, ...] = field(default=())
    # Internal tables pass between assets but are not part of a release.
    published: bool = True

    def __post_init__(self) -> None:
        names = self.column_names
        referenced = [*self.primary_key, *self.sort_by]
        referenced += [c for fk in self.foreign_keys for c in fk.columns]
        referenced += [c for rule in self.rules for c in rule.columns]
        if self.record_reference:
            referenced.append(self.record_reference.column)
        unknown = sorted(set(referenced) - set(names))
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"{self.name}: unknown or repeated columns {unknown or names}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def order(self) -> list[str]:
        return list(self.sort_by or self.primary_key)
