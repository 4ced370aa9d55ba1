"""One ingestion invocation with a time budget: run, report metrics, continue if cut short.

A run that reaches its deadline commits what it has as a partial run (manifest plus cursors
at the last complete page) and a continuation payload (a new run id) is handed to
``reinvoke``, so a store of any size finishes across invocations. The continuation of a
``full`` or ``resync`` run is ``incremental``: it resumes from the committed cursors instead
of starting the snapshot over.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from shopsync.runid import new_run_id
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings

from .result import IngestionFailedError, RunResult
from .service import Services, run_payload

log = logging.getLogger(__name__)

#: (metric name, unit, value, dimensions)
MetricSink = Callable[[str, str, float, dict[str, str]], None]
DEFAULT_SAFETY_SECONDS = 60.0


def continuation_of(payload: IngestionPayload, now: datetime | None = None) -> IngestionPayload:
    return IngestionPayload(
        tenant_id=payload.tenant_id,
        run_id=new_run_id(now or datetime.now(UTC)),
        mode="incremental",
        streams=payload.streams,
    )


def emit_run_metrics(result: RunResult, emit: MetricSink) -> None:
    tenant = {"tenant_id": result.tenant_id}
    for stream, summary in result.streams.items():
        dims = tenant | {"stream": stream}
        emit("Records", "Count", summary.records, dims)
        emit("Pages", "Count", summary.pages, dims)
    stats = result.stats
    emit("Requests", "Count", stats.get("requests", 0), tenant)
    emit("PointsUsed", "Count", stats.get("points", 0), tenant)
    emit("ThrottledResponses", "Count", stats.get("throttled", 0), tenant)
    emit("SecondsWaited", "Seconds", stats.get("waited_seconds", 0), tenant)
    emit(f"Runs{result.status.capitalize()}", "Count", 1, tenant)


def run_invocation(
    payload: IngestionPayload,
    *,
    settings: Settings,
    remaining_seconds: float | None,
    reinvoke: Callable[[IngestionPayload], None],
    emit: MetricSink,
    services: Services,
    safety_seconds: float = DEFAULT_SAFETY_SECONDS,
) -> dict[str, Any]:
    """Run ``payload`` stopping ``safety_seconds`` before the budget ends; never raises for a
    failed run (the failure is recorded in state and returned), so Lambda does not retry it."""
    deadline = None
    if remaining_seconds is not None:
        deadline = time.monotonic() + max(remaining_seconds - safety_seconds, 0.0)
    try:
        result = run_payload(payload, settings=settings, services=services, deadline=deadline)
    except IngestionFailedError as exc:
        result = exc.result
    emit_run_metrics(result, emit)
    body = result.as_dict()
    if result.needs_continuation:
        follow = continuation_of(payload)
        reinvoke(follow)
        body["continuation_run_id"] = follow.run_id
        log.info("time budget reached; continuing as run %s", follow.run_id)
    return body
