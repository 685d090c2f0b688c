"""How a release describes itself: its files, README, citation, DCAT-AP record and archive.

The words that do not come from the data (title, publisher, licence,
attribution) live in ``release_templates/dataset.yaml``; everything else is
computed from the tables and the files, with no clock, so that a release's
descriptive files are as reproducible as its data. ``pack`` turns a release
folder into one deterministic zip archive for a data portal (Zenodo,
data.europa.eu), after checking the folder against its ``SHA256SUMS``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry
import yaml

from pipeline.report import coverage, share
from schemas.tables import PUBLISHED, TABLES

DATASET_CONFIG = Path(__file__).resolve().parent / "release_templates" / "dataset.yaml"

DUCKDB_FILE = "cooperation.duckdb"
CHECKSUMS_FILE = "SHA256SUMS"
DIFF_FILE = "diff.json"
CHANGES_FILE = "CHANGES.md"
REPORT_FILE = "quality_report.html"
README_FILE = "README.md"
CITATION_FILE = "CITATION.cff"
CATALOG_FILE = "dcat.jsonld"
DATAPACKAGE_FILE = "datapackage.json"
DICTIONARY_FILE = "data_dictionary.md"
# DuckDB writes a random database identifier and block checksums into every
# new file: the same tables give a different .duckdb file on every build.
NOT_REPRODUCIBLE = (DUCKDB_FILE,)

FILE_ROLES = {
    DUCKDB_FILE: "Every table in one DuckDB database, with table and column comments.",
    DATAPACKAGE_FILE: "Frictionless Data Package: the CSV files with their schemas.",
    DICTIONARY_FILE: "Data dictionary: every table and column, its type and constraints.",
    REPORT_FILE: "Quality report: what was found, where, how well it is backed (HTML).",
    CHANGES_FILE: "What changed since the previous release, in words.",
    DIFF_FILE: "What changed since the previous release, machine-readable.",
    README_FILE: "This file.",
    CITATION_FILE: "How to cite this release (Citation File Format).",
    CATALOG_FILE: "DCAT-AP description of the dataset and its files (JSON-LD), for data portals.",
    CHECKSUMS_FILE: "SHA-256 of every other file: `sha256sum -c SHA256SUMS`.",
}
MEDIA_TYPES = {
    ".parquet": ("application/vnd.apache.parquet", "PARQUET"),
    ".csv": ("text/csv", "CSV"),
    ".duckdb": ("application/octet-stream", None),
    ".json": ("application/json", "JSON"),
    ".jsonld": ("application/ld+json", "JSON_LD"),
    ".md": ("text/markdown", None),
    ".html": ("text/html", "HTML"),
    ".cff": ("application/yaml", "YAML"),
    ".zip": ("application/zip", "ZIP"),
    "": ("text/plain", "TXT"),
}
IANA = "http://www.iana.org/assignments/media-types/"
EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
CALVER = re.compile(r"^(\d{4})\.(\d{2})\.(\d{2})(\.\d+)?$")
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
DOCUMENTS_LISTED = 500


class ReleaseDamaged(ValueError):
    """A release folder that no longer matches its SHA256SUMS is not packed."""


@dataclass(frozen=True)
class FileEntry:
    name: str
    size: int
    sha256: str


def load_dataset_info(path: Path = DATASET_CONFIG) -> dict[str, Any]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_entries(
    folder: Path, exclude: Sequence[str] = (), known: Mapping[str, str] | None = None
) -> list[FileEntry]:
    """Every file of the folder with its size and SHA-256 (taken from ``known`` when
    the writer already computed it)."""
    known = known or {}
    return [
        FileEntry(p.name, p.stat().st_size, known.get(p.name) or sha256_file(p))
        for p in sorted(folder.iterdir())
        if p.is_file() and p.name not in exclude
    ]


def read_checksums(folder: Path) -> dict[str, str]:
    """File name -> SHA-256 as the folder's SHA256SUMS lists them (empty without one)."""
    sums = folder / CHECKSUMS_FILE
    if not sums.is_file():
        return {}
    listed: dict[str, str] = {}
    for line in sums.read_text(encoding="utf-8").splitlines():
        digest, _, name = line.partition("  ")
        listed[name] = digest
    return listed


def release_date(version: str) -> str | None:
    """The ISO date of a CalVer version; None for a version given by hand."""
    match = CALVER.match(version)
    return f"{match[1]}-{match[2]}-{match[3]}" if match else None


def file_role(name: str) -> str:
    stem, _, suffix = name.rpartition(".")
    if stem in TABLES and suffix in {"parquet", "csv"}:
        return f"{TABLES[stem].title} ({suffix.upper()}): {TABLES[stem].description}"
    return FILE_ROLES.get(name, "")


