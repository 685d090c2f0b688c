"""Objectives and their numbered actions, read from the document's structure.

Layouts, in any of the four languages:
- coded objectives: a line starting with a code ('RSO 1.1 Title', 'SO 2.4 -
  Title', 'ISO1(b): Title', 'Spezifisches Ziel: RSO 2.5 - Title'); the
  numbered items below it (after an optional 'Examples of actions:' label),
  up to the next coded line or heading, are its actions;
- a specific objective cited in running text by its label and number
  ('objectif spécifique 4.2', 'specific objective 2.1');
- numbered priorities written as a line of their own ('Priority 1 - Title',
  'Priorité 2 : Titre', 'Priorität: B - Titel');
- priorities named in quotes after the noun ("the priorities 'X' and 'Y'");
- a list announced by a heading or a sentence that names what it lists
  ('Five strategic innovation areas have been identified :', 'Priorités');
- an inline enumeration after such a noun ('five thematic areas (mobility,
  citizenship ... and quality of life)'), kept only when a stated count agrees.

Links to programmes are made by ``relations.link_mentions``.
"""

from __future__ import annotations

import re

from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.programme_reference import (
    POLICY_CODE,
    SPECIFIC_CODE,
    compact_code,
    normalise_objective_code,
    specific_objectives,
)
from pipeline.extract.structure import FoldedPattern, Line, Structure, parse, split_item

