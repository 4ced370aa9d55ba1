"""The leaky bucket: take, refund, refill over (simulated) time, speed."""

from __future__ import annotations

import pytest

from shopsync_simulator.graphql.bucket import PLAN_LIMITS, LeakyBucket


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.parametrize(
    ("plan", "maximum", "rate"),
    [("standard", 2000, 100), ("advanced", 4000, 200), ("plus", 20000, 1000),
     ("enterprise", 40000, 2000)],
)  # fmt: skip
def test_plan_limits(plan: str, maximum: int, rate: int) -> None:
    assert PLAN_LIMITS[plan] == (maximum, rate)
    status = LeakyBucket.for_plan(plan).status()
    assert status == {
        "maximumAvailable": maximum,
        "currentlyAvailable": maximum,
        "restoreRate": rate,
    }


def test_take_refund_and_refill() -> None:
    t = FakeTime()
    bucket = LeakyBucket(1000, 50, clock=t)
    assert bucket.take(800).allowed
    bucket.refund(700)  # requested 800, actual 100
    assert bucket.status()["currentlyAvailable"] == 900
    assert bucket.take(900).allowed
    denied = bucket.take(252)
    assert not denied.allowed
    assert denied.retry_after == pytest.approx(252 / 50)
    t.now += 2.0
    assert bucket.status()["currentlyAvailable"] == 100
    t.now += 3.04
    assert bucket.take(252).allowed
    t.now += 1000
    assert bucket.status()["currentlyAvailable"] == 1000, "never above the maximum"


def test_speed_multiplies_the_restore_rate() -> None:
    t = FakeTime()
    bucket = LeakyBucket(2000, 100, speed=10, clock=t)
    bucket.drain()
    t.now += 1.0
    assert bucket.status() == {
        "maximumAvailable": 2000,
        "currentlyAvailable": 1000,
        "restoreRate": 1000,
    }


def test_disabled_bucket_never_throttles() -> None:
    bucket = LeakyBucket(10, 1, enabled=False)
    assert all(bucket.take(1000).allowed for _ in range(5))
