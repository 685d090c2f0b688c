"""Organisation mentions: authorities, agencies, groupings, networks, companies.

Rules, each general: EU institutions by name (reference file); names built
around a head word (Ministry, Agency, Government, Directorate, University,
Agence, Ministère, Agentschap, Provinciebestuur, Ministerium, Stiftung...)
with the capitalised words around it; company and legal forms (Ltd, SA, NV,
GmbH, EGTC, GECT, EVTZ); metropolitan authorities ('X Metropole',
'Métropole européenne de X'); the name above a phone number or address in a
contact block; members listed after 'consortium', 'partners' and the like;
and acronyms: 'Full Name (ACR)' pairs, later bare uses of a defined acronym,
an acronym whose letters are the initials of a name on the page, and
acronyms that act ('the ACR commissioned', '(ACR website)').

Precision first: people's names, job titles, headings and street addresses are
not organisations.
"""

from __future__ import annotations

import csv
import gettext
import re
from dataclasses import dataclass
from functools import cache

import pycountry

from pipeline.extract.context import Context
from pipeline.extract.model import Mention
from pipeline.extract.programme_reference import REFERENCE, fold, name_form
from pipeline.extract.structure import (
    NAME_CONNECTORS,
    SENTENCE_STARTERS,
    Token,
    extend_left,
    extend_right,
    folded_words,
    parse,
    split_item,
    token_index_at,
    tokens,
    word_set,
)

