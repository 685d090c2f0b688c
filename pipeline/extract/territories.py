"""Territory mentions: countries, regions, provinces, departments, districts,
municipalities and named cross-border areas, typed and coded.

Names come from the geography gazetteer (``geo_reference``). A name that
several places share (Namur the city, province and arrondissement;
Luxembourg the country, Belgian province and city; Limburg in Belgium and the
Netherlands) is resolved from the words around it: a type word before or
after it ("province of", "provincie", "Provinz", "... districts"), a postcode
before it (a municipality), a country adjective ("Belgian Limburg"), or the
other items of the list it stands in. When nothing decides, the mention keeps
what its readings agree on and no NUTS code. Elliptic coordination ("Eastern
and Western Flanders", "Nord- und Südholland") yields one mention per
territory. Names inside URLs, e-mail addresses and street names are skipped.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, lru_cache

from pipeline.extract.context import Context
from pipeline.extract.gazetteer import CaseRule, Gazetteer, GazetteerMatch, fold
from pipeline.extract.geo_reference import Place, PlaceName, country_adjectives, place_names
from pipeline.extract.model import Mention
from pipeline.extract.structure import lowered_text

RULE = "territories"

# Words that give a territory its type, in English, French, Dutch and German.
TYPE_WORDS = {
    "province": r"provinces?|provincies?|provinz(?:en)?|prov\.",
    "department": r"d[ée]partements?|departementen|departments?",
    "district": r"districts?|arrondissements?|arrondissementen|arr\.|bezirke?|(?:land)?kreise?s?",
    "region": (
        r"r[ée]gions?|regio's|regio|regionen|gewest(?:en)?|regierungsbezirke?"
        r"|bundesl[äa]nder|bundesland"
    ),
    "municipality": (
        r"city|cities|town|towns|municipality|municipalities|villes?|communes?|stad|steden"
        r"|gemeenten?|stadt|st[äa]dten?|gemeinden?"
    ),
    "country": r"country|countries|pays",
}
CONNECTOR = r"(?:\s+(?:of the|of|de la|de|du|des|van de|van het|van|von der|von|der))?"
ELISION = r"(?:\s*[ld]['’]|\s+)"
POSTCODE_BEFORE = re.compile(
    r"(?:^|[,;]\s*|\s[-–]\s*|•\s*)(?:[A-Z]{1,2}[-‐])?(?:\d{4}(?:\s?[A-Z]{2})?|\d{5})\s+$"
)
# Cues that make even a common word a place ("gemeente Best", "F-26150 Die").
STRONG_CUES = frozenset({"postcode", "department-number", "cue-before"})
# A preposition of place right before a name that needs context ("in Kandel",
# "à Wissembourg", "te Vaals", "bei Lauterbourg", "near Esbjerg").
LOCATIVE_BEFORE = re.compile(
    r"(?<!\w)(?:in|at|near|from|à|près de|in de buurt van|te|bij|nabij|uit|bei|nahe|aus|nach"
    r"|im Raum)\s+$"
)
# "Herzogenrath in Germany", "Baarle-Hertog in België": the place a town lies in.
PLACED_IN = re.compile(r"\s+(?:in|in the|en|au|aux|im|in der|in den)\s+")
BRACKET_AFTER = re.compile(r"^\s?\((?P<inside>[^()\n]{2,40})\)")
FRENCH_DEPARTMENT_NUMBER = re.compile(r"^\s?\((?:0[1-9]|[1-8]\d|9[0-5]|2[AB]|97[1-6])\)")
# A river or valley of that name, or an organisation named after the place
# ("Benelux Union", "Maastricht University").
NOT_A_TERRITORY_AFTER = re.compile(
    r"(?i)^\s+(?:river|rivers|valley|basin|estuary|rivière|fleuve|vallée|bassin|rivier|vallei"
    r"|stroomgebied|fluss|tal|union|unie|university|universiteit|universität)(?!\w)"
)
RIVER_WORDS = r"river|rivière|fleuve|vallée|valley of the|rivier|fluss|bassin"
NOT_A_TERRITORY_BEFORE = re.compile(rf"(?i)(?<!\w)(?:{RIVER_WORDS}){CONNECTOR}{ELISION}$")
STREET_WORDS = (
    r"rue|place|avenue|av\.|boulevard|bd|chaussée|quai|square|allée|impasse"
    r"|chemin|route|straat|laan|plein|steenweg|kaai|dreef|straße|strasse|str\.|platz|allee"
    r"|gasse|street|road|lane"
)
STREET_BEFORE = re.compile(
    rf"(?i)(?<!\w)(?:{STREET_WORDS})(?:\s+(?:de la|de|du|des|van|der|von|of the|of))?{ELISION}$"
)
TOP_LEVEL_DOMAINS = "be|fr|nl|de|lu|eu|com|org|net|int|info"
WEB_ADDRESS = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    rf"|\b[\w-]+(?:\.[\w-]+)*\.(?:{TOP_LEVEL_DOMAINS})\b(?:/\S*)?"
)
# Every web address holds '@', '://', 'www.' or one of these: pages without any
# (most) skip WEB_ADDRESS, whose scan of every word costs more than the rest
DOT_DOMAIN = re.compile(rf"\.(?i:{TOP_LEVEL_DOMAINS})\b")
LIST_SEPARATOR = re.compile(
    r"(?i)^\s*(?:[,;/&+]\s*(?:(?:and|et|en|und|or|ou|of|oder)\s+)?|(?:and|et|en|und|or|ou|oder"
    r"|as well as|ainsi que|sowie|evenals)\s+)"
    r"(?:(?:de la|du|des|de|the|la|le|les|het|die|der|das)\s+)?(?:[ld]['’])?$"
)
# Compass and position words that elliptic coordination shares a head with.
MODIFIERS = frozenset(
    fold(word)
    for words in (
        "north northern south southern east eastern west western upper lower central middle",
        "nord sud est ouest haut haute bas basse occidental occidentale oriental orientale",
        "septentrional septentrionale méridional méridionale centrale",
        "noord zuid oost opper neder midden süd ost ober nieder unter mittel",
    )
    for word in words.split(" ")
)
MODIFIER_LENGTHS = sorted({len(m) for m in MODIFIERS}, reverse=True)
COORDINATION_ENDS = (",", "and", "et", "en", "und", "or", "ou", "oder", "&")
ELLIPSIS_LEFT = re.compile(
    r"(?P<mod>[^\W\d_]+)(?P<hyphen>-?)\s*(?:,|\s(?:and|et|en|und|or|ou|oder|&))\s*$"
)
LETTERS = re.compile(r"[^\W\d_]+")
ELLIPSIS_RIGHT = re.compile(r"^\s*(?:,|\s(?:and|et|en|und|or|ou|oder|&))\s+(?P<mod>[^\W\d_]+)")


def from_geonames(name: PlaceName) -> bool:
    return (name.place.key or "").startswith("geonames:")


@cache
def gazetteer() -> Gazetteer[PlaceName]:
    # towns from the world gazetteer match only as written: "AURORA" is a project
    entries: list[tuple[str, PlaceName, CaseRule]] = [
        (p.name, p, "proper" if p.rule == "proper" and not from_geonames(p) else "strict")
        for p in place_names()
    ]
    return Gazetteer(entries)


@cache
def cue_patterns() -> tuple[dict[str, re.Pattern[str]], dict[str, re.Pattern[str]]]:
    """(before, after): one regex per type for the words before/after a name."""
    adjectives = "|".join(
        sorted((re.escape(a) for a in country_adjectives()), key=len, reverse=True)
    )
    before = {
        kind: re.compile(rf"(?i)(?<!\w)(?:{words})(?:\s+(?:{adjectives}))?{CONNECTOR}{ELISION}$")
        for kind, words in TYPE_WORDS.items()
    }
    after = {
        kind: re.compile(rf"(?i)^(?:\s*\([A-Z]{{2}}\))?\s+(?:{words})(?!\w)")
        for kind, words in TYPE_WORDS.items()
    }
    return before, after


@cache
def any_cue_word_before() -> re.Pattern[str]:
    """One regex that matches, in ``lowered_text``, wherever one of the type, street
    or river patterns before a name (``cue_patterns``, STREET_BEFORE,
    NOT_A_TERRITORY_BEFORE) would. Most names have none of these words before
    them: one search, without (?i) and so three times faster, spares the eight."""
    adjectives = "|".join(
        sorted((re.escape(a) for a in country_adjectives()), key=len, reverse=True)
    )
    words = "|".join([*TYPE_WORDS.values(), STREET_WORDS, RIVER_WORDS])
    return re.compile(rf"(?<!\w)(?:{words})(?:\s+(?:{adjectives}))?{CONNECTOR}{ELISION}$")


@cache
def any_cue_word_after() -> re.Pattern[str]:
    """One regex that matches wherever one of the after-patterns of ``cue_patterns`` would."""
    words = "|".join(TYPE_WORDS.values())
    return re.compile(rf"(?i)^(?:\s*\([A-Z]{{2}}\))?\s+(?:{words})(?!\w)")


@dataclass
class Item:
    """One matched name and what the words around it say."""

    start: int
    end: int
    names: tuple[PlaceName, ...]
    how: str = "gazetteer"
    cue: str | None = None
    cue_how: str | None = None
    country_hint: str | None = None
    place: Place | None = None
    undecided: list[Place] = field(default_factory=list)
    # False when no type, street or river word stands before the name (see
    # ``follows_cue_word``): the patterns of those words need not be tried
    word_before: bool = True
    # Every reading that needs no type word is one that needs context.
    needs_context: bool = field(init=False)
    # A country hint is read only for a name of several places or one that
    # needs context (see ``readings`` and ``resolve_group``).
    may_use_hint: bool = field(init=False)

    def __post_init__(self) -> None:
        # worked out once: read several times per name, and ``names`` never changes
        self.needs_context = all(
            n.rule in ("context", "common") for n in self.names if not n.needs_cue
        )
        first = self.names[0].place
        self.may_use_hint = self.needs_context or any(n.place != first for n in self.names[1:])

    @property
    def common_word(self) -> bool:
        return all(n.rule == "common" for n in self.names if not n.needs_cue)


# ------------------------------------------------------------- the words around


def line_before(text: str, start: int, width: int = 60) -> str:
    line_start = text.rfind("\n", 0, start) + 1
    return text[max(line_start, start - width) : start]


def line_after(text: str, end: int, width: int = 40) -> str:
    line_end = text.find("\n", end)
    line_end = len(text) if line_end < 0 else line_end
    return text[end : min(line_end, end + width)]


def follows_cue_word(lowered: str | None, start: int) -> bool:
    """Whether a type, street or river word may stand before ``start``; always
    True when ``lowered_text`` gave no lowercased text (each pattern is then tried)."""
    return lowered is None or any_cue_word_before().search(line_before(lowered, start)) is not None


def after_postcode(text: str, start: int) -> bool:
    """POSTCODE_BEFORE on the line before ``start``, tried only when the line ends
    as a postcode does (a digit or capital, then spaces), which few names' lines do."""
    line_start = text.rfind("\n", 0, start) + 1
    last = start
    while last > line_start and text[last - 1].isspace():
        last -= 1
    if last in (start, line_start):
        return False
    if not (text[last - 1].isdecimal() or "A" <= text[last - 1] <= "Z"):
        return False
    return POSTCODE_BEFORE.search(text[line_start:start]) is not None


