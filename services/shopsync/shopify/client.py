"""Shopify Admin GraphQL client: one ``requests`` session per store, paced, typed errors.

``execute`` reserves the query's expected cost in the store's :class:`CostBucket` (Shopify's
last figure for the query shape or, before its first answer, the requested cost computed from
the document and variables), waits exactly as long as the bucket needs, posts, feeds
``throttleStatus`` back, and maps failures to typed errors. Retriable ones are retried by
tenacity (Retry-After honoured, exponential backoff with jitter otherwise, capped in attempts
and total time); a 401 refreshes the credentials once and is fatal the second time.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    wait_exponential_jitter,
)

from .auth import TokenProvider
from .cost import requested_cost
from .errors import (
    QueryError,
    RetriableError,
    ShopifyError,
    ThrottledError,
    TransportError,
    UnauthorizedError,
    error_for_graphql,
    error_for_status,
)
from .pacing import CostBucket, CostInfo

log = logging.getLogger(__name__)

DEFAULT_BASE_URL = "https://{shop}"
USER_AGENT = "shopsync/0.1"


def base_url_for(template: str, shop: str) -> str:
    """``https://{shop}`` for Shopify; the simulator's ``http://127.0.0.1:P/shops/{shop}``."""
    return template.format(shop=shop).rstrip("/")


def graphql_url(base_url: str, api_version: str) -> str:
    return f"{base_url}/admin/api/{api_version}/graphql.json"


def token_url(base_url: str) -> str:
    return f"{base_url}/admin/oauth/access_token"


def make_session(pool_size: int = 8) -> requests.Session:
    session = requests.Session()
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=max(pool_size, 1), max_retries=0)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})
    return session


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    max_seconds: float = 300.0
    backoff_initial: float = 0.5
    backoff_max: float = 30.0
    jitter: float = 0.25


@dataclass
class ClientStats:
    """Counters for metrics and progress; thread-safe."""

    requests: int = 0
    throttled: int = 0
    retries: int = 0
    points: float = 0.0
    waited_seconds: float = 0.0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, **deltas: float) -> None:
        with self._lock:
            for name, value in deltas.items():
                setattr(self, name, getattr(self, name) + value)

    def snapshot(self) -> dict[str, float]:
        with self._lock:
            return {
                "requests": self.requests,
                "throttled": self.throttled,
                "retries": self.retries,
                "points": self.points,
                "waited_seconds": self.waited_seconds,
            }


@dataclass(frozen=True)
class GraphQLResult:
    data: dict[str, Any]
    cost: CostInfo | None
    api_version: str | None


