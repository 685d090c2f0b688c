"""Links between mentions of one document."""

from pipeline.extract import extract_mentions


def by_type(mentions, record_type):
    return [m for m in mentions if m.record_type == record_type]


def target(mentions, m, field):
    index = {(x.record_type, x.start, x.end): x for x in mentions}
    link = next((link for link in m.links if link.field == field), None)
    if link is None:
        return None
    return index[(link.target.record_type, link.target.start, link.target.end)]


PAGE = (
    "Interreg North-West Europe (NWE)\n\n"
    "Interreg North-West Europe involves Ireland, Belgium and Germany.\n\n"
    "The city of Lille is part of the HEATWAVE project.\n\n"
    "Interreg Vlaanderen-Nederland\n\n"
    "Projects such as :\n"
    "• COASTLINE: dune protection.\n"
)


def test_projects_link_to_the_programme_of_their_heading_or_sentence():
    mentions = extract_mentions(PAGE, "en")
    links = {
        p.quote: target(mentions, p, "programme_id").name for p in by_type(mentions, "project")
    }
    assert links == {
        "HEATWAVE": "Interreg North-West Europe",
        "COASTLINE": "Interreg Vlaanderen-Nederland",
    }


def test_territories_after_a_programme_verb_are_its_area():
    mentions = extract_mentions(PAGE, "en")
    areas = {
        t.name: target(mentions, t, "area_of").name
        for t in by_type(mentions, "territory")
        if target(mentions, t, "area_of") is not None
    }
    assert areas.get("Ireland") == "Interreg North-West Europe"
    assert areas.get("Germany") == "Interreg North-West Europe"


def test_territories_in_a_sentence_not_about_a_programme_stay_unlinked():
    text = (
        "Interreg Euregio Meuse-Rhine\n\n"
        "The mayor travelled between Liège and Maastricht with the Interreg Europe team."
    )
    mentions = extract_mentions(text, "en")
    assert all(not t.links for t in by_type(mentions, "territory"))


def test_territories_inside_a_programme_name_are_dropped():
    mentions = extract_mentions("Interreg France-Wallonie-Vlaanderen supports projects.", "en")
    assert by_type(mentions, "territory") == []


def test_organisation_partner_of_project():
    text = "The Flemish Government participates in the RIVERCARE project."
    mentions = extract_mentions(text, "en")
    org = by_type(mentions, "organisation")[0]
    assert target(mentions, org, "partner_of").quote == "RIVERCARE"


def test_project_without_context_goes_to_the_programme_sharing_its_words():
    text = (
        'The "European Creative Districts" call was launched. '
        "The Creative Wallonia framework programme started earlier.\n\n"
        "Concrete actions\n\n"
        "The regional project, dubbed “Wallonia Creative District”, involves actions."
    )
    mentions = extract_mentions(text, "en")
    project = by_type(mentions, "project")[0]
    assert target(mentions, project, "programme_id").name == "European Creative Districts"


def area_links(text, language):
    mentions = extract_mentions(text, language)
    return {
        t.quote: (target(mentions, t, "area_of").name if target(mentions, t, "area_of") else None)
        for t in by_type(mentions, "territory")
    }


def test_eligible_area_phrases_link_to_the_page_programme_in_four_languages():
    cases = [
        (
            "Interreg North-West Europe\n\nProgramme area\n\n"
            "The programme area covers Belgium and Ireland in full, and parts of France "
            "and Germany.",
            "en",
            {"Belgium", "Ireland"},
            {"France", "Germany"},
        ),
        (
            "Le programme Interreg Grande Région\n\n"
            "La zone éligible du programme couvre 65 400 km² :\n"
            "• en France : les départements de la Meuse et des Vosges ;\n"
            "• le Grand-Duché de Luxembourg dans son ensemble.",
            "fr",
            {"Meuse", "Vosges", "Grand-Duché de Luxembourg"},
            {"France"},
        ),
        (
            "Over Interreg Vlaanderen-Nederland\n\n"
            "Het programmagebied omvat de provincies Zeeland en Noord-Brabant, aangevuld met "
            "een deel van Zuid-Holland.",
            "nl",
            {"Zeeland", "Noord-Brabant"},
            {"Zuid-Holland"},
        ),
        (
            "Interreg Deutschland-Nederland\n\nÜber das Programm\n\n"
            "Zum Fördergebiet gehören die Kreise Borken und Steinfurt sowie die Region Twente.",
            "de",
            {"Borken", "Steinfurt", "Twente"},
            set(),
        ),
    ]
    for text, language, linked, unlinked in cases:
        links = area_links(text, language)
        programme = {name for name in links.values() if name}
        assert len(programme) == 1, text
        assert {q for q, p in links.items() if p} == linked, text
        assert unlinked <= {q for q, p in links.items() if p is None}, text


