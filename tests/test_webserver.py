"""The real webserver, driven through its GraphQL API the way the UI drives it.

Starts ``dagster-webserver -w workspace.yaml`` on a free loopback port with its
own DAGSTER_HOME and temporary copies of raw/ and warehouse/, launches
``extract_only`` then ``build_release`` with the ``launchRun`` mutation the
Launchpad sends, waits for each run (executed in a separate process by the
default run launcher), then reads back what a data engineer sees: every asset
check passed, the blocking ones guard the release, every asset reports its
metadata, and a release was published.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from schemas.tables import PUBLISHED
from tests.conftest import RAW, REPO

pytestmark = pytest.mark.slow

STARTUP_SECONDS = 60
RUN_SECONDS = 90
TABLE_METADATA = {"dagster/row_count", "dagster/column_schema", "preview"}

WORKSPACE = """
{ workspaceOrError { __typename
    ... on Workspace { locationEntries { name loadStatus
      locationOrLoadError { __typename
        ... on RepositoryLocation { repositories { name } }
        ... on PythonError { message } } } } } }
"""
LAUNCH = """
mutation Launch($params: ExecutionParams!) {
  launchRun(executionParams: $params) { __typename
    ... on LaunchRunSuccess { run { runId } }
    ... on RunConfigValidationInvalid { errors { message } }
    ... on Error { message } } }
"""
RUN_STATUS = """
query Status($runId: ID!) { runOrError(runId: $runId) { __typename ... on Run { status } } }
"""
RUN_ERRORS = """
query Errors($runId: ID!) { logsForRun(runId: $runId) { __typename
  ... on EventConnection { events { __typename
    ... on ExecutionStepFailureEvent { stepKey error { message } }
    ... on RunFailureEvent { message } } } } }
"""
ASSETS = """
{ assetNodes { assetKey { path } groupName kinds description
    assetMaterializations(limit: 1) { runId metadataEntries { label } }
    assetChecksOrError { __typename
      ... on AssetChecks { checks { name blocking
        executionForLatestMaterialization { runId status } } } } } }
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Webserver:
    url: str
    process: subprocess.Popen
    log: Path
    warehouse: Path
    user_home: Path

    def graphql(self, query: str, **variables: object) -> dict:
        body = json.dumps({"query": query, "variables": variables}).encode()
        request = urllib.request.Request(
            f"{self.url}/graphql", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            payload = json.load(response)
        assert not payload.get("errors"), payload["errors"]
        return payload["data"]

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


def wait_until_loaded(server: Webserver) -> tuple[str, str]:
    """The code location's name and repository, once the server has loaded it."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        assert server.process.poll() is None, f"webserver exited:\n{server.output()}"
        try:
            entries = server.graphql(WORKSPACE)["workspaceOrError"]["locationEntries"]
        except (urllib.error.URLError, ConnectionError):
            entries = []
        for entry in entries:
            location = entry["locationOrLoadError"] or {}
            assert location.get("__typename") != "PythonError", location.get("message")
            if entry["loadStatus"] == "LOADED" and location.get("repositories"):
                return entry["name"], location["repositories"][0]["name"]
        time.sleep(0.5)
    raise AssertionError(f"webserver not ready in {STARTUP_SECONDS}s:\n{server.output()}")


@pytest.fixture(scope="module")
def webserver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Webserver]:
    root = tmp_path_factory.mktemp("webserver")
    raw, warehouse, home = root / "raw", root / "warehouse", root / "dagster_home"
    user_home = root / "user_home"
    shutil.copytree(RAW, raw)
    for folder in (warehouse, home, user_home):
        folder.mkdir()
    # The repository's instance settings (telemetry off), plus runs launched at once:
    # there is no daemon here to take them off a queue.
    settings = (REPO / ".dagster" / "dagster.yaml").read_text(encoding="utf-8")
    (home / "dagster.yaml").write_text(
        settings + "\nrun_coordinator:\n  module: dagster._core.run_coordinator\n"
        "  class: DefaultRunCoordinator\n",
        encoding="utf-8",
    )
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "TCD_RAW_DIR": str(raw),
        "TCD_WAREHOUSE_DIR": str(warehouse),
        # A home of its own, to see whether Dagster writes anything there.
        "HOME": str(user_home),
    }
    port = free_port()
    log = root / "webserver.log"
    command = [sys.executable, "-m", "dagster_webserver", "-w", str(REPO / "workspace.yaml")]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [*command, "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: code server and runs die with it
        )
    server = Webserver(f"http://127.0.0.1:{port}", process, log, warehouse, user_home)
    try:
        yield server
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def launch_and_wait(server: Webserver, job: str, run_config: dict) -> str:
    location, repository = wait_until_loaded(server)
    params = {
        "selector": {
            "repositoryLocationName": location,
            "repositoryName": repository,
            "jobName": job,
        },
        "runConfigData": run_config,
    }
    launched = server.graphql(LAUNCH, params=params)["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]
    deadline = time.monotonic() + RUN_SECONDS
    status = "QUEUED"
    while time.monotonic() < deadline and status not in {"SUCCESS", "FAILURE", "CANCELED"}:
        time.sleep(1)
        status = server.graphql(RUN_STATUS, runId=run_id)["runOrError"]["status"]
    if status != "SUCCESS":
        events = server.graphql(RUN_ERRORS, runId=run_id)["logsForRun"].get("events", [])
        errors = [e for e in events if e.get("error") or e.get("message")]
        raise AssertionError(f"{job} run {run_id} ended {status}: {errors}\n{server.output()}")
    return run_id


def test_runs_launched_through_graphql_pass_every_check_and_publish(webserver):
    launch_and_wait(webserver, "extract_only", {})
    run_id = launch_and_wait(
        webserver, "build_release", {"ops": {"release": {"config": {"version": "ui-test"}}}}
    )

    nodes = webserver.graphql(ASSETS)["assetNodes"]
    by_key = {"/".join(n["assetKey"]["path"]): n for n in nodes}
    assert "release" in by_key and set(PUBLISHED) <= set(by_key)

    checks = {
        (key, check["name"]): check
        for key, node in by_key.items()
        for check in node["assetChecksOrError"].get("checks", [])
    }
    assert checks, "no asset checks reported"
    not_passed = {
        k: c["executionForLatestMaterialization"]
        for k, c in checks.items()
        if (c["executionForLatestMaterialization"] or {}).get("status") != "SUCCEEDED"
        or c["executionForLatestMaterialization"]["runId"] != run_id
    }
    assert not not_passed, not_passed
    for table in PUBLISHED:
        assert checks[(table, "schema")]["blocking"], table
        assert checks[(table, "primary_key_unique")]["blocking"], table

    for key, node in by_key.items():
        assert node["description"], key
        assert node["kinds"], key
        assert node["groupName"] in {"ingest", "extract", "resolve", "tables", "release"}, key
        (latest,) = node["assetMaterializations"]
        assert latest["runId"] == run_id, key
        labels = {entry["label"] for entry in latest["metadataEntries"]}
        assert labels >= TABLE_METADATA, (key, TABLE_METADATA - labels)

    release = webserver.warehouse / "releases" / "ui-test"
    assert (release / "SHA256SUMS").is_file()
    assert (webserver.warehouse / "releases" / "latest").resolve() == release.resolve()
    assert not list(webserver.user_home.iterdir()), "Dagster wrote to the home directory"
