"""Organisation mentions: authorities, agencies, groupings, networks, companies.

Rules, each general:
- EU and intergovernmental institutions by name (reference file);
- names built around a head word (Ministry, Agency, University, Agence,
  Ministère, Agentschap, Hogeschool, Ministerium, Stiftung, and German/Dutch
  compounds ending in -verband, -kammer, -centrum...) with the words around
  it; French names run on through lower-case words ('Maison de l'emploi
  transfrontalière de Forbach'), German ones through 'für angewandte ...';
- public authorities: an authority word and a place ('Provincie Zeeland',
  'Région Grand Est', 'City of Aachen', 'Hauts-de-France Region'). The same
  words also name the territory, so the phrase is an organisation only where
  it acts: written as a proper name and not after 'in'/'im'/'dans', not in a
  list of places; a lower-case 'de provincie X' only after 'door', 'by',
  'steun van'... or beside another organisation;
- company and legal forms (Ltd, SA, NV, GmbH, vzw, e.V., EGTC, GECT, EVTZ);
  metropolitan authorities ('X Metropole', 'Métropole européenne de X');
- the value of a role label ('Lead partner', 'Projektträger', 'Penvoerder',
  'Managing authority'), the name above a phone number or address in a
  contact block, members listed after 'Partners:' or 'consortium', acronyms
  named together with partners ('samen met VDAB en UWV');
- acronyms: 'Full Name (ACR)' pairs, later bare uses of a defined acronym,
  an acronym whose letters are the initials of a name on the page, and
  acronyms that act ('the ACR commissioned', '(ACR website)');
- national governments by their country's adjective ('French State', 'État
  français', 'Belgische federale overheid'), one record per country.

Names end at a separator (' - ', ' | ') before an address or a page-section
label, and before a clause ('X Kommune die ...'); German elliptic names
('für Bau-, Stadt- und Raumforschung') are read whole. Authority phrases listed
as the parts of an area ('Das Programmgebiet umfasst den Kreis X, ...') are
territories, as is a lower-case 'ville de X' unless the town acts ('par la ville').

Country codes come from a '(BE)'/'(Germany)'/'(Town, NL)' suffix, the place in
the name, the legal form or an institution type found in one country only,
a country adjective before the name, the town after it ('uit Gent'), or the
address under a contact block.

Precision first: people's names, job titles, headings, street addresses,
places and programme names are not organisations.
"""

from __future__ import annotations

import gettext
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

import pycountry

from pipeline.extract import territories
from pipeline.extract.context import Context
from pipeline.extract.geo_reference import country_adjectives
from pipeline.extract.model import Mention
from pipeline.extract.programme_reference import fold, name_form
from pipeline.extract.structure import (
    NAME_CONNECTORS,
    SENTENCE_STARTERS,
    FoldedPattern,
    Line,
    Structure,
    Token,
    choose,
    extend_left,
    folded_words,
    parse,
    split_item,
    token_index_at,
    tokens,
    word_set,
)
from pipeline.reference_files import read_reference

