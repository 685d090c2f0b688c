"""Every published table, declared once.

The order of ``TABLES`` is the order of the data dictionary and of the
datapackage; it follows the flow (inputs, records, links, provenance,
quarantine).
"""

from __future__ import annotations

from schemas.spec import Column, ForeignKey, Table

ID_HEX = "[0-9a-f]{12}"
ISO2 = r"^[A-Z]{2}$"
NUTS = r"^[A-Z]{2}[0-9A-Z]{0,3}$"
RECORD_TYPES = (
    "programme",
    "objective",
    "objective_action",
    "territory",
    "project",
    "organisation",
)
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
ID_PREFIX = {
    "programme": "prg",
    "objective": "obj",
    "objective_action": "act",
    "territory": "ter",
    "project": "prj",
    "organisation": "org",
}
ANY_RECORD_ID = r"^(prg|obj|act|ter|prj|org)-" + ID_HEX + "$"


def record_id(record_type: str, nullable: bool = False, description: str = "") -> Column:
    prefix = ID_PREFIX[record_type]
    return Column(
        f"{record_type}_id",
        "string",
        description or f"Stable identifier of the {record_type.replace('_', ' ')}.",
        nullable=nullable,
        pattern=f"^{prefix}-{ID_HEX}$",
    )


DOC_ID = Column(
    "doc_id",
    "string",
    "Identifier of the document: 'doc-' and the first 16 hex digits of the raw file's SHA-256.",
    nullable=False,
    pattern=r"^doc-[0-9a-f]{16}$",
)
CHAR_START = Column(
    "char_start",
    "integer",
    "Offset of the first character of the quote in the document's cleaned text (0-based).",
    nullable=False,
    minimum=0,
)
CHAR_END = Column(
    "char_end",
    "integer",
    "Offset just past the last character of the quote (end exclusive).",
    nullable=False,
    minimum=1,
)
QUOTE = Column(
    "quote",
    "string",
    "The words of the document at [char_start, char_end): text[char_start:char_end].",
    nullable=False,
)
SHA256 = Column("sha256", "string", "SHA-256 of the raw file's bytes.", pattern=r"^[0-9a-f]{64}$")
COUNTRY = Column(
    "country_code",
    "string",
    "ISO 3166-1 alpha-2 code of the country (GR, GB as in ISO).",
    pattern=ISO2,
)

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
        Column("size_bytes", "integer", "Size of the file.", unit="byte", minimum=0),
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
            "Document id the bytes map to (status read or duplicate).",
            pattern=r"^doc-[0-9a-f]{16}$",
        ),
        Column("reason", "string", "Why the file was ignored, refused or is a duplicate."),
    ),
    primary_key=("path",),
    min_rows=1,
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
        Column("size_bytes", "integer", "Size of the raw file.", unit="byte", minimum=0),
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
            "ISO 639-1 code of the detected main language, or 'und'.",
            nullable=False,
            pattern=r"^([a-z]{2}|und)$",
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
)

REJECTED_DOCUMENTS = Table(
    name="rejected_documents",
    title="Rejected documents",
    description="Raw files that could not become documents, kept with the reason.",
    columns=(
        Column("source", "string", "Path of the raw file relative to raw/.", nullable=False),
        SHA256,
        Column("size_bytes", "integer", "Size of the raw file.", unit="byte", minimum=0),
        Column("reason", "string", "Why the file was rejected.", nullable=False),
    ),
    primary_key=("source",),
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
        Column("short_name", "string", "Usual short name or acronym (FWVL, NWE)."),
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
            "CCI code of the programme, where known.",
            pattern=r"^20\d\d[A-Z]{2}\d{2}[A-Z0-9]{2}\d{3}$",
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
            "budget_eur", "integer", "Budget stated by the source, in euros.", unit="EUR", minimum=0
        ),
        Column(
            "fund",
            "string",
            "Acronym of the EU fund that finances it (ERDF, ESF+, ...).",
            allowed=("ERDF", "ESF+", "ESF", "CF", "JTF", "EMFAF", "EAFRD", "IPA", "NDICI", "ENI"),
        ),
    ),
    primary_key=("programme_id",),
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
            "Regulation code (RSO1.1, ISO6.2, PO2), normalised; null for "
            "a programme's own unnumbered objective.",
            pattern=r"^(PO[1-5]|ISO[12]|"
            r"RSO[1-5]\.[1-9]\d?|ISO[67]\.[1-9])$",
        ),
        Column(
            "policy_objective",
            "string",
            "Policy objective the objective falls under.",
            pattern=r"^(PO[1-5]|ISO[12])$",
        ),
        Column("title", "string", "Title as written by the source.", nullable=False),
    ),
    primary_key=("objective_id",),
    foreign_keys=(ForeignKey(("programme_id",), "programmes", ("programme_id",)),),
)

