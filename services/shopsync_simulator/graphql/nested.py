"""Helpers for resolvers of nested fields: the store, a record's related record, a record's
list served as a connection (whole, in a bulk operation)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLResolveInfo

from shopsync_simulator.query.pager import PageArgs, list_scan, paginate
from shopsync_simulator.store.store import Store
from shopsync_simulator.store.table import Record

Resolver = Callable[..., Any]
Info = GraphQLResolveInfo[Any]


def store_of(info: Info) -> Store:
    store: Store = info.context.store
    return store


def list_connection(items: list[Record], info: Info, args: dict[str, Any]) -> Any:
    """A record's nested connection; a bulk operation gets all of it."""
    pairs = [((i,), rec) for i, rec in enumerate(items)]
    if info.context.bulk is not None:
        args = {"first": len(items)}
    return paginate(list_scan(pairs), PageArgs.from_args(args))


def related(attr: str, key: str) -> Resolver:
    """The record of table ``attr`` whose index the source holds under ``key`` (or null)."""

    def resolve(rec: Record, info: Info, **_: Any) -> Any:
        index = rec.get(key)
        return None if index is None else getattr(store_of(info), attr).get(index)

    return resolve