SPECIFIC_LABEL = (
    r"(?:Specific objective|Objectif spécifique|Specifieke doelstelling|Spezifisches Ziel)"
)
# 'Interreg specific objective 1', 'objectif spécifique Interreg 2', 'Interreg-spezifisches Ziel 1'
INTERREG_LABEL = (
    r"(?:Interreg[- ]specific objective|objectif spécifique (?:propre à )?Interreg|"
    r"Interreg[- ]spezifisches Ziel|Interreg[- ]specifieke doelstelling)"
)
# '(RSO 1.1)' after a labelled number or at the end of a title repeats the code
CODE_IN_PARENS = rf"\(\s?(?:{SPECIFIC_CODE.replace('?P<', '?P<p_')})\s?\)"
CODED_LINE = re.compile(
    rf"^(?:(?:{SPECIFIC_LABEL}|Policy objective|Objectif stratégique|Beleidsdoelstelling|"
    rf"Politisches Ziel)\s*:?\s+)?(?P<code>{SPECIFIC_CODE}|{POLICY_CODE}|ISO\s?[12](?![\d.(]))"
    r"\s*[.:–—-]?\s+(?P<title>\S.*?)\s*[.:;]?$"
    # 'Objectif spécifique 2.4 : Titre', 'Specific objective 1.1 (RSO1.1) – Title': the label
    # stands for the prefix
    rf"|^{SPECIFIC_LABEL}\s+(?P<bare>[1-7]\.\d{{1,2}})(?:\s*{CODE_IN_PARENS})?"
    r"\s*[.:–—-]\s*(?P<bare_title>\S.*?)\s*[.:;]?$"
    # 'Interreg specific objective 1 (b): Title' is ISO1(b)
    rf"|^{INTERREG_LABEL}\s+(?P<iso>[12](?:\s?\(?[a-f]\))?)\s*[.:–—-]\s*(?P<iso_title>\S.*?)"
    r"\s*[.:;]?$",
    re.IGNORECASE,
)
TRAILING_CODE = re.compile(rf"\s*{CODE_IN_PARENS}$", re.IGNORECASE)
# A table cell holding only a code ('PO2', 'ISO1', 'RSO 2.4'); its title is the next cell
CODE_CELL = re.compile(
    rf"^(?P<code>{SPECIFIC_CODE}|{POLICY_CODE}|ISO\s?[12](?![\d.(]))\s*[.:]?$", re.IGNORECASE
)
TITLE_CELL = re.compile(r"^[A-ZÀ-ÝÄÖÜ][^\d€%$]*$")
# 'au titre de l'objectif spécifique 4.2', 'under specific objective 2.1 (RSO2.1)'
CITED_CODE = FoldedPattern(
    re.compile(
        rf"\b{SPECIFIC_LABEL}\s+(?P<code>(?P<po>\d)\.(?P<sub>\d{{1,2}}))(?![\d.,]\d)", re.IGNORECASE
    )
)
# A label between an objective and its actions: 'Examples of actions:', 'Types
# d'actions soutenues :', 'Maßnahmen:'; never a label announcing projects or partners
ACTIONS_WORDS = (
    r"^(?:[\w'’-]+\s+){0,5}?(?:[dl]['’])?(?:actions?|measures?|activities|interventions|examples|"
    r"mesures|activités|exemples|acties|maatregelen|activiteiten|voorbeelden|"
    r"Maßnahmen|Massnahmen|Aktionen|Aktivitäten|Beispiele|Fördergegenstände)"
    r"(?:\s+[\w'’-]+){0,4}\s*:"
)
ACTIONS_LABEL = re.compile(ACTIONS_WORDS + "$", re.IGNORECASE)
# The same label holding its actions inline: 'Actions: a) joint plans; b) ...'
INLINE_ACTIONS = re.compile(ACTIONS_WORDS + r"\s+(?P<items>\S.*)$", re.IGNORECASE)
INLINE_MARKER = re.compile(r"(?:^|(?<=[\s;,]))(?P<marker>\(?(?:[a-z]|\d{1,2}|[ivx]{1,4})\))\s+")
# Lines of description an objective may have before its labelled actions
MAX_DESCRIPTION_LINES = 3
PRIORITY_HEAD = (
    r"(?:Priority(?: axis)?|Priorité|Axe(?: prioritaire)?|Prioriteit|Prioritaire as|"
    r"Priorität(?:sachse)?|Programmpriorität|Schwerpunkt|Axis|Pillar|Pilier|Pijler|Säule)"
)
# 'Priority 1 – Title', 'Priorité 2 : Titre', 'Priorität: B – Titel'
PRIORITY_LINE = re.compile(
    rf"^{PRIORITY_HEAD}\s*:?\s*(?P<number>\d{{1,2}}|[A-H])\s*[:.–—-]\s*"
    r"(?P<title>[A-ZÀ-ÝÄÖÜ\"“«„'].*?)\s*$"
)
# 'Objective 1: Title', 'Objectif spécifique 1 : Titre', 'Doelstelling 2 – Titel': the
# programme's own numbering without a code, kept when the page numbers at least two
NUMBERED_OBJECTIVE_LINE = re.compile(
    rf"^(?:{SPECIFIC_LABEL}|Objective|Objectif|Doelstelling|Ziel)\s+(?P<number>\d{{1,2}})"
    r"\s*[:.–—-]\s*(?P<title>[A-ZÀ-ÝÄÖÜ\"“«„'].*?)\s*$",
    re.IGNORECASE,
)
MIN_NUMBERED_OBJECTIVES = 2
CELL_SEPARATOR = re.compile(r"\S\s\|\s\S")
QUOTE_OPEN = "\"“«„'‘"
QUOTE_CLOSE = "\"”»“'’"
QUOTED_TITLE = (
    rf"[{QUOTE_OPEN}]\s?(?P<title>[A-ZÀ-ÝÄÖÜ][^{QUOTE_CLOSE}\n]{{2,80}}?)\s?[{QUOTE_CLOSE}](?!\w)"
)
# "the priorities 'A smarter border region' and 'A greener border region'"
QUOTED_AFTER_NOUN = FoldedPattern(
    re.compile(
        r"\b(?:priorit(?:y|ies)|priorités?|prioriteit(?:en)?|Prioritäten|Priorität|"
        r"axes?|assen|as|Achsen?|objectives?|objectifs?|doelstellingen|doelstelling|Ziele?)"
        r"(?:\s+\d{1,2})?\s+(?=[" + QUOTE_OPEN + r"])",
        re.IGNORECASE,
    )
)
QUOTED_JOINER = re.compile(r"\s*(?:,|;|\band\b|\bet\b|\ben\b|\bund\b)\s*")
# Lines that announce the programme area: its items are places, not objectives
AREA_ANNOUNCEMENT = re.compile(
    r"\b(?:programme area|eligible area|cooperation area|programme territory|zone éligible|"
    r"territoire (?:de coopération|du programme|éligible)|zone de coopération|"
    r"programmagebied|samenwerkingsgebied|Fördergebiet|Programmgebiet|Kooperationsraum)\b",
    re.IGNORECASE,
)
# 'Our themes', 'Onze thema's', 'Unsere Handlungsfelder': the work themes of the
# body that writes the page (an EGTC, a city), not a programme's objectives
OWN_WORK_THEMES = re.compile(
    r"^(?:our|nos|notre|onze|ons|unsere?)\s+(?:[\w-]+\s+)?(?:work\s+)?"
    r"(?:themes?|thematic areas|fields|areas of work|thèmes|thématiques|domaines|thema's|themas|"
    r"werkvelden|Themen|Themenfelder|Handlungsfelder|Arbeitsfelder)\b",
    re.IGNORECASE,
)
OBJECTIVE_NOUNS = (
    r"(?:areas?|priorities|priority|themes?|thematic areas|axes|axis|objectives?|pillars?|"
    r"thrusts?|challenges|domains?|fields?|missions|goals|strands|"
    r"priorités|priorité|thèmes|thématiques|objectifs|domaines|enjeux|piliers|volets|"
    r"prioriteiten|thema's|themas|doelstellingen|doelen|assen|pijlers|speerpunten|"
    r"Prioritäten|Themen|Ziele|Achsen|Schwerpunkte|Handlungsfelder|Säulen|Themenfelder)"
)
NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "deux": 2,
    "trois": 3,
    "quatre": 4,
    "cinq": 5,
    "sept": 7,
    "huit": 8,
    "neuf": 9,
    "dix": 10,
    "twee": 2,
    "drie": 3,
    "vier": 4,
    "vijf": 5,
    "zes": 6,
    "zeven": 7,
    "acht": 8,
    "negen": 9,
    "tien": 10,
    "zwei": 2,
    "drei": 3,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "neun": 9,
    "zehn": 10,
}
COUNT = r"(?P<count>\d{1,2}|" + "|".join(NUMBER_WORDS) + ")"
INTRO = re.compile(rf"(?:\b{COUNT}\s+(?:[\w-]+\s+){{0,3}})?\b{OBJECTIVE_NOUNS}\b", re.IGNORECASE)
INLINE = FoldedPattern(
    re.compile(
        rf"\b{COUNT}\s+(?:[\w-]+\s+){{0,3}}{OBJECTIVE_NOUNS}(?:\s+[\w-]+){{0,5}}?\s*"
        r"(?:\(|:\s)(?P<items>[^()\n]{3,400}?)(?:\)|\.(?:\s|$))",
        re.IGNORECASE,
    )
)
ITEM_SPLIT = re.compile(r",\s+(?:and\s+|et\s+|en\s+|und\s+)?|\s+(?:and|et|en|und)\s+")
LEADING_FILLER = re.compile(
    r"^(?:(?:concerning|including|namely|such as|i\.e\.|notamment|à savoir|namelijk|nl\.|"
    r"nämlich|wie)\s+)?(?:the|le|la|les|l['’]|de|het|die|der|das)?\s*",
    re.IGNORECASE,
)
QUOTES = "\"“”«»„'‘’ "
MAX_TITLE_WORDS = 14


