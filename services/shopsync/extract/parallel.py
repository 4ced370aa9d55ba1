"""Syncs run here and now: several tenants in parallel (``shopsync sync``)."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

from shopsync.runid import new_run_id
from shopsync.schedule.payload import IngestionPayload, Mode
from shopsync.settings import Settings
from shopsync.streams import StreamGroup
from shopsync.tenants import Tenant

from .result import IngestionFailedError, RunResult
from .service import ProgressHook, Services, run_payload


@dataclass(frozen=True)
class SyncRequest:
    tenants: Sequence[Tenant]
    groups: Sequence[StreamGroup] | None = None  # None: each tenant's own streams
    mode: Mode = "incremental"


def payload_for(tenant: Tenant, request: SyncRequest, now: datetime) -> IngestionPayload | None:
    groups = [g for g in tenant.streams if request.groups is None or g in request.groups]
    if not groups:
        return None
    return IngestionPayload(
        tenant_id=tenant.id, run_id=new_run_id(now), mode=request.mode, streams=tuple(groups)
    )


def sync_tenants(
    request: SyncRequest,
    *,
    settings: Settings,
    services: Services,
    progress: ProgressHook | None = None,
    workers: int | None = None,
) -> list[RunResult]:
    """Run every tenant's payload in parallel; failures are returned, never raised."""
    now = datetime.now(UTC)
    payloads = [p for t in request.tenants if (p := payload_for(t, request, now)) is not None]

    def one(payload: IngestionPayload) -> RunResult:
        try:
            return run_payload(payload, settings=settings, services=services, progress=progress)
        except IngestionFailedError as exc:
            return exc.result

    if not payloads:
        return []
    with ThreadPoolExecutor(workers or settings.local_workers, "sync") as pool:
        return list(pool.map(one, payloads))


__all__ = ["SyncRequest", "payload_for", "sync_tenants"]
