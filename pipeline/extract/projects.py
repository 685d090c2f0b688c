"""Project mentions: named projects, pilots and operations.

From structure: the items of a list announced by a sentence or heading about
projects ('Several projects ... such as :' then 'NAME: description' items).
From phrases, in four languages: 'the X project', 'project X', 'projects such
as X, Y and Z', 'le projet X', 'het project X', 'das Projekt X', 'X pilot',
'X and Y Pilots', and quoted names after 'dubbed', 'called', 'baptisé',
'genaamd', 'genannt'. Acronyms defined on the page ('3D-printing (3DP)
Pilot') make later uses ('3DP Pilot') the same project.
Links to programmes are made by ``relations.link_mentions``.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.organisations import is_head
from pipeline.extract.programme_reference import fold
from pipeline.extract.structure import (
    NAME_CONNECTORS,
    SENTENCE_STARTERS,
    FoldedPattern,
    Line,
    Structure,
    Token,
    choose,
    folded_words,
    gap,
    parse,
    split_item,
    token_index_at,
    tokens,
)

PROJECT_WORDS = r"(?:projects?|projets?|projecten|project|Projekte?n?|micro-projects?|operations)"
LIST_INTRO = FoldedPattern(re.compile(rf"\b{PROJECT_WORDS}\b.*:\s*$", re.IGNORECASE))
HEADING_INTRO = re.compile(
    rf"^(?:[\w'’-]+\s+){{0,3}}{PROJECT_WORDS}(?:\s+[\w'’-]+){{0,3}}\s*:?$", re.IGNORECASE
)
PROJECT_WORD = re.compile(rf"\b{PROJECT_WORDS}\b", re.IGNORECASE)
NAME_LINE_MAX_WORDS = 5
SENTENCE_END = re.compile(r"[.!?][\"”»)]?$|[.!?]\s")
PARAGRAPH_MIN_CHARS = 60
PROJECT_BEFORE = re.compile(r"\s(?P<head>project|Project|pilot|Pilot|projects|Pilots|pilots)\b")
PROJECT_AFTER = re.compile(
    r"\b(?:the|The|le|Le|du|Du|au|Au|het|Het|das|Das|des|Des|dem|Dem|im|Im|zum|Zum|beim|Beim|"
    r"vom|Vom)\s+"
    r"(?:[a-zà-ÿ][\w-]+\s+){0,2}"
    r"(?:(?:Interreg|INTERREG|EU|ERDF|EFRO|EFRE|FEDER)[- ])?"
    r"(?:project|projet|projekt|Projekt|Projektes|Projekts)\s+(?=[\"“«„]?[A-Z0-9])"
)
PLURAL_HEAD = re.compile(
    r"\b(?:the|The|both|les|Les|deux|de|De|beide|die|Die|beiden)\s+"
    r"(?:projects|projets|projecten|Projekte)\s+(?=[A-Z0-9])"
)
# PLURAL_HEAD cannot match without its noun: a quick first test (no leading \b to slow it)
PLURAL_NOUN = re.compile(r"(?:projects|projets|projecten|Projekte)\s+[A-Z0-9]")
# '(ACR)' right before ' Pilot'; the window holds the longest, and a line break after it
ACRONYM_BEFORE = re.compile(r"\((?P<acr>[A-Z0-9][A-Z0-9-]{1,9})\)$")
ACRONYM_BEFORE_CHARS = 16
# 'approved Sediments for Safety (S4S), a four-year project'
APPOSITION = re.compile(
    r"(?P<name>[A-Z0-9][\w'’+-]*(?:\s(?:[A-Z0-9][\w'’+-]*|for|of|and|de|du|des|van|für)){0,5})"
    r"(?:\s\((?P<acr>[A-Z0-9][A-Za-z0-9-]{1,9})\))?,\s(?:a|an|un|une|een|ein|eine)\s"
    r"(?:[\w-]+\s){0,3}(?:project|projet|Projekt)\b"
)
# What APPOSITION and COPULA cannot match without: a quick test rules most pages out
APPOSITION_CUE = re.compile(r",\s(?:a|an|un|une|een|ein|eine)\s")
COPULA_CUE = re.compile(r"\s(?:is|was|est|était|ist|war)\s(?:a|an|un|une|een|ein|eine)\s")
# 'SeaWard Care is a project co-funded by ...', 'X est un projet', 'X ist ein Projekt'
COPULA = re.compile(
    r"(?:^|(?<=[.!?] ))"
    r"(?P<name>[A-Z0-9][\w'’+-]*(?:\s(?:[A-Z0-9][\w'’+-]*|for|of|and|de|du|des|van|für)){0,5})"
    r"\s(?:is|was|est|était|ist|war)\s(?:a|an|un|une|een|ein|eine)\s(?:[\w-]+\s){0,3}"
    r"(?:project|projet|Projekt)\b",
    re.MULTILINE,
)
SUCH_AS = FoldedPattern(
    re.compile(
        rf"\b{PROJECT_WORDS}\s+(?:such as|like|including|comme|tels que|zoals|wie)\s+"
        r"(?P<list>[^.;:\n]{2,200})",
        re.IGNORECASE,
    )
)
DUBBED = re.compile(
    r"\b(?:dubbed|called|named|entitled|titled|baptisé|baptisée|intitulé|intitulée|appelé|"
    r"appelée|genaamd|getiteld|genannt|mit dem Titel)\s*,?\s*"
    r"[\"“«„]\s?(?P<q>[^\"“”«»„\n]{2,80}?)\s?[\"”»“]"
)
# 'het project "Fort in Beeld"', 'le projet « Clim'Ability »', '180 projets, dont « X »'
QUOTED_AFTER_PROJECT = FoldedPattern(
    re.compile(
        rf"\b(?:{PROJECT_WORDS}|dont|including|notamment|such as|zoals|waaronder|darunter|wie)"
        r"\s*[:,]?\s*[\"“«„]\s?(?P<q>[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ][^\"“”«»„\n]{1,60}?)\s?[\"”»“]",
        re.IGNORECASE,
    )
)
# Column labels of a projects table, as the cells of its header row
TABLE_LABELS = re.compile(
    r"^(?:projects?|projets?|projecten|project|projekte?|projectnaam|projektname|"
    r"nom du projet|project name|name|naam|titel|title|programmes?|programma|programm|"
    r"lead partner|leadpartner|lead applicant|chef de file|porteur|penvoerder|partners?|"
    r"partenaires|projektträger|federführend|budget|total budget|eu funding|erdf|feder|efro|"
    r"efre|eu-förderung|förderung|fördersumme|zuschuss|subsidie|bijdrage|montant|coût total|"
    r"kosten|gesamtkosten|duration|durée|looptijd|laufzeit|period|période|status|statut|"
    r"theme|thème|thema|priority|priorité|prioriteit|priorität|country|pays|land|city|ville|"
    r"stad|stadt|website|förderprogramm|programme interreg|interreg-programm|"
    r"federführender partner|projektpartner|projectpartners|description|beschreibung|"
    r"kurzbeschreibung|omschrijving|objectif|ziel|doel|year|année|jaar|jahr|acronym|acronyme|"
    r"akronym|acroniem|titre|eu-mittel|efre-mittel|cofinancement|cofinanciering)$",
    re.IGNORECASE,
)
TABLE_PROJECT_LABEL = re.compile(
    r"^(?:projects?|projets?|projecten|project|projekte?|projectnaam|projektname|nom du projet|"
    r"project name)$",
    re.IGNORECASE,
)
# 'Projets soutenus', 'Beispielprojekte', 'Lopende projecten', 'Projectvoorbeelden'
PROJECT_STEM = re.compile(r"proje[ck]t|projet|micro-projects?", re.IGNORECASE)
PARTNER_SECTION = re.compile(
    r"\b(?:partners?|partenaires?|Partner\w*|members?|membres|leden|Mitglieder)\b", re.I
)
DEFINED_ACRONYM = re.compile(
    r"(?P<full>[A-Z0-9][\w-]*(?:\s[A-Z0-9][\w-]*){0,4})\s\((?P<acr>[A-Z0-9][A-Z0-9-]{1,9})\)"
)
NOT_NAMES = folded_words(
    "this that these those our its their the a an each every new first second third last "
    "european eu interreg walloon flemish french dutch german belgian national regional "
    "local cross-border transnational interregional pilot pilots project projects "
    "flagship joint strategic large small major other previous current future "
    "ce cette notre le la les un une dit deze onze het een dieses unser das ein"
)

PRONOUNS = folded_words(
    "it he she they we this that il elle ils cela ceci es er sie dies hij zij dat"
)


@dataclass
class Candidate:
    start: int
    end: int
    rule: str
    canonical: str | None = None
    description: tuple[int, int] | None = None
    priority: int = 0
    acronym: tuple[int, int] | None = None


def extract_projects(ctx: Context) -> list[Mention]:
    text = ctx.text
    blocked = [
        (m.start, m.end)
        for m in ctx.mentions
        if m.record_type in ("programme", "organisation", "objective", "objective_action")
    ]
    known_names = {
        fold(m.quote) for m in ctx.mentions if m.record_type in ("territory", "organisation")
    }
    candidates = listed_projects(text) + phrase_projects(text) + quoted_projects(text)
    candidates += headed_projects(text, known_names) + table_projects(text)
    candidates += section_items(text) + fact_sheet_projects(text)
    candidates += bracketed_acronym_projects(text) + titled_projects(text)
    candidates += pipe_table_projects(text)
    candidates = [c for c in candidates if not any(blocks(c, s, e) for s, e in blocked)]
    acronyms = defined_acronyms(text)
    mentions = []
    for c in choose(candidates):
        quote = text[c.start : c.end]
        m = Mention(
            "project",
            c.start,
            c.end,
            quote,
            c.rule,
            canonical=c.canonical or expand_acronym(quote, acronyms, text),
            language=ctx.language,
        )
        if c.description:
            s, e = c.description
            m.add("description", text[s:e], s, e, c.rule)
        if c.acronym:
            s, e = c.acronym
            m.add("acronym", text[s:e], s, e, c.rule)
        mentions.append(m)
    return mentions


STRUCTURAL_RULES = (
    "project.list_item",
    "project.name_heading",
    "project.table_row",
    "project.section_item",
)


def blocks(c: Candidate, start: int, end: int) -> bool:
    """Whether another record's name at start:end rules the candidate out. A
    listed name may hold one ('EMR Heat Atlas' holds the acronym EMR)."""
    if not (c.start < end and start < c.end):
        return False
    inside = c.start <= start and end <= c.end and (start, end) != (c.start, c.end)
    return not (inside and c.rule in STRUCTURAL_RULES)


# ------------------------------------------------------------ lists


def listed_projects(text: str) -> list[Candidate]:
    structure = parse(text)
    out = []
    for line in structure.lines:
        if line.kind != "text":
            continue
        body = line.body.strip()
        items = structure.items_after(line)
        # 'Funded projects' over a list is its heading, though nothing else marks it one
        headed = HEADING_INTRO.match(body) and (line.heading or items)
        if not (LIST_INTRO.search(body) or headed):
            continue
        if not items and line.heading and HEADING_INTRO.match(body):
            items = name_lines_after(structure, line)
        for item in items:
            split = split_item(item)
            name = text[split.name_start : split.name_end].strip(" \"“”«»'’")
            if not name or len(name.split()) > 8:
                continue
            if split.desc_start is None and not looks_like_name(name):
                continue
            start = text.index(name, split.name_start)
            desc = None
            if split.desc_start is not None and split.desc_end is not None:
                desc = (split.desc_start, split.desc_end)
            c = Candidate(
                start, start + len(name), "project.list_item", description=desc, priority=2
            )
            bracketed = BRACKET_TITLE.match(name)
            if bracketed and spells(bracketed.group("acr"), bracketed.group("full")):
                # 'Green Ports for a Circular Economy (GREENPORT)': one project, two names
                c.end = start + bracketed.end("full")
                c.acronym = (start + bracketed.start("acr"), start + bracketed.end("acr"))
            out.append(c)
    return out


def name_lines_after(structure: Structure, heading: Line) -> list[Line]:
    """Plain lines listing projects under a projects heading: 'NAME – what it
    does' lines, or two or more lines that are each a bare name."""
    block: list[Line] = []
    for line in structure.lines[heading.index + 1 :]:
        if line.kind == "blank":
            if block:
                break
            continue
        if line.kind != "text" or (line.heading and block):
            break
        block.append(line)
    described = [ln for ln in block if split_item(ln).desc_start is not None]
    if block and len(described) == len(block):
        return block
    if len(block) >= 2 and all(looks_like_name(ln.body.strip()) for ln in block):
        return block
    return []


