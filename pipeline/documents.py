"""Step 2 of the flow: raw bytes -> a document with clean text.

Decoding (any encoding, mojibake repaired), HTML stripping, boilerplate
removal, whitespace and bullet normalisation, language detection and a title.
The cleaned text is what the release publishes and what every offset refers
to, so everything after this step reads ``Document.text`` only.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from functools import cache
from itertools import islice
from pathlib import Path

import charset_normalizer
import ftfy
import yaml
from charset_normalizer.md import mess_ratio
from lingua import Language, LanguageDetector, LanguageDetectorBuilder
from selectolax.lexbor import LexborHTMLParser, LexborNode

from pipeline.cheap_text import needs_ftfy, stopword_language
from pipeline.inventory import RawFile, doc_id_for
from pipeline.reference_files import REFERENCE

# Text that is mostly control characters or NULs is binary, whatever its name.
MAX_CONTROL_SHARE = 0.05
MIN_TEXT_CHARS = 1
LANGUAGE_SAMPLE_CHARS = 3000
MIN_LANGUAGE_LETTERS = 20


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
BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# <meta charset=...>, <meta http-equiv=... content="...; charset=...">, <?xml encoding=...?>
DECLARED_CHARSET = re.compile(
    rb"""<meta[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)""",
    re.IGNORECASE,
)
# As browsers do (WHATWG Encoding): these labels mean windows-1252, and a
# declared UTF-16/32 in bytes that are not UTF-16/32 means nothing.
WINDOWS_1252_LABELS = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "ascii", "us-ascii"}
# The corpus is Western European: bytes that are not UTF-8 are almost always
# windows-1252, which charset detection often mistakes for cp1250 or Mac
# encodings on short pages. It is taken unless its text looks this messy.
MAX_WINDOWS_1252_MESS = 0.1


def declared_charset(raw: bytes) -> str | None:
    """The Python codec of the encoding the page declares, if it names one."""
    found = DECLARED_CHARSET.search(raw[:4096])
    if not found:
        return None
    label = (found.group(1) or found.group(2)).decode("ascii").lower()
    if label in WINDOWS_1252_LABELS:
        return "cp1252"
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return None if name.startswith(("utf-16", "utf-32")) else name


def try_decode(raw: bytes, codec: str) -> str | None:
    try:
        return raw.decode(codec)
    except (UnicodeDecodeError, LookupError):  # LookupError: not a text codec
        return None


def decode(raw: bytes) -> tuple[str, str]:
    """Bytes -> (text, encoding name). Raises RejectedInput for binary data.

    Order: byte order mark, UTF-8, the page's own declaration, windows-1252
    when its result is clean text, then statistical detection.
    """
    if not raw:
        raise RejectedInput("empty file")
    if raw.startswith(BINARY_MAGIC):
        raise RejectedInput("binary file (image, archive or executable signature)")
    for bom, name in BYTE_ORDER_MARKS:
        if raw.startswith(bom):
            text = try_decode(raw, name)
            if text is None:
                raise RejectedInput(f"declares {name} by its byte order mark but does not decode")
            return text, name
    if b"\x00" in raw[:4096]:
        raise RejectedInput("binary file (NUL bytes and no byte order mark)")
    text = try_decode(raw, "utf-8")
    if text is not None:
        return text, "utf-8"
    declared = declared_charset(raw)
    text = try_decode(raw, declared) if declared else None
    if declared and text is not None:
        return text, declared
    text = try_decode(raw, "cp1252")
    if text is not None and mess_ratio(text, 1.0) <= MAX_WINDOWS_1252_MESS:
        return text, "cp1252"
    best = charset_normalizer.from_bytes(raw).best()
    if best is None or best.encoding is None:
        raise RejectedInput("binary file (no text encoding fits its bytes)")
    return str(best), best.encoding


# Unicode categories Cc (control), Cs (surrogate) and Co (private use), less
# the whitespace controls \t \n \f \r: one regex instead of a category lookup
# per character (tests/test_cheap_text.py checks it against unicodedata).
CONTROL_CHAR = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff"
    "\U000f0000-\U000ffffd\U00100000-\U0010fffd]"
)


def control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(CONTROL_CHAR.findall(text)) / len(text)


# ---------------------------------------------------------------------- HTML

HTML_SNIFF = re.compile(
    r"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*(<!doctype html|<html|<head|<body)",
    re.IGNORECASE | re.DOTALL,
)
TAG_SNIFF = re.compile(r"<(p|div|span|a|li|ul|h[1-6]|br|table|section|article)\b[^>]*>", re.I)
# Never part of the visible text; nothing in them is run or fetched.
DROP_ELEMENTS = (
    "script, style, noscript, template, iframe, frame, object, embed, applet, svg, math, "
    "canvas, audio, video, button, input, select, textarea, nav, aside, head, link, meta, "
    "[role=navigation], [aria-hidden=true], [hidden]"
)
# Cookie banners and breadcrumbs, recognised by their class, id or label. A
# wrapper that merely carries such a class (<body class="cookies-accepted">)
# holds more text than a banner and is kept; past a few dozen matches the
# page is not a normal one and nothing is dropped this way.
FURNITURE_BY_NAME = (
    "[class*=cookie i], [id*=cookie i], [class*=consent i], [id*=consent i], "
    "[aria-label*=cookie i], [class*=breadcrumb i], [class*=crumbs i], [aria-label*=breadcrumb i]"
)
MAX_FURNITURE_CHARS = 1000
MAX_FURNITURE_MATCHES = 50
# Page furniture, unless inside the content: an <article> has its own header.
PAGE_FURNITURE = "header, footer"
CONTENT_ELEMENTS = {"article", "main", "section"}
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
    "caption",
    "details",
    "summary",
    "header",
    "footer",
    "form",
    "fieldset",
    "legend",
}
# Source whitespace in HTML is one space, except in preformatted text.
HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
PREFORMATTED = {"pre", "listing", "plaintext"}
# A DOCTYPE internal subset (entity declarations) is XML, not HTML: the HTML
# parser would show its tail as text. Entities are never resolved either way.
# Anchored at the start, where a DOCTYPE belongs, so the search is linear.
DOCTYPE_SUBSET = re.compile(r"^(\s*(?:<\?xml[^>]*>\s*)?)<!DOCTYPE[^[>]*\[[^\]]*\]\s*>", re.I)
# The HTML parser's cost grows with the square of element nesting; real pages
# nest a few dozen deep. Elements whose end tag may be left out and void
# elements are not counted, since they do not nest when left open.
MAX_NESTING = 1000
START_OR_END_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9:-]*)[^<>]*?(/?)>")
NOT_NESTING = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
    "p",
    "li",
    "dt",
    "dd",
    "tr",
    "td",
    "th",
    "option",
    "optgroup",
    "thead",
    "tbody",
    "tfoot",
    "colgroup",
    "rb",
    "rt",
    "rtc",
    "rp",
    "html",
    "head",
    "body",
}


def looks_like_html(text: str) -> bool:
    return bool(HTML_SNIFF.match(text[:20000])) or len(TAG_SNIFF.findall(text[:20000])) >= 3


def nesting_depth(html: str) -> int:
    """How deep elements nest, judged from the tags alone (an upper bound)."""
    depth = deepest = 0
    for closing, name, self_closing in START_OR_END_TAG.findall(html):
        if self_closing or name.lower() in NOT_NESTING:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


def inside_content(node: LexborNode) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.tag in CONTENT_ELEMENTS:
            return True
        parent = parent.parent
    return False


def html_to_text(html: str) -> tuple[str, str | None]:
    """Visible text of an HTML page, one block per line, and its title.

    selectolax (lexbor) parses without running scripts, fetching anything or
    resolving entities; dropped elements (scripts, navigation, iframes, form
    controls) never reach the text. List items start with "• ".
    """
    depth = nesting_depth(html)
    if depth > MAX_NESTING:
        raise RejectedInput(f"HTML elements nested {depth} deep (limit {MAX_NESTING})")
    tree = LexborHTMLParser(DOCTYPE_SUBSET.sub(r"\1<!DOCTYPE html>", html, count=1))
    title_node = tree.css_first("head > title")
    title = (title_node.text(strip=True) if title_node else "") or None
    drop_furniture(tree)
    body = tree.body or tree.root
    return ("\n".join(block_lines(body)) if body is not None else ""), title


def drop_furniture(tree: LexborHTMLParser) -> None:
    """Remove every element whose text is not part of the page's content."""
    for node in tree.css(DROP_ELEMENTS):
        node.decompose()
    for node in tree.css(PAGE_FURNITURE):
        if not inside_content(node):
            node.decompose()
    named = tree.css(FURNITURE_BY_NAME)
    for node in named if len(named) <= MAX_FURNITURE_MATCHES else []:
        if node.tag not in ("html", "body") and len(node.text()) <= MAX_FURNITURE_CHARS:
            node.decompose()


