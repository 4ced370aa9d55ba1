"""Details streams: records read by the ids another stream's records list (an order's refunds),
in batches through ``nodes(ids:)``, after that stream landed.

Shopify's bulk operations refuse a connection inside a list field, so a refund's line items
cannot come with the orders; asking ``order(id:)`` per order would cost a request per order.
Instead the parent stream's sink hands every landed page to an :class:`IdCollector` (bulk
lines are scanned as bytes: only those with a non-empty list are parsed), and the
:class:`DetailSource` fetches exactly those ids, ``page_size`` per request. A child connection
may ask few nodes (what most records have, so a request holds more records): the records that
have more are asked again in batches of their own; a connection longer still is completed by its
own document, per record.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shopsync.shopify import ShopifyClient

from .paging import (
    Clock,
    PageSizes,
    ShouldStop,
    complete_connections,
    has_next_page,
    nodes_by_ids,
    utc_now,
)
from .source import End, Page, Pages, root_records
from .streams import Details, StreamSpec, Window


class IdCollector:
    """The ids a parent stream's landed records list (thread-safe: slices share one)."""

    def __init__(self, details: Details) -> None:
        self.path = details.ids
        head = re.escape(details.ids[0].encode())
        self._listed = re.compile(rb'"' + head + rb'"\s*:\s*\[\s*[^\]\s]')
        self._ids: dict[str, None] = {}
        self._lock = threading.Lock()

    def add_nodes(self, nodes: Iterable[Mapping[str, Any]]) -> None:
        found = [i for node in nodes for i in _ids_in(node, self.path)]
        with self._lock:
            self._ids.update(dict.fromkeys(found))

    def add_lines(self, lines: Iterable[bytes]) -> None:
        """Bulk lines: only a root line whose list is not empty is parsed."""
        self.add_nodes(root_records(lines, lambda line: bool(self._listed.search(line))))

    def ids(self) -> list[str]:
        with self._lock:
            return list(self._ids)


def _ids_in(node: Mapping[str, Any], path: tuple[str, ...]) -> Iterable[str]:
    listed = node.get(path[0])
    for element in listed if isinstance(listed, list) else ():
        value: Any = element
        for step in path[1:]:
            value = value.get(step) if isinstance(value, Mapping) else None
        if isinstance(value, str) and value:
            yield value


@dataclass(frozen=True)
class DetailSource:
    """A details stream's pages: one per batch of the collected ids, in the order they landed.

    A record whose child connection asks again in batches (:attr:`Details.more`) and had more
    nodes than its first page is held back until a batch of such records has been asked again;
    it then lands in a later page. Whatever is still incomplete is completed per record.

    It stops between batches at ``should_stop`` (after landing the records it held back); the
    run then holds the parent stream's cursor (the details of its landed records were not all
    fetched)."""

    client: ShopifyClient
    spec: StreamSpec
    sizes: PageSizes
    ids: Sequence[str]
    should_stop: ShouldStop = lambda: False
    clock: Clock = utc_now

    def fetch(self, window: Window) -> Pages:
        spec, batch = self.spec, max(self.spec.page_size, 1)
        assert spec.details is not None
        held = _HeldBack(self, spec.details)
        for start in range(0, len(self.ids), batch):
            nodes = nodes_by_ids(self.client, spec.document, list(self.ids[start : start + batch]))
            yield Page(self.clock(), nodes=held.take(nodes) + held.ask_again(everything=False))
            if start + batch < len(self.ids) and self.should_stop():
                if rest := held.ask_again(everything=True):
                    yield Page(self.clock(), nodes=rest)
                return End(False, window)
        if rest := held.ask_again(everything=True):
            yield Page(self.clock(), nodes=rest)
        return End(True, window)

    def complete(self, node: dict[str, Any]) -> dict[str, Any]:
        assert self.spec.details is not None
        connections = self.spec.details.connections
        complete_connections(self.client, node, connections, self.sizes, clock=self.clock)
        return node


class _HeldBack:
    """The records waiting for a child connection to be asked again, per child, in order."""

    def __init__(self, source: DetailSource, details: Details) -> None:
        self.source, self.more = source, details.more
        self.queued: dict[str, list[str]] = {field: [] for field, _, _ in details.more}
        self.held: dict[str, dict[str, Any]] = {}
        self.waiting: dict[str, int] = {}

    def take(self, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records complete after their first fetch (the others are held back)."""
        ready = []
        for node in nodes:
            fields = [field for field, _, _ in self.more if has_next_page(node.get(field))]
            if not fields or not isinstance(node.get("id"), str):
                ready.append(self.source.complete(node))
                continue
            self.held[node["id"]], self.waiting[node["id"]] = node, len(fields)
            for field in fields:
                self.queued[field].append(node["id"])
        return ready

    def ask_again(self, *, everything: bool) -> list[dict[str, Any]]:
        """Every full batch of held records (``everything``: every batch) asked again; the
        records no longer waiting, completed."""
        ready = []
        for field, document, size in self.more:
            queue = self.queued[field]
            while len(queue) >= size or (everything and queue):
                chunk, queue[:] = queue[:size], queue[size:]
                for again in nodes_by_ids(self.source.client, document, chunk):
                    node = self.held.get(again.get("id"))  # type: ignore[arg-type]
                    if node is not None and isinstance(again.get(field), dict):
                        node[field] = again[field]
                for record in chunk:
                    self.waiting[record] -= 1
                    if not self.waiting[record]:
                        del self.waiting[record]
                        ready.append(self.source.complete(self.held.pop(record)))
        return ready
