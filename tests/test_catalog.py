"""DCAT-AP description, citation, and the archive for data portals."""

from __future__ import annotations

import hashlib
import json
import zipfile

import pytest
import yaml

from pipeline import catalog
from pipeline.cli import main
from pipeline.release import publish
from tests.test_release import sample_tables


@pytest.fixture
def release(tmp_path):
    return publish(sample_tables(), tmp_path / "wh" / "releases", "2025.04.30")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_dcat_describes_the_dataset(release):
    dataset = json.loads((release / catalog.CATALOG_FILE).read_text())
    assert dataset["@type"] == "dcat:Dataset"
    assert dataset["dcat:version"] == "2025.04.30"
    assert dataset["dct:issued"] == {"@value": "2025-04-30", "@type": "xsd:date"}
    assert dataset["dct:license"]["@id"].endswith("/licence/CC_BY_4_0")
    assert dataset["dct:title"]["@value"]
    assert dataset["dct:description"]["@value"]
    assert dataset["dct:publisher"]["foaf:name"]
    assert {k["@value"] for k in dataset["dcat:keyword"]} >= {"Interreg"}
    # The sample names Belgium (a territory) and France (an organisation's country).
    assert [s["@id"].rsplit("/", 1)[1] for s in dataset["dct:spatial"]] == ["BEL", "FRA"]
    assert dataset["dct:temporal"]["dcat:startDate"]["@value"] == "2021"
    assert dataset["dct:temporal"]["dcat:endDate"]["@value"] == "2027"


def test_dcat_has_one_distribution_per_file_with_its_checksum(release):
    dataset = json.loads((release / catalog.CATALOG_FILE).read_text())
    distributions = {d["dct:title"]: d for d in dataset["dcat:distribution"]}
    on_disk = {p.name for p in release.iterdir()} - {catalog.CATALOG_FILE, catalog.CHECKSUMS_FILE}
    assert set(distributions) == on_disk
    for name, dist in distributions.items():
        assert dist["@type"] == "dcat:Distribution"
        assert dist["dcat:downloadURL"]["@id"].endswith(name)
        assert dist["dcat:mediaType"]["@id"].startswith("http://www.iana.org/assignments/")
        if name in catalog.NOT_REPRODUCIBLE:
            assert "spdx:checksum" not in dist
            continue
        data = (release / name).read_bytes()
        assert dist["spdx:checksum"]["spdx:checksumValue"]["@value"] == sha256(data)
        assert dist["dcat:byteSize"]["@value"] == str(len(data))
    assert distributions["projects.csv"]["dcat:mediaType"]["@id"].endswith("/text/csv")
    assert distributions["projects.parquet"]["dct:format"]["@id"].endswith("/PARQUET")


def test_a_release_without_calendar_version_has_no_issue_date(tmp_path):
    folder = publish(sample_tables(), tmp_path / "releases", "beta-1")
    dataset = json.loads((folder / catalog.CATALOG_FILE).read_text())
    assert "dct:issued" not in dataset
    cff = yaml.safe_load((folder / catalog.CITATION_FILE).read_text())
    assert "date-released" not in cff


def test_the_citation_file_names_the_version(release):
    cff = yaml.safe_load((release / catalog.CITATION_FILE).read_text())
    assert cff["cff-version"] == "1.2.0"
    assert cff["type"] == "dataset"
    assert cff["version"] == "2025.04.30"
    assert cff["date-released"] == "2025-04-30"
    assert cff["license"] == "CC-BY-4.0"
    assert cff["authors"][0]["name"]


def test_pack_is_deterministic_and_holds_every_file(release, tmp_path):
    archive, described = catalog.pack(release, tmp_path / "one")
    again, _ = catalog.pack(release, tmp_path / "two")
    assert archive.read_bytes() == again.read_bytes()
    stem = f"territorial-cooperation-dataset-{release.name}"
    with zipfile.ZipFile(archive) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        assert names == sorted(names)
        assert names == [f"{stem}/{p.name}" for p in sorted(release.iterdir())]
        assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
        for info in infos:
            assert zf.read(info) == (release / info.filename.split("/", 1)[1]).read_bytes()
    description = json.loads(described.read_text())
    packed = description["dcat:distribution"][-1]
    assert packed["dct:title"] == archive.name
    assert packed["spdx:checksum"]["spdx:checksumValue"]["@value"] == sha256(archive.read_bytes())
    assert packed["dcat:mediaType"]["@id"].endswith("/application/zip")


def test_a_modified_release_is_not_packed(release, tmp_path):
    (release / "projects.csv").write_bytes(b"changed\r\n")
    with pytest.raises(catalog.ReleaseDamaged, match=r"projects\.csv: checksum differs"):
        catalog.pack(release, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_pack_command_packs_latest_beside_the_releases(release, capsys):
    latest = release.parent / "latest"
    assert main(["pack", "--release", str(latest)]) == 0
    archives = release.parent.parent / "archives"
    assert (archives / f"territorial-cooperation-dataset-{release.name}.zip").is_file()
    assert (archives / f"territorial-cooperation-dataset-{release.name}.dcat.jsonld").is_file()
    assert "sha256" in capsys.readouterr().out


def test_pack_command_refuses_a_missing_release(tmp_path, capsys):
    assert main(["pack", "--release", str(tmp_path / "nothing")]) == 2
    assert "no release folder" in capsys.readouterr().err
