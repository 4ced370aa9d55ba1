"""Titles Redshift cannot hold as they are, through the simulator, sync and load."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_text_redshift_cannot_hold_loads_cut_and_flagged_and_fails_no_store(
    tmp_path: Path,
) -> None:
    (row,) = run_quick("bad-data", tmp_path)
    assert row.kills == 0
