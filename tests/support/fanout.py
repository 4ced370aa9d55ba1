"""A recording invoker: the fan-out's invokes, kept instead of sent."""

from __future__ import annotations

from shopsync.schedule.invoker import InvokeError
from shopsync.schedule.payload import IngestionPayload


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
