"""Programme mentions: reference names, Interreg names, head words, values."""

import random
import re
from pathlib import Path

from pipeline.extract import extract_mentions
from pipeline.extract.programme_reference import (
    alias_index,
    any_alias_regex,
    find_reference_names,
    match_programme_name,
    normalise_objective_code,
)
from pipeline.extract.programmes import (
    COMPOUND_HEAD,
    COMPOUND_HEAD_END,
    FRENCH_CAPITALISED_HEAD,
    FRENCH_HEAD_AND_CAPITAL,
    FUND_CODE_WORDS,
    FUND_CODES,
    LEADING_HEAD,
    LEADING_HEAD_WORD,
    regional_fund_candidates,
    sentences_holding,
    tokens_written,
)
from pipeline.extract.structure import parse, tokens


def programmes(text, language="en"):
    return [m for m in extract_mentions(text, language) if m.record_type == "programme"]


def values(m):
    return {v.field: v.value for v in m.values}


def test_reference_names_tolerate_dash_and_spacing_variants():
    text = "Interreg France – Wallonie – Vlaanderen and Interreg Vlaanderen-Nederland."
    keys = [m.ref.key for m in find_reference_names(text)]
    assert keys == ["interreg-fwvl", "interreg-vl-nl"]


def test_truncated_interreg_names_map_to_the_reference():
    assert match_programme_name("Interreg Fr-Wall-Vlaanderen").key == "interreg-fwvl"
    assert match_programme_name("Interreg Foo-Bar") is None


def test_unknown_interreg_programme_is_still_a_programme():
    found = programmes("Partners from Interreg Mosel-Saar-Ardennen met in Trier.")
    assert [m.quote for m in found] == ["Interreg Mosel-Saar-Ardennen"]
    assert values(found[0])["kind"] == "interreg"


def test_numbering_and_strand_are_read_but_not_part_of_the_name():
    found = programmes("Le programme Interreg VI A Deutschland-Nederland soutient ...", "fr")
    assert found[0].key == "ref:interreg-de-nl"
    assert values(found[0])["strand"] == "A"


def test_umbrellas_are_not_programmes():
    text = (
        "by means of territorial cooperation programmes such as Interreg, "
        "or the Interreg programme."
    )
    assert programmes(text) == []
    assert programmes("European Territorial Cooperation programmes") == []


def test_acronym_inside_a_project_name_is_not_the_programme():
    found = programmes("• ALARM FWV: civil security cooperation.")
    assert found == []


def test_short_name_and_period_from_parentheses():
    found = programmes(
        "Interreg North-West Europe (NWE) and the Smart Specialisation Strategy (2021-2027)."
    )
    by_name = {m.name: values(m) for m in found}
    assert by_name["Interreg North-West Europe"]["short_name"] == "NWE"
    assert by_name["Smart Specialisation Strategy"]["period_start"] == 2021
    assert by_name["Smart Specialisation Strategy"]["period_end"] == 2027


def test_budget_fund_and_period_go_to_the_page_programme():
    text = (
        "Interreg Euregio Meuse-Rhine\n\n"
        "For the 2021-2027 period, €140 million from the European Regional Development Fund "
        "(ERDF) will be allocated to projects."
    )
    page = next(m for m in programmes(text) if m.key == "ref:interreg-emr")
    v = values(page)
    assert (v["budget_eur"], v["fund"], v["period_start"], v["period_end"]) == (
        140_000_000,
        "ERDF",
        2021,
        2027,
    )


def test_funds_in_four_languages_share_one_key():
    for text in ("le FEDER", "het EFRO", "der EFRE", "the ERDF"):
        found = programmes(f"Gefinancierd door {text}.")
        assert [m.key for m in found] == ["ref:erdf"], text


def test_head_word_names_and_generic_heads():
    text = (
        "In 2010 the Walloon Government launched the Creative Wallonia framework programme. "
        "Members of the Vanguard Initiative met. The Cooperation Programme was approved."
    )
    names = sorted(m.name for m in programmes(text))
    assert names == ["Creative Wallonia", "Vanguard Initiative"]


def test_quoted_call_and_french_dutch_german_heads():
    assert [m.name for m in programmes('The "Green Ports" call for proposals opened.')] == [
        "Green Ports"
    ]
    assert [m.name for m in programmes("Het programma Grensregio Noord ondersteunt", "nl")] == [
        "Grensregio Noord"
    ]
    assert [m.name for m in programmes("Das Programm Zukunftsregion Eifel startet", "de")] == [
        "Zukunftsregion Eifel"
    ]