HEADS = word_set(
    # English
    "Ministry Agency Government Governement Directorate Department Council Authority Chamber "
    "University Association Network Institute Foundation Federation Centre Center Commission "
    "Secretariat Bank Committee Parliament Administration Intercommunale Board Observatory "
    # French
    "Ministère Agence Gouvernement Direction Conseil Autorité Chambre Université Réseau "
    "Institut Fondation Fédération Commission Secrétariat Banque Communauté Syndicat Mission "
    "Parlement Préfecture Observatoire "
    # Dutch
    "Ministerie Agentschap Regering Departement Provinciebestuur Gemeentebestuur Stadsbestuur "
    "Raad Kamer Universiteit Hogeschool Vereniging Netwerk Instituut Stichting Federatie "
    "Centrum Commissie Secretariaat Ontwikkelingsmaatschappij Overheid "
    # German
    "Ministerium Staatsministerium Bundesministerium Agentur Regierung Landesregierung "
    "Bezirksregierung Staatskanzlei Senatsverwaltung Direktion Rat Kammer Universität "
    "Hochschule Verein Verband Netzwerk Stiftung Zentrum Kommission Sekretariat Behörde "
    "Landtag Kenniscentrum Waterschap Collectivité Eurodistrict Eurodistrikt Landesbetrieb "
    "Fachstelle Coöperatie Cooperative"
)
GERMAN_HEAD_SUFFIXES = (
    "ministerium",
    "regierung",
    "agentur",
    "kammer",
    "verband",
    "behörde",
    "maatschappij",
    "kenniscentrum",
    "proefcentrum",
    "landeslabor",
)
LEGAL_FORMS = word_set(
    "Ltd LTD Limited SA S.A NV N.V BV B.V GmbH AG SAS SARL SPRL SRL BVBA VZW ASBL AISBL e.V plc "
    "PLC Inc LLC EGTC GECT EVTZ EGTS vzw asbl bv nv gGmbH U.A ApS A/S Oy eG cvba scrl KG"
)
METROPOLE_HEADS = "Metropole|Métropole|Metropolis|Eurometropole|Eurométropole|Eurometropolis"
METROPOLE_AFTER = re.compile(
    rf"(?P<city>[A-ZÀ-Ý][\w'’]+(?:-[A-ZÀ-Ý][\w'’]+)*)\s+(?:European\s+)?(?:{METROPOLE_HEADS})\b",
    re.IGNORECASE,
)
METROPOLE_BEFORE = re.compile(
    rf"\b(?:(?:{METROPOLE_HEADS})\s+(?:[Ee]urop[ée]enne\s+)?(?:de\s+|du\s+|d['’]\s?|van\s+)"
    r"|Eurom[ée]tropol(?:e|is)\s+)(?P<city>[A-ZÀ-Ý][\w'’]+(?:-[A-ZÀ-Ý][\w'’]+)*)"
)
EGTC_FORM = re.compile(
    r"\b(?:European Grouping (?:of|for) [Tt]erritorial [Cc]ooperation|EGTC|GECT|EVTZ|EGTS|"
    r"Groupement européen de coopération territoriale|Europese groepering voor territoriale "
    r"samenwerking|Europäischer Verbund für territoriale Zusammenarbeit)\s+(?=[A-ZÀ-Ý\"“«])"
)
ACRONYM_PARENS = re.compile(r"\s?\((?P<acr>[A-Z][A-Za-z0-9&+/-]{1,11})\)")
ACRONYM_WORD = re.compile(r"(?<![\w/-])[A-Z][A-Z0-9&]{1,7}(?:/[A-Z0-9]{2,6})?(?![\w/-])")
ACTING_ACRONYM = re.compile(
    r"\b(?:the|la|le|l['’]|de|het|die|der|das)\s+(?P<a>[A-Z]{2,6})\s+(?:has\s+|have\s+)?"
    r"(?:commissioned|adopted|launched|organised|organized|coordinates|manages|leads|signed|"
    r"decided|published|funds|funded|a\s+commandé|a\s+lancé|a\s+adopté|organise|heeft|hat|"
    r"beauftragte)\b"
    r"|\b(?:commissioned|mandated|asked|by|par|door|von)\s+(?:the|la|le|l['’]|de|het|die|der)"
    r"\s+(?P<b>[A-Z]{2,6})\b"
    r"|\((?P<c>[A-Z]{2,6})\s+(?:website|site|site web|webpagina|Webseite)\)"
)
NOT_ORG_ACRONYMS = word_set(
    "EU UE EC EUR CEO SME SMEs PME KMO KMU ICT TIC NEET GDP PIB BBP R&D RDI CO2 NUTS ERDF "
    "FEDER EFRO EFRE ESF FSE TEN-T RSO ISO PO OP SO OS FAQ PDF URL NGO ONG CCI CCIs"
)
CONTACT_NEXT = re.compile(
    r"^(?:•\s)?(?:(?:Tel|Tél|Phone|Fax|T|E|Email|E-mail|Mail)\s?[.:]?\s?)?"
    r"(?:\+\d|\(0\)|0\d)[\d\s()./-]{6,}$|@|^\d{4,5}\s+[A-ZÀ-Ý]|^[A-Z]-?\d{4,5}\s"
    r"|\b(?:rue|place|avenue|boulevard|chaussée|straat|laan|weg|plein|kaai|steenweg|straße|"
    r"strasse|str\.|platz|allee|street|road|square|lane)\b.*\d",
    re.IGNORECASE,
)
ENUMERATION_CUE = re.compile(
    r"\b(?:consortium|partners?|partnership|partenaires?|partenariat|members|membres|leden|"
    r"Partner\w*|Mitglieder)\b[^.:(]{0,80}?(?:made up of|composed of|consisting of|including|"
    r"composé de|composée de|constitué de|bestaande uit|bestehend aus|namely|:|\()",
    re.IGNORECASE,
)
PERSON_TITLES = folded_words(
    "president vice-president minister director head mayor senior advisor officer manager "
    "coordinator chairman chair secretary-general deputy governor mr mrs ms dr prof "
    "président ministre directeur directrice bourgmestre maire voorzitter minister "
    "burgemeester gedeputeerde präsident minister bürgermeister direktor"
)
# Words of the labels of a contact block, not of a name ('Brussels Office Address')
CONTACT_LABELS = folded_words(
    "address addresses adresse adres anschrift contact contacts kontakt phone telephone "
    "téléphone telefoon telefon tel fax email e-mail mail hours horaires openingsuren "
    "öffnungszeiten persons personnes route itinéraire postal"
)
GENERIC_ORG_WORDS = folded_words(
    "general regional national local public central federal operational the of for and "
    "de du des la le van voor en het der die für und provincial municipal european "
    "governmental new joint"
)


# ------------------------------------------------------------ places