OBJECTIVE_ACTIONS = Table(
    name="objective_actions",
    title="Objective actions",
    description="The numbered actions listed under an objective, in their order.",
    columns=(
        record_id("objective_action"),
        record_id("objective"),
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
            pattern=NUTS,
        ),
        Column(
            "nuts_level", "integer", "NUTS level of nuts_code (0 = country).", minimum=0, maximum=3
        ),
    ),
    primary_key=("territory_id",),
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
)

ALIASES = Table(
    name="aliases",
    title="Aliases",
    description="Every name under which a record appears in the sources or reference data.",
    columns=(
        Column(
            "record_id",
            "string",
            "The record this is a name of.",
            nullable=False,
            pattern=ANY_RECORD_ID,
        ),
        Column("name", "string", "The name, as written.", nullable=False),
        Column(
            "language",
            "string",
            "ISO 639-1 code of the name's language, where known.",
            pattern=r"^[a-z]{2}$",
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
)

EVIDENCE = Table(
    name="evidence",
    title="Evidence",
    description="Where each record is named: document, character offsets and the quote.",
    columns=(
        Column(
            "record_type", "string", "Type of the record.", nullable=False, allowed=RECORD_TYPES
        ),
        Column("record_id", "string", "The record.", nullable=False, pattern=ANY_RECORD_ID),
        DOC_ID,
        CHAR_START,
        CHAR_END,
        QUOTE,
    ),
    primary_key=("record_id", "doc_id", "char_start", "char_end"),
    foreign_keys=(ForeignKey(("doc_id",), "documents", ("doc_id",)),),
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
            pattern=r"^stm-[0-9a-f]{16}$",
        ),
        Column(
            "record_type", "string", "Type of the record.", nullable=False, allowed=RECORD_TYPES
        ),
        Column(
            "record_id",
            "string",
            "The record the value belongs to.",
            nullable=False,
            pattern=ANY_RECORD_ID,
        ),
        Column("field", "string", "Column of the record table the value is for.", nullable=False),
        Column("value", "string", "The value, as text (numbers in plain decimal).", nullable=False),
        Column(
            "doc_id",
            "string",
            "Document the value was read in; null for reference data and overrides.",
            pattern=r"^doc-[0-9a-f]{16}$",
        ),
        Column("char_start", "integer", "Start of the quote in the document's text.", minimum=0),
        Column("char_end", "integer", "End of the quote (exclusive).", minimum=1),
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
    sort_by=("record_id", "field", "doc_id", "char_start", "statement_id"),
)

CONFLICTS = Table(
    name="conflicts",
    title="Conflicts",
    description="Fields for which the sources give different values, and the value kept.",
    columns=(
        Column("record_id", "string", "The record.", nullable=False, pattern=ANY_RECORD_ID),
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
)

MENTIONS = Table(
    name="mentions",
    title="Mentions",
    description="Internal: what extraction found in each document, before resolution.",
    columns=(
        DOC_ID,
        Column(
            "record_type", "string", "Type of record named.", nullable=False, allowed=RECORD_TYPES
        ),
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
    published=False,
)

REJECTED_ROWS = Table(
    name="rejected_rows",
    title="Rejected rows",
    description="Rows that failed validation and were held out of their table, with why.",
    columns=(
        Column("table_name", "string", "Table the row was meant for.", nullable=False),
        Column("row_key", "string", "Primary key of the row, '|'-joined.", nullable=False),
        Column("check", "string", "Check that failed.", nullable=False),
        Column("reason", "string", "What was wrong.", nullable=False),
        Column("row", "string", "The row as JSON.", nullable=False),
    ),
    primary_key=("table_name", "row_key", "check"),
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

# The record tables built from statements, keyed by record type.
RECORD_TABLES: dict[str, str] = {
    "programme": "programmes",
    "objective": "objectives",
    "objective_action": "objective_actions",
    "territory": "territories",
    "project": "projects",
    "organisation": "organisations",
}
