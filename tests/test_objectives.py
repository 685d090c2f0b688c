"""Objectives and numbered actions from document structure."""

from pipeline.extract import extract_mentions


def of_type(mentions, record_type):
    return [m for m in mentions if m.record_type == record_type]


def values(m):
    return {v.field: v.value for v in m.values}


CODED = (
    "Interreg Grande Région\n\n"
    "SO 2.4 Climate change adaptation\n\n"
    "• Boost resilience.\n"
    "1. Joint risk plans.\n"
    "2. Early warning tools.\n\n"
    "ISO1(b) Legal obstacles\n\n"
    "• Remove obstacles.\n"
    "1. A method to solve border obstacles.\n"
)


def test_coded_objectives_with_their_numbered_actions():
    mentions = extract_mentions(CODED, "en")
    objectives = of_type(mentions, "objective")
    assert [values(o)["code"] for o in objectives] == ["RSO2.4", "ISO6.2"]
    assert [values(o)["regulation_code"] for o in objectives] == ["RSO2.4", "ISO6.2"]
    assert [o.name for o in objectives] == ["Climate change adaptation", "Legal obstacles"]
    actions = of_type(mentions, "objective_action")
    first = [a for a in actions if a.links[0].target.start == objectives[0].start]
    assert [values(a)["position"] for a in first] == [1, 2]
    assert [a.quote for a in first] == ["Joint risk plans.", "Early warning tools."]
    programme = {(m.start, m.end): m for m in of_type(mentions, "programme")}
    for o in objectives:
        link = next(link for link in o.links if link.field == "programme_id")
        assert programme[(link.target.start, link.target.end)].key == "ref:interreg-grande-region"


def test_french_list_of_priorities_after_an_announcing_sentence():
    text = (
        "La stratégie Territoire Durable définit trois axes :\n"
        "- Mobilité douce\n- Santé transfrontalière\n- Emploi des jeunes\n"
    )
    objectives = of_type(extract_mentions(text, "fr"), "objective")
    assert [o.quote for o in objectives] == [
        "Mobilité douce",
        "Santé transfrontalière",
        "Emploi des jeunes",
    ]


def test_a_stated_count_that_disagrees_rejects_the_list():
    text = "Five strategic areas have been identified :\n- Health\n- Energy\n"
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_inline_enumeration_with_matching_count():
    text = (
        "It combines five thematic areas (mobility, citizenship, economic development, "
        "climate issues and quality of life)."
    )
    titles = [o.quote for o in of_type(extract_mentions(text, "en"), "objective")]
    assert titles == [
        "mobility",
        "citizenship",
        "economic development",
        "climate issues",
        "quality of life",
    ]


def test_lists_that_are_not_objectives():
    text = (
        "This programme covers four border regions:\n• Nord\n• Hainaut\n• Namur\n\n"
        "Our partners:\n- City of Ghent\n- Province of Limburg\n"
    )
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_code_like_words_in_running_text_are_not_objectives():
    text = "The ISO 9001 certificate and the SO 2 emissions were measured."
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_a_programme_numbering_interreg_objectives_as_rso_keeps_its_code():
    text = "RSO 6.1 Enhance the institutional capacity of public authorities\n"
    (objective,) = of_type(extract_mentions(text, "en"), "objective")
    assert values(objective)["code"] == "RSO6.1"
    assert values(objective)["regulation_code"] == "ISO6.1"
    assert values(objective)["policy_objective"] == "ISO1"


def actions_of(mentions, objective):
    return [
        a
        for a in of_type(mentions, "objective_action")
        if a.links[0].target.start == objective.start
    ]


def test_actions_after_a_label_line_in_four_languages():
    for label, language in (
        ("Examples of actions:", "en"),
        ("Types d'actions soutenues :", "fr"),
        ("Voorbeelden van acties:", "nl"),
        ("Geförderte Maßnahmen:", "de"),
    ):
        text = f"RSO 2.4 Climate change adaptation\n{label}\n1. Joint plans.\n2. Early warning.\n"
        mentions = extract_mentions(text, language)
        (objective,) = of_type(mentions, "objective")
        assert [a.quote for a in actions_of(mentions, objective)] == [
            "Joint plans.",
            "Early warning.",
        ], label


def test_a_label_about_something_else_or_a_paragraph_ends_the_objective():
    for between in ("Target groups:", "This objective has no separate list of actions."):
        text = f"SO 1.4 Skills for smart specialisation\n{between}\n1. Schools.\n2. Firms.\n"
        mentions = extract_mentions(text, "en")
        (objective,) = of_type(mentions, "objective")
        assert actions_of(mentions, objective) == [], between