def extract_objectives(ctx: Context) -> list[Mention]:
    structure = parse(ctx.text)
    found = coded_objectives(ctx, structure)
    found += cited_objectives(ctx, found)
    taken = [(m.start, m.end) for m in found]
    more = priority_lines(ctx, structure) + quoted_priorities(ctx)
    more += listed_objectives(ctx, structure) + inline_objectives(ctx, structure)
    for m in more:
        if m.record_type == "objective" and any(m.start < e and s < m.end for s, e in taken):
            continue
        found.append(m)
        taken.append((m.start, m.end))
    return found


# ------------------------------------------------------------ coded


def programme_numbering(written: str, regulation_code: str) -> str:
    """The code in the programme's own numbering: a page that numbers the
    Interreg-specific objective ISO6.1 as 'RSO 6.1' keeps RSO6.1 (the reader
    finds the code of the page); other variants (SO 1.1, OS 1.1, ISO1(a))
    take the regulation's code."""
    if written.startswith("RSO") and regulation_code.startswith("ISO"):
        return "RSO" + regulation_code.removeprefix("ISO")
    return regulation_code


def coded_objectives(ctx: Context, structure: Structure) -> list[Mention]:
    out: list[Mention] = []
    for line, code_group, c_start, c_end, t_start, t_end in coded_lines(structure):
        code_raw = ctx.text[c_start:c_end]
        # a bare number after a specific-objective label is a specific objective
        written = {"bare": "SO", "iso": "ISO"}.get(code_group, "") + code_raw
        normalised = normalise_objective_code(written)
        if normalised is None:
            continue
        regulation_code, policy = normalised
        release_code = programme_numbering(compact_code(written), regulation_code)
        title = ctx.text[t_start:t_end]
        objective = Mention(
            "objective",
            c_start,
            t_end,
            ctx.text[c_start:t_end],
            "objective.coded_line",
            canonical=title,
            key=f"code:{release_code}",
            language=ctx.language,
        )
        objective.add("code", release_code, c_start, c_end, "objective.code_reference")
        objective.add(
            "code_as_written", compact_code(code_raw), c_start, c_end, "objective.coded_line"
        )
        objective.add(
            "regulation_code", regulation_code, c_start, c_end, "objective.code_reference"
        )
        objective.add("policy_objective", policy, c_start, c_end, "objective.code_reference")
        objective.add("title", title, t_start, t_end, "objective.coded_line")
        out.append(objective)
        out += actions_under(ctx, structure, line, objective)
    return out


