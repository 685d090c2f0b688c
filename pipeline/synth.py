"""A deterministic corpus of synthetic web pages, so that scale can be measured.

``python -m pipeline synth --docs 10000 --out DIR --seed S`` writes pages of
the layouts met in real captures (programme pages with coded objectives and
numbered actions, project lists written 'NAME: description', project fact
sheets, eligible-area lists, news items, organisation pages), in English,
French, Dutch and German, as plain-text captures or as HTML with navigation,
cookie banner, scripts and footer. Programmes, objectives and regions come
from the reference data in ``pipeline/reference/``; project and organisation
names are invented by a seeded generator. Each page has its own random
generator seeded from (seed, index): the same seed gives a byte-identical
corpus, and the first N pages of a larger corpus are the N-page corpus.
"""

from __future__ import annotations

import argparse
import hashlib
import html
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from pipeline.reference_files import read_reference

# Page kinds and how often each appears in a crawl of programme websites.
KIND_WEIGHTS = {
    "programme": 15,
    "projects": 20,
    "project": 25,
    "area": 10,
    "news": 20,
    "organisation": 10,
}
LANGUAGE_WEIGHTS = {"en": 30, "fr": 25, "nl": 20, "de": 25}
HTML_SHARE = 0.5
# Older sites still serve Windows-1252; a crawl also meets the same page twice.
LEGACY_ENCODING_SHARE = 0.04
DUPLICATE_SHARE = 0.005
COUNTRY_LANGUAGES = {
    "FR": ("fr",),
    "BE": ("fr", "nl"),
    "NL": ("nl",),
    "DE": ("de",),
    "AT": ("de",),
    "CH": ("de", "fr"),
    "LU": ("fr", "de"),
    "LI": ("de",),
}

# ------------------------------------------------------------ reference data


@dataclass(frozen=True)
class Programme:
    name: str
    aliases: tuple[str, ...]
    countries: tuple[str, ...]


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    country: str


@cache
def programmes() -> tuple[Programme, ...]:
    out = []
    for row in read_reference("interreg_programmes_2021_2027.csv"):
        countries = tuple(c for c in row["countries"].split(";") if c)
        aliases = tuple(a for a in row["aliases"].split("|") if a)
        out.append(Programme(row["name"], aliases, countries))
    return tuple(sorted(out, key=lambda p: p.name))


@cache
def regions_by_country() -> dict[str, tuple[Region, ...]]:
    found: dict[str, list[Region]] = {}
    for row in read_reference("nuts2021.csv"):
        if row["level"] not in ("2", "3") or "Extra-Regio" in row["name_latin"]:
            continue
        region = Region(row["nuts_code"], row["name_latin"], row["country_code"])
        found.setdefault(region.country, []).append(region)
    return {c: tuple(sorted(rs, key=lambda r: r.code)) for c, rs in sorted(found.items())}


@cache
def specific_objectives() -> tuple[tuple[str, str, str], ...]:
    """(code, policy objective, English title) of every 2021-2027 specific objective."""
    rows = read_reference("specific_objectives_2021_2027.csv")
    return tuple(sorted((r["code"], r["policy_objective"], r["title"]) for r in rows))


def city_of(region: Region) -> str:
    """A place name from a NUTS label: 'Arr. Kortrijk' -> 'Kortrijk'."""
    name = region.name.split("/")[0].split(" — ")[0].split(",")[0]
    return name.removeprefix("Arr. ").removeprefix("Arrondissement ").strip()


# ------------------------------------------------------------ vocabulary

WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "theme": (
            "renewable energy",
            "cross-border health care",
            "climate adaptation",
            "the circular economy",
            "sustainable tourism",
            "digital skills",
            "water management",
            "SME innovation",
            "public transport",
            "biodiversity",
            "vocational training",
            "the social economy",
            "smart agriculture",
            "cultural heritage",
        ),
        "verb": ("Support", "Develop", "Strengthen", "Promote", "Encourage", "Improve"),
        "noun": ("network", "platform", "lab", "alliance", "observatory", "pilot", "hub"),
        "sentence": (
            "The partners from {country_a} and {country_b} work together on {theme}.",
            "{programme} co-finances the project with the European Regional Development Fund.",
            "The project tests new solutions for {theme} in {city} and the surrounding area.",
            "More than {n} organisations take part in the activities around {theme}.",
            "Results will be shared with public authorities across the border region.",
            "A joint action plan on {theme} will be adopted by the end of the project.",
            "Residents of {city} will benefit from better services and new jobs.",
            "The cooperation builds on earlier work on {theme} in {region}.",
        ),
        "label": (
            "Programme",
            "Priority",
            "Specific objective",
            "Duration",
            "Total budget",
            "ERDF contribution",
            "Lead partner",
            "Partners",
        ),
        "heading": (
            "Programme priorities",
            "Eligible area",
            "Approved projects",
            "News",
            "About us",
            "Our projects",
            "Budget",
        ),
        "area_intro": ("The programme area covers the following regions:",),
        "projects_intro": (
            "The following projects have been approved by the monitoring committee:",
        ),
        "month": (
            "January",
            "February",
            "March",
            "April",
            "May",
            "June",
            "July",
            "August",
            "September",
            "October",
            "November",
            "December",
        ),
        "org": (
            "University of {city}",
            "{city} City Council",
            "{city} Chamber of Commerce",
            "{city} Regional Development Agency",
            "{city} Hospital Trust",
        ),
        "nav": ("Home", "The programme", "Projects", "Calls", "News", "Contact"),
        "furniture": ("Skip to main content", "Share this page", "Back to top"),
        "policy": (
            "A more competitive and smarter Europe",
            "A greener, low-carbon Europe",
            "A more connected Europe",
            "A more social and inclusive Europe",
            "A Europe closer to citizens",
            "A better cooperation governance",
            "A safer and more secure Europe",
        ),
        "published": ("Published on",),
        "org_intro": ("{org} is based in {city} and works with partners in {region}.",),
    },
    "fr": {
        "theme": (
            "les énergies renouvelables",
            "la santé transfrontalière",
            "l'adaptation au changement climatique",
            "l'économie circulaire",
            "le tourisme durable",
            "les compétences numériques",
            "la gestion de l'eau",
            "l'innovation dans les PME",
            "les transports publics",
            "la biodiversité",
            "la formation professionnelle",
            "l'économie sociale",
            "le patrimoine culturel",
        ),
        "verb": ("Soutenir", "Développer", "Renforcer", "Promouvoir", "Encourager", "Améliorer"),
        "noun": ("réseau", "plateforme", "laboratoire", "alliance", "observatoire", "pôle"),
        "sentence": (
            "Les partenaires de {country_a} et de {country_b} coopèrent sur {theme}.",
            "Le programme {programme} cofinance le projet avec le FEDER.",
            "Le projet teste de nouvelles solutions pour {theme} à {city} et dans ses environs.",
            "Plus de {n} organisations participent aux actions consacrées à {theme}.",
            "Les résultats seront partagés avec les autorités publiques de part et d'autre de "
            "la frontière.",
            "Un plan d'action commun sur {theme} sera adopté à la fin du projet.",
            "Les habitants de {city} bénéficieront de meilleurs services et de nouveaux emplois.",
            "La coopération s'appuie sur des travaux antérieurs menés en {region}.",
        ),
        "label": (
            "Programme",
            "Priorité",
            "Objectif spécifique",
            "Durée",
            "Budget total",
            "Contribution FEDER",
            "Chef de file",
            "Partenaires",
        ),
        "heading": (
            "Priorités du programme",
            "Zone éligible",
            "Projets programmés",
            "Actualités",
            "Qui sommes-nous ?",
            "Nos projets",
            "Budget",
        ),
        "area_intro": ("La zone de coopération comprend les territoires suivants :",),
        "projects_intro": ("Les projets suivants ont été approuvés par le comité de suivi :",),
        "month": (
            "janvier",
            "février",
            "mars",
            "avril",
            "mai",
            "juin",
            "juillet",
            "août",
            "septembre",
            "octobre",
            "novembre",
            "décembre",
        ),
        "org": (
            "Université de {city}",
            "Ville de {city}",
            "Chambre de commerce et d'industrie de {city}",
            "Agence de développement économique de {city}",
            "Centre hospitalier de {city}",
        ),
        "nav": ("Accueil", "Le programme", "Projets", "Appels à projets", "Actualités", "Contact"),
        "furniture": ("Aller au contenu principal", "Partager cet article", "Haut de page"),
        "policy": (
            "Une Europe plus compétitive et plus intelligente",
            "Une Europe plus verte",
            "Une Europe plus connectée",
            "Une Europe plus sociale et inclusive",
            "Une Europe plus proche des citoyens",
            "Une meilleure gouvernance de la coopération",
            "Une Europe plus sûre",
        ),
        "published": ("Publié le",),
        "org_intro": (
            "{org} est installé à {city} et travaille avec des partenaires en {region}.",
        ),
    },
    "nl": {
        "theme": (
            "hernieuwbare energie",
            "grensoverschrijdende zorg",
            "klimaatadaptatie",
            "de circulaire economie",
            "duurzaam toerisme",
            "digitale vaardigheden",
            "waterbeheer",
            "innovatie in het mkb",
            "openbaar vervoer",
            "biodiversiteit",
            "beroepsopleiding",
            "de sociale economie",
            "cultureel erfgoed",
        ),
        "verb": ("Ondersteunen van", "Ontwikkelen van", "Versterken van", "Bevorderen van"),
        "noun": ("netwerk", "platform", "lab", "alliantie", "observatorium", "proeftuin"),
        "sentence": (
            "De partners uit {country_a} en {country_b} werken samen aan {theme}.",
            "{programme} cofinanciert het project met middelen uit het EFRO.",
            "Het project test nieuwe oplossingen voor {theme} in {city} en omgeving.",
            "Meer dan {n} organisaties nemen deel aan de activiteiten rond {theme}.",
            "De resultaten worden gedeeld met de overheden in de hele grensregio.",
            "Aan het einde van het project wordt een gezamenlijk actieplan vastgesteld.",
            "Inwoners van {city} profiteren van betere diensten en nieuwe banen.",
            "De samenwerking bouwt voort op eerder werk in {region}.",
        ),
        "label": (
            "Programma",
            "Prioriteit",
            "Specifieke doelstelling",
            "Looptijd",
            "Totaal budget",
            "EFRO-bijdrage",
            "Hoofdpartner",
            "Partners",
        ),
        "heading": (
            "Prioriteiten van het programma",
            "Programmagebied",
            "Goedgekeurde projecten",
            "Nieuws",
            "Over ons",
            "Onze projecten",
            "Budget",
        ),
        "area_intro": ("Het programmagebied omvat de volgende regio's:",),
        "projects_intro": ("De volgende projecten zijn goedgekeurd door het comité van toezicht:",),
        "month": (
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ),
        "org": (
            "Gemeente {city}",
            "Universiteit {city}",
            "Hogeschool {city}",
            "Kamer van Koophandel {city}",
            "Ziekenhuis {city}",
        ),
        "nav": ("Home", "Het programma", "Projecten", "Oproepen", "Nieuws", "Contact"),
        "furniture": ("Naar hoofdinhoud", "Delen", "Terug naar boven"),
        "policy": (
            "Een competitiever en slimmer Europa",
            "Een groener Europa",
            "Een meer verbonden Europa",
            "Een socialer en inclusiever Europa",
            "Een Europa dichter bij de burger",
            "Beter bestuur van de samenwerking",
            "Een veiliger Europa",
        ),
        "published": ("Gepubliceerd op",),
        "org_intro": ("{org} is gevestigd in {city} en werkt samen met partners in {region}.",),
    },
    "de": {
        "theme": (
            "erneuerbare Energien",
            "grenzüberschreitende Gesundheitsversorgung",
            "die Anpassung an den Klimawandel",
            "die Kreislaufwirtschaft",
            "nachhaltigen Tourismus",
            "digitale Kompetenzen",
            "das Wassermanagement",
            "Innovation in KMU",
            "den öffentlichen Nahverkehr",
            "die Biodiversität",
            "die berufliche Bildung",
            "die Sozialwirtschaft",
            "das kulturelle Erbe",
        ),
        "verb": ("Unterstützung für", "Entwicklung von", "Stärkung von", "Förderung von"),
        "noun": ("Netzwerk", "Plattform", "Labor", "Allianz", "Observatorium", "Reallabor"),
        "sentence": (
            "Die Partner aus {country_a} und {country_b} arbeiten gemeinsam an {theme}.",
            "{programme} kofinanziert das Projekt aus Mitteln des EFRE.",
            "Das Projekt erprobt neue Lösungen für {theme} in {city} und Umgebung.",
            "Mehr als {n} Einrichtungen beteiligen sich an den Aktivitäten rund um {theme}.",
            "Die Ergebnisse werden mit den Behörden im gesamten Grenzraum geteilt.",
            "Ein gemeinsamer Aktionsplan wird zum Ende des Projekts verabschiedet.",
            "Die Menschen in {city} profitieren von besseren Angeboten und neuen Arbeitsplätzen.",
            "Die Zusammenarbeit baut auf früheren Arbeiten in {region} auf.",
        ),
        "label": (
            "Programm",
            "Priorität",
            "Spezifisches Ziel",
            "Laufzeit",
            "Gesamtkosten",
            "EFRE-Förderung",
            "Lead-Partner",
            "Projektpartner",
        ),
        "heading": (
            "Prioritäten des Programms",
            "Fördergebiet",
            "Genehmigte Projekte",
            "Aktuelles",
            "Über uns",
            "Unsere Projekte",
            "Budget",
        ),
        "area_intro": ("Das Fördergebiet umfasst die folgenden Regionen:",),
        "projects_intro": ("Der Begleitausschuss hat die folgenden Projekte genehmigt:",),
        "month": (
            "Januar",
            "Februar",
            "März",
            "April",
            "Mai",
            "Juni",
            "Juli",
            "August",
            "September",
            "Oktober",
            "November",
            "Dezember",
        ),
        "org": (
            "Stadt {city}",
            "Universität {city}",
            "Hochschule {city}",
            "Industrie- und Handelskammer {city}",
            "Klinikum {city}",
        ),
        "nav": ("Startseite", "Das Programm", "Projekte", "Förderung", "Aktuelles", "Kontakt"),
        "furniture": ("Zum Inhalt springen", "Teilen", "Nach oben"),
        "policy": (
            "Ein wettbewerbsfähigeres und intelligenteres Europa",
            "Ein grüneres Europa",
            "Ein stärker vernetztes Europa",
            "Ein sozialeres und inklusiveres Europa",
            "Ein bürgernäheres Europa",
            "Eine bessere Governance der Zusammenarbeit",
            "Ein sichereres Europa",
        ),
        "published": ("Veröffentlicht am",),
        "org_intro": ("{org} hat seinen Sitz in {city} und arbeitet mit Partnern in {region}.",),
    },
}
COUNTRY_NAMES = {
    "en": {"FR": "France", "BE": "Belgium", "NL": "the Netherlands", "DE": "Germany"},
    "fr": {"FR": "France", "BE": "Belgique", "NL": "Pays-Bas", "DE": "Allemagne"},
    "nl": {"FR": "Frankrijk", "BE": "België", "NL": "Nederland", "DE": "Duitsland"},
    "de": {"FR": "Frankreich", "BE": "Belgien", "NL": "den Niederlanden", "DE": "Deutschland"},
}
BACKGROUND = {"en": "Background", "fr": "Contexte", "nl": "Achtergrond", "de": "Hintergrund"}
POLICY_INDEX = {"PO1": 0, "PO2": 1, "PO3": 2, "PO4": 3, "PO5": 4, "ISO1": 5, "ISO2": 6}
LEGAL_FORMS = ("GmbH", "SA", "BV", "NV", "SRL", "asbl", "vzw", "e.V.", "SAS", "Ltd")
SYLLABLES = (
    "ba",
    "ber",
    "bri",
    "ca",
    "cor",
    "da",
    "del",
    "dor",
    "en",
    "fa",
    "fel",
    "gar",
    "hel",
    "in",
    "is",
    "ka",
    "kel",
    "lan",
    "lio",
    "ma",
    "mar",
    "mer",
    "na",
    "nor",
    "o",
    "pa",
    "per",
    "ra",
    "rin",
    "ro",
    "sa",
    "sel",
    "sol",
    "ta",
    "ter",
    "tri",
    "u",
    "va",
    "vel",
    "vi",
    "xa",
    "zen",
)


