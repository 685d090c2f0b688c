"""The release's self-description, derived from the table declarations.

``datapackage`` gives the Frictionless Data Package (v1) over the release's
CSV files; ``data_dictionary`` the same tables, columns, keys and rules in
Markdown, with the rules that decide published values. Columns, keys and
constraints come from :mod:`schemas.tables` only; the dataset's title,
description and licence from ``pipeline/release_templates/dataset.yaml``,
which the README and citation use too.
"""

from __future__ import annotations

from typing import Any

from pipeline.catalog import load_dataset_info
from pipeline.tables import CONFLICT_RULE, NAME_RULE
from schemas.derive import constraints_doc
from schemas.spec import Column, Table
from schemas.tables import ID_PREFIX, RECORD_TABLES, TABLES

SOURCES = (
    {
        "title": "Eurostat, NUTS 2021 classification (Regulation (EU) 2019/1755)",
        "path": "https://ec.europa.eu/eurostat/web/nuts/history",
    },
    {
        "title": "Regulation (EU) 2021/1058 (ERDF and Cohesion Fund): specific objectives",
        "path": "https://eur-lex.europa.eu/eli/reg/2021/1058/oj",
    },
    {
        "title": "Regulation (EU) 2021/1059 (Interreg): Interreg-specific objectives",
        "path": "https://eur-lex.europa.eu/eli/reg/2021/1059/oj",
    },
    {
        "title": "Regulation (EU) 2021/1060 (Common Provisions): policy objectives",
        "path": "https://eur-lex.europa.eu/eli/reg/2021/1060/oj",
    },
    {
        "title": "ISO 3166-1 and ISO 639-1 code lists, as shipped by pycountry",
        "path": "https://pypi.org/project/pycountry/",
    },
    {
        "title": "The captured web pages, one row each in documents.csv (column source)",
        "path": "documents.csv",
    },
)
CSV_DIALECT = {
    "delimiter": ",",
    "lineTerminator": "\r\n",
    "quoteChar": '"',
    "doubleQuote": True,
    "header": True,
}


def field_descriptor(col: Column) -> dict[str, Any]:
    constraints: dict[str, Any] = {"required": not col.nullable}
    if col.unique:
        constraints["unique"] = True
    if col.allowed_values:
        constraints["enum"] = list(col.allowed_values)
    if col.pattern:
        constraints["pattern"] = col.pattern
    number = int if col.type == "integer" else float
    if col.minimum is not None:
        constraints["minimum"] = number(col.minimum)
    if col.maximum is not None:
        constraints["maximum"] = number(col.maximum)
    description = col.description + (f" Unit: {col.unit}." if col.unit else "")
    return {
        "name": col.name,
        "type": col.type,
        "description": description,
        "constraints": constraints,
    }


def resource(table: Table, names: set[str]) -> dict[str, Any]:
    missing = sorted({fk.table for fk in table.foreign_keys} - names)
    if missing:
        raise ValueError(f"{table.name} refers to {missing}, which the package does not list")
    description = table.description
    if table.record_reference:
        description += (
            f" {table.record_reference.column} points at the record table its prefix names "
            "(a reference a foreign key cannot express; the build checks it)."
        )
    return {
        "name": table.name,
        "title": table.title,
        "description": description,
        "path": f"{table.name}.csv",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": CSV_DIALECT,
        "schema": {
            "fields": [field_descriptor(c) for c in table.columns],
            "missingValues": [""],
            "primaryKey": list(table.primary_key),
            "foreignKeys": [
                {
                    "fields": list(fk.columns),
                    "reference": {"resource": fk.table, "fields": list(fk.ref_columns)},
                }
                for fk in table.foreign_keys
            ],
        },
    }


def datapackage(version: str, resources: list[str]) -> dict[str, Any]:
    """Frictionless Data Package v1 over ``<table>.csv`` of the given published tables."""
    unknown = [name for name in resources if name not in TABLES or not TABLES[name].published]
    if unknown:
        raise ValueError(f"not published tables: {unknown}")
    info = load_dataset_info()
    return {
        "profile": "tabular-data-package",
        "name": info["slug"],
        "title": info["title"],
        "description": info["description"]
        + " Each table is also published as <table>.parquet with the same columns.",
        "version": version,
        "licenses": [
            {
                "name": info["licence"]["spdx"],
                "path": info["licence"]["url"],
                "title": info["licence"]["name"],
            }
        ],
        "sources": [dict(s) for s in SOURCES],
        "keywords": list(info.get("keywords", [])),
        "resources": [resource(TABLES[name], set(resources)) for name in resources],
    }


