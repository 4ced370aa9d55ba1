"""``shopsync sync`` with the local target and no endpoint: the embedded simulator serves."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from shopsync import runtime
from shopsync.cli.sync import sync
from shopsync.settings import Settings

from .harness import TENANT, write_tenant


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> typer.Typer:
    tenants = tmp_path / "tenants"
    write_tenant(tenants)
    write_tenant(tenants, "acme_corp")
    monkeypatch.setenv("SHOPSYNC_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(tenants))
    cli = typer.Typer()
    cli.command()(sync)
    return cli


def manifests(tenant_id: str) -> list[str]:
    return list(runtime.for_settings(Settings()).raw_store.list(f"_manifests/tenant={tenant_id}/"))


def test_sync_all_tenants_against_the_embedded_simulator(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, [])
    assert result.exit_code == 0, result.output
    assert "acme_outdoor" in result.output
    assert "acme_corp" in result.output
    assert len(manifests(TENANT)) == 1
    assert len(manifests("acme_corp")) == 1


def test_sync_one_tenant_and_stream_full(app: typer.Typer) -> None:
    result = CliRunner().invoke(app, ["--tenant", TENANT, "--stream", "customers", "--full"])
    assert result.exit_code == 0, result.output
    assert "customers" in result.output
    assert "orders" not in result.output
    assert manifests("acme_corp") == []


@pytest.mark.parametrize("args", [["--tenant", "acme"], ["--stream", "refunds"]])
def test_bad_input_exits_2(app: typer.Typer, args: list[str]) -> None:
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
