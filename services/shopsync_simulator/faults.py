"""Named fault profiles, per shop, switchable at start and at run time; every injected fault
is counted.

Profiles: ``none``, ``throttle-bursts`` (THROTTLED in bursts), ``http-429``, ``server-errors``
(500/502/503), ``connection-resets``, ``slow`` (responses slower than a client's timeout),
``truncated`` (JSON bodies cut short), ``token-revoked`` (401 after some requests),
``shop-locked`` (423), ``bulk-failed`` (FAILED with ``partialDataUrl``), ``bulk-stuck``
(RUNNING until cancelled) and ``chaos`` (a little of the request-level ones). Draws come from
a generator seeded by the shop, so a run is repeatable.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, replace

#: Request-level faults, in the order they are considered.
REQUEST_FAULTS = ("locked", "revoked", "reset", "server_error", "throttle", "http_429", "slow",
                  "truncate")  # fmt: skip


@dataclass(frozen=True)
class FaultProfile:
    name: str
    throttle_rate: float = 0.0
    throttle_burst: int = 3
    http_429_rate: float = 0.0
    server_error_rate: float = 0.0
    reset_rate: float = 0.0
    slow_rate: float = 0.0
    slow_seconds: float = 30.0  # simulated seconds (divided by the speed knob)
    truncate_rate: float = 0.0
    revoke_after: int | None = None  # requests served before the token stops working
    locked: bool = False
    bulk: str | None = None  # "failed" | "stuck"


PROFILES: dict[str, FaultProfile] = {
    p.name: p
    for p in (
        FaultProfile("none"),
        FaultProfile("throttle-bursts", throttle_rate=0.05),
        FaultProfile("http-429", http_429_rate=0.1),
        FaultProfile("server-errors", server_error_rate=0.1),
        FaultProfile("connection-resets", reset_rate=0.1),
        FaultProfile("slow", slow_rate=0.1),
        FaultProfile("truncated", truncate_rate=0.1),
        FaultProfile("token-revoked", revoke_after=20),
        FaultProfile("shop-locked", locked=True),
        FaultProfile("bulk-failed", bulk="failed"),
        FaultProfile("bulk-stuck", bulk="stuck"),
        FaultProfile(
            "chaos",
            throttle_rate=0.02,
            http_429_rate=0.02,
            server_error_rate=0.02,
            reset_rate=0.02,
            truncate_rate=0.02,
        ),
    )
}


class UnknownFaultProfileError(ValueError):
    pass


def profile(name: str, **overrides: object) -> FaultProfile:
    """A named profile, optionally with some rates changed (``profile("slow", slow_rate=1)``)."""
    if name not in PROFILES:
        raise UnknownFaultProfileError(
            f"unknown fault profile {name!r}; expected one of: {', '.join(PROFILES)}"
        )
    return replace(PROFILES[name], **overrides)  # type: ignore[arg-type]


class FaultInjector:
    """Decides, request by request, whether a shop misbehaves; counts what it injected."""

    def __init__(self, chosen: FaultProfile | None = None, seed: int = 0) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self.profile = chosen or PROFILES["none"]
        self.counts: dict[str, int] = {}
        self._served = 0
        self._burst_left = 0

    def switch(self, chosen: FaultProfile) -> None:
        with self._lock:
            self.profile = chosen
            self._served = 0
            self._burst_left = 0

    def count(self, fault: str) -> None:
        with self._lock:
            self.counts[fault] = self.counts.get(fault, 0) + 1

    def draw(self) -> str | None:
        """The fault for the next API request, if any (counted)."""
        p = self.profile
        with self._lock:
            self._served += 1
            fault: str | None = None
            if p.locked:
                fault = "locked"
            elif p.revoke_after is not None and self._served > p.revoke_after:
                fault = "revoked"
            elif self._burst_left > 0:
                self._burst_left -= 1
                fault = "throttle"
            else:
                rates = (
                    ("reset", p.reset_rate),
                    ("server_error", p.server_error_rate),
                    ("throttle", p.throttle_rate),
                    ("http_429", p.http_429_rate),
                    ("slow", p.slow_rate),
                    ("truncate", p.truncate_rate),
                )
                roll = self._rng.random()
                for name, rate in rates:
                    if roll < rate:
                        fault = name
                        break
                    roll -= rate
                if fault == "throttle":
                    self._burst_left = max(p.throttle_burst - 1, 0)
            if fault is not None:
                self.counts[fault] = self.counts.get(fault, 0) + 1
            return fault

    def pick(self, choices: tuple[int, ...]) -> int:
        with self._lock:
            return self._rng.choice(choices)

    def report(self) -> dict[str, object]:
        with self._lock:
            return {"profile": self.profile.name, "injected": dict(self.counts)}