def own_cue(text: str, item: Item) -> tuple[str, str] | None:
    before_text, after_text = line_before(text, item.start), line_after(text, item.end)
    if after_postcode(text, item.start):
        return "municipality", "postcode"
    if FRENCH_DEPARTMENT_NUMBER.match(after_text):
        return "department", "department-number"
    before, after = cue_patterns()
    if item.word_before:
        for kind, pattern in before.items():
            if pattern.search(before_text):
                return kind, "cue-before"
    if any_cue_word_after().match(after_text):
        for kind, pattern in after.items():
            if pattern.match(after_text):
                return kind, "cue-after"
    return None


def locative_cue(text: str, item: Item) -> tuple[str, str] | None:
    """A town that needs context, right after a preposition of place."""
    if not item.needs_context or not LOCATIVE_BEFORE.search(line_before(text, item.start, 20)):
        return None
    if any(n.place.type == "municipality" for n in item.names):
        return "municipality", "locative"
    return None


def country_hint(text: str, item: Item) -> str | None:
    """A country adjective among the few words before the name ("Belgian Limburg"),
    or a country in brackets after it ("Limburg (Belgien)")."""
    bracket = BRACKET_AFTER.match(line_after(text, item.end))
    if bracket:
        countries = {n.place.country_code for n in gazetteer().lookup(bracket["inside"])}
        if len(countries) == 1 and all(
            n.place.type == "country" for n in gazetteer().lookup(bracket["inside"])
        ):
            return countries.pop()
    words = LETTERS.findall(line_before(text, item.start, 30))
    adjectives = country_adjectives()
    for word in reversed(words):
        if fold(word) in adjectives:
            return adjectives[fold(word)]
    return None


