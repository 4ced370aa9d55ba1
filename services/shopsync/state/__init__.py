"""Sync state (ARCHITECTURE §4): the :class:`StateStore` interface, its models, and the
factory choosing the implementation for the target (SQLite locally, DynamoDB on AWS).

The implementations are imported inside :func:`make_state_store`, so importing this package
stays cheap and never builds an AWS client.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .base import (
    BulkOperationRecord,
    Cursor,
    Lease,
    LeaseLostError,
    RunStatus,
    StateError,
    StateStore,
    StreamState,
    TenantState,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

    from shopsync.settings import Settings

__all__ = [
    "BulkOperationRecord",
    "Cursor",
    "Lease",
    "LeaseLostError",
    "RunStatus",
    "StateError",
    "StateStore",
    "StreamState",
    "TenantState",
    "make_state_store",
]


def make_state_store(
    settings: Settings, *, dynamodb_client: DynamoDBClient | None = None
) -> StateStore:
    """SQLite at ``settings.state_path`` for the local target, DynamoDB table
    ``settings.state_table`` in ``settings.region`` for AWS (client created lazily if absent)."""
    if settings.target == "local":
        from .sqlite import SqliteStateStore

        return SqliteStateStore(settings.state_path)
    from .dynamodb import DynamoDBStateStore

    return DynamoDBStateStore(settings.state_table, client=dynamodb_client, region=settings.region)
