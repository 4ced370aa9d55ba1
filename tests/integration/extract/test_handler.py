"""The Lambda handler end to end against the simulator (local target, loopback only)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from shopsync import runtime
from shopsync.handlers import ingestion as handler_module
from shopsync.lake.manifest import read_manifest
from shopsync.schedule.invoker import LambdaInvoker
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings
from shopsync.streams import STREAMS_BY_GROUP
from shopsync_simulator import running_simulator
from tests.lambda_context import LambdaContext as Context

from .harness import SHOP, SMALL, TENANT, write_tenant

RUN = "20261124T201500Z-1a2b3c4d"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[IngestionPayload]]:
    tenants = tmp_path / "tenants"
    write_tenant(tenants)
    home = tmp_path / "home"
    monkeypatch.setenv("SHOPSYNC_HOME", str(home))
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(tenants))
    invoked: list[IngestionPayload] = []
    monkeypatch.setattr(LambdaInvoker, "invoke", lambda self, p: invoked.append(p))
    with running_simulator(
        [(TENANT, SHOP, "plus")], size=SMALL, secrets_path=home / "secrets.json"
    ) as sim:
        monkeypatch.setenv("SHOPSYNC_SHOPIFY_BASE_URL", f"{sim.url}/shops/{{shop}}")
        yield invoked


def event(streams: list[str]) -> dict[str, object]:
    return {"tenant_id": TENANT, "run_id": RUN, "mode": "incremental", "streams": streams}


def test_handler_runs_the_store_and_emits_metrics(
    env: list[IngestionPayload], capsys: pytest.CaptureFixture[str]
) -> None:
    out = handler_module.handler(event(["products", "orders"]), Context(900_000))
    assert out["status"] == "succeeded"
    assert out["streams"]["products"]["records"] == SMALL.products
    assert env == []
    manifest = read_manifest(runtime.for_settings(Settings()).raw_store, TENANT, RUN)
    landed = STREAMS_BY_GROUP["products"] + STREAMS_BY_GROUP["orders"]
    assert set(manifest.streams) == set(landed)
    emf = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"_aws"' in line]
    names = {
        m["Name"] for doc in emf for d in doc["_aws"]["CloudWatchMetrics"] for m in d["Metrics"]
    }
    assert {"Records", "Requests", "PointsUsed", "ThrottledResponses", "SecondsWaited"} <= names
    records = [d for d in emf if "Records" in d and d.get("stream") == "products"]
    assert records[0]["Records"] == [SMALL.products]
    assert records[0]["tenant_id"] == TENANT


def test_handler_stops_before_the_deadline_and_continues(
    env: list[IngestionPayload], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOPSYNC_INGEST_PAGE_SIZE", "10")
    out = handler_module.handler(event(["customers"]), Context(30_000))
    assert out["status"] == "partial"
    assert [p.tenant_id for p in env] == [TENANT]
    follow = env[0]
    assert follow.run_id == out["continuation_run_id"]
    assert follow.run_id != RUN
    assert follow.mode == "incremental"
    assert follow.streams == ("customers",)


def test_failed_run_is_returned_not_raised(env: list[IngestionPayload], tmp_path: Path) -> None:
    (tmp_path / "home" / "secrets.json").write_text(json.dumps({TENANT: {"access_token": "x"}}))
    out = handler_module.handler(event(["customers"]), Context(900_000))
    assert out["status"] == "failed"
    assert "UnauthorizedError" in out["message"]
    assert env == []


def test_bad_payload_is_rejected(env: list[IngestionPayload]) -> None:
    with pytest.raises(ValueError, match="tenant_id"):
        handler_module.handler({"tenant_id": "../x", "run_id": RUN}, Context(900_000))
