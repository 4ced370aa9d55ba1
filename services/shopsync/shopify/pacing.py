"""Cost-bucket pacing: never burst into THROTTLED by design.

Shopify meters GraphQL by points in a leaky bucket (``maximumAvailable``, refilled at
``restoreRate`` per second) and reports it on every response in
``extensions.cost.throttleStatus``. The bucket here mirrors it: before each call a caller
*reserves* the query's expected cost (its last ``requestedQueryCost``, learned per query
shape) and waits exactly as long as the bucket needs to hold it. Reservations make it safe to
share one bucket across concurrent fetches of one store: each caller waits for its own share.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

#: Starting guesses per plan (points, points/s) until the first throttleStatus arrives.
PLAN_LIMITS: dict[str, tuple[float, float]] = {
    "standard": (2000.0, 100.0),
    "advanced": (4000.0, 200.0),
    "plus": (20000.0, 1000.0),
    "enterprise": (40000.0, 2000.0),
}
DEFAULT_EXPECTED_COST = 100.0


@dataclass(frozen=True)
class Reservation:
    shape: str
    cost: float
    wait: float


@dataclass(frozen=True)
class CostInfo:
    requested: float | None
    actual: float | None
    maximum: float | None
    available: float | None
    restore_rate: float | None

    @classmethod
    def from_extensions(cls, extensions: Any) -> CostInfo | None:
        cost = extensions.get("cost") if isinstance(extensions, Mapping) else None
        if not isinstance(cost, Mapping):
            return None
        status = cost.get("throttleStatus")
        status = status if isinstance(status, Mapping) else {}

        def num(source: Mapping[str, Any], key: str) -> float | None:
            value = source.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
            return None

        return cls(
            requested=num(cost, "requestedQueryCost"),
            actual=num(cost, "actualQueryCost"),
            maximum=num(status, "maximumAvailable"),
            available=num(status, "currentlyAvailable"),
            restore_rate=num(status, "restoreRate"),
        )


class CostBucket:
    """Thread-safe model of one store's bucket. ``clock`` is monotonic seconds."""

    def __init__(
        self,
        plan: str = "standard",
        *,
        clock: Callable[[], float] = time.monotonic,
        default_cost: float = DEFAULT_EXPECTED_COST,
    ) -> None:
        maximum, rate = PLAN_LIMITS.get(plan, PLAN_LIMITS["standard"])
        self._clock = clock
        self._lock = threading.Lock()
        self.maximum = maximum
        self.restore_rate = rate
        self._available = maximum
        self._at = clock()
        self._reserved = 0.0  # points reserved by calls not yet answered
        self._costs: dict[str, float] = {}
        self._default_cost = default_cost

    def expected_cost(self, shape: str) -> float:
        with self._lock:
            return self._expected(shape)

    def _expected(self, shape: str) -> float:
        return min(self._costs.get(shape, self._default_cost), self.maximum)

    def _refill(self, now: float) -> None:
        elapsed = max(now - self._at, 0.0)
        self._available = min(self.maximum, self._available + elapsed * self.restore_rate)
        self._at = now

    def available(self) -> float:
        with self._lock:
            self._refill(self._clock())
            return self._available

    def reserve(self, shape: str) -> Reservation:
        """Take the expected cost now; ``wait`` is how long until the bucket really holds it."""
        with self._lock:
            self._refill(self._clock())
            cost = self._expected(shape)
            self._available -= cost
            self._reserved += cost
            wait = -self._available / self.restore_rate if self._available < 0 else 0.0
            return Reservation(shape, cost, wait)

    def settle(self, reservation: Reservation, info: CostInfo | None) -> None:
        """Feed a response's cost back: learn the shape's cost and resync with Shopify."""
        with self._lock:
            self._reserved = max(self._reserved - reservation.cost, 0.0)
            if info is None:
                return  # no status (error response): keep the reservation spent, to be safe
            if info.requested is not None and info.requested > 0:
                self._costs[reservation.shape] = info.requested
            if info.maximum is not None and info.maximum > 0:
                self.maximum = info.maximum
            if info.restore_rate is not None and info.restore_rate > 0:
                self.restore_rate = info.restore_rate
            if info.available is not None:
                # Shopify's figure is authoritative; calls still in flight have not been
                # charged in it yet, so keep their reservations out of it.
                self._available = info.available - self._reserved
                self._at = self._clock()

    def refund(self, reservation: Reservation) -> None:
        """Give a reservation back (the call was never sent)."""
        with self._lock:
            self._reserved = max(self._reserved - reservation.cost, 0.0)
            self._available = min(self.maximum, self._available + reservation.cost)
