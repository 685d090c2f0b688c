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