def test_numbered_priority_lines_are_objectives_in_four_languages():
    text = (
        "Priority 1 – Climate and environment\n\n"
        "Priorité 2 : Une Grande Région plus sociale\n\n"
        "Prioriteit 3 - Een slimmere grensregio\n\n"
        "Priorität: B – Ein grüneres Oberrhein\n"
    )
    objectives = of_type(extract_mentions(text, "en"), "objective")
    assert [o.name for o in objectives] == [
        "Climate and environment",
        "Une Grande Région plus sociale",
        "Een slimmere grensregio",
        "Ein grüneres Oberrhein",
    ]
    assert all("code" not in values(o) for o in objectives)


def test_priority_sentences_and_priority_words_alone_are_not_objectives():
    text = (
        "Priority 1 is to reduce emissions before 2030.\n\n"
        "Priorität 2 – die Umsetzung erfolgt bis 2027.\n\n"
        "Programmpriorität\n\nPriority areas\n"
    )
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_quoted_priorities_after_the_noun():
    text = (
        "De projecten passen binnen de prioriteiten 'Een slimmere grensregio' en "
        "'Een groenere grensregio'. Le projet relève de la priorité « Une région plus verte »."
    )
    titles = [o.quote for o in of_type(extract_mentions(text, "nl"), "objective")]
    assert titles == ["Een slimmere grensregio", "Een groenere grensregio", "Une région plus verte"]


def test_quoted_words_that_are_not_after_an_objective_noun_are_not_objectives():
    text = "The mayor called it 'A greener border region' and the 'priority' was clear."
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_a_specific_objective_cited_by_number_in_a_sentence():
    text = (
        "Le projet est cofinancé par le programme Interreg VI A Grande Région, au titre de "
        "l'objectif spécifique 4.2 consacré à l'éducation."
    )
    (objective,) = of_type(extract_mentions(text, "fr"), "objective")
    assert objective.quote == "objectif spécifique 4.2"
    assert values(objective)["code"] == "RSO4.2"


def test_cited_numbers_outside_the_regulation_or_already_listed_are_not_repeated():
    unknown = "Siehe spezifisches Ziel 9.9 des Plans."
    assert of_type(extract_mentions(unknown, "de"), "objective") == []
    text = (
        "Spezifisches Ziel: RSO 2.5 – Nachhaltiges Wassermanagement\n\n"
        "Spezifisches Ziel 2.5 ist zentral."
    )
    objectives = of_type(extract_mentions(text, "de"), "objective")
    assert [values(o)["code"] for o in objectives] == ["RSO2.5"]
    assert objectives[0].name == "Nachhaltiges Wassermanagement"


def test_a_list_announced_as_the_programme_area_is_not_a_list_of_objectives():
    text = (
        "The programme area covers Belgium and parts of France and Germany:\n"
        "- France: Hauts-de-France, Grand Est;\n"
        "- Germany: Saarland and Hesse.\n"
    )
    assert of_type(extract_mentions(text, "en"), "objective") == []


def test_a_specific_objective_label_with_a_bare_number_keeps_the_pages_title():
    text = (
        "Interreg Rhin Supérieur\n\n"
        "Objectif spécifique 2.4 : Favoriser l'adaptation au changement climatique\n"
        "1. Élaborer des plans communs\n2. Renforcer la gestion des sécheresses\n"
    )
    mentions = extract_mentions(text, "fr")
    [objective] = of_type(mentions, "objective")
    assert values(objective)["code"] == "RSO2.4"
    # the page's own words, not the regulation's English title
    assert objective.name == "Favoriser l'adaptation au changement climatique"
    assert len(of_type(mentions, "objective_action")) == 2


def test_codes_in_a_table_cleaned_to_one_cell_a_line():
    text = (
        "Interreg North-West Europe invests EUR 310 million.\nCode\nObjective\nShare\n"
        "PO1\nA more competitive and smarter Europe\n25%\n"
        "ISO1\nA better cooperation governance\n10%"
    )
    found = {values(m)["code"]: m.name for m in of_type(extract_mentions(text), "objective")}
    assert found == {
        "PO1": "A more competitive and smarter Europe",
        "ISO1": "A better cooperation governance",
    }
    # a code cell followed by a figure is not an objective
    assert of_type(extract_mentions("Budget\nPO2\n45%\nPO4\n20%"), "objective") == []


def test_the_work_themes_of_the_body_writing_the_page_are_not_objectives():
    text = "Onze thema's\n1. Toerisme en recreatie\n2. Erfgoed van de linies\n3. Mobiliteit\n"
    assert of_type(extract_mentions(text, "nl"), "objective") == []


def test_a_lone_goals_heading_between_html_paragraphs_lists_a_projects_goals():
    text = (
        "Das Projekt bildet Pflegekräfte aus, die auf beiden Seiten der Grenze arbeiten.\n"
        "Ziele\n1. Ein zweisprachiges Zusatzmodul für Auszubildende\n"
        "2. Ein Leitfaden zur Anerkennung von Berufsabschlüssen"
    )
    assert of_type(extract_mentions(text, "de"), "objective") == []


