"""Project mentions from lists and phrases, and negative cases."""

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.extract import extract_mentions
from pipeline.extract.projects import stands_alone_in


def projects(text, language="en"):
    return [m for m in extract_mentions(text, language) if m.record_type == "project"]


def test_list_items_under_a_projects_sentence_with_descriptions():
    text = (
        "Several projects were funded by the programme such as :\n\n"
        "• GREENLINK: a cycle route across the border.\n"
        "• Care4All: shared ambulances.\n"
    )
    found = projects(text)
    assert [m.quote for m in found] == ["GREENLINK", "Care4All"]
    assert [v.value for v in found[0].values if v.field == "description"] == [
        "a cycle route across the border."
    ]


def test_project_phrases_in_four_languages():
    assert [m.quote for m in projects("The city joined the HEATWAVE project last year.")] == [
        "HEATWAVE"
    ]
    assert [
        m.quote for m in projects("La ville participe au projet RiverLink depuis 2020.", "fr")
    ] == ["RiverLink"]
    assert [m.quote for m in projects("De gemeente leidt het project GrensZorg.", "nl")] == [
        "GrensZorg"
    ]
    assert [m.quote for m in projects("Die Stadt ist Partner im Projekt SaarMobil.", "de")] == [
        "SaarMobil"
    ]


def test_pilots_with_a_defined_acronym_are_one_project():
    text = (
        "On May 3rd, the Advanced Materials (AM) Pilot of the network met.\n\n"
        "AM Pilot implements a new process.\n\n"
        "Energy and Batteries Pilots successful in calls."
    )
    found = projects(text)
    names = [m.name for m in found]
    assert names.count("Advanced Materials Pilot") == 2
    assert "Energy Pilot" in names and "Batteries Pilot" in names


def test_dubbed_quoted_name():
    found = projects("The regional project, dubbed “Smart Border Lab”, involves ten actions.")
    assert [m.quote for m in found] == ["Smart Border Lab"]


def test_headings_and_generic_phrases_are_not_projects():
    text = (
        "Our Pilots\n\nNews of the pilots\n\n"
        "See the list of all projects at\n"
        "• Currently there are no calls for projects open\n\n"
        "The Walloon project was praised. Innovative projects in various fields exist. "
        "This project aims high."
    )
    assert projects(text) == []


def test_name_lines_followed_by_a_paragraph_after_a_projects_heading():
    text = (
        "De goedgekeurde projecten\n"
        "HAVENLINK\n"
        "Het project HAVENLINK koppelt de havens van beide landen aan elkaar.\n"
        "Werkpad\n"
        "Werkpad helpt werkzoekenden aan een baan over de grens, samen met de VDAB.\n"
        "Volgende oproep\n"
        "De volgende oproep opent in het voorjaar van 2025 voor nieuwe voorstellen.\n"
    )
    assert sorted({m.quote for m in projects(text, "nl")}) == ["HAVENLINK", "Werkpad"]


def test_a_name_line_elsewhere_needs_a_project_paragraph_and_a_written_name():
    text = (
        "Über uns\n\n"
        "AquaGrenz\n\n"
        "Das Projekt AquaGrenz misst das Grundwasser auf beiden Seiten des Rheins.\n\n"
        "Contact\n\n"
        "Contact us about your project at the office of the joint secretariat.\n\n"
        "Financial support\n\n"
        "Financial support for the project comes from the region and the state.\n"
    )
    assert {m.quote for m in projects(text, "de")} == {"AquaGrenz"}


def test_name_and_description_lines_under_a_projects_heading():
    lines = (
        "SOILCARB-EU – farmers test practices that store carbon.\n"
        "Heat Commons – cooperatives green local heat networks.\n"
    )
    found = projects("Featured projects\n\n" + lines + "\nSee all projects\n")
    assert [m.quote for m in found] == ["SOILCARB-EU", "Heat Commons"]
    assert projects("Managing authority\n\n" + lines) == []


def test_projects_named_together_after_a_plural_head():
    text = (
        "Die Projekte Auen Lebendig und Bilingua Kita werden kofinanziert. "
        "Les projets RiverLink et SantéPlus sont terminés."
    )
    assert [m.quote for m in projects(text, "de")] == [
        "Auen Lebendig",
        "Bilingua Kita",
        "RiverLink",
        "SantéPlus",
    ]
    assert projects("Die Projekte Umwelt werden gefördert.", "de") == []


