"""The synthetic corpus: deterministic, varied, and drawn from the reference data."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from pipeline.documents import parse_document
from pipeline.inventory import sha256_of
from pipeline.reference_files import REFERENCE
from pipeline.synth import write_corpus


def corpus(folder: Path, docs: int, seed: int) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in write_corpus(folder, docs, seed)}


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return corpus(tmp_path_factory.mktemp("synth"), 300, seed=11)


def test_same_seed_gives_byte_identical_corpus(tmp_path, pages):
    assert corpus(tmp_path / "again", 300, seed=11) == pages


def test_another_seed_gives_another_corpus(tmp_path, pages):
    other = corpus(tmp_path / "other", 300, seed=12)
    same = sum(other.get(name) == data for name, data in pages.items())
    assert same < 5


def test_a_smaller_corpus_is_the_start_of_a_larger_one(tmp_path, pages):
    small = corpus(tmp_path / "small", 40, seed=11)
    assert small == {name: pages[name] for name in sorted(pages)[:40]}


def test_pages_vary_in_language_layout_and_kind(pages):
    languages = Counter(re.search(r"_([a-z]{2})\.", n).group(1) for n in pages if "copy" not in n)
    assert set(languages) == {"en", "fr", "nl", "de"}
    assert min(languages.values()) >= 30
    suffixes = Counter(Path(n).suffix for n in pages)
    assert suffixes[".txt"] >= 90 and suffixes[".html"] >= 90
    kinds = {n.split("_")[1] for n in pages if "copy" not in n}
    assert kinds == {"programme", "projects", "project", "area", "news", "organisation"}


def test_html_pages_carry_site_furniture(pages):
    html = [data for name, data in pages.items() if name.endswith(".html")]
    assert all(b"<nav" in page and b"<footer>" in page and b"<script>" in page for page in html)
    assert all(b"cookie-banner" in page for page in html)


def test_objective_codes_all_come_from_the_reference_list(pages):
    with (REFERENCE / "specific_objectives_2021_2027.csv").open(encoding="utf-8") as handle:
        known = {row["code"] for row in csv.DictReader(handle)}
    text = "\n".join(d.decode("utf-8", errors="replace") for d in pages.values())
    written = {f"{a}{b}" for a, b in re.findall(r"\b(RSO|ISO) ?(\d\.\d)\b", text)}
    assert len(written) >= 15
    assert written <= known


def test_programmes_and_regions_come_from_the_reference_data(pages):
    with (REFERENCE / "interreg_programmes_2021_2027.csv").open(encoding="utf-8") as handle:
        programmes = [row["name"] for row in csv.DictReader(handle)]
    with (REFERENCE / "nuts2021.csv").open(encoding="utf-8") as handle:
        coded = {row["nuts_code"] for row in csv.DictReader(handle)}
    text = "\n".join(d.decode("utf-8", errors="replace") for d in pages.values())
    assert sum(name in text for name in programmes) >= 20
    area_codes = set(re.findall(r"\(([A-Z]{2}[0-9][0-9A-Z]{0,2})\)", text))
    assert area_codes and area_codes <= coded


def test_a_few_pages_are_byte_copies_of_an_earlier_page(tmp_path):
    pages = corpus(tmp_path, 1000, seed=3)
    copies = sorted(n for n in pages if "_copy" in n)
    originals = {data for name, data in pages.items() if "_copy" not in name}
    assert 1 <= len(copies) <= 20
    assert all(pages[c] in originals for c in copies)


def test_pages_parse_into_documents_in_their_language(tmp_path):
    paths = write_corpus(tmp_path, 60, seed=5)
    agree = 0
    for path in paths:
        doc = parse_document(path.read_bytes(), path.name, sha256_of(path))
        assert doc.text.strip()
        assert "cookie" not in doc.text.lower() and "gtag(" not in doc.text
        tag = re.search(r"_([a-z]{2})\.", path.name)
        agree += tag is not None and doc.language == tag.group(1)
    assert agree >= 50
