"""What starts a build without anyone clicking: a sensor on raw/ and a nightly schedule.

The sensor compares a digest of raw/'s listing (path, size, modification time:
cheap, no file is read) with the digest it last acted on, kept as its cursor.
A different digest requests a run of ``build_release`` whose run key is the
digest, so the same state of raw/ never triggers twice. Only one build writes
to the warehouse at a time: while a build is queued or running, both the sensor
and the schedule wait, and the sensor keeps its cursor so the change is picked
up on the next tick after the build.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import dagster as dg

from pipeline.resources import PipelinePaths

BUILD_JOB = "build_release"
SENSOR_INTERVAL_SECONDS = 30
NIGHTLY_CRON = "0 3 * * *"
TIMEZONE = "Europe/Brussels"
UNFINISHED = [
    dg.DagsterRunStatus.QUEUED,
    dg.DagsterRunStatus.STARTING,
    dg.DagsterRunStatus.STARTED,
    dg.DagsterRunStatus.CANCELING,
]


@dataclass(frozen=True)
class RawState:
    digest: str
    files: int


def raw_state(raw_dir: Path) -> RawState:
    """A digest of every entry under raw_dir: its path, size and modification time.

    Links are not followed (the inventory refuses those leading outside raw/),
    so a link's own metadata counts, not its target's.
    """
    digest = hashlib.sha256()
    files = 0
    for dirpath, dirnames, filenames in os.walk(raw_dir, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames + [d for d in dirnames if (Path(dirpath) / d).is_symlink()]):
            full = Path(dirpath) / name
            stat = full.lstat()
            rel = full.relative_to(raw_dir).as_posix()
            digest.update(os.fsencode(f"{rel}\0{stat.st_size}\0{stat.st_mtime_ns}\n"))
            files += 1
    return RawState(digest.hexdigest(), files)


def unfinished_build(instance: dg.DagsterInstance) -> str | None:
    """The id of a build_release run that is queued or running, if any."""
    runs = instance.get_run_records(
        filters=dg.RunsFilter(job_name=BUILD_JOB, statuses=UNFINISHED), limit=1
    )
    return runs[0].dagster_run.run_id if runs else None


@dg.sensor(
    job_name=BUILD_JOB,
    minimum_interval_seconds=SENSOR_INTERVAL_SECONDS,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Requests a build_release run when files under raw/ are added, changed or "
    "removed (digest of path, size and mtime; the run key is the digest).",
)
def raw_files_sensor(
    context: dg.SensorEvaluationContext, paths: PipelinePaths
) -> dg.SensorResult | dg.SkipReason:
    if not paths.raw.is_dir():
        return dg.SkipReason(f"{paths.raw} is not a folder")
    state = raw_state(paths.raw)
    if state.digest == context.cursor:
        return dg.SkipReason(f"raw/ unchanged since the last build ({state.files} files)")
    if state.files == 0:
        return dg.SkipReason(f"{paths.raw} is empty: nothing to build")
    running = unfinished_build(context.instance)
    if running:
        return dg.SkipReason(f"raw/ changed; waiting for build_release run {running} to finish")
    request = dg.RunRequest(
        run_key=f"raw-{state.digest}",
        tags={"tcd/raw_digest": state.digest, "tcd/raw_files": str(state.files)},
    )
    return dg.SensorResult(run_requests=[request], cursor=state.digest)


@dg.schedule(
    job_name=BUILD_JOB,
    cron_schedule=NIGHTLY_CRON,
    execution_timezone=TIMEZONE,
    default_status=dg.DefaultScheduleStatus.STOPPED,
    description="Builds and publishes a release every night at 03:00 Brussels time (off by "
    "default: turn it on in the UI's Automation tab).",
)
def nightly_release(context: dg.ScheduleEvaluationContext) -> dg.RunRequest | dg.SkipReason:
    running = unfinished_build(context.instance)
    if running:
        return dg.SkipReason(f"build_release run {running} is still queued or running")
    return dg.RunRequest(tags={"tcd/trigger": "nightly"})