# ------------------------------------------------------------ page model

# A page is a list of blocks: ("h1"|"h2"|"h3"|"p", text), ("ul"|"ol", [items]),
# ("dl", [(label, value)]); rendered as a plain-text capture or as HTML.
Block = tuple[str, Any]


@dataclass
class Page:
    title: str
    language: str
    blocks: list[Block]
    site: str


class Writer:
    """Draws the words of one page from its own random generator."""

    def __init__(self, rng: random.Random, language: str, programme: Programme):
        self.rng = rng
        self.lang = language
        self.words = WORDS[language]
        self.programme = programme
        regions: list[Region] = []
        for country in programme.countries:
            regions.extend(regions_by_country().get(country, ()))
        self.regions = regions or list(regions_by_country()["BE"])

    def pick(self, key: str) -> str:
        return self.rng.choice(self.words[key])

    def programme_name(self) -> str:
        return self.rng.choice((self.programme.name, *self.programme.aliases))

    def region(self) -> Region:
        return self.rng.choice(self.regions)

    def city(self) -> str:
        return city_of(self.region())

    def country_name(self) -> str:
        names = COUNTRY_NAMES.get(self.lang, COUNTRY_NAMES["en"])
        return names.get(self.rng.choice(sorted(names)), "Europe")

    def sentence(self) -> str:
        return self.pick("sentence").format(
            country_a=self.country_name(),
            country_b=self.country_name(),
            theme=self.pick("theme"),
            programme=self.programme_name(),
            city=self.city(),
            region=self.region().name.split("/")[0],
            n=self.rng.randint(5, 120),
        )

    def paragraph(self, low: int = 2, high: int = 5) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(low, high)))

    def invented_word(self, low: int = 2, high: int = 3) -> str:
        return "".join(self.rng.choice(SYLLABLES) for _ in range(self.rng.randint(low, high)))

    def acronym(self) -> str:
        return self.invented_word().upper()

    def project_title(self) -> str:
        noun, theme = self.pick("noun"), self.pick("theme")
        joiner = {"en": "for", "fr": "pour", "nl": "voor", "de": "für"}[self.lang]
        return f"{noun.capitalize()} {joiner} {theme}"

    def organisation(self) -> str:
        if self.rng.random() < 0.35:
            return f"{self.invented_word().capitalize()} {self.rng.choice(LEGAL_FORMS)}"
        return self.pick("org").format(city=self.city())

    def money(self) -> str:
        amount = self.rng.randint(200, 90000) * 1000
        millions = f"{amount / 1e6:.1f}"
        style = self.rng.random() < 0.5
        if self.lang == "en":
            return f"EUR {millions} million" if style else f"€{amount:,}"
        grouped = f"{amount:,}".replace(",", "." if self.lang in ("de", "nl") else " ")
        million_word = {"fr": "M€", "nl": "miljoen euro", "de": "Mio. Euro"}[self.lang]
        decimal = millions.replace(".", ",")
        return f"{decimal} {million_word}" if style else f"{grouped} €"

    def date(self) -> str:
        year = self.rng.randint(2021, 2026)
        day, month = self.rng.randint(1, 28), self.rng.randint(1, 12)
        name = self.words["month"][month - 1]
        return f"{name} {day}, {year}" if self.lang == "en" else f"{day} {name} {year}"

    def objective_code(self) -> tuple[str, str, str]:
        code, policy, title = self.rng.choice(specific_objectives())
        letters, number = code[:3], code[3:]
        written = self.rng.choice((f"{letters} {number}", code))
        if self.lang != "en" and self.rng.random() < 0.6:
            title = f"{self.pick('verb')} {self.pick('theme')}"
        return written, policy, title


