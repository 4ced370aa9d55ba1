"""What the scheduler function does with a parsed event: a tick, or a resync of one store."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shopsync.events import start_safety_net_load
from shopsync.fanout.events import SafetyNetRequest, SchedulerRequest, TickRequest
from shopsync.fanout.invoker import Invoker
from shopsync.fanout.resync import start_resync
from shopsync.fanout.scheduler import TickSummary, run_tick
from shopsync.settings import Settings
from shopsync.state import StateStore
from shopsync.tenants import load_registry, load_tenants_leniently


@dataclass(frozen=True)
class Adapters:
    state: StateStore
    invoker: Invoker
    #: builds the boto3 Glue client; only the safety net needs one, so ticks never pay for it
    glue: Callable[[], Any] | None = None


def tick(settings: Settings, adapters: Adapters, now: datetime | None = None) -> TickSummary:
    """Load every tenant file that is valid (invalid ones are reported, not fatal) and tick."""
    tenants, errors = load_tenants_leniently(settings.tenants_dir)
    return run_tick(tenants, adapters.state, adapters.invoker, now, config_errors=errors)


def handle(request: SchedulerRequest, settings: Settings, adapters: Adapters) -> dict[str, Any]:
    if isinstance(request, TickRequest):
        return {"action": "tick", **tick(settings, adapters, request.now()).as_dict()}
    if isinstance(request, SafetyNetRequest):
        minutes = request.older_than_minutes or settings.safety_net_minutes
        if adapters.glue is None:
            raise ValueError("the load safety net needs a Glue client (target aws)")
        job_run = start_safety_net_load(
            adapters.glue(), settings.load_job, older_than_minutes=minutes
        )
        return {"action": "load_safety_net", "job": settings.load_job, "job_run_id": job_run}
    registry = load_registry(settings.tenants_dir)
    payload = start_resync(registry, adapters.state, adapters.invoker, request, datetime.now(UTC))
    return {"action": "resync", "invoked": payload.model_dump(mode="json")}