def headed_projects(text: str, known_names: set[str]) -> list[Candidate]:
    """A short name line followed by a paragraph that names it again: in a run
    of such pairs right after a projects heading ('De goedgekeurde projecten',
    'HAVENTWIN', 'Het project HAVENTWIN bouwt ...', 'Werkbrug', 'Werkbrug helpt
    ...'), or anywhere when the paragraph speaks of a project and the name is
    written as one (capitals inside it, or capitalised in mid-sentence)."""
    structure = parse(text)
    out: list[Candidate] = []
    in_run = False
    for line in structure.lines:
        body = line.body.strip()
        if line.kind == "blank":
            continue
        if line.kind == "text" and HEADING_INTRO.match(body):
            in_run = True
            continue
        paragraph = described_by_next(structure, line, known_names)
        if paragraph is None and in_run and distinctive_name(body):
            paragraph = paragraph_after(structure, line, known_names)
        if paragraph is None:
            # a paragraph or a list keeps the run going; any other short line ends it
            in_run = in_run and (len(body) >= PARAGRAPH_MIN_CHARS or line.is_item)
            continue
        subject = paragraph.body.startswith(body) and distinctive_name(body)
        if (
            in_run
            or subject
            or (PROJECT_WORD.search(paragraph.body) and written_as_name(body, paragraph))
        ):
            start = line.start + line.text.index(body)
            out.append(Candidate(start, start + len(body), "project.name_heading", priority=1))
    return out


