"""Details streams: records read by the ids another stream's records list (an order's refunds),
in batches through ``nodes(ids:)``, after that stream landed.

Shopify's bulk operations refuse a connection inside a list field, so a refund's line items
cannot come with the orders; asking ``order(id:)`` per order would cost a request per order.
Instead the parent stream's sink hands every landed page to an :class:`IdCollector` (bulk
lines are scanned as bytes: only those with a non-empty list are parsed), and the
:class:`DetailSource` fetches exactly those ids, ``page_size`` per request. A child connection
with more nodes than the batch asked for is completed by its own document, per record.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shopsync.shopify import ShopifyClient
from shopsync.shopify.queries import load as load_query

from .paging import Clock, PageSizes, ShouldStop, complete_connections, utc_now
from .source import End, Page, Pages
from .streams import Details, StreamSpec, Window

_PARENT = b'"__parentId"'


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
        listing = (ln for ln in lines if _PARENT not in ln and self._listed.search(ln))
        self.add_nodes(json.loads(line) for line in listing)

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

    It stops between batches at ``should_stop``; the run then holds the parent stream's cursor
    (the details of its landed records were not all fetched)."""

    client: ShopifyClient
    spec: StreamSpec
    sizes: PageSizes
    ids: Sequence[str]
    should_stop: ShouldStop = lambda: False
    clock: Clock = utc_now

    def fetch(self, window: Window) -> Pages:
        spec, batch = self.spec, max(self.spec.page_size, 1)
        document = load_query(spec.document)
        assert spec.details is not None
        connections = spec.details.connections
        for start in range(0, len(self.ids), batch):
            chunk = list(self.ids[start : start + batch])
            result = self.client.execute(
                document, {"ids": chunk}, shape=f"{spec.document}:{len(chunk)}"
            )
            nodes = [n for n in result.data.get("nodes") or [] if isinstance(n, dict)]
            for node in nodes:  # a refund gone since it was listed comes back null
                complete_connections(self.client, node, connections, self.sizes, clock=self.clock)
            yield Page(self.clock(), nodes=nodes)
            if start + batch < len(self.ids) and self.should_stop():
                return End(False, window)
        return End(True, window)
