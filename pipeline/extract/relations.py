"""Links between the mentions of one document; runs after every extractor.

- a project or objective -> the programme named in its sentence, in the
  sentence that announces its list, in the few lines of its paragraph before
  it, under its heading; else the programme its fellow pilots/projects of the
  same kind belong to, the programme that 'the project' of a one-project page
  is funded by, the one whose name shares its distinctive words, or the page's
  programme;
- a territory -> the programme whose area it is part of: territories listed
  after 'This programme ... regions:' or an eligible-area heading; those in a
  sentence where a programme 'covers', 'involves', 'comprend'..., or supports
  projects 'in' places; those after 'the programme area covers', 'la zone de
  coopération comprend', 'het programmagebied omvat', 'zum Fördergebiet
  gehören' and after eligibility phrases ('the call is open to ... in'), which
  go to the programme of the sentence, paragraph, section or page. Places
  only partly in the area ('parts of France', 'het zuiden van Nederland') and a
  country that labels a list item ('in France: Nord, Aisne') are not linked;
- an organisation -> a project it takes part in ('X is part of the Y project',
  'X participates in', 'partenaire du projet', 'Partner im Projekt').

Territory mentions lying inside a programme's or organisation's name are
dropped. ``link_mentions`` edits ``ctx.mentions`` in place and returns [].
"""

from __future__ import annotations

import re
from bisect import bisect_left

from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.organisations import place_country
from pipeline.extract.programme_reference import fold, name_form
from pipeline.extract.programmes import (
    heading_programme,
    kind_of,
    main_programmes,
    page_programme,
)
from pipeline.extract.structure import FoldedPattern, Line, Structure, parse