def test_an_acronym_is_expanded_only_to_a_name_the_page_writes():
    text = (
        "Aachen is a member of the Euregio Meuse-Rhine (EMR).\n\n"
        "Our cross-border projects include:\n\n"
        "- EMR Heat Atlas: a shared map of heat risks.\n"
        "- Border Night Bus: late-evening bus lines.\n"
    )
    names = [m.name for m in projects(text)]
    assert "EMR Heat Atlas" in names
    assert "Euregio Meuse-Rhine Heat Atlas" not in names


def test_project_names_in_the_first_column_of_a_table():
    text = (
        "Wij werken samen met Duitse partners aan zorg en werk.\nProjecten in de kijker\n"
        "Project\nProgramma\nPenvoerder\nGrensZorgNet\nInterreg Deutschland-Nederland\n"
        "Ziekenhuis Oost\nWaterkracht Achterhoek\nOP EFRO Oost-Nederland\nWaterschap Oost\n"
    )
    names = [m.name for m in projects(text, "nl")]
    assert "GrensZorgNet" in names and "Waterkracht Achterhoek" in names
    assert "Ziekenhuis Oost" not in names


def test_a_menu_of_labels_is_not_a_table_of_projects():
    menu = "Home\nAbout\nProgramme\nProjects\nCalls\nNews\nContact\n"
    assert projects(menu) == []


def test_name_and_description_items_under_a_projects_heading_but_not_labels():
    text = (
        "Interreg funds cross-border work.\nFunded projects\n"
        "• FLOODSHIELD – nature-based flood defences in river towns\n"
        "Telefoon: 0118 123 456\nPartager : LinkedIn Facebook\n"
    )
    names = [m.name for m in projects(text)]
    assert names == ["FLOODSHIELD"]


def test_quoted_names_after_a_project_word_or_among_projects():
    text = (
        'Het project "Fort in Beeld" maakt de forten digitaal toegankelijk.\n'
        "Sous le programme, 180 projets avaient été soutenus, dont « Clim'Ability ».\n"
        'The minister quoted "Green Deal" in her speech.'
    )
    names = [m.name for m in projects(text)]
    assert names == ["Fort in Beeld", "Clim'Ability"]


def test_a_heading_whose_paragraph_opens_with_it_as_a_written_name():
    text = (
        "Our work spans the whole region.\nCircularFood\n"
        "CircularFood turns food waste from supermarkets into animal feed in three cities.\n"
        "Contact\nContact us by mail if you have questions about the region and its work."
    )
    assert [m.name for m in projects(text)] == ["CircularFood"]


def acronyms_of(mention):
    return [v.value for v in mention.values if v.field == "acronym"]


def test_fact_sheet_labels_name_the_project_with_its_acronym():
    text = (
        "Acronyme : MARÉLIA\n"
        "Titre du projet : Marées et littoral en action\n"
        "Chef de file : Université du Littoral\n"
        "Durée : 2023-2026\n"
    )
    found = projects(text, "fr")
    assert [m.quote for m in found] == ["Marées et littoral en action"]
    assert acronyms_of(found[0]) == ["MARÉLIA"]
    assert [m.quote for m in projects("Projektname: GrenzWald\nLaufzeit: 2022–2025\n", "de")] == [
        "GrenzWald"
    ]
    piped = "| Acronym | TIDEWAVE |\n| Project title | Tidal Waves of Innovation |\n"
    assert [m.quote for m in projects(piped)] == ["Tidal Waves of Innovation"]


def test_fact_sheet_labels_with_a_sentence_or_a_label_are_not_projects():
    text = (
        "Project: The aim is to train nurses in three countries.\n"
        "Project name\nProgramme\nLead partner\n"
        "Projet : à définir\n"
    )
    assert projects(text) == []


def test_a_title_line_whose_full_name_spells_the_acronym():
    text = (
        "GREENPORT – Green Ports for a Circular Economy\n\n"
        "The project brings together eight partners from four countries.\n\n"
        "Blue Dune Restoration (BLUEDUNE)\n"
    )
    found = projects(text)
    assert [m.quote for m in found] == [
        "Green Ports for a Circular Economy",
        "Blue Dune Restoration",
    ]
    assert [acronyms_of(m) for m in found] == [["GREENPORT"], ["BLUEDUNE"]]


