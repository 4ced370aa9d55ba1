"""``shopsync load`` and ``shopsync status`` through typer's CliRunner on the local target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shopsync.cli.common import EXIT_BAD_INPUT, EXIT_FAILED, EXIT_OK, console, err_console
from shopsync.cli.load import load
from shopsync.cli.status import status
from shopsync.settings import Settings
from shopsync.storage import LocalObjectStore
from tests.support.tenants import write_tenant_file

from .lake import product, write_run

pytestmark = [pytest.mark.spark, pytest.mark.slow]


app = typer.Typer()
app.command("load")(load)
app.command("status")(status)


@pytest.fixture(autouse=True)
def _wide_consoles(monkeypatch: pytest.MonkeyPatch) -> None:
    for con in (console, err_console):
        monkeypatch.setattr(con, "_width", 250)


@pytest.fixture
def tenants_dir(tmp_path: Path) -> Path:
    directory = tmp_path / "tenants"
    directory.mkdir()
    for tid in ("acme", "acme_corp"):
        write_tenant_file(directory, tid)
    return directory


def test_load_then_status(tenants_dir: Path) -> None:
    settings = Settings()
    raw = LocalObjectStore(settings.lake_path / settings.raw_bucket)
    write_run(
        raw,
        "acme",
        "20261124T100000Z-00000001",
        {"products": [product(1, "a", "2026-11-24T09:00:00Z")]},
    )
    runner = CliRunner()
    dirs = ["--tenants-dir", str(tenants_dir)]

    first = runner.invoke(app, ["load", *dirs])
    assert first.exit_code == EXIT_OK, first.output
    assert "loaded acme 20261124T100000Z-00000001: products=1" in first.output
    again = runner.invoke(app, ["load", *dirs])
    assert again.exit_code == EXIT_OK
    assert "nothing pending" in again.output

    shown = runner.invoke(app, ["status", "--json", "--tenant", "acme", *dirs])
    assert shown.exit_code == EXIT_OK, shown.output
    (acme,) = json.loads(shown.output)
    assert acme["last_run_id"] == "20261124T100000Z-00000001"
    assert acme["ok"] is True
    rows = {t["table"]: t["rows"] for t in acme["tables"]}
    assert rows["products"] == 1
    assert rows["orders"] == 0

    both = json.loads(runner.invoke(app, ["status", "--json", *dirs]).output)
    assert [s["tenant_id"] for s in both] == ["acme", "acme_corp"]
    assert both[1]["tables"] == []  # acme_corp has nothing loaded, and sees nothing of acme

    text = runner.invoke(app, ["status", *dirs])
    assert "acme" in text.output
    assert "products" in text.output


@pytest.mark.parametrize("command", ["load", "status"])
def test_unknown_tenant_is_bad_input(tenants_dir: Path, command: str) -> None:
    result = CliRunner().invoke(
        app, [command, "--tenant", "acme_c", "--tenants-dir", str(tenants_dir)]
    )
    assert result.exit_code == EXIT_BAD_INPUT
    assert "unknown tenant" in result.output


def test_failed_check_fails_status(tenants_dir: Path) -> None:
    settings = Settings()
    raw = LocalObjectStore(settings.lake_path / settings.raw_bucket)
    manifest = write_run(
        raw,
        "acme",
        "20261124T100000Z-00000001",
        {"products": [product(1, "a", "2026-11-24T09:00:00Z")]},
    )
    lying = manifest.model_copy(
        update={
            "streams": {"products": manifest.streams["products"].model_copy(update={"records": 0})}
        }
    )
    raw.put_bytes(manifest.key, lying.to_json())
    dirs = ["--tenants-dir", str(tenants_dir)]
    assert CliRunner().invoke(app, ["load", *dirs]).exit_code == EXIT_FAILED
    shown = CliRunner().invoke(app, ["status", "--json", "--tenant", "acme", *dirs])
    assert shown.exit_code == EXIT_FAILED
    (acme,) = json.loads(shown.output)
    assert acme["ok"] is False
    assert [c["check"] for c in acme["failed_checks"]] == ["rows_vs_records"]


def test_status_and_load_while_another_process_holds_the_warehouse(tenants_dir: Path) -> None:
    import subprocess
    import sys

    path = Settings().warehouse_path
    path.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "sys.stdin.read()",
            str(path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "ready"
        result = CliRunner().invoke(app, ["status", "--tenants-dir", str(tenants_dir)])
        assert result.exit_code == EXIT_FAILED
        assert "busy" in result.output
        # A second load at once: a clear refusal, the run it would have loaded still pending.
        raw = LocalObjectStore(Settings().lake_path / Settings().raw_bucket)
        run = "20261124T100000Z-00000001"
        write_run(raw, "acme", run, {"products": [product(1, "a", "2026-11-24T09:00:00Z")]})
        result = CliRunner().invoke(app, ["load", "--tenants-dir", str(tenants_dir)])
        assert result.exit_code == EXIT_FAILED
        assert "is in use by another process" in result.output
        assert "Traceback" not in result.output
    finally:
        holder.communicate("", timeout=30)
    loaded = CliRunner().invoke(app, ["load", "--tenants-dir", str(tenants_dir)])
    assert loaded.exit_code == EXIT_OK, loaded.output
    assert f"loaded acme {run}" in loaded.output


def test_status_shows_a_failed_sync_and_fails(tenants_dir: Path) -> None:
    from datetime import UTC, datetime

    from shopsync.state.sqlite import SqliteStateStore

    at = datetime(2026, 11, 24, 10, tzinfo=UTC)
    with SqliteStateStore(Settings().state_path) as state:
        state.record_run_started("acme", "20261124T100000Z-00000001", "incremental", at)
        state.record_run_failed(
            "acme", "20261124T100000Z-00000001", at, "Unauthorized: the access token was revoked"
        )
    dirs = ["--tenants-dir", str(tenants_dir)]
    shown = CliRunner().invoke(app, ["status", "--json", *dirs])
    assert shown.exit_code == EXIT_FAILED
    acme, corp = json.loads(shown.output)
    assert acme["ok"] is False
    assert acme["ingestion"]["status"] == "failed"
    assert acme["ingestion"]["error"] == "Unauthorized: the access token was revoked"
    assert (corp["ok"], corp["ingestion"]) == (True, None)  # never synced: nothing failed
    text = CliRunner().invoke(app, ["status", "--tenant", "acme", *dirs]).output
    assert "LAST SYNC FAILED" in text
    assert "Unauthorized: the access token was revoked" in text
