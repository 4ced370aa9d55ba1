"""Bulk operations for large windows: start (or adopt), poll, stream the JSONL into raw parts.

The operation id is recorded in state before polling, so a restarted run adopts it instead of
starting another. ``OPERATION_IN_PROGRESS`` means wait and try again. ``FAILED`` keeps the
partial data and runs the query again; ``TIMEOUT`` splits the window in two. Child lines keep
``__parentId`` and are never assumed to follow their parent. Memory stays constant: the JSONL
is streamed line by line into the writer without being parsed (only parent lines are scanned
for the cursor).
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from shopsync.shopify.errors import FatalError, TransportError
from shopsync.shopify.queries import load as load_query
from shopsync.state.base import BulkOperationRecord, StateStore
from shopsync.streams import BY_NAME
from shopsync.streams.documents import bulk_document, bulk_documents

from .fetch import NUMERIC_TAIL, StreamFetch
from .streams import StreamSpec, Window

log = logging.getLogger(__name__)

BULK_DOCUMENTS = bulk_documents()
TERMINAL = {"COMPLETED", "FAILED", "CANCELED", "EXPIRED"}
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
_ID = re.compile(rb'"id":"([^"]+)"')
_PARENT = b'"__parentId"'
BATCH = 2000


class BulkOperationError(FatalError):
    """A bulk operation could not produce the stream's data."""


def bulk_query(spec: StreamSpec, window: Window, extra: str | None = None) -> str:
    """The stream's bulk query (:mod:`shopsync.streams.documents`) for the window's search."""
    search = window.search(spec)
    if extra:
        search = f"{search} AND {extra}" if search else extra
    return bulk_document(BY_NAME[spec.name], search)


def split(window: Window) -> tuple[Window, Window]:
    start = window.start or EPOCH
    end = window.end or window.cap
    middle = start + (end - start) / 2
    first = Window(start, middle, window.complete_snapshot, window.cap)
    # The upper half of an unbounded window stays unbounded, so a snapshot stays complete.
    second = Window(middle, window.end, window.complete_snapshot, window.cap)
    return first, second