def described_by_next(structure: Structure, line: Line, known_names: set[str]) -> Line | None:
    """The paragraph after a name line that names it again, if there is one."""
    body = line.body.strip()
    if not name_line(line) or fold(body) in known_names or PROJECT_WORD.search(body):
        return None
    paragraph = structure.next_content_line(line)
    if paragraph is None or paragraph.kind != "text":
        return None
    if len(paragraph.body) < PARAGRAPH_MIN_CHARS or not SENTENCE_END.search(paragraph.body):
        return None
    if not stands_alone_in(body, paragraph.body):
        return None
    return paragraph


WORD_OR_HYPHEN = re.compile(r"[\w-]")


def stands_alone_in(name: str, passage: str) -> bool:
    """Whether ``name`` occurs in ``passage`` with no word character or hyphen
    touching it: what a pattern of the escaped name between those two
    look-arounds finds, without compiling a pattern for every line of a page."""
    at = passage.find(name)
    while at != -1:
        touching = (at and WORD_OR_HYPHEN.match(passage, at - 1)) or WORD_OR_HYPHEN.match(
            passage, at + len(name)
        )
        if not touching:
            return True
        at = passage.find(name, at + 1)
    return False


def paragraph_after(structure: Structure, line: Line, known_names: set[str]) -> Line | None:
    """The paragraph right after a name line, naming it or not ('RiverLife', then
    'Restoring the floodplains ...'): enough under a projects heading."""
    if not name_line(line) or fold(line.body.strip()) in known_names:
        return None
    paragraph = structure.next_content_line(line)
    if paragraph is None or paragraph.kind != "text" or paragraph.heading:
        return None
    if len(paragraph.body) < PARAGRAPH_MIN_CHARS or not SENTENCE_END.search(paragraph.body):
        return None
    return paragraph


