"""Resolution: one record per real thing, stable IDs, aliases, statements."""

from __future__ import annotations

import pandas as pd

from pipeline.extract.model import Mention
from pipeline.resolve import FUZZY_MERGE_RATIO, DocMentions, make_id, resolve
from pipeline.tables import build_tables
from schemas.derive import records_frame


def mention(text: str, record_type: str, quote: str, nth: int = 0, **kw) -> Mention:
    """A mention of the nth occurrence of quote in text."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    values = kw.pop("values", {})
    m = Mention(record_type, start, start + len(quote), quote, rule="test", **kw)
    for field, value in values.items():
        m.add(field, value, m.start, m.end, "test")
    return m


def doc(doc_id: str, text: str, mentions: list[Mention], language: str = "en") -> DocMentions:
    return DocMentions(doc_id, language, text, mentions)


def records(docs: list[DocMentions], record_type: str) -> dict[str, set[str]]:
    """record id -> the quotes that resolved to it."""
    out: dict[str, set[str]] = {}
    for s in resolve(docs).statements.table().to_pylist():
        if s["record_type"] == record_type and s["field"] == "name":
            out.setdefault(s["record_id"], set()).add(str(s["quote"]))
    return out


def test_a_territory_named_in_three_languages_is_one_record_with_translations():
    en = "West Flanders is a province."
    nl = "De provincie West-Vlaanderen."
    fr = "La Flandre-Occidentale."
    kw = {"key": "nuts:BE25", "canonical": "West Flanders", "values": {"type": "province"}}
    docs = [
        doc("doc-a", en, [mention(en, "territory", "West Flanders", **kw)]),
        doc("doc-b", nl, [mention(nl, "territory", "West-Vlaanderen", **kw)], "nl"),
        doc("doc-c", fr, [mention(fr, "territory", "Flandre-Occidentale", **kw)], "fr"),
    ]
    found = records(docs, "territory")
    assert list(found.values()) == [{"West Flanders", "West-Vlaanderen", "Flandre-Occidentale"}]
    aliases = {a["name"]: (a["kind"], a["language"]) for a in resolve(docs).aliases}
    assert aliases["West-Vlaanderen"] == ("translation", "nl")
    assert aliases["Flandre-Occidentale"] == ("translation", "fr")
    assert aliases["West Flanders"][0] == "official"


def test_two_records_with_different_codes_never_merge_even_with_the_same_name():
    text = "Limburg (Belgium) and Limburg (Netherlands)."
    docs = [
        doc(
            "doc-a",
            text,
            [
                mention(
                    text, "territory", "Limburg", 0, key="nuts:BE22", values={"type": "province"}
                ),
                mention(
                    text, "territory", "Limburg", 1, key="nuts:NL42", values={"type": "province"}
                ),
            ],
        )
    ]
    assert len(records(docs, "territory")) == 2


def test_a_programme_and_its_acronym_form_one_record_across_documents():
    a = "Interreg France-Wallonie-Vlaanderen (FWVL) funds projects."
    b = "Under Interreg FWVL, the partners met."
    prog = mention(a, "programme", "Interreg France-Wallonie-Vlaanderen")
    prog.add("short_name", "FWVL", a.index("FWVL"), a.index("FWVL") + 4, "test")
    docs = [
        doc("doc-a", a, [prog]),
        doc("doc-b", b, [mention(b, "programme", "Interreg FWVL")]),
    ]
    found = records(docs, "programme")
    assert list(found.values()) == [{"Interreg France-Wallonie-Vlaanderen", "Interreg FWVL"}]
    table = build_tables(records_frame("statements", resolve(docs).statements.table().to_pylist()))
    programmes = table["programmes"]
    assert programmes.loc[0, "name"] == "Interreg France-Wallonie-Vlaanderen"
    assert programmes.loc[0, "short_name"] == "FWVL"


def test_an_organisation_known_by_its_acronym_is_published_under_its_full_name():
    a = "The Lille European Metropolis (MEL) adopted a strategy."
    b = "The MEL commissioned a study. The MEL then voted."
    org = mention(a, "organisation", "Lille European Metropolis")
    org.add("acronym", "MEL", a.index("MEL"), a.index("MEL") + 3, "test")
    docs = [
        doc("doc-a", a, [org]),
        doc(
            "doc-b",
            b,
            [mention(b, "organisation", "MEL", 0), mention(b, "organisation", "MEL", 1)],
        ),
    ]
    resolution = resolve(docs)
    frame = records_frame("statements", resolution.statements.table().to_pylist())
    orgs = build_tables(frame)["organisations"]
    assert len(orgs) == 1
    assert orgs.loc[0, "name"] == "Lille European Metropolis"
    assert orgs.loc[0, "acronym"] == "MEL"
    kinds = {a["name"]: a["kind"] for a in resolution.aliases}
    assert kinds["MEL"] == "acronym"


def test_spelling_variants_merge_above_the_fuzzy_threshold_and_distinct_names_do_not():
    assert FUZZY_MERGE_RATIO > 90
    text = (
        "The Walloon Government and the Walloon Governement. "
        "The Ministry of Economy and the Ministry of Ecology."
    )
    docs = [
        doc(
            "doc-a",
            text,
            [
                mention(text, "organisation", "Walloon Government"),
                mention(text, "organisation", "Walloon Governement"),
                mention(text, "organisation", "Ministry of Economy"),
                mention(text, "organisation", "Ministry of Ecology"),
            ],
        )
    ]
    groups = sorted(sorted(q) for q in records(docs, "organisation").values())
    assert groups == [
        ["Ministry of Ecology"],
        ["Ministry of Economy"],
        ["Walloon Governement", "Walloon Government"],
    ]


def test_programmes_of_two_periods_stay_apart_however_alike_their_names():
    text = "Interreg V A France-Wallonie-Vlaanderen and Interreg VI A France-Wallonie-Vlaanderen."
    docs = [
        doc(
            "doc-a",
            text,
            [
                mention(text, "programme", "Interreg V A France-Wallonie-Vlaanderen"),
                mention(text, "programme", "Interreg VI A France-Wallonie-Vlaanderen"),
            ],
        )
    ]
    assert len(records(docs, "programme")) == 2


# Golden IDs, recorded when the ID scheme was fixed (type|key hashed with
# SHA-256, 12 hex digits): a change here is a breaking change for every user.
GOLDEN_IDS = {
    ("territory", "nuts:BE25"): "ter-eeb0f9aec274",
    ("territory", "iso:FR"): "ter-cd083ed8800d",
    ("programme", "name:interreg 2 seas"): "prg-fcc92581b39e",
    ("organisation", "name:walloon government"): "org-b3d67c5a9685",
}


def test_stable_ids_are_pinned():
    assert {k: make_id(*k) for k in GOLDEN_IDS} == GOLDEN_IDS


def test_adding_a_document_does_not_change_existing_ids():
    a = "Nord and Aisne."
    b = "Somme, and Nord again."
    kw = {"values": {"type": "department"}}
    first = [
        doc(
            "doc-a",
            a,
            [
                mention(a, "territory", "Nord", key="nuts:FRE11", **kw),
                mention(a, "territory", "Aisne", key="nuts:FRE21", **kw),
            ],
        )
    ]
    second = [
        *first,
        doc(
            "doc-b",
            b,
            [
                mention(b, "territory", "Somme", key="nuts:FRE23", **kw),
                mention(b, "territory", "Nord", key="nuts:FRE11", **kw),
            ],
        ),
    ]
    before = set(records(first, "territory"))
    after = set(records(second, "territory"))
    assert before <= after
    assert len(after) == 3


def test_every_statement_quotes_its_document():
    text = "For 2021-2027, EUR 12 million from the ERDF for Interreg Oberrhein."
    prog = mention(text, "programme", "Interreg Oberrhein")
    prog.add("budget_eur", 12_000_000, text.index("EUR"), text.index("million") + 7, "money")
    prog.add("fund", "ERDF", text.index("ERDF"), text.index("ERDF") + 4, "fund")
    statements = resolve([doc("doc-a", text, [prog])]).statements.table().to_pylist()
    assert {s["field"] for s in statements} == {"name", "budget_eur", "fund"}
    for s in statements:
        assert text[s["char_start"] : s["char_end"]] == s["quote"]
        assert s["extractor"].split("@")[0] in {"test", "money", "fund"}


def test_conflicting_values_are_kept_as_statements_and_settled_by_the_rule():
    a = "Interreg Oberrhein has EUR 10 million. Interreg Oberrhein has EUR 10 million."
    b = "Interreg Oberrhein has EUR 12 million."

    def with_budget(text: str, nth: int, amount: int) -> Mention:
        m = mention(text, "programme", "Interreg Oberrhein", nth)
        at = text.index("EUR", m.end)
        m.add("budget_eur", amount, at, at + 14, "money")
        return m

    docs = [
        doc("doc-a", a, [with_budget(a, 0, 10_000_000), with_budget(a, 1, 10_000_000)]),
        doc("doc-b", b, [with_budget(b, 0, 12_000_000)]),
    ]
    statements = records_frame("statements", resolve(docs).statements.table().to_pylist())
    budgets = statements[statements["field"] == "budget_eur"]
    assert sorted(budgets["value"]) == ["10000000", "10000000", "12000000"]
    tables = build_tables(statements)
    assert tables["programmes"].loc[0, "budget_eur"] == 10_000_000
    conflicts = tables["conflicts"]
    assert list(conflicts["field"]) == ["budget_eur"]
    assert conflicts.loc[0, "chosen"] == "10000000"
    assert "12000000 (1)" in conflicts.loc[0, "candidates"]


def test_objectives_are_one_per_programme_and_code_with_their_actions():
    text = "Interreg X\nRSO 1.1 Research\n1. Do research.\n2. Share it."
    prog = mention(text, "programme", "Interreg X")
    obj = mention(text, "objective", "RSO 1.1 Research", values={"code": "RSO1.1"})
    obj.link("programme_id", prog)
    acts = []
    for pos, quote in enumerate(["Do research.", "Share it."], start=1):
        act = mention(text, "objective_action", quote, values={"position": pos})
        act.link("objective_id", obj)
        acts.append(act)
    tables = build_tables(
        records_frame(
            "statements",
            resolve([doc("d", text, [prog, obj, *acts])]).statements.table().to_pylist(),
        )
    )
    objectives, actions = tables["objectives"], tables["objective_actions"]
    assert list(objectives["code"]) == ["RSO1.1"]
    assert objectives.loc[0, "programme_id"] == tables["programmes"].loc[0, "programme_id"]
    assert list(actions.sort_values("position")["text"]) == ["Do research.", "Share it."]
    assert set(actions["objective_id"]) == {objectives.loc[0, "objective_id"]}
    assert isinstance(actions, pd.DataFrame)


def test_forgetting_names_empties_both_memos_and_keeps_results():
    from pipeline.names import fold
    from pipeline.resolve import forget_names, normalised_name

    before = normalised_name("Région Grand Est")
    assert fold("Région") == "region"
    forget_names()
    assert normalised_name.cache_info().currsize == 0
    assert fold.cache_info().currsize == 0
    assert normalised_name("Région Grand Est") == before
