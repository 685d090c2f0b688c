"""Programme mentions: Interreg programmes, funds, initiatives and strategies.

Three sources, in order of trust: reference names and aliases (key
'ref:<row key>'); 'Interreg <Name>' written any way, mapped to the reference
when its words are the reference's words or their truncations; and names
built around a head word ('the X Initiative', 'X Strategy (ACR)', 'the X
framework programme', 'le programme X', 'het programma X', 'das Programm X',
'"X" call for proposals'). A bare 'Interreg' or 'European Territorial
Cooperation' is an umbrella, not a programme, and yields nothing.

Values (short name, period, budget, fund, CCI, strand) are read from the
parenthesis after a name, and from sentences about the programme: those that
name it, or that say 'this programme', or that give a fund and an amount under
the programme's heading or page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from pipeline.extract import quantities
from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.programme_reference import (
    find_reference_names,
    fold,
    match_programme_name,
    name_form,
    predecessor_keys,
)
from pipeline.extract.structure import (
    SENTENCE_STARTERS,
    Line,
    Structure,
    Token,
    choose,
    extend_left,
    extend_right,
    folded_words,
    parse,
    token_index_at,
    tokens,
    word_set,
)

INTERREG_NAME = re.compile(
    r"\b(?:Interreg|INTERREG)(?:[ -](?P<numbering>(?:IV|VI|V|I{1,3})(?:[ -]?(?P<strand>[ABC]))?))?"
    r"[ -]+(?P<name>(?:[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ][\w'’.]*)"
    r"(?:(?: ?[-–—/] ?| )(?:[A-Z0-9ÀÂÄÉÈÊËÎÏÔÖÙÛÜÇ(][\w'’.)]*|and|et|en|und))*)"
)
# 'Interreg Oberrhein 2021-2027': the period follows the name, it is not part of it
TRAILING_PERIOD = re.compile(r"(?:\s+|\s*[-–]\s*)(?:19|20)?\d\d\s*[-–/]\s*(?:19|20)?\d\d$")
# First words after 'Interreg' that describe, not name, a programme
NOT_A_NAME = word_set(
    "programme programmes program programm programma programa project projects projet projets "
    "projekt projekte secretariat joint monitoring fund funds funding call calls cooperation "
    "office team news europe's"
)
# 'Interreg-Programmen', 'Interreg programma's', 'Interreg-Projekte': the umbrella, inflected
NOT_A_NAME_STEMS = ("program", "projek", "project", "projet", "förder", "fonds")
# 'Interreg B', 'Interreg A und B': a strand of Interreg, not a programme
STRAND_ONLY = re.compile(r"^[A-D](?:$|\s)")
# The programming period an Interreg generation stands for ('Interreg V A' ran 2014-2020)
GENERATION_PERIODS = {"IV": (2007, 2013), "V": (2014, 2020)}
FUND_CODES = r"(?:ERDF|FEDER|EFRO|EFRE|ESF\+?|FSE\+?|ESF|JTF|FTJ|EAFRD|FEADER)"
# Every FUND_CODES code holds one of these: pages without any have no regional programme
FUND_CODE_WORDS = ("ERDF", "FEDER", "EFRO", "EFRE", "ESF", "FSE", "JTF", "FTJ", "EAFRD", "FEADER")
FUND_CHAIN = rf"{FUND_CODES}(?:\s?[-/]\s?{FUND_CODES})*"
# A regional programme of the EU funds: 'Programme FEDER-FSE+ Grand Est 2021-2027',
# 'OP EFRO Oost-Nederland', 'EFRE-Programm Saarland', 'ERDF Programme for Wales'
REGIONAL_FUND_PROGRAMME = re.compile(
    rf"\b(?:(?:[Pp]rogrammes?|[Pp]rogramma|Programm|OP|Operational Programme|"
    rf"Programme opérationnel|Programme régional|Operationeel Programma|Operationelles Programm|"
    rf"Regional Programme)"
    rf"\s+{FUND_CHAIN}|{FUND_CHAIN}[ -](?:Programm|[Pp]rogramma|[Pp]rogramme|OP|"
    r"Operational Programme|Operationelles Programm)(?:\s+(?:for|für|pour|voor))?)"
    r"\s+(?=[A-ZÀ-ÝÄÖÜ])"
)
# Small-project and citizens' funds that a programme runs for local initiatives
SMALL_PROJECTS_FUND = re.compile(
    r"(?:\b[A-ZÄÖÜ][\w]*-)?(?:\b(?:Klein|Mikro)projekte?fonds|\bBürgerfonds|\bBürgerprojektefonds|"
    r"\b[Kk]leine[ -]?[Pp]rojecten[ -]?fonds|\bkleineprojectenfonds|"
    r"\b[Ff]onds (?:voor|van) (?:kleine projecten|people-to-people)|"
    r"\b[Ff]onds (?:pour les |des |de )?(?:petits projets|micro-?projets)|"
    r"\b[Ff]onds (?:citoyens?|de rencontre)|"
    r"\b(?:[Ss]mall|[Mm]icro|[Pp]eople-to-[Pp]eople)[ -][Pp]rojects?[ -][Ff]unds?|"
    r"\b[Cc]itizens['’]? [Ff]unds?|\b[Ss]mall [Pp]roject [Ff]unds?)\b"
)
# Every SMALL_PROJECTS_FUND name holds one of these and no line break: only the
# lines that hold one are searched with the long pattern
SMALL_FUND_WORDS = ("onds", "Fund", "fund")
# Co-financing of a project is the project's money, not the programme's budget
PROJECT_COFINANCING = re.compile(
    r"\b(?:co-?financ\w*|cofinanc\w*|kofinanz\w*|mitfinanz\w*|gecofinancierd|medegefinancierd|"
    r"cofinancement)\b",
    re.IGNORECASE,
)
PROJECT_NOUN = re.compile(r"\b(?:projects?|projets?|project|projecten|Projekt\w*)\b", re.I)
UMBRELLAS = frozenset(
    name_form(n)
    for n in (
        "Interreg",
        "European Territorial Cooperation",
        "Territorial Cooperation",
        "Cohesion Policy",
        "European Cohesion Policy",
        "Coopération territoriale européenne",
        "Europese Territoriale Samenwerking",
        "Europäische Territoriale Zusammenarbeit",
        "Cooperation Programme",
        "Operational Programme",
        "Interreg Programme",
    )
)
# Head words that make a capitalised phrase a programme-like name
HEADS_EN = {
    "Programme": "programme",
    "Program": "programme",
    "Programmes": "programme",
    "Strategy": "strategy",
    "Initiative": "initiative",
    "Fund": "fund",
    "Facility": "fund",
    "Instrument": "fund",
    "Agenda": "strategy",
    "Plan": "strategy",
    "Deal": "strategy",
    "Mechanism": "fund",
}
# Words that alone do not make a name ('the Cooperation Programme' is generic)
GENERIC_WORDS = folded_words(
    "european operational cooperation territorial regional national joint work annual "
    "multiannual interreg eu cross-border transnational interregional new our this the "
    "programme program strategy initiative fund facility plan agenda deal instrument "
    "mechanism platform platforms global overall main specific thematic action framework "
    "recovery investment development local urban funding support project projects "
    "co-financing cofinancing cross-border transnationale interregionale "
    "grenzüberschreitende grensoverschrijdende transfrontalier transfrontalière"
)
# Lower-case heads after a capitalised name: 'the Creative X framework programme'
TRAILING_HEAD = re.compile(
    r"\s(?:framework\s|funding\s|support\s|research\s|investment\s)?"
    r"(?P<head>programme|program|initiative|scheme|strategy)\b"
)
# Heads before a name, in French, Dutch and German ('le programme X')
LEADING_HEAD = re.compile(
    r"\b(?:(?i:le|du|au|ce)\s+(?P<fr>programme|plan|fonds|dispositif)|"
    r"(?i:la|de)\s+(?P<fr2>stratégie|strategie)|(?i:l)['’](?P<fr3>initiative)|"
    r"(?i:het)\s+(?P<nl>programma)|(?i:das|dem|des)\s+(?P<de>Programms?|Förderprogramms?)|"
    r"(?i:die|der)\s+(?P<de2>Strategie|Initiative))[ ]+(?=[\"“«„A-ZÀ-Ý])"
)
# Every LEADING_HEAD match ends with one of its heads before a name: pages without
# one (most English pages) are not searched with the longer pattern
LEADING_HEAD_WORD = re.compile(
    r"(?:programme|plan|fonds|dispositif|stratégie|strategie|initiative|programma|Programms?|"
    r"Förderprogramms?|Strategie|Initiative)[ ]+(?=[\"“«„A-ZÀ-Ý])"
)
COMPOUND_HEAD = re.compile(
    r"\b(?P<head>[A-ZÄÖÜ][a-zäöüß]{2,}(?:fonds|programm|programma|strategie))"
    r"\s(?P<name>[A-Z0-9ÄÖÜ][\w-]+)\b"
)
# Every COMPOUND_HEAD match holds its head's ending, a space and the name's first
# letter: pages without them are not searched with the longer pattern
COMPOUND_HEAD_END = re.compile(r"(?:fonds|programma?|strategie)\s[A-Z0-9ÄÖÜ]")
FRENCH_CAPITALISED_HEAD = re.compile(
    r"\b(?:la|le|du|au|de la|l['’])\s?(?P<head>Stratégie|Programme|Plan|Fonds|Schéma|Pacte|"
    r"Contrat|Initiative)\s(?=[A-ZÀ-Ý])"
)
# Every FRENCH_CAPITALISED_HEAD match holds its head, a space and a capital
FRENCH_HEAD_AND_CAPITAL = re.compile(
    r"(?:Stratégie|Programme|Plan|Fonds|Schéma|Pacte|Contrat|Initiative)\s[A-ZÀ-Ý]"
)
# QUOTED opens with one of these: pages without any skip both quoted patterns
OPENING_QUOTES = '"“«„'
QUOTED = r"[\"“«„]\s?(?P<q>[^\"“”«»„\n]{2,80}?)\s?[\"”»“]"
QUOTED_WITH_HEAD = re.compile(
    QUOTED + r"\s(?P<head>call(?: for (?:proposals|projects|applications))?|programme|program|"
    r"initiative|scheme|competition|award|label|strategy)\b"
)
HEAD_WITH_QUOTED = re.compile(
    r"\b(?:programme|program|initiative|appel à projets|appel|call|oproep|programma|Programm|"
    r"Aufruf|Initiative)\s+" + QUOTED
)
# Theme word + place: 'Digital X', 'Circular X' name a policy brand of place X
BRAND_THEMES = word_set(
    "Digital Circular Creative Smart Green Sustainable Innovative Numérique Digitaal "
    "Circulair Creatief Digitales"
)
DEMONYMS_AND_ADJECTIVES = folded_words(
    "walloon flemish belgian french dutch german european luxembourgish brussels national "
    "regional federal wallon wallonne flamand flamande belge français française européen "
    "européenne vlaamse waalse belgische franse europese duitse nederlandse deutsche "
    "europäische interreg eu this our"
)
ANAPHORA = re.compile(
    r"\b(?:this|the|ce|le|dit|het|dieses|das)\s+(?:interreg\s+)?"
    r"(?:programme|program|programma|programm)\b",
    re.IGNORECASE,
)
BUDGET_CUES = re.compile(
    r"\b(?:budget|allocated|allocation|envelope|funding|financ\w*|co-?financ\w*|worth|"
    r"dotation|enveloppe|begroting|middelen|Budget|Mittel\w*|Fördermittel|ausgestattet|"
    r"bedraagt|beschikbaar|disponible|available)\b",
    re.IGNORECASE,
)
SUBJECT_NOUN = re.compile(
    r"\b(?:(?P<other>(?:micro-?)?projects?|projets?|projecten|project\w*|Projekt\w*|calls?|"
    r"appels?|oproep\w*|Aufrufs?|Ausschreibung\w*|partners?|partenaires?|beneficiar\w+|"
    r"bénéficiaires?|begunstigde\w*|Projektträger\w*|Begünstigte\w*)|"
    r"(?:programmes?|programs?|programma\w*|Programm\w*))\b",
    re.IGNORECASE,
)
FRONTED_SUBJECT = re.compile(
    r"^[^,]*,\s*(?:le|la|l['’]|the|this|het|dit|das|der|die|dieses|ce|cet|cette)\s*"
    r"(?:(?P<other>(?:micro-?)?projects?|projets?|project|Projekt|call|appel|oproep|Aufruf)|"
    r"programme|program|programma|Programm)\b",
    re.IGNORECASE,
)
PROGRAMME_NOUN = re.compile(r"\b(?:programme|program|programma|Programm)\w*", re.IGNORECASE)
# 'Available ERDF: EUR 62 million', 'EFRE-Förderung: 1.706.000 Euro'
LABEL_VALUE = re.compile(r"^(?P<label>[^:.!?]{1,40}):\s")
# Money someone receives is not the programme's budget
RECEIVES = re.compile(
    r"\b(?:receiv\w*|awarded|granted|obtains?|reçoi\w*|obtien\w*|perçoi\w*|ontvang\w*|"
    r"kreeg|kregen|krijg\w*|toegekend|erhalt\w*|erhält|erhielt\w*|bekommt|bekamen|bewilligt|"
    r"reçu\w*|obtenu\w*|bénéficie|bénéficié|bénéficient|ontving\w*|ontvangen)\b",
    re.IGNORECASE,
)
PROGRAMME_TOTAL = re.compile(
    r"\b(?:programme budget|budget of the programme|total (?:\w+ ){0,2}budget|"
    r"budget (?:total )?du programme|enveloppe (?:totale|globale)|programmabudget|"
    r"totale begroting van het programma|Programmbudget|Gesamtbudget des Programms|"
    r"insgesamt)\b",
    re.IGNORECASE,
)
# A heading is about a programme when the programme opens it ('Interreg X (NWE)',
# 'Le programme Interreg X'), not when an objective's title cites one
HEADING_LEAD_CHARS = 20
# Every CCI holds 'TC16': pages without it are not searched sentence by sentence
CCI = re.compile(r"\b(?:19|20)\d\dTC16[A-Z0-9]{2}[A-Z]{2}\d{3}\b")
ACRONYM_IN_PARENS = re.compile(r"\s?\((?P<acr>[A-Z][A-Za-z0-9&+./-]{1,11})\)")
PERIOD_IN_PARENS = re.compile(r"\s?\((?P<a>(?:19|20)\d\d)\s?[-–—/]\s?(?P<b>(?:19|20)\d\d)\)")


@dataclass
class Candidate:
    start: int
    end: int
    rule: str
    kind: str
    canonical: str | None = None
    key: str | None = None
    strand: str | None = None
    fund: str | None = None
    priority: int = 0
    period: tuple[int, int] | None = None


def extract_programmes(ctx: Context) -> list[Mention]:
    text = ctx.text
    candidates = reference_candidates(text)
    candidates += interreg_candidates(text)
    candidates += headed_candidates(text)
    candidates += quoted_candidates(text)
    candidates += brand_candidates(text)
    candidates += regional_fund_candidates(text)
    candidates += small_fund_candidates(text)
    mentions = [to_mention(ctx, c) for c in choose(candidates)]
    mentions = [m for m in mentions if name_form(m.name) not in UMBRELLAS]
    mentions = [
        m for m in mentions if m.rule != "programme.generic_head" or named_in_full(m, mentions)
    ]
    add_parenthesis_values(text, mentions)
    share_names_in_document(mentions)
    add_sentence_values(ctx, mentions)
    return mentions


# ------------------------------------------------------------ candidates


def reference_candidates(text: str) -> list[Candidate]:
    out = []
    toks = tokens(text)
    for match in find_reference_names(text):
        if match.acronym_only and not standalone(text, toks, match.start, match.end):
            continue
        ref = match.ref
        out.append(
            Candidate(
                match.start,
                match.end,
                "programme.reference",
                ref.kind,
                ref.name,
                f"ref:{ref.key}",
                ref.strand,
                ref.fund,
                priority=2,
            )
        )
    return out


def standalone(text: str, toks: tuple[Token, ...], start: int, end: int) -> bool:
    """An acronym that is not part of a longer capitalised name ('ALARM FWV')."""
    i = token_index_at(toks, start)
    before = toks[i - 1] if i > 0 else None
    after_i = token_index_at(toks, end)
    after = toks[after_i] if after_i < len(toks) else None
    if (
        before
        and text[before.end : start] == " "
        and before.text.isupper()
        and len(before.text) > 1
    ):
        return False
    return not (
        after and text[end : after.start] == " " and after.text.isupper() and len(after.text) > 1
    )


def interreg_candidates(text: str) -> list[Candidate]:
    out = []
    for m in INTERREG_NAME.finditer(text):
        name = TRAILING_PERIOD.sub("", trim_name(m.group("name")))
        if not name or STRAND_ONLY.match(name):
            continue
        first = fold(name.split()[0])
        if first in NOT_A_NAME or first.startswith(NOT_A_NAME_STEMS):
            continue
        end = m.start("name") + len(name)
        base = f"Interreg {name}"
        ref = match_programme_name(base) or match_programme_name(name)
        strand = m.group("strand")
        numbering = (m.group("numbering") or "").replace("-", " ")
        generation = numbering.split()[0].rstrip("ABC") if numbering else ""
        if generation in GENERATION_PERIODS and (ref is None or ref.key not in predecessor_keys()):
            # an earlier generation is a programme of its own, not today's namesake
            written = re.sub(r"\s+", " ", text[m.start() : end])
            canonical = "Interreg" + written[len("Interreg") :]
            out.append(
                Candidate(
                    m.start(),
                    end,
                    "programme.interreg_generation",
                    "interreg",
                    canonical,
                    None,
                    strand,
                    priority=1,
                    period=GENERATION_PERIODS[generation],
                )
            )
            continue
        if ref is not None:
            out.append(
                Candidate(
                    m.start(),
                    end,
                    "programme.interreg_name",
                    "interreg",
                    ref.name,
                    f"ref:{ref.key}",
                    strand or ref.strand,
                    priority=1,
                )
            )
        else:
            named = base if m.group("numbering") else None
            out.append(
                Candidate(
                    m.start(),
                    end,
                    "programme.interreg_name",
                    "interreg",
                    named,
                    None,
                    strand,
                    priority=1,
                )
            )
    return out


def trim_name(name: str) -> str:
    """Drop trailing joiners and unbalanced brackets from a captured name."""
    name = name.strip()
    while True:
        before = name
        name = re.sub(r"(?:\s*[-–—/]\s*|\s+)(?:and|et|en|und)$", "", name)
        if name.count("(") != name.count(")"):
            name = name[: name.rfind("(")].rstrip() if "(" in name else name.rstrip(")")
        name = name.rstrip(" -–—/.'’")
        if name == before:
            return name


def headed_candidates(text: str) -> list[Candidate]:
    """'X Strategy', 'the X Initiative', 'the X framework programme', 'le programme X'."""
    out: list[Candidate] = []
    toks = tokens(text)
    for i in tokens_written(text, toks, HEADS_EN):
        tok = toks[i]
        kind = HEADS_EN[tok.text]
        first = extend_over_list(text, toks, extend_left(text, toks, i), i)
        if first == i:
            continue
        rule = "programme.head_word" if distinctive(toks[first:i]) else "programme.generic_head"
        out.append(Candidate(toks[first].start, tok.end, rule, kind))
    for m in TRAILING_HEAD.finditer(text):
        i = token_index_at(toks, m.start()) - 1
        if i < 0 or toks[i].end != m.start() or not toks[i].capitalised:
            continue
        if toks[i].text in SENTENCE_STARTERS:
            continue
        first = extend_left(text, toks, i)
        words = toks[first : i + 1]
        if not distinctive(words) or any(t.text in HEADS_EN for t in words):
            continue
        kind = "strategy" if m.group("head") == "strategy" else "programme"
        out.append(Candidate(toks[first].start, toks[i].end, "programme.trailing_head", kind))
    for m in LEADING_HEAD.finditer(text) if LEADING_HEAD_WORD.search(text) else ():
        i = token_index_at(toks, m.end())
        if i >= len(toks) or not toks[i].capitalised:
            continue
        last = i
        while (
            last + 1 < len(toks)
            and toks[last + 1].capitalised
            and text[toks[last].end : toks[last + 1].start] in (" ", "-", " - ", " – ")
        ):
            last += 1
        words = toks[i : last + 1]
        if not distinctive(words):
            continue
        head = next(g for g in m.groups() if g)
        kind = (
            "strategy"
            if fold(head).startswith("strat")
            else ("initiative" if fold(head) == "initiative" else "programme")
        )
        out.append(Candidate(words[0].start, words[-1].end, "programme.leading_head", kind))
    out += compound_head_candidates(text)
    out += french_capitalised_head_candidates(text)
    return out


def compound_head_candidates(text: str) -> list[Candidate]:
    """'Begegnungsfonds PAMINA', 'Innovatiefonds BRAINPORT': a German or Dutch
    compound ending in fund/programme/strategy, then a name in capitals or a
    place (German capitalises every noun, so a capitalised word is not enough)."""
    from pipeline.extract.organisations import place_country

    if not COMPOUND_HEAD_END.search(text):
        return []
    out = []
    for m in COMPOUND_HEAD.finditer(text):
        name = m.group("name")
        if not (re.fullmatch(r"[A-Z0-9ÄÖÜ-]{2,}", name) or place_country(name)):
            continue
        # a fund of its own that supports projects frames them like a programme
        kind = "strategy" if fold(m.group("head")).endswith("strategie") else "programme"
        out.append(Candidate(m.start(), m.end(), "programme.compound_head", kind))
    return out


def french_capitalised_head_candidates(text: str) -> list[Candidate]:
    """'la Stratégie Frontalière de la Moselle', 'le Plan Climat': a French head
    word written with a capital and followed by a capitalised word names one."""
    if not FRENCH_HEAD_AND_CAPITAL.search(text):
        return []
    toks = tokens(text)
    out = []
    for m in FRENCH_CAPITALISED_HEAD.finditer(text):
        i = token_index_at(toks, m.start("head"))
        if i + 1 >= len(toks) or not toks[i + 1].capitalised:
            continue
        last = extend_right(text, toks, i)
        words = toks[i + 1 : last + 1]
        if last == i or not distinctive(words):
            continue
        head = fold(m.group("head"))
        kind = "strategy" if head.startswith(("strat", "plan", "schema")) else "programme"
        out.append(Candidate(toks[i].start, toks[last].end, "programme.leading_head", kind))
    return out


def extend_over_list(text: str, toks: tuple[Token, ...], first: int, head: int) -> int:
    """'Regional Spatial Planning, Sustainable Development and ... Strategy':
    a name that ends with 'and X' may hold a comma list of capitalised parts."""
    has_and = any(t.text in ("and", "et", "en", "und") for t in toks[first:head])
    while (
        has_and
        and first > 0
        and text[toks[first - 1].end : toks[first].start] == ", "
        and (toks[first - 1].capitalised)
    ):
        first = extend_left(text, toks, first - 1)
    return first


def tokens_written(text: str, toks: tuple[Token, ...], words: Iterable[str]) -> list[int]:
    """Indices, in text order, of the tokens that are one of ``words``: each word is
    found by ``str.find`` (a token is its text's slice), not by visiting every token."""
    found = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            i = token_index_at(toks, at)
            if i < len(toks) and toks[i].start == at and toks[i].text == word:
                found.add(i)
            at = text.find(word, at + 1)
    return sorted(found)


def distinctive(words: tuple[Token, ...] | list[Token]) -> bool:
    """A name needs a word of its own besides generic and demonym words."""
    return any(
        fold(w.text) not in GENERIC_WORDS and fold(w.text) not in DEMONYMS_AND_ADJECTIVES
        for w in words
    )


def quoted_candidates(text: str) -> list[Candidate]:
    if not any(mark in text for mark in OPENING_QUOTES):
        return []
    out = []
    for pattern in (QUOTED_WITH_HEAD, HEAD_WITH_QUOTED):
        for m in pattern.finditer(text):
            name = m.group("q").strip()
            if not name or not name[0].isupper() or len(name.split()) > 8:
                continue
            start = m.start("q") + (len(m.group("q")) - len(m.group("q").lstrip()))
            out.append(Candidate(start, start + len(name), "programme.quoted", "initiative"))
    return out


def brand_candidates(text: str) -> list[Candidate]:
    """'Digital X' or 'Circular X' where X is a place name: a regional policy brand."""
    from pipeline.extract.organisations import place_country

    out = []
    toks = tokens(text)
    for i in tokens_written(text, toks, sorted(BRAND_THEMES)):
        if i + 1 == len(toks):
            continue
        tok, nxt = toks[i], toks[i + 1]
        if text[tok.end : nxt.start] != " ":
            continue
        if place_country(nxt.text) is None:
            continue
        after = toks[i + 2] if i + 2 < len(toks) else None
        if after and after.capitalised and text[nxt.end : after.start] == " ":
            continue  # 'Circular X Days' is an event, not the brand
        out.append(Candidate(tok.start, nxt.end, "programme.place_brand", "initiative"))
    return out


def regional_fund_candidates(text: str) -> list[Candidate]:
    """'Programme FEDER-FSE+ Grand Est 2021-2027', 'OP EFRO Oost-Nederland',
    'EFRE-Programm Saarland': a regional programme of the EU funds, named by its
    head, its fund codes and the region that follows (the period is not part of it)."""
    if not any(code in text for code in FUND_CODE_WORDS):
        return []
    toks = tokens(text)
    out = []
    for m in REGIONAL_FUND_PROGRAMME.finditer(text):
        i = token_index_at(toks, m.end())
        if i >= len(toks) or toks[i].text in SENTENCE_STARTERS or fold(toks[i].text) == "interreg":
            continue
        last = extend_right(text, toks, i)
        while last > i and re.fullmatch(r"(?:19|20)\d\d(?:[-–/](?:19|20)?\d\d)?", toks[last].text):
            last -= 1
        if re.fullmatch(r"(?:19|20)\d\d.*", toks[i].text):
            continue
        fund = quantities_fund(m.group())
        out.append(
            Candidate(
                m.start(),
                toks[last].end,
                "programme.regional_fund",
                "programme",
                fund=fund,
                priority=3,
            )
        )
    return out


def quantities_fund(words: str) -> str | None:
    """The first fund code in a regional programme's name, as the published code."""
    code = re.search(FUND_CODES, words)
    if code is None:
        return None
    ref = next(iter(find_reference_names(code.group())), None)
    return ref.ref.fund if ref else None


def small_fund_candidates(text: str) -> list[Candidate]:
    """'Kleinprojektefonds', 'EUREGIO-Bürgerfonds', 'Fonds pour les petits projets',
    'Small Projects Fund': a programme's fund for small local projects frames them."""
    lines = lines_holding(text, SMALL_FUND_WORDS)
    if not lines:
        return []
    structure = parse(text)
    out = []
    for line_start, line_end in lines:
        for m in SMALL_PROJECTS_FUND.finditer(text, line_start, line_end):
            line = structure.line_at(m.start())
            if line.body.strip() == m.group() and in_menu(structure, line):
                continue
            out.append(Candidate(m.start(), m.end(), "programme.small_projects_fund", "programme"))
    return out


def lines_holding(text: str, words: tuple[str, ...]) -> list[tuple[int, int]]:
    """(start, end) of each line that holds one of ``words``, in text order."""
    starts = set()
    for word in words:
        at = text.find(word)
        while at >= 0:
            starts.add(text.rfind("\n", 0, at) + 1)
            at = text.find(word, at + 1)
    out = []
    for start in sorted(starts):
        end = text.find("\n", start)
        out.append((start, end if end >= 0 else len(text)))
    return out


def in_menu(structure: Structure, line: Line) -> bool:
    """A line among one- or two-word lines: a navigation menu, not content."""
    lines = structure.lines
    neighbours = [lines[i] for i in (line.index - 1, line.index + 1) if 0 <= i < len(lines)]
    return all(ln.kind != "blank" and len(ln.body.split()) <= 2 for ln in neighbours)


def to_mention(ctx: Context, c: Candidate) -> Mention:
    quote = ctx.text[c.start : c.end]
    m = Mention(
        "programme",
        c.start,
        c.end,
        quote,
        c.rule,
        canonical=c.canonical,
        key=c.key,
        language=ctx.language,
    )
    m.add("kind", c.kind, c.start, c.end, c.rule)
    if c.strand:
        m.add("strand", c.strand, c.start, c.end, c.rule)
    if c.fund:
        m.add("fund", c.fund, c.start, c.end, c.rule)
    if c.period:
        m.add("period_start", c.period[0], c.start, c.end, c.rule)
        m.add("period_end", c.period[1], c.start, c.end, c.rule)
    return m


# ------------------------------------------------------------ values


def kind_of(m: Mention) -> str:
    return next((str(v.value) for v in m.values if v.field == "kind"), "programme")


def has_value(m: Mention, field_name: str) -> bool:
    return any(v.field == field_name for v in m.values)


def add_parenthesis_values(text: str, mentions: list[Mention]) -> None:
    """'Name (ACR)' gives a short name; 'Name (2021-2027)' a period."""
    for m in mentions:
        after = text[m.end : m.end + 40]
        acr = ACRONYM_IN_PARENS.match(after)
        if acr and sum(c.isupper() for c in acr.group("acr")) >= 2:
            s = m.end + acr.start("acr")
            m.add(
                "short_name",
                acr.group("acr"),
                s,
                s + len(acr.group("acr")),
                "programme.acronym_in_parentheses",
            )
        period = PERIOD_IN_PARENS.match(after)
        if period:
            a, b = int(period.group("a")), int(period.group("b"))
            s, e = m.end + period.start("a"), m.end + period.end("b")
            if a < b:
                m.add("period_start", a, s, e, "programme.period_in_parentheses")
                m.add("period_end", b, s, e, "programme.period_in_parentheses")


def named_in_full(m: Mention, mentions: list[Mention]) -> bool:
    """A generic name ('Cross-Border Cooperation Strategy') counts only where
    the page also gives it in full ('The X's Cross-Border Cooperation Strategy')."""
    form = name_form(m.name)
    return any(
        o.rule != "programme.generic_head" and name_form(o.name).endswith(" " + form)
        for o in mentions
    )


def share_names_in_document(mentions: list[Mention]) -> None:
    """Within one page, 'Cross-Border Cooperation Strategy' after 'The Lille
    ... Cross-Border Cooperation Strategy' is the same strategy, and a short
    name given once applies to every mention of the name."""
    named = [m for m in mentions if m.key is None]
    for m in named:
        form = name_form(m.name)
        longer = [
            o
            for o in named
            if o is not m
            and len(name_form(o.name)) > len(form)
            and name_form(o.name).endswith(" " + form)
        ]
        if len(longer) >= 1 and len({name_form(o.name) for o in longer}) == 1:
            m.canonical = longer[0].name


def add_sentence_values(ctx: Context, mentions: list[Mention]) -> None:
    """Budget, fund, period and CCI from the sentences about a programme.

    An amount or period is the programme's only when nothing else owns it: the
    nearest subject before it, or the subject after a fronted phrase ('D'un
    budget de 2,3 M€, le projet ...'), must not be a project, call or partner,
    the sentence must not say that someone receives it, and a 'Label: value'
    line counts only when its label names the programme. Of several budgets
    for one programme the best-supported wins (see ``budget_strength``).
    """
    text = ctx.text
    structure = parse(text)
    money = quantities.money(text)
    periods = quantities.periods(text)
    budgets: dict[str, tuple[int, int, quantities.Quantity]] = {}
    targets: dict[str, Mention] = {}
    # mentions, amounts and periods are in text order: a sentence's are found by bisection
    mention_starts = [m.start for m in mentions]
    money_starts = [q.start for q in money]
    period_starts = [q.start for q in periods]
    any_cci = "TC16" in text
    # Only a sentence holding an amount, a period or a fund (or a CCI) can give a
    # value: the others are not visited (every sentence is, on a page with a CCI)
    fund_starts = [m.start for m in mentions if kind_of(m) == "fund"]
    sentences = (
        structure.sentences
        if any_cci
        else sentences_holding(structure, [*money_starts, *period_starts, *fund_starts])
    )
    for start, end in sentences:
        inside = mentions[bisect_left(mention_starts, start) : bisect_left(mention_starts, end)]
        funds = [m for m in inside if kind_of(m) == "fund"]
        named = [m for m in inside if kind_of(m) != "fund"]
        sentence = text[start:end]
        amounts = money[bisect_left(money_starts, start) : bisect_left(money_starts, end)]
        spans = periods[bisect_left(period_starts, start) : bisect_left(period_starts, end)]
        cci = list(CCI.finditer(sentence)) if any_cci else []
        if not (amounts or spans or funds or cci):
            continue
        header = table_header(text, start)
        if header is not None and not (named and named[0].start < first_cell_end(text, start)):
            continue  # a table row about a project or partner that names the programme
        target = named[0] if len(named) == 1 else None
        if (
            target is None
            and not named
            and not other_named_subject(text, start, end)
            and (
                ANAPHORA.search(sentence)
                or funds
                or BUDGET_CUES.search(sentence)
                or PROGRAMME_TOTAL.search(sentence)
            )
        ):
            target = section_programme(text, mentions, start)
        if target is None:
            continue
        identity = target.key or name_form(target.name)
        rule = "programme.sentence_values"
        label = LABEL_VALUE.match(sentence)
        foreign_label = label is not None and not PROGRAMME_NOUN.search(label.group("label"))
        owned = [
            q for q in amounts if not foreign_label and programme_owns(text, start, end, q, named)
        ]
        header_cued = header is not None and BUDGET_CUES.search(header) is not None
        cued = bool(
            funds or BUDGET_CUES.search(sentence) or PROGRAMME_TOTAL.search(sentence) or header_cued
        )
        project_money = PROJECT_COFINANCING.search(sentence) and PROJECT_NOUN.search(sentence)
        if owned and cued and not RECEIVES.search(sentence) and not project_money:
            q = max(owned, key=lambda q: int(q.value))  # type: ignore[arg-type]
            strength = budget_strength(sentence, bool(named))
            best = budgets.get(identity)
            if best is None or strength > best[0]:
                budgets[identity] = (strength, q.start, q)
                targets[identity] = target
        if funds and not has_value(target, "fund"):
            fund = funds[0]
            code = next((str(v.value) for v in fund.values if v.field == "fund"), None)
            if code:
                target.add("fund", code, fund.start, fund.end, rule)
        owned_spans = [
            q for q in spans if not foreign_label and programme_owns(text, start, end, q, named)
        ]
        if owned_spans and not has_value(target, "period_start"):
            q = owned_spans[0]
            assert isinstance(q.value, tuple)
            target.add("period_start", q.value[0], q.start, q.end, rule)
            target.add("period_end", q.value[1], q.start, q.end, rule)
        for c in cci:
            target.add("cci", c.group(), start + c.start(), start + c.end(), rule)
    for key, (_, _, q) in sorted(budgets.items(), key=lambda item: item[1][1]):
        target = targets[key]
        if not has_value(target, "budget_eur"):
            target.add("budget_eur", int(q.value), q.start, q.end, "programme.sentence_values")  # type: ignore[arg-type]


def sentences_holding(structure: Structure, offsets: list[int]) -> list[tuple[int, int]]:
    """The sentences, in text order, that hold one of ``offsets`` (sentences are
    disjoint and in text order, so an offset's is the last one starting at or before it)."""
    indices = set()
    for offset in offsets:
        k = bisect_right(structure.sentence_starts, offset) - 1
        if k >= 0 and offset < structure.sentences[k][1]:
            indices.add(k)
    return [structure.sentences[k] for k in sorted(indices)]


PIPE_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.MULTILINE)
PIPE_RULE_LINE = re.compile(r"^[\s|:+-]*$")


