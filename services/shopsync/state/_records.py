"""What both state stores share: timestamps as comparable text, and flat field maps <-> models.

Both stores keep every value as text (or absent) under the same field names, so that one
pair of functions turns a SQLite row or a DynamoDB item into the models of :mod:`.base`.
Timestamps are UTC in one fixed format (``YYYY-MM-DDTHH:MM:SS.ffffffZ``), so comparing the
strings compares the instants; lease expiry is checked that way inside SQL and DynamoDB
condition expressions.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta

from .base import (
    BulkOperationRecord,
    Cursor,
    Lease,
    RunStatus,
    StateError,
    StreamState,
    TenantState,
)

MAX_ERROR_CHARS = 2_000
_ISO_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"

Fields = Mapping[str, str | None]

# Field names, shared by the SQLite columns and the DynamoDB attributes.
RUN_FIELDS = (
    "last_run_id",
    "last_mode",
    "last_dispatched_at",
    "last_started_at",
    "last_finished_at",
    "last_status",
    "last_error",
    "last_points",
)
LEASE_FIELDS = ("lease_run_id", "lease_acquired_at", "lease_expires_at")
TENANT_FIELDS = RUN_FIELDS + LEASE_FIELDS
STREAM_FIELDS = ("cursor_updated_at", "cursor_last_id", "last_run_id", "last_status")
BULK_FIELDS = ("run_id", "window_from", "window_to", "started_at")


def to_iso(at: datetime) -> str:
    """Fixed-width UTC text for an aware datetime; naive datetimes are a programming error."""
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError(f"state timestamps must be timezone-aware, got naive {at!r}")
    return at.astimezone(UTC).strftime(_ISO_FORMAT)


def from_iso(text: str) -> datetime:
    return datetime.strptime(text, _ISO_FORMAT).replace(tzinfo=UTC)


def _opt_time(text: str | None) -> datetime | None:
    return None if text is None else from_iso(text)


def lease_expiry(now: datetime, ttl: timedelta) -> str:
    if ttl <= timedelta(0):
        raise ValueError(f"lease ttl must be positive, got {ttl}")
    return to_iso(now + ttl)


def truncate_error(error: str) -> str:
    """At most :data:`MAX_ERROR_CHARS` characters; a cut message ends with an ellipsis."""
    if len(error) <= MAX_ERROR_CHARS:
        return error
    return error[: MAX_ERROR_CHARS - 1] + "\u2026"


def tenant_from_fields(tenant_id: str, fields: Fields) -> TenantState:
    status = fields.get("last_status")
    lease_run_id = fields.get("lease_run_id")
    acquired = fields.get("lease_acquired_at")
    expires = fields.get("lease_expires_at")
    lease = None
    if lease_run_id is not None and acquired is not None and expires is not None:
        lease = Lease(
            run_id=lease_run_id, acquired_at=from_iso(acquired), expires_at=from_iso(expires)
        )
    return TenantState(
        tenant_id=tenant_id,
        last_run_id=fields.get("last_run_id"),
        last_mode=fields.get("last_mode"),
        last_dispatched_at=_opt_time(fields.get("last_dispatched_at")),
        last_started_at=_opt_time(fields.get("last_started_at")),
        last_finished_at=_opt_time(fields.get("last_finished_at")),
        last_status=None if status is None else RunStatus(status),
        last_error=fields.get("last_error"),
        last_points=_opt_points(fields.get("last_points")),
        lease=lease,
    )


def points_field(points: float | None) -> str | None:
    """Shopify cost points a run used, as the state stores keep it (text, like every field)."""
    return None if points is None else f"{points:.0f}"


def _opt_points(value: str | None) -> float | None:
    return None if value is None else float(value)


def stream_from_fields(tenant_id: str, stream: str, fields: Fields) -> StreamState:
    updated_at = fields.get("cursor_updated_at")
    status = fields.get("last_status")
    cursor = None
    if updated_at is not None:
        cursor = Cursor(updated_at=from_iso(updated_at), last_id=fields.get("cursor_last_id"))
    return StreamState(
        tenant_id=tenant_id,
        stream=stream,
        cursor=cursor,
        last_run_id=fields.get("last_run_id"),
        last_status=None if status is None else RunStatus(status),
    )


def stream_commit_fields(cursor: Cursor, run_id: str, status: RunStatus) -> dict[str, str | None]:
    """What a commit writes to a stream: ``None`` means "clear the field"."""
    return {
        "cursor_updated_at": to_iso(cursor.updated_at),
        "cursor_last_id": cursor.last_id,
        "last_run_id": run_id,
        "last_status": status.value,
    }


def bulk_to_fields(record: BulkOperationRecord) -> dict[str, str | None]:
    return {
        "run_id": record.run_id,
        "window_from": None if record.window_from is None else to_iso(record.window_from),
        "window_to": None if record.window_to is None else to_iso(record.window_to),
        "started_at": to_iso(record.started_at),
    }


def bulk_from_fields(
    tenant_id: str, stream: str, operation_id: str, fields: Fields
) -> BulkOperationRecord:
    started_at = fields.get("started_at")
    run_id = fields.get("run_id")
    if started_at is None or run_id is None:
        raise StateError(f"bulk operation {operation_id!r} of tenant {tenant_id!r} is incomplete")
    return BulkOperationRecord(
        tenant_id=tenant_id,
        stream=stream,
        operation_id=operation_id,
        run_id=run_id,
        window_from=_opt_time(fields.get("window_from")),
        window_to=_opt_time(fields.get("window_to")),
        started_at=from_iso(started_at),
    )


def bulk_sort_key(record: BulkOperationRecord) -> tuple[datetime, str, str]:
    return (record.started_at, record.stream, record.operation_id)