HEADS = word_set(
    # English
    "Ministry Agency Government Governement Directorate Department Council Authority Chamber "
    "University Association Network Institute Foundation Federation Centre Center Commission "
    "Secretariat Bank Committee Parliament Administration Intercommunale Board Observatory "
    "Hospital School Academy Laboratory Office Union Cooperative Euregio Euroregion Company "
    "Trust Conference Summit "
    # French
    "Ministère Agence Gouvernement Direction Conseil Autorité Chambre Université Réseau Caisse "
    "Institut Fondation Fédération Commission Secrétariat Banque Communauté Syndicat Mission "
    "Parlement Préfecture Observatoire Hôpital École Ecole Lycée Académie Laboratoire "
    "Groupement Établissement Etablissement Collectivité Office Maison Caisse Conférence "
    "Sommet Comité "
    # Dutch
    "Ministerie Agentschap Regering Departement Provinciebestuur Gemeentebestuur Stadsbestuur "
    "Raad Kamer Universiteit Hogeschool Vereniging Netwerk Instituut Stichting Federatie "
    "Centrum Commissie Secretariaat Ontwikkelingsmaatschappij Overheid Autoriteit Ziekenhuis "
    "Academie Unie Waterschap Coöperatie Kenniscentrum Platform Dienst Bureau Universitet "
    # German
    "Ministerium Staatsministerium Bundesministerium Agentur Regierung Landesregierung "
    "Bezirksregierung Staatskanzlei Senatsverwaltung Direktion Rat Kammer Universität "
    "Hochschule Verein Verband Netzwerk Stiftung Zentrum Kommission Sekretariat Behörde "
    "Landtag Landesbetrieb Fachstelle Klinikum Krankenhaus Akademie Kommune Genossenschaft "
    "Gesellschaft Eurodistrict Eurodistrikt Amt Büro Service Landesamt Bundesamt Stadtwerke "
    "Konferenz Gipfel Komitee Ausschuss"
)
# Dutch and German compounds: 'Wasserzweckverband', 'Zorggroep', 'Proefcentrum'
COMPOUND_HEAD_SUFFIXES = (
    "ministerium",
    "regierung",
    "agentur",
    "kammer",
    "verband",
    "behörde",
    "maatschappij",
    "centrum",
    "zentrum",
    "labor",
    "instituut",
    "institut",
    "schule",
    "klinikum",
    "krankenhaus",
    "ziekenhuis",
    "groep",
    "netwerk",
    "netzwerk",
    "overleg",
    "gesellschaft",
    "genossenschaft",
    "stiftung",
    "vereniging",
    "landesamt",
    "bundesamt",
    "ratsamt",
    "agentschap",
    "komitee",
    "konferenz",
    "universität",
    "universiteit",
)
# A French head may run on through lower-case words: 'Syndicat mixte des eaux'
FRENCH_HEADS = word_set(
    "Ministère Agence Direction Conseil Autorité Chambre Université Réseau Institut Fondation "
    "Fédération Commission Secrétariat Banque Communauté Syndicat Mission Préfecture "
    "Observatoire Hôpital École Ecole Lycée Académie Laboratoire Groupement Établissement "
    "Etablissement Collectivité Office Maison Association Centre Union Service Pôle Caisse "
    "Conférence"
)
# Heads that do not make a name on their own ('Maison de la Région' is a building)
WEAK_HEADS = word_set(
    "Maison Office Platform Union Unie Service Pôle Center Centre Centrum Bureau Büro Amt Dienst"
)
LEGAL_FORMS = word_set(
    "Ltd LTD Limited SA S.A NV N.V BV B.V GmbH AG SAS SARL SPRL SRL BVBA VZW ASBL AISBL e.V e.V. "
    "plc PLC Inc LLC EGTC GECT EVTZ EGTS vzw asbl bv nv gGmbH U.A U.A. ApS A/S Oy Oyj eG cvba "
    "scrl KG AS"
)
# Legal forms and institution types that exist in one country only
COUNTRY_OF_FORM = {
    "vzw": "BE",
    "asbl": "BE",
    "aisbl": "BE",
    "bvba": "BE",
    "sprl": "BE",
    "cvba": "BE",
    "scrl": "BE",
    "intercommunale": "BE",
    "intercommunales": "BE",
    "ggmbh": "DE",
    "e.v": "DE",
    "e.v.": "DE",
    "u.a": "NL",
    "u.a.": "NL",
    "waterschap": "NL",
    "oy": "FI",
    "oyj": "FI",
    "aps": "DK",
    "a/s": "DK",
    "landkreis": "DE",
    "kreis": "DE",
    "regierungsprasidium": "DE",
    "bezirksregierung": "DE",
    "landesbetrieb": "DE",
    "staatskanzlei": "DE",
    "freistaat": "DE",
    "prefecture": "FR",
    "departement": "FR",
    "kanton": "CH",
}
EGTC_WORDS = ("EGTC", "GECT", "EVTZ", "EGTS")
METROPOLE_HEADS = "Metropole|Métropole|Metropolis|Eurometropole|Eurométropole|Eurometropolis"
CITY = r"(?P<city>[A-ZÀ-Ý][\w'’]+(?:-[A-ZÀ-Ý][\w'’]+)*)"
METROPOLE_AFTER = re.compile(
    rf"{CITY} +(?:European +)?(?:{METROPOLE_HEADS})\b",
    re.IGNORECASE,
)
# Every metropole head holds these letters: a page without them has no metropole
METROPOLE_STEM = re.compile("tropol", re.IGNORECASE)
METROPOLE_BEFORE = re.compile(
    rf"\b(?:(?:{METROPOLE_HEADS}) +(?:[Ee]urop[ée]enne +)?(?:de +|du +|d['’] ?|van +)"
    rf"|Eurom[ée]tropol(?:e|is) +){CITY}"
)
EGTC_FORM = re.compile(
    r"\b(?:European Grouping (?:of|for) [Tt]erritorial [Cc]ooperation|EGTC|GECT|EVTZ|EGTS|"
    r"Groupement européen de coopération territoriale|Europese groepering voor territoriale "
    r"samenwerking|Europäischer Verbund für territoriale Zusammenarbeit)[ \t]+"
    r"(?=[A-ZÀ-Ý\"“«])"
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
# Bodies named as co-workers: 'together with Leiedal', 'samen met VDAB en UWV'
TOGETHER_WITH = re.compile(
    r"\b(?P<cue>(?i:together with|in cooperation with|in collaboration with|in partnership with|"
    r"samen met|in samenwerking met|zusammen mit|gemeinsam mit|in Zusammenarbeit mit|"
    r"en collaboration avec|en partenariat avec|conjointement avec)|met)\s+"
    r"(?P<list>[A-Z][\w&-]{1,30}(?:(?:,\s*|\s+(?:and|en|et|und)\s+)[A-Z][\w&-]{1,30})*)\b"
)
GERMAN_CUES = ("zusammen mit", "gemeinsam mit", "in zusammenarbeit mit")
# Every cue of TOGETHER_WITH ends in 'with', 'met', 'mit' or 'avec' before a capital: a
# quick first test (a pattern that opens on a set of letters is scanned fast)
TOGETHER_CUE_END = re.compile(r"[WwMmAa](?i:ith|et|it|vec)\s+[A-Z]")
NOT_ORG_ACRONYMS = word_set(
    "EU UE EC EUR CEO SME SMEs PME KMO KMU ICT TIC NEET GDP PIB BBP R&D RDI CO2 NUTS ERDF "
    "FEDER EFRO EFRE ESF FSE TEN-T RSO ISO PO OP SO OS FAQ PDF URL NGO ONG CCI CCIs IP HTML "
    "GPS AI IT CET CEST PME GMT UTC DNA COVID RGPD GDPR AVG DSGVO"
)
CONTACT_NEXT = re.compile(
    r"^(?:•\s)?(?:(?:Tel|Tél|Phone|Fax|T|E|Email|E-mail|Mail|Telefoon|Telefon)\s?[.:]?\s?)?"
    r"(?:\+\d|\(0\)|0\d)[\d\s()./-]{6,}$|@|^\d{4,5}\s+[A-ZÀ-Ý]|^\d{4}\s?[A-Z]{2}\s+[A-ZÀ-Ý]"
    r"|^[A-Z]-?\d{4,5}\s"
    r"|\b(?:rue|place|avenue|boulevard|chaussée|straat|laan|weg|plein|kaai|steenweg|straße|"
    r"strasse|str\.|platz|allee|street|road|square|lane)\b.*\d",
    re.IGNORECASE,
)
ENUMERATION_CUE = FoldedPattern(
    re.compile(
        r"\b(?:consortium|partners|partner|partnership|partenaires?|partenariat|members|membres|"
        r"leden|Partnern?|Projektpartnern?|Mitglieder)\b[^.:(]{0,80}?(?:made up of|composed of|"
        r"consisting of|including|composé de|composée de|constitué de|bestaande uit|bestehend aus|"
        r"namely|:|\()",
        re.IGNORECASE,
    )
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
    "governmental new joint monitoring steering managing selection technical executive "
    "advisory scientific programme program audit certifying contact gemeinsames gemeinsamer "
    "conjoint conjointe gemeinsame gemeinsamen programms programmes interreg "
    "about our your join meet become find apply welcome home news "
    "events members partners projects more all see read discover über uns unser unsere notre "
    "nos votre onze ons uw mehr plus meer tous alle"
)
# Names of documents, projects and programmes: not organisations
NOT_ORG_LAST_WORDS = folded_words(
    "project projects projet projets projekt projekte programme programmes program programma "
    "programm strategy stratégie strategie plan call report"
)

# ------------------------------------------------------------ places


@cache
def place_table() -> dict[str, str]:
    """Folded place word or demonym -> ISO country code (country names in four
    languages from pycountry, NUTS national labels, and demonyms). Other
    extractors use it to tell place words apart in names."""
    table: dict[str, str] = dict(country_name_table())
    for row in read_reference("nuts2021.csv"):
        label = row.get("name_national") or ""
        label = re.sub(r"^(?:Prov\.|Arr\.|Région|Province|Provincie)\s+", "", label)
        if label and "/" not in label:
            table.setdefault(fold(label), row.get("country_code") or "")
    table.update(place_word_table())
    return {k: v for k, v in table.items() if v and k not in COMMON_WORD_PLACES}


@cache
def country_name_table() -> dict[str, str]:
    """Folded country name in English, French, Dutch or German -> ISO code."""
    table: dict[str, str] = {}
    translations = []
    for lang in ("fr", "nl", "de"):
        try:
            translations.append(
                gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
            )
        except OSError:
            continue
    for country in pycountry.countries:
        names = {country.name, getattr(country, "common_name", country.name)}
        names |= {t.gettext(country.name) for t in translations}
        for name in names:
            table.setdefault(fold(name), country.alpha_2)
    return table


@cache
def place_word_table() -> dict[str, str]:
    """Demonyms and well-known place names (place_words.csv) -> ISO code."""
    rows = read_reference("place_words.csv")
    return {fold(row["word"]): row["country_code"] for row in rows}


# NUTS labels that are also everyday words ('West', 'Border' in Ireland)
COMMON_WORD_PLACES = word_set(
    "west east north south border sud midlands centre center mitte island"
)


def place_country(word: str) -> str | None:
    """ISO code of a place name or demonym ('Wallonie', 'Walloon' -> 'BE')."""
    return place_table().get(fold(word.strip(" '’")))


def name_word_country(word: str) -> str | None:
    """Country of a word inside an organisation's name: a country name or a
    listed demonym/place word. NUTS labels of far-away regions are left out
    (German 'Landes' is not the French department)."""
    key = fold(word.strip(" '’"))
    if word[:1].isupper() and key in country_name_table():
        return country_name_table()[key]
    return place_word_table().get(key)


@lru_cache(maxsize=4096)
def iso_code(code: str) -> str | None:
    """A two-letter ISO 3166-1 code as written in '(BE)', or None."""
    return code if len(code) == 2 and pycountry.countries.get(alpha_2=code) else None


def country_in_words(words: str) -> str | None:
    """'BE', 'Belgium', 'the Netherlands', 'Ahaus, DE' -> ISO code."""
    parts = [p.strip() for p in words.split(",")]
    for part in reversed(parts):
        code = iso_code(part) or country_name_table().get(fold(re.sub(r"^the\s+", "", part)))
        if code:
            return code
    return None


# ------------------------------------------------------------ words


ELISION = re.compile(r"^(?:[ldLD]|[Qq]u|[Jj]usqu)['’](?=\w)")


@lru_cache(maxsize=64)
def words_of(text: str) -> tuple[Token, ...]:
    """Tokens with French elisions split off: "l'Eurodistrict" -> "l'", "Eurodistrict"."""
    if "'" not in text and "’" not in text:
        return tokens(text)
    out: list[Token] = []
    for tok in tokens(text):
        m = ELISION.match(tok.text) if "'" in tok.text or "’" in tok.text else None
        if m and len(tok.text) > m.end():
            out.append(Token(tok.start, tok.start + m.end(), tok.text[: m.end()]))
            out.append(Token(tok.start + m.end(), tok.end, tok.text[m.end() :]))
        else:
            out.append(tok)
    return tuple(out)


def is_elision(tok: Token) -> bool:
    return tok.text[-1:] in "'’" and len(tok.text) <= 7


def is_head(tok: Token) -> bool:
    return is_head_word(tok.text)


@lru_cache(maxsize=1 << 16)  # asked of every word of every page: the same words recur
def is_head_word(word: str) -> bool:
    if word in HEADS:
        return True
    low = word.lower()
    return (
        word[0].isupper()
        and not word.isupper()
        and low.endswith(COMPOUND_HEAD_SUFFIXES)  # one C call rules out most words
        and any(low.endswith(s) and len(low) >= len(s) + 3 for s in COMPOUND_HEAD_SUFFIXES)
    )


def connector(tok: Token) -> bool:
    """A small word that may stand inside a name between its other words."""
    return tok.text.lower() in NAME_CONNECTORS | MORE_CONNECTORS or is_elision(tok)


MORE_CONNECTORS = word_set("à au aux zur zum des für")


FRENCH_ADJECTIVE = re.compile(
    r"(?:al|(?:ale|el|elle|ien|ienne|ique|ier|ière|aire|if|ive|euse|aise|oise|ain|aine|onne|"
    r"mixte|conjoint|conjointe|commun|commune|public|publique|supérieur|supérieure|européen|"
    r"européenne|étranger|étrangère|primaire)s?|aux|eux|ais|ois)$"
)
GERMAN_ADJECTIVE = re.compile(r"[a-zäöü]{3,}(?:e|en|er|es|em)$")
NAME_GAPS = (" ", "-", "–", "'", "’", "", " & ")
SEPARATOR_GAPS = (" - ", " – ", " — ", " | ")


def elliptic_gap(text: str, ws: Sequence[Token], j: int) -> str:
    """The gap before word ``j``, with a German elliptic hyphen read as the
    space or comma it stands for: 'für Bau-, Stadt- und Raumforschung'."""
    between = text[ws[j - 1].end : ws[j].start]
    if between == "-, " and ws[j].capitalised:
        return ", "
    if between == "- " and ws[j].text in ("und", "oder", "en", "of") and ws[j - 1].capitalised:
        return " "
    return between


def grow_right(
    text: str, ws: Sequence[Token], i: int, commas: bool = False, french: bool | None = None
) -> int:
    """Index of the last word of the name whose head is word ``i``.

    Capitalised words and connectors between them, as in any name; after a
    French head also lower-case nouns after 'de', 'des', "l'", 'à' and
    adjectives ('Syndicat mixte des eaux du Ried de Colmar'); after German
    'für' an adjective before a noun ('für angewandte Umweltwissenschaften').
    A conjunction followed by an article starts a second name.
    """
    french = ws[i].text in FRENCH_HEADS if french is None else french
    last = i
    j = i + 1
    noun_before = True  # the previous word may take an adjective
    lower_tail = False  # the name already runs on through lower-case nouns
    while j < len(ws):
        between = elliptic_gap(text, ws, j)
        if between in SEPARATOR_GAPS:
            break  # 'X - Street 7', 'X – News': a separator, not a word of the name
        if between not in NAME_GAPS + ((", ",) if commas else ()):
            break
        if between == "" and not is_elision(ws[j - 1]):
            break
        tok = ws[j]
        low = tok.text.lower()
        if tok.capitalised and tok.text not in SENTENCE_STARTERS - {"The"}:
            # a French common noun inside the name takes an adjective: 'Affaires européennes'
            common = french and j > i + 1 and connector(ws[j - 1]) and not is_place_word(tok)
            last, j, noun_before = j, j + 1, common
            continue
        if french and noun_before and between == " " and FRENCH_ADJECTIVE.search(low):
            last, j = j, j + 1
            continue
        if low in ("and", "et", "en", "und", "&"):
            k = j + 1
            if between != " " or k >= len(ws):
                break
            if french and connector(ws[k]):
                if fold(ws[k].text) in BARE_ARTICLES | {"l'"}:
                    break  # 'X et la Caisse ...': an article starts a second name
                end = french_tail(text, ws, k)
                if end is None:
                    break
                if ws[end].text.islower():
                    # 'Direction de l'Europe et du transfrontalier', 'de l'emploi et des
                    # solidarités'; not 'X et des partenaires locaux' (the next phrase)
                    if ws[k].text.lower() in ("des", "aux") and not lower_tail:
                        break
                    end = grow_right(text, ws, end, french=True)
                    if name_boundary(text, ws[end].end):
                        last, j, noun_before = end, end + 1, False
                        continue
                    break
                if not (
                    is_head(ws[end]) or ws[end].text in AUTHORITY_BEFORE or is_place_word(ws[end])
                ):
                    j = k  # 'Ministère de l'Europe et des Affaires étrangères'
                    continue
            if ws[k].text.lower() in NAME_CONNECTORS - {"de", "d'"}:
                break  # 'Ministerie X und von der Provinz Y' names two bodies
            if ws[k].text.isupper() or any(
                is_head(w) for w in ws[k : grow_right(text, ws, k, french=False) + 1]
            ):
                break  # 'University of Liège and Maastricht University' are two
            if ws[k].capitalised and ws[k].text not in SENTENCE_STARTERS:
                j = k
                continue
            break
        if french and lower_tail and between == ", " and connector(tok):
            between = " "  # "de l'environnement, de l'aménagement et du logement"
        if low == "zu" and j + 1 < len(ws) and is_place_word(ws[j + 1]):
            last, j = j + 1, j + 2  # 'Industrie- und Handelskammer zu Flensburg'
            continue
        if connector(tok) and between in (" ", "", "'", "’"):
            if low in BARE_ARTICLE_CONNECTORS and not connector(ws[j - 1]):
                break  # 'X Kommune die Arbeitsmärkte': a clause, not 'für die ...'
            k = j + 1
            while k < len(ws) and connector(ws[k]) and text[ws[k - 1].end : ws[k].start] in " ":
                k += 1
            if k >= len(ws) or text[ws[k - 1].end : ws[k].start] not in (" ", ""):
                break
            nxt = ws[k]
            if nxt.capitalised and nxt.text not in SENTENCE_STARTERS:
                j = k
                continue
            if french and nxt.text.islower() and nxt.text not in NAME_CONNECTORS:
                last, j, noun_before, lower_tail = k, k + 1, True, True
                # noun groups: "Caisse primaire d'assurance maladie du Bas-Rhin"
                m = k + 1
                while m < len(ws) and m - k <= 2 and ws[m].text.islower() and not connector(ws[m]):
                    m += 1
                if (
                    m > k + 1
                    and m + 1 < len(ws)
                    and connector(ws[m])
                    and (ws[m + 1].capitalised or (ws[m].text == "et" and connector(ws[m + 1])))
                    and text[ws[k].end : ws[m].start].count(" ") == m - k
                ):
                    last, j, noun_before = m - 1, m, False
                continue
            if (
                low == "für"
                and GERMAN_ADJECTIVE.fullmatch(nxt.text)
                and k + 1 < len(ws)
                and ws[k + 1].capitalised
            ):
                last, j = k + 1, k + 2
                continue
        break
    return last


BARE_ARTICLE_CONNECTORS = word_set("the die das den dem het la le les")


def place_inside(page: Page, start: int, end: int) -> bool:
    """Whether a territory of the page stands within the span."""
    return any(start <= t.start and t.end <= end for t in page.territories)


def is_place_word(tok: Token) -> bool:
    """A capitalised word that the gazetteer knows as a place."""
    return tok.capitalised and bool(territories.gazetteer().lookup(tok.text))


def grow_left(text: str, ws: tuple[Token, ...], i: int) -> int:
    """Index of the first word of the name whose head is word ``i``; a
    conjunction is crossed only into words that hold no head of their own
    ('Development and Urban Planning Agency', not 'University of Liège and
    Maastricht University')."""
    first = extend_left(text, ws, i)
    for c in range(i - 1, first - 1, -1):
        if text[ws[c].end : ws[c + 1].start] in SEPARATOR_GAPS:
            return c + 1  # 'IND TECH 2024 - Conference on ...': a title, then the name
        if connector(ws[c]) and any(fold(w.text) in NOT_ORG_LAST_WORDS for w in ws[first:c]):
            return c + 1  # 'Projekt Grenzlicht des Vereins X': the project is not in the name
        if ws[c].text.lower() in CONJUNCTION_WORDS and any(is_head(w) for w in ws[first:c]):
            return c + 1
        if fold(ws[c].text) in BARE_ARTICLES and not (c > first and connector(ws[c - 1])):
            return c + 1  # 'Contactez le Secrétariat': a verb, then the name
    return first


BARE_ARTICLES = folded_words("le la les the het die der das")


CONJUNCTION_WORDS = word_set("and et en und &")


def french_tail(text: str, ws: Sequence[Token], k: int) -> int | None:
    """End of 'de/du/d' + word' starting at word ``k``, or None."""
    while k < len(ws) and connector(ws[k]):
        k += 1
    return k if k < len(ws) and not connector(ws[k]) else None


def name_boundary(text: str, offset: int) -> bool:
    """A name may end here: punctuation, a bracket, a dash, the line's end or
    a conjunction before the next name."""
    return NAME_END.match(text, offset) is not None


NAME_END = re.compile(r"\s*(?:[,;.:()\n]|[–—-]\s|$)|\s(?:et|and|en|und|ou|or)\s")


# ------------------------------------------------------------ candidates


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


@dataclass
class Page:
    """What the rules read from one document besides its text."""

    text: str
    structure: Structure
    words: tuple[Token, ...]
    territories: list[Mention]
    blocked: list[tuple[int, int]]
    # list items naming several bodies, with the country given for them all
    item_countries: list[tuple[int, int, str]] = field(default_factory=list)

    def territory_at(self, start: int) -> Mention | None:
        found = [t for t in self.territories if t.start == start]
        return max(found, key=lambda t: t.end) if found else None

    def territory_ending(self, end: int) -> Mention | None:
        found = [t for t in self.territories if t.end == end]
        return min(found, key=lambda t: t.start) if found else None


def extract_organisations(ctx: Context) -> list[Mention]:
    text = ctx.text
    page = Page(
        text,
        parse(text),
        words_of(text),
        [m for m in ctx.mentions if m.record_type == "territory"],
        [(m.start, m.end) for m in ctx.mentions if m.record_type == "programme"],
    )
    candidates = institution_candidates(text)
    candidates += head_candidates(page)
    candidates += legal_form_candidates(page)
    candidates += metropole_candidates(text)
    candidates += national_state_candidates(text)
    candidates += contact_candidates(page)
    candidates += partner_list_candidates(page)
    candidates += role_candidates(page)
    candidates += kind_noun_candidates(page)
    candidates = [c for c in candidates if not overlaps_any(c, page.blocked) and name_ok(page, c)]
    candidates += authority_candidates(page, candidates)
    chosen = choose(candidates)
    chosen += enumeration_candidates(page, chosen)
    chosen += together_candidates(page, chosen)
    chosen = choose(chosen)
    chosen += acronym_candidates(text, chosen, page.blocked)
    chosen = choose(chosen)
    share_bracket_aliases(text, chosen)
    mentions = [to_mention(ctx, page, c) for c in chosen]
    share_keys(mentions)
    return mentions


def overlaps_any(c: Candidate, spans: list[tuple[int, int]]) -> bool:
    return any(c.start < e and s < c.end for s, e in spans)


def name_ok(page: Page, c: Candidate) -> bool:
    """A place alone, or a name ending in 'project' or 'programme', is no organisation."""
    if c.rule == "organisation.eu_institution":
        return True
    last = page.text[c.start : c.end].split()[-1:]
    if last and fold(last[0]) in NOT_ORG_LAST_WORDS:
        return False
    if c.rule not in PLACE_PRONE_RULES:
        return True
    return not any(t.start <= c.start and c.end <= t.end for t in page.territories)


# Rules that take whatever stands in a slot, which may be a place
PLACE_PRONE_RULES = frozenset(
    {"organisation.contact_block", "organisation.role", "organisation.partner_list"}
)


# ------------------------------------------------------------ institutions


@cache
def institutions() -> tuple[tuple[str, str, str | None, tuple[str, ...]], ...]:
    rows = read_reference("eu_institutions.csv")
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
            rule = "organisation.eu_institution"
            out.append(Candidate(m.start(), m.end(), rule, name, f"ref:{key}", priority=2))
    return out


# ------------------------------------------------------------ head words


def head_candidates(page: Page) -> list[Candidate]:
    """Words around a head word: 'Walloon Agency for Telecommunications',
    'Maison de l'emploi transfrontalière de Forbach', 'Zorggroep Twentse Grens'."""
    text, ws = page.text, page.words
    out = []
    heads = [
        (i, tok.text == "overheid")
        for i, tok in enumerate(ws)
        if is_head_word(tok.text) or (tok.text == "overheid" and i > 0 and ws[i - 1].capitalised)
    ]
    for i, overheid in heads:
        tok = ws[i]
        first = grow_left(text, ws, i) if not overheid else i - 1
        last = i
        # French/Dutch adjectives after the head: 'Gouvernement wallon', 'Agence wallonne'
        if (
            last + 1 < len(ws)
            and text[ws[last].end : ws[last + 1].start] == " "
            and (
                name_word_country(ws[last + 1].text) or fold(ws[last + 1].text) in ADJECTIVES_AFTER
            )
            and not ws[last + 1].capitalised
        ):
            last += 1
        last = grow_right(text, ws, last, commas=True, french=tok.text in FRENCH_HEADS)
        last = trim_trailing_list(text, ws, i, last)
        last = trim_trailing_place(page, ws, i, last)
        if LINE_CONTINUES.match(text, ws[last].end):
            continue  # a name broken over two lines is not read in half
        first = skip_labels(ws, first, i)
        first = elliptic_start(text, ws, first)
        name = ws[first : last + 1]
        if not org_like(name) or (tok.text in WEAK_HEADS and not weak_head_named(name, tok)):
            continue
        if is_meeting_head(tok) and not place_inside(page, name[0].start, name[-1].end):
            continue  # 'Conference on Industrial Technologies' is an event, not a body
        out.append(Candidate(name[0].start, name[-1].end, "organisation.head_word"))
    return out


MEETING_HEADS = word_set("Conference Summit Conférence Sommet Konferenz Gipfel")


def is_meeting_head(tok: Token) -> bool:
    """Meetings name a standing body only with the place they gather:
    'Gipfel der Großregion', 'Oberrheinkonferenz', not 'Conference on X'."""
    return tok.text in MEETING_HEADS


ELLIPTIC_BEFORE = re.compile(r"[A-ZÄÖÜ][\w]*-\s(?:und|oder|en|of|et|and)\s$")


def elliptic_start(text: str, ws: tuple[Token, ...], first: int) -> int:
    """'Industrie- und Handelskammer': the first half shares the second's head."""
    m = ELLIPTIC_BEFORE.search(text, max(0, ws[first].start - 40), ws[first].start)
    return token_index_at(ws, m.start()) if m else first


LINE_CONTINUES = re.compile(r"[ \t]*\n[ \t]*(?:&|and\s|et\s|en\s|und\s|[a-zà-ÿ])")


def weak_head_named(name: Sequence[Token], head: Token) -> bool:
    """'Maison de l'emploi', 'Brussels Office', not 'Maison de la Région' (a building)."""
    if any(w.text.islower() and not connector(w) for w in name):
        return True
    if name[0] is not head:
        return True
    return any(
        w.capitalised
        and not is_head(w)
        and w.text not in AUTHORITY_BEFORE
        and fold(w.text) not in GENERIC_ORG_WORDS
        for w in name[1:]
    )


ADJECTIVES_AFTER = folded_words(
    "régional régionale national nationale fédéral fédérale général générale européen "
    "européenne public publique provincial provinciale départemental départementale "
    "communal communale territorial territoriale vlaamse federale"
)


def skip_labels(ws: Sequence[Token], first: int, head: int) -> int:
    """'Kontakt Gemeinsames Sekretariat' is the label 'Kontakt' and a name."""
    while first < head and fold(ws[first].text) in CONTACT_LABELS:
        first += 1
    return first


def trim_trailing_list(text: str, toks: Sequence[Token], head: int, last: int) -> int:
    """A comma run after a head ends where a new name starts ('..., Brabant Design')."""
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


def trim_trailing_place(page: Page, ws: Sequence[Token], head: int, last: int) -> int:
    """'Agence Pixelune – Nancy', 'Maison de la Province à Arlon': the town
    after a spaced dash or 'à' says where the body is, it is not its name."""
    for k in range(head + 1, last + 1):
        if page.text[ws[k - 1].end : ws[k].start] in (" – ", " - ", " — ") and is_place_name(
            page, ws[k].start, ws[last].end
        ):
            return k - 1
        if (
            k < last
            and ws[k].text in ("à", "in", "te", "bei")
            and is_place_name(page, ws[k + 1].start, ws[last].end)
        ):
            return k - 1
    return last


def is_place_name(page: Page, start: int, end: int) -> bool:
    """A territory of the page, or a name the geography gazetteer knows."""
    if any(t.start == start and t.end == end for t in page.territories):
        return True
    return bool(territories.gazetteer().lookup(page.text[start:end]))


def org_like(words: Sequence[Token]) -> bool:
    if not words or not words[0].capitalised:
        return False
    if any(fold(w.text) in PERSON_TITLES | CONTACT_LABELS for w in words):
        return False
    own = [w for w in words if not is_head(w) and fold(w.text) not in GENERIC_ORG_WORDS]
    return any(not connector(w) for w in own)


# A lower-case word for a kind of organisation before its name: 'l'association
# Frontaliers Lorraine-Sarre', 'de vereniging X', 'the company X', 'der Verein X'
KIND_NOUNS = folded_words(
    "association company société entreprise firm firma bedrijf vereniging stichting verein "
    "unternehmen start-up startup coopérative cooperative coöperatie organisation organization "
    "organisatie ngo ong asbl vzw intercommunale intercommunales agence agency agentschap"
)


def kind_noun_candidates(page: Page) -> list[Candidate]:
    """The capitalised name after 'l'association', 'de vereniging', 'the company'."""
    text, ws = page.text, page.words
    out = []
    for i, tok in enumerate(ws[:-1]):
        if not tok.text.islower() or fold(tok.text) not in KIND_NOUNS:
            continue
        if i == 0 or not (is_elision(ws[i - 1]) or fold(ws[i - 1].text) in ARTICLES):
            continue
        nxt = ws[i + 1]
        if text[tok.end : nxt.start] != " " or not nxt.text[0].isupper():
            continue
        if nxt.text in SENTENCE_STARTERS or is_head(nxt) or nxt.text in AUTHORITY_BEFORE:
            continue
        last = grow_right(text, ws, i + 1)
        name = ws[i + 1 : last + 1]
        if len(name) > 6 or (len(name) == 1 and page.territory_at(name[0].start)):
            continue
        acronym = (nxt.start, nxt.end) if len(name) == 1 and nxt.text.isupper() else None
        out.append(
            Candidate(
                name[0].start,
                name[-1].end,
                "organisation.kind_noun",
                acronym=acronym,
                country=COUNTRY_OF_FORM.get(fold(tok.text)),
            )
        )
    return out


# ------------------------------------------------------------ legal forms


def legal_form_candidates(page: Page) -> list[Candidate]:
    text, toks = page.text, page.words
    out = []
    for i, tok in enumerate(toks):
        if tok.text not in LEGAL_FORMS or i == 0 or tok.text in EGTC_WORDS:
            continue
        if text[toks[i - 1].end : tok.start] not in (" ", ", "):
            continue
        if tok.text == "AS" and not toks[i - 1].capitalised:
            continue
        first = skip_labels(toks, extend_left(text, toks, i - 1), i - 1)
        words = toks[first:i]
        if not words or not all(w.capitalised or connector(w) for w in words):
            continue
        if not words[0].capitalised or (len(words) == 1 and page.territory_at(words[0].start)):
            continue
        out.append(Candidate(words[0].start, tok.end, "organisation.legal_form"))
    for m in EGTC_FORM.finditer(text):
        i = token_index_at(toks, m.end())
        if i >= len(toks):
            continue
        last = grow_right(text, toks, i)
        name = text[toks[i].start : toks[last].end]
        metropole = METROPOLE_AFTER.fullmatch(name)
        key = metropole_key(metropole.group("city")) if metropole else None
        out.append(
            Candidate(
                m.start(), toks[last].end, "organisation.egtc", canonical=name, key=key, priority=1
            )
        )
    return out


# A national government named by its country's adjective: 'the French State',
# 'l'État belge', 'de Belgische federale overheid', 'der französische Staat'
NATIONAL_STATE = re.compile(
    r"\b(?:(?P<a>[A-Z][a-z]+) (?:State|Government|[Ff]ederal [Gg]overnment)"
    r"|[ÉE]tat (?P<b>[a-zàâçéèêëîïôûü]+)"
    r"|(?P<c>[A-Z][a-z]+e) (?:federale )?(?:overheid|[Ss]taat|regering)"
    r"|(?<=[Dd]er )(?P<d>[a-zäöü]+e) (?:Staat|Bundesregierung|Regierung))\b"
)

# A literal part of each branch of NATIONAL_STATE: a cheap test that it cannot match
NATIONAL_STATE_WORDS = re.compile("State|overnment|tat |overheid|taat|regering|egierung")


def national_state_candidates(text: str) -> list[Candidate]:
    out: list[Candidate] = []
    if not NATIONAL_STATE_WORDS.search(text):
        return out
    for m in NATIONAL_STATE.finditer(text):
        group = next(g for g in "abcd" if m.group(g))
        code = country_adjectives().get(fold(m.group(group)))
        if code:
            rule = "organisation.national_state"
            out.append(Candidate(m.start(), m.end(), rule, key=f"state:{code}", country=code))
    return out


def metropole_candidates(text: str) -> list[Candidate]:
    """Metropolitan authorities: one per city, however the page writes it."""
    out: list[Candidate] = []
    if not METROPOLE_STEM.search(text):
        return out
    for pattern in (METROPOLE_AFTER, METROPOLE_BEFORE):
        for m in pattern.finditer(text):
            city = m.group("city")
            if city in SENTENCE_STARTERS or fold(city) in ("european", "europeenne"):
                continue
            rule = "organisation.metropolitan_authority"
            out.append(Candidate(m.start(), m.end(), rule, key=metropole_key(city)))
    return out


def metropole_key(city: str) -> str:
    return "metropole:" + name_form(city).replace(" ", "-")


# ------------------------------------------------------------ public authorities

# Authority words written before the place: word -> whether it makes a name
# even when the gazetteer does not know the place ('Gemeente Zundert').
STRONG_AUTHORITY_WORDS = word_set(
    "Provincie Gemeente Provinz Landkreis Kreis Gemeinde Kanton Canton Freistaat "
    "Regierungspräsidium Département Région Province Municipality County Woiwodschaft "
    "Voivodeship Commune"
)
AUTHORITY_BEFORE = STRONG_AUTHORITY_WORDS | word_set(
    "Land Stadt City Town Region Regio Stad Ville State Landeshauptstadt Hansestadt Port Borough"
)
# English authority words name the body only with 'of': 'City of Aachen'
NEEDS_OF = word_set("Province Municipality County City Town State Port Borough Canton")
AUTHORITY_AFTER = word_set("Region Municipality Province County Kommune")
AUTHORITY_LINKS = re.compile(
    r"\s(?:(?:of the|of|de la|de l['’]|de|du|des|d['’]|van de|van het|van|von)\s?)?"
)
LOCATIVE_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:(?:in|im|ins|dans|within|across|throughout|binnen|innerhalb|in der|in den)"
    r"\s+(?:the\s+|la\s+|le\s+|l['’]|de\s+|het\s+)?|en\s+)$"
)
AGENT_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:by|door|par|steun van|support (?:of|from)|soutien (?:de|du)|"
    r"funded by|financed by|together with|samen met|avec|with)\s+"
    r"(?:the\s+|la\s+|le\s+|l['’]|de\s+|het\s+)?$"
)
STRONG_AGENT_BEFORE = re.compile(
    r"(?i)(?<!\w)(?:by|door|par|steun van|support (?:of|from)|soutien (?:de|du)|"
    r"funded by|financed by)\s+(?:the\s+|la\s+|le\s+|l['’]|de\s+|het\s+)?$"
)
TOWN_WORDS = folded_words("ville city town stad stadt")
FUNCTION_WORDS = folded_words(
    "with from into onto over under about between through door voor naar over onder tussen "
    "tegen zonder avec pour dans sous entre vers chez selon auprès durant mit für über unter "
    "zwischen durch gegen ohne nach beim vom zum zur sowie steun samen thanks dank grâce "
    "also aussi ook auch both beide deux zwei twee"
)
COORDINATION = re.compile(
    r"(?:\s*\([^()]{1,40}\))?\s*(?:,\s*(?:and\s+|et\s+|en\s+|und\s+)?|\s+(?:and|et|en|und|"
    r"sowie|as well as|ainsi que|or|ou|of|oder)\s+)"
)


