"""Start an ingestion run without waiting for it: Lambda async invoke, or a local thread pool."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import boto3

from shopsync.logcontext import log_context
from shopsync.schedule.payload import IngestionPayload

if TYPE_CHECKING:
    from mypy_boto3_lambda import LambdaClient

log = logging.getLogger(__name__)

EntryPoint = Callable[[IngestionPayload], Any]


class InvokeError(RuntimeError):
    """The run could not be handed over; nothing was started for that tenant."""


class Invoker(Protocol):
    def invoke(self, payload: IngestionPayload) -> None:
        """Hand the run over and return at once; :class:`InvokeError` if that failed."""
        ...


class LambdaInvoker:
    """Asynchronous invoke (``InvocationType="Event"``) of the deployed ingestion function."""

    def __init__(
        self, function_name: str, *, client: LambdaClient | None = None, region: str | None = None
    ) -> None:
        self.function_name = function_name
        self._client = client
        self._region = region

    @property
    def client(self) -> LambdaClient:
        if self._client is None:
            self._client = boto3.client("lambda", region_name=self._region)
        return self._client

    def invoke(self, payload: IngestionPayload) -> None:
        body = payload.model_dump_json().encode()
        try:
            response = self.client.invoke(
                FunctionName=self.function_name, InvocationType="Event", Payload=body
            )
        except Exception as exc:  # botocore raises many types; the tenant's run did not start
            raise InvokeError(
                f"tenant {payload.tenant_id}: invoking {self.function_name} failed: {exc}"
            ) from exc
        status = response.get("StatusCode")
        if status != 202:
            raise InvokeError(
                f"tenant {payload.tenant_id}: {self.function_name} answered {status}, not 202"
            )


@dataclass
class LocalRun:
    payload: IngestionPayload
    future: Future[Any]


@dataclass
class LocalInvoker:
    """Runs the ingestion entry point in-process on a bounded thread pool.

    ``invoke`` returns at once, as a Lambda async invoke does; :meth:`wait` blocks until every
    run handed over so far has finished and returns them. A run's exception is logged with its
    tenant id and kept on its future; it never reaches the caller of ``invoke``.
    """

    entry_point: EntryPoint
    max_workers: int = 4
    runs: list[LocalRun] = field(default_factory=list)
    _pool: ThreadPoolExecutor | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def invoke(self, payload: IngestionPayload) -> None:
        # Round-trip through JSON exactly as Lambda does, so local runs see the same payload.
        wire = IngestionPayload.model_validate(json.loads(payload.model_dump_json()))
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(self.max_workers, thread_name_prefix="ingest")
            future = self._pool.submit(self._run, wire)
            self.runs.append(LocalRun(wire, future))

    def _run(self, payload: IngestionPayload) -> Any:
        with log_context(tenant_id=payload.tenant_id, run_id=payload.run_id):
            try:
                return self.entry_point(payload)
            except Exception:
                log.exception("ingestion run failed")
                raise

    def wait(self) -> list[LocalRun]:
        with self._lock:
            runs = list(self.runs)
        for run in runs:
            run.future.exception()  # blocks; the outcome stays on the future
        return runs

    def close(self) -> None:
        self.wait()
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def __enter__(self) -> LocalInvoker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