def distinctive_name(name: str) -> bool:
    """'CircularFood', 'FLOODSHIELD', 'AlpHeat': written in a way no ordinary
    word is (capitals inside, or all capitals with a letter count of a name)."""
    return any(
        (any(c.isupper() for c in w[1:]) and any(c.islower() for c in w))
        or (w.isupper() and len(w) >= 4)
        for w in name.split()
    )


def written_as_name(name: str, paragraph: Line) -> bool:
    """'ZorgGrens', 'HAVENTWIN', 'Smart Border Lab', or a word the paragraph
    capitalises where a sentence does not start ('het project Werkbrug')."""
    words = name.split()
    if len(words) > 1:
        return all(w[:1].isupper() or w[:1].isdigit() or w in NAME_CONNECTORS for w in words)
    if any(c.isupper() for c in name[1:]):
        return True
    return re.search(rf"[\w,] {re.escape(name)}(?![\w-])", paragraph.body) is not None


def name_line(line: Line) -> bool:
    """A line that is only a name: a few words, no sentence punctuation, one of
    them distinctive (capitals inside or a word that is not a sentence opener)."""
    body = line.body.strip()
    if line.kind != "text" or not body or body[-1] in ".,;:!?" or ":" in body:
        return False
    words = body.split()
    if len(words) > NAME_LINE_MAX_WORDS or not (body[0].isupper() or body[0].isdigit()):
        return False
    return words[0] not in SENTENCE_STARTERS and fold(words[0]) not in NOT_NAMES


def looks_like_name(words: str) -> bool:
    """A bare list item is a name when short and written as one ('Border Night Bus')."""
    parts = words.split()
    return len(parts) <= 4 and all(p[:1].isupper() or p[:1].isdigit() for p in parts)


def written_like_a_project(name: str, line: Line, description: str) -> bool:
    """A name written as one, with a description in words: not a fact-sheet
    label ('Telefoon: ...', 'Partager : LinkedIn Facebook')."""
    words = name.split()
    capitalised = all(w[:1].isupper() or w[:1].isdigit() or w in NAME_CONNECTORS for w in words)
    if not capitalised and not distinctive_name(name):
        return False
    if len(words) == 1 and not distinctive_name(name) and not line.is_item:
        return False
    described = description.split()
    lower = [w for w in described if w[:1].islower()]
    # a third in lower case: German capitalises its nouns ('Ein gemeinsamer Chor aus X und Y')
    return len(described) >= 4 and len(lower) * 3 >= len(described)


def table_projects(text: str) -> list[Candidate]:
    """A table cleaned into one cell per line: a header row of column labels
    ('Project', 'Programme', 'Lead partner'), then rows of as many cells; the
    cells under the project label are project names."""
    structure = parse(text)
    lines = structure.lines
    out: list[Candidate] = []
    i = 0
    while i < len(lines):
        header = []
        j = i
        while j < len(lines) and TABLE_LABELS.match(lines[j].body.strip()):
            header.append(lines[j])
            j += 1
        column = next(
            (k for k, h in enumerate(header) if TABLE_PROJECT_LABEL.match(h.body.strip())), None
        )
        if len(header) < 2 or column is None or in_menu_run(lines, i):
            i = max(j, i + 1)
            continue
        width = len(header)
        rows: list[Candidate] = []
        while j + width <= len(lines):
            row = lines[j : j + width]
            if any(ln.kind == "blank" or (ln.heading and k == 0) for k, ln in enumerate(row)):
                break
            cell = row[column]
            name = cell.body.strip()
            if (
                len(name.split()) > 6
                or name[-1:] in ".!?:"
                or not (name[:1].isupper() or name[:1].isdigit())
            ):
                break
            start = cell.body_start + cell.body.index(name)
            rows.append(Candidate(start, start + len(name), "project.table_row", priority=2))
            j += width
        # one 'row' after labels is as likely a menu as a table; every name must be
        # written as one, or the columns were miscounted
        names = [text[c.start : c.end] for c in rows]
        if len(rows) >= 2 and all(looks_like_name(n) or distinctive_name(n) for n in names):
            out += rows
        i = j
    return out


def in_menu_run(lines: tuple[Line, ...], index: int) -> bool:
    """Whether the line at ``index`` follows two one- or two-word lines (a menu)."""
    before = lines[max(0, index - 2) : index]
    return len(before) == 2 and all(
        ln.kind == "text" and not ln.heading and len(ln.body.split()) <= 2 for ln in before
    )


