"""The store's clock: wall time (or a frozen start) plus whatever the activity API advanced."""

from __future__ import annotations

import threading
import time


class Clock:
    def __init__(self, start: float | None = None) -> None:
        """``start`` freezes the clock there (tests); without it the clock follows wall time."""
        self._start = start
        self._offset = 0.0
        self._last = 0
        self._lock = threading.Lock()

    def now(self) -> int:
        base = self._start if self._start is not None else time.time()
        return int(base + self._offset)

    def advance(self, seconds: float) -> int:
        if seconds < 0:
            raise ValueError("the clock only moves forward")
        with self._lock:
            self._offset += seconds
        return self.now()

    def stamp(self) -> int:
        """A timestamp for a change: now, never earlier than the previous stamp."""
        with self._lock:
            self._last = max(self._last, self.now())
            return self._last
