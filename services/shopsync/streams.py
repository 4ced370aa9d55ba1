"""The streams a tenant can sync.

A tenant file names stream *groups* (``products``, ``inventory``, ``orders``, ``customers``);
each group is fetched as one or more Shopify streams that land under ``stream=<name>/``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal, get_args

StreamGroup = Literal["products", "inventory", "orders", "customers"]
STREAM_GROUPS: tuple[StreamGroup, ...] = get_args(StreamGroup)

#: group -> the raw streams it lands (ARCHITECTURE §3, §5).
STREAMS_BY_GROUP: dict[StreamGroup, tuple[str, ...]] = {
    "products": ("products", "product_variants", "deleted_products"),
    "inventory": ("locations", "inventory_items", "inventory_levels"),
    "orders": ("orders",),
    "customers": ("customers",),
}


class UnknownStreamError(ValueError):
    """A stream name that is not one of :data:`STREAM_GROUPS`."""


def parse_groups(names: Iterable[str]) -> tuple[StreamGroup, ...]:
    """Validate stream group names, keeping their canonical order and dropping repeats."""
    wanted = list(names)
    unknown = [n for n in wanted if n not in STREAM_GROUPS]
    if unknown:
        raise UnknownStreamError(
            f"unknown stream {', '.join(repr(n) for n in unknown)}; "
            f"expected one of: {', '.join(STREAM_GROUPS)}"
        )
    return tuple(g for g in STREAM_GROUPS if g in wanted)
