"""One scheduler tick: pick the tenants that are due and start one ingestion run per store.

The tick never lets one tenant stop the others: a bad tenant file, a state read that fails for
one tenant or an invoke error is recorded against that tenant and the loop goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from shopsync.logcontext import log_context
from shopsync.runid import new_run_id
from shopsync.schedule.invoker import InvokeError, Invoker
from shopsync.schedule.payload import IngestionPayload, Mode
from shopsync.state.base import StateStore, TenantState

if TYPE_CHECKING:
    from shopsync.tenants import Tenant

log = logging.getLogger(__name__)


@dataclass
class TickSummary:
    """What one tick decided, per tenant."""

    now: datetime
    due: list[str] = field(default_factory=list)
    invoked: dict[str, str] = field(default_factory=dict)  # tenant -> run_id
    skipped: dict[str, str] = field(default_factory=dict)  # tenant -> reason
    failed: dict[str, str] = field(default_factory=dict)  # tenant (or file) -> error
    not_due: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "now": self.now.isoformat(),
            "due": self.due,
            "invoked": self.invoked,
            "skipped": self.skipped,
            "failed": self.failed,
            "not_due": self.not_due,
        }


def dispatch(
    tenant_id: str,
    payload: IngestionPayload,
    state: StateStore,
    invoker: Invoker,
    now: datetime,
) -> None:
    """Record the dispatch, then hand the run over.

    The dispatch is recorded first so that everything ingestion writes to state comes after it.
    If the hand-over fails the run is recorded as failed (the tenant retries at its next
    scheduled time) and :class:`InvokeError` propagates.
    """
    state.record_dispatch(tenant_id, payload.run_id, payload.mode, now)
    try:
        invoker.invoke(payload)
    except InvokeError as exc:
        state.record_run_failed(tenant_id, payload.run_id, now, str(exc))
        raise


def run_tick(
    tenants: Iterable[Tenant],
    state: StateStore,
    invoker: Invoker,
    now: datetime | None = None,
    *,
    config_errors: Mapping[str, str] | None = None,
    mode: Mode = "incremental",
    limit: int | None = None,
) -> TickSummary:
    """Invoke ingestion for every enabled tenant that is due at ``now`` and not already running.

    ``config_errors`` (tenant file -> error) are tenants that could not be loaded; they are
    reported as failed so that a broken file is visible without holding up the others.

    ``limit``: at most that many invocations this tick; the longest-waiting due tenants go
    first and the rest wait for the next tick. A fleet whose stores all fell due at once (a
    new deployment, an outage) then spreads over ticks and stays spread (a ``rate`` schedule
    counts from each store's last run), so each tick lands about one load batch of manifests.
    """
    now = (now or datetime.now(UTC)).astimezone(UTC)
    summary = TickSummary(now=now)
    for source, error in (config_errors or {}).items():
        summary.failed[source] = error
        log.error("tenant file rejected", extra={"tenant_file": source, "error": error})

    tenants = list(tenants)
    states = _read_states(state, [t.id for t in tenants], summary)
    if limit is not None:  # the longest-waiting first (never run: first of all)
        tenants.sort(key=lambda t: _waited_since(states.get(t.id)))
    for tenant in tenants:
        tenant_state = states.get(tenant.id)
        if tenant_state is None:
            continue  # its state read failed and was recorded
        with log_context(tenant_id=tenant.id):
            try:
                full = limit is not None and len(summary.invoked) >= limit
                _consider(tenant, tenant_state, state, invoker, now, mode, summary, full=full)
            except Exception as exc:  # one tenant's failure never stops the tick
                summary.failed[tenant.id] = f"{type(exc).__name__}: {exc}"
                log.exception("tenant failed in scheduler tick")
    return summary


def _read_states(
    state: StateStore, tenant_ids: list[str], summary: TickSummary
) -> dict[str, TenantState]:
    try:
        return state.get_tenants(tenant_ids)
    except Exception as batch_error:
        log.warning("batch state read failed, reading tenants one by one: %s", batch_error)
    states: dict[str, TenantState] = {}
    for tenant_id in tenant_ids:
        with log_context(tenant_id=tenant_id):
            try:
                states[tenant_id] = state.get_tenant(tenant_id)
            except Exception as exc:
                summary.failed[tenant_id] = f"reading state: {type(exc).__name__}: {exc}"
                log.exception("reading tenant state failed")
    return states


def _waited_since(tenant_state: TenantState | None) -> datetime:
    last = tenant_state.last_activity_at if tenant_state is not None else None
    return last or datetime.min.replace(tzinfo=UTC)


def _consider(
    tenant: Tenant,
    tenant_state: TenantState,
    state: StateStore,
    invoker: Invoker,
    now: datetime,
    mode: Mode,
    summary: TickSummary,
    *,
    full: bool = False,
) -> None:
    if not tenant.enabled:
        summary.skipped[tenant.id] = "disabled"
        return
    schedule = tenant.schedule_expression
    if not schedule.is_due(now, tenant_state.last_activity_at):
        summary.not_due += 1
        return
    summary.due.append(tenant.id)
    lease = tenant_state.lease
    if lease is not None and lease.is_held(now):
        summary.skipped[tenant.id] = (
            f"run {lease.run_id} in progress (lease until {lease.expires_at.isoformat()})"
        )
        log.info("tenant due but its run is in progress")
        return
    if full:
        summary.skipped[tenant.id] = "deferred to the next tick: this tick's invocations are spent"
        return
    payload = IngestionPayload(
        tenant_id=tenant.id, run_id=new_run_id(now), mode=mode, streams=tenant.streams
    )
    dispatch(tenant.id, payload, state, invoker, now)
    summary.invoked[tenant.id] = payload.run_id
    with log_context(run_id=payload.run_id):
        log.info("ingestion invoked", extra={"mode": mode})