def blocked_spans(text: str) -> list[tuple[int, int]]:
    if not ("@" in text or "://" in text or "www." in text.lower() or DOT_DOMAIN.search(text)):
        return []
    return [(m.start(), m.end()) for m in WEB_ADDRESS.finditer(text)]


def kept_names(
    text: str, match: GazetteerMatch[PlaceName], blocked: list[tuple[int, int]], word_before: bool
) -> tuple[PlaceName, ...]:
    """The readings a match keeps: none inside a web address or a street name, or
    before "river"/"valley"; after "river"/"bassin de" only a town's ("le bassin de
    Sarreguemines" is the area around the town, "le bassin de la Meuse" a river's)."""
    start, end = match.start, match.end
    if any(s < end and start < e for s, e in blocked):
        return ()
    before = line_before(text, start)
    if (word_before and STREET_BEFORE.search(before)) or NOT_A_TERRITORY_AFTER.match(
        line_after(text, end)
    ):
        return ()
    if word_before and NOT_A_TERRITORY_BEFORE.search(before):
        return tuple(n for n in match.payloads if n.place.type == "municipality")
    return match.payloads


# ------------------------------------------------------------ elliptic phrases


@lru_cache(maxsize=4096)  # the same few hundred names recur on page after page
def shared_heads(span: str) -> tuple[str | None, str | None]:
    """(head, stem) of a name: ``head`` what follows a first word that is a
    modifier ('Flanders' of 'Western Flanders', '-Vlaanderen' of
    'Oost-Vlaanderen'), ``stem`` what precedes a last word that is one ('Nord-'
    of 'Nord-Ost'); None where the name has no such word."""
    tokens = list(LETTERS.finditer(span))
    if not tokens:
        return None, None
    first, last = tokens[0], tokens[-1]
    head: str | None = None
    if len(tokens) > 1 and fold(first.group()) in MODIFIERS:
        head = span[first.end() :]
    else:
        word = fold(first.group())
        # the longest modifier the word starts with
        prefix = next((word[:n] for n in MODIFIER_LENGTHS if word[:n] in MODIFIERS), None)
        if prefix and len(prefix) >= 3 and len(word) - len(prefix) >= 3:
            head = span[len(prefix) :]
    stem = span[: last.start()] if len(tokens) > 1 and fold(last.group()) in MODIFIERS else None
    return head, stem