def test_a_programme_supporting_projects_in_places_but_not_partners_from_countries():
    text = (
        "Das Programm Interreg Oberrhein fördert Projekte im Elsass, in Baden und in der Südpfalz."
    )
    assert {q for q, p in area_links(text, "de").items() if p} == {"Elsass", "Baden", "Südpfalz"}
    text = (
        "Le programme Interreg Grande Région soutient des projets portés par des partenaires "
        "d'Allemagne et de Belgique."
    )
    assert all(p is None for p in area_links(text, "fr").values())


def test_places_a_call_is_open_to_but_not_those_of_advisory_partners():
    text = (
        "Interreg Europe opens its fifth call.\n\n"
        "The call is open to public authorities in the 27 EU Member States, Norway and "
        "Switzerland. Organisations from the United Kingdom may join as advisory partners."
    )
    links = area_links(text, "en")
    assert {q for q, p in links.items() if p} == {"Norway", "Switzerland"}


def test_a_country_holding_the_listed_regions_is_not_linked():
    text = (
        "Interreg France-Wallonie-Vlaanderen\n\n"
        "This programme covers the Hauts-de-France and Grand Est regions in France."
    )
    links = area_links(text, "en")
    assert links.get("France") is None
    assert links.get("Hauts-de-France") == "Interreg France-Wallonie-Vlaanderen"


def test_the_project_of_a_one_project_page_goes_to_the_programme_that_funds_it():
    text = (
        "Le Département lance RiverLink, un projet transfrontalier pour l'emploi.\n\n"
        "Le projet est cofinancé par le FEDER dans le cadre du programme Interreg Grande Région. "
        "La commune applique aussi la Stratégie Frontalière de la Moselle."
    )
    mentions = extract_mentions(text, "fr")
    (project,) = by_type(mentions, "project")
    assert target(mentions, project, "programme_id").name == "Interreg Grande Région / Großregion"


def linked_places(text, language):
    mentions = extract_mentions(text, language)
    return {
        t.name: target(mentions, t, "area_of") is not None for t in by_type(mentions, "territory")
    }


def test_an_area_title_links_country_labelled_lines_but_not_the_seat_or_the_labels():
    text = (
        "Interreg France-Wallonie-Vlaanderen\n"
        "Zone de coopération\n"
        "Le programme couvre un territoire de 62 000 km².\n"
        "En France : Nord, Pas-de-Calais, Aisne, Somme\n"
        "En Belgique : Hainaut, Namur\n"
        "Le secrétariat conjoint se trouve à Lille.\n"
    )
    links = linked_places(text, "fr")
    assert all(links[name] for name in ("Pas-de-Calais", "Hainaut", "Namur"))
    assert not links["Lille"]
    assert not links["France"] and not links["Belgium"]


def test_a_foerdergebiet_title_links_the_lists_under_country_labels_up_to_the_next_heading():
    text = (
        "Interreg Oberrhein\n"
        "Fördergebiet\n"
        "In Deutschland:\n"
        "• Ortenaukreis\n"
        "• Landkreis Karlsruhe\n"
        "In Frankreich:\n"
        "• Bas-Rhin\n"
        "• Haut-Rhin\n"
        "Kontakt: Gemeinsames Sekretariat, Straßburg\n"
    )
    links = linked_places(text, "de")
    assert links["Ortenaukreis"] and links["Bas-Rhin"] and links["Haut-Rhin"]
    assert not links["Germany"] and not links["France"] and not links["Strasbourg"]


def test_a_running_sentence_under_an_area_title_counts_only_after_its_area_verb():
    text = (
        "Interreg Vlaanderen-Nederland\n"
        "Programme area\n"
        "Visitors from Lyon admire the landscape of the region every summer.\n"
        "The area includes Zeeland and West Flanders.\n"
        "Our twin towns are Lyon and Kraków.\n"
    )
    links = linked_places(text, "en")
    assert links["Zeeland"] and links["West Flanders"]
    assert not links["Lyon"]


def test_partner_regions_of_the_programme_are_its_area():
    text = (
        "Interreg Deutschland-Nederland\n\n"
        "The partner regions are Gelderland, Overijssel and Niedersachsen.\n"
        "The joint secretariat is located in Kleve.\n"
    )
    links = linked_places(text, "en")
    assert links["Gelderland"] and links["Overijssel"] and links["Lower Saxony"]
    assert not links["Kleve"]
