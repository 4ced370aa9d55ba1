"""Every fault profile of the simulator at once, one store each, beside a calm store."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync_chaos.scenarios import FATAL

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_every_fault_profile_ends_exact_and_fatal_ones_show_in_status(tmp_path: Path) -> None:
    rows = {r.scenario.removeprefix("faults: "): r for r in run_quick("faults", tmp_path)}
    assert set(rows) >= {"throttle-bursts", "truncated", "bulk-stuck", *FATAL}
    for name, row in rows.items():
        if name.startswith("none"):
            continue
        assert row.points, f"{name}: no fault injected"