# Searched in every sentence: folded (see FoldedPattern) to keep that cheap
AREA_VERBS = FoldedPattern(
    re.compile(
        r"\b(?:involves?|involving|covers?|covering|includes?|including|encompass\w*|compris\w*|"
        r"spans?|spanning|brings? together|between|across|concerns?|couvre|couvrant|comprend|"
        r"englobe|concerne|regroupe|entre|omvat|bestrijkt|beslaat|tussen|umfasst|erstreckt|"
        r"zwischen)\b",
        re.IGNORECASE,
    )
)
AREA_HEADINGS = FoldedPattern(
    re.compile(
        r"\b(?:eligible (?:area|regions|territory)|programme area|program area|cooperation area|"
        r"programme territory|zone éligible|territoire (?:du programme|éligible|de coopération)|"
        r"zone (?:de coopération|du programme)|périmètre du programme|programmagebied|"
        r"samenwerkingsgebied|subsidiabel gebied|Fördergebiet\w*|Programmgebiet\w*|"
        r"Programmraum|Kooperationsraum|Kooperationsgebiet)\b",
        re.IGNORECASE,
    )
)
# 'the partner regions are X, Y', 'les régions partenaires sont', 'Partnerregionen sind'
PARTNER_REGIONS = FoldedPattern(
    re.compile(
        r"\b(?:partner|participating) (?:regions|countries|provinces)|"
        r"(?:régions|pays|provinces) (?:partenaires|participant\w*)|"
        r"partnerregio's|partnerlanden|deelnemende (?:regio's|landen|provincies)|"
        r"Partnerregionen|Partnerländer|teilnehmenden? (?:Regionen|Länder)",
        re.IGNORECASE,
    )
)
# Lines that name places for another reason than the area: an address, a seat, twin towns
NOT_AREA = re.compile(
    r"\b(?:secretariat|secrétariat|secretariaat|Sekretariat|contact|Kontakt|located|based|"
    r"headquarter\w*|address|adresse|adres|situé\w*|siège|gevestigd|zetel|Sitz|befindet|"
    r"twin\w*|jumel\w*|partnerst\w*|Partnerst\w*|Städtepartner\w*|office|bureau|kantoor|Büro)\b",
    re.IGNORECASE,
)
# An area section runs from its heading to the next heading, at most this many lines
AREA_SECTION_LINES = 25
# 'the call is open to organisations in X', 'les partenaires éligibles', 'komen in aanmerking'
ELIGIBILITY = FoldedPattern(
    re.compile(
        r"\b(?:(?:is|are) open to|eligible|éligibles?|(?:est|sont) ouverte?s? (?:aux?|à)|"
        r"in aanmerking|staat open voor|staan open voor|förderfähig\w*|antragsberechtigt\w*|"
        r"teilnahmeberechtigt\w*|richtet sich an)\b",
        re.IGNORECASE,
    )
)
# A programme that supports projects somewhere: 'fördert ... Projekte im Elsass, in Baden'
SUPPORT_VERBS = FoldedPattern(
    re.compile(
        r"\b(?:supports?|funds?|finances?|co-?finances?|soutient|soutenant|finance|cofinance|"
        r"ondersteunt|financiert|subsidieert|fördert|unterstützt|finanziert)\b",
        re.IGNORECASE,
    )
)
LOCATIVE = re.compile(r"\b(?:in|im|dans|en|au|aux|à)\b", re.IGNORECASE)
# What may stand between 'in' and a place of the list it opens: 'in the 27 EU
# Member States, Norway and Switzerland', 'im Elsass, in Baden'
PLACE_LIST = re.compile(
    r"^(?:[\s,;()]+|\b(?:the|la|le|les|l['’]|de|der|den|dem|het|and|et|en|und|sowie|in|im|"
    r"dans|au|aux|à)\b|[\w.'’-]*[A-Z0-9][\w.'’-]*)*$"
)
# Places only partly in an area: 'parts of France', 'het zuiden van Nederland'
PARTIAL = re.compile(
    r"\b(?:parts? of|(?:the )?(?:north|south|east|west)(?:ern|-east|-west)?(?: part)? of|"
    r"(?:une |certaines )?parties? (?:de|du|des)|(?:le )?(?:nord|sud|est|ouest) (?:de|du)|"
    r"(?:een )?deel van|delen van|(?:het )?(?:noorden|zuiden|oosten|westen) van|"
    r"(?:in )?Teilen? (?:von|des|der)|Teilen|(?:der |im )?(?:Norden|Süden|Osten|Westen) "
    r"(?:von|des|der)|except|sauf|behalve|außer)\b",
    re.IGNORECASE,
)
LIST_GLUE = re.compile(
    r"^(?:[\s,;()]+|\b(?:and|et|en|und|sowie|the|de|du|des|la|le|les|het|der|die|das|dem|"
    r"in|im|l['’]|d['’])\b)*$",
    re.IGNORECASE,
)
# 'Hauts-de-France and Grand Est regions in France': the country holds the area
CONTAINER_BEFORE = re.compile(
    r"(?:\b[A-ZÀ-Ý][\w'’-]*|\b(?:regions|régions|provinces|provincies|departments|"
    r"départements|districts|Regionen|Länder|Kreise|Landkreise|municipalities|communes|"
    r"gemeenten|Gemeinden))\s+(?:in|en|dans|im|in het)\s+(?:the\s+|la\s+|le\s+|l['’])?$"
)
# 'in France: Nord, Aisne' - the country labels the item, its listed parts are the area
ITEM_LABEL = re.compile(r"^(?P<label>[^:]{1,40}?)\s*:\s")
AREA_WORDS = re.compile(
    r"\b(?:regions?|areas?|territor\w+|provinces?|departments?|districts?|countries|"
    r"municipalities|eligible|régions?|départements|provinces|territoires?|pays|zones?|"
    r"communes|regio's|provincies|gemeenten|landen|gebied\w*|Regionen|Landkreise|Kreise|"
    r"Länder|Gebiet\w*|Raum)\b",
    re.IGNORECASE,
)
THIS_PROGRAMME = re.compile(
    r"\b(?:this|the|ce|le|dit|het|dieses|das)\s+(?:interreg\s+)?"
    r"(?:programme|program|programma|programm)\b",
    re.IGNORECASE,
)
RECENT_LINES = 3
# 'le projet est cofinancé', not 'le projet MOSAR' (a name follows)
THE_PROJECT = re.compile(
    r"\b(?:the|this|le|ce|het|dit|das|dieses)\s+(?:project|projet|Projekt)\b(?!\s+(?-i:[A-Z0-9]))",
    re.IGNORECASE,
)
PARTNER_PHRASE = re.compile(
    r"\b(?:is|are)\s+(?:a\s+)?(?:part|partners?|members?|involved|lead partner)\s+(?:of|in)\b|"
    r"\bparticipates?\s+in\b|\btakes?\s+part\s+in\b|\bleads?\b|\bcoordinates?\b|"
    r"\bpartenaire\s+(?:du|de)\b|\bparticipe\s+(?:au|à)\b|\bneemt\s+deel\s+aan\b|"
    r"\bpartner\s+(?:in|van)\b|\bPartner\s+(?:im|des|in)\b|\bbeteiligt\s+(?:sich\s+)?an\b",
    re.IGNORECASE,
)