def block_lines(root: LexborNode) -> list[str]:
    """The text below root, a line per block element, list items as bullets.

    Walks depth-first with an explicit stack, since pages can nest deeper
    than Python's recursion allows; (node, True) marks leaving an element.
    """
    lines: list[str] = []
    current: list[str] = []

    def flush() -> None:
        line = "".join(current).strip()
        if line:
            lines.append(line)
        current.clear()

    pending: list[tuple[LexborNode, bool]] = [(root, False)]
    preformatted = 0
    while pending:
        node, leaving = pending.pop()
        tag = node.tag
        if tag == "-text":
            text = node.text_content or ""
            current.append(text if preformatted else HTML_SPACE.sub(" ", text))
            continue
        if leaving:
            preformatted -= tag in PREFORMATTED
            if tag in BLOCK_TAGS:
                flush()
            continue
        if tag in BLOCK_TAGS:
            flush()
        if tag == "li":
            current.append("• ")
        preformatted += tag in PREFORMATTED
        pending.append((node, True))
        pending.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    flush()
    return lines


# ---------------------------------------------------------------- cleaning


@cache
def boilerplate_line() -> re.Pattern[str]:
    data = yaml.safe_load((REFERENCE / "boilerplate.yaml").read_text(encoding="utf-8"))
    joined = "|".join(f"(?:{p})" for p in data["line_patterns"])
    return re.compile(rf"^(?:{joined})\s*[.:!]?$", re.IGNORECASE)


