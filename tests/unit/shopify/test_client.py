from __future__ import annotations

import logging
import random
from typing import Any

import pytest
import requests

from shopsync.shopify import (
    CostBucket,
    RetryPolicy,
    ShopifyClient,
    queries,
)
from shopsync.shopify import errors as e
from tests.support.clients import TOKEN, StaticSecrets, make_client

from .fakes import Reply, ScriptedAdapter, ok, session_with, throttled


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def paced_client(
    adapter: ScriptedAdapter, clock: Clock, secrets: StaticSecrets | None = None, **kw: Any
) -> ShopifyClient:
    """The shared client, paced by a standard-plan bucket on ``clock``, four attempts."""
    return make_client(
        session_with(adapter),
        secrets=secrets,
        bucket=CostBucket("standard", clock=clock),
        sleep=clock.sleep,
        rng=random.Random(7),
        retry=kw.pop("retry", RetryPolicy(max_attempts=4, jitter=0.0)),
        **kw,
    )


def test_posts_query_with_token_header_and_returns_data() -> None:
    adapter = ScriptedAdapter(ok({"shop": {"name": "Acme"}}))
    adapter.replies[0].headers["X-Shopify-API-Version"] = "2026-10"
    client = paced_client(adapter, Clock())
    result = client.execute("query Q { shop { name } }", {"a": 1}, shape="shop")
    assert result.data == {"shop": {"name": "Acme"}}
    assert result.api_version == "2026-10"
    assert result.cost is not None
    assert result.cost.requested == 10
    sent = adapter.sent[0]
    assert sent.url == "https://acme.myshopify.com/admin/api/2026-10/graphql.json"
    assert sent.headers["X-Shopify-Access-Token"] == TOKEN
    assert TOKEN not in sent.url
    assert sent.body == {"query": "query Q { shop { name } }", "variables": {"a": 1}}
    assert client.stats.snapshot()["requests"] == 1
    assert client.stats.snapshot()["points"] == 8


def test_base_url_points_at_the_simulator() -> None:
    adapter = ScriptedAdapter(ok({}))
    client = paced_client(adapter, Clock(), base_url="http://127.0.0.1:8123/shops/{shop}")
    client.execute("{ shop { name } }", shape="s")
    assert adapter.sent[0].url == (
        "http://127.0.0.1:8123/shops/acme.myshopify.com/admin/api/2026-10/graphql.json"
    )


def test_throttled_waits_exactly_for_the_refill_then_succeeds() -> None:
    clock = Clock()
    adapter = ScriptedAdapter(throttled(available=4, requested=54), ok({"x": 1}, requested=54))
    client = paced_client(adapter, clock)
    assert client.execute("{ x }", shape="s").data == {"x": 1}
    # 54 points needed, 4 available, 100 points/s: exactly 0.5 s of waiting.
    assert clock.sleeps == [pytest.approx(0.0), pytest.approx(0.5)]
    assert client.stats.snapshot()["throttled"] == 1
    assert client.stats.snapshot()["retries"] == 1


def test_429_honours_retry_after() -> None:
    clock = Clock()
    adapter = ScriptedAdapter(Reply(status=429, headers={"Retry-After": "2.5"}), ok({"x": 1}))
    client = paced_client(adapter, clock)
    client.execute("{ x }", shape="s")
    assert 2.5 in clock.sleeps
    assert client.stats.snapshot()["throttled"] == 1


@pytest.mark.parametrize(
    "failure",
    [
        Reply(status=500),
        Reply(status=503),
        Reply(raw=b'{"data": {"x": '),
        Reply(error=requests.ConnectionError("refused")),
        Reply(error=requests.ReadTimeout("slow")),
        Reply(
            body={"errors": [{"message": "oops", "extensions": {"code": "INTERNAL_SERVER_ERROR"}}]}
        ),
    ],
    ids=["500", "503", "truncated-json", "connection", "timeout", "graphql-internal"],
)
def test_transient_failures_are_retried_with_backoff(failure: Reply) -> None:
    clock = Clock()
    client = paced_client(ScriptedAdapter(failure, ok({"x": 1})), clock)
    assert client.execute("{ x }", shape="s").data == {"x": 1}
    assert len(clock.sleeps) == 1
    assert 0 < clock.sleeps[0] <= 30


def test_retries_are_capped_in_attempts() -> None:
    clock = Clock()
    adapter = ScriptedAdapter(*[Reply(status=502) for _ in range(4)])
    client = paced_client(adapter, clock)
    with pytest.raises(e.ServerError, match="HTTP 502"):
        client.execute("{ x }", shape="s")
    assert len(adapter.sent) == 4
    assert adapter.replies == []


