"""Manifest events dropped, tripled, late and reordered; the safety net loads the rest."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_unreliable_events_and_the_safety_net_load_everything_once(tmp_path: Path) -> None:
    (row,) = run_quick("events", tmp_path)
    assert row.points["events dropped"] > 0
    assert row.points["events tripled"] > 0