def authority_candidates(page: Page, found: list[Candidate]) -> list[Candidate]:
    """'Provincie Zeeland', 'Région Grand Est', 'City of Aachen', 'Esbjerg
    Municipality': an authority word and a place, where the phrase names the
    body that acts rather than the place (see ``acts``)."""
    ws = page.words
    phrases: list[tuple[Candidate, bool]] = []  # (candidate, written as a proper name)
    for i, tok in enumerate(ws):
        word = tok.text[0].upper() + tok.text[1:]
        if word in AUTHORITY_BEFORE and i + 1 < len(ws):
            phrase = place_after(page, i, word)
            if phrase is not None:
                phrases.append((phrase, tok.capitalised))
        if tok.text in AUTHORITY_AFTER or (tok.text.lower() in {"region", "municipality"}):
            phrase = place_before(page, i)
            if phrase is not None:
                phrases.append((phrase, tok.capitalised))
    out = []
    taken = [(c.start, c.end) for c in found]
    for phrase, proper in phrases:
        if overlaps_any(phrase, page.blocked) or acts(page, phrase, proper, phrases, taken):
            out.append(phrase)
    return out


def place_after(page: Page, i: int, word: str) -> Candidate | None:
    text, ws = page.text, page.words
    if i > 0 and text[ws[i - 1].end : ws[i].start] == " ":
        previous = fold(ws[i - 1].text)
        if previous in country_adjectives() or (
            ws[i - 1].text.islower() and len(previous) > 3 and previous not in FUNCTION_WORDS
        ):
            return None  # 'the Belgian province of', 'die kreisfreie Stadt'
    if (
        i > 0
        and ws[i - 1].capitalised
        and ws[i].capitalised
        and text[ws[i - 1].end : ws[i].start] == " "
        and ws[i - 1].text not in SENTENCE_STARTERS
    ):
        return None  # inside a longer name ('Vlaamse Regio Stad')
    k = i + 1
    while k < len(ws) and (connector(ws[k]) and ws[k].text.lower() not in ("and", "en", "und")):
        k += 1
    if k >= len(ws):
        return None
    link = text[ws[i].end : ws[k].start]
    if not AUTHORITY_LINKS.fullmatch(link):
        return None
    if word in NEEDS_OF and not re.match(r"\s+(?:of|de|du|d['’]|des)\b", link):
        return None
    place = page.territory_at(ws[k].start)
    strong = word in STRONG_AUTHORITY_WORDS
    if place is not None:
        end = place.end
        key = authority_key(place)
        country = territory_country(place)
    elif strong and ws[k].text[0].isupper() and ws[k].text not in SENTENCE_STARTERS:
        if is_head(ws[k]) or fold(ws[k].text) in CONTACT_LABELS or ws[k].text.isupper():
            return None
        last = k
        while (
            last + 1 < len(ws)
            and text[ws[last].end : ws[last + 1].start] in ("-", " ")
            and ws[last + 1].capitalised
            and ws[last + 1].text not in SENTENCE_STARTERS
            and last - k < 2
        ):
            last += 1
        end, key, country = ws[last].end, None, None
    else:
        return None
    return Candidate(ws[i].start, end, "organisation.authority", key=key, country=country)


