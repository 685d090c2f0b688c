"""Build the whole dataset in-process, from the same Definitions the UI loads.

Used by the command line (``python -m pipeline build``) and by the tests.
Materialises every asset, runs every asset check, and publishes a release
only when the blocking checks pass.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg

from pipeline.definitions import build_definitions
from pipeline.gc_pause import use_jemalloc_for_arrow
from pipeline.inventory import DEFAULT_MAX_FILE_MB
from pipeline.release import check_version, next_version
from pipeline.resources import stored_rows
from schemas.tables import PUBLISHED


@dataclass
class CheckOutcome:
    asset: str
    name: str
    passed: bool
    details: str


@dataclass
class BuildResult:
    success: bool
    version: str
    release_dir: Path | None
    rows: dict[str, int] = field(default_factory=dict)
    checks: list[CheckOutcome] = field(default_factory=list)
    error: str | None = None

    @property
    def failed_checks(self) -> list[CheckOutcome]:
        return [c for c in self.checks if not c.passed]


def run_build(
    raw_dir: Path,
    warehouse_dir: Path,
    version: str | None = None,
    job_name: str = "build_release",
    instance: dg.DagsterInstance | None = None,
    log_level: str = "WARNING",
    max_file_mb: float = DEFAULT_MAX_FILE_MB,
) -> BuildResult:
    """Materialise the job's assets and checks; publish when the checks pass."""
    raw_dir, warehouse_dir = Path(raw_dir).resolve(), Path(warehouse_dir).resolve()
    releases = warehouse_dir / "releases"
    version = version or next_version(releases, dt.date.today())
    check_version(releases, version)
    use_jemalloc_for_arrow()
    defs = build_definitions(str(raw_dir), str(warehouse_dir), max_file_mb)
    job = defs.resolve_job_def(job_name)
    run_config: dict = {"loggers": {"console": {"config": {"log_level": log_level}}}}
    if job_name == "build_release":
        run_config["ops"] = {"release": {"config": {"version": version}}}
    own_instance = instance or dg.DagsterInstance.ephemeral(
        settings={"telemetry": {"enabled": False}}
    )
    result = execute_without_capture(job, run_config, own_instance)
    outcomes = [
        CheckOutcome(
            asset=ev.asset_key.to_user_string(),
            name=ev.check_name,
            passed=ev.passed,
            details=_details(ev.metadata),
        )
        for ev in result.get_asset_check_evaluations()
    ]
    error = None
    if not result.success:
        error = "; ".join(step_failures(result.all_events)) or "run failed"
    release_dir = releases / version
    published = result.success and release_dir.is_dir()
    rows: dict[str, int] = {}
    if job_name == "build_release" and published:
        rows = {name: stored_rows(warehouse_dir, name) for name in PUBLISHED}
    return BuildResult(
        success=result.success and all(o.passed for o in outcomes),
        version=version,
        release_dir=release_dir if published else None,
        rows=rows,
        checks=outcomes,
        error=error,
    )


def execute_without_capture(
    job: dg.JobDefinition, run_config: Mapping[str, object], instance: dg.DagsterInstance
) -> dg.ExecuteInProcessResult:
    """``job.execute_in_process`` without keeping every step's output in memory.

    ``execute_in_process`` holds each asset's returned value until the run ends
    (for ``result.output_for_node``, which a build never asks for): at 10,000
    pages the mentions, the statements and every table stayed in memory under
    the checks and the release, about 0.5 GB. This is the same call with
    that capture turned off (dagster's own function; pinned dagster 1.13).
    """
    from dagster._core.definitions.job_base import InMemoryJob
    from dagster._core.execution.execute_in_process import core_execute_in_process

    ephemeral = job.as_ephemeral_job(resource_defs={}, input_values={})
    return core_execute_in_process(
        run_config=run_config,
        job=InMemoryJob(job_def=ephemeral),
        instance=instance,
        output_capturing_enabled=False,
        raise_on_error=False,
        run_tags=job.run_tags,
        asset_selection=frozenset(),
    )


def step_failures(events: Sequence[dg.DagsterEvent]) -> list[str]:
    """'step: message' for each failed step of a run."""
    out = []
    for event in events:
        if event.is_step_failure:
            error = event.step_failure_data.error
            out.append(f"{event.step_key}: {error.message.strip() if error else ''}")
    return out


def _details(metadata: Mapping[str, object]) -> str:
    value = metadata.get("details")
    return str(getattr(value, "value", value) or "")
