"""The landing sink: one stream's pages, from either source, into raw parts and a cursor.

The cursor is the greatest (cursor field, id) landed, capped at the window's ``cap``; it moves
only when the source finished, or when its results are sorted by the cursor field (then a page
boundary is a safe partial cursor).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shopsync.state.base import Cursor

from .details import IdCollector
from .raw import RawStreamWriter
from .source import End, Page, Pages
from .streams import StreamSpec, Window

#: The number a Shopify global id ends with (``gid://shopify/Order/123``: 123).
NUMERIC_TAIL = re.compile(r"(\d+)$")

#: (stream, records in the page), called after each page lands.
OnPage = Callable[[str, int], None]


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

    def observe(self, nodes: Iterable[Mapping[str, Any]]) -> None:
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


class LandingSink:
    """Lands one stream's (or one slice's) pages: writes them, tracks the cursor, counts pages
    and reports each one (``on_page``, e.g. progress and the tenant's lease)."""

    def __init__(
        self,
        writer: RawStreamWriter,
        spec: StreamSpec,
        window: Window,
        cursor_from: Cursor | None,
        on_page: OnPage | None = None,
        collector: IdCollector | None = None,
    ) -> None:
        self.writer = writer
        #: Collects the ids a details stream reads, from every page landed.
        self.collector = collector
        self.spec = spec
        self.window = window
        self.cursor_from = cursor_from
        self.on_page = on_page
        self.tracker = CursorTracker(spec.cursor_field, cursor_from)
        self.pages = 0
        self.finished = True

    def slice(self, window: Window) -> LandingSink:
        """A sink for part of the window, writing into the same parts (slices run at once)."""
        return LandingSink(
            self.writer, self.spec, window, self.cursor_from, self.on_page, self.collector
        )

    def drain(self, pages: Pages) -> None:
        """Land every page, then record how the source ended."""
        with closing(pages):  # a failed landing closes the source (and its download) at once
            while True:
                try:
                    page = next(pages)
                except StopIteration as stop:
                    self.end(stop.value)
                    return
                self.land(page)

    def land(self, page: Page) -> None:
        if page.lines is None:
            self.writer.write_nodes(page.nodes, page.fetched_at)
        else:
            self.writer.write_json_lines(page.lines, page.fetched_at)
        if self.collector is not None:  # after the write: only landed records have details
            if page.lines is None:
                self.collector.add_nodes(page.nodes)
            else:
                self.collector.add_lines(page.lines)
        self.tracker.observe(page.observed)
        self.pages += 1
        if self.on_page is not None:
            self.on_page(self.spec.name, page.records)

    def end(self, end: End) -> None:
        self.finished = end.finished
        self.window = end.window

    def outcome(self) -> StreamOutcome:
        parts = self.writer.close()
        if self.finished or self.spec.sorted_by_cursor:
            cursor_to = self.tracker.cursor(self.window.cap)
        else:
            cursor_to = self.cursor_from  # unsorted and unfinished: nothing safe to advance to
        cursor_to = _floor_if_empty(cursor_to, self.window, self.finished)
        if self.spec.details is not None:  # covers its parent's window: no cursor of its own
            cursor_to = None
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


def merge_outcomes(sinks: list[LandingSink]) -> StreamOutcome:
    """One stream's outcome from its slices: the cursor moves only if every slice finished."""
    first = sinks[0]
    if len(sinks) == 1:
        return first.outcome()
    parts = first.writer.close()
    finished = all(s.finished for s in sinks)
    cursor_to = first.cursor_from
    if finished:
        seen = [c for s in sinks if (c := s.tracker.cursor(s.window.cap)) is not None]
        if seen:
            cursor_to = max(seen, key=lambda c: (c.updated_at, _id_key(c.last_id)))
    cursor_to = _floor_if_empty(cursor_to, first.window, finished)
    return StreamOutcome(
        stream=first.spec.name,
        parts=parts,
        records=first.writer.records,
        pages=sum(s.pages for s in sinks),
        cursor_from=first.cursor_from,
        cursor_to=cursor_to,
        complete_snapshot=first.window.complete_snapshot and finished,
        finished=finished,
    )