def citation(info: Mapping[str, Any], version: str) -> str:
    date = release_date(version)
    year = f" ({date[:4]})" if date else ""
    return (
        f"{info['publisher']['name']}{year}. {info['title']}, version {version} "
        f"[Data set]. Licence {info['licence']['spdx']}. {info['landing_page']}"
    )


def citation_cff(info: Mapping[str, Any], version: str) -> str:
    record: dict[str, Any] = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below.",
        "type": "dataset",
        "title": info["title"],
        "version": version,
        "authors": [{"name": info["publisher"]["name"]}],
        "license": info["licence"]["spdx"],
        "url": info["landing_page"],
        "abstract": info["description"],
        "keywords": list(info["keywords"]),
    }
    if date := release_date(version):
        record["date-released"] = date
    return yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=88)


def _md(text: object) -> str:
    """A value made safe for a Markdown table cell."""
    if text is None or text is pd.NA or (isinstance(text, float) and pd.isna(text)):
        return ""
    return " ".join(str(text).split()).replace("|", "\\|")


def data_readme(
    info: Mapping[str, Any],
    version: str,
    tables: Mapping[str, pd.DataFrame],
    files: Sequence[str],
    formula_prefixes: Sequence[str],
) -> str:
    """README.md for data users: contents, citation, licence, sources, limitations."""
    figures = coverage(tables)
    documents = tables["documents"].sort_values(["source", "doc_id"])
    table_rows = [
        f"| `{name}` | {len(tables[name])} | {_md(TABLES[name].description)} |"
        for name in PUBLISHED
    ]
    other_files = [f"| `{name}` | {_md(file_role(name))} |" for name in files if name in FILE_ROLES]
    doc_rows = [
        f"| `{_md(d.source)}` | {_md(d.title)} | {_md(d.language)} | `{str(d.sha256)[:16]}` |"
        for d in documents.head(DOCUMENTS_LISTED).itertuples()
    ]
    if len(documents) > DOCUMENTS_LISTED:
        doc_rows.append(f"| … and {len(documents) - DOCUMENTS_LISTED} more in `documents.csv` |||")
    prefixes = ", ".join(repr(p).replace("'", "`") for p in formula_prefixes)
    attribution = "\n".join(f"- {' '.join(a.split())}" for a in info["attribution"])
    not_reproducible = ", ".join(f"`{n}`" for n in NOT_REPRODUCIBLE)
    measured = " ".join(
        [
            *info["measured_quality"].split(),
            f"In this release {figures.documents_with_records} of {figures.documents} documents",
            f"({share(figures.documents_with_records, figures.documents)}) have at least one",
            f"record; {figures.records_with_evidence} of {figures.records} records",
            f"({share(figures.records_with_evidence, figures.records)}) are backed by a quote",
            f"in a document; {figures.territories_with_nuts} of {figures.territories} territories",
            f"({share(figures.territories_with_nuts, figures.territories)}) have a NUTS 2021",
            f"code. See `{REPORT_FILE}`.",
        ]
    )
    return f"""# {info["title"]} — release {version}

{" ".join(info["description"].split())}

## What is inside

Every table comes as Parquet (`<table>.parquet`: zstd-compressed, column
descriptions in the schema, exact values) and CSV (`<table>.csv`), and all of
them are in the DuckDB database `{DUCKDB_FILE}`.

| table | rows | one row per / what |
|---|---:|---|
{chr(10).join(table_rows)}

| file | what |
|---|---|
{chr(10).join(other_files)}

Identifiers (`prg-`, `obj-`, `act-`, `ter-`, `prj-`, `org-` and 12 hex digits) are
stable across releases for the same thing. Every value in the record tables comes
from `statements`, which gives the document, the character offsets in the
document's cleaned text (`documents.text`, end exclusive) and the quote.

### CSV files

UTF-8 without byte-order mark, RFC 4180 (comma-separated, CRLF line ends, fields
quoted with `"` when needed, quotes doubled), one header row. An empty cell is a
missing value (null); read the Parquet file to tell an empty text from a missing one.

**Spreadsheet safety.** So that no spreadsheet program runs a cell as a formula,
a text cell that begins with one of {prefixes} (tab, carriage return) is written
with a single quote `'` before it, as OWASP recommends against CSV injection:
`=SUM(A1)` is written `'=SUM(A1)`. This changes those cells only, and only in
the CSV files: the Parquet files and the DuckDB database hold the exact values.

## How to cite

> {citation(info, version)}

`{CITATION_FILE}` has the same in the Citation File Format. Please name the
version: releases are immutable, and a version always means the same files.

## Licence

The data is published under the {info["licence"]["name"]} licence
({info["licence"]["url"]}): you may share and adapt it for any purpose, provided
you give appropriate credit (see "How to cite") and indicate if changes were made.
Please also credit the sources:

{attribution}

## Source documents

{figures.documents} documents were read ({figures.rejected_documents} raw files
rejected, see `rejected_documents`). The capture did not record the web address
of each page: a document is known by the name of its file in `raw/` and the
SHA-256 of its bytes (`raw_files`, `documents`).

| source file | title | language | SHA-256 (first 16) |
|---|---|---|---|
{chr(10).join(doc_rows) or "| (none) ||||"}

## Known limitations

- **Rule-based extraction.** Records are found in web pages by rules (patterns,
  reference lists, the structure of the text), not by people: some things named in
  the pages are missed and some records may be wrong. Every value has its evidence
  (document, offsets, quote): check it before relying on a value.
- **Measured quality.** {measured}
- **Conflicts.** For {figures.conflicts} field(s) the sources give different
  values; `conflicts` lists them with the value kept and the rule that chose it.
- **Held-out rows.** {figures.rejected_rows} row(s) failed validation and are in
  `rejected_rows` instead of their table.
- **Offsets** refer to the cleaned text in `documents.text`, not to the raw HTML.
- **Reproducibility.** The same input and code give byte-identical files, except
  {not_reproducible}: DuckDB writes a random database identifier and checksums
  into every new file, so the database differs from build to build while holding
  the same tables. Its line in `{CHECKSUMS_FILE}` proves the integrity of this copy,
  not reproducibility, and `{CATALOG_FILE}` gives it no checksum.

## Verifying the files

    sha256sum -c {CHECKSUMS_FILE}
"""


