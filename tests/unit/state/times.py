"""The state tests' clock, lease length and DynamoDB table name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TTL = timedelta(minutes=10)
TABLE = "shopsync-state-test"
