"""Pacing against the simulator's leaky bucket: a run's streams start at once, on a bucket
that an earlier run left almost empty, and Shopify never answers THROTTLED.

Two things make that hold: before a query shape's first answer the client reserves the cost
computed from its document (not a guess), and until one answer has reported the bucket's level
the other calls wait for it (not the plan's full bucket). The first call needs the bucket to
hold its own cost, at most Shopify's single-query limit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

from shopsync.streams import STREAM_GROUPS
from shopsync_simulator import SimulatorOptions
from shopsync_simulator.graphql.bucket import MAX_QUERY_COST, PLAN_LIMITS

from .harness import TENANT, make_harness


@pytest.mark.parametrize(("plan", "speed"), [("standard", 20), ("plus", 1)])
def test_streams_starting_at_once_on_an_almost_empty_bucket_are_never_throttled(
    tmp_path: Path, plan: str, speed: float
) -> None:
    maximum, _ = PLAN_LIMITS[plan]
    # Every stream in four time slices, eight calls at a time; both refill at 1000-2000 points/s.
    options = SimulatorOptions(speed=speed)
    with make_harness(tmp_path, options, plan=plan, ingest_concurrency=8) as harness:
        resp = requests.post(
            f"{harness.sim.url}/_simulator/tenants/{TENANT}/bucket",
            json={"drain": maximum - MAX_QUERY_COST},
            timeout=10,
        )
        assert resp.status_code == 200  # the bucket holds what one query may cost, at most
        result = harness.run(streams=STREAM_GROUPS)
    assert result.status == "succeeded"
    assert result.stats["requests"] > 8 * 4  # every slice of every stream asked at least once
    assert result.stats["throttled"] == 0
    assert result.stats["retries"] == 0
