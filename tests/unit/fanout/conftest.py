"""Tenants, a real SQLite state store and recording invokers for the fan-out tests."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from shopsync.fanout.invoker import InvokeError
from shopsync.fanout.payload import IngestionPayload
from shopsync.state.sqlite import SqliteStateStore
from shopsync.tenants import Tenant

TODAY = date(2026, 1, 15)


def make_tenant(tenant_id: str, schedule: str = "rate(1 hour)", **fields: Any) -> Tenant:
    data: dict[str, Any] = {
        "id": tenant_id,
        "name": tenant_id.replace("_", " ").title(),
        "shop": f"{tenant_id.replace('_', '-')}.myshopify.com",
        "auth": {"secret": f"shopsync/tenants/{tenant_id}"},
        "schedule": schedule,
        "start_date": "2024-01-01",
    }
    return Tenant.model_validate(data | fields, context={"today": TODAY})


class RecordingInvoker:
    """Records payloads; raises InvokeError for the tenants in ``fail_for``."""

    def __init__(self, fail_for: tuple[str, ...] = ()) -> None:
        self.payloads: list[IngestionPayload] = []
        self.fail_for = fail_for

    def invoke(self, payload: IngestionPayload) -> None:
        if payload.tenant_id in self.fail_for:
            raise InvokeError(f"tenant {payload.tenant_id}: invoking ingestion failed: boom")
        self.payloads.append(payload)

    @property
    def tenants(self) -> list[str]:
        return [p.tenant_id for p in self.payloads]


@pytest.fixture
def state(tmp_path: Path) -> SqliteStateStore:
    return SqliteStateStore(tmp_path / "state.sqlite")


@pytest.fixture
def invoker() -> RecordingInvoker:
    return RecordingInvoker()
