"""A shop's bulk operations as the GraphQL resolvers see them.

:class:`BulkOperation` is one operation, :class:`BulkPaging` the side channel of a running one,
and :class:`BulkOperations` the interface the resolvers use. The runner
(:class:`~shopsync_simulator.bulk.runner.BulkManager`) implements it; the resolvers never import
the runner, which executes queries with them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from shopsync_simulator.store.generate import iso
from shopsync_simulator.store.ids import gid

#: Root objects a bulk run reads per page of the top-level connection.
CHUNK = 250
#: The statuses of an operation that has not finished.
IN_PROGRESS = ("CREATED", "RUNNING", "CANCELING")


@dataclass
class BulkPaging:
    """Side channel between the bulk runner and the top-level connection resolver."""

    after: str | None = None
    next_after: str | None = None


@dataclass
class BulkOperation:
    index: int
    query: str
    group_objects: bool
    version: str
    created_at: int
    status: str = "CREATED"
    error_code: str | None = None
    completed_at: int | None = None
    object_count: int = 0
    root_object_count: int = 0
    file_size: int | None = None
    url: str | None = None
    partial_data_url: str | None = None
    cancel: threading.Event = field(default_factory=threading.Event)

    @property
    def id(self) -> str:
        return gid("BulkOperation", self.index)

    def record(self) -> dict[str, Any]:
        return {
            "__typename": "BulkOperation",
            "_i": self.index,
            "_n": int(self.id.rsplit("/", 1)[1]),
            "_c": self.created_at,
            "_u": self.completed_at or self.created_at,
            "id": self.id,
            "status": self.status,
            "errorCode": self.error_code,
            "createdAt": iso(self.created_at),
            "completedAt": iso(self.completed_at) if self.completed_at else None,
            "objectCount": str(self.object_count),
            "rootObjectCount": str(self.root_object_count),
            "fileSize": None if self.file_size is None else str(self.file_size),
            "url": self.url,
            "partialDataUrl": self.partial_data_url,
            "query": self.query,
            "type": "QUERY",
        }


class BulkOperations(Protocol):
    """A shop's bulk operations: what the bulk fields and ``node`` lookups resolve through."""

    @property
    def operations(self) -> Sequence[BulkOperation]: ...

    def run_query(
        self, query: str, group_objects: bool, version: str
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]: ...

    def cancel(self, ref: str) -> tuple[BulkOperation | None, list[dict[str, Any]]]: ...

    def get(self, ref: str) -> BulkOperation | None: ...

    def current(self) -> BulkOperation | None: ...
