"""Bulk operations of one shop: create, run in the background, cancel, serve the JSONL.

The query runs page by page (the top-level connection in chunks, nested connections whole), so
memory stays bounded whatever the store's size. Lines are flattened as Shopify does: nested
connection nodes become their own lines with ``__parentId``. With ``groupObjects: true`` a
child follows its parent directly; otherwise children of a chunk come after all its parents.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, urlencode

from graphql import DocumentNode, execute_sync, parse, validate

from shopsync_simulator.bulk.operations import IN_PROGRESS, BulkOperation, BulkPaging
from shopsync_simulator.bulk.rules import bulk_query_errors
from shopsync_simulator.bulk.timing import INSTANT, BulkTiming
from shopsync_simulator.faults import FaultInjector
from shopsync_simulator.graphql.resolvers import ExecContext, field_resolver
from shopsync_simulator.graphql.schema import AdminSchema, admin_schema
from shopsync_simulator.store.store import Store

URL_TTL = 7 * 86_400


class BulkManager:
    def __init__(
        self,
        store: Store,
        directory: Path,
        base_url: Callable[[], str],
        signing_key: bytes,
        scopes: frozenset[str],
    ) -> None:
        self.store = store
        self.directory = directory
        self._base_url = base_url
        self._key = signing_key
        self._scopes = scopes
        self._lock = threading.Lock()
        self.operations: list[BulkOperation] = []
        self._threads: list[threading.Thread] = []
        self.on_chunk: Callable[[BulkOperation], None] | None = None  # test hook
        self.faults: FaultInjector | None = None
        #: How fast operations produce results (:mod:`.timing`), and the simulator's speed.
        self.timing: BulkTiming = INSTANT
        self.speed = 1.0

    # -- create / cancel ----------------------------------------------------------------------
    def run_query(
        self, query: str, group_objects: bool, version: str
    ) -> tuple[dict[str, Any] | None, list[dict[str, Any]]]:
        """Create and start an operation: (its record as created, user errors)."""
        admin = admin_schema(version)
        try:
            document = parse(query)
        except Exception as exc:  # graphql syntax errors of the inner query are user errors
            return None, [_user_error(f"Invalid bulk query: {exc}")]
        problems = [e.message for e in validate(admin.schema, document)]
        problems = problems or bulk_query_errors(admin.schema, document)
        if problems:
            return None, [_user_error(p) for p in problems]
        limit = 5 if admin.version >= "2026-01" else 1
        with self._lock:
            running = [op for op in self.operations if op.status in IN_PROGRESS]
            if len(running) >= limit:
                message = (
                    f"A bulk query operation for this app and shop is already in progress: "
                    f"{running[0].id}."
                )
                return None, [_user_error(message, "OPERATION_IN_PROGRESS")]
            op = BulkOperation(
                index=len(self.operations),
                query=query,
                group_objects=group_objects,
                version=admin.version,
                created_at=self.store.clock.stamp(),
            )
            self.operations.append(op)
        snapshot = op.record()  # the answer says CREATED, however fast the run is
        denied = admin.scope_errors(document, self._scopes)
        if denied:
            op.status, op.error_code, op.completed_at = "FAILED", "ACCESS_DENIED", op.created_at
            return snapshot, []
        thread = threading.Thread(target=self._run, args=(op, admin, document), daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()
        return snapshot, []

    def close(self, timeout: float = 10.0) -> None:
        """Cancel every operation still running and wait for its thread, so the simulator can
        remove the JSONL directory without a run still writing into it."""
        for op in self.operations:
            op.cancel.set()
        with self._lock:
            threads, self._threads = self._threads, []
        for thread in threads:
            thread.join(timeout)

    def cancel(self, ref: str) -> tuple[BulkOperation | None, list[dict[str, Any]]]:
        op = self.get(ref)
        if op is None:
            return None, [{"field": ["id"], "message": "Bulk operation does not exist"}]
        if op.status not in IN_PROGRESS:
            message = f"A bulk operation cannot be canceled when it is {op.status.lower()}"
            return op, [{"field": ["id"], "message": message}]
        op.status = "CANCELING"
        op.cancel.set()
        return op, []

    def get(self, ref: str) -> BulkOperation | None:
        return next((op for op in self.operations if op.id == ref), None)

    def current(self) -> BulkOperation | None:
        return self.operations[-1] if self.operations else None

    # -- running ----------------------------------------------------------------------------------
    def path(self, op: BulkOperation) -> Path:
        return self.directory / f"{op.index}.jsonl"

    def _running(self) -> int:
        with self._lock:
            return sum(1 for op in self.operations if op.status == "RUNNING")

    def _pace(self, op: BulkOperation, started: float, simulated: float, objects: int) -> float:
        """Wait until the operation has taken as long as producing ``objects`` more takes at
        the rate of the operations running now; the simulated seconds spent so far."""
        rate = self.timing.rate(self._running())
        if rate <= 0:
            return simulated
        simulated += objects / rate
        ahead = simulated / self.speed - (time.monotonic() - started)
        if ahead > 0:
            op.cancel.wait(ahead)
        return simulated

    def _run(self, op: BulkOperation, admin: AdminSchema, document: DocumentNode) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if self.timing.startup_seconds > 0:
            op.cancel.wait(self.timing.startup_seconds / self.speed)  # CREATED until then
        op.status = "RUNNING"
        fault = self.faults.profile.bulk if self.faults is not None else None
        if fault == "stuck" and self.faults is not None:
            self.faults.count("bulk_stuck")
            op.cancel.wait()  # RUNNING until someone cancels it
            op.status, op.completed_at = "CANCELED", self.store.clock.now()
            return
        paging = BulkPaging()
        started, simulated = time.monotonic(), 0.0
        with self.path(op).open("w", encoding="utf-8") as out:
            while True:
                if self.on_chunk is not None:
                    self.on_chunk(op)
                if op.cancel.is_set():
                    op.status, op.completed_at = "CANCELED", self.store.clock.now()
                    return
                result = execute_sync(
                    admin.schema,
                    document,
                    root_value={},
                    context_value=ExecContext(
                        self.store, admin.version, bulk=paging, scopes=self._scopes
                    ),
                    field_resolver=field_resolver,
                )
                if result.errors or result.data is None:
                    out.flush()
                    op.error_code = "INTERNAL_SERVER_ERROR"
                    self._finish(op, "FAILED", partial=True)
                    return
                before = op.object_count
                self._write(op, result.data, out)
                simulated = self._pace(op, started, simulated, op.object_count - before)
                if fault == "failed" and self.faults is not None:
                    self.faults.count("bulk_failed")
                    out.flush()
                    op.error_code = "INTERNAL_SERVER_ERROR"
                    self._finish(op, "FAILED", partial=True)
                    return
                if paging.next_after is None:
                    break
                paging.after, paging.next_after = paging.next_after, None
        self._finish(op, "COMPLETED")

    def _finish(self, op: BulkOperation, status: str, *, partial: bool = False) -> None:
        op.file_size = self.path(op).stat().st_size
        try:
            url = self.signed_url(op) if op.object_count else None
        except RuntimeError:  # the simulator stopped while the operation ran: no one can fetch it
            url = None
        if partial:
            op.partial_data_url = url
        else:
            op.url = url
        op.completed_at = self.store.clock.now()
        op.status = status

    def _write(self, op: BulkOperation, data: dict[str, Any], out: IO[str]) -> None:
        later: list[str] = []
        for conn in data.values():
            for node in _nodes(conn):
                op.root_object_count += 1
                self._emit(op, node, None, out, later)
        for line in later:
            out.write(line)

    def _emit(
        self,
        op: BulkOperation,
        node: dict[str, Any],
        parent: str | None,
        out: IO[str],
        later: list[str],
    ) -> None:
        children: list[dict[str, Any]] = []
        flat: dict[str, Any] = {}
        for key, value in node.items():
            if _is_connection_value(value):
                children += _nodes(value)
            else:
                flat[key] = value
        if parent is not None:
            flat["__parentId"] = parent
        line = json.dumps(flat, separators=(",", ":"), ensure_ascii=False) + "\n"
        (out.write(line) if op.group_objects or parent is None else later.append(line))
        op.object_count += 1
        for child in children:
            self._emit(op, child, node.get("id"), out, later)

    # -- signed URLs ------------------------------------------------------------------------------
    def signed_url(self, op: BulkOperation) -> str:
        expires = int(time.time()) + URL_TTL
        path = f"/bulk-files/{self.store.spec.shop}/{op.index}.jsonl"
        query = urlencode(
            {
                "expires": expires,
                "signature": self._sign(path, expires),
                "response-content-disposition": f'attachment; filename="bulk-{op.index}.jsonl"',
            },
            quote_via=quote,
        )
        return f"{self._base_url()}{path}?{query}"

    def _sign(self, path: str, expires: int) -> str:
        return hmac.new(self._key, f"{path}:{expires}".encode(), hashlib.sha256).hexdigest()

    def verify(self, path: str, expires: str, signature: str) -> bool:
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(self._sign(path, int(expires)), signature)


def _user_error(message: str, code: str = "INVALID") -> dict[str, Any]:
    return {"field": ["query"], "message": message, "code": code}


def _is_connection_value(value: Any) -> bool:
    return isinstance(value, dict) and (
        isinstance(value.get("edges"), list) or isinstance(value.get("nodes"), list)
    )


def _nodes(conn: Any) -> list[dict[str, Any]]:
    if not isinstance(conn, dict):
        return []
    if isinstance(conn.get("nodes"), list):
        return [n for n in conn["nodes"] if isinstance(n, dict)]
    edges = conn.get("edges") or []
    return [e["node"] for e in edges if isinstance(e, dict) and isinstance(e.get("node"), dict)]