def test_full_name_with_comma_list_and_acronym():
    text = (
        "the Regional Spatial Planning, Sustainable Development and Territorial Equality "
        "Strategy (SRADDET), dialogue"
    )
    found = programmes(text)
    assert found[0].quote.startswith("Regional Spatial Planning, Sustainable")
    assert values(found[0])["short_name"] == "SRADDET"


def test_objective_code_variants():
    assert normalise_objective_code("RSO 1.1") == ("RSO1.1", "PO1")
    assert normalise_objective_code("SO 2.4") == ("RSO2.4", "PO2")
    assert normalise_objective_code("OS 4.6") == ("RSO4.6", "PO4")
    assert normalise_objective_code("SD 3.2") == ("RSO3.2", "PO3")
    assert normalise_objective_code("ISO1(b)") == ("ISO6.2", "ISO1")
    assert normalise_objective_code("ISO 1 b") == ("ISO6.2", "ISO1")
    assert normalise_objective_code("RSO 6.1") == ("ISO6.1", "ISO1")
    assert normalise_objective_code("PO 2") == ("PO2", "PO2")
    assert normalise_objective_code("OP2") == ("PO2", "PO2")
    assert normalise_objective_code("RSO 9.9") is None
    assert normalise_objective_code("ISO1(z)") is None


def budgets(text, language):
    return sorted(
        (m.name, v.value)
        for m in programmes(text, language)
        for v in m.values
        if v.field == "budget_eur"
    )


def test_programme_budget_in_four_languages():
    cases = [
        (
            "Interreg Europe\n\nSince 2021, the programme has committed most of its total ERDF "
            "budget of EUR 379 million.",
            "en",
            379_000_000,
        ),
        (
            "Le programme Interreg France-Suisse\n\nDoté de 65 M€ de FEDER pour la période, "
            "le programme soutient des projets.",
            "fr",
            65_000_000,
        ),
        (
            "Interreg Vlaanderen-Nederland\n\nSamen ontvangen ze 9,3 miljoen euro uit het EFRO. "
            "Daarmee is 61 procent van het programmabudget van 216 miljoen euro vastgelegd.",
            "nl",
            216_000_000,
        ),
        (
            "Interreg Oberrhein\n\nDafür stehen insgesamt 96 Mio. Euro aus dem EFRE zur Verfügung.",
            "de",
            96_000_000,
        ),
    ]
    for text, language, amount in cases:
        assert [b for _, b in budgets(text, language)] == [amount], text


def test_project_call_and_label_amounts_are_not_the_programme_budget():
    cases = [
        (
            "Interreg North Sea\n\nThe project has a total budget of EUR 4.6 million, of which "
            "EUR 2.76 million comes from the ERDF through Interreg North Sea.",
            "en",
        ),
        (
            "Interreg Grande Région\n\nD'un budget total de 2,3 M€, le projet est cofinancé par "
            "le FEDER dans le cadre du programme Interreg VI A Grande Région.",
            "fr",
        ),
        ("Interreg France-Suisse\n\nCet appel mobilise 8,5 millions d’euros de FEDER.", "fr"),
        (
            "Interreg Vlaanderen-Nederland\n\nHet project TIDEWAY loopt. TIDEWAY heeft een "
            "totale begroting van 2,84 miljoen euro uit het EFRO.",
            "nl",
        ),
        ("Interreg Oberrhein\n\nProjektsteckbrief\nEFRE-Förderung: 1.706.000 Euro\n", "de"),
    ]
    for text, language in cases:
        assert budgets(text, language) == [], text


def test_german_compound_and_french_capitalised_heads_name_programmes():
    names = [m.name for m in programmes("Mit dem Begegnungsfonds PAMINA fördert er Vereine.", "de")]
    assert names == ["Begegnungsfonds PAMINA"]
    text = "Ce projet s'inscrit dans la Stratégie Frontalière de la Moselle depuis 2015."
    assert [m.name for m in programmes(text, "fr")] == ["Stratégie Frontalière de la Moselle"]


def test_nouns_plans_and_site_links_are_not_programmes():
    assert programmes("Der Begegnungsfonds Projekte fördert Vereine.", "de") == []
    assert programmes("Mentions légales\nPlan du site\nLe Plan de la ville.", "fr") == []


def test_swiss_new_regional_policy_is_a_reference_programme():
    text = "Côté suisse, les projets sont cofinancés par la Nouvelle politique régionale (NPR)."
    assert {m.name for m in programmes(text, "fr")} == {"New Regional Policy"}


