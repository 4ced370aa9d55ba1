"""``shopsync demo --no-dashboard`` on the example tenants, as a user runs it (its own process):
every run succeeds and lands the store's truth, and Spark's start-up notices stay off the
terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

#: What Spark prints at start-up unless told otherwise (ARCHITECTURE: not the demo's output).
SPARK_NOISE = (
    "resolves to a loopback address",
    "NativeCodeLoader",
    "Setting default log level",
    "To adjust logging level",
    "WARN ",
)


@pytest.mark.e2e
@pytest.mark.timeout(900)
def test_demo_runs_the_pipeline_and_lands_exactly_the_live_records(
    example_tenants_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "demo-home"
    env = os.environ | {"SHOPSYNC_HOME": str(home), "COLUMNS": "200"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "shopsync.cli",
            "demo",
            "--no-dashboard",
            "--tenants-dir",
            str(example_tenants_dir),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=840,
        check=False,
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "every stream landed exactly the store's live records" in done.stdout
    assert "landed differs" not in done.stdout
    assert "every table holds exactly the store's live records; all checks passed" in done.stdout
    assert "the dashboard" not in done.stdout  # --no-dashboard: stops after the checks
    assert [n for n in SPARK_NOISE if n in output] == [], output
    manifests = sorted((home / "lake").rglob("_manifests/tenant=*/run=*.json"))
    tenants = {m.parent.name for m in manifests}
    assert tenants == {"tenant=acme_outdoor", "tenant=bluebird_books", "tenant=coral_cosmetics"}
    assert len(manifests) == 6  # the first sync and the incremental run of each tenant
