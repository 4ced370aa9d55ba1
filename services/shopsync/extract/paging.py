"""The cursor paginator: every page of one connection, in order.

A cursor that comes back twice is a :class:`PaginationLoopError`; ``MAX_COST_EXCEEDED`` halves
the page size and the smaller size is remembered for the rest of the run.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from datetime import UTC, datetime
from typing import Any

from shopsync.shopify import ShopifyClient
from shopsync.shopify.errors import MaxCostExceededError, PaginationLoopError, QueryError
from shopsync.shopify.queries import load as load_query

from .streams import Connection

log = logging.getLogger(__name__)

Clock = Callable[[], datetime]
ShouldStop = Callable[[], bool]


def utc_now() -> datetime:
    return datetime.now(UTC)


class PageSizes:
    """Page size per query, halved on ``MAX_COST_EXCEEDED`` and remembered (thread-safe)."""

    def __init__(self, default: int = 250, **overrides: int) -> None:
        self._default = default
        self._sizes: dict[str, int] = dict(overrides)
        self._lock = threading.Lock()

    def get(self, name: str) -> int:
        with self._lock:
            return self._sizes.get(name, self._default)

    def halve(self, name: str, current: int) -> int:
        with self._lock:
            size = max(min(self._sizes.get(name, self._default), current) // 2, 1)
            self._sizes[name] = size
            return size


def _dig(data: Mapping[str, Any], path: tuple[str, ...]) -> Mapping[str, Any] | None:
    node: Any = data
    for key in path:
        if not isinstance(node, Mapping):
            return None
        node = node.get(key)
    return node if isinstance(node, Mapping) else None


def iter_pages(
    client: ShopifyClient,
    document_name: str,
    connection: tuple[str, ...],
    variables: Mapping[str, Any],
    sizes: PageSizes,
    *,
    after: str | None = None,
    clock: Clock = utc_now,
) -> Iterator[tuple[list[dict[str, Any]], datetime, bool]]:
    """Yield ``(nodes, fetched_at, has_next_page)`` per page (from ``after``) to the last."""
    document = load_query(document_name)
    seen: set[str] = {after} if after else set()
    while True:
        size = sizes.get(document_name)
        try:
            result = client.execute(
                document,
                {**variables, "first": size, "after": after},
                shape=f"{document_name}:{size}",
            )
        except MaxCostExceededError:
            if size <= 1:
                raise
            smaller = sizes.halve(document_name, size)
            log.warning("%s: query too costly at %d per page, now %d", document_name, size, smaller)
            continue
        fetched_at = clock()
        conn = _dig(result.data, connection)
        if conn is None:
            if len(connection) > 1:  # the parent (e.g. a location) no longer exists
                return
            raise QueryError(f"{client.shop}: response has no {'.'.join(connection)}")
        nodes = conn.get("nodes")
        if not isinstance(nodes, list):
            raise QueryError(f"{client.shop}: {'.'.join(connection)} has no nodes list")
        info = conn.get("pageInfo")
        has_next = isinstance(info, Mapping) and bool(info.get("hasNextPage"))
        yield nodes, fetched_at, has_next
        if not has_next:
            return
        end = info.get("endCursor") if isinstance(info, Mapping) else None
        if not isinstance(end, str) or end in seen:
            raise PaginationLoopError(
                f"{client.shop}: {document_name}: page cursor {end!r} came back twice"
            )
        seen.add(end)
        after = end


def has_next_page(connection: Any) -> bool:
    """Whether a connection as landed (``{nodes, pageInfo}``) says it has more nodes."""
    info = connection.get("pageInfo") if isinstance(connection, Mapping) else None
    return isinstance(info, Mapping) and bool(info.get("hasNextPage"))


def nodes_by_ids(client: ShopifyClient, document_name: str, ids: list[str]) -> list[dict[str, Any]]:
    """The records of ``ids`` through a ``nodes(ids: $ids)`` document (a record gone since it
    was listed comes back null and is left out)."""
    result = client.execute(
        load_query(document_name), {"ids": ids}, shape=f"{document_name}:{len(ids)}"
    )
    return [n for n in result.data.get("nodes") or [] if isinstance(n, dict)]


def complete_connection(
    client: ShopifyClient,
    node: dict[str, Any],
    connection: Connection,
    sizes: PageSizes,
    *,
    clock: Clock = utc_now,
    variables: Mapping[str, Any] | None = None,
    should_stop: ShouldStop | None = None,
) -> bool:
    """The child connection of ``node`` gets its remaining pages through its own document
    (``$id`` and any other ``variables``: the window's ``query`` when it filters the
    connection), merged into its ``nodes``; one absent is landed empty. False when
    ``should_stop`` ended it between two pages."""
    field, document, path = connection
    nested = node.get(field)
    if not isinstance(nested, dict):
        node[field] = {"nodes": []}
        return True
    if not has_next_page(nested):
        return True
    children = list(nested.get("nodes") or [])
    sent = {"id": node["id"], **(variables or {})}
    complete = True
    for more, _, more_next in iter_pages(
        client, document, path, sent, sizes, after=nested["pageInfo"].get("endCursor"), clock=clock
    ):
        children.extend(more)
        if more_next and should_stop is not None and should_stop():
            complete = False
            break
    nested["nodes"] = children
    nested["pageInfo"] = {"hasNextPage": False, "endCursor": None}
    return complete


def complete_connections(
    client: ShopifyClient,
    node: dict[str, Any],
    connections: tuple[Connection, ...],
    sizes: PageSizes,
    *,
    clock: Clock = utc_now,
) -> None:
    """Each child connection of ``node`` completed (:func:`complete_connection`)."""
    for connection in connections:
        complete_connection(client, node, connection, sizes, clock=clock)