def link_mentions(ctx: Context) -> list[Mention]:
    drop_territories_inside_names(ctx)
    structure = parse(ctx.text)
    programmes = main_programmes(ctx.mentions)
    for project in ctx.of_type("project"):
        target = programme_for(ctx, structure, project, programmes)
        if target is not None:
            project.link("programme_id", target)
    propagate_by_kind(ctx)
    link_the_project(ctx, structure, programmes)
    link_by_shared_words(ctx, programmes)
    for objective in ctx.of_type("objective"):
        target = programme_for(ctx, structure, objective, programmes)
        target = target or programme_of_project_in_sentence(ctx, structure, objective)
        target = target or page_programme(ctx.text, ctx.mentions)
        target = target or programme_before(programmes, objective.start)
        if target is not None:
            objective.link("programme_id", target)
    link_areas(ctx, structure, programmes)
    link_partners(ctx, structure)
    return []


def drop_territories_inside_names(ctx: Context) -> None:
    names = [
        (m.start, m.end)
        for m in ctx.mentions
        if m.record_type in ("programme", "organisation", "project")
    ]
    ctx.mentions[:] = [
        m
        for m in ctx.mentions
        if m.record_type != "territory"
        or not any(s <= m.start and m.end <= e and (s, e) != (m.start, m.end) for s, e in names)
    ]


def has_link(m: Mention, field_name: str) -> bool:
    return any(link.field == field_name for link in m.links)


# ------------------------------------------------------------ programme of a mention


def programme_for(
    ctx: Context, structure: Structure, m: Mention, programmes: list[Mention]
) -> Mention | None:
    """Nearest programme in the mention's own sentence, its list's announcing
    sentence, its paragraph (before it), then the heading above it."""
    if not programmes:
        return None
    s_start, s_end = structure.sentence_at(m.start)
    programmes = [p for p in programmes if not (m.start <= p.start and p.end <= m.end)]
    if not programmes:
        return None
    in_sentence = [p for p in programmes if s_start <= p.start < s_end]
    if in_sentence:
        return nearest(in_sentence, m.start)
    line = structure.line_at(m.start)
    if line.is_item:
        intro = structure.previous_text_line(line)
        if intro is not None:
            in_intro = [p for p in programmes if intro.start <= p.start < intro.end]
            if in_intro:
                return nearest(in_intro, m.start)
            p_start = recent_start(structure, intro.start)
            before = [p for p in programmes if p_start <= p.start < intro.end]
            if before:
                return nearest(before, m.start)
    p_start = recent_start(structure, m.start)
    before = [p for p in programmes if p_start <= p.start < m.start]
    if before:
        return nearest(before, m.start)
    return heading_programme(ctx.text, ctx.mentions, m.start)


def programme_before(programmes: list[Mention], offset: int) -> Mention | None:
    """The last programme named above ``offset``: objectives listed after a
    paragraph or table header about a programme belong to it."""
    before = [p for p in programmes if p.end <= offset]
    return max(before, key=lambda p: p.start) if before else None


def recent_start(structure: Structure, offset: int) -> int:
    """Start of the text just before ``offset`` that still speaks of the same
    thing: its paragraph, but no more than a few lines back (pages converted
    from HTML often have no blank line at all)."""
    p_start, _ = structure.paragraph_at(offset)
    line = structure.line_at(offset)
    first = structure.lines[max(0, line.index - RECENT_LINES)]
    return max(p_start, first.start)


def nearest(candidates: list[Mention], offset: int) -> Mention:
    before = [p for p in candidates if p.start <= offset]
    if before:
        return max(before, key=lambda p: p.start)
    return min(candidates, key=lambda p: p.start)


def head_word(m: Mention) -> str:
    return fold(m.name.split()[-1]).rstrip("s") if m.name.split() else ""


def propagate_by_kind(ctx: Context) -> None:
    """Pilots of one page that belong to one programme lend it to unlinked pilots."""
    projects = ctx.of_type("project")
    by_head: dict[str, set[tuple[int, int]]] = {}
    targets: dict[tuple[int, int], Mention] = {}
    index = {(p.start, p.end): p for p in ctx.of_type("programme")}
    for p in projects:
        for link in p.links:
            if link.field == "programme_id" and (link.target.start, link.target.end) in index:
                span = (link.target.start, link.target.end)
                by_head.setdefault(head_word(p), set()).add(span)
                targets[span] = index[span]
    for p in projects:
        if has_link(p, "programme_id") or len(p.name.split()) < 2:
            continue
        spans = by_head.get(head_word(p), set())
        if len({name_form(targets[s].name) for s in spans}) == 1:
            p.link("programme_id", targets[min(spans)])


