"""What a stream's source hands the landing sink: the pages of a window, then how they ended.

Both sources (:mod:`.paged`, :mod:`.bulk`) are generators: ``fetch(window)`` yields
:class:`Page` objects and returns an :class:`End`. A source keeps nothing between fetches; the
sink (:mod:`.landing`) is what writes, counts and tracks the cursor.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from .streams import Window


@dataclass(frozen=True)
class Page:
    """One page: nodes as parsed from a response (paged), or JSON lines as downloaded (bulk).

    Bulk lines are landed as bytes, never parsed; ``keys`` holds the id and cursor field of
    those the cursor is taken from (the roots, or the landed children when they are flattened).
    """

    fetched_at: datetime
    nodes: Sequence[Mapping[str, Any]] = ()
    lines: Sequence[bytes] | None = None
    keys: Sequence[Mapping[str, str]] = ()

    @property
    def records(self) -> int:
        return len(self.nodes) if self.lines is None else len(self.lines)

    @property
    def observed(self) -> Sequence[Mapping[str, Any]]:
        """What the cursor is taken from."""
        return self.nodes if self.lines is None else self.keys


_PARENT = b'"__parentId"'


def root_records(lines: Iterable[bytes], wanted: Callable[[bytes], bool]) -> Iterator[Any]:
    """The root records (never child lines) among bulk lines, parsed only where ``wanted``
    accepts the line's bytes: most lines are landed without ever being parsed."""
    return (json.loads(line) for line in lines if _PARENT not in line and wanted(line))


@dataclass(frozen=True)
class End:
    """How a source's pages ended: whether it got to the end (not stopped by ``should_stop``)
    and the window it ended on: the one asked for, or the part of it a failing bulk operation
    left to paging (an empty stream's cursor is floored at its start)."""

    finished: bool
    window: Window


Pages = Generator[Page, None, End]


class Source(Protocol):
    def fetch(self, window: Window) -> Pages:
        """The window's pages in order, until its end or ``should_stop``."""
        ...
