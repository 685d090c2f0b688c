"""A publish killed at any moment leaves the previous release and ``latest`` intact.

Each test runs a publish in a child process whose hook SIGKILLs it at a chosen
step, then looks at what is on disk, and checks that the next publish cleans up.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import catalog
from pipeline.release import LINK_PREFIX, TMP_PREFIX, publish, remove_leftovers
from tests.conftest import RAW, REPO
from tests.test_release import file_digests, sample_tables

# Runs in the child: replace release.<hook> (or os.replace) by a wrapper that
# kills the process on call number <after> + 1, then do the real work.
CHILD = """
import os, signal, sys
from pathlib import Path
import pipeline.release as release

hook, after, command = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
owner = release.os if hook == "os.replace" else release
name = hook.split(".")[-1]
original = getattr(owner, name)
calls = []

def killer(*args, **kwargs):
    calls.append(1)
    if len(calls) > after:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)

setattr(owner, name, killer)
if command[0] == "publish":
    from tests.test_release import sample_tables
    release.publish(sample_tables(), Path(command[1]), command[2])
else:
    from pipeline.cli import main
    sys.exit(main(command))
"""

# (hook, calls let through): from the middle of the tables to the switch of latest. The
# tables are those of the previous release: their CSV files are copied from it.
KILL_POINTS = [
    ("copy_verified", 7),
    ("write_arrow_parquet", 7),
    ("write_duckdb", 0),
    ("write_checksums", 0),
    ("point_latest", 0),
    ("os.replace", 0),
]


def run_killed(hook: str, after: int, *command: str, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-c", CHILD, hook, str(after), *command],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def leftovers(releases: Path) -> list[str]:
    return sorted(
        p.name for p in releases.iterdir() if p.name.startswith((TMP_PREFIX, LINK_PREFIX))
    )


def assert_previous_intact(releases: Path, previous: Path, digests: dict[str, str]) -> None:
    assert (releases / "latest").resolve() == previous.resolve()
    assert file_digests(previous) == digests
    assert catalog.verify_checksums(previous) == []


@pytest.mark.parametrize(("hook", "after"), KILL_POINTS)
def test_a_publish_killed_midway_leaves_the_previous_release(tmp_path, hook, after):
    releases = tmp_path / "releases"
    previous = publish(sample_tables(), releases, "1.0")
    digests = file_digests(previous)

    killed = run_killed(hook, after, "publish", str(releases), "2.0")

    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert_previous_intact(releases, previous, digests)
    new = releases / "2.0"
    if new.exists():  # killed after the rename: the new folder is whole, just not latest yet
        assert hook in {"point_latest", "os.replace"}
        assert catalog.verify_checksums(new) == []
    else:
        assert leftovers(releases), "the kill should have happened while writing"

    following = publish(sample_tables(), releases, "3.0")
    assert leftovers(releases) == []
    assert (releases / "latest").resolve() == following.resolve()


def test_leftovers_of_a_running_publish_are_kept(tmp_path):
    releases = tmp_path / "releases"
    releases.mkdir()
    with subprocess.Popen(["sleep", "30"]) as alive:
        try:
            (releases / f"{TMP_PREFIX}9.9-{alive.pid}").mkdir()
            (releases / f"{TMP_PREFIX}9.8-{2**22 + 1}").mkdir()  # above Linux's pid_max
            (releases / f"{LINK_PREFIX}{2**22 + 1}").symlink_to("9.8")
            assert sorted(remove_leftovers(releases)) == [
                f"{LINK_PREFIX}{2**22 + 1}",
                f"{TMP_PREFIX}9.8-{2**22 + 1}",
            ]
            assert leftovers(releases) == [f"{TMP_PREFIX}9.9-{alive.pid}"]
        finally:
            alive.kill()


@pytest.mark.slow
def test_a_build_killed_while_it_publishes_leaves_the_previous_release(tmp_path):
    warehouse = tmp_path / "warehouse"
    releases = warehouse / "releases"
    previous = publish(sample_tables(), releases, "1.0")
    digests = file_digests(previous)
    env = {**os.environ, "DAGSTER_HOME": str(tmp_path / "dagster")}
    (tmp_path / "dagster").mkdir()
    command = ["build", "--raw", str(RAW), "--warehouse", str(warehouse), "--version", "2.0"]

    killed = run_killed("write_csv", 3, *command, env=env)

    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    assert_previous_intact(releases, previous, digests)
    assert not (releases / "2.0").exists()
    assert [name.split("-")[1] for name in leftovers(releases)] == ["2.0"]
