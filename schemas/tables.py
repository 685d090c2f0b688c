"""Every table, declared once.

The order of ``TABLES`` is the order of the data dictionary and of the
datapackage; it follows the flow (inputs, records, links, provenance,
quarantine). Patterns match whole values (XML Schema style, no anchors).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from schemas.codes import (
    COUNTRIES,
    LANGUAGES,
    LANGUAGES_OR_UNDETERMINED,
    NUTS_2021,
    NUTS_COUNTRY_TO_ISO,
    OBJECTIVE_CODES,
    POLICY_OBJECTIVE_OF,
    POLICY_OBJECTIVES,
)
from schemas.record_types import RECORD_TYPES
from schemas.spec import Column, ForeignKey, RecordReference, RowRule, Table

ID_HEX = "[0-9a-f]{12}"
DOC_ID_PATTERN = "doc-[0-9a-f]{16}"
TERRITORY_TYPES = (
    "country",
    "region",
    "province",
    "department",
    "district",
    "municipality",
    "metropolitan-area",
    "cross-border-area",
    "other",
)
PROGRAMME_KINDS = ("interreg", "fund", "strategy", "initiative", "programme")
ALIAS_KINDS = ("official", "acronym", "translation", "variant")
FUNDS = ("ERDF", "ESF+", "ESF", "CF", "JTF", "EMFAF", "EAFRD", "IPA", "NDICI", "ENI")
ID_PREFIX = {
    "programme": "prg",
    "objective": "obj",
    "objective_action": "act",
    "territory": "ter",
    "project": "prj",
    "organisation": "org",
}
ANY_RECORD_ID = "(" + "|".join(ID_PREFIX.values()) + ")-" + ID_HEX
# The record tables built from statements, keyed by record type.
RECORD_TABLES: dict[str, str] = {
    "programme": "programmes",
    "objective": "objectives",
    "objective_action": "objective_actions",
    "territory": "territories",
    "project": "projects",
    "organisation": "organisations",
}
# Generous upper bounds: a run-away extractor or a join that multiplies rows
# stops the release, a corpus of a million pages does not.
MANY = 1_000_000
VERY_MANY = 50_000_000


# ------------------------------------------------------------ row rules


def _either_null(*cols: pd.Series) -> pd.Series:
    out = cols[0].isna()
    for col in cols[1:]:
        out = out | col.isna()
    return out


def _positive_span(df: pd.DataFrame) -> pd.Series:
    return _either_null(df["char_start"], df["char_end"]) | (df["char_end"] > df["char_start"])


def _quote_fits_span(df: pd.DataFrame) -> pd.Series:
    length = df["quote"].str.len()
    return _either_null(df["char_start"], df["char_end"], df["quote"]) | (
        length == df["char_end"] - df["char_start"]
    )


def _prefix_matches_type(df: pd.DataFrame) -> pd.Series:
    # one column operation per record type: a Python loop over the million
    # statements of 10,000 pages took a second
    record_types, record_ids = df["record_type"].astype("string"), df["record_id"].astype("string")
    matches = np.zeros(len(df), dtype=bool)
    for record_type, prefix in ID_PREFIX.items():
        of_type = record_types.eq(record_type) & record_ids.str.startswith(f"{prefix}-")
        matches |= of_type.fillna(False).to_numpy(dtype=bool)
    return _either_null(df["record_type"], df["record_id"]) | pd.Series(matches, index=df.index)


SPAN_RULES = (
    RowRule(
        "positive_span",
        "char_end is greater than char_start.",
        ("char_start", "char_end"),
        _positive_span,
    ),
    RowRule(
        "quote_fits_span",
        "quote is exactly char_end - char_start characters long.",
        ("char_start", "char_end", "quote"),
        _quote_fits_span,
    ),
)
PREFIX_RULE = RowRule(
    "id_prefix_matches_type",
    "record_id carries the prefix of its record_type (prg-, obj-, act-, ter-, prj-, org-).",
    ("record_type", "record_id"),
    _prefix_matches_type,
)


def _origin_all_or_none(df: pd.DataFrame) -> pd.Series:
    given = df[["doc_id", "char_start", "char_end", "quote"]].notna().sum(axis=1)
    return given.isin([0, 4])


def _nuts_level_fits_code(df: pd.DataFrame) -> pd.Series:
    code, level = df["nuts_code"], df["nuts_level"]
    both = code.notna() & level.notna()
    fits = code.str.len() - 2 == level
    return (code.isna() & level.isna()) | (both & fits)


def _country_fits_nuts(df: pd.DataFrame) -> pd.Series:
    prefix = df["nuts_code"].str[:2].replace(NUTS_COUNTRY_TO_ISO)
    return _either_null(df["nuts_code"], df["country_code"]) | (prefix == df["country_code"])


def _policy_objective_fits_code(df: pd.DataFrame) -> pd.Series:
    expected = df["code"].map(POLICY_OBJECTIVE_OF).astype("string")
    return _either_null(df["code"], df["policy_objective"]) | (expected == df["policy_objective"])


def _period_in_order(df: pd.DataFrame) -> pd.Series:
    start, end = df["period_start"], df["period_end"]
    return _either_null(start, end) | (start <= end)


def _doc_id_only_when_read(df: pd.DataFrame) -> pd.Series:
    return df["doc_id"].isna() | df["status"].isin(["read", "duplicate"])


# ------------------------------------------------------------ shared columns


def record_id(record_type: str, nullable: bool = False, description: str = "") -> Column:
    prefix = ID_PREFIX[record_type]
    return Column(
        f"{record_type}_id",
        "string",
        description
        or f"Stable identifier of the {record_type.replace('_', ' ')}: '{prefix}-' and 12 hex "
        "digits of a hash of its strongest key. A changed ID is a breaking change.",
        nullable=nullable,
        pattern=f"{prefix}-{ID_HEX}",
    )


def any_record_id(description: str) -> Column:
    return Column(
        "record_id",
        "string",
        description + " Its prefix names the record table it is a row of "
        "(prg- programmes, obj- objectives, act- objective_actions, ter- territories, "
        "prj- projects, org- organisations).",
        nullable=False,
        pattern=ANY_RECORD_ID,
    )


def record_type(description: str) -> Column:
    return Column("record_type", "string", description, nullable=False, allowed=RECORD_TYPES)


DOC_ID = Column(
    "doc_id",
    "string",
    "Identifier of the document: 'doc-' and the first 16 hex digits of the raw file's SHA-256.",
    nullable=False,
    pattern=DOC_ID_PATTERN,
)
CHAR_START = Column(
    "char_start",
    "integer",
    "Offset of the first character of the quote in the document's cleaned text (0-based, "
    "in Unicode code points).",
    unit="character",
    nullable=False,
    minimum=0,
)
CHAR_END = Column(
    "char_end",
    "integer",
    "Offset just past the last character of the quote (end exclusive).",
    unit="character",
    nullable=False,
    minimum=1,
)
QUOTE = Column(
    "quote",
    "string",
    "The words of the document at [char_start, char_end): text[char_start:char_end].",
    nullable=False,
)
SHA256 = Column("sha256", "string", "SHA-256 of the raw file's bytes.", pattern="[0-9a-f]{64}")
SIZE_BYTES = Column("size_bytes", "integer", "Size of the raw file.", unit="byte", minimum=0)
COUNTRY = Column(
    "country_code",
    "string",
    "ISO 3166-1 alpha-2 code of the country (GR and GB as in ISO, where NUTS writes EL and UK).",
    code_list=COUNTRIES,
)
RAW_PATH = Column("source", "string", "Path of the raw file relative to raw/.", nullable=False)

# ------------------------------------------------------------ tables

RAW_FILES = Table(
    name="raw_files",
    title="Raw files",
    description="Inventory of every file under raw/: what became of it, and why.",
    columns=(
        Column(
            "path",
            "string",
            "Path of the file relative to raw/, POSIX separators.",
            nullable=False,
            unique=True,
        ),
        SIZE_BYTES,
        SHA256,
        Column(
            "status",
            "string",
            "What the inventory decided: read (parsed into a document, "
            "or rejected with a reason in rejected_documents), duplicate (same bytes as an "
            "earlier path), ignored (hidden file, backup), refused (never read: a link out of "
            "raw/, over the size limit).",
            nullable=False,
            allowed=("read", "duplicate", "ignored", "refused"),
        ),
        Column(
            "doc_id",
            "string",
            "Document id the bytes map to (status read or duplicate). A read file whose "
            "document was rejected keeps its id, so this is not a foreign key to documents.",
            pattern=DOC_ID_PATTERN,
        ),
        Column("reason", "string", "Why the file was ignored, refused or is a duplicate."),
    ),
    primary_key=("path",),
    rules=(
        RowRule(
            "doc_id_only_when_read",
            "doc_id is set only for files read or duplicate.",
            ("status", "doc_id"),
            _doc_id_only_when_read,
        ),
    ),
    min_rows=1,
    max_rows=MANY * 5,
)

DOCUMENTS = Table(
    name="documents",
    title="Documents",
    description=(
        "One row per distinct raw document, with the cleaned text that every "
        "evidence offset in the release refers to."
    ),
    columns=(
        DOC_ID,
        Column(
            "source",
            "string",
            "Name of the raw file (path relative to raw/); the first "
            "in sort order when the same content came under several names.",
            nullable=False,
        ),
        SHA256,
        SIZE_BYTES,
        Column(
            "media_type",
            "string",
            "Detected kind of the raw file.",
            nullable=False,
            allowed=("text/plain", "text/html"),
        ),
        Column("encoding", "string", "Character encoding the raw bytes were decoded from."),
        Column(
            "language",
            "string",
            "ISO 639-1 code of the detected main language, or 'und' when undetermined.",
            nullable=False,
            code_list=LANGUAGES_OR_UNDETERMINED,
        ),
        Column("title", "string", "Title of the page: the HTML title or the first heading line."),
        Column(
            "text",
            "string",
            "Cleaned text: decoded, HTML and boilerplate removed, whitespace normalised.",
            nullable=False,
        ),
        Column(
            "n_chars",
            "integer",
            "Length of the cleaned text.",
            unit="character",
            nullable=False,
            minimum=0,
        ),
    ),
    primary_key=("doc_id",),
    foreign_keys=(ForeignKey(("source",), "raw_files", ("path",)),),
    rules=(
        RowRule(
            "n_chars_is_text_length",
            "n_chars is the length of text.",
            ("text", "n_chars"),
            lambda df: df["text"].str.len() == df["n_chars"],
        ),
    ),
    # A release without a single document has nothing to publish.
    min_rows=1,
    max_rows=MANY,
)

REJECTED_DOCUMENTS = Table(
    name="rejected_documents",
    title="Rejected documents",
    description="Raw files that could not become documents, kept with the reason.",
    columns=(
        RAW_PATH,
        SHA256,
        SIZE_BYTES,
        Column("reason", "string", "Why the file was rejected.", nullable=False),
    ),
    primary_key=("source",),
    foreign_keys=(ForeignKey(("source",), "raw_files", ("path",)),),
    max_rows=MANY,
)

PROGRAMMES = Table(
    name="programmes",
    title="Programmes",
    description=(
        "Programmes, funds, initiatives and strategies that frame or fund several "
        "projects or actions (an Interreg programme, ESPON, a smart specialisation strategy)."
    ),
    columns=(
        record_id("programme"),
        Column("name", "string", "Canonical name.", nullable=False),
        Column("short_name", "string", "Usual short name or acronym."),
        Column(
            "kind",
            "string",
            "What sort of programme it is.",
            nullable=False,
            allowed=PROGRAMME_KINDS,
        ),
        Column(
            "cci",
            "string",
            "CCI code of the programme (Common Commission Identifier, e.g. a 2021-2027 "
            "Interreg programme's 2021TC16RF...), where known.",
            pattern="(19|20)[0-9]{2}[A-Z]{2}[0-9]{2}[A-Z0-9]{4}[0-9]{3}",
        ),
        Column(
            "strand",
            "string",
            "Interreg strand (A cross-border, B transnational, C interregional, D outermost).",
            allowed=("A", "B", "C", "D"),
        ),
        Column(
            "period_start",
            "integer",
            "First year of the programming period.",
            unit="year",
            minimum=1950,
            maximum=2100,
        ),
        Column(
            "period_end",
            "integer",
            "Last year of the programming period.",
            unit="year",
            minimum=1950,
            maximum=2100,
        ),
        Column(
            "budget_eur",
            "integer",
            "Budget stated by the source (total or EU contribution, as the source says).",
            unit="EUR",
            minimum=0,
        ),
        Column(
            "fund",
            "string",
            "Acronym of the EU fund that finances it.",
            allowed=FUNDS,
        ),
    ),
    primary_key=("programme_id",),
    rules=(
        RowRule(
            "period_in_order",
            "period_start is not after period_end.",
            ("period_start", "period_end"),
            _period_in_order,
        ),
    ),
    max_rows=MANY // 10,
)

OBJECTIVES = Table(
    name="objectives",
    title="Objectives",
    description=(
        "Objectives, priorities and strategic areas of a programme: 2021-2027 policy "
        "and specific objectives (PO1, RSO1.1, ISO6.1) or a programme's own."
    ),
    columns=(
        record_id("objective"),
        record_id(
            "programme", nullable=True, description="The programme the objective belongs to."
        ),
        Column(
            "code",
            "string",
            "2021-2027 regulation code (PO2, RSO1.1, ISO6.2) in the numbering the programme "
            "uses: variant prefixes are normalised (SO 1.1, OS 1.1 -> RSO1.1) but a programme "
            "that numbers an Interreg-specific objective RSO6.1 keeps RSO6.1 (policy_objective "
            "says ISO1 and regulation_code ISO6.1). Null for a programme's own unnumbered "
            "objective.",
            code_list=OBJECTIVE_CODES,
        ),
        Column(
            "regulation_code",
            "string",
            "The code of the objective in the regulations (ISO6.1 where the programme writes "
            "RSO 6.1 or ISO1(a)); null for a programme's own unnumbered objective.",
            code_list=OBJECTIVE_CODES,
        ),
        Column(
            "policy_objective",
            "string",
            "Policy objective the objective falls under.",
            code_list=POLICY_OBJECTIVES,
        ),
        Column("title", "string", "Title as written by the source.", nullable=False),
    ),
    primary_key=("objective_id",),
    foreign_keys=(ForeignKey(("programme_id",), "programmes", ("programme_id",)),),
    rules=(
        RowRule(
            "policy_objective_fits_code",
            "policy_objective is the one the regulation puts code under (RSO2.4 -> PO2, "
            "ISO6.1 -> ISO1).",
            ("code", "policy_objective"),
            _policy_objective_fits_code,
        ),
    ),
    max_rows=MANY,
)

OBJECTIVE_ACTIONS = Table(
    name="objective_actions",
    title="Objective actions",
    description="The numbered actions listed under an objective, in their order.",
    columns=(
        record_id("objective_action"),
        record_id("objective", description="The objective the action is listed under."),
        Column(
            "position",
            "integer",
            "Rank of the action under its objective (1-based).",
            nullable=False,
            minimum=1,
        ),
        Column("text", "string", "Wording of the action.", nullable=False),
    ),
    primary_key=("objective_action_id",),
    foreign_keys=(ForeignKey(("objective_id",), "objectives", ("objective_id",)),),
    sort_by=("objective_id", "position", "objective_action_id"),
    max_rows=MANY,
)

TERRITORIES = Table(
    name="territories",
    title="Territories",
    description="Countries, regions, provinces, districts, municipalities and cross-border "
    "areas named as places.",
    columns=(
        record_id("territory"),
        Column(
            "name",
            "string",
            "Canonical name (English where there is a usual exonym).",
            nullable=False,
        ),
        Column("type", "string", "Kind of territory.", nullable=False, allowed=TERRITORY_TYPES),
        COUNTRY,
        Column(
            "nuts_code",
            "string",
            "NUTS 2021 code, where the territory is a NUTS region (or a country).",
            code_list=NUTS_2021,
        ),
        Column(
            "nuts_level", "integer", "NUTS level of nuts_code (0 = country).", minimum=0, maximum=3
        ),
    ),
    primary_key=("territory_id",),
    rules=(
        RowRule(
            "nuts_level_fits_code",
            "nuts_code and nuts_level are given together, and nuts_level is the number of "
            "characters of nuts_code after the two-letter country.",
            ("nuts_code", "nuts_level"),
            _nuts_level_fits_code,
        ),
        RowRule(
            "country_fits_nuts",
            "country_code is the country of nuts_code (NUTS EL is GR, UK is GB).",
            ("country_code", "nuts_code"),
            _country_fits_nuts,
        ),
    ),
    max_rows=MANY,
)

PROGRAMME_TERRITORIES = Table(
    name="programme_territories",
    title="Programme areas",
    description="Territories that are part of a programme's area.",
    columns=(record_id("programme"), record_id("territory")),
    primary_key=("programme_id", "territory_id"),
    foreign_keys=(
        ForeignKey(("programme_id",), "programmes", ("programme_id",)),
        ForeignKey(("territory_id",), "territories", ("territory_id",)),
    ),
    max_rows=MANY,
)

PROJECTS = Table(
    name="projects",
    title="Projects",
    description="Named projects, pilots and operations with an aim of their own.",
    columns=(
        record_id("project"),
        Column(
            "name", "string", "Name of the project as written (often an acronym).", nullable=False
        ),
        record_id(
            "programme",
            nullable=True,
            description="The programme that funds or frames the project.",
        ),
        Column("description", "string", "Short description, where the source gives one."),
    ),
    primary_key=("project_id",),
    foreign_keys=(ForeignKey(("programme_id",), "programmes", ("programme_id",)),),
    max_rows=MANY,
)

ORGANISATIONS = Table(
    name="organisations",
    title="Organisations",
    description="Public authorities, agencies, EGTCs, networks, companies and associations.",
    columns=(
        record_id("organisation"),
        Column("name", "string", "Canonical (usually full) name.", nullable=False),
        Column("acronym", "string", "Acronym, where the source gives one."),
        COUNTRY,
    ),
    primary_key=("organisation_id",),
    max_rows=MANY,
)

PROJECT_ORGANISATIONS = Table(
    name="project_organisations",
    title="Project partners",
    description="Organisations that take part in a project, as the sources say.",
    columns=(record_id("project"), record_id("organisation")),
    primary_key=("project_id", "organisation_id"),
    foreign_keys=(
        ForeignKey(("project_id",), "projects", ("project_id",)),
        ForeignKey(("organisation_id",), "organisations", ("organisation_id",)),
    ),
    max_rows=MANY * 5,
)

ALIASES = Table(
    name="aliases",
    title="Aliases",
    description="Every name under which a record appears in the sources or reference data.",
    columns=(
        any_record_id("The record this is a name of."),
        Column("name", "string", "The name, as written.", nullable=False),
        Column(
            "language",
            "string",
            "ISO 639-1 code of the name's language, where known.",
            code_list=LANGUAGES,
        ),
        Column(
            "kind",
            "string",
            "official, acronym, translation or variant.",
            nullable=False,
            allowed=ALIAS_KINDS,
        ),
    ),
    primary_key=("record_id", "name"),
    record_reference=RecordReference("record_id"),
    max_rows=MANY * 5,
)

EVIDENCE = Table(
    name="evidence",
    title="Evidence",
    description="Where each record is named: document, character offsets and the quote.",
    columns=(
        record_type("Type of the record."),
        any_record_id("The record."),
        DOC_ID,
        CHAR_START,
        CHAR_END,
        QUOTE,
    ),
    primary_key=("record_id", "doc_id", "char_start", "char_end"),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    record_reference=RecordReference("record_id"),
    rules=(*SPAN_RULES, PREFIX_RULE),
    max_rows=VERY_MANY // 2,
)

STATEMENTS = Table(
    name="statements",
    title="Statements",
    description=(
        "Every published value with its provenance; the record tables are derived from it. "
        "A field with several statements of different values is a conflict, settled by the "
        "rule in the data dictionary."
    ),
    columns=(
        Column(
            "statement_id",
            "string",
            "Hash of the statement's record, field, value and origin.",
            nullable=False,
            pattern="stm-[0-9a-f]{16}",
        ),
        record_type("Type of the record."),
        any_record_id("The record the value belongs to."),
        Column(
            "field",
            "string",
            "Column of the record table the value is for, or a link "
            "(area_of: a row of programme_territories, partner_of: of project_organisations).",
            nullable=False,
        ),
        Column("value", "string", "The value, as text (numbers in plain decimal).", nullable=False),
        Column(
            "doc_id",
            "string",
            "Document the value was read in; null for reference data and overrides.",
            pattern=DOC_ID_PATTERN,
        ),
        Column(
            "char_start",
            "integer",
            "Start of the quote in the document's text.",
            unit="character",
            minimum=0,
        ),
        Column("char_end", "integer", "End of the quote (exclusive).", unit="character", minimum=1),
        Column("quote", "string", "The words the value was read from."),
        Column(
            "extractor",
            "string",
            "Rule that produced the value, with its version "
            "(rule@version), 'reference' or 'override'.",
            nullable=False,
        ),
    ),
    primary_key=("statement_id",),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    # No record reference: the record tables are derived from the statements,
    # so a statement's record_id defines a record rather than points at one.
    rules=(
        *SPAN_RULES,
        PREFIX_RULE,
        RowRule(
            "origin_all_or_none",
            "doc_id, char_start, char_end and quote are all given (a value read in a "
            "document) or all null (reference data, override).",
            ("doc_id", "char_start", "char_end", "quote"),
            _origin_all_or_none,
        ),
    ),
    sort_by=("record_id", "field", "doc_id", "char_start", "statement_id"),
    max_rows=VERY_MANY,
)

CONFLICTS = Table(
    name="conflicts",
    title="Conflicts",
    description="Fields for which the sources give different values, and the value kept.",
    columns=(
        any_record_id("The record."),
        Column("field", "string", "The field.", nullable=False),
        Column("chosen", "string", "The value published in the record table.", nullable=False),
        Column(
            "candidates",
            "string",
            "Every value stated, '; '-separated, with the number of statements for each.",
            nullable=False,
        ),
        Column("rule", "string", "The rule that chose the value.", nullable=False),
    ),
    primary_key=("record_id", "field"),
    record_reference=RecordReference("record_id"),
    max_rows=MANY,
)

MENTIONS = Table(
    name="mentions",
    title="Mentions",
    description="Internal: what extraction found in each document, before resolution.",
    columns=(
        DOC_ID,
        record_type("Type of record named."),
        CHAR_START,
        CHAR_END,
        QUOTE,
        Column("rule", "string", "Extractor rule that found the mention.", nullable=False),
        Column("canonical", "string", "Name to publish when it is not the quote."),
        Column("key", "string", "Strongest identifier known to the extractor (nuts:BE25)."),
        Column("language", "string", "Language of the mention's words, where known."),
        Column(
            "values_json", "string", "Attribute values with their spans, as JSON.", nullable=False
        ),
        Column(
            "links_json",
            "string",
            "Links to other mentions of the document, as JSON.",
            nullable=False,
        ),
    ),
    primary_key=("doc_id", "record_type", "char_start", "char_end"),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
    rules=SPAN_RULES,
    max_rows=VERY_MANY,
    published=False,
)

REJECTED_ROWS = Table(
    name="rejected_rows",
    title="Rejected rows",
    description=(
        "Rows held out of their table because they failed its schema, or referred to a "
        "row that did; the release publishes them here with the reason instead of dropping them."
    ),
    columns=(
        Column("table_name", "string", "Table the row was meant for.", nullable=False),
        Column("row_key", "string", "Primary key of the row, '|'-joined.", nullable=False),
        Column(
            "check",
            "string",
            "Check that failed: schema, or foreign_key for a row whose reference was rejected.",
            nullable=False,
            allowed=("schema", "foreign_key"),
        ),
        Column("reason", "string", "What was wrong.", nullable=False),
        Column("row", "string", "The row as JSON.", nullable=False),
    ),
    primary_key=("table_name", "row_key", "check", "row"),
    max_rows=MANY,
)

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        RAW_FILES,
        DOCUMENTS,
        REJECTED_DOCUMENTS,
        PROGRAMMES,
        OBJECTIVES,
        OBJECTIVE_ACTIONS,
        TERRITORIES,
        PROGRAMME_TERRITORIES,
        PROJECTS,
        ORGANISATIONS,
        PROJECT_ORGANISATIONS,
        ALIASES,
        EVIDENCE,
        STATEMENTS,
        CONFLICTS,
        REJECTED_ROWS,
        MENTIONS,
    )
}
PUBLISHED: list[str] = [name for name, t in TABLES.items() if t.published]