def link_the_project(ctx: Context, structure: Structure, programmes: list[Mention]) -> None:
    """On a page about one project, 'the project is co-funded ... by programme X'
    names that project's programme."""
    projects = ctx.of_type("project")
    if len({fold(p.name) for p in projects}) != 1 or any(
        has_link(p, "programme_id") for p in projects
    ):
        return
    for s_start, s_end in structure.sentences:
        if not THE_PROJECT.search(ctx.text, s_start, s_end):
            continue
        named = [p for p in programmes if s_start <= p.start < s_end and kind_of(p) != "fund"]
        if len({p.key or name_form(p.name) for p in named}) == 1:
            for project in projects:
                project.link("programme_id", named[0])
            return


def content_words(text: str, places: set[str]) -> set[str]:
    words = {w for w in re.findall(r"[^\W\d_]{3,}", text) if not place_country(w)}
    stems = {fold(w).rstrip("s") for w in words}
    return {w for w in stems if w not in places and w + "s" not in places}


def link_by_shared_words(ctx: Context, programmes: list[Mention]) -> None:
    """A project left unlinked goes to the page's programme whose name shares
    the most of its non-place words, or to the page's programme."""
    page = page_programme(ctx.text, ctx.mentions)
    territories = ctx.of_type("territory")
    places = {fold(t.name) for t in territories} | {fold(t.quote) for t in territories}
    for p in ctx.of_type("project"):
        if has_link(p, "programme_id"):
            continue
        own = content_words(p.name, places)
        scored = sorted(
            ((len(own & content_words(q.name, places)), q.start, q) for q in programmes),
            key=lambda x: (-x[0], x[1]),
        )
        if scored and scored[0][0] > 0 and (len(scored) == 1 or scored[1][0] < scored[0][0]):
            p.link("programme_id", scored[0][2])
        elif page is not None:
            p.link("programme_id", page)


def programme_of_project_in_sentence(
    ctx: Context, structure: Structure, m: Mention
) -> Mention | None:
    """Objectives announced in a sentence about a project go to its programme."""
    line = structure.line_at(m.start)
    anchor = structure.previous_text_line(line) if line.is_item else line
    if anchor is None:
        return None
    projects = [p for p in ctx.of_type("project") if anchor.start <= p.start < anchor.end]
    by_span = {(q.start, q.end): q for q in ctx.of_type("programme")}
    for project in projects:
        for link in project.links:
            if link.field == "programme_id":
                return by_span.get((link.target.start, link.target.end))
    return None


# ------------------------------------------------------------ areas


def link_areas(ctx: Context, structure: Structure, programmes: list[Mention]) -> None:
    territories = ctx.of_type("territory")
    if not territories or not programmes:
        return
    text = ctx.text
    by_area_name = {area_name(p): p for p in reversed(programmes) if kind_of(p) == "interreg"}
    for t in territories:
        named = by_area_name.get(name_form(t.name)) or by_area_name.get(name_form(t.quote))
        if named is not None:
            t.link("area_of", named)
    for line in structure.lines:
        if line.kind != "text":
            continue
        items = structure.items_after(line)
        announces = line.body.rstrip().endswith(":") or line.heading
        if not items or not announces or not AREA_WORDS.search(line.body):
            continue
        target = area_owner(ctx, structure, line.start, line.end, programmes)
        if target is None and AREA_HEADINGS.search(line.body):
            target = context_programme(ctx, structure, line.start, programmes)
        if target is None and line.heading and AREA_HEADINGS.search(line.body):
            target = page_programme(text, ctx.mentions)
        if target is None:
            continue
        span = (items[0].start, items[-1].end)
        for t in territories:
            if span[0] <= t.start < span[1] and in_area(ctx, structure, t):
                t.link("area_of", target)
    link_area_sections(ctx, structure, programmes)
    territory_starts = sorted(t.start for t in territories)
    for s_start, s_end in structure.sentences:
        # a sentence that holds no place links none: skip its cue searches
        first = bisect_left(territory_starts, s_start)
        if first == len(territory_starts) or territory_starts[first] >= s_end:
            continue
        found = sentence_area(ctx, structure, s_start, s_end, programmes)
        if found is None:
            continue
        target, after, locative_only = found
        for t in territories:
            if not (after <= t.start < s_end) or not in_area(ctx, structure, t):
                continue
            if locative_only and not after_locative(text, after, t.start):
                continue
            t.link("area_of", target)