def place_before(page: Page, i: int) -> Candidate | None:
    text, ws = page.text, page.words
    if i == 0 or text[ws[i - 1].end : ws[i].start] != " ":
        return None
    place = page.territory_ending(ws[i - 1].end)
    if place is None or place.start > ws[i - 1].start:
        return None
    end = ws[i].end
    return Candidate(
        place.start,
        end,
        "organisation.authority",
        key=authority_key(place),
        country=territory_country(place),
    )


def authority_key(place: Mention) -> str | None:
    """One record per authority however it is written ('Province of Limburg',
    'Provincie Limburg'): the territory's code when the territory has one."""
    return f"authority:{place.key}" if place.key else None


def territory_country(place: Mention) -> str | None:
    return next((str(v.value) for v in place.values if v.field == "country_code"), None)


def acts(
    page: Page,
    phrase: Candidate,
    proper: bool,
    phrases: list[tuple[Candidate, bool]],
    taken: list[tuple[int, int]],
) -> bool:
    """Whether an authority phrase names the body rather than its territory.

    Not after a locative preposition ('im Kreis Borken'), not beside bare
    places in a list ('the Province of Liège, the Belgian province of
    Limburg, South Limburg'). Written in lower case ('de provincie
    Antwerpen') it names the body only after 'door', 'by', 'steun van' ... or
    in a list with another organisation.
    """
    if LOCATIVE_BEFORE.search(page.text, max(0, phrase.start - 40), phrase.start):
        return False
    siblings = list_siblings(page, phrase)
    if any(sibling_is_place(page, s, phrases) for s in siblings):
        return False
    if in_area_description(page, phrase, siblings, phrases):
        return False
    if proper:
        return True
    if fold(page.text[phrase.start : phrase.end].split()[0]) in TOWN_WORDS:
        # 'avec la ville de Mons', 'met de stad Gent': the town; 'door de stad Gent': the body
        return (
            STRONG_AGENT_BEFORE.search(page.text, max(0, phrase.start - 40), phrase.start)
            is not None
        )
    if agent_before(page, phrase.start):
        return True
    for s, e in siblings:
        if any(s < t_e and t_s < e for t_s, t_e in taken):
            return True
        for p, p_proper in phrases:
            beside = p is not phrase and p.start < e and s < p.end
            if beside and (p_proper or agent_before(page, p.start)):
                return True
    return False