# ------------------------------------------------------------ page kinds


def programme_page(w: Writer) -> Page:
    name = w.programme_name()
    blocks: list[Block] = [("h1", name), ("p", w.paragraph(3, 6))]
    budget_label = w.words["label"][5]
    blocks.append(("p", f"{budget_label}: {w.money()}"))
    blocks.append(("h2", w.words["heading"][0]))
    used: set[str] = set()
    for n in range(1, w.rng.randint(3, 5) + 1):
        code, policy, title = w.objective_code()
        if code in used:
            continue
        used.add(code)
        priority = w.words["policy"][POLICY_INDEX.get(policy, 0)]
        blocks.append(("h3", f"{w.words['label'][1]} {n} – {priority}"))
        blocks.append(("p", f"{code} {title}"))
        actions = [
            f"{w.pick('verb')} {w.pick('theme')} ({w.city()})" for _ in range(w.rng.randint(3, 6))
        ]
        blocks.append(("ol", actions))
    blocks.append(("h2", w.words["heading"][1]))
    blocks.append(("ul", sorted({w.region().name for _ in range(w.rng.randint(4, 10))})))
    return Page(name, w.lang, blocks, name)


def project_list_page(w: Writer) -> Page:
    programme = w.programme_name()
    heading = f"{w.words['heading'][2]} – {programme}"
    items = [
        f"{w.acronym()}: {w.project_title()}. {w.sentence()}" for _ in range(w.rng.randint(8, 22))
    ]
    blocks: list[Block] = [
        ("h1", heading),
        ("p", w.paragraph(1, 3)),
        ("p", w.pick("projects_intro")),
        ("ul", items),
    ]
    return Page(heading, w.lang, blocks, programme)