def test_title_lines_of_bodies_funds_or_unspelled_acronyms_are_not_projects():
    text = (
        "Europäischer Verbund für territoriale Zusammenarbeit (EVTZ)\n\n"
        "European Regional Development Fund (ERDF)\n\n"
        "NEWS – Latest updates from the secretariat\n\n"
        "The programme funds projects in four countries.\n"
    )
    assert projects(text) == []


def test_acronym_in_brackets_with_a_label():
    found = projects(
        "Le projet transfrontalier Santé Sans Frontières (acronyme : SSF) facilite les soins.", "fr"
    )
    assert [m.quote for m in found] == ["Santé Sans Frontières"]
    assert acronyms_of(found[0]) == ["SSF"]


def test_a_name_defined_as_a_project_in_four_languages():
    for text, language in (
        ("SeaWard Care is a project co-funded by the programme.", "en"),
        ("SeaWard Care est un projet transfrontalier.", "fr"),
        ("SeaWard Care is een project van drie provincies.", "nl"),
        ("SeaWard Care ist ein grenzüberschreitendes Projekt.", "de"),
    ):
        assert [m.quote for m in projects(text, language)] == ["SeaWard Care"]
    for text in (
        "It is a project of the city.",
        "This is a project for all.",
        "Ce n'est pas un projet.",
    ):
        assert projects(text) == []


def test_project_word_with_a_programme_prefix_or_opening_a_line():
    assert [
        m.quote for m in projects("Het Interreg-project Grensdata verzamelt cijfers.", "nl")
    ] == ["Grensdata"]
    assert [
        m.quote for m in projects("Projet Rivages – un partenariat pour le littoral.", "fr")
    ] == ["Rivages"]
    assert projects("Project partners met in Lille.") == []


def test_names_written_as_names_after_projects_and_a_colon():
    found = projects("Approved projects: NOVA, BRIDGE and SeaMore were selected on Monday.")
    assert [m.quote for m in found] == ["NOVA", "BRIDGE", "SeaMore"]
    assert projects("Projects: overview, calls and results.") == []
    assert projects("Projects: Overview") == []


def test_a_projects_line_over_a_bulleted_list_heads_it():
    text = (
        "10%\nFunded projects\n"
        "• FLOODSHIELD – nature-based flood defences in river towns\n"
        "• Green Ports for a Circular Economy (GREENPORT) – cleaner small harbours\n"
    )
    found = projects(text)
    assert [m.quote for m in found] == ["FLOODSHIELD", "Green Ports for a Circular Economy"]
    assert acronyms_of(found[1]) == ["GREENPORT"]


def test_project_column_of_a_pipe_table_but_not_other_tables():
    text = (
        "| Project | Programme | Lead partner |\n|---|---|---|\n"
        "| RiverGuard | Interreg Rhin Supérieur | Stadt Kehl |\n"
        "| Border Health Link | Interreg Grande Région | CHU Nancy |\n\n"
        "| Programme | Budget |\n|---|---|\n| Interreg Oberrhein | 125 M€ |\n"
    )
    assert [m.quote for m in projects(text)] == ["RiverGuard", "Border Health Link"]


def test_a_name_line_under_a_projects_heading_needs_no_repetition_when_written_as_a_name():
    text = (
        "Funded projects\n\n"
        "RiverLife\n"
        "Restoring the floodplains of the Meuse with local farmers and nature groups.\n\n"
        "Contact\n"
        "Write to the joint secretariat for any question about the programme and its calls.\n"
    )
    assert [m.quote for m in projects(text)] == ["RiverLife"]


@settings(max_examples=500, deadline=None)
@given(
    name=st.text(alphabet="ab-_ é.", min_size=0, max_size=4),
    passage=st.text(alphabet="ab-_ é.\n", max_size=14),
)
def test_a_name_stands_alone_where_the_look_around_pattern_finds_it(name, passage):
    """The name-line test without a pattern per line answers as the pattern did."""
    pattern = rf"(?<![\w-]){re.escape(name)}(?![\w-])"
    assert stands_alone_in(name, passage) == (re.search(pattern, passage) is not None)


def test_a_name_inside_a_longer_word_or_compound_does_not_stand_alone():
    assert stands_alone_in("Sea", "The Sea project and SeaMore.")
    assert not stands_alone_in("Sea", "SeaMore and North-Sea partners.")
    assert not stands_alone_in("Sea", "Seas")