def link_area_sections(ctx: Context, structure: Structure, programmes: list[Mention]) -> None:
    """Under a title such as 'Programme area' or 'Fördergebiet', the places of
    its lists, country-labelled lines ('En France : Nord, Aisne') and table
    cells, up to the next heading, are the area of the section's programme.
    Lines about an address, a seat or twin towns are not the area, and a
    running sentence counts only after an area verb."""
    territories = ctx.of_type("territory")
    for line in structure.lines:
        body = line.body.strip()
        if line.kind != "text" or not is_area_title(body):
            continue
        target = context_programme(ctx, structure, line.start, programmes)
        if target is None:
            continue
        for ln in structure.lines[line.index + 1 : line.index + 1 + AREA_SECTION_LINES]:
            if ln.heading and not ITEM_LABEL.match(ln.body):
                break
            if ln.kind == "blank" or NOT_AREA.search(ln.body):
                continue
            start = ln.start
            if ln.kind == "text" and ends_sentence_line(ln.body):
                verb = AREA_VERBS.search(ctx.text, ln.start, ln.end)
                if verb is None:
                    continue
                start = verb.end()
            for t in territories:
                inside = start <= t.start < ln.end
                if inside and in_area(ctx, structure, t) and not is_label_country(ln, t):
                    t.link("area_of", target)


def is_area_title(body: str) -> bool:
    """'Programme area', 'Zone de coopération :', 'Das Fördergebiet': a short title line."""
    return (
        0 < len(body.split()) <= 5
        and body[-1:] not in ".,"
        and AREA_HEADINGS.search(body) is not None
    )


def ends_sentence_line(body: str) -> bool:
    return body.rstrip()[-1:] in ".!?"


def is_label_country(line: Line, t: Mention) -> bool:
    """'In Deutschland:' or 'Belgique : Hainaut, Namur': the country labels the places after it."""
    label = ITEM_LABEL.match(line.body) or re.match(r"^(?P<label>.{1,40}?)\s*:\s*$", line.body)
    if label is None or not is_country(t):
        return False
    return t.end <= line.body_start + label.end("label")


def sentence_area(
    ctx: Context, structure: Structure, start: int, end: int, programmes: list[Mention]
) -> tuple[Mention, int, bool] | None:
    """The programme whose area a sentence lists, where the list starts, and
    whether only places after 'in'/'dans'/'im' count (a programme that
    supports projects in places). The earliest cue of the sentence decides."""
    text = ctx.text
    found: list[tuple[int, Mention, int, bool]] = []
    area = AREA_HEADINGS.search(text, start, end)
    if area:
        named = [p for p in programmes if start <= p.start < end and kind_of(p) != "fund"]
        target = named[0] if named else context_programme(ctx, structure, start, programmes)
        if target is not None:
            found.append((area.start(), target, area.end(), False))
    for cue, locative_only in ((AREA_VERBS, False), (SUPPORT_VERBS, True)):
        verb = cue.search(text, start, end)
        if verb:
            target = sentence_subject(ctx, structure, start, verb.start(), programmes)
            if target is not None:
                found.append((verb.start(), target, verb.end(), locative_only))
    partners = PARTNER_REGIONS.search(text, start, end)
    if partners:
        target = area_owner(ctx, structure, start, end, programmes) or context_programme(
            ctx, structure, start, programmes
        )
        if target is not None:
            found.append((partners.start(), target, partners.end(), False))
    eligible = ELIGIBILITY.search(text, start, end)
    if eligible:
        target = context_programme(ctx, structure, start, programmes)
        if target is not None:
            found.append((eligible.start(), target, eligible.end(), True))
    if not found:
        return None
    _, target, after, locative_only = min(found, key=lambda f: f[0])
    return target, after, locative_only


def after_locative(text: str, start: int, offset: int) -> bool:
    """Whether the place at ``offset`` is in a list of places opened by 'in',
    'dans', 'im' after ``start``."""
    opened = list(LOCATIVE.finditer(text, start, offset))
    return bool(opened) and PLACE_LIST.match(text[opened[-1].end() : offset]) is not None