def section_items(text: str) -> list[Candidate]:
    """'Name – description' and 'Name: description' lines, bulleted or not,
    under a heading about projects ('Funded projects', 'Projets soutenus',
    'Beispiele' after a projects paragraph), not under one about partners."""
    structure = parse(text)
    out: list[Candidate] = []
    for line in structure.lines:
        if line.kind == "blank" or line.heading:
            continue
        heading = structure.heading_of(line.start)
        if heading is None or not PROJECT_STEM.search(heading.body):
            continue
        if PARTNER_SECTION.search(heading.body):
            continue
        item = split_item(line)
        if item.desc_start is None:
            continue
        name = text[item.name_start : item.name_end].strip(" \"“”«»'’*")
        if not name or not (name[0].isupper() or name[0].isdigit()) or len(name.split()) > 6:
            continue
        if name.split()[0] in SENTENCE_STARTERS or fold(name.split()[0]) in NOT_NAMES:
            continue
        if not written_like_a_project(name, line, text[item.desc_start : item.desc_end]):
            continue
        start = text.index(name, item.name_start)
        desc = (item.desc_start, item.desc_end) if item.desc_end is not None else None
        out.append(
            Candidate(
                start, start + len(name), "project.section_item", description=desc, priority=1
            )
        )
    return out


# ------------------------------------------------------------ phrases


def name_before(text: str, toks: tuple[Token, ...], end_index: int) -> int | None:
    """First token index of a capitalised name that ends at ``end_index``."""
    first = None
    j = end_index
    while j >= 0 and end_index - j < 5:
        tok = toks[j]
        if not (tok.capitalised or tok.text.isupper()):
            break
        if fold(tok.text) in NOT_NAMES:
            break
        if j < end_index and text[tok.end : toks[j + 1].start] not in (" ", "-"):
            break
        first = j
        j -= 1
    return first


def phrase_projects(text: str) -> list[Candidate]:
    toks = tokens(text)
    out: list[Candidate] = []
    for m in PROJECT_BEFORE.finditer(text):
        i = token_index_at(toks, m.start()) - 1
        if i < 0 or toks[i].end != m.start():
            # 'X (ACR) Pilot': the parenthesis sits between the name and the head
            paren = ACRONYM_BEFORE.search(text, max(0, m.start() - ACRONYM_BEFORE_CHARS), m.start())
            if not paren:
                continue
            i = token_index_at(toks, paren.start()) - 1
            if i < 0 or text[toks[i].end : paren.start()] != " ":
                continue
        head = m.group("head")
        plural = head.endswith("s")
        first = name_before(text, toks, i)
        if first is None:
            continue
        name_start = toks[first].start
        if head.lower().startswith("pilot"):
            # pilots keep their head in the name: '3DP Pilot'; 'X and Y Pilots' name two
            end = m.end()
            singular = text[name_start : m.end()].rstrip("s") if plural else None
            out.append(Candidate(name_start, end, "project.pilot_phrase", canonical=singular))
            if plural:
                out += coordinated_pilots(text, toks, first, head.rstrip("s"))
        else:
            if plural:
                continue
            out.append(Candidate(name_start, toks[i].end, "project.project_phrase"))
    for m in PROJECT_AFTER.finditer(text):
        i = token_index_at(toks, m.end())
        if i >= len(toks):
            continue
        last = i
        while (
            last + 1 < len(toks)
            and last - i < 4
            and toks[last + 1].capitalised
            and text[toks[last].end : toks[last + 1].start] in (" ", "-")
        ):
            last += 1
        if fold(toks[i].text) in NOT_NAMES:
            continue
        out.append(Candidate(toks[i].start, toks[last].end, "project.project_phrase"))
    out += plural_phrase_projects(text, toks)
    for m in PROJECT_OPENS_LINE.finditer(text) if "Proje" in text else ():
        name = m.group("name")
        if fold(name.split()[0]) not in NOT_NAMES:
            out.append(Candidate(m.start("name"), m.end("name"), "project.project_phrase"))
    for m in PROJECTS_COLON_LIST.finditer(text):
        out += listed_names(text, m.start("list"), m.group("list"))
    for rule, pattern, cue in (
        ("project.apposition", APPOSITION, APPOSITION_CUE),
        ("project.copula", COPULA, COPULA_CUE),
    ):
        for m in pattern.finditer(text) if cue.search(text) else ():
            name = m.group("name")
            first_word = name.split()[0]
            if fold(first_word) in NOT_NAMES | PRONOUNS or first_word in SENTENCE_STARTERS:
                continue
            out.append(Candidate(m.start("name"), m.end("name"), rule))
    for m in SUCH_AS.finditer(text):
        offset = m.start("list")
        for piece in re.split(r",\s+|\s+(?:and|et|en|und|or|ou|of|oder)\s+", m.group("list")):
            p = piece.strip()
            if not p:
                continue
            p_start = text.index(p, offset)
            offset = p_start + len(p)
            words = p.split()
            if len(words) > 4 or not all(w[:1].isupper() or w[:1].isdigit() for w in words):
                break
            out.append(Candidate(p_start, p_start + len(p), "project.such_as_list"))
    return out


def plural_phrase_projects(text: str, toks: tuple[Token, ...]) -> list[Candidate]:
    """'the projects X and Y', 'les projets X et Y', 'de projecten X en Y', 'die
    Projekte X und Y': two or more capitalised names joined by commas and 'and'."""
    out: list[Candidate] = []
    for m in PLURAL_HEAD.finditer(text) if PLURAL_NOUN.search(text) else ():
        i = token_index_at(toks, m.end())
        names: list[tuple[int, int]] = []
        while i < len(toks) and toks[i].capitalised and fold(toks[i].text) not in NOT_NAMES:
            last = i
            while (
                last + 1 < len(toks)
                and last - i < 3
                and toks[last + 1].capitalised
                and text[toks[last].end : toks[last + 1].start] in (" ", "-")
            ):
                last += 1
            names.append((toks[i].start, toks[last].end))
            joiner = text[toks[last].end : toks[last + 1].start] if last + 1 < len(toks) else ""
            if joiner == ", ":
                i = last + 1
            elif last + 2 < len(toks) and toks[last + 1].text in ("and", "et", "en", "und"):
                i = last + 2
            else:
                break
        if len(names) >= 2:
            out += [Candidate(s, e, "project.project_phrase") for s, e in names]
    return out


