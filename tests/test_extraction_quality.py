"""Extraction quality, measured the way the evaluation measures it.

Two builds are scored with the evaluation's own scorer (a verbatim copy in
tests/support/score.py):

- the five seed pages in raw/ against tests/fixtures/seeds_gold (the
  development set: targets of issue 3);
- tests/fixtures/pages, pages written for this project in French, Dutch,
  German and English with programme, project and place names the seeds do not
  contain, against tests/fixtures/pages_gold. Rules that only fit the seeds
  score low here, which is the point.
- tests/fixtures/pages2, more of the project's own pages, written for the
  failure modes the held-out pages showed (project tables and headings in HTML,
  regional ERDF programmes, small-project funds, macro-regional strategies,
  earlier Interreg generations, objective codes in tables), against
  tests/fixtures/pages2_gold.
- tests/fixtures/heldout, a second set of such pages that nobody tunes the
  extractors on (engineers tune on tests/fixtures/pages), against
  tests/fixtures/heldout_gold: the honest measure of generalisation. Its floor
  only guards against collapse; the figure to read is the printed one.
- tests/fixtures/heldout2, a blind second held-out set (nobody tunes on it, and
  its misses and extras are never printed), against tests/fixtures/heldout2_gold.

The fast tests at the bottom keep the fixtures themselves honest: every page
has a gold file named after it, and every NUTS and country code in the gold is
a real one.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path
from types import ModuleType

import pycountry
import pytest

from pipeline.build import BuildResult, run_build

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures"
PAGES = FIXTURES / "pages"
PAGES_GOLD = FIXTURES / "pages_gold"
SEEDS_GOLD = FIXTURES / "seeds_gold"
HELDOUT = FIXTURES / "heldout"
# Pages written to exercise organisation name boundaries and authority-vs-place decisions
PAGES2 = FIXTURES / "pages2"
PAGES2_GOLD = FIXTURES / "pages2_gold"
PAGES3 = FIXTURES / "pages3"
PAGES3_GOLD = FIXTURES / "pages3_gold"
HELDOUT_GOLD = FIXTURES / "heldout_gold"
# The first two digits of a held-out page's name give its language (20x en, 21x fr, ...).
LANGUAGE_OF_HELDOUT_PAGE = {"20": "en", "21": "fr", "22": "nl", "23": "de"}
# A second blind set, written after the first had been looked at: never tune on it, and never
# print its misses and extras (the test prints the scorer's table only).
HELDOUT2 = FIXTURES / "heldout2"
HELDOUT2_GOLD = FIXTURES / "heldout2_gold"
LANGUAGE_OF_HELDOUT2_PAGE = {"40": "en", "41": "fr", "42": "nl", "43": "de"}
NUTS_CSV = TESTS.parent / "pipeline" / "reference" / "nuts2021.csv"

SEED_TARGETS = {
    "macro_f1": 0.90,
    "attribute_accuracy": 0.90,
    "evidence_coverage": 1.0,
    "evidence_valid": 1.0,
}
PAGE_TARGETS = {"macro_f1": 0.75, "evidence_valid": 1.0}
# A floor against collapse, below the 0.75 the issue targets on unseen pages.
HELDOUT_FLOOR = {"macro_f1": 0.70, "evidence_valid": 1.0}
# Only a collapse guard for the blind set: the figure to read is the printed one.
HELDOUT2_FLOOR = {"macro_f1": 0.65, "evidence_valid": 1.0}
GOLD_TYPES = ("programmes", "objectives", "territories", "projects", "organisations")


def load_scorer() -> ModuleType:
    """Import tests/support/score.py by path: it is a copied script, not a package module."""
    path = TESTS / "support" / "score.py"
    spec = importlib.util.spec_from_file_location("eval_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def scored(scorer: ModuleType, release_dir: Path, gold_dir: Path, label: str) -> dict:
    """Score a release, print the scorer's own table (with misses and extras), return figures."""
    print(f"\n== {label}: {release_dir} vs {gold_dir.relative_to(TESTS.parent)}")
    scorer.main(["--release", str(release_dir), "--gold", str(gold_dir), "--details"])
    return scorer.score_release(release_dir, gold_dir)


