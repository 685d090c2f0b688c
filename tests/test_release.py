"""A release folder holds every file a data user needs, checksummed, immutable, reproducible."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline import catalog
from pipeline.build import run_build
from pipeline.cli import main
from pipeline.release import (
    FORMULA_PREFIXES,
    ReleaseExists,
    check_version,
    next_version,
    publish,
    write_csv,
)
from pipeline.resources import frame_to_arrow
from schemas.derive import records_frame
from schemas.tables import PUBLISHED, TABLES
from tests.conftest import RAW

DOC_FR, DOC_EN = "doc-" + "a" * 16, "doc-" + "b" * 16
PRG, TER_BE, TER_AREA = "prg-" + "1" * 12, "ter-" + "2" * 12, "ter-" + "3" * 12
PRJ, ORG = "prj-" + "4" * 12, "org-" + "5" * 12
TEXT_FR = "Le programme Interreg Nord relie la Wallonie et la zone frontalière."
TEXT_EN = "The Example Partnership project, led by Agence Exemple, works in Wallonia."


def _span(text: str, words: str) -> dict:
    start = text.index(words)
    return {"char_start": start, "char_end": start + len(words), "quote": words}


def sample_records() -> dict[str, list[dict]]:
    """A small, made-up release: two documents, a few records, one conflict, one rejection."""
    return {
        "raw_files": [
            {"path": "a.html", "size_bytes": 10, "sha256": "a" * 64, "status": "read",
             "doc_id": DOC_FR},
            {"path": "b.txt", "size_bytes": 20, "sha256": "b" * 64, "status": "read",
             "doc_id": DOC_EN},
            {"path": "c.bin", "size_bytes": 5, "sha256": "c" * 64, "status": "read"},
        ],
        "documents": [
            {"doc_id": DOC_FR, "source": "a.html", "sha256": "a" * 64, "size_bytes": 10,
             "media_type": "text/html", "encoding": "utf-8", "language": "fr",
             "title": "Programme Nord", "text": TEXT_FR, "n_chars": len(TEXT_FR)},
            {"doc_id": DOC_EN, "source": "b.txt", "sha256": "b" * 64, "size_bytes": 20,
             "media_type": "text/plain", "encoding": "utf-8", "language": "en",
             "title": "A project", "text": TEXT_EN, "n_chars": len(TEXT_EN)},
        ],
        "rejected_documents": [
            {"source": "c.bin", "sha256": "c" * 64, "size_bytes": 5, "reason": "not text"},
        ],
        "programmes": [
            {"programme_id": PRG, "name": "Interreg Nord", "kind": "interreg",
             "period_start": 2021, "period_end": 2027},
        ],
        "territories": [
            {"territory_id": TER_BE, "name": "Wallonia", "type": "region",
             "country_code": "BE", "nuts_code": "BE3", "nuts_level": 1},
            {"territory_id": TER_AREA, "name": "zone frontalière", "type": "cross-border-area"},
        ],
        "programme_territories": [{"programme_id": PRG, "territory_id": TER_BE}],
        "projects": [{"project_id": PRJ, "name": "Example Partnership", "programme_id": PRG}],
        "organisations": [
            {"organisation_id": ORG, "name": "Agence Exemple", "country_code": "FR"},
        ],
        "project_organisations": [{"project_id": PRJ, "organisation_id": ORG}],
        "aliases": [{"record_id": TER_BE, "name": "Wallonie", "language": "fr",
                     "kind": "translation"}],
        "evidence": [
            {"record_type": "programme", "record_id": PRG, "doc_id": DOC_FR,
             **_span(TEXT_FR, "Interreg Nord")},
            {"record_type": "territory", "record_id": TER_BE, "doc_id": DOC_FR,
             **_span(TEXT_FR, "Wallonie")},
            {"record_type": "territory", "record_id": TER_BE, "doc_id": DOC_EN,
             **_span(TEXT_EN, "Wallonia")},
            {"record_type": "project", "record_id": PRJ, "doc_id": DOC_EN,
             **_span(TEXT_EN, "Example Partnership")},
        ],
        "statements": [
            {"statement_id": "stm-" + "1" * 16, "record_type": "programme", "record_id": PRG,
             "field": "name", "value": "Interreg Nord", "doc_id": DOC_FR,
             "extractor": "programmes.name@1", **_span(TEXT_FR, "Interreg Nord")},
            {"statement_id": "stm-" + "2" * 16, "record_type": "territory", "record_id": TER_BE,
             "field": "nuts_code", "value": "BE3", "extractor": "reference"},
        ],
        "conflicts": [
            {"record_id": PRG, "field": "period_end", "chosen": "2027",
             "candidates": "2027 (2); 2029 (1)", "rule": "most statements"},
        ],
        "rejected_rows": [
            {"table_name": "projects", "row_key": "prj-x", "check": "schema",
             "reason": "bad id", "row": "{}"},
        ],
    }  # fmt: skip


def sample_tables(**changes: list[dict]) -> dict[str, pd.DataFrame]:
    """Every published table (empty where the sample has no rows), with ``changes`` applied."""
    records = sample_records() | changes
    return {name: records_frame(name, records.get(name, [])) for name in PUBLISHED}


def empty_tables() -> dict[str, pd.DataFrame]:
    return {name: records_frame(name, []) for name in PUBLISHED}


def file_digests(folder: Path) -> dict[str, str]:
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.iterdir())
        if p.is_file()
    }


def test_a_release_folder_holds_every_table_in_every_format(tmp_path):
    folder = publish(sample_tables(), tmp_path / "releases", "1.0")
    names = {p.name for p in folder.iterdir()}
    for table in PUBLISHED:
        assert {f"{table}.parquet", f"{table}.csv"} <= names, table
    assert "statements.csv" in names
    expected = {
        catalog.DUCKDB_FILE,
        catalog.README_FILE,
        catalog.CITATION_FILE,
        catalog.REPORT_FILE,
        catalog.CHANGES_FILE,
        catalog.DIFF_FILE,
        catalog.CATALOG_FILE,
        catalog.CHECKSUMS_FILE,
        catalog.DATAPACKAGE_FILE,
        catalog.DICTIONARY_FILE,
    }
    assert expected <= names
    con = duckdb.connect(str(folder / catalog.DUCKDB_FILE), read_only=True)
    assert {r[0] for r in con.execute("SHOW TABLES").fetchall()} == set(PUBLISHED)
    assert con.execute("SELECT count(*) FROM territories").fetchone() == (2,)
    comment = con.execute(
        "SELECT comment FROM duckdb_tables() WHERE table_name = 'projects'"
    ).fetchone()
    assert comment == (TABLES["projects"].description,)


def test_release_works_on_empty_tables(tmp_path):
    folder = publish(empty_tables(), tmp_path / "releases", "empty")
    assert catalog.verify_checksums(folder) == []
    assert "0 documents were read" in (folder / catalog.README_FILE).read_text()


def test_sha256sums_lists_every_other_file_and_detects_a_change(tmp_path):
    folder = publish(sample_tables(), tmp_path / "releases", "1.0")
    listed = [
        line.split("  ", 1)[1]
        for line in (folder / catalog.CHECKSUMS_FILE).read_text().splitlines()
    ]
    assert listed == sorted(p.name for p in folder.iterdir() if p.name != catalog.CHECKSUMS_FILE)
    assert catalog.verify_checksums(folder) == []
    (folder / "projects.csv").write_text("tampered\r\n")
    assert catalog.verify_checksums(folder) == ["projects.csv: checksum differs"]


def test_publishing_an_existing_version_is_refused_and_changes_nothing(tmp_path):
    releases = tmp_path / "releases"
    folder = publish(sample_tables(), releases, "2024.05.01")
    before = file_digests(folder)
    with pytest.raises(ReleaseExists, match="immutable"):
        publish(empty_tables(), releases, "2024.05.01")
    assert file_digests(folder) == before
    assert (releases / "latest").resolve() == folder.resolve()


@pytest.mark.parametrize("version", ["latest", "..", "a/b", "", "-x", "x" * 65])
def test_invalid_versions_are_refused(tmp_path, version):
    with pytest.raises(ValueError, match="invalid release version"):
        check_version(tmp_path, version)


def test_calver_counts_further_releases_of_the_same_day(tmp_path):
    day = dt.date(2025, 3, 7)
    assert next_version(tmp_path, day) == "2025.03.07"
    (tmp_path / "2025.03.07").mkdir()
    assert next_version(tmp_path, day) == "2025.03.07.1"
    (tmp_path / "2025.03.07.1").mkdir()
    assert next_version(tmp_path, day) == "2025.03.07.2"
    assert next_version(tmp_path, dt.date(2025, 3, 8)) == "2025.03.08"


def test_latest_points_at_the_newest_release(tmp_path):
    releases = tmp_path / "releases"
    publish(sample_tables(), releases, "1.0")
    second = publish(sample_tables(), releases, "2.0")
    assert (releases / "latest").is_symlink()
    assert (releases / "latest").resolve() == second.resolve()


FORMULAS = ["=1+1", "+33 1 23", "-2", "@SUM(A1)", "\tindent", "\rreturn"]
HARMLESS = ["a=b", " =x", "'already", "", "plain", "x-1", "3-4"]


def test_csv_neutralises_formula_cells_and_parquet_keeps_them(tmp_path):
    names = FORMULAS + HARMLESS
    rows = [
        {"organisation_id": f"org-{i:012x}", "name": name, "acronym": name}
        for i, name in enumerate(names)
    ]
    tables = sample_tables(organisations=rows, project_organisations=[])
    folder = publish(tables, tmp_path / "releases", "1.0")
    with (folder / "organisations.csv").open(encoding="utf-8", newline="") as handle:
        written = {r["organisation_id"]: r for r in csv.DictReader(handle)}
    for row in rows:
        cell = written[row["organisation_id"]]
        expected = "'" + row["name"] if row["name"] in FORMULAS else row["name"]
        assert cell["name"] == expected, row["name"]
        assert cell["acronym"] == expected
    # The IDs never start with a formula character: they are untouched.
    assert set(written) == {r["organisation_id"] for r in rows}
    exact = pq.read_table(folder / "organisations.parquet").to_pydict()
    assert sorted(exact["name"]) == sorted(names)
    con = duckdb.connect(str(folder / catalog.DUCKDB_FILE), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT name FROM organisations").fetchall()) == sorted(
        names
    )


def test_csv_is_rfc4180_with_a_header_row(tmp_path):
    awkward = 'A "quoted", comma\nand a line break'
    rows = [{"project_id": PRJ, "name": "Example", "description": awkward}]
    path = tmp_path / "projects.csv"
    write_csv("projects", frame_to_arrow("projects", records_frame("projects", rows)), path)
    raw = path.read_bytes()
    assert raw.startswith(",".join(TABLES["projects"].column_names).encode() + b"\r\n")
    assert raw.endswith(b"\r\n")
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b'"A ""quoted"", comma\nand a line break"' in raw
    parsed = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
    assert parsed[1][TABLES["projects"].column_names.index("description")] == awkward


def test_the_data_readme_says_what_a_user_needs(tmp_path):
    folder = publish(sample_tables(), tmp_path / "releases", "2025.02.03")
    readme = (folder / catalog.README_FILE).read_text(encoding="utf-8")
    assert "release 2025.02.03" in readme
    assert "version 2025.02.03" in readme  # the citation names the version
    assert "CC BY 4.0" in readme and "creativecommons.org/licenses/by/4.0" in readme
    assert "Eurostat" in readme and "2021/1060" in readme
    for source, title in (("a.html", "Programme Nord"), ("b.txt", "A project")):
        assert f"`{source}` | {title} |" in readme
    for table in PUBLISHED:
        assert f"`{table}`" in readme
    assert "OWASP" in readme and "`=`" in readme and "`@`" in readme
    assert "cooperation.duckdb" in readme and "random database identifier" in readme
    assert "sha256sum -c SHA256SUMS" in readme
    assert len(FORMULA_PREFIXES) == 6


def test_the_diff_compares_with_the_release_latest_pointed_at(tmp_path):
    releases = tmp_path / "releases"
    first = publish(sample_tables(), releases, "1.0")
    assert '"previous_version": null' in (first / catalog.DIFF_FILE).read_text()
    new_org = {"organisation_id": "org-" + "6" * 12, "name": "Second Agency"}
    records = sample_records()
    renamed = [dict(records["territories"][0], name="Région wallonne"), records["territories"][1]]
    second = publish(
        sample_tables(
            territories=renamed,
            organisations=[*records["organisations"], new_org],
            projects=[],
            project_organisations=[],
        ),
        releases,
        "2.0",
    )
    diff = json.loads((second / catalog.DIFF_FILE).read_text())
    assert diff["previous_version"] == "1.0"
    assert diff["tables"]["organisations"]["records_added"] == [new_org["organisation_id"]]
    assert diff["tables"]["projects"]["records_removed"] == [PRJ]
    assert diff["tables"]["territories"]["records_changed"] == [{"id": TER_BE, "fields": ["name"]}]
    assert diff["tables"]["programmes"]["records_changed"] == []
    changes = (second / catalog.CHANGES_FILE).read_text()
    assert "since release 1.0" in changes
    assert f"`{TER_BE}` (Région wallonne): `name`" in changes
    assert f"`{PRJ}` (Example Partnership)" in changes


def test_publishing_the_same_tables_twice_gives_identical_files_but_the_database(tmp_path):
    one = publish(sample_tables(), tmp_path / "a" / "releases", "2025.01.01")
    two = publish(sample_tables(), tmp_path / "b" / "releases", "2025.01.01")
    assert_reproducible(one, two)


def assert_reproducible(one: Path, two: Path) -> None:
    """Every file byte-identical except the documented exceptions (and their checksum line)."""
    first, second = file_digests(one), file_digests(two)
    assert first.keys() == second.keys()
    skipped = {*catalog.NOT_REPRODUCIBLE, catalog.CHECKSUMS_FILE}
    differing = sorted(n for n in first if n not in skipped and first[n] != second[n])
    assert differing == []

    def sums(folder: Path) -> list[str]:
        lines = (folder / catalog.CHECKSUMS_FILE).read_text().splitlines()
        return [line for line in lines if line.split("  ")[1] not in catalog.NOT_REPRODUCIBLE]

    assert sums(one) == sums(two)


@pytest.mark.slow
def test_two_builds_of_the_same_raw_files_are_byte_identical(seed_build, tmp_path):
    again = run_build(RAW, tmp_path / "wh", version=seed_build.version)
    assert again.success, again.error
    assert again.release_dir is not None and seed_build.release_dir is not None
    assert_reproducible(seed_build.release_dir, again.release_dir)


def test_the_command_line_refuses_an_existing_version_with_a_clear_message(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    publish(sample_tables(), tmp_path / "wh" / "releases", "2024.01.01")
    code = main(["build", "--warehouse", str(tmp_path / "wh"), "--version", "2024.01.01"])
    assert code == 2
    err = capsys.readouterr().err
    assert "release 2024.01.01 already exists" in err and "immutable" in err
