"""``shopsync demo`` on the example tenants: every run succeeds and lands the store's truth."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from shopsync import runtime
from shopsync.cli import app
from typer.testing import CliRunner


@pytest.mark.e2e
def test_demo_runs_the_pipeline_and_lands_exactly_the_live_records(
    example_tenants_dir: Path,
) -> None:
    runtime.state_store.cache_clear()
    result = CliRunner().invoke(
        app, ["demo", "--tenants-dir", str(example_tenants_dir)], env={"COLUMNS": "200"}
    )
    runtime.state_store.cache_clear()
    assert result.exit_code == 0, result.output
    first = result.stdout.split("records landed / live since start_date")[1]
    first = first.split("store activity")[0]
    pairs = re.findall(r"(\d+) / (\d+)", first)
    assert len(pairs) >= 20  # every stream of the three tenants
    assert all(landed == live for landed, live in pairs), pairs
    incremental = result.stdout.split("incremental: changed records landed")[1]
    for tenant in ("acme_outdoor", "bluebird_books", "coral_cosmetics"):
        assert re.search(rf"{tenant}\s+│ succeeded", incremental), tenant
