"""Local syncs: several tenants in parallel, against Shopify or the embedded simulator."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from shopsync.fanout.payload import IngestionPayload, Mode
from shopsync.runid import new_run_id
from shopsync.settings import Settings
from shopsync.streams import StreamGroup
from shopsync.tenants import Tenant

from .config import IngestionConfig
from .result import IngestionFailedError, RunResult
from .service import ProgressHook, Services, run_payload


@contextmanager
def shopify_endpoint(
    settings: Settings, tenants: Sequence[Tenant], config: IngestionConfig
) -> Iterator[IngestionConfig]:
    """The config to sync with: as given, or (local target, no endpoint configured) pointing at
    an embedded simulator started for ``tenants`` for the length of the block."""
    if settings.target != "local" or "shopify_base_url" in config.model_fields_set:
        yield config
        return
    from shopsync.simulator import running_simulator

    specs = [(t.id, t.shop, t.plan.value) for t in tenants]
    with running_simulator(specs, secrets_path=settings.secrets_path) as sim:
        yield config.model_copy(update={"shopify_base_url": f"{sim.url}/shops/{{shop}}"})


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


__all__ = ["SyncRequest", "payload_for", "shopify_endpoint", "sync_tenants"]
