"""Project mentions from lists and phrases, and negative cases."""

from pipeline.extract import extract_mentions


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