def shortfalls(summary: dict, targets: dict[str, float]) -> list[str]:
    return [
        f"{name}={summary[name]} (target {'==' if goal == 1.0 else '>='} {goal})"
        for name, goal in targets.items()
        if summary[name] < goal
    ]


@pytest.fixture(scope="module")
def scorer() -> ModuleType:
    return load_scorer()


def build_pages(folder: Path, factory: pytest.TempPathFactory) -> BuildResult:
    """A release built from one folder of evaluation pages; a failed build fails the test."""
    result = run_build(raw_dir=folder, warehouse_dir=factory.mktemp("wh"), version="test")
    assert result.release_dir is not None, result.error or [
        f"{c.asset}:{c.name}: {c.details}" for c in result.failed_checks
    ]
    return result


@pytest.fixture(scope="module")
def pages_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The project's own evaluation pages."""
    return build_pages(PAGES, tmp_path_factory)


@pytest.fixture(scope="module")
def pages2_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The second set of the project's own pages."""
    return build_pages(PAGES2, tmp_path_factory)


@pytest.fixture(scope="module")
def pages3_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The organisation-boundary pages."""
    return build_pages(PAGES3, tmp_path_factory)


@pytest.fixture(scope="module")
def heldout_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The held-out pages (never used to tune extractors)."""
    return build_pages(HELDOUT, tmp_path_factory)


