"""Paged fetch of one stream into raw parts, tracking its cursor (updatedAt, id).

Pagination sits behind :func:`.paging.iter_pages`.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from shopsync.shopify import ShopifyClient
from shopsync.state.base import Cursor

from .paging import Clock, PageSizes, ShouldStop, iter_pages, utc_now
from .raw import RawStreamWriter
from .streams import StreamSpec, Window

log = logging.getLogger(__name__)
#: The number a Shopify global id ends with (``gid://shopify/Order/123``: 123).
NUMERIC_TAIL = re.compile(r"(\d+)$")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _id_key(value: Any) -> tuple[int, str]:
    text = str(value or "")
    match = NUMERIC_TAIL.search(text)
    return (int(match.group(1)) if match else -1, text)


@dataclass
class CursorTracker:
    """The greatest (cursor field, id) seen, capped at the window's ``cap``."""

    cursor_field: str
    start: Cursor | None
    _best: tuple[datetime, tuple[int, str], str] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def observe(self, nodes: list[dict[str, Any]]) -> None:
        best = None
        for node in nodes:
            at = _parse_time(node.get(self.cursor_field))
            if at is None:
                continue
            key = (at, _id_key(node.get("id")), str(node.get("id")))
            if best is None or key > best:
                best = key
        if best is not None:
            with self._lock:
                if self._best is None or best > self._best:
                    self._best = best

    def cursor(self, cap: datetime) -> Cursor | None:
        with self._lock:
            best = self._best
        if best is None:
            return self.start
        if best[0] > cap:
            seen = Cursor(updated_at=cap, last_id=None)
        else:
            seen = Cursor(updated_at=best[0], last_id=best[2])
        if self.start is not None and self.start.updated_at >= seen.updated_at:
            return self.start
        return seen


@dataclass
class StreamOutcome:
    stream: str
    parts: list[str]
    records: int
    pages: int
    cursor_from: Cursor | None
    cursor_to: Cursor | None
    complete_snapshot: bool
    finished: bool


@dataclass
class StreamFetch:
    """One stream of one run: pages in, raw parts out."""

    client: ShopifyClient
    spec: StreamSpec
    window: Window
    writer: RawStreamWriter
    sizes: PageSizes
    cursor_from: Cursor | None
    should_stop: ShouldStop = lambda: False
    clock: Clock = utc_now
    on_page: Callable[[str, int], None] | None = None
    #: Called while waiting without pages (bulk polling), e.g. to renew the tenant's lease.
    keep_alive: Callable[[], None] | None = None
    pages: int = 0
    finished: bool = True
    #: An extra search term, e.g. ``id:>123`` for the remainder after a failed bulk operation.
    extra_query: str | None = None

    def __post_init__(self) -> None:
        self.tracker = CursorTracker(self.spec.cursor_field, self.cursor_from)
        self._search: str | None = None

    def run(self) -> None:
        """Fetch every page (or until ``should_stop``) into the writer."""
        search = self.window.search(self.spec)
        if self.extra_query:
            search = f"{search} AND {self.extra_query}" if search else self.extra_query
        self._search = search
        variables = {"query": search}
        for nodes, fetched_at, has_next in iter_pages(
            self.client,
            self.spec.document,
            self.spec.connection,
            variables,
            self.sizes,
            clock=self.clock,
        ):
            records = nodes
            if self.spec.nested is not None:
                for node in nodes:
                    if not self._complete_nested(node):
                        self.finished = False  # stopped inside a long nested connection
                        break
                if self.spec.flatten_nested:
                    records = [
                        child
                        for node in nodes
                        if isinstance(node.get(self.spec.nested), dict)
                        for child in node[self.spec.nested].get("nodes") or []
                    ]
            self.writer.write_nodes(records, fetched_at)
            self.tracker.observe(records)
            self.pages += 1
            if self.on_page is not None:
                self.on_page(self.spec.name, len(records))
            if not self.finished:
                return
            if has_next and self.should_stop():
                self.finished = False
                return

    def _complete_nested(self, node: dict[str, Any]) -> bool:
        """A node whose nested connection has more pages gets the rest fetched and merged.

        False when ``should_stop`` interrupted it: only in an unsorted stream (whose cursor
        does not move unless it finished), where a nested connection (a location's levels)
        may be long; a sorted stream's parent must land whole, its cursor moves past it.
        """
        spec = self.spec
        if spec.nested is None or spec.nested_document is None:
            return True
        nested = node.get(spec.nested)
        if not isinstance(nested, dict):
            node[spec.nested] = {"nodes": []}
            return True
        info = nested.get("pageInfo")
        if not isinstance(info, dict) or not info.get("hasNextPage"):
            return True
        children = list(nested.get("nodes") or [])
        variables: dict[str, Any] = {"id": node["id"]}
        if spec.nested_query:
            variables["query"] = self._search
        complete = True
        for more, _, more_next in iter_pages(
            self.client,
            spec.nested_document,
            spec.nested_path,
            variables,
            self.sizes,
            after=info.get("endCursor"),
            clock=self.clock,
        ):
            children.extend(more)
            if more_next and not spec.sorted_by_cursor and self.should_stop():
                complete = False
                break
        nested["nodes"] = children
        nested["pageInfo"] = {"hasNextPage": False, "endCursor": None}
        return complete

    def outcome(self) -> StreamOutcome:
        parts = self.writer.close()
        if self.finished or self.spec.sorted_by_cursor:
            cursor_to = self.tracker.cursor(self.window.cap)
        else:
            cursor_to = self.cursor_from  # unsorted and unfinished: nothing safe to advance to
        cursor_to = _floor_if_empty(cursor_to, self.window, self.finished)
        return StreamOutcome(
            stream=self.spec.name,
            parts=parts,
            records=self.writer.records,
            pages=self.pages,
            cursor_from=self.cursor_from,
            cursor_to=cursor_to,
            complete_snapshot=self.window.complete_snapshot and self.finished,
            finished=self.finished,
        )