AREA_CUE = re.compile(
    r"(?i)\b(?:area|areas|territory|territories|covers|covering|comprises|comprising|eligible|"
    r"districts|counties|Programmgebiet|Fördergebiet|Gebiet|Gebiete|umfasst|umfassen|Kreise|"
    r"Landkreise|Regionen|zone|territoire|périmètre|couvre|comprend|éligibles?|arrondissements|"
    r"départements|gebied|omvat|omvatten|bestrijkt|werkgebied|regio's)\b"
)
PARTNER_CUE = re.compile(
    r"(?i)\b(?:partners?|partenaires?|Partnern?|Projektpartner|members|membres|leden|Mitglieder|"
    r"signed|signé|ondertekend|unterzeichne\w*|funded|financé|gefinancierd|gefördert|"
    r"beneficiar(?:y|ies)|bénéficiaires?|begunstigden|Begünstigte|contact|Kontakt)\b"
)


def in_area_description(
    page: Page,
    phrase: Candidate,
    siblings: list[tuple[int, int]],
    phrases: list[tuple[Candidate, bool]],
) -> bool:
    """Authority phrases listed as the parts of an area ('Das Programmgebiet umfasst den
    Landkreis Kleve, den Kreis Borken ...', a list of districts under 'Eligible area')
    are territories: the words before the list speak of an area, or three or more such
    phrases stand together with no word of partners, members or funding around them."""
    text = page.text
    s_start, s_end = page.structure.sentence_at(phrase.start)
    lead_in = text[s_start : phrase.start]
    line = page.structure.line_at(phrase.start)
    if line.is_item:
        above = page.structure.previous_text_line(line)
        lead_in = (above.body if above else "") + " " + lead_in
    if PARTNER_CUE.search(lead_in) or agent_before(page, phrase.start):
        return False
    if AREA_CUE.search(lead_in):
        return True
    beside = sum(
        any(p is not phrase and p.start < e and s < p.end for p, _ in phrases) for s, e in siblings
    )
    return beside >= 2 and not PARTNER_CUE.search(text[s_start:s_end])