BULLET_CHARS = "•◦▪▫●○■□‣⁃∙·►▶➢➤✓✔*"
BULLET_LINE = re.compile(rf"^[ \t]*[{re.escape(BULLET_CHARS)}][ \t]+", re.MULTILINE)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")


def clean_text(text: str) -> str:
    """Normalise a decoded page into the published text.

    Lines are trimmed, bullets become "• ", runs of spaces one space, runs of
    blank lines one blank line, and whole boilerplate lines are dropped.
    """
    if needs_ftfy(text):  # most pages are clean, and ftfy costs milliseconds a page
        text = ftfy.fix_text(text, uncurl_quotes=False, normalization="NFC")
    text = ZERO_WIDTH.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    # Over the whole text at once, not line by line: neither pattern crosses a line break.
    text = SPACES.sub(" ", BULLET_LINE.sub("• ", text))
    pattern = boilerplate_line()
    out: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
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

# The official languages of the EU (lingua has no Maltese): a page in a
# language no extraction rule knows is still recorded under its own code.
LANGUAGES = (
    "BULGARIAN",
    "CROATIAN",
    "CZECH",
    "DANISH",
    "DUTCH",
    "ENGLISH",
    "ESTONIAN",
    "FINNISH",
    "FRENCH",
    "GERMAN",
    "GREEK",
    "HUNGARIAN",
    "IRISH",
    "ITALIAN",
    "LATVIAN",
    "LITHUANIAN",
    "POLISH",
    "PORTUGUESE",
    "ROMANIAN",
    "SLOVAK",
    "SLOVENE",
    "SPANISH",
    "SWEDISH",
)


@cache
def language_detector() -> LanguageDetector:
    """lingua in its low-accuracy mode, which reads only the trigram models.

    Those are the models the high-accuracy mode also reads for a text of 120
    characters or more, so such a page gets the same verdict. For a shorter
    page the high-accuracy mode loads the models of every n-gram size: about
    570 MB more in each process that meets one, and seconds of loading.
    """
    langs = [getattr(Language, name) for name in LANGUAGES]
    return (
        LanguageDetectorBuilder.from_languages(*langs)
        .with_minimum_relative_distance(0.0)
        .with_low_accuracy_mode()
        .build()
    )