def coordinated_pilots(
    text: str, toks: tuple[Token, ...], first: int, head: str
) -> list[Candidate]:
    """'ESM and Bioeconomy Pilots': the name before 'and' is a pilot too."""
    if first < 2 or toks[first - 1].text not in ("and", "&", "et", "en", "und"):
        return []
    j = first - 2
    start = name_before(text, toks, j)
    if start is None:
        return []
    name = text[toks[start].start : toks[j].end]
    return [
        Candidate(
            toks[start].start, toks[j].end, "project.pilot_phrase", canonical=f"{name} {head}"
        )
    ]


def quoted_projects(text: str) -> list[Candidate]:
    out = []
    for m in QUOTED_AFTER_PROJECT.finditer(text):
        name = m.group("q").strip()
        if len(name.split()) > 6 or name[-1:] in ".!?":
            continue
        head = m.group().split()[0].lower()
        s_start, s_end = parse(text).sentence_at(m.start())
        if not PROJECT_WORD.match(head) and not PROJECT_WORD.search(text, s_start, s_end):
            continue
        start = m.start("q") + m.group("q").index(name)
        out.append(Candidate(start, start + len(name), "project.quoted_name", priority=1))
    for m in DUBBED.finditer(text):
        name = m.group("q").strip()
        if not name[:1].isupper() and not name[:1].isdigit():
            continue
        start = m.start("q") + m.group("q").index(name)
        out.append(Candidate(start, start + len(name), "project.quoted_name", priority=1))
    return out


# ------------------------------------------------------------ acronyms


def defined_acronyms(text: str) -> dict[str, str]:
    """'3D-printing (3DP)' on the page: '3DP' stands for '3D-printing'."""
    out: dict[str, str] = {}
    for m in DEFINED_ACRONYM.finditer(text):
        full, acr = m.group("full"), m.group("acr")
        words = full.split()
        # keep as many trailing words of the name as the acronym suggests
        for size in range(1, len(words) + 1):
            candidate = " ".join(words[-size:])
            letters = re.sub(r"[^A-Za-z0-9]", "", candidate).upper()
            if letters.startswith(re.sub(r"[^A-Z0-9]", "", acr)[:1]) and size >= 1:
                out.setdefault(acr, candidate)
                break
    return out


def expand_acronym(quote: str, acronyms: dict[str, str], text: str) -> str | None:
    """'3DP Pilot' -> '3D-printing Pilot'; '3D-printing (3DP) Pilot' likewise.

    Only to a name the page writes, in full or with the acronym in brackets
    ('3D-printing (3DP) Pilot'): 'EMR Heat Atlas' stays as it is when the page
    defines EMR for something else.
    """
    m = re.fullmatch(r"(?P<full>.+?) \((?P<acr>[A-Z0-9-]+)\) (?P<rest>.+)", quote)
    if m:
        return f"{m.group('full')} {m.group('rest')}"
    first, _, rest = quote.partition(" ")
    if first in acronyms and rest:
        full = f"{acronyms[first]} {rest}"
        if full in text or f"{acronyms[first]} ({first}) {rest}" in text:
            return full
    return None


# ------------------------------------------------------------ fact sheets and titles