@dataclass
class BulkFetch(StreamFetch):
    """A :class:`StreamFetch` whose pages come from one (or, after a timeout, more) bulk ops."""

    state: StateStore | None = None
    tenant_id: str = ""
    run_id: str = ""
    sleep: Callable[[float], None] = time.sleep
    poll_initial: float = 0.5
    poll_max: float = 10.0
    max_in_progress_wait: float = 900.0
    max_attempts: int = 3
    max_splits: int = 4
    #: An operation still running after this long is cancelled and treated as failed.
    max_poll_seconds: float = 3600.0
    started: list[str] = field(default_factory=list)
    #: Greatest numeric id of a root object landed from the current window's operations.
    max_root: int | None = None

    def run(self) -> None:
        self._run_window(self.window, attempts=self.max_attempts, splits=self.max_splits)

    def _remainder(self, field: str = "id") -> str | None:
        """Bulk results come in id order: after partial data, only ids above it remain."""
        return f"{field}:>{self.max_root}" if self.max_root is not None else None

    # -- one window ---------------------------------------------------------------------------
    def _run_window(self, window: Window, *, attempts: int, splits: int) -> None:
        op_id = self._adopt(window) or self._start(window, self._remainder())
        status = self._poll(op_id)
        if status is None:  # stopped at the time budget; the recorded op is adopted later
            self.finished = False
            return
        state, code = status.get("status"), status.get("errorCode")
        url = status.get("url") or status.get("partialDataUrl")
        if url:
            self._download(str(url))
        if state == "COMPLETED":
            return
        if code == "TIMEOUT" and splits > 0 and self.max_root is None:
            log.warning("%s: bulk operation timed out; splitting the window", self.spec.name)
            for half in split(window):
                self.max_root = None
                self._run_window(half, attempts=attempts, splits=splits - 1)
            return
        if code == "ACCESS_DENIED":
            raise BulkOperationError(f"{self.client.shop}: bulk {self.spec.name}: access denied")
        if attempts > 1:
            log.warning("%s: bulk operation %s (%s); running the rest", self.spec.name, state, code)
            self._run_window(window, attempts=attempts - 1, splits=splits)
            return
        # Bulk keeps failing: page through what is left of the window instead.
        log.warning("%s: bulk operations keep failing; paging the rest", self.spec.name)
        self.extra_query = self._remainder(self.spec.remainder_field)
        self.window = window
        StreamFetch.run(self)

    def _adopt(self, window: Window) -> str | None:
        if self.state is None:
            return None
        for record in self.state.list_bulk_operations(self.tenant_id):
            same = record.stream == self.spec.name and record.window_from == window.start
            if same and record.operation_id not in self.started:
                log.info("%s: adopting bulk operation %s", self.spec.name, record.operation_id)
                self.started.append(record.operation_id)
                return record.operation_id
        return None

    def _start(self, window: Window, extra: str | None = None) -> str:
        waited, delay = 0.0, self.poll_initial
        query = bulk_query(self.spec, window, extra)
        while True:
            result = self.client.execute(load_query("bulk_run"), {"query": query}, shape="bulk_run")
            payload = result.data.get("bulkOperationRunQuery") or {}
            errors = payload.get("userErrors") or []
            operation = payload.get("bulkOperation") or {}
            if operation.get("id"):
                op_id = str(operation["id"])
                self.started.append(op_id)
                if self.state is not None:
                    self.state.put_bulk_operation(
                        BulkOperationRecord(
                            tenant_id=self.tenant_id,
                            stream=self.spec.name,
                            operation_id=op_id,
                            run_id=self.run_id,
                            window_from=window.start,
                            window_to=window.end,
                            started_at=self.clock(),
                        )
                    )
                return op_id
            busy = any(e.get("code") == "OPERATION_IN_PROGRESS" for e in errors)
            if not busy or waited >= self.max_in_progress_wait:
                messages = "; ".join(str(e.get("message")) for e in errors) or "no operation"
                raise BulkOperationError(f"{self.client.shop}: bulk {self.spec.name}: {messages}")
            self.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, self.poll_max)

    def _poll(self, op_id: str) -> dict[str, object] | None:
        delay, waited = self.poll_initial, 0.0
        while True:
            result = self.client.execute(load_query("bulk_status"), {"id": op_id}, shape="bulk")
            node = result.data.get("node") or {}
            if node.get("status") in TERMINAL:
                return dict(node)
            if self.should_stop():
                return None
            if self.keep_alive is not None:
                self.keep_alive()
            if waited >= self.max_poll_seconds:
                log.warning("%s: bulk operation %s is stuck; cancelling it", self.spec.name, op_id)
                self.client.execute(load_query("bulk_cancel"), {"id": op_id}, shape="bulk_cancel")
                return {"status": "CANCELED", "errorCode": "STUCK"}
            self.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, self.poll_max)

    # -- download -------------------------------------------------------------------------------
    def _download(self, url: str) -> None:
        try:
            with self.client.session.get(url, stream=True, timeout=self.client.timeout) as resp:
                if resp.status_code != 200:
                    raise TransportError(
                        f"{self.client.shop}: bulk download answered HTTP {resp.status_code}"
                    )
                fetched_at = self.clock()
                for batch in _batches(resp.iter_lines(chunk_size=1 << 16), BATCH):
                    self._land(batch, fetched_at)
        except requests.RequestException as exc:
            raise TransportError(
                f"{self.client.shop}: bulk download failed ({type(exc).__name__})"
            ) from None

    def _land(self, lines: list[bytes], fetched_at: datetime) -> None:
        parents = [line for line in lines if _PARENT not in line]
        if self.spec.flatten_nested:
            lines = [line for line in lines if _PARENT in line]
        self.writer.write_json_lines(lines, fetched_at)
        roots = [_cursor_fields(line, self.spec.cursor_field) for line in parents]
        if self.spec.flatten_nested:  # the cursor is the landed children's (the levels')
            self.tracker.observe([_cursor_fields(line, self.spec.cursor_field) for line in lines])
        else:
            self.tracker.observe(roots)
        for root in roots:
            tail = NUMERIC_TAIL.search(root["id"])
            if tail is not None and (self.max_root is None or int(tail.group(1)) > self.max_root):
                self.max_root = int(tail.group(1))
        self.pages += 1
        if self.on_page is not None:
            self.on_page(self.spec.name, len(lines))


def _cursor_fields(line: bytes, cursor_field: str) -> dict[str, str]:
    found = re.search(b'"' + cursor_field.encode() + rb'":"([^"]+)"', line)
    ident = _ID.search(line)
    return {
        "id": ident.group(1).decode() if ident else "",
        cursor_field: found.group(1).decode() if found else "",
    }


def _batches(lines: Iterable[bytes], size: int) -> Iterator[list[bytes]]:
    batch: list[bytes] = []
    for line in lines:
        if line:
            batch.append(line)
            if len(batch) >= size:
                yield batch
                batch = []
    if batch:
        yield batch
