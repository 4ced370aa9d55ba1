"""The bulk source for large windows: start (or adopt) operations, poll, stream their JSONL.

The operation id is recorded in state before polling, so a restarted run adopts it instead of
starting another. ``OPERATION_IN_PROGRESS`` means wait and try again. ``FAILED`` keeps the
partial data and runs the query again; ``TIMEOUT`` splits the window in two; an operation that
keeps failing leaves the rest of its window to the paged source. Child lines keep
``__parentId`` and are never assumed to follow their parent. Memory stays constant: the JSONL
is streamed in pages of lines that the sink writes without parsing them (only the lines the
cursor comes from are scanned for it).
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
from shopsync.streams.variants import variant_named

from .landing import NUMERIC_TAIL
from .paged import PagedSource
from .source import End, Page, Pages
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
    return bulk_document(variant_named(BY_NAME[spec.name], spec.variant), search)


def split(window: Window) -> tuple[Window, Window]:
    start = window.start or EPOCH
    end = window.end or window.cap
    middle = start + (end - start) / 2
    first = Window(start, middle, window.complete_snapshot, window.cap)
    # The upper half of an unbounded window stays unbounded, so a snapshot stays complete.
    second = Window(middle, window.end, window.complete_snapshot, window.cap)
    return first, second


@dataclass
class _Progress:
    """What one fetch of a :class:`BulkSource` has done so far (the source keeps nothing)."""

    #: Operations started or adopted: none is adopted twice.
    started: list[str] = field(default_factory=list)
    #: Greatest numeric id of a root object landed from the current window's operations.
    max_root: int | None = None
    finished: bool = True
    #: The part of the window paged last after bulk kept failing.
    paged: Window | None = None

    def remainder(self, field: str = "id") -> str | None:
        """Bulk results come in id order: after partial data, only ids above it remain."""
        return f"{field}:>{self.max_root}" if self.max_root is not None else None


@dataclass(frozen=True)
class BulkSource:
    """A stream's pages from one (or, after a timeout, more) bulk operations; what bulk cannot
    fetch is paged by ``paged``, whose client, stream, clock and ``should_stop`` it shares."""

    paged: PagedSource
    state: StateStore | None = None
    tenant_id: str = ""
    run_id: str = ""
    #: Called while waiting without pages (polling), e.g. to renew the tenant's lease.
    keep_alive: Callable[[], None] | None = None
    sleep: Callable[[float], None] = time.sleep
    poll_initial: float = 0.5
    poll_max: float = 10.0
    max_in_progress_wait: float = 900.0
    max_attempts: int = 3
    max_splits: int = 4
    #: An operation still running after this long is cancelled and treated as failed.
    max_poll_seconds: float = 3600.0

    def fetch(self, window: Window) -> Pages:
        progress = _Progress()
        yield from self._window(window, progress, self.max_attempts, self.max_splits)
        return End(progress.finished, progress.paged if progress.paged is not None else window)

    # -- one window ---------------------------------------------------------------------------
    def _window(
        self, window: Window, progress: _Progress, attempts: int, splits: int
    ) -> Iterator[Page]:
        spec, client = self.paged.spec, self.paged.client
        op_id = self._adopt(window, progress) or self._start(window, progress)
        status = self._poll(op_id)
        if status is None:  # stopped at the time budget; the recorded op is adopted later
            progress.finished = False
            return
        state, code = status.get("status"), status.get("errorCode")
        url = status.get("url") or status.get("partialDataUrl")
        if url:
            for page, top in self._download(str(url)):
                if top is not None and (progress.max_root is None or top > progress.max_root):
                    progress.max_root = top
                yield page
        if state == "COMPLETED":
            return
        if code == "TIMEOUT" and splits > 0 and progress.max_root is None:
            log.warning("%s: bulk operation timed out; splitting the window", spec.name)
            for half in split(window):
                progress.max_root = None
                yield from self._window(half, progress, attempts, splits - 1)
            return
        if code == "ACCESS_DENIED":
            raise BulkOperationError(f"{client.shop}: bulk {spec.name}: access denied")
        if attempts > 1:
            log.warning("%s: bulk operation %s (%s); running the rest", spec.name, state, code)
            yield from self._window(window, progress, attempts - 1, splits)
            return
        # Bulk keeps failing: page through what is left of the window instead.
        log.warning("%s: bulk operations keep failing; paging the rest", spec.name)
        progress.paged = window
        end = yield from self.paged.fetch(window, progress.remainder(spec.remainder_field))
        progress.finished = progress.finished and end.finished

    def _adopt(self, window: Window, progress: _Progress) -> str | None:
        if self.state is None:
            return None
        name = self.paged.spec.name
        for record in self.state.list_bulk_operations(self.tenant_id):
            same = record.stream == name and record.window_from == window.start
            if same and record.operation_id not in progress.started:
                log.info("%s: adopting bulk operation %s", name, record.operation_id)
                progress.started.append(record.operation_id)
                return record.operation_id
        return None

    def _start(self, window: Window, progress: _Progress) -> str:
        spec, client = self.paged.spec, self.paged.client
        waited, delay = 0.0, self.poll_initial
        query = bulk_query(spec, window, progress.remainder())
        while True:
            result = client.execute(load_query("bulk_run"), {"query": query}, shape="bulk_run")
            payload = result.data.get("bulkOperationRunQuery") or {}
            errors = payload.get("userErrors") or []
            operation = payload.get("bulkOperation") or {}
            if operation.get("id"):
                op_id = str(operation["id"])
                progress.started.append(op_id)
                if self.state is not None:
                    self.state.put_bulk_operation(
                        BulkOperationRecord(
                            tenant_id=self.tenant_id,
                            stream=spec.name,
                            operation_id=op_id,
                            run_id=self.run_id,
                            window_from=window.start,
                            window_to=window.end,
                            started_at=self.paged.clock(),
                        )
                    )
                return op_id
            busy = any(e.get("code") == "OPERATION_IN_PROGRESS" for e in errors)
            if not busy or waited >= self.max_in_progress_wait:
                messages = "; ".join(str(e.get("message")) for e in errors) or "no operation"
                raise BulkOperationError(f"{client.shop}: bulk {spec.name}: {messages}")
            self.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, self.poll_max)

    def _poll(self, op_id: str) -> dict[str, object] | None:
        client = self.paged.client
        delay, waited = self.poll_initial, 0.0
        while True:
            result = client.execute(load_query("bulk_status"), {"id": op_id}, shape="bulk")
            node = result.data.get("node") or {}
            if node.get("status") in TERMINAL:
                return dict(node)
            if self.paged.should_stop():
                return None
            if self.keep_alive is not None:
                self.keep_alive()
            if waited >= self.max_poll_seconds:
                log.warning(
                    "%s: bulk operation %s is stuck; cancelling it", self.paged.spec.name, op_id
                )
                client.execute(load_query("bulk_cancel"), {"id": op_id}, shape="bulk_cancel")
                return {"status": "CANCELED", "errorCode": "STUCK"}
            self.sleep(delay)
            waited += delay
            delay = min(delay * 1.5, self.poll_max)

    # -- download -------------------------------------------------------------------------------
    def _download(self, url: str) -> Iterator[tuple[Page, int | None]]:
        """The JSONL in pages of ``BATCH`` lines, each with the greatest root id in it."""
        client = self.paged.client
        try:
            with client.session.get(url, stream=True, timeout=client.timeout) as resp:
                if resp.status_code != 200:
                    raise TransportError(
                        f"{client.shop}: bulk download answered HTTP {resp.status_code}"
                    )
                fetched_at = self.paged.clock()
                for batch in _batches(resp.iter_lines(chunk_size=1 << 16), BATCH):
                    yield self._page(batch, fetched_at)
        except requests.RequestException as exc:
            raise TransportError(
                f"{client.shop}: bulk download failed ({type(exc).__name__})"
            ) from None

    def _page(self, lines: list[bytes], fetched_at: datetime) -> tuple[Page, int | None]:
        spec = self.paged.spec
        parents = [line for line in lines if _PARENT not in line]
        if spec.flatten_nested:
            lines = [line for line in lines if _PARENT in line]
        roots = [_cursor_fields(line, spec.cursor_field) for line in parents]
        if spec.flatten_nested:  # the cursor is the landed children's (the levels')
            keys = [_cursor_fields(line, spec.cursor_field) for line in lines]
        else:
            keys = roots
        tails = (NUMERIC_TAIL.search(root["id"]) for root in roots)
        top = max((int(tail.group(1)) for tail in tails if tail is not None), default=None)
        return Page(fetched_at, lines=lines, keys=keys), top


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
