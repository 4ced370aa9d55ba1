"""``shopsync sync`` and ``shopsync load`` SIGKILLed at named points and random moments."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_killed_syncs_and_loads_then_normal_runs_are_exact(tmp_path: Path) -> None:
    (row,) = run_quick("kills", tmp_path)
    stages = {point.split(":")[0] for point in row.points}
    assert stages == {"sync", "load"}, row.points  # both stages were really killed
    assert row.kills >= 2, row.points