def coded_lines(structure: Structure) -> list[tuple[Line, str, int, int, int, int]]:
    """Objective lines as (line, code group, code span, title span): 'RSO 1.1
    Title', 'Objectif spécifique 2.4 : Titre', or a table row cleaned into a
    code cell followed by a title cell ('PO2' then 'A greener Europe')."""
    out = []
    lines = structure.lines
    for line in lines:
        if line.kind not in ("text", "bullet"):
            continue
        matched = False
        # a line that reads as one coded objective keeps its whole text; only other rows split
        whole = CODED_LINE.match(line.body)
        row = [(line.body, line.body_start)] if whole else cells(line)
        for i, (body, base) in enumerate(row):
            m = whole or (None if body == line.body else CODED_LINE.match(body))
            if m is None:
                # '| RSO 2.4 | Climate adaptation | 40 % |': a code cell, then its title cell
                cell = CODE_CELL.match(body)
                title_cell = row[i + 1] if i + 1 < len(row) else None
                if cell is None or title_cell is None or not is_title_cell(title_cell[0]):
                    continue
                out.append(
                    (
                        line,
                        "code",
                        base + cell.start("code"),
                        base + cell.end("code"),
                        title_cell[1],
                        title_cell[1] + len(title_cell[0]),
                    )
                )
                matched = True
                continue
            code = next(g for g in ("code", "bare", "iso") if m.group(g))
            title = "title" if code == "code" else f"{code}_title"
            t_end = m.start(title) + len(TRAILING_CODE.sub("", m.group(title)))
            out.append(
                (
                    line,
                    code,
                    base + m.start(code),
                    base + m.end(code),
                    base + m.start(title),
                    base + t_end,
                )
            )
            matched = True
        if matched:
            continue
        base = line.body_start
        cell = CODE_CELL.match(line.body)
        after = lines[line.index + 1] if line.index + 1 < len(lines) else None
        if cell is None or after is None or after.kind != "text":
            continue
        title = after.body.strip()
        if not is_title_cell(title):
            continue
        t_start = after.body_start + after.body.index(title)
        out.append(
            (
                line,
                "code",
                base + cell.start("code"),
                base + cell.end("code"),
                t_start,
                t_start + len(title),
            )
        )
    return out


