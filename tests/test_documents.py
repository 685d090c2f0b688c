"""Raw bytes -> clean text: every kind of bad input is either read faithfully
or rejected with a reason that says what is wrong; nothing else escapes."""

from __future__ import annotations

import codecs
import contextlib
import hashlib
import io
import random
import zipfile

import pytest

from pipeline.documents import (
    MAX_NESTING,
    Document,
    RejectedInput,
    clean_text,
    detect_language,
    has_letters,
    html_to_text,
    parse_document,
)
from pipeline.extract import extract_mentions

FRENCH = (
    "Le programme de coopération transfrontalière soutient des projets communs "
    "dans la région frontalière. L’enveloppe totale s’élève à 12 millions d’euros, "
    "et les partenaires doivent être établis dans la zone éligible."
)
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02"


def parse(raw: bytes, source: str = "page.txt") -> Document:
    return parse_document(raw, source, hashlib.sha256(raw).hexdigest())


def rejection(raw: bytes) -> str:
    with pytest.raises(RejectedInput) as err:
        parse(raw)
    return str(err.value)


# ------------------------------------------------------------- empty and binary


def test_empty_file_is_rejected_as_empty():
    assert rejection(b"") == "empty file"


@pytest.mark.parametrize("raw", [b" ", b"\n\n\t  \r\n", "\u00a0\u2003\n".encode()])
def test_whitespace_only_is_rejected_as_such(raw):
    assert rejection(raw) == "whitespace only"


def test_png_is_rejected_as_binary():
    assert "binary" in rejection(PNG_HEADER + bytes(range(256)))


def test_zip_is_rejected_as_binary():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("page.txt", FRENCH)
    assert "binary" in rejection(buffer.getvalue())


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_are_rejected_as_binary(seed):
    raw = random.Random(seed).randbytes(4096)
    assert "binary" in rejection(raw)


def test_text_full_of_control_characters_is_binary():
    raw = ("abc\x01\x02\x03\x04\x05\x06" * 50).encode()
    assert "control characters" in rejection(raw)


# ------------------------------------------------------------------- encodings


def test_windows_1252_text_is_decoded():
    text = FRENCH + " Coût : 5 000 € – « Noël » et œuvre."
    doc = parse(text.encode("cp1252"))
    assert doc.encoding == "cp1252"
    assert "transfrontalière" in doc.text and "5 000 €" in doc.text and "œuvre" in doc.text


def test_latin_1_text_is_decoded():
    text = "Die grenzüberschreitende Zusammenarbeit fördert Projekte in der Großregion."
    doc = parse(text.encode("latin-1"))
    assert doc.text == text


def test_short_latin_1_word_is_not_mistaken_for_another_encoding():
    assert parse("Région".encode("latin-1")).text == "Région"


def test_declared_charset_is_honoured():
    html = (
        '<html><head><meta charset="iso-8859-7"><title>Σ</title></head>'
        "<body><p>Συνεργασία</p><p>Πρόγραμμα</p><p>Έργο</p></body></html>"
    )
    doc = parse(html.encode("iso-8859-7"))
    assert doc.text == "Συνεργασία\nΠρόγραμμα\nΈργο"
    assert doc.encoding == "iso8859-7"


def test_utf8_page_wrongly_declared_latin1_is_read_as_utf8():
    raw = '<html><head><meta charset="iso-8859-1"></head><body><p>Région été</p></body></html>'
    assert parse(raw.encode("utf-8")).text == "Région été"


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded(codec):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    doc = parse(bom + FRENCH.encode(codec))
    assert doc.text == FRENCH
    assert doc.encoding == "utf-16"


def test_utf16_without_bom_is_rejected_with_a_reason():
    assert "NUL bytes" in rejection(FRENCH.encode("utf-16-le"))


def test_utf8_bom_is_not_part_of_the_text():
    doc = parse(codecs.BOM_UTF8 + FRENCH.encode())
    assert doc.text == FRENCH
    assert not doc.text.startswith("\ufeff")


