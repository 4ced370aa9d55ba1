"""The scheduler service's results: each action's JSON form and the metrics it reports."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError

from shopsync.schedule.payload import ResyncRequest
from shopsync.schedule.requests import SafetyNetRequest, TickRequest
from shopsync.schedule.service import (
    Adapters,
    ResyncResult,
    SafetyNetResult,
    TickResult,
    handle,
)
from shopsync.settings import Settings
from shopsync.state.sqlite import SqliteStateStore
from tests.support.fanout import RecordingInvoker

NOW = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)


@pytest.fixture
def settings(tmp_path: Path, example_tenants_dir: Path) -> Settings:
    return Settings(tenants_dir=example_tenants_dir, home=tmp_path, load_job="shopsync-load")


def test_a_tick_counts_its_decisions(
    settings: Settings, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    result = handle(TickRequest(scheduled_time=NOW), settings, Adapters(state, invoker))

    assert isinstance(result, TickResult)
    document = result.as_dict()
    assert document == {"action": "tick", **result.summary.as_dict()}
    assert list(document) == ["action", "now", "due", "invoked", "skipped", "failed", "not_due"]
    assert document["now"] == "2026-11-24T10:00:00+00:00"
    assert result.metrics == {
        "TenantsDue": 3,
        "TenantsInvoked": 3,
        "TenantsSkipped": 0,
        "TenantsFailed": 0,
    }


def test_a_resync_returns_the_payload_it_sent(
    settings: Settings, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    request = ResyncRequest(action="resync", tenant_id="acme_outdoor", streams=("orders",))

    result = handle(request, settings, Adapters(state, invoker))

    assert isinstance(result, ResyncResult)
    assert invoker.payloads == [result.payload]
    assert result.as_dict() == {
        "action": "resync",
        "invoked": invoker.payloads[0].model_dump(mode="json"),
    }
    assert result.metrics == {"ResyncsInvoked": 1}


class _Glue:
    def __init__(self, running: bool) -> None:
        self.running = running

    def start_job_run(self, **_: Any) -> dict[str, str]:
        if self.running:
            error = {"Error": {"Code": "ConcurrentRunsExceededException", "Message": "busy"}}
            raise ClientError(error, "StartJobRun")
        return {"JobRunId": "jr_1"}


@pytest.mark.parametrize(("running", "job_run_id", "loads"), [(False, "jr_1", 1), (True, None, 0)])
def test_the_safety_net_counts_a_load_only_when_it_started_one(
    settings: Settings,
    state: SqliteStateStore,
    invoker: RecordingInvoker,
    running: bool,
    job_run_id: str | None,
    loads: int,
) -> None:
    adapters = Adapters(state, invoker, glue=lambda: _Glue(running))

    result = handle(SafetyNetRequest(action="load_safety_net"), settings, adapters)

    assert result == SafetyNetResult("shopsync-load", job_run_id)
    assert result.as_dict() == {
        "action": "load_safety_net",
        "job": "shopsync-load",
        "job_run_id": job_run_id,
    }
    assert result.metrics == {"SafetyNetLoads": loads}


def test_the_safety_net_needs_a_glue_client(
    settings: Settings, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    with pytest.raises(ValueError, match="needs a Glue client"):
        handle(SafetyNetRequest(action="load_safety_net"), settings, Adapters(state, invoker))
