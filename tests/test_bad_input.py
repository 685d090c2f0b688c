"""A raw/ folder full of bad input: every file ends up as a document, a
rejection with its reason, or an ignored entry; one broken file never stops
the others, in the pure step and in a whole build."""

from __future__ import annotations

import codecs
import io
import random
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from pipeline import documents as documents_module
from pipeline.build import run_build
from pipeline.cli import main as cli_main
from pipeline.documents import read_documents, unaccounted_paths
from pipeline.inventory import megabytes_to_bytes, scan

FRENCH = (
    "Le programme Interreg de coopération transfrontalière soutient des projets communs. "
    "L’enveloppe s’élève à 12 millions d’euros pour la période 2021-2027.\n"
)
ITALIAN = (
    "Il programma di cooperazione transfrontaliera finanzia progetti comuni tra le regioni "
    "confinanti, con particolare attenzione all'ambiente e alla mobilità sostenibile.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Projet</title><script>alert('SCRIPT')</script></head>"
    "<body><nav>NAV</nav><h1>Un projet commun</h1><p>Il relie deux régions voisines.</p>"
    "<iframe src='http://tracker.invalid/'>IFRAME</iframe></body></html>"
)
LIMIT_MB = 0.05


def zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", FRENCH)
    return buffer.getvalue()


# What must become of each file: a document, a duplicate of one, ignored, or
# rejected with a reason containing these words.
EXPECTED = {
    "good.txt": "document",
    "page.html": "document",
    "good2 (copie).txt": "duplicate",
    "latin1.txt": "document",
    "utf16.txt": "document",
    "utf8-bom.txt": "document",
    "mojibake.txt": "document",
    "italiano.txt": "document",
    "Région – fiche n°3 (copie) ☃.txt": "document",
    "empty.txt": "rejected:empty file",
    "blank.txt": "rejected:whitespace only",
    "image.png": "rejected:binary",
    "archive.zip": "rejected:binary",
    "noise.bin": "rejected:binary",
    "deep.html": "rejected:nested",
    "huge.txt": "rejected:over the limit",
    "outside.txt": "rejected:pointing outside raw/",
    ".hidden.txt": "ignored",
    "good.txt~": "ignored",
}


