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


def names(text, language="und"):
    return [m.quote for m in orgs(text, language)]


def by_quote(text, language="und"):
    return {m.quote: values(m) for m in orgs(text, language)}


# ------------------------------------------------------------ public authorities


def test_authority_word_and_place_is_an_organisation_in_four_languages():
    assert by_quote("Het project wordt getrokken door de Provincie Zeeland.", "nl") == {
        "Provincie Zeeland": {"country_code": "NL"}
    }
    assert by_quote("L'autorité de gestion du programme est la Région Grand Est.", "fr") == {
        "Région Grand Est": {"country_code": "FR"}
    }
    found = by_quote("Mitfinanziert vom Land Baden-Württemberg und vom Kanton Basel-Stadt.", "de")
    assert found == {
        "Land Baden-Württemberg": {"country_code": "DE"},
        "Kanton Basel-Stadt": {"country_code": "CH"},
    }
    assert by_quote("The City of Aachen maintains partnerships.", "en") == {
        "City of Aachen": {"country_code": "DE"}
    }
    assert names("The programme is managed by the Hauts-de-France Region.") == [
        "Hauts-de-France Region"
    ]


def test_two_names_of_one_authority_share_a_key():
    text = "It is managed by the Hauts-de-France Region (Région Hauts-de-France)."
    found = orgs(text)
    assert [m.quote for m in found] == ["Hauts-de-France Region", "Région Hauts-de-France"]
    assert found[0].key is not None and found[0].key == found[1].key


def test_the_place_named_as_a_place_stays_a_territory_only():
    for text, language in [
        ("Im Kreis Kleve und in der Stadt Nijmegen leben viele Grenzpendler.", "de"),
        ("La région Grand Est compte 5,5 millions d'habitants.", "fr"),
        ("The Province of Antwerp, the province of Limburg and South Limburg form the area.", "en"),
        ("Oevers op de grens van Noord-Brabant en de provincie Antwerpen.", "nl"),
        ("Dazu gehören die kreisfreie Stadt Landau in der Pfalz und Germersheim.", "de"),
        ("Les départements de la Moselle et du Bas-Rhin sont concernés.", "fr"),
    ]:
        assert names(text, language) == [], text


def test_lower_case_authority_acts_after_an_agent_word_or_beside_an_organisation():
    text = "Het project wordt gefinancierd door de provincie Limburg en de gemeente Maastricht."
    assert names(text, "nl") == ["provincie Limburg", "gemeente Maastricht"]
    text = "Zij overleggen met de provincie Noord-Brabant en de Benelux Unie."
    assert names(text, "nl") == ["provincie Noord-Brabant", "Benelux Unie"]


# ------------------------------------------------------------ names around a head word


def test_french_names_run_on_through_lower_case_words():
    text = (
        "Partenaires : la Maison de l'emploi transfrontalière de Forbach ; le Syndicat mixte "
        "des eaux du Ried de Colmar ; la Chambre de commerce et d'industrie de la Moselle et le "
        "Centre hospitalier régional de Metz-Thionville."
    )
    assert names(text, "fr") == [
        "Maison de l'emploi transfrontalière de Forbach",
        "Syndicat mixte des eaux du Ried de Colmar",
        "Chambre de commerce et d'industrie de la Moselle",
        "Centre hospitalier régional de Metz-Thionville",
    ]
    found = by_quote("Contactez le Secrétariat d'État à l'économie (SECO) à Berne.", "fr")
    assert found["Secrétariat d'État à l'économie"]["acronym"] == "SECO"


def test_french_name_stops_before_the_verb():
    assert names("La Maison de la Région accueille le secrétariat. L'Agence Pixelune – Nancy") == [
        "Agence Pixelune"
    ]


def test_german_and_dutch_compound_heads_and_elliptic_names():
    text = (
        "Partner sind die Hochschule Kehl-Rhein für angewandte Umweltwissenschaften, der "
        "Wasserzweckverband Kaiserstuhl-Nord und die Industrie- und Handelskammer Aachen."
    )
    assert names(text, "de") == [
        "Hochschule Kehl-Rhein für angewandte Umweltwissenschaften",
        "Wasserzweckverband Kaiserstuhl-Nord",
        "Industrie- und Handelskammer Aachen",
    ]
    assert names("De Zorggroep Twentse Grens en het Landratsamt Lörrach werken samen.") == [
        "Zorggroep Twentse Grens",
        "Landratsamt Lörrach",
    ]


def test_two_names_joined_by_and_stay_two():
    text = "Led by the University of Liège and Maastricht University, with the Chamber of Commerce."
    assert names(text) == ["University of Liège", "Maastricht University", "Chamber of Commerce"]


def test_association_named_after_a_lower_case_kind_word():
    found = by_quote("Il s'appuie sur l'association Frontaliers Lorraine-Sarre (AFLS).", "fr")
    assert found == {"Frontaliers Lorraine-Sarre": {"acronym": "AFLS"}}