def _spatial(tables: Mapping[str, pd.DataFrame], default: str) -> list[dict[str, str]]:
    codes: set[str] = set()
    for name in ("territories", "organisations"):
        if name in tables:
            codes |= {str(c) for c in tables[name]["country_code"].dropna()}
    uris = []
    for code in sorted(codes):
        country = pycountry.countries.get(alpha_2=code)
        if country is not None:
            uris.append(EU_COUNTRY + country.alpha_3)
    return [{"@id": uri} for uri in (uris or [default])]


def _temporal(tables: Mapping[str, pd.DataFrame]) -> dict[str, Any] | None:
    programmes = tables.get("programmes")
    if programmes is None:
        return None
    starts, ends = programmes["period_start"].dropna(), programmes["period_end"].dropna()
    if not len(starts) and not len(ends):
        return None
    period: dict[str, Any] = {"@type": "dct:PeriodOfTime"}
    if len(starts):
        period["dcat:startDate"] = {"@value": str(int(starts.min())), "@type": "xsd:gYear"}
    if len(ends):
        period["dcat:endDate"] = {"@value": str(int(ends.max())), "@type": "xsd:gYear"}
    return period


def distribution(info: Mapping[str, Any], entry: FileEntry, checksum: bool = True) -> dict:
    """One dcat:Distribution: where the file is, its media type, size and checksum."""
    media, file_type = MEDIA_TYPES.get(Path(entry.name).suffix, MEDIA_TYPES[""])
    url = {"@id": f"{info['download_base_url']}{entry.name}"}
    out: dict[str, Any] = {
        "@type": "dcat:Distribution",
        "dct:title": entry.name,
        "dct:description": file_role(entry.name) or entry.name,
        "dcat:accessURL": url,
        "dcat:downloadURL": url,
        "dcat:mediaType": {"@id": IANA + media},
        "dct:license": {"@id": info["licence"]["eu_vocabulary"]},
    }
    if file_type:
        out["dct:format"] = {"@id": EU_FILE_TYPE + file_type}
    if checksum:
        out["dcat:byteSize"] = {"@value": str(entry.size), "@type": "xsd:nonNegativeInteger"}
        out["spdx:checksum"] = {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": {"@value": entry.sha256, "@type": "xsd:hexBinary"},
        }
    return out


