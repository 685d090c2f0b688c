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
