"""The Definitions the UI loads: the asset graph is pinned."""

from pipeline.definitions import defs
from schemas.tables import PUBLISHED

EXPECTED_ASSETS = {
    # ingest
    "raw_files",
    "documents",
    "rejected_documents",
    # extract
    "mentions",
    # resolve
    "statements",
    "aliases",
    # tables
    "programmes",
    "objectives",
    "objective_actions",
    "territories",
    "programme_territories",
    "projects",
    "organisations",
    "project_organisations",
    "evidence",
    "conflicts",
    "rejected_rows",
    # release
    "release",
}


def test_definitions_load_with_the_pinned_asset_keys():
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS


def test_every_asset_is_in_a_flow_group():
    graph = defs.resolve_asset_graph()
    groups = {graph.get(k).group_name for k in graph.get_all_asset_keys()}
    assert groups == {"ingest", "extract", "resolve", "tables", "release"}


def test_every_published_table_has_a_blocking_schema_check():
    graph = defs.resolve_asset_graph()
    blocking = {
        (k.asset_key.to_user_string(), k.name)
        for k in graph.asset_check_keys
        if graph.get_check_spec(k).blocking
    }
    for table in PUBLISHED:
        assert (table, "schema") in blocking, table
        assert (table, "primary_key_unique") in blocking, table


def test_build_and_extract_jobs_exist():
    assert defs.resolve_job_def("build_release") is not None
    assert defs.resolve_job_def("extract_only") is not None


def test_the_checks_of_a_table_run_in_one_step_each_with_its_own_blocking_result():
    graph = defs.resolve_asset_graph()
    steps: dict[str, set[str]] = {}
    for checks_def in defs.asset_checks or []:
        for key in checks_def.check_keys:
            assert graph.get_check_spec(key).blocking, key
            steps.setdefault(key.asset_key.to_user_string(), set()).add(checks_def.node_def.name)
    assert steps.keys() == set(PUBLISHED)
    assert all(names == {f"{table}_checks"} for table, names in steps.items())
    names = {k.name for k in graph.asset_check_keys if k.asset_key.to_user_string() == "evidence"}
    assert names == {
        "schema",
        "primary_key_unique",
        "row_count",
        "foreign_keys",
        "quotes_match_text",
        "every_record_has_evidence",
    }