# ------------------------------------------------------------ lists, labels, acronyms


def test_partner_list_suffixes_give_country_not_acronym():
    text = (
        "Partners\n"
        "• Pflegeschule Westmünsterland gGmbH (Ahaus, DE)\n"
        "• Stichting Kwelderkennis (the Netherlands)\n"
        "• Fachstelle Grundwasser Nordwestschweiz, Basel (CH)\n"
        "• Observatoire Rhénan des Eaux Souterraines (ORES), Straßburg (FR) – Projektträger\n"
        "• Agency for Maritime and Coastal Services (MDK) of the Flemish Government (Belgium)\n"
    )
    found = by_quote(text)
    assert found == {
        "Pflegeschule Westmünsterland gGmbH": {"country_code": "DE"},
        "Stichting Kwelderkennis": {"country_code": "NL"},
        "Fachstelle Grundwasser Nordwestschweiz": {"country_code": "CH"},
        "Observatoire Rhénan des Eaux Souterraines": {"acronym": "ORES", "country_code": "FR"},
        "Agency for Maritime and Coastal Services": {"acronym": "MDK", "country_code": "BE"},
        "Flemish Government": {"country_code": "BE"},
    }


def test_value_of_a_role_label():
    text = "Lead-Partner\nStadtwerke Emden GmbH, Emden\nProjektträger: Kompetenzzentrum Nord e.V."
    assert by_quote(text, "de") == {
        "Stadtwerke Emden GmbH": {"country_code": "DE"},
        "Kompetenzzentrum Nord e.V.": {"country_code": "DE"},
    }


def test_acronyms_named_as_co_workers():
    text = "Het Kenniscentrum Grensarbeid coördineert het project samen met VDAB en UWV."
    assert names(text, "nl") == ["Kenniscentrum Grensarbeid", "VDAB", "UWV"]
    assert names("Het project werkt samen met NL en BE partners.", "nl") == []


def test_country_from_legal_form_adjective_town_and_address():
    assert by_quote("Penvoerder is Logistiek Platform Scheldemond vzw.", "nl") == {
        "Logistiek Platform Scheldemond vzw": {"country_code": "BE"}
    }
    text = "Kofinanziert vom niederländischen Ministerie van Economische Zaken en Klimaat."
    assert by_quote(text, "de") == {
        "Ministerie van Economische Zaken en Klimaat": {"country_code": "NL"}
    }
    assert by_quote("Het Kenniscentrum Grensarbeid uit Sas van Gent helpt.", "nl") == {
        "Kenniscentrum Grensarbeid": {"country_code": "NL"}
    }
    text = "Kenniscentrum Kust\nAbdij 6\n4331 BK Middelburg\nTelefoon: 0118 63 10 11\n"
    assert by_quote(text, "nl") == {"Kenniscentrum Kust": {"country_code": "NL"}}


# ------------------------------------------------------------ what is not an organisation


def test_people_places_addresses_and_boilerplate_are_not_organisations():
    for text in [
        "Contact\nJan Peeters\nProject Manager\n+32 50 40 34 19",
        "Director of the Agency, Marie Dupont, said the Network will grow.",
        "Rue de la Loi 200, 1049 Brussels",
        "This website uses cookies to measure the audience.",
        "About the Network\n\nOur Partners\n\nJoin the Association",
        "The City of Aachen twins with Reims (France), Halifax (United Kingdom) and "
        "Naumburg (Saale). Partnerships with Cape Town (South Africa) too.",
        "The Joint Secretariat and the Monitoring Committee met in Lille.",
        "Het SALTAGRO project werkt met zilte teelten.",
    ]:
        found = [n for n in names(text) if n != "City of Aachen"]
        assert found == [], text


def test_name_broken_over_two_lines_is_not_read_in_half():
    text = "Provinciebestuur West-Vlaanderen\nDienst Economie en Europese\n& Internationale Zaken\n"
    assert names(text, "nl") == ["Provinciebestuur West-Vlaanderen"]


def test_cross_border_groupings_get_no_country():
    text = "EVTZ Eurodistrikt PAMINA\nAltes Zollhaus\nF-67630 Lauterbourg\nTel.: +33 3 68 33 88\n"
    found = orgs(text, "de")
    assert found and all("country_code" not in values(m) for m in found)
    assert by_quote("Lead partner: EUREGIO e.V., Gronau") == {"EUREGIO e.V.": {}}


# ------------------------------------------------------------ boundaries and context


def test_name_stops_at_a_separator_before_an_address_or_a_section_label():
    text = (
        "Agence de Développement Territorial - 12 rue Haute, 5000 Namur\n\n"
        "Chambre de Commerce de Lille - Actualités\n\n"
        "Wirtschaftsförderung Kreis Wesel - Reeser Landstraße 31, 46483 Wesel\n"
        "Telefon: 0281 207 0\n"
    )
    found = names(text, "fr")
    assert "Agence de Développement Territorial" in found
    assert "Chambre de Commerce de Lille" in found
    assert "Wirtschaftsförderung Kreis Wesel" in found
    assert not any(" - " in n or "Actualités" in n for n in found)