# 'Project: X', 'Nom du projet : X', 'Projektname: X', 'Projectnaam: X'
TITLE_LABEL = (
    r"project(?: name| title)?|name of the project|projet|nom du projet|titre du projet|"
    r"intitulé du projet|projectnaam|projecttitel|naam van het project|projekt|projektname|"
    r"projekttitel|titel des projekts"
)
# 'Acronym: X', 'Acronyme : X', 'Acroniem: X', 'Akronym: X', 'Kurztitel: X'
ACRONYM_LABEL = (
    r"(?:project |projekt)?acronym|acronyme(?: du projet)?|acroniem|(?:projekt)?akronym|"
    r"kurztitel|kurzname|short name|nom court"
)
# also a row of a two-column table written with pipes: '| Acronym | X |'
LABEL_LINE = re.compile(
    rf"^(?:\|\s*)?(?:(?P<title>{TITLE_LABEL})|(?P<acronym>{ACRONYM_LABEL}))\s*[:|]\s*"
    r"(?P<value>[^|\s][^|]*?)\s*\|?\s*$",
    re.IGNORECASE,
)
# a label alone on its line, its value on the next (a fact-sheet table cleaned to text);
# bare 'Project' is left out: it heads the name column of project tables
LABEL_ALONE = re.compile(
    rf"^(?:(?P<title>(?!(?:project|projet|projekt)\s*$)(?:{TITLE_LABEL}))|"
    rf"(?P<acronym>{ACRONYM_LABEL}))\s*:?\s*$",
    re.IGNORECASE,
)
FACT_SHEET_SPAN = 6
# 'Sediments for Safety (acronym: S4S)', '(acronyme : SSF)', '(afkorting: GL)', '(Akronym: GB)'
ACRONYM_IN_BRACKETS = re.compile(
    r"\((?:acronym|acronyme|acroniem|afkorting|akronym|kurz|abgekürzt|short)\s*:\s*"
    r"(?P<acr>[A-Z0-9][\w+-]{1,15})\)",
    re.IGNORECASE,
)
# 'GREENPORT – Green Ports for a Circular Economy' as a title line
ACRONYM_TITLE = re.compile(
    r"^(?P<acr>[A-Z0-9][A-Za-z0-9+-]{2,15})\s*[–—:|-]\s*(?P<full>[A-Z0-9][^.!?:]{5,120}?)\s*$"
)
# 'Green Ports for a Circular Economy (GREENPORT)' as a title line or list item name
BRACKET_TITLE = re.compile(
    r"^(?P<full>[A-Z0-9][^()|:.!?]{5,120}?)\s\((?P<acr>[A-Z0-9][A-Za-z0-9+-]{2,15})\)\s*$"
)
TITLE_MAX_WORDS = 12
# words that make 'Full Name (ACR)' a body, fund or programme, not a project
BODY_WORDS = folded_words(
    "verbund groupement grouping groepering fund fonds programme programma programm "
    "strategy stratégie strategie regulation règlement verordening verordnung"
)
# 'Projet Rivages – un nouveau ...', 'Project Tidewatch: ...' opening a line or sentence
PROJECT_OPENS_LINE = re.compile(
    r"(?:^|(?<=[.!?] ))(?:Project|Projet|Projekt)\s+"
    r"(?P<name>[A-Z0-9][\w'’+-]*(?:\s[A-Z0-9][\w'’+-]*){0,3})"
    r"\s*(?:[–—:,]|\s-\s)",
    re.MULTILINE,
)
# 'Approved projects: NOVA, BRIDGE and SeaMore were selected'
PROJECTS_COLON_LIST = FoldedPattern(
    re.compile(rf"\b{PROJECT_WORDS}\s*:\s*(?P<list>[^.;:\n]{{2,200}})", re.IGNORECASE)
)


def fact_sheet_projects(text: str) -> list[Candidate]:
    """The project a fact sheet is about: a title label and, nearby, an acronym
    label make one project with both names; either alone names it too."""
    structure = parse(text)
    lines = structure.lines
    values: list[tuple[int, str, int, int]] = []  # line index, kind, start, end
    for line in lines:
        if line.kind == "blank":
            continue
        body = line.body.rstrip()
        m = LABEL_LINE.match(body)
        if m:
            start, end = line.body_start + m.start("value"), line.body_start + m.end("value")
        else:
            alone = LABEL_ALONE.match(body)
            following = lines[line.index + 1] if line.index + 1 < len(lines) else None
            if not alone or following is None or following.kind == "blank":
                continue
            m = alone
            value = following.body.strip()
            start = following.body_start + following.body.index(value) if value else 0
            end = start + len(value)
        value = text[start:end].strip(" \"“”«»„'’*")
        if not value or not project_value(value):
            continue
        start = text.index(value, start)
        kind = "acronym" if m.group("acronym") else "title"
        values.append((line.index, kind, start, start + len(value)))
    out: list[Candidate] = []
    used: set[int] = set()
    for k, (index, kind, start, end) in enumerate(values):
        if k in used:
            continue
        partner = next(
            (
                j
                for j, (other, other_kind, _, _) in enumerate(values)
                if j != k
                and j not in used
                and other_kind != kind
                and abs(other - index) <= FACT_SHEET_SPAN
            ),
            None,
        )
        c = Candidate(start, end, "project.fact_sheet", priority=3)
        if partner is not None:
            used.add(partner)
            _, _, p_start, p_end = values[partner]
            if kind == "acronym":
                c = Candidate(p_start, p_end, "project.fact_sheet", priority=3)
                c.acronym = (start, end)
            else:
                c.acronym = (p_start, p_end)
        used.add(k)
        out.append(c)
    return out


def project_value(value: str) -> bool:
    """A fact-sheet value that is a name: short, capitalised, not a sentence or a label."""
    words = value.split()
    if len(words) > TITLE_MAX_WORDS or value[-1] in ".!?:" or TABLE_LABELS.match(value):
        return False
    if not (value[0].isupper() or value[0].isdigit()):
        return False
    return words[0] not in SENTENCE_STARTERS and fold(words[0]) not in NOT_NAMES


def bracketed_acronym_projects(text: str) -> list[Candidate]:
    """'Full Name (acronym: X)': the capitalised name before the bracket, with X
    as its acronym; X alone when no name stands before it."""
    toks = tokens(text)
    out: list[Candidate] = []
    for m in ACRONYM_IN_BRACKETS.finditer(text):
        acronym = (m.start("acr"), m.end("acr"))
        i = token_index_at(toks, m.start()) - 1
        first = None
        if i >= 0 and text[toks[i].end : m.start()] == " ":
            first = name_with_connectors_before(text, toks, i)
        if first is None:
            out.append(Candidate(*acronym, "project.bracketed_acronym", priority=2))
            continue
        c = Candidate(toks[first].start, toks[i].end, "project.bracketed_acronym", priority=2)
        c.acronym = acronym
        out.append(c)
    return out