def make_messy_raw(root: Path) -> Path:
    raw = root / "raw"
    raw.mkdir()
    files = {
        "good.txt": FRENCH.encode(),
        "page.html": PAGE.encode(),
        "good2 (copie).txt": FRENCH.encode(),
        "latin1.txt": FRENCH.replace("’", "'").encode("latin-1"),
        "utf16.txt": codecs.BOM_UTF16_LE + ("Deuxième page. " + FRENCH).encode("utf-16-le"),
        "utf8-bom.txt": codecs.BOM_UTF8 + ("Troisième page. " + FRENCH).encode(),
        "mojibake.txt": ("Région. " + FRENCH).encode().decode("cp1252").encode(),
        "italiano.txt": ITALIAN.encode(),
        "Région – fiche n°3 (copie) ☃.txt": ("Quatrième page. " + FRENCH).encode(),
        "empty.txt": b"",
        "blank.txt": b" \n\t\n",
        "image.png": b"\x89PNG\r\n\x1a\n" + random.Random(1).randbytes(500),
        "archive.zip": zip_bytes(),
        "noise.bin": random.Random(2).randbytes(3000),
        "deep.html": ("<html><body>" + "<div>" * 1500 + "x" + "</div>" * 1500).encode(),
        "huge.txt": FRENCH.encode() * (megabytes_to_bytes(LIMIT_MB) // len(FRENCH) + 1),
        ".hidden.txt": FRENCH.encode(),
        "good.txt~": FRENCH.encode(),
    }
    for name, content in files.items():
        (raw / name).write_bytes(content)
    (root / "secret.txt").write_text("SECRET")
    (raw / "outside.txt").symlink_to(root / "secret.txt")
    return raw


def outcome_of(path: str, status: str, doc_ids: set[str], doc_id: str | None, rejected: dict):
    if path in rejected:
        return f"rejected:{rejected[path]}"
    if status == "ignored":
        return "ignored"
    if doc_id in doc_ids:
        return "document" if status == "read" else status
    return "lost"


def matches(expected: str, outcome: str) -> bool:
    if expected.startswith("rejected:"):
        return outcome.startswith("rejected:") and expected.split(":", 1)[1] in outcome
    return expected == outcome


def test_every_bad_file_is_a_document_a_rejection_or_ignored(tmp_path):
    raw = make_messy_raw(tmp_path)
    files = scan(raw, max_bytes=megabytes_to_bytes(LIMIT_MB))
    docs, rejections = read_documents(raw, files)
    assert unaccounted_paths(files, docs, rejections) == []
    doc_ids = {d.doc_id for d in docs}
    rejected = {r.source: r.reason for r in rejections}
    outcomes = {f.path: outcome_of(f.path, f.status, doc_ids, f.doc_id, rejected) for f in files}
    assert set(outcomes) == set(EXPECTED)
    wrong = {p: (EXPECTED[p], o) for p, o in outcomes.items() if not matches(EXPECTED[p], o)}
    assert wrong == {}


def test_decoded_documents_hold_the_right_text(tmp_path):
    raw = make_messy_raw(tmp_path)
    docs, _ = read_documents(raw, scan(raw, max_bytes=megabytes_to_bytes(LIMIT_MB)))
    text = {d.source: d.text for d in docs}
    assert text["latin1.txt"] == FRENCH.replace("’", "'").strip()
    assert text["utf16.txt"].startswith("Deuxième page.")
    assert text["utf8-bom.txt"].startswith("Troisième page.")
    assert text["mojibake.txt"].startswith("Région.")
    assert text["page.html"] == "Un projet commun\nIl relie deux régions voisines."
    assert {d.source: d.language for d in docs}["italiano.txt"] == "it"


def test_unaccounted_paths_notices_a_lost_file(tmp_path):
    raw = make_messy_raw(tmp_path)
    files = scan(raw, max_bytes=megabytes_to_bytes(LIMIT_MB))
    docs, rejections = read_documents(raw, files)
    lost = next(d for d in docs if d.source == "good.txt")
    remaining = [d for d in docs if d is not lost]
    assert unaccounted_paths(files, remaining, rejections) == ["good.txt", "good2 (copie).txt"]


def crash_on(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the parser blow up on one file, as a bug in it would."""
    real = documents_module.parse_document

    def parse_document(raw: bytes, source: str, sha256: str):  # type: ignore[no-untyped-def]
        if source == name:
            raise ZeroDivisionError("simulated parser bug")
        return real(raw, source, sha256)

    monkeypatch.setattr(documents_module, "parse_document", parse_document)


def test_parser_crash_on_one_file_is_recorded_and_the_others_are_read(tmp_path, monkeypatch):
    raw = make_messy_raw(tmp_path)
    files = scan(raw, max_bytes=megabytes_to_bytes(LIMIT_MB))
    crash_on("good.txt", monkeypatch)
    docs, rejections = read_documents(raw, files)
    rejected = {r.source: r.reason for r in rejections}
    reason = "unexpected error while parsing: ZeroDivisionError: simulated parser bug"
    assert rejected["good.txt"] == reason
    assert rejected["good2 (copie).txt"] == reason  # the duplicate shares the failure
    assert {"page.html", "latin1.txt", "italiano.txt"} <= {d.source for d in docs}
    assert unaccounted_paths(files, docs, rejections) == []


def test_file_changed_after_the_inventory_is_rejected(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text(FRENCH)
    files = scan(raw)
    (raw / "page.txt").write_text(FRENCH * 1000)
    docs, rejections = read_documents(raw, files)
    assert docs == []
    assert [r.reason for r in rejections] == ["file changed between the inventory and reading it"]


def test_file_swapped_for_a_link_outside_after_the_inventory_is_not_read(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "page.txt").write_text(FRENCH)
    files = scan(raw)
    (tmp_path / "secret.txt").write_text(FRENCH)
    (raw / "page.txt").unlink()
    (raw / "page.txt").symlink_to(tmp_path / "secret.txt")
    docs, rejections = read_documents(raw, files)
    assert docs == []
    assert [r.reason for r in rejections] == ["symbolic link pointing outside raw/"]


# ------------------------------------------------------------------ whole build


@pytest.mark.slow
def test_build_survives_bad_input_and_a_parser_crash(tmp_path, monkeypatch):
    raw = make_messy_raw(tmp_path)
    crash_on("page.html", monkeypatch)
    result = run_build(raw, tmp_path / "warehouse", version="bad", max_file_mb=LIMIT_MB)
    assert result.error is None
    assert result.release_dir is not None, [c.details for c in result.failed_checks]
    release = result.release_dir
    raw_files = pd.read_parquet(release / "raw_files.parquet")
    assert set(raw_files["path"]) == set(EXPECTED)
    rejected = pd.read_parquet(release / "rejected_documents.parquet")
    reasons = dict(zip(rejected["source"], rejected["reason"], strict=True))
    assert "simulated parser bug" in reasons["page.html"]
    assert "over the limit" in reasons["huge.txt"]
    documents = pd.read_parquet(release / "documents.parquet")
    expected_docs = {p for p, o in EXPECTED.items() if o == "document"} - {"page.html"}
    assert set(documents["source"]) == expected_docs


@pytest.mark.slow
def test_build_command_prints_documents_rejected_and_ignored(tmp_path, monkeypatch, capsys):
    raw = make_messy_raw(tmp_path)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster"))
    warehouse = tmp_path / "warehouse"
    argv = ["build", "--raw", str(raw), "--warehouse", str(warehouse), "--version", "cli"]
    assert cli_main([*argv, "--max-file-mb", str(LIMIT_MB)]) == 0
    out = capsys.readouterr().out
    n_docs = sum(o == "document" for o in EXPECTED.values())
    n_rejected = sum(o.startswith("rejected:") for o in EXPECTED.values())
    n_ignored = sum(o == "ignored" for o in EXPECTED.values())
    assert (
        f"input: {len(EXPECTED)} files under raw/ -> {n_docs} documents (+1 duplicate names), "
        f"{n_rejected} rejected, {n_ignored} ignored"
    ) in out
    assert "rejected huge.txt: " in out and "over the limit of 0.05 MB" in out


def test_build_command_says_when_the_input_folder_is_missing(tmp_path, capsys):
    missing = tmp_path / "nowhere"
    assert cli_main(["build", "--raw", str(missing), "--warehouse", str(tmp_path)]) == 2
    assert f"no input folder at {missing}" in capsys.readouterr().err


def test_build_command_refuses_a_size_limit_that_is_not_positive(tmp_path, capsys):
    with pytest.raises(SystemExit):
        cli_main(["build", "--raw", str(tmp_path), "--max-file-mb", "0"])
    assert "must be a positive number" in capsys.readouterr().err


def test_documents_asset_reports_documents_rejected_and_ignored_to_the_ui(tmp_path):
    import dagster as dg

    from assets.ingest import documents, raw_files
    from pipeline.resources import ParquetIOManager, PipelinePaths

    raw = make_messy_raw(tmp_path)
    warehouse = str(tmp_path / "warehouse")
    paths = PipelinePaths(raw_dir=str(raw), warehouse_dir=warehouse, max_file_mb=LIMIT_MB)
    result = dg.materialize(
        [raw_files, documents],
        resources={"paths": paths, "io_manager": ParquetIOManager(warehouse_dir=warehouse)},
    )
    meta = {
        key: value.value
        for event in result.get_asset_materialization_events()
        if event.asset_key == dg.AssetKey("documents")
        for key, value in event.materialization.metadata.items()
    }
    outcomes = list(EXPECTED.values())
    assert meta["dagster/row_count"] == outcomes.count("document")
    assert meta["documents_rejected"] == sum(o.startswith("rejected:") for o in outcomes)
    assert meta["files_ignored"] == outcomes.count("ignored")
    assert meta["files_duplicate"] == outcomes.count("duplicate")
    assert meta["raw_files"] == len(EXPECTED)