def test_regional_programmes_of_the_eu_funds_are_programmes():
    text = (
        "La Région gère le Programme FEDER-FSE+ Grand Est 2021-2027, doté de 1,1 milliard "
        "d'euros.\nHet OP EFRO Oost-Nederland investeert in innovatie.\n"
        "Das EFRE-Programm Saarland 2021-2027 fördert Unternehmen."
    )
    found = {m.quote: values(m) for m in programmes(text, "fr")}
    assert "Programme FEDER-FSE+ Grand Est" in found  # the period is not part of the name
    assert found["Programme FEDER-FSE+ Grand Est"]["period_start"] == 2021
    assert found["OP EFRO Oost-Nederland"]["fund"] == "ERDF"
    assert "EFRE-Programm Saarland" in found
    # a fund named before an Interreg programme is not a regional programme
    assert "Interreg Rhin Supérieur" in [
        m.quote for m in programmes("Le programme FEDER Interreg Rhin Supérieur aide.", "fr")
    ]


def test_small_project_and_citizens_funds_are_programmes_but_not_in_a_menu():
    text = (
        "Der EUREGIO-Bürgerfonds fördert Begegnungen.\n"
        "Le Fonds pour les petits projets finance des rencontres.\n"
        "The Small Projects Fund supports local clubs."
    )
    quotes = [m.quote for m in programmes(text)]
    assert quotes == ["EUREGIO-Bürgerfonds", "Fonds pour les petits projets", "Small Projects Fund"]
    menu = "Über uns\nThemen\nBürgerfonds\nAktuelles\nKontakt"
    assert programmes(menu, "de") == []


def test_earlier_interreg_generations_are_programmes_of_their_own():
    text = "Sous le programme Interreg V Rhin Supérieur 2014-2020, 180 projets ont été soutenus."
    found = programmes(text, "fr")
    assert [m.name for m in found] == ["Interreg V Rhin Supérieur"]
    assert found[0].key is None  # not today's Interreg Oberrhein
    assert (values(found[0])["period_start"], values(found[0])["period_end"]) == (2014, 2020)
    upper = programmes("Gefördert aus INTERREG V A Deutschland-Nederland 2014-2020.", "de")
    assert [m.name for m in upper] == ["Interreg V A Deutschland-Nederland"]


def test_strands_and_inflected_umbrellas_are_not_programmes():
    text = (
        "Das Saarland ist an mehreren Interreg-Programmen beteiligt. Interreg B und "
        "Interreg C ergänzen die Zusammenarbeit. Interreg A programmes are cross-border."
    )
    assert programmes(text, "de") == []


def test_macro_regional_strategies_come_from_reference_data():
    text = "Ministers reviewed the EU Strategy for the Alpine Region (EUSALP) and EUSBSR."
    found = programmes(text)
    # the acronym in brackets is the same strategy, given as its short name
    assert sorted({m.name for m in found}) == [
        "EU Strategy for the Alpine Region",
        "EU Strategy for the Baltic Sea Region",
    ]
    assert values(found[0])["short_name"] == "EUSALP"


def test_a_projects_co_financing_is_not_the_programme_budget():
    text = (
        "Interreg Grande Région\n\nLe programme Interreg Grande Région cofinance le projet "
        "à hauteur de 900 000 euros."
    )
    assert all("budget_eur" not in values(m) for m in programmes(text, "fr"))


def test_pipe_table_values_belong_to_the_programme_only_in_its_own_row():
    text = (
        "| Projekt | Förderprogramm | Laufzeit |\n|---|---|---|\n"
        "| SchwarzwaldHolz | Interreg Oberrhein | 2022-2025 |\n\n"
        "| Programm | Mittel |\n|---|---|\n"
        "| Interreg Oberrhein | 125 Mio. Euro |\n"
    )
    found = [values(m) for m in programmes(text, "de")]
    assert all("period_start" not in v for v in found)
    assert [v["budget_eur"] for v in found if "budget_eur" in v] == [125_000_000]


def test_an_amount_in_a_table_without_a_budget_column_is_not_a_budget():
    text = "| Programm | Projekte |\n|---|---|\n| Interreg Oberrhein | 125 Mio. Euro |\n"
    assert all("budget_eur" not in values(m) for m in programmes(text, "de"))


def test_generic_programme_phrases_in_four_languages_name_no_programme():
    phrases = {
        "en": "The programme supports projects. This Interreg programme requires national "
        "co-financing. Cross-border programmes, Interreg A programmes, the 2021-2027 programming "
        "period, EU Funding Programmes, a Support Programme, the Project Fund and the "
        "Cross-Border Programme.",
        "fr": "Le programme soutient des projets. Ce programme Interreg exige un cofinancement "
        "national. Les programmes transfrontaliers, la période de programmation 2021-2027, le "
        "Programme de coopération et l'appel à projets 2024.",
        "nl": "Het programma ondersteunt projecten. Dit Interreg-programma vraagt nationale "
        "cofinanciering. Grensoverschrijdende programma's, de programmaperiode 2021-2027, het "
        "Samenwerkingsprogramma en de oproep 2024. Grensoverschrijdende Programma's.",
        "de": "Das Programm fördert Projekte. Dieses Interreg-Programm verlangt eine nationale "
        "Kofinanzierung. Grenzüberschreitende Programme, Transnationale Programme, Interregionale "
        "Programme, die Förderperiode 2021-2027, das Kooperationsprogramm und der Projektaufruf.",
    }
    for language, text in phrases.items():
        assert programmes(text, language) == [], language


