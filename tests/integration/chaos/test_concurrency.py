"""Two schedulers, a resync beside a sync, two loads: never two runs of a store at once."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import run_quick

# Real processes, several Spark start-ups: minutes, more on a loaded machine.
pytestmark = [pytest.mark.e2e, pytest.mark.spark, pytest.mark.slow, pytest.mark.timeout(1200)]


def test_concurrent_schedulers_resyncs_and_loads_never_double_anything(tmp_path: Path) -> None:
    run_quick("concurrency", tmp_path)