def test_actions_after_a_description_need_an_actions_label():
    text = (
        "RSO 2.4 Climate change adaptation\n"
        "This objective helps regions adapt to a changing climate.\n"
        "Actions:\n"
        "• Joint flood strategies\n"
        "• Shared early warning\n"
        "- Nature-based pilots\n"
        "RSO 2.7 Nature protection\n"
        "This objective protects nature.\n"
        "• Not an action\n"
        "• Nor this\n"
    )
    mentions = extract_mentions(text, "en")
    first, second = of_type(mentions, "objective")
    assert len(actions_of(mentions, first)) == 3
    assert actions_of(mentions, second) == []


def test_inline_actions_split_at_their_markers_or_semicolons_and_stop_at_the_next_objective():
    text = (
        "Specific objective 4.1 - Accessible labour markets\n"
        "Actions: a) joint job fairs; b) recognition of qualifications; c) traineeships.\n"
        "Objectif spécifique 2.7 : Protéger la nature\n"
        "Actions envisagées : corridors écologiques ; sensibilisation du public.\n"
        "Spezifisches Ziel: RSO 4.2 - Bildung verbessern\n"
        "Maßnahmen: Sprachkurse für Schüler.\n"
        "• Nicht eine Maßnahme\n"
    )
    mentions = extract_mentions(text, "en")
    first, second, third = of_type(mentions, "objective")
    assert [a.quote for a in actions_of(mentions, first)] == [
        "joint job fairs",
        "recognition of qualifications",
        "traineeships",
    ]
    assert [a.quote for a in actions_of(mentions, second)] == [
        "corridors écologiques",
        "sensibilisation du public",
    ]
    assert actions_of(mentions, third) == []


def test_labelled_numbers_with_the_code_repeated_in_parentheses():
    text = (
        "Interreg North Sea\n\n"
        "Specific Objective 1.1 (RSO1.1) – Enhancing research and innovation capacities\n"
        "Specifieke doelstelling 1.4 (SD 1.4): Vaardigheden voor slimme specialisatie\n"
        "Spezifisches Ziel 2.4 – Anpassung an den Klimawandel (RSO 2.4)\n"
    )
    found = {values(m)["code"]: m.name for m in of_type(extract_mentions(text), "objective")}
    assert found == {
        "RSO1.1": "Enhancing research and innovation capacities",
        "RSO1.4": "Vaardigheden voor slimme specialisatie",
        "RSO2.4": "Anpassung an den Klimawandel",
    }


def test_interreg_specific_objectives_written_out():
    text = (
        "Interreg specific objective 1: A better cooperation governance\n"
        "Interreg-specific objective 1 (b): Enhance efficient public administration\n"
    )
    found = {values(m)["code"]: m.name for m in of_type(extract_mentions(text), "objective")}
    assert found == {
        "ISO1": "A better cooperation governance",
        "ISO6.2": "Enhance efficient public administration",
    }
    # only ISO1 and ISO2 exist
    assert (
        of_type(extract_mentions("Interreg specific objective 3: Something else\n"), "objective")
        == []
    )


def test_priority_and_objective_cells_of_a_table_row():
    text = (
        "Priorität | Spezifisches Ziel | EU-Mittel\n"
        "Priorität 2 | Spezifisches Ziel 2.4 – Anpassung an den Klimawandel | 40 %\n"
        "Priorität 3 – Ein sozialeres Europa | Keine Angabe | 10 %\n"
    )
    found = {
        m.name: values(m).get("code") for m in of_type(extract_mentions(text, "de"), "objective")
    }
    assert found == {"Ein sozialeres Europa": None, "Anpassung an den Klimawandel": "RSO2.4"}
    # a pipe inside a word-less line of menu links is no table of objectives
    assert of_type(extract_mentions("Impressum | Datenschutz | Kontakt\n", "de"), "objective") == []


def test_numbered_objectives_without_codes_need_a_sibling():
    text = (
        "Objective 1: Reduce obstacles for cross-border workers\n"
        "Objective 2: Strengthen cooperation between emergency services\n"
    )
    names = [m.name for m in of_type(extract_mentions(text), "objective")]
    assert names == [
        "Reduce obstacles for cross-border workers",
        "Strengthen cooperation between emergency services",
    ]
    # one such line alone is a sentence, not the programme's list of objectives
    alone = "Objectif 1 : Réduire les obstacles pour les travailleurs frontaliers\n"
    assert of_type(extract_mentions(alone, "fr"), "objective") == []
    # a sentence after the number is not a title
    sentences = "Ziel 1: Wir wollen mehr Projekte.\nZiel 2: Wir wollen mehr Partner.\n"
    assert of_type(extract_mentions(sentences, "de"), "objective") == []