def project_page(w: Writer) -> Page:
    acronym = w.acronym()
    title = f"{acronym} – {w.project_title()}"
    labels = w.words["label"]
    code, policy, objective = w.objective_code()
    start = w.rng.randint(2022, 2025)
    lead = w.organisation()
    facts = [
        (labels[0], w.programme_name()),
        (labels[1], w.words["policy"][POLICY_INDEX.get(policy, 0)]),
        (labels[2], f"{code} – {objective}"),
        (labels[3], f"01.0{w.rng.randint(1, 9)}.{start} – 31.12.{start + w.rng.randint(2, 4)}"),
        (labels[4], w.money()),
        (labels[5], w.money()),
        (labels[6], f"{lead}, {w.city()}"),
    ]
    partners = [
        f"{w.organisation()} ({w.rng.choice(w.programme.countries or ('BE',))})"
        for _ in range(w.rng.randint(3, 8))
    ]
    blocks: list[Block] = [
        ("h1", title),
        ("p", w.paragraph(2, 4)),
        ("p", w.paragraph(2, 4)),
        ("dl", facts),
        ("h2", labels[7]),
        ("ul", partners),
    ]
    return Page(title, w.lang, blocks, w.programme.name)


def area_page(w: Writer) -> Page:
    programme = w.programme_name()
    heading = f"{w.words['heading'][1]} – {programme}"
    chosen = sorted({w.region() for _ in range(w.rng.randint(10, 35))}, key=lambda r: r.code)
    with_codes = w.rng.random() < 0.5
    items = [f"{r.name} ({r.code})" if with_codes else r.name for r in chosen]
    blocks: list[Block] = [
        ("h1", heading),
        ("p", w.pick("area_intro")),
        ("ul", items),
        ("p", w.paragraph(1, 3)),
    ]
    return Page(heading, w.lang, blocks, programme)