def name_with_connectors_before(text: str, toks: tuple[Token, ...], end_index: int) -> int | None:
    """First token of 'Tidal Energy Network', 'Santé Sans Frontières', 'Ports of the
    Future': capitalised words, with connectors between them, ending at ``end_index``."""
    first = None
    j = end_index
    while j >= 0 and end_index - j < 8:
        tok = toks[j]
        connector = tok.text in NAME_CONNECTORS and first is not None
        if not (tok.capitalised or tok.text.isupper() or tok.text[:1].isdigit() or connector):
            break
        if fold(tok.text) in NOT_NAMES or (j < end_index and gap(text, tok, toks[j + 1]) != " "):
            break
        if not connector:
            first = j
        j -= 1
    if first is None or toks[first].text in SENTENCE_STARTERS:
        return None
    return first


def titled_projects(text: str) -> list[Candidate]:
    """A name line 'ACRONYM – Full Name' whose full name spells the acronym
    ('GREENPORT – Green Ports for a Circular Economy'): one project, two names."""
    out: list[Candidate] = []
    for line in parse(text).lines:
        if line.kind == "blank":
            continue
        if line.is_item:
            # '• Full Name (ACR): what it does'
            item = split_item(line)
            start, name = item.name_start, text[item.name_start : item.name_end]
            patterns = [BRACKET_TITLE]
        else:
            start, name = line.body_start, line.body.rstrip()
            patterns = [ACRONYM_TITLE, BRACKET_TITLE]
        m = next((m for p in patterns if (m := p.match(name))), None)
        if not m or len(m.group("full").split()) > TITLE_MAX_WORDS:
            continue
        acr, full = m.group("acr"), m.group("full")
        if not (distinctive_name(acr) and spells(acr, full)):
            continue
        if any(is_head(tok) or fold(tok.text) in BODY_WORDS for tok in tokens(full)):
            continue  # an organisation's name and acronym: 'European ... Agency (EEA)'
        c = Candidate(
            start + m.start("full"), start + m.end("full"), "project.acronym_title", priority=2
        )
        c.acronym = (start + m.start("acr"), start + m.end("acr"))
        out.append(c)
    return out


def spells(acronym: str, full: str) -> bool:
    """Whether the acronym's letters come in order from the full name, the first
    from its first word and at least two from word initials."""
    letters = [c for c in fold(acronym) if c.isalnum()]
    words = [w for w in fold(full).split() if w]
    if len(letters) < 3 or not words or letters[0] != words[0][:1]:
        return False
    joined = " ".join(words)
    pos, initials = 0, 0
    for letter in letters:
        found = joined.find(letter, pos)
        if found < 0:
            return False
        initials += found == 0 or joined[found - 1] == " "
        pos = found + 1
    # 'VERGERS' for 'Vergers du Pays-Haut' spells its first word
    return initials >= 2 or "".join(letters) == words[0]


def listed_names(text: str, offset: int, listed: str) -> list[Candidate]:
    """'NOVA, BRIDGE and SeaMore were selected': two or more names each written
    as one (capitals inside or all capitals); the last may run into the sentence."""
    out: list[Candidate] = []
    for piece in re.split(r",\s+|\s+(?:and|et|en|und|&)\s+", listed):
        words = piece.split()
        name_words = list(itertools.takewhile(distinctive_name, words[:4]))
        if not name_words:
            break
        name = " ".join(name_words)
        start = text.index(name, offset)
        offset = start + len(name)
        out.append(Candidate(start, offset, "project.listed_names"))
        if len(name_words) < len(words):
            break
    return out if len(out) >= 2 else []


PIPE_ROW = re.compile(r"^[ \t]*\|(?P<cells>.*)\|[ \t]*$", re.MULTILINE)
PIPE_RULE = re.compile(r"^[\s|:+-]*$")


def pipe_table_projects(text: str) -> list[Candidate]:
    """Tables written with pipes ('| Project | Programme | Lead partner |' over
    '| X | ... |' rows): the cells under the project label."""
    out: list[Candidate] = []
    width, column, previous_end = 0, None, -2
    for m in PIPE_ROW.finditer(text):
        if m.start() != previous_end + 1:
            column = None
        previous_end = m.end()
        if PIPE_RULE.match(m.group("cells")):
            continue
        cells = cell_spans(m.start("cells"), m.group("cells"))
        values = [text[s:e] for s, e in cells]
        if len(values) >= 2 and all(TABLE_LABELS.match(v) for v in values if v):
            width = len(values)
            column = next((k for k, v in enumerate(values) if TABLE_PROJECT_LABEL.match(v)), None)
            continue
        if column is None or len(values) != width:
            column = None
            continue
        s, e = cells[column]
        name = text[s:e]
        if name and project_value(name) and (looks_like_name(name) or distinctive_name(name)):
            out.append(Candidate(s, e, "project.table_row", priority=2))
    return out


def cell_spans(offset: int, row: str) -> list[tuple[int, int]]:
    """Start and end of each cell's stripped text in a pipe table row."""
    spans = []
    for m in re.finditer(r"[^|]+|(?<=\|)(?=\|)", row):
        cell = m.group()
        stripped = cell.strip()
        start = offset + m.start() + (cell.index(stripped) if stripped else 0)
        spans.append((start, start + len(stripped)))
    return spans
