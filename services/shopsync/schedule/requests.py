"""The events the scheduler function accepts, parsed into models before anything runs.

- EventBridge Scheduler with the input template ``{"action": "tick", "scheduled_time":
  "<aws.scheduler.scheduled-time>"}`` (what Terraform deploys);
- an EventBridge rule's ``Scheduled Event`` (``detail-type``/``time``);
- ``{"action": "resync", "tenant_id": ..., "streams": [...], "since": ...}`` from the console,
  the CLI (``--target aws``) or an EventBridge rule;
- ``{"action": "load_safety_net"}`` from a second schedule: start the load job for manifests
  whose event never came.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from shopsync.schedule.payload import ResyncRequest


class TickRequest(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["tick"] = "tick"
    scheduled_time: AwareDatetime | None = None

    def now(self) -> datetime:
        return (self.scheduled_time or datetime.now(UTC)).astimezone(UTC)


class SafetyNetRequest(BaseModel):
    """``{"action": "load_safety_net"}``: load manifests whose event never came (AWS)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    action: Literal["load_safety_net"]
    older_than_minutes: float | None = Field(default=None, gt=0)


class ScheduledEvent(BaseModel):
    """An EventBridge rule's schedule event; only the fields the tick needs are read."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    detail_type: Literal["Scheduled Event"] = Field(alias="detail-type")
    source: str
    time: AwareDatetime

    def as_tick(self) -> TickRequest:
        return TickRequest(scheduled_time=self.time)


SchedulerRequest = TickRequest | ResyncRequest | SafetyNetRequest
SchedulerEvent = Annotated[SchedulerRequest, Field(discriminator="action")]
_ACTION_ADAPTER: TypeAdapter[SchedulerRequest] = TypeAdapter(SchedulerEvent)


class BadSchedulerEvent(ValueError):
    """The event is none of the shapes the scheduler accepts."""


def parse_scheduler_event(event: Any) -> SchedulerRequest:
    """Parse a raw Lambda event; :class:`BadSchedulerEvent` names what is wrong."""
    if not isinstance(event, dict):
        raise BadSchedulerEvent(f"expected a JSON object, got {type(event).__name__}")
    try:
        if "detail-type" in event:
            return ScheduledEvent.model_validate(event).as_tick()
        return _ACTION_ADAPTER.validate_python({"action": "tick", **event})
    except ValueError as exc:
        raise BadSchedulerEvent(f"invalid scheduler event: {exc}") from exc
