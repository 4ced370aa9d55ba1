"""The paged source: a stream's pages through its paged document, nested connections completed.

A node whose nested connection (an order's line items, a location's levels) has more pages gets
the rest fetched with the nested document and merged before the page is handed on; so does
each further child connection (an order's shipping lines and discount applications).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shopsync.shopify import ShopifyClient

from .paging import (
    Clock,
    PageSizes,
    ShouldStop,
    complete_connection,
    complete_connections,
    iter_pages,
    utc_now,
)
from .source import End, Page, Pages
from .streams import StreamSpec, Window


@dataclass(frozen=True)
class PagedSource:
    """One stream's pages, from the first to the last or until ``should_stop``."""

    client: ShopifyClient
    spec: StreamSpec
    sizes: PageSizes
    should_stop: ShouldStop = lambda: False
    clock: Clock = utc_now

    def fetch(self, window: Window, extra_query: str | None = None) -> Pages:
        """``extra_query`` is one more search term, e.g. ``id:>123`` for the remainder after a
        failed bulk operation."""
        spec = self.spec
        search = window.search(spec)
        if extra_query:
            search = f"{search} AND {extra_query}" if search else extra_query
        for nodes, fetched_at, has_next in iter_pages(
            self.client,
            spec.document,
            spec.connection,
            {"query": search},
            self.sizes,
            clock=self.clock,
        ):
            records = nodes
            complete = True  # false: stopped inside a long nested connection
            for node in nodes if spec.more_nested else ():
                complete_connections(
                    self.client, node, spec.more_nested, self.sizes, clock=self.clock
                )
            if spec.nested is not None:
                complete = all(self._complete_nested(node, search) for node in nodes)
                if spec.flatten_nested:
                    records = [
                        child
                        for node in nodes
                        if isinstance(node.get(spec.nested), dict)
                        for child in node[spec.nested].get("nodes") or []
                    ]
            yield Page(fetched_at, nodes=records)
            if not complete or (has_next and self.should_stop()):
                return End(False, window)
        return End(True, window)

    def _complete_nested(self, node: dict[str, Any], search: str | None) -> bool:
        """A node whose nested connection has more pages gets the rest fetched and merged.

        False when ``should_stop`` interrupted it: only in an unsorted stream (whose cursor
        does not move unless it finished), where a nested connection (a location's levels)
        may be long; a sorted stream's parent must land whole, its cursor moves past it.
        """
        spec = self.spec
        if spec.nested is None or spec.nested_document is None:
            return True
        return complete_connection(
            self.client,
            node,
            (spec.nested, spec.nested_document, spec.nested_path),
            self.sizes,
            clock=self.clock,
            variables={"query": search} if spec.nested_query else None,
            should_stop=None if spec.sorted_by_cursor else self.should_stop,
        )
