"""Shopify's leaky bucket per shop: points restore continuously at the plan's rate.

``speed`` multiplies the restore rate (a time-scale knob for tests and demos): the bucket
reports the effective rate, so a client that paces itself by ``throttleStatus`` stays correct.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: plan -> (maximumAvailable, restoreRate per second), per issue 3 / shopify.dev rate limits.
PLAN_LIMITS: dict[str, tuple[float, float]] = {
    "standard": (2000.0, 100.0),
    "advanced": (4000.0, 200.0),
    "plus": (20000.0, 1000.0),
    "enterprise": (40000.0, 2000.0),
}
MAX_QUERY_COST = 1000


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float  # seconds until the requested cost would fit (0 when allowed)


class LeakyBucket:
    def __init__(
        self,
        maximum: float,
        restore_rate: float,
        *,
        speed: float = 1.0,
        enabled: bool = True,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if maximum <= 0 or restore_rate <= 0 or speed <= 0:
            raise ValueError("maximum, restore_rate and speed must be positive")
        self.maximum = maximum
        self.restore_rate = restore_rate * speed
        self.enabled = enabled
        self._clock = clock
        self._available = maximum
        self._at = clock()
        self._lock = threading.Lock()

    @classmethod
    def for_plan(cls, plan: str, *, speed: float = 1.0, enabled: bool = True) -> LeakyBucket:
        maximum, rate = PLAN_LIMITS[plan]
        return cls(maximum, rate, speed=speed, enabled=enabled)

    def _refill(self) -> None:
        now = self._clock()
        self._available = min(self.maximum, self._available + (now - self._at) * self.restore_rate)
        self._at = now

    def take(self, cost: float) -> Decision:
        """Take ``cost`` points if they are there; otherwise say how long until they are."""
        with self._lock:
            self._refill()
            if not self.enabled or cost <= self._available:
                if self.enabled:
                    self._available -= cost
                return Decision(True, 0.0)
            return Decision(False, (cost - self._available) / self.restore_rate)

    def refund(self, points: float) -> None:
        if points <= 0 or not self.enabled:
            return
        with self._lock:
            self._refill()
            self._available = min(self.maximum, self._available + points)

    def drain(self, points: float | None = None) -> None:
        """Empty the bucket (or take ``points``): for tests and fault profiles."""
        with self._lock:
            self._refill()
            self._available = 0.0 if points is None else max(0.0, self._available - points)

    def status(self) -> dict[str, Any]:
        with self._lock:
            self._refill()
            return {
                "maximumAvailable": self.maximum,
                "currentlyAvailable": math.floor(self._available),
                "restoreRate": self.restore_rate,
            }
