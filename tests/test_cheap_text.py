"""The shortcuts of parsing give what the slow libraries would have given.

``stopword_language`` must agree with lingua wherever it gives a verdict, and
stay silent on text it cannot be sure of; ``needs_ftfy`` may only say False
when ftfy would change nothing; ``CONTROL_CHAR`` is the character classes the
binary-file test counts.
"""

from __future__ import annotations

import re._constants as sre
import re._parser as sre_parse
import subprocess
import sys
import unicodedata
from pathlib import Path

import ftfy
import pytest
from ftfy.badness import BADNESS_RE
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lingua import Language, LanguageDetectorBuilder

from pipeline.cheap_text import BADNESS_WIDTH, has_mojibake, needs_ftfy, stopword_language
from pipeline.documents import (
    CONTROL_CHAR,
    LANGUAGE_SAMPLE_CHARS,
    LANGUAGES,
    clean_text,
    decode,
    html_to_text,
    language_detector,
    looks_like_html,
)
from pipeline.synth import write_corpus
from tests.conftest import RAW

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def decoded_pages(folder: Path) -> list[tuple[str, str]]:
    """(name, decoded text before cleaning) of every page of a folder."""
    out = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        text, _ = decode(path.read_bytes())
        if looks_like_html(text):
            text, _ = html_to_text(text)
        out.append((path.name, text))
    return out


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, str]]:
    """The sample, test and held-out pages and 300 synthetic ones in four languages."""
    synthetic = tmp_path_factory.mktemp("synth")
    write_corpus(synthetic, 300, seed=7)
    folders = (RAW, FIXTURES / "pages", FIXTURES / "heldout", synthetic)
    return [page for folder in folders for page in decoded_pages(folder)]


def lingua(sample: str) -> str:
    found = language_detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else "und"


def test_stopword_verdicts_agree_with_lingua(pages):
    decided = 0
    for name, decoded in pages:
        sample = clean_text(decoded)[:LANGUAGE_SAMPLE_CHARS]
        verdict = stopword_language(sample)
        if verdict is not None:
            decided += 1
            assert verdict == lingua(sample), name
    assert decided >= len(pages) // 3  # the shortcut is taken often enough to matter


ENGLISH = (
    "The programme supports cooperation between the regions of the border area. It funds "
    "projects that improve health services, and it has a budget that the partners share. "
    "Applicants should read the rules of the call before they submit their proposals, "
    "which are assessed by the joint secretariat on behalf of the monitoring committee."
)
GERMAN = (
    "Das Programm fördert die Zusammenarbeit der Regionen an der Grenze. Es wird von der "
    "Europäischen Union finanziert und unterstützt Projekte, die sich mit Gesundheit, "
    "Bildung und Umwelt befassen. Die Partner sind in den Grenzregionen tätig und arbeiten "
    "mit den Behörden auf beiden Seiten zusammen, um die Lebensqualität zu verbessern."
)


@pytest.mark.parametrize("text, language", [(ENGLISH, "en"), (GERMAN, "de")])
def test_clear_running_text_is_decided(text, language):
    assert stopword_language(text) == language == lingua(text)


@pytest.mark.parametrize(
    "text",
    [
        # too short to be sure
        "The programme and the regions.",
        # half English, half German: lingua decides
        ENGLISH[:200] + " " + GERMAN[:200],
        # a list of names under an English sentence
        "The programme area covers the following regions of the border:\n"
        + "\n".join(f"• Landkreis Nummer {n}" for n in range(40)),
        # languages without a stopword list
        "Il programma sostiene la cooperazione tra le regioni di confine e finanzia progetti "
        "comuni per la salute, per la formazione e per l'ambiente. Le domande sono valutate "
        "dal segretariato congiunto per conto del comitato di sorveglianza del programma, "
        "che decide quali progetti ricevono un contributo.",
        "El programa apoya la cooperación entre las regiones fronterizas y financia proyectos "
        "comunes para la salud, la formación y el medio ambiente. Las solicitudes son evaluadas "
        "por la secretaría conjunta en nombre del comité de seguimiento del programa, que "
        "decide qué proyectos reciben una contribución.",
        "Programmet støtter samarbejdet mellem regionerne i grænseområdet og finansierer "
        "fælles projekter om sundhed, uddannelse og miljø. Ansøgningerne vurderes af det "
        "fælles sekretariat på vegne af overvågningsudvalget, som beslutter, hvilke projekter "
        "der får et tilskud fra programmet i den nye periode.",
    ],
)
def test_unclear_text_is_left_to_lingua(text):
    assert stopword_language(text) is None


def test_long_pages_get_the_verdict_of_the_high_accuracy_mode(pages):
    """The low-accuracy mode reads only trigrams, as the high-accuracy mode does
    from 120 characters on: on such pages the two must agree."""
    languages = [getattr(Language, name) for name in LANGUAGES]
    high_accuracy = (
        LanguageDetectorBuilder.from_languages(*languages)
        .with_minimum_relative_distance(0.0)
        .build()
    )
    compared = 0
    for name, decoded in pages:
        sample = clean_text(decoded)[:LANGUAGE_SAMPLE_CHARS]
        if len(sample) >= 120 and stopword_language(sample) is None:
            compared += 1
            assert language_detector().detect_language_of(
                sample
            ) == high_accuracy.detect_language_of(sample), name
    assert compared >= 50