def test_french_conjunction_joins_name_parts_but_not_the_next_phrase():
    text = (
        "La Direction de l'Europe et de l'International travaille avec la "
        "Direction de l'Europe et du transfrontalier. Il a été réalisé par la Direction de "
        "l'Emploi et des partenaires locaux. L'Agence wallonne à l'Exportation et aux "
        "Investissements étrangers et la Caisse primaire d'assurance maladie du Bas-Rhin "
        "signent avec la Direction régionale de l'environnement, de l'aménagement et du "
        "logement."
    )
    found = names(text, "fr")
    assert "Direction de l'Europe et de l'International" in found
    assert "Direction de l'Europe et du transfrontalier" in found
    assert "Direction de l'Emploi" in found  # 'et des partenaires locaux' is not the name
    assert "Agence wallonne à l'Exportation et aux Investissements étrangers" in found
    assert "Caisse primaire d'assurance maladie du Bas-Rhin" in found
    assert "Direction régionale de l'environnement, de l'aménagement et du logement" in found


def test_french_adjective_after_a_capitalised_noun_but_not_after_english_heads():
    assert "Service des Affaires européennes" in names(
        "Le Service des Affaires européennes répond.", "fr"
    )
    assert names("Commission officials met the experts.", "en") == []


def test_german_elliptic_coordination_and_clause_after_the_name():
    text = (
        "Das Bundesinstitut für Bau-, Stadt- und Raumforschung berät. Der Landesbetrieb für "
        "Wasserwirtschaft, Küsten- und Naturschutz koordiniert. In Dänemark betreut Aabenraa "
        "Kommune die Arbeitsmärkte der Region. Die Industrie- und Handelskammer zu Flensburg "
        "leitet es."
    )
    found = names(text, "de")
    assert "Bundesinstitut für Bau-, Stadt- und Raumforschung" in found
    assert "Landesbetrieb für Wasserwirtschaft, Küsten- und Naturschutz" in found
    assert "Aabenraa Kommune" in found
    assert "Industrie- und Handelskammer zu Flensburg" in found


def test_project_name_before_the_organisation_is_not_part_of_it():
    found = names("Das Projekt Grenzlicht der Hochschule Kehl startet.", "de")
    assert found == ["Hochschule Kehl"]


def test_authorities_listed_as_parts_of_an_area_are_places():
    area = "Das Programmgebiet umfasst den Landkreis Kleve, den Kreis Borken und den Kreis Wesel."
    assert names(area, "de") == []
    partners = "Partner sind der Kreis Borken und die Gemeente Winterswijk."
    assert {"Kreis Borken", "Gemeente Winterswijk"} <= set(names(partners, "de"))


def test_lower_case_town_word_is_the_town_unless_the_town_acts():
    assert names("Avec la ville de Mons et la ville de Tournai.", "fr") == []
    assert names("Het loopt in de stad Brugge en de stad Gent.", "nl") == []
    assert names("Financé par la ville de Liège.", "fr") == ["ville de Liège"]


def test_building_and_generic_secretariat_are_not_organisations():
    assert names("La réunion a lieu à la Maison de la Province à Arlon.", "fr") == []
    assert names("Das Gemeinsame Sekretariat des Programms berät.", "de") == []


def test_meeting_bodies_need_their_place():
    found = names("Der Gipfel der Großregion tagte. IND TECH 2024 - Conference on Robots.", "de")
    assert found == ["Gipfel der Großregion"]
    assert names("La conférence de presse a eu lieu.", "fr") == []


def test_national_government_by_adjective_shares_one_key():
    text = (
        "The French State and the Belgian federal government agreed. L'État français paie. "
        "De Belgische federale overheid volgt. The Member State decides."
    )
    found = {m.quote: m for m in orgs(text)}
    assert found["French State"].key == found["État français"].key
    assert found["Belgian federal government"].key == found["Belgische federale overheid"].key
    assert values(found["État français"])["country_code"] == "FR"
    assert "Member State" not in found


def test_one_word_co_workers_and_intercommunales():
    assert "Leiedal" in names("Together with Leiedal, the Province of West Flanders signed.")
    dutch = orgs("Het wordt uitgevoerd door de intercommunale WVI. Later tekent WVI.", "nl")
    assert [(m.quote, values(m)) for m in dutch] == [
        ("WVI", {"acronym": "WVI", "country_code": "BE"}),
        ("WVI", {"acronym": "WVI", "country_code": "BE"}),
    ]
    # German capitalises every noun; a bare 'met' is too common; places stay places
    assert names("In Zusammenarbeit mit Schulen und Vereinen.", "de") == []
    assert names("Het project werkt met Gent en Brugge.", "nl") == []
    assert "WVI" in names("In Zusammenarbeit mit Leiedal und WVI.", "de")