def news_page(w: Writer) -> Page:
    acronym = w.acronym()
    headline = f"{acronym}: {w.project_title()} – {w.city()}"
    blocks: list[Block] = [
        ("h1", headline),
        ("p", f"{w.pick('published')} {w.date()}"),
        ("p", f"{w.organisation()} – {w.sentence()} {w.paragraph(1, 3)}"),
        ("p", w.paragraph(2, 5)),
        ("p", f"{w.programme_name()}: {w.money()}. {w.sentence()}"),
        ("p", w.paragraph(1, 4)),
    ]
    return Page(headline, w.lang, blocks, w.programme.name)


def organisation_page(w: Writer) -> Page:
    org = w.organisation()
    intro = w.pick("org_intro").format(org=org, city=w.city(), region=w.region().name)
    projects = [f"{w.acronym()} – {w.project_title()}" for _ in range(w.rng.randint(2, 6))]
    blocks: list[Block] = [
        ("h1", org),
        ("p", f"{intro} {w.paragraph(2, 4)}"),
        ("h2", w.words["heading"][5]),
        ("ul", projects),
        ("p", f"{w.programme_name()} – {w.paragraph(1, 2)}"),
    ]
    return Page(org, w.lang, blocks, org)


PAGE_KINDS: dict[str, Callable[[Writer], Page]] = {
    "programme": programme_page,
    "projects": project_list_page,
    "project": project_page,
    "area": area_page,
    "news": news_page,
    "organisation": organisation_page,
}