def is_title_cell(cell: str) -> bool:
    return TITLE_CELL.match(cell) is not None and len(cell.split()) <= MAX_TITLE_WORDS


def cells(line: Line) -> list[tuple[str, int]]:
    """A table row written as 'Priority 1 | SO 1.1 Title | EUR 40 million' -> its cells with
    their offsets; any other line is one cell."""
    out: list[tuple[str, int]] = []
    offset = 0
    # the cheap test first: most lines hold no '|'
    is_row = "|" in line.body and CELL_SEPARATOR.search(line.body)
    for raw in line.body.split("|") if is_row else [line.body]:
        stripped = raw.strip()
        if stripped:
            out.append((stripped, line.body_start + offset + raw.index(stripped)))
        offset += len(raw) + 1
    return out


def actions_under(
    ctx: Context, structure: Structure, line: Line, objective: Mention
) -> list[Mention]:
    """Numbered items below an objective line, or its bullets or dashes when
    none is numbered.

    A few lines describing the objective may come first, but then a label
    such as 'Examples of actions:' must announce the items; the label may
    also hold them inline ('Actions: a) ...; b) ...'). Any other text, a
    heading or the next objective ends the objective.
    """
    block: list[Line] = []
    labelled = False
    described = 0
    for ln in structure.lines[line.index + 1 :]:
        if ln.kind == "blank":
            if block:
                break
            continue
        if ends_objective(ln):
            break
        if ln.kind == "text" and not block and not labelled:
            if ACTIONS_LABEL.match(ln.body) or (
                ln.heading and ACTIONS_LABEL.match(ln.body.rstrip() + ":")
            ):
                labelled = True
                continue
            inline = INLINE_ACTIONS.match(ln.body)
            if inline is not None:
                return inline_actions(ctx, ln.body_start + inline.start("items"), ln, objective)
            if ln.body.rstrip().endswith(":") or described >= MAX_DESCRIPTION_LINES:
                break
            described += 1
            continue
        if ln.kind == "text" or ln.heading:
            break
        block.append(ln)
    if described and not labelled:
        return []
    numbered = [ln for ln in block if ln.kind == "numbered"]
    listed = [ln for ln in block if ln.kind in ("bullet", "dash")]
    items = numbered or (listed if len(listed) > 1 else [])
    out = []
    for position, item in enumerate(items, start=1):
        out.append(
            action(
                ctx, objective, position, item.body_start, item.end, (item.start, item.body_start)
            )
        )
    return out


def ends_objective(line: Line) -> bool:
    """A heading that is not an actions label, or the next objective."""
    body = line.body
    if CODED_LINE.match(body) or PRIORITY_LINE.match(body):
        return True
    return line.heading and not ACTIONS_LABEL.match(body.rstrip() + ":")


def inline_actions(ctx: Context, start: int, line: Line, objective: Mention) -> list[Mention]:
    """'Actions: a) joint plans; b) early warning' or 'Mesures : x ; y ; z.':
    pieces split at their markers, else at semicolons; fewer than two is no list."""
    text = ctx.text[start : line.end]
    markers = list(INLINE_MARKER.finditer(text))
    pieces: list[tuple[int, int, tuple[int, int]]] = []
    if len(markers) >= 2:
        for i, m in enumerate(markers):
            end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
            pieces.append((m.end(), end, (m.start("marker"), m.end("marker"))))
    else:
        offset = 0
        for raw in text.split(";"):
            pieces.append((offset, offset + len(raw), (offset, offset + len(raw))))
            offset += len(raw) + 1
    out: list[Mention] = []
    for p_start, p_end, marker in pieces:
        raw = text[p_start:p_end]
        piece = raw.strip(" ,;.")
        if len(piece.split()) > MAX_TITLE_WORDS * 2:
            return []
        if not piece:
            continue
        s = start + p_start + raw.index(piece)
        out.append(
            action(
                ctx,
                objective,
                len(out) + 1,
                s,
                s + len(piece),
                (start + marker[0], start + marker[1]),
            )
        )
    return out if len(out) >= 2 else []


