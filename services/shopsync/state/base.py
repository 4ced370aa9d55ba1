"""Sync state (ARCHITECTURE §4): cursors, run history, the per-tenant lease, bulk operations.

One interface, two implementations: :mod:`.dynamodb` (AWS, conditional writes) and
:mod:`.sqlite` (local). The core only ever talks to :class:`StateStore`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Protocol

from pydantic import AwareDatetime, BaseModel, ConfigDict


class RunStatus(StrEnum):
    DISPATCHED = "dispatched"  # the scheduler invoked ingestion; it has not started yet
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    PARTIAL = "partial"  # committed part of the work, a continuation follows
    FAILED = "failed"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Cursor(_Frozen):
    """Incremental watermark: the latest ``updatedAt`` committed, and the last id at it."""

    updated_at: AwareDatetime
    last_id: str | None = None


class Lease(_Frozen):
    run_id: str
    acquired_at: AwareDatetime
    expires_at: AwareDatetime

    def is_held(self, now: datetime) -> bool:
        return self.expires_at > now


class TenantState(_Frozen):
    """What the state store knows about one tenant; all ``None`` for a tenant never run."""

    tenant_id: str
    last_run_id: str | None = None
    last_mode: str | None = None
    last_dispatched_at: AwareDatetime | None = None
    last_started_at: AwareDatetime | None = None
    last_finished_at: AwareDatetime | None = None
    last_status: RunStatus | None = None
    last_error: str | None = None
    #: Shopify cost points the last finished run used (None: unknown, or not finished)
    last_points: float | None = None
    lease: Lease | None = None

    @property
    def last_activity_at(self) -> datetime | None:
        """When the tenant's last run was dispatched or started: what schedules count from."""
        times = [t for t in (self.last_dispatched_at, self.last_started_at) if t is not None]
        return max(times) if times else None


class StreamState(_Frozen):
    tenant_id: str
    stream: str
    cursor: Cursor | None = None
    last_run_id: str | None = None
    last_status: RunStatus | None = None


class BulkOperationRecord(_Frozen):
    """A Shopify bulk operation that a run started, kept so a restarted run adopts it."""

    tenant_id: str
    stream: str
    operation_id: str
    run_id: str
    window_from: AwareDatetime | None = None
    window_to: AwareDatetime | None = None
    started_at: AwareDatetime


class StateError(RuntimeError):
    """Base class for state store errors."""


class LeaseLostError(StateError):
    """The run no longer holds the tenant's lease, so it must not commit."""


class StateStore(Protocol):
    """Per-tenant sync state. Every method is safe to call from several threads."""

    def get_tenant(self, tenant_id: str) -> TenantState: ...

    def get_tenants(self, tenant_ids: Sequence[str]) -> dict[str, TenantState]:
        """Batch read: one entry per requested id (empty state for unknown ids)."""
        ...

    def record_dispatch(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None:
        """The scheduler handed a run to ingestion; schedules count from ``at``."""
        ...

    def acquire_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> bool:
        """Take the tenant's lease if it is free, expired, or already ``run_id``'s."""
        ...

    def renew_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> None:
        """Extend a lease this run holds; :class:`LeaseLostError` if it does not."""
        ...

    def release_lease(self, tenant_id: str, run_id: str) -> None:
        """Drop the lease if ``run_id`` holds it; a no-op otherwise."""
        ...

    def record_run_started(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None: ...

    def get_streams(self, tenant_id: str) -> dict[str, StreamState]: ...

    def commit_run(
        self,
        tenant_id: str,
        run_id: str,
        status: RunStatus,
        finished_at: datetime,
        cursors: Mapping[str, Cursor],
        *,
        release: bool = True,
        points: float | None = None,
    ) -> None:
        """After the manifest is written: advance cursors and record the status (and the cost
        points the run used) atomically, releasing the lease unless ``release`` is false (a
        continuation keeps it).
        :class:`LeaseLostError` (and nothing written) if ``run_id`` does not hold the lease."""
        ...

    def record_run_failed(
        self,
        tenant_id: str,
        run_id: str,
        finished_at: datetime,
        error: str,
        *,
        points: float | None = None,
    ) -> None:
        """Record a failed run (and the cost points it used) and release its lease; cursors
        do not move."""
        ...

    def put_bulk_operation(self, record: BulkOperationRecord) -> None: ...

    def list_bulk_operations(self, tenant_id: str) -> list[BulkOperationRecord]: ...

    def delete_bulk_operation(self, tenant_id: str, stream: str, operation_id: str) -> None: ...