def has_letters(text: str, count: int) -> bool:
    """Whether text holds at least ``count`` letters (read no further than the last one)."""
    return next(islice(filter(str.isalpha, text), count - 1, None), None) is not None


def detect_language(text: str) -> str:
    sample = text[:LANGUAGE_SAMPLE_CHARS]
    if not has_letters(sample, MIN_LANGUAGE_LETTERS):
        return "und"
    clear = stopword_language(sample)
    if clear is not None:
        return clear
    found = language_detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else "und"


# ---------------------------------------------------------------- the step


def parse_document(raw: bytes, source: str, sha256: str) -> Document:
    """Raw bytes of one file -> Document; RejectedInput says why not."""
    decoded, encoding = decode(raw)
    if control_share(decoded) > MAX_CONTROL_SHARE:
        raise RejectedInput("binary file (too many control characters for text)")
    if not decoded.strip():
        raise RejectedInput("whitespace only")
    html_title = None
    media_type = "text/plain"
    if looks_like_html(decoded):
        decoded, html_title = html_to_text(decoded)
        media_type = "text/html"
    text = clean_text(decoded)
    if len(text) < MIN_TEXT_CHARS:
        raise RejectedInput(
            "no visible text (only scripts, styles, navigation or boilerplate)"
            if media_type == "text/html"
            else "no text left after cleaning (only boilerplate or invisible characters)"
        )
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


def read_raw(raw_dir: Path, f: RawFile) -> bytes:
    """The bytes the inventory hashed, read again without following a link out
    of raw/ and without blocking on a pipe swapped in since the inventory."""
    root = raw_dir.resolve()
    target = (root / f.path).resolve()
    if not target.is_relative_to(root):
        raise RejectedInput("symbolic link pointing outside raw/")
    try:
        fd = os.open(target, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise RejectedInput("not a regular file")
            raw = handle.read((f.size_bytes or 0) + 1)
    except OSError as err:
        raise RejectedInput(f"cannot be read: {err.strerror or err}") from err
    if hashlib.sha256(raw).hexdigest() != f.sha256:
        raise RejectedInput("file changed between the inventory and reading it")
    return raw


def parse_file(raw_dir: Path, f: RawFile) -> Document | str:
    """One file the inventory marked read -> its document, or why it was rejected."""
    try:
        return parse_document(read_raw(raw_dir, f), f.path, str(f.sha256))
    except RejectedInput as err:
        return str(err)
    except Exception as err:  # a parser bug must cost one document, not the run
        return f"unexpected error while parsing: {type(err).__name__}: {err}"


def assemble(
    files: list[RawFile], outcomes: dict[str, Document | str]
) -> tuple[list[Document], list[Rejection]]:
    """Per-content outcomes (sha256 -> document or reason) -> documents and
    rejections of every file: refused files are rejections (their reason comes
    from the inventory); duplicates share the rejection of the file they duplicate."""
    documents = [
        outcome
        for f in files
        if f.status == "read" and isinstance(outcome := outcomes.get(str(f.sha256)), Document)
    ]
    rejections = [
        Rejection(f.path, f.sha256, f.size_bytes, str(f.reason))
        for f in files
        if f.status == "refused"
    ]
    rejections += [
        Rejection(f.path, f.sha256, f.size_bytes, outcome)
        for f in files
        if f.status in ("read", "duplicate")
        and isinstance(outcome := outcomes.get(str(f.sha256)), str)
    ]
    return documents, sorted(rejections, key=lambda r: r.source)


def read_documents(raw_dir: Path, files: list[RawFile]) -> tuple[list[Document], list[Rejection]]:
    """Parse every file the inventory marked read; one bad file never stops the others."""
    outcomes = {
        str(f.sha256): parse_file(raw_dir, f)
        for f in files
        if f.status == "read" and f.sha256 is not None
    }
    return assemble(files, outcomes)


def unaccounted_paths(
    files: list[RawFile], documents: list[Document], rejections: list[Rejection]
) -> list[str]:
    """Paths of raw/ that are neither ignored, nor rejected, nor behind a
    published document: always empty, unless a file was lost."""
    published = {d.doc_id for d in documents}
    rejected = {r.source for r in rejections}
    return [
        f.path
        for f in files
        if f.status != "ignored" and f.path not in rejected and f.doc_id not in published
    ]