def elliptic_items(text: str, item: Item) -> list[Item]:
    """'Eastern and Western Flanders' -> an item for 'Eastern' (East Flanders)."""
    head, stem = shared_heads(text[item.start : item.end])
    out: list[Item] = []
    if head is not None:
        cursor = item.start
        while True:
            before = line_before(text, cursor, 40)
            # ELLIPSIS_LEFT needs a comma or a conjunction at the end: tested first, cheaply
            ends_coordinated = before.rstrip().endswith(COORDINATION_ENDS)
            left = ELLIPSIS_LEFT.search(before) if ends_coordinated else None
            if not left or fold(left["mod"]) not in MODIFIERS:
                break
            mod_start = cursor - len(before) + left.start("mod")
            mod_end = mod_start + len(left["mod"])
            names = [left["mod"] + head, f"{left['mod']} {head.strip(' -')}"]
            found = elliptic_names(names)
            if not found:
                break
            out.append(Item(mod_start, mod_end, found, how="ellipsis"))
            cursor = mod_start
    if stem is not None:
        right = ELLIPSIS_RIGHT.match(line_after(text, item.end))
        if right and fold(right["mod"]) in MODIFIERS:
            found = elliptic_names([stem + right["mod"]])
            if found:
                start = item.end + right.start("mod")
                out.append(Item(start, start + len(right["mod"]), found, how="ellipsis"))
    return out