def dcat_description(
    info: Mapping[str, Any],
    version: str,
    tables: Mapping[str, pd.DataFrame],
    files: Sequence[FileEntry],
) -> dict[str, Any]:
    """The DCAT-AP dataset, with one distribution per file.

    Files that are not byte-reproducible get no size or checksum, so that the
    description itself stays reproducible; SHA256SUMS has them.
    """
    lang = info["language"]
    dataset: dict[str, Any] = {
        "@context": {
            "dcat": "http://www.w3.org/ns/dcat#",
            "dct": "http://purl.org/dc/terms/",
            "foaf": "http://xmlns.com/foaf/0.1/",
            "vcard": "http://www.w3.org/2006/vcard/ns#",
            "spdx": "http://spdx.org/rdf/terms#",
            "owl": "http://www.w3.org/2002/07/owl#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
        },
        "@id": "#dataset",
        "@type": "dcat:Dataset",
        "dct:identifier": f"{info['slug']}-{version}",
        "dct:title": {"@value": info["title"], "@language": lang},
        "dct:description": {"@value": " ".join(info["description"].split()), "@language": lang},
        "dcat:version": version,
        "owl:versionInfo": version,
        "dct:license": {"@id": info["licence"]["eu_vocabulary"]},
        "dct:publisher": {
            "@type": "foaf:Agent",
            "foaf:name": info["publisher"]["name"],
            "foaf:homepage": {"@id": info["publisher"]["url"]},
        },
        "dcat:contactPoint": {
            "@type": "vcard:Kind",
            "vcard:fn": info["contact"]["name"],
            "vcard:hasEmail": {"@id": "mailto:" + info["contact"]["email"]},
        },
        "dcat:landingPage": {"@id": info["landing_page"]},
        "dcat:keyword": [{"@value": k, "@language": lang} for k in info["keywords"]],
        "dcat:theme": [{"@id": t} for t in info["themes"]],
        "dct:spatial": _spatial(tables, info["default_spatial"]),
        "dcat:distribution": [
            distribution(info, f, checksum=f.name not in NOT_REPRODUCIBLE) for f in files
        ],
    }
    if date := release_date(version):
        dataset["dct:issued"] = {"@value": date, "@type": "xsd:date"}
    if temporal := _temporal(tables):
        dataset["dct:temporal"] = temporal
    return dataset


def json_text(value: Any) -> str:
    """Indented UTF-8 JSON, keys in the order they were written (which is fixed)."""
    return json.dumps(value, ensure_ascii=False, indent=2) + "\n"


def verify_checksums(folder: Path) -> list[str]:
    """What is wrong with the folder against its SHA256SUMS (empty when all is well)."""
    if not (folder / CHECKSUMS_FILE).is_file():
        return [f"{CHECKSUMS_FILE} is missing"]
    listed = read_checksums(folder)
    present = {p.name for p in folder.iterdir() if p.is_file()} - {CHECKSUMS_FILE}
    problems = [f"{name}: not in {CHECKSUMS_FILE}" for name in sorted(present - listed.keys())]
    for name, digest in sorted(listed.items()):
        if name not in present:
            problems.append(f"{name}: listed but missing")
        elif sha256_file(folder / name) != digest:
            problems.append(f"{name}: checksum differs")
    return problems


def pack(release_dir: Path, output_dir: Path) -> tuple[Path, Path]:
    """Zip a release (sorted entries, fixed times and modes) and describe the archive.

    Returns the archive and its DCAT-AP description: the release's own
    ``dcat.jsonld`` with the archive added as one more distribution.
    """
    folder = release_dir.resolve()
    problems = verify_checksums(folder)
    if problems:
        raise ReleaseDamaged(
            f"{folder} does not match its {CHECKSUMS_FILE}: " + "; ".join(problems)
        )
    info = load_dataset_info()
    stem = f"{info['slug']}-{folder.name}"
    output_dir.mkdir(parents=True, exist_ok=True)
    archive = output_dir / f"{stem}.zip"
    tmp = output_dir / f".{stem}.zip.tmp-{os.getpid()}"
    try:
        with zipfile.ZipFile(tmp, "w") as zf:
            for path in sorted(p for p in folder.iterdir() if p.is_file()):
                entry = zipfile.ZipInfo(f"{stem}/{path.name}", date_time=ZIP_EPOCH)
                entry.compress_type = zipfile.ZIP_DEFLATED
                entry.create_system = 3
                entry.external_attr = 0o100644 << 16
                large = path.stat().st_size >= zipfile.ZIP64_LIMIT
                with path.open("rb") as src, zf.open(entry, "w", force_zip64=large) as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
        os.replace(tmp, archive)
    finally:
        tmp.unlink(missing_ok=True)
    description = json.loads((folder / CATALOG_FILE).read_text(encoding="utf-8"))
    packed = FileEntry(archive.name, archive.stat().st_size, sha256_file(archive))
    description["dcat:distribution"].append(distribution(info, packed))
    described = output_dir / f"{stem}.{CATALOG_FILE}"
    described.write_text(json_text(description), encoding="utf-8")
    return archive, described
