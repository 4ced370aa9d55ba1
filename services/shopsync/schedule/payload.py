"""What the scheduler hands to ingestion, and what starts an on-demand resync."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

from shopsync.runid import RUN_ID_PATTERN
from shopsync.streams import StreamGroup, parse_groups
from shopsync.tenantid import TENANT_ID_PATTERN

#: How a run syncs: from the cursors, a full snapshot, or a resync (full, or since a date).
Mode = Literal["incremental", "full", "resync"]


def as_utc_datetime(value: date | datetime) -> datetime:
    """A date means its midnight UTC; a naive datetime is refused rather than guessed."""
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("a datetime needs a timezone (e.g. 2026-01-01T00:00:00Z)")
        return value.astimezone(UTC)
    return datetime.combine(value, time.min, tzinfo=UTC)


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    @field_validator("streams", mode="before", check_fields=False)
    @classmethod
    def _known_streams(cls, value: object) -> object:
        if isinstance(value, list | tuple):
            return parse_groups(str(v) for v in value)
        return value


class IngestionPayload(_Payload):
    """The async invoke payload of the ingestion function: one store, one run."""

    tenant_id: str = Field(pattern=TENANT_ID_PATTERN.pattern)
    run_id: str = Field(pattern=RUN_ID_PATTERN.pattern)
    mode: Mode
    streams: tuple[StreamGroup, ...] = Field(min_length=1)
    since: AwareDatetime | None = Field(
        default=None, description="resync only: everything updated since; None = full snapshot"
    )

    @field_validator("since", mode="before")
    @classmethod
    def _since_utc(cls, value: object) -> object:
        if isinstance(value, str) and len(value) == len("yyyy-mm-dd"):
            value = date.fromisoformat(value)
        if isinstance(value, date):
            return as_utc_datetime(value)
        return value


class ResyncRequest(_Payload):
    """``{"action": "resync", "tenant_id": ..., "streams": [...], "since": ...}``."""

    action: Literal["resync"]
    tenant_id: str
    streams: tuple[StreamGroup, ...] | None = None
    since: AwareDatetime | date | None = None