def elliptic_names(names: list[str]) -> tuple[PlaceName, ...]:
    for name in names:
        found = tuple(p for p in gazetteer().lookup(name) if p.place.type != "municipality")
        if found and len({p.place for p in found}) == 1:
            return found
    return ()


# ------------------------------------------------------------------- lists


def group_lists(text: str, items: list[Item]) -> list[list[Item]]:
    """Items that follow each other with only list separators between them."""
    groups: list[list[Item]] = []
    for item in items:
        if groups:
            previous = groups[-1][-1]
            between = text[previous.end : item.start]
            if "\n" not in between and LIST_SEPARATOR.match(between):
                groups[-1].append(item)
                continue
        groups.append([item])
    return groups


# -------------------------------------------------------------- resolution


def same_territory(places: list[Place]) -> list[Place]:
    """Drop a NUTS region whose parent region of the same name is also a reading."""
    codes = [p.nuts_code for p in places if p.nuts_code]
    return [
        p
        for p in places
        if not p.nuts_code or not any(c != p.nuts_code and p.nuts_code.startswith(c) for c in codes)
    ]


def readings(item: Item) -> list[Place]:
    """The places the name may denote here, before siblings are consulted."""
    places = list(
        dict.fromkeys(n.place for n in item.names if not n.needs_cue or item.cue == n.place.type)
    )
    if item.cue:
        typed = [p for p in places if p.type == item.cue]
        if not typed:
            typed = list(dict.fromkeys(n.place for n in item.names if n.place.type == item.cue))
        if typed:
            places = typed
    places = same_territory(places)
    if item.country_hint and len(places) > 1:
        hinted = [p for p in places if p.country_code == item.country_hint]
        places = hinted or places
    return places


def default_reading(places: list[Place]) -> Place | None:
    """Without context: a country, else a city, else the one reading there is."""
    for kind in ("country", "municipality"):
        of_kind = [p for p in places if p.type == kind]
        if len(of_kind) == 1:
            return of_kind[0]
    return places[0] if len(places) == 1 else None


def undecided_place(places: list[Place], quote: str) -> Place:
    """What several readings agree on: type, country and name; never a code."""
    types = Counter(p.type for p in places)
    countries = {p.country_code for p in places}
    canonicals = {p.canonical for p in places}
    return Place(
        canonicals.pop() if len(canonicals) == 1 else quote,
        types.most_common(1)[0][0],
        countries.pop() if len(countries) == 1 else None,
    )


def resolve_group(text: str, group: list[Item]) -> None:
    shared = next((i.cue for i in (group[0], group[-1]) if i.cue and i.cue_how != "postcode"), None)
    for item in group:
        if item.cue is None and shared is not None and len(group) > 1:
            item.cue, item.cue_how = shared, "list"
    options = {id(item): readings(item) for item in group}
    settled = [options[id(i)][0] for i in group if len(options[id(i)]) == 1 and not i.needs_context]
    for item in group:
        places = options[id(item)]
        if item.needs_context and item.cue is None and item.country_hint is None:
            supported = any(p.type in {s.type for s in settled} for p in places)
            if not supported:
                continue
        if len(places) > 1 and settled:
            kinds = Counter((s.type, s.country_code) for s in settled)
            for (kind, country), _ in kinds.most_common():
                matching = [p for p in places if p.type == kind and p.country_code == country]
                if len(matching) == 1:
                    places = matching
                    break
        if len(places) == 1:
            item.place = places[0]
            continue
        chosen = default_reading(places) if item.cue is None else None
        if chosen is not None:
            item.place = chosen
        elif places:
            item.undecided = places


