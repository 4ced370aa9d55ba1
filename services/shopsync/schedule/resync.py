"""On-demand resync of one store: a full snapshot of some streams, or everything since a date."""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from shopsync.logcontext import log_context
from shopsync.runid import new_run_id
from shopsync.schedule.invoker import Invoker
from shopsync.schedule.payload import IngestionPayload, ResyncRequest, as_utc_datetime
from shopsync.schedule.tick import dispatch
from shopsync.state.base import StateStore

if TYPE_CHECKING:
    from shopsync.tenants import Registry

log = logging.getLogger(__name__)


class ResyncRefused(ValueError):
    """The request names something that cannot be resynced; nothing was invoked."""


class RunInProgress(RuntimeError):
    """The tenant's lease is held by another run; nothing was invoked."""


def plan_resync(registry: Registry, request: ResyncRequest, now: datetime) -> IngestionPayload:
    """Validate a resync request against the registry and build its payload.

    Raises ``UnknownTenantError`` for an unknown tenant and :class:`ResyncRefused` for a
    disabled tenant, a stream the tenant does not sync, or a ``since`` in the future.
    """
    tenant = registry.get(request.tenant_id)
    if not tenant.enabled:
        raise ResyncRefused(
            f"tenant {tenant.id} is disabled (enabled: false in its tenant file); "
            "enable it before resyncing"
        )
    streams = request.streams or tenant.streams
    not_synced = [s for s in streams if s not in tenant.streams]
    if not_synced:
        raise ResyncRefused(
            f"tenant {tenant.id} does not sync {', '.join(not_synced)} "
            f"(its streams: {', '.join(tenant.streams)})"
        )
    since = None if request.since is None else as_utc_datetime(request.since)
    if since is not None and since > now:
        raise ResyncRefused(f"since {since.isoformat()} is in the future")
    return IngestionPayload(
        tenant_id=tenant.id, run_id=new_run_id(now), mode="resync", streams=streams, since=since
    )


def start_resync(
    registry: Registry,
    state: StateStore,
    invoker: Invoker,
    request: ResyncRequest,
    now: datetime | None = None,
) -> IngestionPayload:
    """Start a resync now unless the tenant's run is in progress; returns the payload sent."""
    now = (now or datetime.now(UTC)).astimezone(UTC)
    payload = plan_resync(registry, request, now)
    lease = state.get_tenant(payload.tenant_id).lease
    if lease is not None and lease.is_held(now):
        raise RunInProgress(
            f"tenant {payload.tenant_id}: run {lease.run_id} is in progress "
            f"(lease until {lease.expires_at.isoformat()}); try again when it has finished"
        )
    dispatch(payload.tenant_id, payload, state, invoker, now)
    with log_context(tenant_id=payload.tenant_id, run_id=payload.run_id):
        log.info("resync invoked", extra={"since": since_of(payload)})
    return payload


def since_of(payload: IngestionPayload) -> str:
    return payload.since.isoformat() if payload.since else "full snapshot"
