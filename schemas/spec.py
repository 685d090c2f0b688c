"""The vocabulary in which tables are declared: a column, a foreign key, a table.

Declarations live in :mod:`schemas.tables`; every other schema (Pandera,
Arrow, Dagster, Frictionless, the data dictionary) is derived from them in
:mod:`schemas.derive`, so a column is written down exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

ColumnType = Literal["string", "integer", "number", "boolean"]


@dataclass(frozen=True)
class Column:
    name: str
    type: ColumnType
    description: str
    nullable: bool = True
    unit: str | None = None
    pattern: str | None = None
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False


@dataclass(frozen=True)
class ForeignKey:
    columns: tuple[str, ...]
    table: str
    ref_columns: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    # Inclusive bounds on the row count of a build of the sample pages and of
    # real corpora alike; the row-count check uses them.
    min_rows: int = 0
    max_rows: int = 10_000_000
    # Rows are sorted by these columns before writing, for byte-identical files.
    sort_by: tuple[str, ...] = field(default=())
    # Internal tables pass between assets but are not part of a release.
    published: bool = True

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
