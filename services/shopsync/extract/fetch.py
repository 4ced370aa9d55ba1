"""One stream's fetch: a source's pages of a window land in a sink; a long window is sliced."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from .landing import LandingSink
from .source import Source


@dataclass(frozen=True)
class StreamFetch:
    """One stream (or one slice of it) of one run: ``source`` pages the sink's window."""

    source: Source
    sink: LandingSink

    def run(self) -> None:
        self.sink.drain(self.source.fetch(self.sink.window))


def slice_fetch(fetch: StreamFetch, slices: int, min_span: timedelta) -> list[StreamFetch]:
    """Split a long bounded window into ``slices`` time ranges fetched concurrently (sharing
    the writer and the store's cost bucket). Shopify's timestamps have whole seconds, so a
    slice ends one second before the next begins: no gap and no overlap."""
    window = fetch.sink.window
    start, end = window.start, window.end
    if slices < 2 or start is None or end is None or end - start < min_span:
        return [fetch]
    step = (end - start) / slices
    inner = [(start + step * i).replace(microsecond=0) for i in range(1, slices)]
    starts, ends = [start, *inner], [*(t - timedelta(seconds=1) for t in inner), end]
    return [
        StreamFetch(fetch.source, fetch.sink.slice(replace(window, start=lo, end=hi)))
        for lo, hi in zip(starts, ends, strict=True)
    ]
