"""The freshness check: the newest row's age; an empty table passes only when the run merged
nothing into it (a store with no refunded shipping has no refund shipping lines)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shopsync.warehouse.base import LoadResult, RunLoad, TableLoad
from shopsync.warehouse.checks import evaluate_checks

NOW = datetime(2026, 12, 3, 12, tzinfo=UTC)


def _freshness(newest: datetime | None, merged: int) -> tuple[bool, str]:
    load = TableLoad("refund_shipping_lines", "/lake/x", records=None)
    run = RunLoad("acme", "r1", "incremental", NOW, (load,))
    result = LoadResult("acme", "r1", skipped=False, rows={"refund_shipping_lines": merged})
    observed = {"freshness:refund_shipping_lines": (newest,)}
    checks = evaluate_checks(run, result, observed, now=NOW, freshness_hours=48)
    (check,) = [c for c in checks if c.name == "freshness"]
    return check.passed, check.detail


@pytest.mark.parametrize(
    ("newest", "merged", "passed", "detail"),
    [
        (NOW - timedelta(hours=1), 3, True, "newest row synced 3600s ago"),
        (NOW - timedelta(hours=49), 0, False, "newest row synced 176400s ago"),
        (None, 0, True, "no rows; the store has none"),
        (None, 2, False, "no rows after 2 merged"),
    ],
)
def test_freshness(newest: datetime | None, merged: int, passed: bool, detail: str) -> None:
    assert _freshness(newest, merged) == (passed, detail)