def table_header(text: str, start: int) -> str | None:
    """The header row of the pipe table ('| Programme | Budget |') whose row
    starts at ``start``; None when ``start`` is not in such a table."""
    line_start = text.rfind("\n", 0, start) + 1
    header = None
    while True:
        line_end = text.find("\n", line_start)
        line = text[line_start : line_end if line_end >= 0 else len(text)]
        if not PIPE_LINE.fullmatch(line):
            return header
        if not PIPE_RULE_LINE.match(line):
            header = line
        if line_start == 0:
            return header
        line_start = text.rfind("\n", 0, line_start - 1) + 1


def first_cell_end(text: str, start: int) -> int:
    """Where the first cell of the pipe table row at ``start`` ends."""
    opening = text.index("|", start)
    closing = text.find("|", opening + 1)
    return closing if closing >= 0 else len(text)


def other_named_subject(text: str, start: int, end: int) -> bool:
    """A sentence that opens with a proper name ('SALTAGRO heeft een begroting
    van ...') is about that name: a capitalised first word, not a usual sentence
    opener, that the page also writes capitalised in mid-sentence."""
    toks = tokens(text)
    i = token_index_at(toks, start)
    if i >= len(toks) or toks[i].start >= end:
        return False
    first = toks[i].text
    if not first[0].isupper() or first in SENTENCE_STARTERS:
        return False
    mid_sentence = re.compile(rf"[a-zà-ÿ,] {re.escape(first)}\b")
    return mid_sentence.search(text) is not None