def agent_before(page: Page, start: int) -> bool:
    return AGENT_BEFORE.search(page.text, max(0, start - 40), start) is not None


def list_siblings(page: Page, phrase: Candidate) -> list[tuple[int, int]]:
    """Spans of the other items of the list a phrase stands in (same sentence)."""
    text = page.text
    s_start, s_end = page.structure.sentence_at(phrase.start)
    out: list[tuple[int, int]] = []
    pos = phrase.end
    while (m := COORDINATION.match(text, pos, s_end)) is not None:
        item = ITEM.match(text, m.end(), s_end)
        if item is None:
            break
        end = m.end() + len(SPLIT_ITEMS.split(item.group())[0].rstrip())
        if not list_item_like(text[m.end() : end]):
            break
        out.append((m.end(), end))
        pos = end
    pos = phrase.start
    while (m := COORDINATION_BEFORE.search(text, s_start, pos)) is not None:
        item = ITEM_BEFORE.search(text, s_start, m.start())
        if item is None:
            break
        start = item.end() - len(SPLIT_ITEMS.split(item.group())[-1].lstrip())
        if not list_item_like(text[start : m.start()]):
            break
        out.append((start, m.start()))
        pos = start
    return out


def list_item_like(item: str) -> bool:
    """A name in a list, not an address line or an apposition in lower case."""
    return not re.search(r"\d", item) and re.search(r"(?<![\w'’])[A-ZÀ-Ý]", item) is not None


ITEM = re.compile(r"[^,;:.()\n]{1,60}")
ITEM_BEFORE = re.compile(r"[^,;:.()\n]{1,60}$")
SPLIT_ITEMS = re.compile(r"\s+(?:and|et|en|und|sowie|or|ou|oder)\s+")
COORDINATION_BEFORE = re.compile(
    r"(?:,\s*|\s+(?:and|et|en|und|sowie)\s+)(?:the\s+|la\s+|le\s+|de\s+|het\s+|die\s+|"
    r"der\s+|l['’])?$"
)


def sibling_is_place(
    page: Page, span: tuple[int, int], phrases: list[tuple[Candidate, bool]]
) -> bool:
    """A list item that names a place: a bare territory, or a territory after
    lower-case words ('the Belgian province of Limburg', 'the Aachen region')."""
    start, end = span
    inside = [t for t in page.territories if start <= t.start and t.end <= end]
    if not inside or any(p.start < end and start < p.end for p, _ in phrases):
        return False
    lead = page.text[start : inside[0].start]
    words = [w for w in re.findall(r"[^\W\d_][\w'’-]*", lead) if fold(w) not in ARTICLES]
    if words and fold(words[0]) in PREPOSITIONS:
        return False  # 'à Besançon' says where, it is not an item of the list
    return len(words) <= 4 and all(w.islower() or fold(w) in country_adjectives() for w in words)


PREPOSITIONS = folded_words(
    "à au aux in im op at to bei te near from uit aus naar nach vers en dans with met mit avec "
    "by door par von van"
)


ARTICLES = folded_words("the la le les l' de het die der das den dem des a an un une een ein eine")


# ------------------------------------------------------------ roles and labels