# ------------------------------------------------------------ rendering


def render_text(page: Page, w: Writer) -> str:
    """A plain-text capture: site furniture, indented bullets, blank lines."""
    nav, furniture = w.words["nav"], w.words["furniture"]
    lines = [furniture[0], page.site, *nav, ""]
    for kind, content in page.blocks:
        if kind in ("h1", "h2", "h3", "p"):
            lines += [str(content), ""]
        elif kind in ("ul", "ol"):
            for n, item in enumerate(content, 1):
                marker = f"{n}." if kind == "ol" else "•"
                lines.append(f"  {marker} {item}")
            lines.append("")
        elif kind == "dl":
            lines += [f"{label}: {value}" for label, value in content]
            lines.append("")
    lines += [furniture[1], furniture[2], f"© {w.rng.randint(2021, 2025)} {page.site}", ""]
    return "\n".join(lines)


def render_html(page: Page, w: Writer, charset: str) -> str:
    """An HTML page with head, scripts, cookie banner, navigation and footer."""
    e = html.escape
    nav = "".join(
        f'<li><a href="/{n}">{e(label)}</a></li>' for n, label in enumerate(w.words["nav"])
    )
    body: list[str] = []
    for kind, content in page.blocks:
        if kind in ("h1", "h2", "h3", "p"):
            body.append(f"<{kind}>{e(str(content))}</{kind}>")
        elif kind in ("ul", "ol"):
            items = "".join(f"<li>{e(str(i))}</li>" for i in content)
            body.append(f"<{kind}>{items}</{kind}>")
        elif kind == "dl":
            rows = "".join(
                f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in content
            )
            body.append(f'<table class="facts">{rows}</table>')
    tracking = hashlib.sha256(page.title.encode()).hexdigest()[:10].upper()
    return "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{page.language}">',
            f'<head><meta charset="{charset}"><title>{e(page.title)}</title>',
            "<style>.cookie-banner{position:fixed;bottom:0}.nav li{display:inline}</style>",
            f"<script>window.dataLayer=[];gtag('config','G-{tracking}');</script></head>",
            '<body><div id="cookie-banner" class="cookie-banner" role="dialog">'
            f"<p>{e(w.words['furniture'][1])}</p><button>OK</button></div>",
            f'<header><nav class="nav"><ul>{nav}</ul></nav></header>',
            "<main><article>",
            *body,
            "</article></main>",
            f"<footer><address>{e(w.organisation())}<br>{e(w.city())}</address>",
            f"<p>© {w.rng.randint(2021, 2025)} {e(page.site)}</p>",
            '<ul class="social"><li><a href="https://x.example/p">X</a></li>'
            '<li><a href="https://in.example/p">LinkedIn</a></li></ul>',
            f'<a href="/legal">{e(w.words["nav"][-1])}</a></footer>',
            f"<script>var consent={{'site':'{tracking}','v':2}};</script>",
            "</body></html>",
            "",
        ]
    )