def in_area(ctx: Context, structure: Structure, t: Mention) -> bool:
    """False for a place only partly in the area ('parts of France, Germany')
    and for a country labelling a list item ('in France: Nord, Aisne')."""
    if has_link(t, "area_of"):
        return False
    text = ctx.text
    line = structure.line_at(t.start)
    label = ITEM_LABEL.match(line.body) if line.is_item else None
    if label and t.end <= line.body_start + label.end("label"):
        return not is_country(t)
    s_start, _ = structure.sentence_at(t.start)
    lead_start = max(s_start, line.start)
    if is_country(t) and CONTAINER_BEFORE.search(text, lead_start, t.start):
        return False
    partial = [m for m in PARTIAL.finditer(text, lead_start, t.start)]
    if not partial:
        return True
    between = text[partial[-1].end() : t.start]
    for other in sorted(ctx.of_type("territory"), key=lambda o: -o.start):
        if partial[-1].end() <= other.start and other.end <= t.start:
            offset = partial[-1].end()
            between = between[: other.start - offset] + between[other.end - offset :]
    return not LIST_GLUE.match(between)


def is_country(t: Mention) -> bool:
    return any(v.field == "type" and v.value == "country" for v in t.values)


def context_programme(
    ctx: Context, structure: Structure, offset: int, programmes: list[Mention]
) -> Mention | None:
    """The programme a passage is about: the programme of its heading, else the
    page's, else the last one named before it in its paragraph."""
    section = heading_programme(ctx.text, ctx.mentions, offset) or page_programme(
        ctx.text, ctx.mentions
    )
    if section is not None:
        return section
    p_start, _ = structure.paragraph_at(offset)
    before = [p for p in programmes if p_start <= p.start < offset and kind_of(p) != "fund"]
    return max(before, key=lambda p: p.start) if before else None


SUBJECT_START = re.compile(
    r"(?:the|this|le|la|ce|het|dit|das|die|der)?\s*"
    r"(?:(?:programme|program|programma|Programm)(?:\s+de\s+coopération(?:\s+\w+){0,3})?\s+)?",
    re.IGNORECASE,
)


def sentence_subject(
    ctx: Context, structure: Structure, start: int, end: int, programmes: list[Mention]
) -> Mention | None:
    """The programme a sentence opens with ('Interreg X involves ...', 'Das
    Programm Interreg X fördert ...', 'This programme ...'): only then are the
    places after its verb its area."""
    lead = SUBJECT_START.match(ctx.text, start)
    first_word = lead.end() if lead else start
    opening = [p for p in programmes if p.start == first_word and kind_of(p) != "fund"]
    if opening and opening[0].end <= end:
        return opening[0]
    this = THIS_PROGRAMME.match(ctx.text, start)
    if this and this.end() <= end:
        return area_owner(ctx, structure, start, this.end(), programmes)
    return None


def area_name(programme: Mention) -> str:
    """'Interreg North-West Europe' covers the area called 'North-West Europe'."""
    return re.sub(r"^interreg\s+", "", name_form(programme.name))


def area_owner(
    ctx: Context, structure: Structure, start: int, end: int, programmes: list[Mention]
) -> Mention | None:
    """The programme that is the subject of text[start:end]: named there, or
    'this programme' standing for the programme of the section."""
    named = [p for p in programmes if start <= p.start < end and kind_of(p) != "fund"]
    if named:
        return named[0]
    if THIS_PROGRAMME.search(ctx.text, start, end):
        s_start, _ = structure.sentence_at(start)
        earlier = [p for p in programmes if p.end <= s_start]
        p_start, _ = structure.paragraph_at(start)
        in_paragraph = [p for p in earlier if p.start >= p_start]
        if in_paragraph:
            return in_paragraph[-1]
        return heading_programme(ctx.text, ctx.mentions, start) or page_programme(
            ctx.text, ctx.mentions
        )
    return None


# ------------------------------------------------------------ partners


def link_partners(ctx: Context, structure: Structure) -> None:
    projects = ctx.of_type("project")
    for org in ctx.of_type("organisation"):
        _, s_end = structure.sentence_at(org.start)
        phrase = PARTNER_PHRASE.search(ctx.text, org.end, s_end)
        if not phrase or phrase.start() - org.end > 40:
            continue
        after = [p for p in projects if phrase.end() <= p.start < s_end]
        if after:
            org.link("partner_of", min(after, key=lambda p: p.start))