def _floor_if_empty(cursor: Cursor | None, window: Window, finished: bool) -> Cursor | None:
    """A first window that held nothing still gets a cursor (its start), so later runs are
    ordinary incremental runs; nothing before the start was ever asked for, so nothing is lost."""
    if cursor is None and finished and window.start is not None:
        return Cursor(updated_at=window.start)
    return cursor


def slice_fetch(fetch: StreamFetch, slices: int, min_span: timedelta) -> list[StreamFetch]:
    """Split a long bounded window into ``slices`` time ranges fetched concurrently (sharing
    the writer and the store's cost bucket). Shopify's timestamps have whole seconds, so a
    slice ends one second before the next begins: no gap and no overlap."""
    start, end = fetch.window.start, fetch.window.end
    if slices < 2 or start is None or end is None or end - start < min_span:
        return [fetch]
    step = (end - start) / slices
    inner = [(start + step * i).replace(microsecond=0) for i in range(1, slices)]
    starts, ends = [start, *inner], [*(t - timedelta(seconds=1) for t in inner), end]
    return [
        replace(fetch, window=replace(fetch.window, start=lo, end=hi))
        for lo, hi in zip(starts, ends, strict=True)
    ]


def merge_outcomes(fetches: list[StreamFetch]) -> StreamOutcome:
    """One stream's outcome from its slices: the cursor moves only if every slice finished."""
    first = fetches[0]
    if len(fetches) == 1:
        return first.outcome()
    parts = first.writer.close()
    finished = all(f.finished for f in fetches)
    cursor_to = first.cursor_from
    if finished:
        seen = [c for f in fetches if (c := f.tracker.cursor(f.window.cap)) is not None]
        if seen:
            cursor_to = max(seen, key=lambda c: (c.updated_at, _id_key(c.last_id)))
    cursor_to = _floor_if_empty(cursor_to, first.window, finished)
    return StreamOutcome(
        stream=first.spec.name,
        parts=parts,
        records=first.writer.records,
        pages=sum(f.pages for f in fetches),
        cursor_from=first.cursor_from,
        cursor_to=cursor_to,
        complete_snapshot=first.window.complete_snapshot and finished,
        finished=finished,
    )