def test_mojibake_is_repaired():
    mojibake = "Région Hauts-de-France, coopération, Pôle métropolitain".encode().decode("cp1252")
    assert "Ã©" in mojibake
    doc = parse(mojibake.encode("utf-8"))
    assert doc.text == "Région Hauts-de-France, coopération, Pôle métropolitain"


# ------------------------------------------------------------------------- HTML

HOSTILE_PAGE = """<!DOCTYPE html>
<html><head>
<title>Appel à projets</title>
<style>.secret-style { color: red } </style>
<script>document.write('SECRET-SCRIPT'); fetch('http://tracker.invalid/x');</script>
<script src="http://tracker.invalid/a.js"></script>
<link rel="stylesheet" href="http://tracker.invalid/a.css">
</head>
<body class="cookies-not-set">
<div id="cookie-notice"><p>SECRET-COOKIE banner text</p><button>OK</button></div>
<header><nav><ul><li><a href="/">SECRET-NAV Home</a></li>
<li>SECRET-NAV News</li></ul></nav></header>
<main>
<article>
<header><h1>Lancement de l'appel</h1></header>
<p>Le programme   ouvre
   son appel.</p>
<!-- SECRET-COMMENT -->
<iframe src="http://tracker.invalid/frame">SECRET-IFRAME</iframe>
<noscript>SECRET-NOSCRIPT</noscript>
<template><p>SECRET-TEMPLATE</p></template>
<svg><title>SECRET-SVG</title><text>SECRET-SVG</text></svg>
<div hidden>SECRET-HIDDEN</div>
<ul><li>Premier point</li><li>Second <b>point</b></li></ul>
<pre>ligne 1
ligne 2</pre>
<img src="http://tracker.invalid/pixel.gif" alt="SECRET-ALT">
<form action="/search"><input value="SECRET-INPUT"><select><option>SECRET-OPTION</option></select>
<textarea>SECRET-TEXTAREA</textarea><button>SECRET-BUTTON</button></form>
</article>
</main>
<aside>SECRET-ASIDE</aside>
<footer>SECRET-FOOTER © 2025</footer>
</body></html>"""


def test_dropped_elements_never_reach_the_text():
    doc = parse(HOSTILE_PAGE.encode(), "page.html")
    assert doc.media_type == "text/html"
    assert "SECRET" not in doc.text
    assert doc.title == "Appel à projets"


def test_html_blocks_become_lines_and_list_items_bullets():
    text, _ = html_to_text(HOSTILE_PAGE)
    lines = clean_text(text).split("\n")
    assert lines[0] == "Lancement de l'appel"  # an article's own header is content
    assert "Le programme ouvre son appel." in lines  # source line breaks are spaces
    assert "• Premier point" in lines and "• Second point" in lines
    assert lines[lines.index("ligne 1") + 1] == "ligne 2"  # <pre> keeps its lines


def test_page_wrapped_in_a_form_keeps_its_text():
    html = (
        "<html><body><form id='aspnetForm'><div><h1>Titre</h1><p>Contenu du projet</p>"
        "</div></form></body></html>"
    )
    assert parse(html.encode()).text == "Titre\nContenu du projet"


def test_page_with_only_scripts_is_rejected_with_a_reason():
    html = "<html><head><script>var a = 1;</script></head><body><nav>Menu</nav></body></html>"
    assert "no visible text" in rejection(html.encode())


