from __future__ import annotations

import threading

import pytest

from shopsync.shopify import errors as e
from shopsync.shopify.pacing import CostBucket, CostInfo, Reservation


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


def test_an_answer_overtaken_by_a_later_call_s_does_not_set_the_level() -> None:
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    bucket.settle(bucket.reserve("q"), info(requested=100, available=1000))
    earlier, later = bucket.reserve("q"), bucket.reserve("q")
    # Both were charged (Shopify holds 800); the later call's answer comes first, and the
    # earlier call, unanswered, counts as not yet charged (erring low).
    bucket.settle(later, info(requested=100, available=800))
    assert bucket.available() == pytest.approx(700)
    # The earlier call's answer was taken before the later call was charged: its 900 is
    # stale, and believing it would send 100 points Shopify does not have.
    bucket.settle(earlier, info(requested=100, available=900))
    assert bucket.available() == pytest.approx(700)


def test_an_answer_taken_before_a_call_answered_since_does_not_give_its_points_back() -> None:
    """Calls are not served in the order they were reserved. Seen in the pacing test at speed
    20: a later call's level was taken before an earlier call was charged, yet arrived after
    that call's answer; believing it sent a 797-point call into 775 points. The level is now
    taken less what the calls answered since this one was sent cost (at worst twice)."""
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    bucket.settle(bucket.reserve("q"), info(requested=100, available=1000, maximum=2000))
    early = bucket.reserve("small", 42)
    late = bucket.reserve("big", 252)
    bucket.pace(late)
    bucket.pace(early)
    # Shopify: takes ``late`` (1000 -> 748), refunds 250 (998) and reports it; then takes
    # ``early`` (998 -> 956), refunds 6 (962) and reports that. ``early`` is answered first.
    bucket.settle(early, CostInfo(42, 36, 2000, 962, 50))
    assert bucket.available() == pytest.approx(962 - 252)  # late still out
    bucket.settle(late, CostInfo(252, 2, 2000, 998, 50))
    assert bucket.available() == pytest.approx(962)  # not 998: early's 36 is not back


def test_cost_info_parsing_tolerates_missing_fields() -> None:
    assert CostInfo.from_extensions(None) is None
    assert CostInfo.from_extensions({"cost": {"requestedQueryCost": 5}}) == CostInfo(
        5, None, None, None, None
    )


def test_a_new_shape_reserves_the_cost_computed_from_its_document() -> None:
    bucket = CostBucket("standard", clock=Clock())
    first = bucket.reserve("q", estimate=752)
    assert first.cost == 752
    bucket.settle(first, CostInfo(None, None, 2000, 2000, 100))  # a level, no figure for q
    assert not bucket.knows("q")
    assert bucket.reserve("q", estimate=752).cost == 752
    assert bucket.reserve("r").cost == 100  # nothing to go by: the default


def test_shopifys_figure_replaces_the_computed_one() -> None:
    bucket = CostBucket("standard", clock=Clock())
    bucket.settle(bucket.reserve("q", estimate=752), info(requested=702, available=1000))
    assert bucket.knows("q")
    assert bucket.reserve("q", estimate=752).cost == 702


def test_the_first_answer_sets_the_level_before_other_calls_go() -> None:
    """A new run may find the bucket drained: until one answer has said how full it is, the
    other calls wait for it (here the plan says 2000 points, Shopify says 150)."""
    clock = Clock()
    bucket = CostBucket("standard", clock=clock)
    first = bucket.reserve("q", estimate=100)
    assert first.probe
    others: list[Reservation] = []
    threads = [
        threading.Thread(target=lambda: others.append(bucket.reserve("q", estimate=100)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    bucket.settle(first, info(requested=100, available=150))
    for t in threads:
        t.join(timeout=10)
    assert not any(t.is_alive() for t in threads)
    # 150 points, 50 points/s: the second call goes now, the third in 1 s, the fourth in 3 s.
    assert sorted(r.wait for r in others) == pytest.approx([0.0, 1.0, 3.0])
    assert not any(r.probe for r in others)


def test_a_failed_first_call_hands_the_question_on() -> None:
    bucket = CostBucket("standard", clock=Clock())
    first = bucket.reserve("q")
    bucket.settle(first, None)  # e.g. a connection reset: the level is still unknown
    second = bucket.reserve("q")
    assert second.probe
    bucket.refund(second)  # never sent
    assert bucket.reserve("q").probe


def test_pace_reckons_again_when_an_answer_refunds() -> None:
    clock = Clock()
    sleeps: list[float] = []
    bucket = CostBucket("standard", clock=clock)
    bucket.settle(bucket.reserve("q"), info(requested=100, available=100))
    answered, second, third = (bucket.reserve("q") for _ in range(3))
    assert (answered.wait, second.wait, third.wait) == pytest.approx((0.0, 2.0, 4.0))
    assert bucket.pace(answered, sleeps.append) == 0.0
    # The answer left 100 points (its query cost less than it asked for): the second call
    # needs no wait now, and the third waits for its own 100 points only.
    bucket.settle(answered, info(requested=100, available=100))
    assert bucket.pace(second, sleeps.append) == 0.0
    assert bucket.pace(third, sleeps.append) == pytest.approx(2.0)
    assert sleeps == [pytest.approx(2.0)]


def test_pace_wakes_when_an_answer_shows_the_points_are_there() -> None:
    """Real time: a wait of 100 s ends as soon as an answer shows the bucket refilled."""
    bucket = CostBucket("standard")
    bucket.settle(bucket.reserve("q"), CostInfo(100, 100, 1000, 100, 1.0))
    answered, waiting = bucket.reserve("q"), bucket.reserve("q")
    assert waiting.wait > 99
    waited: list[float] = []
    pacer = threading.Thread(target=lambda: waited.append(bucket.pace(waiting)))
    pacer.start()
    bucket.settle(answered, CostInfo(100, 1, 1000, 1000, 1.0))
    pacer.join(timeout=30)
    assert not pacer.is_alive()
    assert waited[0] < 30
