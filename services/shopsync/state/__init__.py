"""Sync state (ARCHITECTURE §4): the :class:`StateStore` interface and its models.

The implementations (:mod:`.sqlite` locally, :mod:`.dynamodb` on AWS) are chosen by
:mod:`shopsync.runtime`.
"""

from __future__ import annotations

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
]