# ------------------------------------------------------------ dictionary


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _conventions() -> str:
    # Imported here: pipeline.release writes the dictionary, so it imports this module.
    from pipeline.release import FORMULA_PREFIXES

    named = {"\t": "a tab", "\r": "a carriage return"}
    shown = [named.get(p, f"`{p}`") for p in FORMULA_PREFIXES]
    prefixes = ", ".join(shown[:-1]) + " or " + shown[-1]
    id_tables = ", ".join(f"`{p}-` {RECORD_TABLES[t]}" for t, p in ID_PREFIX.items())
    return f"""## Conventions

- **Files.** Every table is published twice with the same rows and columns:
  `<table>.parquet` (typed, column descriptions in the field metadata) and
  `<table>.csv` (UTF-8, comma-separated, CRLF line ends, RFC 4180 quoting, a
  header row). `datapackage.json` describes the CSV files as a Frictionless
  Data Package.
- **Missing values.** A missing value is null in Parquet and an empty cell in
  CSV. Text is never the empty string: it is null or has at least one character.
- **Spreadsheet formulas (CSV only).** A text cell that starts with
  {prefixes} gets a leading `'` in the CSV file, so that a spreadsheet shows
  it as text instead of running it as a formula. Parquet keeps the value as
  it is; strip one leading `'` from such CSV cells to get it back.
- **Identifiers.** Record IDs are a type prefix and 12 hex digits of a hash of
  the record's strongest key ({id_tables}); the same thing keeps its ID from
  release to release, and a changed ID is a breaking change.
- **Offsets.** `char_start` and `char_end` count Unicode code points in
  `documents.text`, from 0, end exclusive: `quote == text[char_start:char_end]`.
  The build checks this for every row of `evidence` and `statements`.
- **Record references.** Where a table has a `record_id` of any record type,
  its prefix names the table it is a row of; the build checks that it is one,
  or a row held in `rejected_rows`. A Frictionless foreign key cannot say
  this, so these references are not in `datapackage.json`.
- **Values that disagree.** Each field of a record table is chosen from its
  statements: {CONFLICT_RULE}. Names: {NAME_RULE}. Every field for which the
  statements disagree is listed in `conflicts` with all values stated.
- **Rejected rows.** A row that breaks its table's schema is not published in
  that table and not dropped: it is in `rejected_rows` with the reason, and so
  is a row whose reference points at a rejected row.
- **Checks.** A release is published only when every check passes: each
  table's schema (types, required values, allowed values, patterns, bounds,
  row rules), primary keys, foreign keys and record references, quotes equal
  to the document text, evidence for every record, and row counts within the
  bounds given below.
"""


def table_section(table: Table) -> str:
    lines = [f"## {table.title} (`{table.name}`)", "", table.description, ""]
    lines.append(f"- Files: `{table.name}.parquet`, `{table.name}.csv`")
    lines.append(f"- Primary key: {', '.join(f'`{c}`' for c in table.primary_key)}")
    for fk in table.foreign_keys:
        lines.append(
            f"- Foreign key: {', '.join(f'`{c}`' for c in fk.columns)} -> "
            f"`{fk.table}` ({', '.join(f'`{c}`' for c in fk.ref_columns)})"
        )
    if table.record_reference:
        lines.append(
            f"- Record reference: `{table.record_reference.column}` -> the record table its "
            "prefix names"
        )
    for rule in table.rules:
        lines.append(f"- Rule `{rule.name}`: {rule.description}")
    lines.append(f"- Rows: between {table.min_rows:,} and {table.max_rows:,}")
    lines += [
        "",
        "| column | type | required | unit | constraints | description |",
        "|---|---|---|---|---|---|",
    ]
    for col in table.columns:
        constraints = " ".join(constraints_doc(col))
        cells = [
            f"`{col.name}`",
            col.type,
            "no" if col.nullable else "yes",
            col.unit or "",
            _md(constraints),
            _md(col.description),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def data_dictionary() -> str:
    """Every published table and column in Markdown, in the declared order."""
    published = [t for t in TABLES.values() if t.published]
    info = load_dataset_info()
    contents = "\n".join(f"- `{t.name}`: {t.title}" for t in published)
    header = (
        f"# Data dictionary: {info['title']}\n\n"
        "Generated from the table declarations (`schemas/tables.py`), like the "
        "Parquet schemas, `datapackage.json` and the checks every release passes.\n\n"
        f"{contents}\n"
    )
    return "\n".join([header, _conventions(), *(table_section(t) for t in published)])