ROLE_LABEL = re.compile(
    r"^(?:lead[- ]partner|leadpartner|partner|project partner|penvoerder|chef de file|"
    r"porteur(?: de projet)?|bénéficiaire(?: chef de file| principal)?|Projektträger|"
    r"federführender partner|coordinator|coordinateur|coördinator|koordinator|"
    r"managing authority|autorité de gestion|beheersautoriteit|verwaltungsbehörde|"
    r"lead beneficiary|begünstigter|(?:[\w-]+\s)?programm?e?\s?management|"
    r"regionales programmmanagement)\s*:?$",
    re.IGNORECASE,
)
INLINE_ROLE = re.compile(
    r"^(?:lead[- ]partner|leadpartner|penvoerder|chef de file|porteur de projet|"
    r"Projektträger|federführender partner|coordinator|coordinateur|coördinator|"
    r"managing authority|autorité de gestion|beheersautoriteit|verwaltungsbehörde|"
    r"lead beneficiary)\s*:\s+",
    re.IGNORECASE,
)
TOWN_AFTER = re.compile(r",\s+(?P<town>[A-ZÀ-Ý][\w'’.-]*(?:[ -][A-ZÀ-Ý(][\w'’.)-]*){0,2})\s*$")


def role_candidates(page: Page) -> list[Candidate]:
    """The value of a role label: 'Lead-Partner' above 'Name, Town', or
    'Projektträger: Name (ACR), Town'."""
    out = []
    lines = page.structure.lines
    for line in lines:
        body = line.body.strip()
        if not body:
            continue
        inline = INLINE_ROLE.match(body)
        if inline:
            start = line.body_start + (len(line.body) - len(line.body.lstrip())) + inline.end()
            found = member_name(page, start, line.end)
        elif ROLE_LABEL.match(body) and line.kind == "text":
            nxt = page.structure.next_content_line(line)
            if nxt is None or nxt.is_item:
                continue
            found = member_name(page, nxt.body_start, nxt.end)
        else:
            continue
        if found is None:
            continue
        start, end, country, acronym = found
        if not named_like_org(page, start, end):
            continue
        out.append(
            Candidate(start, end, "organisation.role", acronym=acronym, country=country, priority=1)
        )
    return out


def named_like_org(page: Page, start: int, end: int) -> bool:
    """Some sign that words are an organisation's name, not a person's."""
    ws = [w for w in page.words if start <= w.start < end]
    if not ws or not ws[0].capitalised:
        return False
    if any(fold(w.text) in PERSON_TITLES | CONTACT_LABELS for w in ws):
        return False
    return (
        any(is_head(w) or w.text in LEGAL_FORMS for w in ws)
        or any(w.text.isupper() and len(w.text) > 1 for w in ws)
        or any(page.territory_at(w.start) for w in ws[1:])
        or any(name_word_country(w.text) for w in ws)
        or len(ws) >= 4
    )


ABBREVIATED_END = re.compile(r"\b(?:\w\.){2,}$")


def trim_end(piece: str) -> str:
    """Punctuation after a name, but not the dot of 'e.V.' or 'U.A.'."""
    piece = piece.rstrip(" ,;")
    return piece if ABBREVIATED_END.search(piece) else piece.rstrip(" ,;.")


def member_name(
    page: Page, start: int, end: int
) -> tuple[int, int, str | None, tuple[int, int] | None] | None:
    """A member as written in a list or after a label: the name without its
    '(ACR)', '(BE)', '(Town, NL)', ', Town' or ' – role'.
    Returns (start, end, country, acronym span)."""
    text = page.text
    piece = text[start:end]
    dash = re.search(r"\s[–—-]\s", piece)
    if dash:
        piece = piece[: dash.start()]
    country = None
    acronym = None
    changed = True
    while changed:
        changed = False
        piece = trim_end(piece)
        bracket = re.search(r"\s*\((?P<inside>[^()]{1,40})\)$", piece)
        if bracket:
            inside = bracket.group("inside").strip()
            code = country_in_words(inside)
            if code:
                country = country or code
            elif re.fullmatch(r"[A-Z][A-Za-z0-9&+/-]{1,11}", inside) and looks_like_acronym(inside):
                a_start = start + bracket.start("inside")
                acronym = (a_start, a_start + len(inside))
            piece = piece[: bracket.start()]
            changed = True
            continue
        town = TOWN_AFTER.search(piece)
        if town and town.start() > 0:
            place = page.territory_at(start + town.start("town"))
            if place is not None or len(town.group("town").split()) == 1:
                if place is not None:
                    country = country or territory_country(place)
                piece = piece[: town.start()]
                changed = True
    name = trim_end(piece.strip())
    if not name or not name[0].isupper() or (len(name.split()) > 10 and "(" not in name):
        return None
    s = text.index(name, start)
    return s, s + len(name), country, acronym


# ------------------------------------------------------------ contact blocks


def contact_candidates(page: Page) -> list[Candidate]:
    """The name heading a contact block: the line above a phone, e-mail or address."""
    lines = page.structure.lines
    out = []
    for line in lines:
        body = line.body.strip()
        if line.kind == "blank" or not body or len(body) > 80 or contact_detail(body):
            continue
        following = [ln for ln in lines[line.index + 1 : line.index + 4] if ln.kind != "blank"]
        if not following or not contact_detail(following[0].body):
            continue
        words = [t for t in page.words if line.body_start <= t.start < line.end]
        words = words[: separator_index(page.text, words)]
        first = skip_labels(words, 0, len(words) - 1) if words else 0
        words = words[first:]
        if not words or not all(w.capitalised or connector(w) for w in words):
            continue
        if body.endswith((".", ",", ":")) or len(words) > 8:
            continue
        if not (
            any(is_head(w) for w in words)
            or any(name_word_country(w.text) or page.territory_at(w.start) for w in words)
            or any(w.text.isupper() and len(w.text) > 1 for w in words)
        ):
            continue  # two or three plain capitalised words are a person's name
        if any(fold(w.text) in PERSON_TITLES | CONTACT_LABELS for w in words):
            continue
        if len(words) == 1 and page.territory_at(words[0].start):
            continue
        country = address_country(page, following)
        out.append(
            Candidate(words[0].start, words[-1].end, "organisation.contact_block", country=country)
        )
    return out


def contact_detail(body: str) -> bool:
    """A phone number, e-mail or address line (CONTACT_NEXT). Every branch but
    the e-mail's needs a digit, so most lines are settled without the pattern."""
    return ("@" in body or DIGIT.search(body) is not None) and bool(CONTACT_NEXT.search(body))


DIGIT = re.compile(r"\d")


def separator_index(text: str, words: Sequence[Token]) -> int:
    """Words before 'Name - Street 7, 46483 Town' or 'Name | Phone': the name."""
    for k in range(1, len(words)):
        if text[words[k - 1].end : words[k].start] in SEPARATOR_GAPS and re.search(
            r"\d", text[words[k].start : words[-1].end]
        ):
            return k
    return len(words)


def address_country(page: Page, lines: Sequence[Line]) -> str | None:
    """The one country of the places named in the address lines under a name."""
    codes = set()
    for line in lines[:3]:
        start, end = line.start, line.end
        body = page.text[start:end]
        if re.match(r"\s*\d{4} ?[A-Z]{2}\s+[A-Z]", body):
            codes.add("NL")  # a Dutch postcode: '4331 BK Middelburg'
        if not POSTCODE_LINE.match(body):
            continue
        for t in page.territories:
            if start <= t.start < end:
                code = territory_country(t)
                if code:
                    codes.add(code)
        prefix = re.match(r"^\s*(?P<c>[A-Z])-\d{4,5}\s", body)
        if prefix and prefix.group("c") in POSTCODE_PREFIX:
            codes.add(POSTCODE_PREFIX[prefix.group("c")])
    return codes.pop() if len(codes) == 1 else None


POSTCODE_PREFIX = {"F": "FR", "D": "DE", "B": "BE", "L": "LU", "A": "AT"}
POSTCODE_LINE = re.compile(r"\s*(?:[A-Z]-)?\d{4,5}(?: ?[A-Z]{2})?\s+[A-ZÀ-Ý]")


# ------------------------------------------------------------ member lists


PARTNER_INTRO = FoldedPattern(
    re.compile(
        r"\b(?:partners?|partnership|partenaires?|partenariat|partnerschap|Partnerschaft|Partner|"
        r"Partnern|Projektpartner|projectpartners|consortium|"
        r"members|membres|leden|Mitglieder|beneficiaries|bénéficiaires|begunstigden|"
        r"Begünstigte)\b",
        re.IGNORECASE,
    )
)


def partner_list_candidates(page: Page) -> list[Candidate]:
    """Items of a list announced by 'Partners', 'De partners zijn:', 'Consortium'."""
    text, structure = page.text, page.structure
    out = []
    for line in structure.lines:
        body = line.body.strip()
        if line.kind != "text" or not PARTNER_INTRO.search(body):
            continue
        if not (body.endswith(":") or line.heading or len(body.split()) <= 3):
            continue
        for item in structure.items_after(line):
            split = split_item(item)
            start, end = split.name_start, split.name_end
            if ROLE_LABEL.match(text[start:end].strip()) and split.desc_start is not None:
                start, end = split.desc_start, split.desc_end or item.end
            elif split.desc_start is not None and text[split.name_end : split.desc_start].strip(
                " "
            ) in ("–", "—", "-"):
                end = split.name_end
            found = member_name(page, start, end)
            if found is None:
                continue
            s, e, country, acronym = found
            if "(" in text[s:e]:
                # 'Agency (MDK) of the Flemish Government (Belgium)': two names, one country
                if country:
                    page.item_countries.append((s, e, country))
                continue
            if any(t.start <= s and e <= t.end for t in page.territories):
                continue
            out.append(
                Candidate(
                    s, e, "organisation.partner_list", country=country, acronym=acronym, priority=1
                )
            )
    return out