def programme_owns(
    text: str, start: int, end: int, q: quantities.Quantity, named: list[Mention]
) -> bool:
    """Whether the subject nearest to a quantity is the programme, not a project,
    call or partner: the last subject noun before it in the sentence, or, when
    none, the subject that follows a fronted phrase ('Doté de 65 M€, le programme')."""
    nouns = [(m.start, "programme") for m in named if m.end <= q.start]
    nouns += [
        (m.start(), "other" if m.group("other") else "programme")
        for m in SUBJECT_NOUN.finditer(text, start, q.start)
    ]
    if nouns:
        return max(nouns)[1] == "programme"
    after = FRONTED_SUBJECT.match(text[q.end : end])
    return after is None or not after.group("other")


def budget_strength(sentence: str, named: bool) -> int:
    """3: the programme's total or its budget is said so ('programme budget',
    'total ERDF budget'); 2: the programme is named or referred to; 1: only a
    fund or a budget word places the amount under the programme of the section."""
    if PROGRAMME_TOTAL.search(sentence):
        return 3
    if named or ANAPHORA.search(sentence):
        return 2
    return 1


# ------------------------------------------------------------ context


def main_programmes(mentions: list[Mention]) -> list[Mention]:
    return [m for m in mentions if m.record_type == "programme" and kind_of(m) != "fund"]


def page_programme(text: str, mentions: list[Mention]) -> Mention | None:
    """The programme a page is about: named in its first heading lines, or
    the only programme the page names."""
    progs = main_programmes(mentions)
    if not progs:
        return None
    structure = parse(text)
    opening = [ln for ln in structure.lines if ln.kind != "blank"][:3]
    for line in opening:
        for m in progs:
            if line.start <= m.start < line.end and (line.heading or line.index == 0):
                return m
    identities = {m.key or name_form(m.name) for m in progs}
    return progs[0] if len(identities) == 1 else None


def heading_programme(text: str, mentions: list[Mention], offset: int) -> Mention | None:
    """The programme named by the nearest heading above ``offset`` that names one."""
    progs = main_programmes(mentions)
    for heading in parse(text).headings_above(offset):
        opening = [
            m
            for m in progs
            if heading.body_start <= m.start <= heading.body_start + HEADING_LEAD_CHARS
            and m.start < heading.end
        ]
        if opening:
            return opening[0]
    return None


def section_programme(text: str, mentions: list[Mention], offset: int) -> Mention | None:
    return heading_programme(text, mentions, offset) or page_programme(text, mentions)
