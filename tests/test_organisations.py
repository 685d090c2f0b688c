"""Organisation mentions: name patterns, acronyms, contact blocks; and what is not one."""

from pipeline.extract import extract_mentions


def orgs(text, language="en"):
    return [m for m in extract_mentions(text, language) if m.record_type == "organisation"]


def values(m):
    return {v.field: v.value for v in m.values}


def test_head_word_names_with_acronym_and_country():
    text = "The Walloon Agency for Telecommunications (AWT) and the Flemish Government agreed."
    found = {m.quote: values(m) for m in orgs(text)}
    assert found["Walloon Agency for Telecommunications"] == {
        "acronym": "AWT",
        "country_code": "BE",
    }
    assert found["Flemish Government"]["country_code"] == "BE"


def test_french_dutch_german_names():
    assert [m.quote for m in orgs("Le Gouvernement wallon a décidé.", "fr")] == [
        "Gouvernement wallon"
    ]
    dutch = orgs("Contact: Provinciebestuur Limburg, dienst Europa.", "nl")
    assert dutch[0].quote == "Provinciebestuur Limburg"
    found = orgs("Das Bayerische Staatsministerium für Wirtschaft fördert.", "de")
    assert [m.quote for m in found] == ["Bayerische Staatsministerium für Wirtschaft"]


def test_later_uses_of_a_defined_acronym_point_to_the_full_name():
    text = (
        "The MEL commissioned the Lille Metropolis Development and Urban Planning Agency "
        "(ADULM) to help. More info (ADULM website)."
    )
    uses = [m for m in orgs(text) if m.quote == "ADULM"]
    assert uses and all(
        m.canonical == "Lille Metropolis Development and Urban Planning Agency" for m in uses
    )


def test_metropolitan_authority_variants_share_one_key():
    text = (
        "Lille Metropole is a partner. The Lille European Metropolis agreed. "
        "Photo: Métropole Européenne de Lille."
    )
    keys = {m.key for m in orgs(text) if m.key}
    assert keys == {"metropole:lille"}


def test_egtc_name_and_eu_institution():
    text = (
        "the European Grouping of Territorial Cooperation Alzette Belval joined; "
        "the European Commission launched a call."
    )
    found = {m.name: m for m in orgs(text)}
    assert "Alzette Belval" in found
    assert found["European Commission"].key == "ref:european-commission"
    assert "country_code" not in values(found["European Commission"])


def test_contact_block_name_but_not_people_or_labels():
    text = (
        "Brussels Office Address\n\nRue Belliard 65\n1040 Brussels\n\n"
        "• Wallonie Bruxelles International\n\n• +32 (0)2 421 82 11\n\n"
        "Jan Peeters\n+32 50 40 34 19\n"
    )
    assert [m.quote for m in orgs(text)] == ["Wallonie Bruxelles International"]


def test_people_titles_headings_and_boilerplate_are_not_organisations():
    text = (
        "Political Representatives\n\nVice-President of the Governement\n\n"
        "Regional Contact Persons\nVincent Lepage\n\nSenior advisor\n\n"
        "The Government adopted it. The Region and the Department met."
    )
    assert orgs(text) == []


def test_consortium_members_take_the_country_of_the_lead_in():
    text = (
        "The consortium, made up of 3 Walloon players (Alpha Design, Beta Invest and "
        "Gamma Campus), leads the work."
    )
    found = {m.quote: values(m).get("country_code") for m in orgs(text)}
    assert found == {"Alpha Design": "BE", "Beta Invest": "BE", "Gamma Campus": "BE"}
