"""A real release passes `frictionless validate`; a failing check publishes nothing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import frictionless
import pandas as pd
import pytest

import assets.tables
from pipeline.build import run_build
from pipeline.cli import main
from schemas.package import data_dictionary, datapackage
from schemas.tables import PUBLISHED
from tests.conftest import RAW

pytestmark = pytest.mark.slow


def release_copy(seed_build, tmp_path: Path) -> Path:
    """The seed release with its datapackage.json (written here if the release has none)."""
    folder = tmp_path / "release"
    shutil.copytree(seed_build.release_dir, folder)
    package = folder / "datapackage.json"
    if not package.exists():
        package.write_text(json.dumps(datapackage("test", PUBLISHED), indent=2), encoding="utf-8")
    return folder


def errors(report: frictionless.Report) -> list[tuple[str, str]]:
    return [(task.name, error.type) for task in report.tasks for error in task.errors]


def test_the_release_is_a_valid_frictionless_data_package(seed_build, tmp_path):
    folder = release_copy(seed_build, tmp_path)
    report = frictionless.validate(str(folder / "datapackage.json"))
    assert report.valid, errors(report)[:20]
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["path"] for r in package["resources"]} == {f"{n}.csv" for n in PUBLISHED}
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_frictionless_catches_a_dangling_key_and_a_bad_code_in_the_csv(seed_build, tmp_path):
    folder = release_copy(seed_build, tmp_path)
    documents = pd.read_csv(folder / "documents.csv", dtype=str, keep_default_na=False)
    evidence = pd.read_csv(folder / "evidence.csv", dtype=str, keep_default_na=False)
    documents.loc[0, "language"] = "xx"
    evidence = pd.concat([evidence, evidence.head(1).assign(doc_id="doc-" + "f" * 16)])
    documents.to_csv(folder / "documents.csv", index=False, lineterminator="\r\n")
    evidence.to_csv(folder / "evidence.csv", index=False, lineterminator="\r\n")
    found = set(errors(frictionless.validate(str(folder / "datapackage.json"))))
    assert ("documents", "constraint-error") in found
    assert ("evidence", "foreign-key") in found


def test_the_release_ships_the_data_dictionary_or_it_can_be_generated(seed_build):
    shipped = seed_build.release_dir / "data_dictionary.md"
    text = shipped.read_text(encoding="utf-8") if shipped.exists() else data_dictionary()
    for name in PUBLISHED:
        assert f"(`{name}`)" in text


def test_a_failing_check_publishes_nothing_and_keeps_the_previous_release(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    warehouse = tmp_path / "warehouse"
    first = run_build(RAW, warehouse, version="good")
    assert first.success, [c.details for c in first.failed_checks]
    latest = warehouse / "releases" / "latest"
    assert latest.resolve().name == "good"

    real_build_evidence = assets.tables.build_evidence

    def corrupt_one_quote(statements: pd.DataFrame) -> pd.DataFrame:
        """Same length (so the row passes its schema), other words: only the text check sees it."""
        evidence = real_build_evidence(statements)
        row = next(i for i, q in enumerate(evidence["quote"]) if q[::-1] != q)
        evidence.loc[row, "quote"] = evidence.loc[row, "quote"][::-1]
        return evidence

    monkeypatch.setattr(assets.tables, "build_evidence", corrupt_one_quote)
    broken = run_build(RAW, warehouse, version="broken")
    assert not broken.success
    assert broken.release_dir is None
    assert not (warehouse / "releases" / "broken").exists()
    assert latest.resolve().name == "good"
    failed = {(c.asset, c.name) for c in broken.failed_checks}
    assert failed == {("evidence", "quotes_match_text")}
    assert "is not the text of" in broken.failed_checks[0].details

    code = main(["build", "--raw", str(RAW), "--warehouse", str(warehouse), "--version", "v3"])
    out, err = capsys.readouterr()
    assert code == 1
    assert "FAILED evidence:quotes_match_text" in out
    assert "| evidence | quote |" in out
    assert "nothing published; latest is still good" in err
    assert latest.resolve().name == "good"