def action(
    ctx: Context,
    objective: Mention,
    position: int,
    start: int,
    end: int,
    marker: tuple[int, int],
) -> Mention:
    found = Mention(
        "objective_action",
        start,
        end,
        ctx.text[start:end],
        "objective.numbered_action",
        language=ctx.language,
    )
    if marker[0] == marker[1]:
        marker = (start, end)
    found.add("position", position, marker[0], marker[1], "objective.numbered_action")
    found.link("objective_id", objective)
    return found


def cited_objectives(ctx: Context, coded: list[Mention]) -> list[Mention]:
    """'objectif spécifique 4.2' in a sentence: the regulation's objective, unless
    the page lists it as a coded line already."""
    listed = {m.key for m in coded}
    out: list[Mention] = []
    for m in CITED_CODE.finditer(ctx.text):
        po, sub = int(m.group("po")), int(m.group("sub"))
        code = f"RSO{po}.{sub}" if po <= 5 else f"ISO{po}.{sub}"
        ref = specific_objectives().get(code)
        if ref is None or f"code:{code}" in listed:
            continue
        if any(o.start <= m.start() < o.end for o in coded):
            continue
        objective = Mention(
            "objective",
            m.start(),
            m.end(),
            m.group(),
            "objective.cited_code",
            canonical=ref.title,
            key=f"code:{code}",
            language=ctx.language,
        )
        c_start, c_end = m.start("code"), m.end("code")
        objective.add("code", code, c_start, c_end, "objective.code_reference")
        objective.add("regulation_code", code, c_start, c_end, "objective.code_reference")
        objective.add(
            "policy_objective", ref.policy_objective, c_start, c_end, "objective.code_reference"
        )
        out.append(objective)
        listed.add(f"code:{code}")
    return out


# ------------------------------------------------------------ priorities


def priority_lines(ctx: Context, structure: Structure) -> list[Mention]:
    """'Priority 1 – Climate and environment' on a line or in a table cell of its own;
    'Objective 1: Title' when the page numbers two or more such objectives."""
    out: list[Mention] = []
    numbered: list[Mention] = []
    for line in structure.lines:
        if line.kind not in ("text", "bullet"):
            continue
        for body, base in cells(line):
            for pattern, rule, found in (
                (PRIORITY_LINE, "objective.priority_line", out),
                (NUMBERED_OBJECTIVE_LINE, "objective.numbered_line", numbered),
            ):
                m = pattern.match(body)
                if m is None or (CODED_LINE.match(body) and pattern is NUMBERED_OBJECTIVE_LINE):
                    continue
                raw = m.group("title")
                title = TRAILING_CODE.sub("", raw.strip(QUOTES).rstrip())
                if not title or title.endswith(".") or len(title.split()) > MAX_TITLE_WORDS:
                    continue
                t_start = base + m.start("title") + raw.index(title)
                t_end = t_start + len(title)
                objective = Mention(
                    "objective",
                    base,
                    t_end,
                    ctx.text[base:t_end],
                    rule,
                    canonical=title,
                    language=ctx.language,
                )
                objective.add("title", title, t_start, t_end, rule)
                found.append(objective)
                break
    if len(numbered) >= MIN_NUMBERED_OBJECTIVES:
        out += numbered
    return sorted(out, key=lambda m: m.start)


