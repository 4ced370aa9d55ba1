"""GraphQL fields of bulk operations: run, cancel, current, by id, list, node."""

from __future__ import annotations

from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo

from shopsync_simulator.bulk.operations import BulkOperations
from shopsync_simulator.query.pager import PageArgs, list_scan, paginate

Info = GraphQLResolveInfo[Any]


def manager(info: Info) -> BulkOperations:
    bulks: BulkOperations | None = getattr(info.context, "bulks", None)
    if bulks is None:
        raise GraphQLError("Bulk operations are not available here.")
    return bulks


def _run_query(_: Any, info: Info, query: str, groupObjects: bool = False) -> Any:
    record, errors = manager(info).run_query(query, groupObjects, info.context.version)
    return {"bulkOperation": record, "userErrors": errors}


def _cancel(_: Any, info: Info, id: str) -> Any:
    op, errors = manager(info).cancel(id)
    return {"bulkOperation": op.record() if op else None, "userErrors": errors}


def _current(_: Any, info: Info, type: str = "QUERY") -> Any:
    op = manager(info).current() if type == "QUERY" else None
    return op.record() if op else None


def _by_id(_: Any, info: Info, id: str) -> Any:
    op = manager(info).get(id)
    return op.record() if op else None


def _list(_: Any, info: Info, **args: Any) -> Any:
    page = PageArgs.from_args(args, "CREATED_AT")
    records = [op.record() for op in manager(info).operations]
    status = (page.query or "").removeprefix("status:").strip().upper()
    if page.query and page.query.startswith("status:"):
        records = [r for r in records if r["status"] == status]
    field = "_u" if page.sort_key == "COMPLETED_AT" else "_c"
    pairs = sorted(((r[field], r["_n"]), r) for r in records)
    return paginate(list_scan(pairs), page)


BULK_RESOLVERS = {
    ("Mutation", "bulkOperationRunQuery"): _run_query,
    ("Mutation", "bulkOperationCancel"): _cancel,
    ("QueryRoot", "currentBulkOperation"): _current,
    ("QueryRoot", "bulkOperation"): _by_id,
    ("QueryRoot", "bulkOperations"): _list,
}
