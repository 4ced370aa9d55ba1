"""Whole lists: Shopify caps an order's ``transactions``, ``refunds`` and ``fulfillments`` at
the ``first`` a query asks (plain lists, no pages), paged and in bulk alike. A record whose
list came back with that many entries may have more; the few that do are asked again by id
(``nodes(ids:)``) with a larger ``first`` and landed again, whole, in the same stream after the
window's pages. The load keeps one row per entry (the same order, the same cursor: the copies
of the first entries are equal), so nothing is lost and nothing doubles.

Bulk lines are scanned as bytes: only a root line with at least ``first`` ids is parsed.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from shopsync.shopify import ShopifyClient

from .paging import Clock, nodes_by_ids, utc_now
from .source import End, Page, Pages, Source, root_records
from .streams import StreamSpec, WholeList, Window

log = logging.getLogger(__name__)

_ID = b'"id"'


@dataclass(frozen=True)
class WholeLists:
    """``inner``'s pages, then the records that filled their capped list, asked again
    (``page_size`` a request) and landed whole. All of them, even past a stop: they are
    bounded by what landed, and leaving one out would lose its entries past the cap."""

    inner: Source
    client: ShopifyClient
    spec: StreamSpec
    clock: Clock = utc_now

    def fetch(self, window: Window) -> Pages:
        whole = self.spec.whole
        assert whole is not None
        filled: list[str] = []
        pages = self.inner.fetch(window)
        while True:
            try:
                page = next(pages)
            except StopIteration as stop:
                end: End = stop.value
                break
            filled.extend(_filled(page, whole))
            yield page
            while len(filled) >= whole.page_size:
                yield self._again(filled[: whole.page_size])
                del filled[: whole.page_size]
        if filled:
            yield self._again(filled)
        return end

    def _again(self, ids: list[str]) -> Page:
        whole = self.spec.whole
        assert whole is not None
        nodes = nodes_by_ids(self.client, whole.document, ids)
        fetched_at = self.clock()
        for node in nodes:
            if len(_entries(node, whole.field)) >= whole.more_first:
                log.warning(
                    "%s: %s of %s has %d entries or more; Shopify returns no more than that",
                    self.client.shop,
                    whole.field,
                    node.get("id"),
                    whole.more_first,
                )
        return Page(fetched_at, nodes=nodes)


def _entries(node: Mapping[str, Any], field: str) -> list[Any]:
    listed = node.get(field)
    return listed if isinstance(listed, list) else []


def _filled(page: Page, whole: WholeList) -> Iterator[str]:
    """The ids of the page's records whose list holds ``whole.first`` entries."""
    nodes: Sequence[Mapping[str, Any]] = page.nodes
    if page.lines is not None:
        # A root line listing ``first`` entries holds at least ``first`` + 1 ids.
        nodes = list(root_records(page.lines, lambda line: line.count(_ID) > whole.first))
    for node in nodes:
        if len(_entries(node, whole.field)) >= whole.first and isinstance(node.get("id"), str):
            yield node["id"]