def test_external_entities_and_remote_resources_are_not_resolved(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("ENTITY-CONTENT")
    page = f"""<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "file://{secret}"><!ENTITY remote SYSTEM "http://tracker.invalid/e">]>
<html><head><title>Entités</title></head>
<body><p>Avant &xxe; &remote; après &amp; &eacute;</p><img src="http://tracker.invalid/i.png"></body></html>"""
    doc = parse(page.encode(), "page.xhtml")
    assert "ENTITY-CONTENT" not in doc.text
    assert doc.text == "Avant &xxe; &remote; après & é"
    assert doc.title == "Entités"


def test_deeply_nested_html_is_rejected_before_parsing():
    # lexbor would spend minutes on this: its cost grows with the square of the depth
    html = "<html><body>" + "<div>" * 100_000 + "deep" + "</div>" * 100_000 + "</body></html>"
    reason = rejection(html.encode())
    assert "nested 100000 deep" in reason and str(MAX_NESTING) in reason


def test_entity_declarations_before_the_page_do_not_show_as_text():
    page = '<!DOCTYPE html [<!ENTITY a "b">]>\n<html><body><p>Texte</p></body></html>'
    assert parse(page.encode()).text == "Texte"


def test_reasonably_nested_html_is_read():
    html = "<html><body>" + "<div><span>" * 200 + "deep" + "</span></div>" * 200 + "</body></html>"
    assert parse(html.encode()).text == "deep"


def test_many_unclosed_paragraphs_are_not_mistaken_for_nesting():
    html = "<html><body>" + "<p>ligne" * (MAX_NESTING * 2) + "</body></html>"
    assert parse(html.encode()).text.count("ligne") == MAX_NESTING * 2


# ------------------------------------------------------------ unknown languages

UNKNOWN_LANGUAGE_PAGES = {
    "it": "Il programma Interreg Italia-Svizzera 2021-2027 finanzia progetti di cooperazione "
    "transfrontaliera tra le regioni dei due paesi, con particolare attenzione all'ambiente.",
    "fi": "Interreg Aurora 2021-2027 -ohjelma rahoittaa rajat ylittävää yhteistyötä "
    "pohjoisten alueiden välillä. Hankkeita haetaan vuosittain avoimissa hakukierroksissa.",
    "pl": "Program Interreg Polska-Słowacja 2021-2027 wspiera współpracę transgraniczną "
    "w regionach przygranicznych. Projekty realizowane są przez partnerów z obu krajów.",
}


@pytest.mark.parametrize("language", sorted(UNKNOWN_LANGUAGE_PAGES))
def test_language_no_rule_knows_is_kept_and_recorded(language):
    doc = parse(UNKNOWN_LANGUAGE_PAGES[language].encode())
    assert doc.language == language
    assert doc.text == UNKNOWN_LANGUAGE_PAGES[language]


@pytest.mark.parametrize("language", sorted(UNKNOWN_LANGUAGE_PAGES))
def test_language_independent_extraction_runs_on_unknown_languages(language):
    doc = parse(UNKNOWN_LANGUAGE_PAGES[language].encode())
    found = extract_mentions(doc.text, doc.language)
    programmes = [m for m in found if m.record_type == "programme"]
    assert any(m.quote.startswith("Interreg ") for m in programmes), found


def test_too_little_text_for_a_language_is_und():
    assert parse(b"RSO 2.4").language == "und"
    assert detect_language("Nord 2021 - Sud 2027: Interreg") == "und"  # 19 letters


def test_letters_are_counted_up_to_the_needed_number():
    assert has_letters("ab1 cd", 4)
    assert not has_letters("ab1 c ...", 4)
    assert has_letters("é" * 3, 3)


def test_bullets_are_recognised_at_the_start_of_any_line_only():
    text = "Intro * not a bullet\n\t*  first\n  ◦ second\n•\n"
    assert clean_text(text) == "Intro * not a bullet\n• first\n• second"


# ----------------------------------------------------------------- determinism


def test_parsing_is_deterministic():
    raw = HOSTILE_PAGE.encode()
    assert parse(raw) == parse(raw)


def test_names_with_odd_characters_are_kept_as_source():
    name = "dossier é/fiche n°3 [v2] (copie) — ☃.txt"
    assert parse(FRENCH.encode(), name).source == name


def test_document_id_is_the_content_hash():
    raw = FRENCH.encode()
    assert parse(raw, "a.txt").doc_id == parse(raw, "b.txt").doc_id
    assert parse(raw).doc_id == f"doc-{hashlib.sha256(raw).hexdigest()[:16]}"


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_without_nul_are_rejected_or_read_never_a_crash(seed):
    raw = bytes(b for b in random.Random(seed).randbytes(8192) if b)
    with contextlib.suppress(RejectedInput):
        parse(raw)