def quoted_priorities(ctx: Context) -> list[Mention]:
    """ "the priorities 'X' and 'Y'": each quoted name after the noun."""
    out: list[Mention] = []
    text = ctx.text
    quoted = re.compile(QUOTED_TITLE)
    for noun in QUOTED_AFTER_NOUN.finditer(text):
        pos = noun.end()
        while True:
            m = quoted.match(text, pos)
            if m is None:
                break
            title = m.group("title").strip()
            if len(title.split()) > MAX_TITLE_WORDS:
                break
            start = m.start("title")
            mention = Mention(
                "objective",
                start,
                start + len(title),
                title,
                "objective.quoted_priority",
                language=ctx.language,
            )
            mention.add("title", title, start, start + len(title), "objective.quoted_priority")
            out.append(mention)
            joiner = QUOTED_JOINER.match(text, m.end())
            if joiner is None or joiner.end() == m.end():
                break
            pos = joiner.end()
    return out


# ------------------------------------------------------------ listed


def listed_objectives(ctx: Context, structure: Structure) -> list[Mention]:
    """Items of a list announced by a line that names objectives or priorities."""
    out: list[Mention] = []
    for line in structure.lines:
        if line.kind != "text":
            continue
        items = structure.items_after(line)
        if len(items) < 2:
            continue
        intro = announcing_clause(line)
        if intro is None:
            continue
        count = stated_count(intro)
        if count is not None and count != len(items):
            continue
        for item in items:
            mention = item_objective(ctx, item)
            if mention is not None:
                out.append(mention)
    return out


def announcing_clause(line: Line) -> str | None:
    """The line's last sentence if it announces objectives ('... areas :')."""
    body = line.body.strip()
    if AREA_ANNOUNCEMENT.search(body) or OWN_WORK_THEMES.match(body):
        return None
    if line.heading:
        # a lone 'Ziele' between paragraphs of an HTML page lists a project's goals
        if line.loose and INTRO.fullmatch(body):
            return None
        return body if INTRO.search(body) else None
    if not body.endswith(":"):
        return None
    last = re.split(r"(?<=[.!?])\s+", body)[-1]
    return last if INTRO.search(last) else None


def stated_count(clause: str) -> int | None:
    m = INTRO.search(clause)
    if not m or not m.group("count"):
        return None
    raw = m.group("count").lower()
    return int(raw) if raw.isdigit() else NUMBER_WORDS.get(raw)


def item_objective(ctx: Context, item: Line) -> Mention | None:
    split = split_item(item)
    start, end = split.name_start, split.name_end
    raw = ctx.text[start:end]
    stripped = raw.strip(QUOTES + ",;.")
    if not stripped:
        return None
    start += raw.index(stripped)
    end = start + len(stripped)
    if len(stripped.split()) > MAX_TITLE_WORDS:
        return None
    m = Mention("objective", start, end, stripped, "objective.listed_item", language=ctx.language)
    m.add("title", stripped, start, end, "objective.listed_item")
    return m


# ------------------------------------------------------------ inline


def inline_objectives(ctx: Context, structure: Structure) -> list[Mention]:
    out: list[Mention] = []
    text = ctx.text
    for m in INLINE.finditer(text):
        raw_count = m.group("count").lower()
        count = int(raw_count) if raw_count.isdigit() else NUMBER_WORDS.get(raw_count)
        items_start = m.start("items")
        pieces = []
        offset = items_start
        for piece in ITEM_SPLIT.split(m.group("items")):
            p_start = text.index(piece, offset)
            offset = p_start + len(piece)
            filler = LEADING_FILLER.match(piece)
            if filler:
                piece, p_start = piece[filler.end() :], p_start + filler.end()
            piece = piece.strip(QUOTES + ".;")
            if piece:
                p_start = text.index(piece, p_start)
                pieces.append((p_start, p_start + len(piece)))
        if count != len(pieces) or any(len(text[s:e].split()) > MAX_TITLE_WORDS for s, e in pieces):
            continue
        for s, e in pieces:
            mention = Mention(
                "objective", s, e, text[s:e], "objective.inline_enumeration", language=ctx.language
            )
            mention.add("title", text[s:e], s, e, "objective.inline_enumeration")
            out.append(mention)
    return out