def test_retries_are_capped_in_total_time() -> None:
    clock = Clock()
    adapter = ScriptedAdapter(*[Reply(status=429, headers={"Retry-After": "40"}) for _ in range(5)])
    client = paced_client(adapter, clock, retry=RetryPolicy(max_attempts=10, max_seconds=60))
    with pytest.raises(e.ThrottledError):
        client.execute("{ x }", shape="s")
    assert len(adapter.sent) == 3  # 0 s, 40 s, 80 s > 60 s: stop


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (402, e.PaymentRequiredError),
        (403, e.ForbiddenError),
        (404, e.NotFoundError),
        (423, e.LockedError),
        (400, e.HttpError),
    ],
)
def test_fatal_statuses_are_not_retried(status: int, error: type[e.FatalError]) -> None:
    adapter = ScriptedAdapter(Reply(status=status))
    with pytest.raises(error, match=f"HTTP {status}"):
        paced_client(adapter, Clock()).execute("{ x }", shape="s")
    assert len(adapter.sent) == 1


@pytest.mark.parametrize(
    ("code", "error"),
    [
        ("MAX_COST_EXCEEDED", e.MaxCostExceededError),
        ("ACCESS_DENIED", e.ForbiddenError),
        (None, e.QueryError),
    ],
)
def test_graphql_errors_map_to_types(code: str | None, error: type[e.ShopifyError]) -> None:
    problem: dict[str, Any] = {"message": "Field 'x' doesn't exist"}
    if code:
        problem["extensions"] = {"code": code}
    adapter = ScriptedAdapter(Reply(body={"errors": [problem]}))
    with pytest.raises(error):
        paced_client(adapter, Clock()).execute("{ x }", shape="s")
    assert len(adapter.sent) == 1


def test_401_refreshes_once_then_succeeds() -> None:
    secrets = StaticSecrets("shpat_old_token_aaaaaaaaaaaaaaaaaaaa", TOKEN)
    adapter = ScriptedAdapter(Reply(status=401), ok({"x": 1}))
    client = paced_client(adapter, Clock(), secrets)
    assert client.execute("{ x }", shape="s").data == {"x": 1}
    assert secrets.calls == [False, True]
    assert adapter.sent[1].headers["X-Shopify-Access-Token"] == TOKEN


def test_401_twice_is_fatal() -> None:
    adapter = ScriptedAdapter(Reply(status=401), Reply(status=401))
    with pytest.raises(e.UnauthorizedError):
        paced_client(adapter, Clock()).execute("{ x }", shape="s")
    assert len(adapter.sent) == 2


def test_token_never_appears_in_errors_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    adapter = ScriptedAdapter(
        Reply(error=requests.ConnectionError(f"boom {TOKEN}")), Reply(status=403)
    )
    with pytest.raises(e.ForbiddenError) as info:
        paced_client(adapter, Clock()).execute("{ x }", shape="s")
    assert TOKEN not in str(info.value)
    assert TOKEN not in repr(info.value.__cause__)
    assert TOKEN not in caplog.text
    assert "ConnectionError" in caplog.text


def test_pacing_learns_cost_and_waits_before_calling() -> None:
    clock = Clock()
    replies = [
        ok({"i": i}, requested=500, actual=500, available=2000 - 500 * (i + 1)) for i in range(5)
    ]
    client = paced_client(ScriptedAdapter(*replies), clock)
    for _ in range(5):
        client.execute("{ x }", shape="big")
    # After 4 x 500 points from a 2000 bucket the fifth call waits 5 s for 500 points.
    assert sum(clock.sleeps) == pytest.approx(5.0)
    assert client.stats.snapshot()["throttled"] == 0


def test_a_new_query_shape_is_paced_by_the_cost_of_its_document() -> None:
    """Before Shopify has costed a shape, the client reserves what its document will cost
    (customers, 125 a page: 2 + 125 x (1 + 3 objects) = 502 points), not a guess of 100."""
    clock = Clock()
    page = {"customers": {"nodes": [], "pageInfo": {"hasNextPage": False}}}
    adapter = ScriptedAdapter(ok({"shop": {"id": "1"}}, requested=1, available=2), ok(page))
    client = paced_client(adapter, clock)
    client.execute("{ shop { id } }", shape="shop")
    variables = {"first": 125, "after": None, "query": None}
    client.execute(queries.load("customers"), variables, shape="customers:125")
    # 502 points needed, 2 there, 100 points/s: 5 s.
    assert clock.sleeps == [pytest.approx(5.0)]


def test_a_failing_estimate_never_fails_the_call(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: Any) -> int:
        raise RuntimeError("bug in the estimate")

    monkeypatch.setattr("shopsync.shopify.client.requested_cost", broken)
    client = paced_client(ScriptedAdapter(ok({"shop": {"id": "1"}})), Clock())
    assert client.execute("{ shop { id } }", shape="shop").data == {"shop": {"id": "1"}}
