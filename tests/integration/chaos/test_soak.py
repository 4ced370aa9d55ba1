"""Several stores synced and loaded together, cycle after cycle."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_many_stores_over_cycles_stay_exact_with_bounded_memory(tmp_path: Path) -> None:
    (row,) = run_quick("soak", tmp_path)
    assert 0 < row.peak_rss_mib["sync"] < 1024, row.peak_rss_mib
    assert 0 < row.peak_rss_mib["load"] < 4096, row.peak_rss_mib