def enumeration_candidates(page: Page, known: list[Candidate]) -> list[Candidate]:
    """Members named after 'consortium', 'partners', 'made up of' and the like."""
    text, toks = page.text, page.words
    known_spans = [(c.start, c.end) for c in known] + page.blocked
    out = []
    for start, end in page.structure.sentences:
        # searched within the page, not in a copy of the sentence: a sentence starts
        # after a space or at the start, so '\b' reads the same
        cue = ENUMERATION_CUE.search(text, start, end)
        if not cue:
            continue
        list_start = cue.end()
        segments = re.split(
            r",\s+(?:and\s+|et\s+|en\s+|und\s+)?|\s+(?:and|et|en|und)\s+", text[list_start:end]
        )
        offset = list_start
        members = []
        for segment in segments:
            seg_start = text.index(segment, offset) if segment else offset
            offset = seg_start + len(segment)
            suffix = re.search(r"\s*\((?P<c>[^()]{2,40})\)\s*$", segment)
            named_country = country_in_words(suffix.group("c")) if suffix else None
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
            if any(s < p_end and p_start < e for s, e in known_spans):
                continue
            if any(t.start <= p_start and words[-1].end <= t.end for t in page.territories):
                continue  # a place, not a member
            if all(place_country(w.text) for w in words):
                continue
            members.append(
                Candidate(p_start, words[-1].end, "organisation.member_list", country=named_country)
            )
        if members:
            lead_in = text[cue.start() : members[0].start]
            codes = sorted({c for w in re.findall(r"\w+", lead_in) if (c := place_country(w))})
            for member in members:
                member.country = member.country or (codes[0] if len(codes) == 1 else None)
            out += members
    return out


def together_candidates(page: Page, known: list[Candidate]) -> list[Candidate]:
    """Bodies named as co-workers: 'samen met VDAB en UWV', 'together with Leiedal'.

    Acronyms after any cue; a one-word name beside an acronym, or alone after
    an English, French or Dutch cue (German capitalises every noun, and a bare
    'met' is too common). Places and people are left out."""
    text = page.text
    spans = [(c.start, c.end) for c in known] + page.blocked
    out = []
    for m in TOGETHER_WITH.finditer(text) if TOGETHER_CUE_END.search(text) else ():
        found = [
            (m.start("list") + a.start(), a.group())
            for a in re.finditer(r"[A-Z][\w&-]*", m.group("list"))
        ]
        acronyms = [w for _, w in found if is_org_acronym(w)]
        cue = m.group("cue").lower()
        # after a bare 'met' or a German cue, a one-word name only beside an acronym
        needs_acronym = cue == "met" or cue in GERMAN_CUES
        for s, word in found:
            if any(o_s <= s < o_e for o_s, o_e in spans) or page.territory_at(s):
                continue
            if is_org_acronym(word):
                acronym: tuple[int, int] | None = (s, s + len(word))
            elif one_word_name(page, s, word) and (acronyms or not needs_acronym):
                acronym = None
            else:
                continue
            out.append(Candidate(s, s + len(word), "organisation.named_with", acronym=acronym))
    return out


def is_org_acronym(word: str) -> bool:
    return (
        re.fullmatch(r"[A-Z][A-Z0-9&]{2,7}", word) is not None
        and word not in NOT_ORG_ACRONYMS
        and not iso_code(word)
    )


def one_word_name(page: Page, start: int, word: str) -> bool:
    """A capitalised word standing alone as a name: not a place, a country
    word, a sentence starter or part of a longer capitalised run."""
    after = page.text[start + len(word) : start + len(word) + 2]
    if len(word) < 4 or word in SENTENCE_STARTERS or re.match(r" [A-Z]", after):
        return False
    if (
        place_country(word)
        or fold(word) in country_adjectives()
        or is_place_name(page, start, start + len(word))
    ):
        return False
    return fold(word) not in GENERIC_ORG_WORDS | CONTACT_LABELS


# ------------------------------------------------------------ acronyms


def acronym_candidates(
    text: str, found: list[Candidate], blocked: list[tuple[int, int]]
) -> list[Candidate]:
    """Bare acronyms that stand for an organisation of the page."""
    defined: dict[str, Candidate] = {}
    for c in found:
        m = ACRONYM_PARENS.match(text, c.end)
        if m and looks_like_acronym(m.group("acr")) and c.acronym is None:
            c.acronym = (m.start("acr"), m.end("acr"))
        if c.acronym:
            defined.setdefault(text[c.acronym[0] : c.acronym[1]], c)
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
    occupied += [c.acronym for c in found if c.acronym]
    for m in ACRONYM_WORD.finditer(text):
        acr = m.group()
        if acr in NOT_ORG_ACRONYMS or iso_code(acr) or any(s <= m.start() < e for s, e in occupied):
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
        if acr in NOT_ORG_ACRONYMS or iso_code(acr) or any(o_s <= s < o_e for o_s, o_e in occupied):
            continue
        if acr in defined or acr in initials:
            continue
        out.append(
            Candidate(s, s + len(acr), "organisation.acting_acronym", acronym=(s, s + len(acr)))
        )
    return out


def looks_like_acronym(word: str) -> bool:
    """'ORES', 'CeA', 'SPW/DG06'; not '(BE)', '(Denmark)' or '(Saale)'."""
    return sum(c.isupper() for c in word) >= 2 and not country_in_words(word)


def share_bracket_aliases(text: str, chosen: list[Candidate]) -> None:
    """'Hauts-de-France Region (Région Hauts-de-France)': one body, two names."""
    for a, b in itertools.pairwise(chosen):
        between = text[a.end : b.start]
        if re.fullmatch(r"\s?\(", between) and text[b.end : b.end + 1] == ")":
            key = a.key or b.key or f"name:{name_form(text[a.start : a.end])}"
            a.key = b.key = key
            a.country = a.country or b.country
            b.country = b.country or a.country


# ------------------------------------------------------------ mentions


def to_mention(ctx: Context, page: Page, c: Candidate) -> Mention:
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
    country = None if cross_border(page, c) else c.country or country_of(page, c)
    if country:
        m.add("country_code", country, c.start, c.end, "organisation.country_from_name")
    return m


CROSS_BORDER_WORDS = folded_words(
    "EGTC GECT EVTZ EGTS Euregio Euroregion Euregion Eurodistrict Eurodistrikt Eurometropole "
    "Eurométropole Eurometropolis Eurode"
)


def cross_border(page: Page, c: Candidate) -> bool:
    """Groupings across a border (EGTCs, Euregios) belong to no one country."""
    if any(fold(w.text) in CROSS_BORDER_WORDS for w in tokens(page.text[c.start : c.end])):
        return True
    return any(
        t.start <= c.start
        and c.end <= t.end
        and any(v.field == "type" and v.value == "cross-border-area" for v in t.values)
        for t in page.territories
    )


def country_of(page: Page, c: Candidate) -> str | None:
    """The one country the name, its legal form, an adjective before it or
    the town after it ('uit Gent', 'aus Freiburg') points to."""
    if c.key and c.key.startswith("ref:"):
        return None  # EU institutions belong to no country
    text = page.text
    inside = [t for t in page.territories if c.start <= t.start and t.end <= c.end]
    codes = {code for t in inside if (code := territory_country(t))}
    for tok in tokens(text[c.start : c.end]):
        for part in re.split(r"[-/]", tok.text):
            code = name_word_country(part) if part else None
            if code:
                codes.add(code)
        form = COUNTRY_OF_FORM.get(fold(tok.text))
        if form:
            codes.add(form)
    if len(codes) == 1:
        return codes.pop()
    if codes:
        return None
    for s, e, code in page.item_countries:
        if s <= c.start and c.end <= e:
            return code
    before = re.search(r"([^\W\d_]+)\s+$", text[max(0, c.start - 30) : c.start])
    if before and fold(before.group(1)) in country_adjectives():
        return country_adjectives()[fold(before.group(1))]
    after = re.match(r"\s+(?:uit|aus|from|based in|de|van)\s+", text[c.end : c.end + 20])
    if after:
        place = page.territory_at(c.end + after.end())
        if place is not None:
            return territory_country(place)
    line = page.structure.line_at(c.start)
    if line.body.strip() == text[c.start : c.end]:
        return address_country(page, page.structure.lines[line.index + 1 : line.index + 4])
    return None


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