SHORT_PAGE_PROBE = """
from pipeline.documents import detect_language
def rss_mb():
    return int(open("/proc/self/statm").read().split()[1]) * 4096 / 1e6
detect_language("Das Programm unterstützt Projekte an der Grenze zwischen zwei Ländern, "
                "mit den Partnern auf beiden Seiten und den Behörden der Regionen.")
before = rss_mb()
print(detect_language("Grenzüberschreitende Zusammenarbeit"), rss_mb() - before)
"""


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc")
def test_a_short_page_does_not_load_every_language_model():
    """A page of a few words once made lingua load its models of every n-gram
    size, about 570 MB more in the process that parsed it."""
    done = subprocess.run(
        [sys.executable, "-c", SHORT_PAGE_PROBE], capture_output=True, text=True, check=True
    )
    language, grown_mb = done.stdout.split()
    assert language == "de"
    assert float(grown_mb) < 100


# ------------------------------------------------------------------ ftfy


def ftfy_fix(text: str) -> str:
    return ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")


def test_pages_skipped_by_the_ftfy_guard_are_those_ftfy_leaves_alone(pages):
    skipped = 0
    for name, decoded in pages:
        if not needs_ftfy(decoded):
            skipped += 1
            assert ftfy_fix(decoded) == decoded, name
    assert skipped >= len(pages) // 2


@pytest.mark.parametrize(
    "text",
    [
        "CafÃ© de la gare",  # UTF-8 read as Latin-1
        "Ã  la carte\nline",  # the anchored mojibake pattern, at the start
        "first line\nÂ second",  # ... and at the start of a later line
        "R&amp;D projects",  # HTML entity
        "one\r\ntwo",  # Windows line break
        "line\u2028separator",
        "ﬁnancing",  # ligature
        "ＬＯＵＤ",  # full-width forms
        "bell\x07",  # control character
        "e\u0301te",  # not NFC
        "\x1b[31mred\x1b[0m",  # terminal escape
    ],
)
def test_text_ftfy_would_change_is_sent_to_ftfy(text):
    assert ftfy_fix(text) != text
    assert needs_ftfy(text)


def test_every_mojibake_match_is_short_and_holds_a_non_ascii_character():
    """What has_mojibake relies on, read from ftfy's own pattern."""
    tree = sre_parse.parse(BADNESS_RE.pattern, BADNESS_RE.flags)
    assert tree.getwidth()[1] <= BADNESS_WIDTH

    def non_ascii_only(op, arg) -> bool:
        if op is sre.LITERAL:
            return arg > 0x7F
        return op is sre.IN and all(
            (kind is sre.LITERAL and value > 0x7F) or (kind is sre.RANGE and value[0] > 0x7F)
            for kind, value in arg
        )

    [(op, (_, alternatives))] = tree.data
    assert op is sre.BRANCH
    for alternative in alternatives:  # a mandatory element matches non-ASCII only
        assert any(non_ascii_only(op, arg) for op, arg in alternative.data), alternative


def test_mojibake_search_near_non_ascii_finds_what_a_full_search_finds(pages):
    for name, decoded in pages:
        assert has_mojibake(decoded) == bool(BADNESS_RE.search(decoded)), name


MOJIBAKE_CHARS = "ÃÂÎÐØÙВГРСΒΓΞΟГўЂ€œŠš¢£Ÿž×²³à√≈‚βāé•–’«»©®°·´±µ\xa0\xad\x85"


@settings(max_examples=2000, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(MOJIBAKE_CHARS + "abcXYZ .,?!\n\t"), max_size=60))
# matches reaching furthest from their non-ASCII characters, before and after
@example("plain ascii ГўВЂВ.x plain ascii")
@example("plain ascii b Ã  plain ascii")
def test_mojibake_search_near_non_ascii_on_suspect_text(text):
    assert has_mojibake(text) == bool(BADNESS_RE.search(text))
    # the same text after a long ASCII run: the windows must not cut a match
    padded = "x" * 50 + text
    assert has_mojibake(padded) == bool(BADNESS_RE.search(padded))


SUSPECT_CHARS = "aeÃÂÎÐ€œŠš¢£Ÿžâ€™é èà©®°·»×²&;#\r\n\u2028\x85\x07ﬁＡ\u0301 ØÙ√≈‚βā"


@settings(max_examples=300, deadline=None, database=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from(SUSPECT_CHARS), max_size=40))
def test_ftfy_guard_never_skips_a_change(text):
    if not needs_ftfy(text):
        assert ftfy_fix(text) == text


@settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.text(max_size=60))
def test_ftfy_guard_never_skips_a_change_on_any_unicode(text):
    if not needs_ftfy(text):
        assert ftfy_fix(text) == text


def test_control_char_is_the_control_categories_less_whitespace():
    for code in range(0x110000):
        ch = chr(code)
        expected = unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t\f"
        assert bool(CONTROL_CHAR.match(ch)) == expected, hex(code)
