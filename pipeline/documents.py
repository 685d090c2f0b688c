"""Step 2 of the flow: raw bytes -> a document with clean text.

Decoding (any encoding, mojibake repaired), HTML stripping, boilerplate
removal, whitespace and bullet normalisation, language detection and a title.
The cleaned text is what the release publishes and what every offset refers
to, so everything after this step reads ``Document.text`` only.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import charset_normalizer
import ftfy
import yaml

from pipeline.inventory import RawFile, doc_id_for

REFERENCE = Path(__file__).parent / "reference"
# Text that is mostly control characters or NULs is binary, whatever its name.
MAX_CONTROL_SHARE = 0.05
MIN_TEXT_CHARS = 1
LANGUAGE_SAMPLE_CHARS = 3000


class RejectedInput(ValueError):
    """The raw file cannot become a document; the message says why."""


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    sha256: str
    size_bytes: int
    media_type: str
    encoding: str
    language: str
    title: str | None
    text: str


# ----------------------------------------------------------------- decoding

BINARY_MAGIC = (
    b"\x89PNG",
    b"PK\x03\x04",
    b"%PDF",
    b"\xff\xd8\xff",
    b"GIF8",
    b"\x1f\x8b",
    b"BZh",
    b"\x7fELF",
    b"Rar!",
    b"7z\xbc\xaf",
)


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises RejectedInput for binary data."""
    if not raw:
        raise RejectedInput("empty file")
    if raw.startswith(BINARY_MAGIC):
        raise RejectedInput("binary file (image, archive or executable signature)")
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if raw.startswith(bom):
            try:
                return raw.decode(name), name
            except UnicodeDecodeError as err:
                raise RejectedInput(
                    f"declares {name} by its BOM but does not decode: {err}"
                ) from err
    if b"\x00" in raw[:4096]:
        raise RejectedInput("binary file (NUL bytes and no text encoding mark)")
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise RejectedInput("binary file (no text encoding fits its bytes)")
    return str(best), best.encoding


def control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(
        1 for ch in text if unicodedata.category(ch) in ("Cc", "Cs", "Co") and ch not in "\n\r\t\f"
    )
    return bad / len(text)


# ---------------------------------------------------------------------- HTML

HTML_SNIFF = re.compile(r"^\s*(<!doctype html|<html|<head|<body|<\?xml[^>]*>\s*<html)", re.I)
TAG_SNIFF = re.compile(r"<(p|div|span|a|li|ul|h[1-6]|br|table|section|article)\b[^>]*>", re.I)
DROP_ELEMENTS = (
    "script, style, noscript, template, iframe, object, embed, svg, canvas, form, button, "
    "select, nav, header, footer, aside, head, link, meta"
)
BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "tr",
    "blockquote",
    "pre",
    "br",
    "hr",
    "figure",
    "figcaption",
    "address",
    "td",
    "th",
}