@pytest.fixture(scope="module")
def heldout2_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The blind second held-out set."""
    return build_pages(HELDOUT2, tmp_path_factory)


@pytest.mark.slow
def test_seed_pages_meet_the_issue_targets(seed_build: BuildResult, scorer: ModuleType) -> None:
    # seed_build (tests/conftest.py) is built once per session from raw/.
    assert seed_build.release_dir is not None, seed_build.error
    summary = scored(scorer, seed_build.release_dir, SEEDS_GOLD, "seed pages (raw/)")["summary"]
    assert not shortfalls(summary, SEED_TARGETS), shortfalls(summary, SEED_TARGETS)


@pytest.mark.slow
def test_unseen_pages_meet_the_generalisation_targets(
    pages_build: BuildResult, scorer: ModuleType
) -> None:
    assert pages_build.release_dir is not None
    summary = scored(scorer, pages_build.release_dir, PAGES_GOLD, "unseen pages")["summary"]
    assert not shortfalls(summary, PAGE_TARGETS), shortfalls(summary, PAGE_TARGETS)


@pytest.mark.slow
def test_second_set_of_pages_meets_the_generalisation_targets(
    pages2_build: BuildResult, scorer: ModuleType
) -> None:
    assert pages2_build.release_dir is not None
    summary = scored(scorer, pages2_build.release_dir, PAGES2_GOLD, "pages2")["summary"]
    assert not shortfalls(summary, PAGE_TARGETS), shortfalls(summary, PAGE_TARGETS)


def test_second_set_of_pages_has_one_gold_file_per_page() -> None:
    pages = sorted(p.name for p in PAGES2.iterdir() if not p.name.startswith("."))
    golds = sorted(PAGES2_GOLD.glob("*.json"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    assert sorted(d["doc"] for d in docs) == pages
    assert sum(p.endswith(".html") for p in pages) >= 3
    declared = {p["name"] for d in docs for p in d["programmes"]}
    for doc in docs:
        assert set(GOLD_TYPES) <= set(doc), doc["doc"]
        for rtype in ("objectives", "territories", "projects"):
            for item in doc[rtype]:
                assert item.get("programme") in (None, *declared), (doc["doc"], item)


@pytest.mark.slow
def test_organisation_boundary_pages_meet_the_generalisation_targets(
    pages3_build: BuildResult, scorer: ModuleType
) -> None:
    assert pages3_build.release_dir is not None
    results = scored(scorer, pages3_build.release_dir, PAGES3_GOLD, "pages3")
    assert not shortfalls(results["summary"], PAGE_TARGETS), shortfalls(
        results["summary"], PAGE_TARGETS
    )
    assert results["organisations"]["f1"] >= 0.9, results["organisations"]


@pytest.mark.slow
def test_held_out_pages_do_not_collapse(heldout_build: BuildResult, scorer: ModuleType) -> None:
    assert heldout_build.release_dir is not None
    summary = scored(scorer, heldout_build.release_dir, HELDOUT_GOLD, "held-out pages")["summary"]
    assert not shortfalls(summary, HELDOUT_FLOOR), shortfalls(summary, HELDOUT_FLOOR)


@pytest.mark.slow
def test_blind_held_out_pages_do_not_collapse(
    heldout2_build: BuildResult, scorer: ModuleType
) -> None:
    """Scores the blind set; prints the table only, so its misses never become tuning hints."""
    assert heldout2_build.release_dir is not None
    print(f"\n== blind held-out pages: vs {HELDOUT2_GOLD.relative_to(TESTS.parent)}")
    scorer.main(["--release", str(heldout2_build.release_dir), "--gold", str(HELDOUT2_GOLD)])
    summary = scorer.score_release(heldout2_build.release_dir, HELDOUT2_GOLD)["summary"]
    assert not shortfalls(summary, HELDOUT2_FLOOR), shortfalls(summary, HELDOUT2_FLOOR)


# ------------------------------------------------------------ fixture integrity (fast)


def gold_files() -> list[Path]:
    return sorted(PAGES_GOLD.glob("*.json"))


def test_every_page_has_one_gold_file_named_after_it() -> None:
    pages = sorted(p.name for p in PAGES.iterdir() if not p.name.startswith("."))
    assert len(pages) >= 12
    docs = [json.loads(p.read_text(encoding="utf-8"))["doc"] for p in gold_files()]
    assert sorted(docs) == pages
    assert all(Path(doc).stem == path.stem for doc, path in zip(docs, gold_files(), strict=True))


def test_seed_gold_covers_exactly_the_raw_pages() -> None:
    raw = sorted(p.name for p in (TESTS.parent / "raw").iterdir() if not p.name.startswith("."))
    docs = sorted(
        json.loads(p.read_text(encoding="utf-8"))["doc"] for p in SEEDS_GOLD.glob("*.json")
    )
    assert docs == raw


def test_pages_cover_the_languages_and_formats_the_issue_asks_for() -> None:
    names = [p.name for p in PAGES.iterdir()]
    assert sum(n.endswith(".html") for n in names) >= 3
    raw_bytes = [p.read_bytes() for p in PAGES.iterdir()]
    not_utf8 = 0
    for data in raw_bytes:
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            not_utf8 += 1
    assert not_utf8 >= 1, "one page must be in a legacy single-byte encoding"
    last_lines = [d.rstrip().splitlines()[-1] for d in raw_bytes]
    cut_off = [line for line in last_lines if len(line) > 80 and line[-1:] not in b".!?:>"]
    assert cut_off, "one page must end in the middle of a sentence of running text"


@pytest.mark.parametrize(
    "gold_dir",
    [PAGES_GOLD, SEEDS_GOLD, HELDOUT_GOLD, PAGES3_GOLD, PAGES2_GOLD, HELDOUT2_GOLD],
    ids=["pages", "seeds", "heldout", "pages3", "pages2", "heldout2"],
)
def test_gold_territory_codes_are_real_nuts_2021_and_iso_codes(gold_dir: Path) -> None:
    nuts = {
        line.split(",", 1)[0]
        for line in NUTS_CSV.read_text(encoding="utf-8").splitlines()[1:]
        if line
    }
    for path in sorted(gold_dir.glob("*.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["territories"]:
            code, country = item.get("nuts"), item.get("country")
            assert code is None or code in nuts, (path.name, item["name"], code)
            assert (
                code is None
                or country is None
                or code[:2] == country
                or (code[:2] == "UK" and country == "GB")
            ), (path.name, item["name"])
            assert country is None or pycountry.countries.get(alpha_2=country), (
                path.name,
                item["name"],
                country,
            )


def test_gold_items_name_programmes_that_the_gold_declares() -> None:
    """A link to a programme name the gold does not list could never be matched."""
    declared: set[str] = set()
    links: list[tuple[str, str]] = []
    for path in gold_files():
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert set(GOLD_TYPES) <= set(doc), path.name
        declared |= {p["name"] for p in doc["programmes"]}
        for rtype in ("objectives", "territories", "projects"):
            links += [(path.name, i["programme"]) for i in doc[rtype] if i.get("programme")]
        for obj in doc["objectives"]:
            assert obj["code"] is None or re.fullmatch(
                r"PO[1-5]|ISO[12]|RSO[1-5]\.[1-9]|ISO[67]\.[1-6]", obj["code"]
            ), (path.name, obj["code"])
    assert all(name in declared for _, name in links), [x for x in links if x[1] not in declared]


def test_held_out_pages_have_gold_and_cover_the_four_languages() -> None:
    pages = sorted(p.name for p in HELDOUT.iterdir() if not p.name.startswith("."))
    assert len(pages) >= 12
    golds = sorted(HELDOUT_GOLD.glob("*.json"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    assert sorted(d["doc"] for d in docs) == pages
    assert all(Path(d["doc"]).stem == p.stem for d, p in zip(docs, golds, strict=True))
    declared = {p["name"] for d in docs for p in d["programmes"]}
    for doc in docs:
        for rtype in ("objectives", "territories", "projects"):
            for item in doc[rtype]:
                assert item.get("programme") in (None, *declared), (doc["doc"], item)
        for obj in doc["objectives"]:
            assert obj["code"] is None or re.fullmatch(
                r"PO[1-5]|ISO[12]|RSO[1-5]\.[1-9]|ISO[67]\.[1-6]", obj["code"]
            ), (doc["doc"], obj["code"])
    languages = {"en": 0, "fr": 0, "nl": 0, "de": 0}
    for name in pages:
        languages[LANGUAGE_OF_HELDOUT_PAGE[name[:2]]] += 1
    assert min(languages.values()) >= 3, languages


def test_blind_held_out_pages_have_gold_and_cover_what_the_set_promises() -> None:
    pages = sorted(p.name for p in HELDOUT2.iterdir() if not p.name.startswith("."))
    golds = sorted(HELDOUT2_GOLD.glob("*.json"))
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in golds]
    assert sorted(d["doc"] for d in docs) == pages
    assert all(Path(d["doc"]).stem == p.stem for d, p in zip(docs, golds, strict=True))
    declared = {p["name"] for d in docs for p in d["programmes"]}
    for doc in docs:
        assert set(GOLD_TYPES) <= set(doc), doc["doc"]
        for rtype in ("objectives", "territories", "projects"):
            for item in doc[rtype]:
                assert item.get("programme") in (None, *declared), (doc["doc"], item)
        for obj in doc["objectives"]:
            assert obj["code"] is None or re.fullmatch(
                r"PO[1-5]|ISO[12]|RSO[1-5]\.[1-9]|ISO[67]\.[1-6]", obj["code"]
            ), (doc["doc"], obj["code"])
    languages = {"en": 0, "fr": 0, "nl": 0, "de": 0}
    for name in pages:
        languages[LANGUAGE_OF_HELDOUT2_PAGE[name[:2]]] += 1
    assert min(languages.values()) >= 3, languages
    assert sum(name.endswith(".html") for name in pages) >= 4
    last_lines = [
        (HELDOUT2 / name).read_text(encoding="utf-8").rstrip().splitlines()[-1] for name in pages
    ]
    assert any(len(line) > 80 and line[-1] not in ".!?:>" for line in last_lines)