@cache
def place_table() -> dict[str, str]:
    """Folded place word or demonym -> ISO country code (a minimal fallback
    used only to give an organisation a country: country names in four
    languages from pycountry, NUTS national labels, and demonyms)."""
    table: dict[str, str] = {}
    languages = {"fr": None, "nl": None, "de": None}
    for lang in languages:
        try:
            languages[lang] = gettext.translation(  # type: ignore[assignment]
                "iso3166-1", pycountry.LOCALES_DIR, languages=[lang]
            )
        except OSError:
            continue
    for country in pycountry.countries:
        code = country.alpha_2
        names = {country.name, getattr(country, "common_name", country.name)}
        for translation in languages.values():
            if translation is not None:
                names.add(translation.gettext(country.name))
        for name in names:
            table.setdefault(fold(name), code)
    with (REFERENCE / "nuts2021.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            label = row.get("name_national") or ""
            label = re.sub(r"^(?:Prov\.|Arr\.|Région|Province|Provincie)\s+", "", label)
            if label and "/" not in label:
                table.setdefault(fold(label), row.get("country_code") or "")
    with (REFERENCE / "place_words.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            table[fold(row["word"])] = row["country_code"]
    return {k: v for k, v in table.items() if v and k not in COMMON_WORD_PLACES}


# NUTS labels that are also everyday words ('West', 'Border' in Ireland)
COMMON_WORD_PLACES = word_set(
    "west east north south border sud midlands centre center mitte island"
)


def place_country(word: str) -> str | None:
    """ISO code of a place name or demonym ('Wallonie', 'Walloon' -> 'BE')."""
    return place_table().get(fold(word.strip(" '’")))


# ------------------------------------------------------------ extraction


@dataclass
class Candidate:
    start: int
    end: int
    rule: str
    canonical: str | None = None
    key: str | None = None
    acronym: tuple[int, int] | None = None
    country: str | None = None
    priority: int = 0


def extract_organisations(ctx: Context) -> list[Mention]:
    text = ctx.text
    candidates = institution_candidates(text)
    candidates += head_candidates(text)
    candidates += legal_form_candidates(text)
    candidates += metropole_candidates(text)
    candidates += contact_candidates(text)
    candidates += partner_list_candidates(text)
    taken = blocked_spans(ctx)
    chosen = choose([c for c in candidates if not overlaps_any(c, taken)])
    chosen += enumeration_candidates(text, chosen + [Candidate(s, e, "") for s, e in taken])
    chosen = choose(chosen)
    chosen += acronym_candidates(text, chosen, taken)
    chosen = choose(chosen)
    mentions = [to_mention(ctx, c) for c in chosen]
    share_keys(mentions)
    return mentions


def blocked_spans(ctx: Context) -> list[tuple[int, int]]:
    """Programme names and the heading of a section are not organisations."""
    return [(m.start, m.end) for m in ctx.mentions if m.record_type == "programme"]


def overlaps_any(c: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(c.start < e and s < c.end for s, e in spans)


def choose(candidates: list[Candidate]) -> list[Candidate]:
    kept: list[Candidate] = []
    order = sorted(candidates, key=lambda c: (-c.priority, -(c.end - c.start), c.start, c.rule))
    for c in order:
        if all(c.end <= k.start or c.start >= k.end for k in kept):
            kept.append(c)
    return sorted(kept, key=lambda c: (c.start, c.end))


@cache
def institutions() -> tuple[tuple[str, str, str | None, tuple[str, ...]], ...]:
    with (REFERENCE / "eu_institutions.csv").open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return tuple(
        (r["key"], r["name"], r["acronym"] or None, tuple(a for a in r["aliases"].split("|") if a))
        for r in rows
    )


@cache
def institution_pattern() -> tuple[re.Pattern[str], dict[str, tuple[str, str, str | None]]]:
    by_form: dict[str, tuple[str, str, str | None]] = {}
    for key, name, acronym, aliases in institutions():
        for alias in aliases:
            if alias.isupper() or (" " not in alias and alias != name):
                continue  # bare acronyms ('EC', 'EP') are too ambiguous on their own
            by_form[name_form(alias)] = (key, name, acronym)
    alternatives = sorted(
        {re.escape(a) for row in institutions() for a in row[3] if name_form(a) in by_form},
        key=lambda a: (-len(a), a),
    )
    return re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)"), by_form


def institution_candidates(text: str) -> list[Candidate]:
    pattern, by_form = institution_pattern()
    out = []
    for m in pattern.finditer(text):
        found = by_form.get(name_form(m.group()))
        if found:
            key, name, _ = found
            out.append(
                Candidate(
                    m.start(),
                    m.end(),
                    "organisation.eu_institution",
                    name,
                    f"ref:{key}",
                    priority=2,
                )
            )
    return out


def is_head(tok: Token) -> bool:
    if tok.text in HEADS:
        return True
    low = tok.text.lower()
    return tok.capitalised and len(low) > 10 and low.endswith(GERMAN_HEAD_SUFFIXES)


def head_candidates(text: str) -> list[Candidate]:
    """Capitalised words around a head word: 'Walloon Agency for Telecommunications'."""
    toks = tokens(text)
    out = []
    for i, tok in enumerate(toks):
        if not (is_head(tok) or (tok.text == "overheid" and i > 0 and toks[i - 1].capitalised)):
            continue
        first = extend_left(text, toks, i) if tok.text != "overheid" else i - 1
        last = i
        # French/Dutch adjectives after the head: 'Gouvernement wallon', 'Agence wallonne'
        if (
            last + 1 < len(toks)
            and text[toks[last].end : toks[last + 1].start] == " "
            and (
                place_country(toks[last + 1].text) or fold(toks[last + 1].text) in ADJECTIVES_AFTER
            )
            and not toks[last + 1].capitalised
        ):
            last += 1
        last = extend_right(text, toks, last, commas=True)
        last = trim_trailing_list(text, toks, i, last)
        words = toks[first : last + 1]
        if not org_like(words):
            continue
        start, end = words[0].start, words[-1].end
        out.append(Candidate(start, end, "organisation.head_word"))
    return out


ADJECTIVES_AFTER = folded_words(
    "régional régionale national nationale fédéral fédérale général générale européen "
    "européenne public publique provincial provinciale départemental départementale "
    "communal communale territorial territoriale vlaamse federale"
)


def trim_trailing_list(text: str, toks: tuple[Token, ...], head: int, last: int) -> int:
    """A comma run after a head ends where a new name starts ('..., Wallonie Design')."""
    j = head + 1
    seen_connector = False
    end = last
    while j <= last:
        if toks[j].text.lower() in NAME_CONNECTORS:
            seen_connector = True
        if text[toks[j - 1].end : toks[j].start] == ", " and not seen_connector:
            return j - 1
        j += 1
    # a comma list must end with 'and X' to belong to the name
    commas = [k for k in range(head + 1, last + 1) if text[toks[k - 1].end : toks[k].start] == ", "]
    if commas and not any(
        toks[k].text in ("and", "et", "en", "und") for k in range(commas[-1], last + 1)
    ):
        end = commas[0] - 1
    return end


def org_like(words: list[Token] | tuple[Token, ...]) -> bool:
    if not words or not words[0].capitalised:
        return False
    if any(fold(w.text) in PERSON_TITLES for w in words):
        return False
    own = [w for w in words if not is_head(w) and fold(w.text) not in GENERIC_ORG_WORDS]
    return bool(own)


def legal_form_candidates(text: str) -> list[Candidate]:
    toks = tokens(text)
    out = []
    for i, tok in enumerate(toks):
        if tok.text not in LEGAL_FORMS or i == 0:
            continue
        gap_text = text[toks[i - 1].end : tok.start]
        if gap_text not in (" ", ", "):
            continue
        if tok.text in ("EGTC", "GECT", "EVTZ", "EGTS"):
            continue  # handled as a prefix by the grouping rule
        first = extend_left(text, toks, i - 1)
        words = toks[first:i]
        if not words or not all(w.capitalised for w in words):
            continue
        out.append(Candidate(words[0].start, tok.end, "organisation.legal_form"))
    for m in EGTC_FORM.finditer(text):
        i = token_index_at(toks, m.end())
        if i >= len(toks):
            continue
        last = extend_right(text, toks, i)
        name = text[toks[i].start : toks[last].end]
        metropole = METROPOLE_AFTER.fullmatch(name)
        key = (
            f"metropole:{name_form(metropole.group('city')).replace(' ', '-')}"
            if (metropole)
            else None
        )
        out.append(
            Candidate(
                m.start(), toks[last].end, "organisation.egtc", canonical=name, key=key, priority=1
            )
        )
    return out


def metropole_candidates(text: str) -> list[Candidate]:
    """Metropolitan authorities: one per city, however the page writes it."""
    out = []
    for pattern in (METROPOLE_AFTER, METROPOLE_BEFORE):
        for m in pattern.finditer(text):
            city = m.group("city")
            if city in SENTENCE_STARTERS or fold(city) in ("european", "europeenne"):
                continue
            key = "metropole:" + name_form(city).replace(" ", "-")
            out.append(
                Candidate(m.start(), m.end(), "organisation.metropolitan_authority", key=key)
            )
    return out


def contact_candidates(text: str) -> list[Candidate]:
    """The name heading a contact block: the line above a phone, e-mail or address."""
    structure = parse(text)
    out = []
    lines = structure.lines
    for line in lines:
        body = line.body.strip()
        if line.kind == "blank" or not body or len(body) > 80 or CONTACT_NEXT.search(body):
            continue
        following = [ln for ln in lines[line.index + 1 : line.index + 4] if ln.kind != "blank"]
        if not following or not CONTACT_NEXT.search(following[0].body):
            continue
        words = [t for t in tokens(text) if line.body_start <= t.start < line.end]
        if not words or not all(w.capitalised or fold(w.text) in NAME_CONNECTORS for w in words):
            continue
        if body.endswith((".", ",", ":")) or len(words) > 8:
            continue
        if not (
            any(is_head(w) for w in words)
            or any(place_country(w.text) for w in words)
            or any(w.text.isupper() and len(w.text) > 1 for w in words)
        ):
            continue  # two or three plain capitalised words are a person's name
        if any(fold(w.text) in PERSON_TITLES | CONTACT_LABELS for w in words):
            continue
        out.append(Candidate(words[0].start, words[-1].end, "organisation.contact_block"))
    return out


PARTNER_INTRO = re.compile(
    r"\b(?:partners?|partenaires?|Partner\w*|projectpartners|consortium|members|membres|leden|"
    r"Mitglieder|beneficiaries|bénéficiaires|begunstigden)\b",
    re.IGNORECASE,
)
ROLE_LABEL = re.compile(
    r"^(?:lead partner|partner|project partner|penvoerder|chef de file|Lead Partner|"
    r"Projektträger|Leadpartner|coordinator|coordinateur|coördinator)$",
    re.IGNORECASE,
)
COUNTRY_SUFFIX = re.compile(r"\s*\((?:the\s)?(?P<c>[A-Z]{2}|[A-ZÀ-Ý][\w -]+)\)\s*$")


def partner_list_candidates(text: str) -> list[Candidate]:
    """Items of a list announced by 'Partners', 'De partners zijn:', 'Consortium'."""
    structure = parse(text)
    out = []
    for line in structure.lines:
        body = line.body.strip()
        if line.kind != "text" or not PARTNER_INTRO.search(body):
            continue
        if not (body.endswith(":") or line.heading):
            continue
        for item in structure.items_after(line):
            split = split_item(item)
            start, end = split.name_start, split.name_end
            if ROLE_LABEL.match(text[start:end].strip()) and split.desc_start is not None:
                start, end = split.desc_start, split.desc_end or item.end
            name = text[start:end]
            country = None
            suffix = COUNTRY_SUFFIX.search(name)
            if suffix:
                raw = suffix.group("c")
                country = (
                    raw
                    if len(raw) == 2 and pycountry.countries.get(alpha_2=raw)
                    else (place_country(raw))
                )
                name = name[: suffix.start()]
            name = name.strip(" ,;.")
            if not name or not name[0].isupper() or len(name.split()) > 10:
                continue
            s = text.index(name, start)
            out.append(
                Candidate(
                    s, s + len(name), "organisation.partner_list", country=country, priority=1
                )
            )
    return out


def enumeration_candidates(text: str, known: list[Candidate]) -> list[Candidate]:
    """Members named after 'consortium', 'partners', 'made up of' and the like."""
    structure = parse(text)
    toks = tokens(text)
    out = []
    for start, end in structure.sentences:
        sentence = text[start:end]
        cue = ENUMERATION_CUE.search(sentence)
        if not cue:
            continue
        list_start = start + cue.end()
        segments = re.split(
            r",\s+(?:and\s+|et\s+|en\s+|und\s+)?|\s+(?:and|et|en|und)\s+", text[list_start:end]
        )
        offset = list_start
        members = []
        for segment in segments:
            seg_start = text.index(segment, offset) if segment else offset
            offset = seg_start + len(segment)
            suffix = COUNTRY_SUFFIX.search(segment)
            named_country = place_country(suffix.group("c")) if suffix else None
            if suffix:
                segment = segment[: suffix.start()]
            piece = segment.rsplit("(", 1)[-1].strip().rstrip(").;")
            piece = re.sub(r"^(?:the|la|le|les|l['’]|de|het|die|der|das)\s+", "", piece)
            if not piece:
                continue
            p_start = text.index(piece, seg_start)
            p_end = p_start + len(piece)
            words = [t for t in toks if p_start <= t.start < p_end]
            if (
                not words
                or len(words) > 6
                or not all(w.capitalised or fold(w.text) in NAME_CONNECTORS for w in words)
            ):
                continue
            if any(c.start < p_end and p_start < c.end for c in known):
                continue
            if all(place_country(w.text) for w in words):
                continue  # a list of places, not of members
            members.append(
                Candidate(p_start, words[-1].end, "organisation.member_list", country=named_country)
            )
        if members:
            lead_in = text[start + cue.start() : members[0].start]
            codes = sorted({c for w in re.findall(r"\w+", lead_in) if (c := place_country(w))})
            for member in members:
                member.country = member.country or (codes[0] if len(codes) == 1 else None)
            out += members
    return out


def acronym_candidates(
    text: str, found: list[Candidate], blocked: list[tuple[int, int]]
) -> list[Candidate]:
    """Bare acronyms that stand for an organisation of the page."""
    defined: dict[str, Candidate] = {}
    for c in found:
        m = ACRONYM_PARENS.match(text, c.end)
        if m:
            c.acronym = (m.start("acr"), m.end("acr"))
            defined.setdefault(m.group("acr"), c)
    initials: dict[str, Candidate] = {}
    for c in found:
        letters = "".join(
            w.text[0]
            for w in tokens(text[c.start : c.end])
            if w.capitalised and fold(w.text) not in NAME_CONNECTORS
        ).upper()
        if 2 <= len(letters) <= 6:
            initials.setdefault(letters, c)
    out = []
    occupied = [(c.start, c.end) for c in found] + blocked
    for m in ACRONYM_WORD.finditer(text):
        acr = m.group()
        if acr in NOT_ORG_ACRONYMS or any(s <= m.start() < e for s, e in occupied):
            continue
        source = defined.get(acr) or initials.get(acr)
        if source is None:
            continue
        name = text[source.start : source.end]
        out.append(
            Candidate(
                m.start(),
                m.end(),
                "organisation.acronym_use",
                canonical=name,
                key=source.key,
                acronym=(m.start(), m.end()),
                country=source.country,
            )
        )
    for m in ACTING_ACRONYM.finditer(text):
        group = next(g for g in ("a", "b", "c") if m.group(g))
        acr, s = m.group(group), m.start(group)
        if acr in NOT_ORG_ACRONYMS or any(o_s <= s < o_e for o_s, o_e in occupied):
            continue
        if acr in defined or acr in initials:
            continue
        out.append(
            Candidate(s, s + len(acr), "organisation.acting_acronym", acronym=(s, s + len(acr)))
        )
    return out


def to_mention(ctx: Context, c: Candidate) -> Mention:
    text = ctx.text
    quote = text[c.start : c.end]
    canonical = c.canonical
    if canonical is None and "Governement" in quote:
        canonical = quote.replace("Governement", "Government")
    m = Mention(
        "organisation",
        c.start,
        c.end,
        quote,
        c.rule,
        canonical=canonical,
        key=c.key,
        language=ctx.language,
    )
    if c.acronym:
        s, e = c.acronym
        m.add("acronym", text[s:e], s, e, c.rule)
    country = c.country or country_of(ctx, c)
    if country:
        m.add("country_code", country, c.start, c.end, "organisation.country_from_name")
    return m


def country_of(ctx: Context, c: Candidate) -> str | None:
    """One country named inside the organisation's name, by its territories or words."""
    codes: set[str] = set()
    for t in ctx.mentions:
        if t.record_type == "territory" and c.start <= t.start and t.end <= c.end:
            codes |= {str(v.value) for v in t.values if v.field == "country_code"}
    if c.canonical and c.key and c.key.startswith("ref:"):
        return None  # EU institutions belong to no country
    for tok in tokens(ctx.text[c.start : c.end]):
        for part in re.split(r"[-/]", tok.text):
            code = place_country(part) if part[:1].isupper() or part.islower() else None
            if code:
                codes.add(code)
    return codes.pop() if len(codes) == 1 else None


def share_keys(mentions: list[Mention]) -> None:
    """Acronym uses carry the key and country of the name they stand for."""
    by_name = {m.quote: m for m in mentions if m.rule != "organisation.acronym_use"}
    for m in mentions:
        if m.rule == "organisation.acronym_use" and m.canonical in by_name:
            source = by_name[m.canonical]
            m.key = m.key or source.key
            if not any(v.field == "country_code" for v in m.values):
                for v in source.values:
                    if v.field == "country_code":
                        m.add("country_code", v.value, m.start, m.end, v.rule)