def resolve_by_document(items: list[Item]) -> None:
    """A reading whose country is the only candidate country named elsewhere wins."""
    named = {i.place.country_code for i in items if i.place and i.place.country_code}
    for item in items:
        if item.place is None and item.undecided:
            matching = [p for p in item.undecided if p.country_code in named]
            if len({p.country_code for p in matching}) == 1 and len(matching) == 1:
                item.place = matching[0]


# -------------------------------------------------------------------- entry


def find_items(text: str) -> list[Item]:
    blocked = blocked_spans(text)
    lowered = lowered_text(text)
    items = []
    for m in gazetteer().find(text):
        word_before = follows_cue_word(lowered, m.start)
        if names := kept_names(text, m, blocked, word_before):
            items.append(Item(m.start, m.end, names, word_before=word_before))
    # an elliptic reading ("Nord" in "Nord- und Südholland") replaces the
    # gazetteer's reading of the same word
    extra = {(e.start, e.end): e for item in items for e in elliptic_items(text, item)}
    items = [i for i in items if (i.start, i.end) not in extra] + list(extra.values())
    items.sort(key=lambda i: (i.start, i.end))
    for item in items:
        found = own_cue(text, item) or locative_cue(text, item)
        if found and not cue_fits(item, found):
            found = None
        if found:
            item.cue, item.cue_how = found
        if item.may_use_hint:
            item.country_hint = country_hint(text, item)
    for item, following in itertools.pairwise(items):
        if (
            item.country_hint is None
            and item.may_use_hint
            and PLACED_IN.fullmatch(text[item.end : following.start])
        ):
            item.country_hint = country_of(following)
    starts = {i.start for i in items}
    return [i for i in items if not inside_other_name(text, i, starts)]


def inside_other_name(text: str, item: Item, starts: set[int]) -> bool:
    """A one-word town from the world gazetteer followed by another capitalised
    word is most likely the first word of a person's or project's name ("Vladimir
    Putin", "Aurora Project"), unless that word is a place. (A capitalised word
    before it says nothing: German capitalises every noun.)"""
    if item.cue or not all(from_geonames(n) for n in item.names):
        return False
    if not re.fullmatch(r"[^\W\d_]+", text[item.start : item.end]):
        return False
    return bool(re.match(r" [A-ZÀ-Þ]", text[item.end : item.end + 2])) and (
        item.end + 1 not in starts
    )


def cue_fits(item: Item, cue: tuple[str, str]) -> bool:
    """A common word takes only a cue before it ("gemeente Born"), unless a
    reading that is no common word has the cue's type ("Bergen district")."""
    kind, how = cue
    if not item.common_word or how in STRONG_CUES:
        return True
    return any(n.rule != "common" and n.place.type == kind for n in item.names)


def country_of(item: Item) -> str | None:
    """The one country a name of a country or region stands for, if it needs no context."""
    if item.needs_context:
        return None
    countries = {n.place.country_code for n in item.names if n.place.type != "municipality"}
    return countries.pop() if len(countries) == 1 else None


def extract_territories(ctx: Context) -> list[Mention]:
    text = ctx.text
    items = find_items(text)
    for group in group_lists(text, items):
        resolve_group(text, group)
    resolve_by_document(items)
    mentions: list[Mention] = []
    for item in items:
        quote = text[item.start : item.end]
        place = item.place or (undecided_place(item.undecided, quote) if item.undecided else None)
        if place is None:
            continue
        how = item.how if item.cue_how is None else f"{item.how}+{item.cue_how}"
        rule = f"{RULE}.{how}"
        mention = Mention(
            record_type="territory",
            start=item.start,
            end=item.end,
            quote=quote,
            rule=rule,
            canonical=place.canonical,
            key=place.key,
            language=ctx.language,
        )
        mention.add("type", place.type, item.start, item.end, rule)
        if place.country_code:
            mention.add("country_code", place.country_code, item.start, item.end, rule)
        if place.nuts_code:
            mention.add("nuts_code", place.nuts_code, item.start, item.end, rule)
        if place.nuts_level is not None:
            mention.add("nuts_level", place.nuts_level, item.start, item.end, rule)
        mentions.append(mention)
    return mentions