def test_a_distinctive_word_still_names_a_programme_next_to_generic_ones():
    [found] = programmes("The Blue Growth Support Programme opens in May.")
    assert found.name == "Blue Growth Support Programme"


def test_alias_scanner_finds_what_the_alternation_of_every_alias_finds():
    """The scanner tries at each word only the aliases whose first letters fit it;
    the plain alternation of all aliases, tried everywhere, is the reference."""
    names, acronyms, _ = alias_index()
    rng = random.Random(3)
    pool = names.aliases + acronyms.aliases
    texts = ["The Interreg NWE and INTERREG EUROPE, ESPON or EFRE-OP", "interreg\nEurope+ ALARM"]
    for _ in range(300):
        pieces = []
        for _ in range(rng.randint(1, 5)):
            alias = rng.choice(pool)
            written = rng.choice(
                [alias, alias.upper(), alias.lower(), alias.replace(" ", " – "), alias[:-2]]
            )
            pieces.append(written + rng.choice([" ", "", "+", ", ", "-", "ı", "ſ", "\n"]))
        texts.append("".join(pieces))
    for scanner in (names, acronyms):
        every_alias = re.compile(any_alias_regex(scanner.aliases), scanner.flags)
        for text in texts:
            scanned = [(m.start(), m.end()) for m in scanner.finditer(text)]
            assert scanned == [(m.start(), m.end()) for m in every_alias.finditer(text)], text
    assert [(m.start(), m.end()) for m in names.finditer(texts[0])] != []


def fixture_texts():
    pages = sorted((Path(__file__).parent / "fixtures").glob("*/*"))
    return [p.read_text(encoding="utf-8", errors="replace") for p in pages if p.suffix != ".md"]


def test_each_precondition_is_found_inside_every_match_of_its_pattern():
    """A page is searched with the long pattern only when its short precondition is
    found there: the precondition must be found inside every match of the pattern."""
    texts = [
        *fixture_texts(),
        "das Innovationsprogramm NORD startet; der Kleinprojektefonds Oberrhein",
        "la Stratégie Frontalière de la Moselle, le Plan Climat et l'Initiative Sud",
        "le programme Interreg, het programma Vlaanderen, die Strategie „Alpen“",
        "das Förderprogramm Nord, LE FONDS Bleu, de stratégie Rhin",
    ]
    for pattern, precondition in (
        (COMPOUND_HEAD, COMPOUND_HEAD_END),
        (FRENCH_CAPITALISED_HEAD, FRENCH_HEAD_AND_CAPITAL),
        (LEADING_HEAD, LEADING_HEAD_WORD),
    ):
        matches = [(t, m) for t in texts for m in pattern.finditer(t)]
        assert len(matches) >= 2, pattern.pattern
        for text, m in matches:
            # + 1: a pattern's closing lookahead reads the character after its match
            assert precondition.search(text, m.start(), m.end() + 1), m.group()


def test_every_fund_code_holds_one_of_the_words_a_page_must_hold():
    codes = re.findall(r"[A-Z]+", FUND_CODES)
    assert "ERDF" in codes
    assert all(any(word in code for word in FUND_CODE_WORDS) for code in codes)
    text = "Il Programme FEDER-FSE+ Grand Est et le programme Grand Est"
    assert regional_fund_candidates(text) != []
    assert regional_fund_candidates(text.replace("FEDER-FSE+", "régional")) == []


def test_tokens_written_are_the_tokens_spelled_as_one_of_the_words():
    words = ["Programme", "Programmes", "Plan", "Fund"]
    text = "Programmes Programme-Plan xPlan Plans Fund. Funding\nFund Plan"
    toks = tokens(text)
    expected = [i for i, t in enumerate(toks) if t.text in words]
    assert tokens_written(text, toks, words) == expected
    assert [toks[i].text for i in expected] == ["Programmes", "Fund", "Fund", "Plan"]


def test_sentences_holding_gives_the_sentences_of_the_offsets_in_text_order():
    text = "One 2021. Two none.\n\nThree €5 and 6."
    structure = parse(text)
    three = text.index("Three")
    offsets = [text.index("€"), text.index("2021"), three + 2, text.index("\n")]
    held = sentences_holding(structure, offsets)  # the line break is between sentences
    assert [text[s:e] for s, e in held] == ["One 2021.", text[three:]]