class ShopifyClient:
    """One store. Safe to share between threads (the session pool is sized for it)."""

    def __init__(
        self,
        *,
        shop: str,
        api_version: str,
        tokens: TokenProvider,
        session: requests.Session | None = None,
        base_url: str = DEFAULT_BASE_URL,
        bucket: CostBucket | None = None,
        timeout: tuple[float, float] = (5.0, 60.0),
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.shop = shop
        self.api_version = api_version
        self.tokens = tokens
        self.session = session or make_session()
        self.endpoint = graphql_url(base_url_for(base_url, shop), api_version)
        self.bucket = bucket or CostBucket()
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.stats = ClientStats()
        # Injected for tests (a fake clock's); by default real time, where a pacing wait also
        # ends early once answers show the bucket holds the points.
        self._sleep = sleep or time.sleep
        self._pace_sleep = sleep
        self._rng = rng or random.Random()

    def execute(
        self, document: str, variables: Mapping[str, Any] | None = None, *, shape: str
    ) -> GraphQLResult:
        """Run one query; ``shape`` names its cost class (e.g. ``"orders:250"``)."""
        refreshed = False
        while True:
            try:
                return self._with_retries(document, variables or {}, shape)
            except UnauthorizedError:
                if refreshed:
                    raise
                refreshed = True
                log.warning("401 from Shopify; refreshing credentials once")
                self.tokens.refresh()

    def _with_retries(
        self, document: str, variables: Mapping[str, Any], shape: str
    ) -> GraphQLResult:
        retrying = Retrying(
            retry=retry_if_exception_type(RetriableError),
            stop=self._stop,
            wait=self._wait,
            sleep=self._sleep,
            before_sleep=self._before_sleep,
            reraise=True,
        )
        result: GraphQLResult = retrying(self._once, document, variables, shape)
        return result

    def _stop(self, state: RetryCallState) -> bool:
        # idle_for counts the scheduled sleeps, so the cap holds with an injected sleep too.
        spent = max(state.seconds_since_start or 0.0, state.idle_for)
        return state.attempt_number >= self.retry.max_attempts or spent >= self.retry.max_seconds

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        jitter = self._rng.uniform(0, self.retry.jitter)
        if isinstance(exc, ShopifyError) and exc.retry_after is not None:
            return exc.retry_after + jitter
        if isinstance(exc, ThrottledError):
            return jitter  # the next reserve() waits exactly for the refill
        backoff = wait_exponential_jitter(
            multiplier=self.retry.backoff_initial,
            max=self.retry.backoff_max,
            jitter=self.retry.jitter,
        )
        return float(backoff(state))

    def _before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        seconds = state.next_action.sleep if state.next_action else 0.0
        self.stats.add(retries=1, waited_seconds=seconds)
        log.warning(
            "Shopify call failed, retrying: %s",
            exc,
            extra={
                "error": str(exc),
                "attempt": state.attempt_number,
                "sleep_seconds": round(seconds, 3),
            },
        )

    def _estimate(self, document: str, variables: Mapping[str, Any], shape: str) -> float | None:
        """The requested cost from the document, for a shape Shopify has not costed yet."""
        if self.bucket.knows(shape):
            return None
        try:
            cost = requested_cost(document, variables, self.api_version)
        except Exception:  # only pacing depends on it: never fail a call over an estimate
            log.warning("could not compute the cost of %s", shape, exc_info=True)
            return None
        return None if cost is None else float(cost)

    def _once(self, document: str, variables: Mapping[str, Any], shape: str) -> GraphQLResult:
        reservation = self.bucket.reserve(shape, self._estimate(document, variables, shape))
        try:
            waited = self.bucket.pace(reservation, self._pace_sleep)
            if waited > 0:
                self.stats.add(waited_seconds=waited)
            token = self.tokens.token()
        except BaseException:
            self.bucket.refund(reservation)  # never sent
            raise
        try:
            response = self.session.post(
                self.endpoint,
                json={"query": document, "variables": dict(variables)},
                headers={"X-Shopify-Access-Token": token.get_secret_value()},
                timeout=self.timeout,
            )
            self.stats.add(requests=1)
            http_error = error_for_status(self.shop, response.status_code, response.headers)
            if http_error is not None:
                if isinstance(http_error, ThrottledError):
                    self.stats.add(throttled=1)
                raise http_error
            body = response.json()
        except requests.RequestException as exc:
            self.bucket.settle(reservation, None)
            # The exception text can hold the URL; it never holds the token (a header).
            raise TransportError(f"{self.shop}: {type(exc).__name__} talking to Shopify") from None
        except ValueError:  # truncated or non-JSON body (requests' JSONDecodeError)
            self.bucket.settle(reservation, None)
            raise TransportError(f"{self.shop}: truncated or invalid JSON response") from None
        except ShopifyError:
            self.bucket.settle(reservation, None)
            raise
        if not isinstance(body, dict):
            self.bucket.settle(reservation, None)
            raise TransportError(f"{self.shop}: response is not a JSON object")
        info = CostInfo.from_extensions(body.get("extensions"))
        self.bucket.settle(reservation, info)
        if info is not None and info.actual is not None:
            self.stats.add(points=info.actual)
        errors = body.get("errors")
        if errors:
            error = error_for_graphql(self.shop, errors if isinstance(errors, list) else [errors])
            if isinstance(error, ThrottledError):
                self.stats.add(throttled=1)
            raise error
        data = body.get("data")
        if not isinstance(data, dict):
            raise QueryError(f"{self.shop}: response has no data")
        version = response.headers.get("X-Shopify-API-Version")
        return GraphQLResult(data=data, cost=info, api_version=version)
