"""On-demand resync: refused cleanly (nothing invoked) or started with the exact payload."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from shopsync.schedule.payload import ResyncRequest
from shopsync.schedule.resync import ResyncRefused, RunInProgress, start_resync
from shopsync.state import RunStatus
from shopsync.state.sqlite import SqliteStateStore
from shopsync.tenants import Registry, UnknownTenantError
from tests.support.fanout import RecordingInvoker
from tests.support.tenants import make_tenant

NOW = datetime(2026, 1, 31, 10, 0, tzinfo=UTC)


@pytest.fixture
def registry() -> Registry:
    return Registry(
        (
            make_tenant("acme", streams=["products", "orders"]),
            make_tenant("acme_corp"),
            make_tenant("paused_shop", enabled=False),
        )
    )


def _request(tenant_id: str, **fields: object) -> ResyncRequest:
    return ResyncRequest.model_validate({"action": "resync", "tenant_id": tenant_id} | fields)


def test_a_full_resync_of_every_stream_the_tenant_syncs(
    registry: Registry, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    payload = start_resync(registry, state, invoker, _request("acme"), NOW)
    assert invoker.payloads == [payload]
    assert (payload.tenant_id, payload.mode, payload.streams, payload.since) == (
        "acme",
        "resync",
        ("products", "orders"),
        None,
    )
    assert state.get_tenant("acme").last_status is RunStatus.DISPATCHED
    assert state.get_tenant("acme_corp").last_status is None  # the look-alike is untouched


def test_a_resync_of_one_stream_since_a_date(
    registry: Registry, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    payload = start_resync(
        registry, state, invoker, _request("acme", streams=["orders"], since="2026-01-01"), NOW
    )
    assert payload.streams == ("orders",)
    assert payload.since == datetime(2026, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("request_fields", "error", "fragment"),
    [
        ({"tenant_id": "acme_co"}, UnknownTenantError, "acme_co"),
        ({"tenant_id": "paused_shop"}, ResyncRefused, "paused_shop is disabled"),
        (
            {"tenant_id": "acme", "streams": ["customers"]},
            ResyncRefused,
            "acme does not sync customers",
        ),
        (
            {"tenant_id": "acme", "since": date(2026, 2, 1)},
            ResyncRefused,
            "in the future",
        ),
    ],
)
def test_refused_resyncs_invoke_nothing(
    registry: Registry,
    state: SqliteStateStore,
    invoker: RecordingInvoker,
    request_fields: dict[str, object],
    error: type[Exception],
    fragment: str,
) -> None:
    tenant_id = str(request_fields.pop("tenant_id"))
    with pytest.raises(error, match=fragment):
        start_resync(registry, state, invoker, _request(tenant_id, **request_fields), NOW)
    assert invoker.payloads == []
    assert state.get_tenant(tenant_id).last_run_id is None


def test_a_resync_waits_for_a_run_in_progress(
    registry: Registry, state: SqliteStateStore, invoker: RecordingInvoker
) -> None:
    state.acquire_lease("acme", "20260131T095500Z-00000001", NOW, timedelta(minutes=16))
    with pytest.raises(RunInProgress, match="run 20260131T095500Z-00000001 is in progress"):
        start_resync(registry, state, invoker, _request("acme"), NOW)
    assert invoker.payloads == []
