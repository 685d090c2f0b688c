"""The raw/ sensor requests a build exactly when raw/ changed; the nightly schedule is off."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import pytest

from pipeline.automation import BUILD_JOB, nightly_release, raw_files_sensor, raw_state
from pipeline.definitions import defs
from pipeline.resources import PipelinePaths


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as inst:
        yield inst


@pytest.fixture
def raw(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    folder.mkdir()
    write(folder / "a.txt", "Interreg page one", mtime=1_700_000_000)
    write(folder / "b.txt", "Interreg page two", mtime=1_700_000_000)
    return folder


def write(path: Path, text: str, mtime: int) -> None:
    """Explicit mtimes: a change must not depend on the file system's clock resolution."""
    path.write_text(text, encoding="utf-8")
    os.utime(path, (mtime, mtime))


def evaluate(raw: Path, instance: dg.DagsterInstance, cursor: str | None):
    context = dg.build_sensor_context(
        instance=instance,
        cursor=cursor,
        resources={"paths": PipelinePaths(raw_dir=str(raw), warehouse_dir=str(raw.parent))},
    )
    return raw_files_sensor(context)


def requested(result) -> list[dg.RunRequest]:
    return list(result.run_requests or []) if isinstance(result, dg.SensorResult) else []


def first_cursor(raw: Path, instance: dg.DagsterInstance) -> str:
    result = evaluate(raw, instance, cursor=None)
    assert len(requested(result)) == 1
    assert result.cursor
    return result.cursor


def test_first_look_at_raw_requests_a_build_keyed_by_its_state(raw, instance):
    result = evaluate(raw, instance, cursor=None)
    (run,) = requested(result)
    assert run.run_key == f"raw-{result.cursor}"
    assert run.tags["tcd/raw_files"] == "2"
    # The same state evaluated from scratch gives the same key: Dagster runs it once.
    assert requested(evaluate(raw, instance, cursor=None))[0].run_key == run.run_key


def test_nothing_changed_means_no_run_and_a_reason(raw, instance):
    cursor = first_cursor(raw, instance)
    result = evaluate(raw, instance, cursor)
    assert isinstance(result, dg.SkipReason)
    assert "unchanged" in (result.skip_message or "")


@pytest.mark.parametrize("change", ["added", "changed", "removed", "touched", "renamed"])
def test_a_changed_raw_folder_requests_a_new_build(raw, instance, change):
    cursor = first_cursor(raw, instance)
    if change == "added":
        write(raw / "c.txt", "a new page", mtime=1_700_000_000)
    elif change == "changed":
        write(raw / "a.txt", "Interreg page one, edited", mtime=1_700_000_500)
    elif change == "removed":
        (raw / "b.txt").unlink()
    elif change == "touched":
        os.utime(raw / "a.txt", (1_700_000_900, 1_700_000_900))
    else:
        (raw / "b.txt").rename(raw / "d.txt")
    result = evaluate(raw, instance, cursor)
    (run,) = requested(result)
    assert result.cursor != cursor
    assert run.run_key == f"raw-{result.cursor}"


def test_files_in_subfolders_count(raw, instance):
    cursor = first_cursor(raw, instance)
    (raw / "de").mkdir()
    write(raw / "de" / "page.html", "<p>Seite</p>", mtime=1_700_000_000)
    assert len(requested(evaluate(raw, instance, cursor))) == 1


def test_going_back_to_the_built_state_needs_no_build(raw, instance):
    cursor = first_cursor(raw, instance)
    (raw / "b.txt").unlink()
    # raw/ emptied then restored between two ticks: the digest equals the cursor again.
    write(raw / "b.txt", "Interreg page two", mtime=1_700_000_000)
    assert isinstance(evaluate(raw, instance, cursor), dg.SkipReason)


def test_an_empty_or_missing_raw_folder_is_skipped_with_a_reason(tmp_path, instance):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = evaluate(empty, instance, cursor=None)
    assert isinstance(result, dg.SkipReason)
    assert "empty" in (result.skip_message or "")
    result = evaluate(tmp_path / "missing", instance, cursor=None)
    assert isinstance(result, dg.SkipReason)
    assert "not a folder" in (result.skip_message or "")


def test_a_change_waits_while_a_build_is_running_and_keeps_the_cursor(raw, instance):
    cursor = first_cursor(raw, instance)
    run = instance.create_run_for_job(
        defs.resolve_job_def(BUILD_JOB), status=dg.DagsterRunStatus.STARTED
    )
    write(raw / "c.txt", "a new page", mtime=1_700_000_000)
    waiting = evaluate(raw, instance, cursor)
    assert isinstance(waiting, dg.SkipReason)
    assert run.run_id in (waiting.skip_message or "")
    instance.report_run_failed(run)
    assert len(requested(evaluate(raw, instance, cursor))) == 1


def test_state_depends_on_names_sizes_and_times_not_on_listing_order(tmp_path):
    one, two = tmp_path / "one", tmp_path / "two"
    for folder, names in ((one, ["x.txt", "y.txt"]), (two, ["y.txt", "x.txt"])):
        folder.mkdir()
        for name in names:
            write(folder / name, name, mtime=1_700_000_000)
    assert raw_state(one) == raw_state(two)


def test_the_sensor_and_the_nightly_schedule_are_wired_to_the_release_job():
    sensor = defs.resolve_sensor_def("raw_files_sensor")
    assert sensor.job_name == BUILD_JOB
    assert sensor.default_status == dg.DefaultSensorStatus.RUNNING
    schedule = defs.resolve_schedule_def("nightly_release")
    assert schedule.job_name == BUILD_JOB
    assert schedule.default_status == dg.DefaultScheduleStatus.STOPPED
    assert schedule.cron_schedule == "0 3 * * *"


def test_the_nightly_schedule_waits_for_a_running_build(instance):
    context = dg.build_schedule_context(instance=instance)
    assert isinstance(nightly_release(context), dg.RunRequest)
    instance.create_run_for_job(
        defs.resolve_job_def(BUILD_JOB), status=dg.DagsterRunStatus.STARTING
    )
    assert isinstance(nightly_release(context), dg.SkipReason)