def looks_like_html(text: str) -> bool:
    return bool(HTML_SNIFF.match(text)) or len(TAG_SNIFF.findall(text[:20000])) >= 3


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, one block per line, and its title.

    selectolax parses without executing or fetching anything; dropped
    elements (scripts, navigation, iframes, forms) never reach the text.
    """
    from selectolax.parser import HTMLParser

    tree = HTMLParser(html)
    title_node = tree.css_first("title")
    title = title_node.text(strip=True) if title_node else None
    for node in tree.css(DROP_ELEMENTS):
        node.decompose()
    for node in tree.css("[role=navigation], [aria-hidden=true], .cookie, #cookie-banner"):
        node.decompose()
    body = tree.body or tree.root
    if body is None:
        return "", title
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(line)
        current.clear()

    def walk(node) -> None:  # type: ignore[no-untyped-def]
        for child in node.iter(include_text=True):
            tag = child.tag
            if tag == "-text":
                current.append(child.text_content or "")
                continue
            block = tag in BLOCK_TAGS
            if block:
                flush()
            if tag == "li":
                current.append("• ")
            walk(child)
            if block:
                flush()

    walk(body)
    flush()
    return "\n".join(lines), title or None


# ---------------------------------------------------------------- cleaning


@cache
def boilerplate_line() -> re.Pattern[str]:
    data = yaml.safe_load((REFERENCE / "boilerplate.yaml").read_text(encoding="utf-8"))
    joined = "|".join(f"(?:{p})" for p in data["line_patterns"])
    return re.compile(rf"^(?:{joined})\s*[.:!]?$", re.IGNORECASE)


BULLET_CHARS = "•◦▪▫●○■□‣⁃∙·►▶➢➤✓✔*"
BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(BULLET_CHARS)}][ \t]+")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def clean_text(text: str) -> str:
    """Normalise a decoded page into the published text.

    Lines are trimmed, bullets become "• ", runs of spaces one space, runs of
    blank lines one blank line, and whole boilerplate lines are dropped.
    """
    text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    text = ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    pattern = boilerplate_line()
    out: list[str] = []
    for line in text.split("\n"):
        line = BULLET_LINE.sub("• ", line)
        line = SPACES.sub(" ", line).strip()
        if line in BULLET_CHARS:
            line = ""
        if line and pattern.match(line):
            continue
        if not line and (not out or not out[-1]):
            continue
        out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def take_title(text: str, html_title: str | None) -> str | None:
    if html_title:
        return SPACES.sub(" ", html_title).strip()[:300] or None
    for line in text.split("\n"):
        if line and len(line) <= 300 and not line.startswith("• "):
            return line
    return None


# ----------------------------------------------------------------- language

LANGUAGES = (
    "ENGLISH",
    "FRENCH",
    "DUTCH",
    "GERMAN",
    "ITALIAN",
    "SPANISH",
    "PORTUGUESE",
    "POLISH",
    "DANISH",
    "SWEDISH",
    "CZECH",
    "FINNISH",
)


@cache
def language_detector():  # type: ignore[no-untyped-def]
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*langs).with_minimum_relative_distance(0.0).build()
    )


def detect_language(text: str) -> str:
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if sum(ch.isalpha() for ch in sample) < 20:
        return "und"
    found = language_detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else "und"


# ---------------------------------------------------------------- the step


def parse_document(raw: bytes, source: str, sha256: str) -> Document:
    """Raw bytes of one file -> Document; RejectedInput says why not."""
    decoded, encoding = decode(raw)
    if control_share(decoded) > MAX_CONTROL_SHARE:
        raise RejectedInput("binary file (too many control characters for text)")
    html_title = None
    media_type = "text/plain"
    if looks_like_html(decoded):
        decoded, html_title = html_to_text(decoded)
        media_type = "text/html"
    text = clean_text(decoded)
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise RejectedInput("no text content" if raw.strip() else "whitespace only")
    return Document(
        doc_id=doc_id_for(sha256),
        source=source,
        sha256=sha256,
        size_bytes=len(raw),
        media_type=media_type,
        encoding=encoding,
        language=detect_language(text),
        title=take_title(text, html_title),
        text=text,
    )


@dataclass(frozen=True)
class Rejection:
    source: str
    sha256: str | None
    size_bytes: int | None
    reason: str


def read_documents(raw_dir: Path, files: list[RawFile]) -> tuple[list[Document], list[Rejection]]:
    """Parse every file the inventory marked read; one bad file never stops the others.

    Refused files are rejections too (their reason comes from the inventory);
    duplicates share the rejection of the file they duplicate.
    """
    documents: list[Document] = []
    rejections: list[Rejection] = []
    failed: dict[str, str] = {}
    for f in files:
        if f.status == "refused":
            rejections.append(Rejection(f.path, f.sha256, f.size_bytes, str(f.reason)))
        if f.status != "read" or f.sha256 is None:
            continue
        try:
            raw = (raw_dir / f.path).read_bytes()
            documents.append(parse_document(raw, f.path, f.sha256))
        except RejectedInput as err:
            failed[f.sha256] = str(err)
        except Exception as err:
            failed[f.sha256] = f"unexpected error while parsing: {type(err).__name__}: {err}"
    for f in files:
        if f.status in ("read", "duplicate") and f.sha256 in failed:
            rejections.append(Rejection(f.path, f.sha256, f.size_bytes, failed[f.sha256]))
    return documents, sorted(rejections, key=lambda r: r.source)
