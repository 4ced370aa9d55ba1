"""The streams a tenant can sync.

A tenant file names stream *groups* (``products``, ``inventory``, ``orders``, ``customers``);
each group is fetched as one or more Shopify streams that land under ``stream=<name>/``. Each
stream is declared once, in :mod:`shopsync.streams.declarations`; its GraphQL documents are
generated from that declaration by :mod:`shopsync.streams.documents`.
"""

from __future__ import annotations

from collections.abc import Iterable

from .declarations import BY_NAME, DECLARATIONS, STREAM_GROUPS, StreamDeclaration, StreamGroup

__all__ = [
    "BY_NAME",
    "DECLARATIONS",
    "STREAMS_BY_GROUP",
    "STREAM_GROUPS",
    "StreamDeclaration",
    "StreamGroup",
    "UnknownStreamError",
    "parse_groups",
]

#: group -> the raw streams it lands (ARCHITECTURE §3, §5), in declaration order.
STREAMS_BY_GROUP: dict[StreamGroup, tuple[str, ...]] = {
    group: tuple(d.name for d in DECLARATIONS if d.group == group) for group in STREAM_GROUPS
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
