from __future__ import annotations

import threading

import pytest

from shopsync.shopify import errors as e
from shopsync.shopify.pacing import CostBucket, CostInfo


@pytest.mark.parametrize(
    ("status", "kind", "retriable"),
    [
        (429, e.ThrottledError, True),
        (500, e.ServerError, True),
        (502, e.ServerError, True),
        (401, e.UnauthorizedError, False),
        (402, e.PaymentRequiredError, False),
        (403, e.ForbiddenError, False),
        (404, e.NotFoundError, False),
        (423, e.LockedError, False),
        (418, e.HttpError, False),
    ],
)
def test_status_mapping(status: int, kind: type[e.ShopifyError], retriable: bool) -> None:
    error = e.error_for_status("acme.myshopify.com", status, {"Retry-After": "3"})
    assert isinstance(error, kind)
    assert error.retriable is retriable
    assert "acme.myshopify.com" in str(error)
    assert e.error_for_status("acme.myshopify.com", 200, {}) is None


def test_retry_after_parsing() -> None:
    error = e.error_for_status("s", 429, {"Retry-After": "1.5"})
    assert error is not None
    assert error.retry_after == 1.5
    bad = e.error_for_status("s", 429, {"Retry-After": "soon"})
    assert bad is not None
    assert bad.retry_after is None


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def info(requested: float, available: float, maximum: float = 1000, rate: float = 50) -> CostInfo:
    return CostInfo(requested, requested, maximum, available, rate)


def test_bucket_waits_exactly_for_the_expected_cost() -> None:
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    first = bucket.reserve("q")
    assert first.wait == 0
    bucket.settle(first, info(requested=300, available=100))
    assert bucket.expected_cost("q") == 300
    assert bucket.maximum == 1000
    second = bucket.reserve("q")
    assert second.wait == pytest.approx(4.0)  # (300 - 100) / 50
    clock.now += 4.0
    bucket.settle(second, info(requested=300, available=0))
    clock.now += 2.0
    assert bucket.available() == pytest.approx(100)


def test_concurrent_reservations_each_wait_for_their_share() -> None:
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    bucket.settle(bucket.reserve("q"), info(requested=100, available=100))
    waits: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        r = bucket.reserve("q")
        with lock:
            waits.append(r.wait)

    threads = [threading.Thread(target=take) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(waits) == pytest.approx([0.0, 2.0, 4.0, 6.0])


def test_status_excludes_calls_still_in_flight() -> None:
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    bucket.settle(bucket.reserve("q"), info(requested=100, available=1000))
    in_flight = bucket.reserve("q")
    answered = bucket.reserve("q")
    bucket.settle(answered, info(requested=100, available=900))
    assert bucket.available() == pytest.approx(800)  # 900 minus the call still in flight
    bucket.refund(in_flight)
    assert bucket.available() == pytest.approx(900)


def test_cost_info_parsing_tolerates_missing_fields() -> None:
    assert CostInfo.from_extensions(None) is None
    assert CostInfo.from_extensions({"cost": {"requestedQueryCost": 5}}) == CostInfo(
        5, None, None, None, None
    )
