"""What the scheduler function does with a parsed event: a tick, a resync of one store, or the
load safety net. Each returns a result that knows its JSON form and its CloudWatch metrics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from shopsync.events import start_safety_net_load
from shopsync.schedule.invoker import Invoker
from shopsync.schedule.payload import IngestionPayload
from shopsync.schedule.requests import SafetyNetRequest, SchedulerRequest, TickRequest
from shopsync.schedule.resync import start_resync
from shopsync.schedule.tick import TickSummary, run_tick
from shopsync.settings import Settings
from shopsync.state import StateStore
from shopsync.tenants import load_registry, load_tenants_leniently


@dataclass(frozen=True)
class Adapters:
    state: StateStore
    invoker: Invoker
    #: builds the boto3 Glue client; only the safety net needs one, so ticks never pay for it
    glue: Callable[[], Any] | None = None


@dataclass(frozen=True)
class TickResult:
    summary: TickSummary

    @property
    def metrics(self) -> dict[str, int]:
        """Metric name -> count."""
        return {
            "TenantsDue": len(self.summary.due),
            "TenantsInvoked": len(self.summary.invoked),
            "TenantsSkipped": len(self.summary.skipped),
            "TenantsFailed": len(self.summary.failed),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"action": "tick", **self.summary.as_dict()}


@dataclass(frozen=True)
class ResyncResult:
    #: what was sent to ingestion
    payload: IngestionPayload

    @property
    def metrics(self) -> dict[str, int]:
        return {"ResyncsInvoked": 1}

    def as_dict(self) -> dict[str, Any]:
        return {"action": "resync", "invoked": self.payload.model_dump(mode="json")}


@dataclass(frozen=True)
class SafetyNetResult:
    job: str
    #: ``None``: a load was already running, so none was started
    job_run_id: str | None

    @property
    def metrics(self) -> dict[str, int]:
        return {"SafetyNetLoads": int(self.job_run_id is not None)}

    def as_dict(self) -> dict[str, Any]:
        return {"action": "load_safety_net", "job": self.job, "job_run_id": self.job_run_id}


SchedulerResult = TickResult | ResyncResult | SafetyNetResult


def tick(settings: Settings, adapters: Adapters, now: datetime | None = None) -> TickSummary:
    """Load every tenant file that is valid (invalid ones are reported, not fatal) and tick."""
    tenants, errors = load_tenants_leniently(settings.tenants_dir)
    return run_tick(
        tenants,
        adapters.state,
        adapters.invoker,
        now,
        config_errors=errors,
        limit=settings.max_dispatch_per_tick,
    )


def handle(request: SchedulerRequest, settings: Settings, adapters: Adapters) -> SchedulerResult:
    if isinstance(request, TickRequest):
        return TickResult(tick(settings, adapters, request.now()))
    if isinstance(request, SafetyNetRequest):
        minutes = request.older_than_minutes or settings.safety_net_minutes
        if adapters.glue is None:
            raise ValueError("the load safety net needs a Glue client (target aws)")
        job_run = start_safety_net_load(
            adapters.glue(), settings.load_job, older_than_minutes=minutes
        )
        return SafetyNetResult(settings.load_job, job_run)
    registry = load_registry(settings.tenants_dir)
    payload = start_resync(registry, adapters.state, adapters.invoker, request, datetime.now(UTC))
    return ResyncResult(payload)
