"""``shopsync demo`` on the example tenants: every run succeeds and lands the store's truth."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopsync import runtime
from shopsync.cli import app


@pytest.mark.e2e
def test_demo_runs_the_pipeline_and_lands_exactly_the_live_records(
    example_tenants_dir: Path, tmp_path: Path
) -> None:
    home = tmp_path / "demo-home"
    runtime.for_settings.cache_clear()
    result = CliRunner().invoke(
        app, ["demo", "--tenants-dir", str(example_tenants_dir)], env={"SHOPSYNC_HOME": str(home)}
    )
    runtime.for_settings.cache_clear()
    assert result.exit_code == 0, result.output
    assert "every stream landed exactly the store's live records" in result.stdout
    assert "landed differs" not in result.stdout
    assert "every table holds exactly the store's live records; all checks passed" in result.stdout
    manifests = sorted((home / "lake").rglob("_manifests/tenant=*/run=*.json"))
    tenants = {m.parent.name for m in manifests}
    assert tenants == {"tenant=acme_outdoor", "tenant=bluebird_books", "tenant=coral_cosmetics"}
    assert len(manifests) == 6  # the first sync and the incremental run of each tenant
