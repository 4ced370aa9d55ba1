"""``shopsync schedule`` and ``shopsync resync`` on the local target."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from shopsync import runtime
from shopsync.cli import app
from shopsync.settings import Settings
from shopsync.state.sqlite import SqliteStateStore

from . import fake_ingestion

runner = CliRunner()
NOW = "2026-11-24T10:00:00Z"


@pytest.fixture(autouse=True)
def fake_entry(monkeypatch: pytest.MonkeyPatch, example_tenants_dir: Path) -> Iterator[None]:
    monkeypatch.setenv("SHOPSYNC_LOCAL_INGESTION_ENTRY", f"{fake_ingestion.__name__}:run_payload")
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(example_tenants_dir))
    runtime.for_settings.cache_clear()
    fake_ingestion.RUNS.clear()
    fake_ingestion.FAIL_FOR.clear()
    yield
    runtime.for_settings.cache_clear()


def _tick(*args: str) -> dict[str, object]:
    result = runner.invoke(app, ["schedule", "--once", "--now", NOW, "--json", *args])
    assert result.exit_code in (0, 1), result.output
    document: dict[str, object] = json.loads(result.stdout)
    document["exit_code"] = result.exit_code
    return document


def test_schedule_once_runs_every_due_tenant_and_then_nothing() -> None:
    first = _tick()
    assert sorted(first["invoked"]) == ["acme_outdoor", "bluebird_books", "coral_cosmetics"]  # type: ignore[call-overload]
    assert first["outcome"] == dict.fromkeys(first["invoked"], "ok")  # type: ignore[union-attr]
    assert first["exit_code"] == 0
    assert sorted(p.tenant_id for p in fake_ingestion.RUNS) == sorted(first["invoked"])  # type: ignore[call-overload]

    second = _tick()
    assert second["invoked"] == {}
    assert second["not_due"] == 3


def test_schedule_once_exits_1_when_a_run_fails_and_still_runs_the_others() -> None:
    fake_ingestion.FAIL_FOR.add("bluebird_books")
    document = _tick()
    assert document["exit_code"] == 1
    assert document["outcome"]["bluebird_books"] == "failed: shop bluebird_books is locked"  # type: ignore[index]
    assert sorted(p.tenant_id for p in fake_ingestion.RUNS) == ["acme_outdoor", "coral_cosmetics"]


def test_schedule_rejects_a_malformed_now() -> None:
    result = runner.invoke(app, ["schedule", "--once", "--now", "tomorrow-ish"])
    assert result.exit_code == 2
    assert "--now" in result.stderr
    assert fake_ingestion.RUNS == []


def test_resync_runs_locally_and_waits() -> None:
    result = runner.invoke(
        app, ["resync", "--tenant", "acme_outdoor", "--stream", "orders", "--since", "2025-01-01"]
    )
    assert result.exit_code == 0, result.output
    [payload] = fake_ingestion.RUNS
    assert (payload.tenant_id, payload.mode, payload.streams) == (
        "acme_outdoor",
        "resync",
        ("orders",),
    )
    assert payload.since == datetime(2025, 1, 1, tzinfo=UTC)
    assert f"run {payload.run_id} finished" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--tenant", "acme"], "acme"),
        (["--tenant", "acme_outdoor", "--stream", "refunds"], "unknown stream 'refunds'"),
        (["--tenant", "acme_outdoor", "--since", "last tuesday"], "--since"),
        (["--tenant", "acme_outdoor", "--target", "gcp"], "--target"),
        (["--tenant", "bluebird_books", "--stream", "inventory"], "does not sync inventory"),
    ],
)
def test_resync_refuses_bad_input_with_exit_2_and_invokes_nothing(
    args: list[str], fragment: str
) -> None:
    result = runner.invoke(app, ["resync", *args])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert fake_ingestion.RUNS == []


def test_resync_of_a_disabled_tenant_is_refused(tmp_path: Path, example_tenants_dir: Path) -> None:
    tenants = tmp_path / "tenants"
    tenants.mkdir()
    source = (example_tenants_dir / "acme_outdoor.yaml").read_text()
    (tenants / "acme_outdoor.yaml").write_text(source.replace("enabled: true", "enabled: false"))
    result = runner.invoke(
        app, ["resync", "--tenant", "acme_outdoor", "--tenants-dir", str(tenants)]
    )
    assert result.exit_code == 2
    assert "disabled" in result.stderr
    assert fake_ingestion.RUNS == []


def test_resync_while_a_run_is_in_progress_exits_1() -> None:
    state = SqliteStateStore(Settings().state_path)
    now = datetime.now(UTC)
    state.acquire_lease("acme_outdoor", "20261124T095900Z-00000001", now, timedelta(minutes=10))
    result = runner.invoke(app, ["resync", "--tenant", "acme_outdoor"])
    assert result.exit_code == 1
    assert "in progress" in result.stderr
    assert fake_ingestion.RUNS == []
