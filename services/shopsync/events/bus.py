"""The local stand-in for EventBridge plus a Glue workflow's EVENT trigger.

Events are matched against the same pattern file the EventBridge rule is deployed from.
Matching events are batched the way Glue's ``EventBatchingCondition`` does: the workflow
starts when ``size`` events have arrived, or when ``window_seconds`` have passed since the
first event of the batch, whichever comes first. The workflow run gets the run property
``aws:eventIds`` (a JSON list, as Glue sets it).

Events only say "something arrived": the job reads the manifests itself, so a dropped,
late or repeated trigger never changes what is loaded.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .pattern import matches, validate

logger = logging.getLogger(__name__)

MAX_BATCH_SIZE = 100
MAX_BATCH_WINDOW_SECONDS = 900


@dataclass(frozen=True)
class Batching:
    """Glue's EVENT trigger batching: ``BatchSize`` 1-100, ``BatchWindow`` 1-900 seconds."""

    size: int = 1
    window_seconds: float = 900.0

    def __post_init__(self) -> None:
        if not 1 <= self.size <= MAX_BATCH_SIZE:
            raise ValueError(f"batch size must be 1..{MAX_BATCH_SIZE}, got {self.size}")
        if not 0 < self.window_seconds <= MAX_BATCH_WINDOW_SECONDS:
            raise ValueError(f"batch window must be in (0, {MAX_BATCH_WINDOW_SECONDS}] seconds")


@dataclass(frozen=True)
class WorkflowRun:
    """One start of the workflow: the events that triggered it and its run properties."""

    run_id: str
    events: tuple[Mapping[str, Any], ...]
    run_properties: dict[str, str] = field(default_factory=dict)

    @property
    def event_ids(self) -> list[str]:
        return [str(e.get("id")) for e in self.events]


Trigger = Callable[[WorkflowRun], object]


class LocalBus:
    """Match, batch, start the workflow. Thread-safe.

    Without :meth:`start`, triggers run in the caller's thread (``publish`` for a full batch,
    :meth:`tick` for an expired window, :meth:`drain` for whatever is left): deterministic for
    tests. After :meth:`start`, a worker thread runs them one at a time, like a workflow with
    one concurrent run, and checks the window on its own.
    """

    def __init__(
        self,
        pattern: Mapping[str, Any],
        trigger: Trigger,
        *,
        batching: Batching | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        validate(pattern)
        self.pattern = pattern
        self.trigger = trigger
        self.batching = batching or Batching()
        self._clock = clock
        self._lock = threading.Lock()
        self._pending: list[Mapping[str, Any]] = []
        self._first_at: float | None = None
        self._queue: queue.Queue[WorkflowRun | None] | None = None
        self._worker: threading.Thread | None = None
        self.runs: list[WorkflowRun] = []
        self.matched = 0
        self.ignored = 0

    def publish(self, event: Mapping[str, Any]) -> bool:
        """Deliver one event; ``True`` if it matched the rule."""
        if not matches(self.pattern, event):
            with self._lock:
                self.ignored += 1
            return False
        with self._lock:
            self.matched += 1
            if not self._pending:
                self._first_at = self._clock()
            self._pending.append(event)
            run = self._take() if len(self._pending) >= self.batching.size else None
        if run is not None:
            self._dispatch(run)
        return True

    def tick(self) -> WorkflowRun | None:
        """Start the workflow if the pending batch's window has passed."""
        with self._lock:
            due = self._first_at is not None and (
                self._clock() - self._first_at >= self.batching.window_seconds
            )
            run = self._take() if due else None
        if run is not None:
            self._dispatch(run)
        return run

    def drain(self) -> WorkflowRun | None:
        """Start the workflow now for whatever is pending (shutdown, tests)."""
        with self._lock:
            run = self._take()
        if run is not None:
            self._dispatch(run)
        return run

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._pending)

    def _take(self) -> WorkflowRun | None:
        if not self._pending:
            return None
        events, self._pending, self._first_at = tuple(self._pending), [], None
        ids = [str(e.get("id")) for e in events]
        run = WorkflowRun(
            run_id=f"wr_{uuid.uuid4().hex}",
            events=events,
            run_properties={"aws:eventIds": json.dumps(ids)},
        )
        self.runs.append(run)
        return run

    def _dispatch(self, run: WorkflowRun) -> None:
        if self._queue is not None:
            self._queue.put(run)
        else:
            self._run(run)

    def _run(self, run: WorkflowRun) -> None:
        logger.info(
            "workflow run %s started by %d event(s)",
            run.run_id,
            len(run.events),
            extra={"workflow_run_id": run.run_id, "event_ids": run.event_ids},
        )
        try:
            self.trigger(run)
        except Exception:
            # A failed run is not retried here: the next trigger or `shopsync load` picks
            # the manifests up again, since they are still absent from the ledger.
            logger.exception("workflow run %s failed", run.run_id)

    # -- background mode -------------------------------------------------------------------

    def start(self, poll_seconds: float = 0.2) -> None:
        if self._worker is not None:
            return
        self._queue = queue.Queue()
        self._worker = threading.Thread(
            target=self._loop, args=(poll_seconds,), name="shopsync-local-bus", daemon=True
        )
        self._worker.start()

    def _loop(self, poll_seconds: float) -> None:
        assert self._queue is not None
        while True:
            try:
                item = self._queue.get(timeout=poll_seconds)
            except queue.Empty:
                self.tick()
                continue
            if item is None:
                return
            self._run(item)

    def close(self) -> None:
        """Start the workflow for anything pending, wait for queued runs, stop the worker."""
        self.drain()
        if self._worker is not None and self._queue is not None:
            self._queue.put(None)
            self._worker.join()
        self._worker, self._queue = None, None

    def __enter__(self) -> LocalBus:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