# ------------------------------------------------------------ the corpus


def page_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"tcd-synth:{seed}:{index}")


def choose_programme(rng: random.Random, language: str) -> Programme:
    """A programme whose area speaks the page's language (any one for English)."""
    speaking = [
        p
        for p in programmes()
        if any(language in COUNTRY_LANGUAGES.get(c, ()) for c in p.countries)
    ]
    return rng.choice(speaking if language != "en" and speaking else programmes())


def generate_page(seed: int, index: int) -> tuple[str, bytes]:
    """(file name, bytes) of page ``index`` of the corpus ``seed``."""
    rng = page_rng(seed, index)
    kinds = sorted(KIND_WEIGHTS)
    kind = rng.choices(kinds, weights=[KIND_WEIGHTS[k] for k in kinds])[0]
    languages = sorted(LANGUAGE_WEIGHTS)
    language = rng.choices(languages, weights=[LANGUAGE_WEIGHTS[k] for k in languages])[0]
    programme = choose_programme(rng, language)
    writer = Writer(rng, language, programme)
    page = PAGE_KINDS[kind](writer)
    page.blocks += [
        ("h2", BACKGROUND[language]),
        ("p", writer.paragraph(4, 8)),
        ("p", writer.paragraph(3, 7)),
    ]
    if rng.random() < HTML_SHARE:
        legacy = language != "en" and rng.random() < LEGACY_ENCODING_SHARE
        charset = "windows-1252" if legacy else "utf-8"
        markup = render_html(page, writer, charset)
        data = markup.encode(charset, errors="xmlcharrefreplace")
        return f"{index:05d}_{kind}_{language}.html", data
    return f"{index:05d}_{kind}_{language}.txt", render_text(page, writer).encode("utf-8")


def write_corpus(out: Path, docs: int, seed: int) -> list[Path]:
    """Write ``docs`` pages into ``out`` (created); returns the paths written.

    A small share of pages are byte copies of an earlier page under another
    name, as a crawl that reached the same page twice.
    """
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    contents: list[bytes] = []
    for index in range(docs):
        rng = page_rng(seed, -index - 1)
        if contents and rng.random() < DUPLICATE_SHARE:
            original = rng.randrange(len(contents))
            data = contents[original]
            name = f"{index:05d}_copy{written[original].suffix}"
        else:
            name, data = generate_page(seed, index)
        path = out / name
        path.write_bytes(data)
        written.append(path)
        contents.append(data)
    return written


def cmd_synth(args: argparse.Namespace) -> int:
    started = time.perf_counter()
    written = write_corpus(Path(args.out), args.docs, args.seed)
    size = sum(p.stat().st_size for p in written) / 1e6
    elapsed = time.perf_counter() - started
    print(f"{len(written)} pages ({size:.1f} MB) written to {args.out} in {elapsed:.1f}s")
    return 0


def add_command(sub: argparse._SubParsersAction) -> None:
    synth = sub.add_parser("synth", help="write a deterministic synthetic corpus")
    synth.add_argument("--docs", type=int, default=1000, help="number of pages")
    synth.add_argument("--out", required=True, help="folder to write the pages into")
    synth.add_argument("--seed", type=int, default=1, help="same seed, same bytes")
    synth.set_defaults(func=cmd_synth)
