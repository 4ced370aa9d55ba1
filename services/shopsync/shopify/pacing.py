"""Cost-bucket pacing: never burst into THROTTLED by design.

Shopify meters GraphQL by points in a leaky bucket (``maximumAvailable``, refilled at
``restoreRate`` per second) and reports it on every response in
``extensions.cost.throttleStatus``. The bucket here mirrors it: before each call a caller
*reserves* the query's expected cost and waits exactly as long as the bucket needs to hold it.
Reservations make it safe to share one bucket across concurrent fetches of one store: each
caller waits for its own share.

The expected cost is what Shopify checks the bucket against before running a query: its
``requestedQueryCost`` (the difference to the actual cost is refunded afterwards, and the next
``throttleStatus`` shows it). Shopify's figure is learned per query shape from every response;
before a shape's first answer the caller passes the cost computed from the document
(:func:`shopsync.shopify.cost.requested_cost`), so a first call is paced as exactly as the rest.

Nor is the bucket's level guessed: until a response has reported it (a new run may find the
bucket drained by the previous one), one call goes at a time and the others wait for its answer.
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
#: A shape's cost when neither Shopify nor the caller could say.
DEFAULT_EXPECTED_COST = 100.0
#: How long calls wait for the first call's answer before going without knowing the level.
FIRST_STATUS_TIMEOUT = 30.0


@dataclass(frozen=True)
class Reservation:
    shape: str
    cost: float
    wait: float
    #: The call whose answer tells the bucket's level; the others wait for it.
    probe: bool = False
    sequence: int = 0


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
    """Thread-safe model of one store's bucket. ``clock`` is monotonic seconds.

    A caller :meth:`reserve` s a call's cost, :meth:`pace` s until the bucket holds it, sends,
    and :meth:`settle` s the answer (or :meth:`refund` s a call it never sent).
    """

    def __init__(
        self,
        plan: str = "standard",
        *,
        clock: Callable[[], float] = time.monotonic,
        default_cost: float = DEFAULT_EXPECTED_COST,
        first_status_timeout: float = FIRST_STATUS_TIMEOUT,
    ) -> None:
        maximum, rate = PLAN_LIMITS.get(plan, PLAN_LIMITS["standard"])
        self._clock = clock
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)  # an answer, a refund
        self._synced = False  # a response has reported Shopify's level
        self._probing = False  # a call is out to find it
        self._first_status_timeout = first_status_timeout
        self.maximum = maximum
        self.restore_rate = rate
        self._available = maximum
        self._at = clock()
        self._reserved = 0.0  # points reserved by calls not yet answered
        self._waiting: dict[int, float] = {}  # reservations not yet sent: sequence -> cost
        self._sequence = 0
        #: The reservation whose answer last set the level: an answer to an earlier call,
        #: arriving later, reports an older level (without calls answered since).
        self._level_sequence = 0
        #: What the calls answered so far cost in all (their actual costs), and its value when
        #: each call still out was sent: see :meth:`settle`.
        self._charged = 0.0
        self._sent: dict[int, float] = {}
        self._costs: dict[str, float] = {}
        self._default_cost = default_cost

    def knows(self, shape: str) -> bool:
        """Whether Shopify has reported this shape's requested cost yet."""
        with self._lock:
            return shape in self._costs

    def expected_cost(self, shape: str, estimate: float | None = None) -> float:
        with self._lock:
            return self._expected(shape, estimate)

    def _expected(self, shape: str, estimate: float | None) -> float:
        cost = self._costs.get(shape)
        if cost is None:
            cost = self._default_cost if estimate is None else estimate
        return min(cost, self.maximum)

    def _refill(self, now: float) -> None:
        elapsed = max(now - self._at, 0.0)
        self._available = min(self.maximum, self._available + elapsed * self.restore_rate)
        self._at = now

    def available(self) -> float:
        with self._lock:
            self._refill(self._clock())
            return self._available

    def reserve(self, shape: str, estimate: float | None = None) -> Reservation:
        """Take the expected cost now; ``wait`` is how long until the bucket holds it, as far
        as is known now (:meth:`pace` waits it out, shorter if answers show points came back).

        The cost is Shopify's last figure for ``shape``, else ``estimate`` (the requested cost
        computed from the document), else the default. Before the bucket's level is known this
        blocks while another call is out to find it (at most ``first_status_timeout``).
        """
        with self._changed:
            self._changed.wait_for(
                lambda: self._synced or not self._probing, self._first_status_timeout
            )
            probe = not (self._synced or self._probing)
            self._probing |= probe
            self._refill(self._clock())
            cost = self._expected(shape, estimate)
            self._available -= cost
            self._reserved += cost
            self._sequence += 1
            wait = -self._available / self.restore_rate if self._available < 0 else 0.0
            if wait > 0:
                self._waiting[self._sequence] = cost
            return Reservation(shape, cost, wait, probe, self._sequence)

    def _wait_for(self, reservation: Reservation) -> float:
        """Seconds until the bucket holds ``reservation`` and every one reserved before it."""
        if reservation.sequence not in self._waiting:
            return 0.0
        self._refill(self._clock())
        later = sum(c for n, c in self._waiting.items() if n > reservation.sequence)
        short = -(self._available + later)
        return short / self.restore_rate if short > 0 else 0.0

    def pace(self, reservation: Reservation, sleep: Callable[[float], None] | None = None) -> float:
        """Wait until the bucket holds ``reservation``; the seconds waited.

        By default the wait ends as soon as the bucket's level allows, re-reckoned whenever an
        answer resyncs it (an answer often refunds much of its requested cost). With ``sleep``
        (a fake clock's, in tests) it sleeps the wait known now, once.
        """
        waited = 0.0
        with self._changed:
            wait = self._wait_for(reservation)
            while wait > 0 and sleep is None:
                started = time.monotonic()
                self._changed.wait(wait)
                waited += time.monotonic() - started
                wait = self._wait_for(reservation)
            self._waiting.pop(reservation.sequence, None)
            self._sent[reservation.sequence] = self._charged
        if wait > 0 and sleep is not None:
            sleep(wait)
            waited += wait
        return waited

    def _release(self, reservation: Reservation) -> float:
        """Forget the reservation; what the calls answered since it was sent cost."""
        self._reserved = max(self._reserved - reservation.cost, 0.0)
        self._waiting.pop(reservation.sequence, None)
        since = self._charged - self._sent.pop(reservation.sequence, self._charged)
        if reservation.probe:
            self._probing = False
        self._changed.notify_all()
        return since

    def settle(self, reservation: Reservation, info: CostInfo | None) -> None:
        """Feed a response's cost back: learn the shape's cost and resync with Shopify."""
        with self._lock:
            since = self._release(reservation)
            actual = info.actual if info is not None and info.actual is not None else None
            self._charged += reservation.cost if actual is None else actual
            if info is None:
                return  # no status (error response): keep the reservation spent, to be safe
            if info.requested is not None and info.requested > 0:
                self._costs[reservation.shape] = info.requested
            if info.maximum is not None and info.maximum > 0:
                self.maximum = info.maximum
            if info.restore_rate is not None and info.restore_rate > 0:
                self.restore_rate = info.restore_rate
            if info.available is not None and reservation.sequence > self._level_sequence:
                # Shopify's figure is authoritative; calls still in flight have not been
                # charged in it yet, so keep their reservations out of it. An answer that
                # overtook this one already said more: this level is older than the one set.
                # Nor may calls answered while this one was out be in it: Shopify may have
                # taken this level before it charged them, and calls are not served in the
                # order they were reserved (their costs are taken out again: at worst twice).
                self._available = info.available - self._reserved - since
                self._at = self._clock()
                self._synced = True
                self._level_sequence = reservation.sequence

    def refund(self, reservation: Reservation) -> None:
        """Give a reservation back (the call was never sent)."""
        with self._lock:
            self._release(reservation)
            self._available = min(self.maximum, self._available + reservation.cost)
