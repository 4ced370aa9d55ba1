"""Sync state in one DynamoDB table (single-table design, conditional writes).

The table layout (``pk = tenant#<tenant id>``; ``sk`` = ``meta`` | ``stream#<stream>`` |
``bulk#<stream>#<operation id>``) lives in :mod:`._dynamodb_items`. Every attribute is a
string; timestamps use the fixed-width UTC format of :mod:`._records`, so
``lease_expires_at <= :now`` in a condition expression compares instants.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

import boto3
from botocore.exceptions import BotoCoreError, ClientError

from ._dynamodb_items import (
    BULK_PREFIX,
    META,
    PK,
    SK,
    STREAM_PREFIX,
    TENANT_PREFIX,
    bulk_sk,
    create_table,
    error_code,
    fields_of,
    item_key,
    update_request,
)
from ._records import (
    LEASE_FIELDS,
    bulk_from_fields,
    bulk_sort_key,
    bulk_to_fields,
    lease_expiry,
    points_field,
    stream_commit_fields,
    stream_from_fields,
    tenant_from_fields,
    to_iso,
    truncate_error,
)
from .base import (
    BulkOperationRecord,
    Cursor,
    LeaseLostError,
    RunStatus,
    StateError,
    StreamState,
    TenantState,
)

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        KeysAndAttributesTypeDef,
        QueryInputTypeDef,
        TransactWriteItemTypeDef,
        UpdateTypeDef,
    )

    from ._dynamodb_items import Item, Key

__all__ = ["DynamoDBStateStore", "create_table"]

BATCH_GET_SIZE = 100  # DynamoDB's BatchGetItem limit
BATCH_GET_ATTEMPTS = 8
_MAX_TRANSACTION_ITEMS = 100
_HOLDER = "#lease_run_id = :holder"
_FREE_EXPIRED_OR_OURS = (
    "attribute_not_exists(#lease_run_id) OR #lease_expires_at <= :now OR #lease_run_id = :holder"
)
_sleep = time.sleep  # replaced in tests


class DynamoDBStateStore:
    """:class:`~shopsync.state.base.StateStore` over one DynamoDB table."""

    def __init__(
        self, table_name: str, *, client: DynamoDBClient | None = None, region: str | None = None
    ) -> None:
        self._table = table_name
        self._region = region
        self._client = client
        self._client_lock = threading.Lock()

    @property
    def table_name(self) -> str:
        return self._table

    @property
    def client(self) -> DynamoDBClient:
        """The client passed in, or one created on first use (never at import)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    self._client = boto3.client("dynamodb", region_name=self._region)
        return self._client

    # -- tenants ---------------------------------------------------------------------------

    def get_tenant(self, tenant_id: str) -> TenantState:
        with self._errors(tenant_id, "read the state"):
            response = self.client.get_item(
                TableName=self._table, Key=item_key(tenant_id, META), ConsistentRead=True
            )
        return tenant_from_fields(tenant_id, fields_of(response.get("Item", {})))

    def get_tenants(self, tenant_ids: Sequence[str]) -> dict[str, TenantState]:
        ids = list(dict.fromkeys(tenant_ids))  # BatchGetItem rejects duplicate keys
        found: dict[str, TenantState] = {}
        for start in range(0, len(ids), BATCH_GET_SIZE):
            chunk = ids[start : start + BATCH_GET_SIZE]
            for item in self._batch_get([item_key(t, META) for t in chunk], chunk):
                tenant_id = item[PK].get("S", "").removeprefix(TENANT_PREFIX)
                found[tenant_id] = tenant_from_fields(tenant_id, fields_of(item))
        return {t: found.get(t) or TenantState(tenant_id=t) for t in ids}

    def record_dispatch(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None:
        fields = {
            "last_run_id": run_id,
            "last_mode": mode,
            "last_dispatched_at": to_iso(at),
            "last_status": RunStatus.DISPATCHED.value,
            "last_error": None,
            "last_points": None,
        }
        self._update_item(
            tenant_id, "record the dispatch", update_request(self._table, tenant_id, META, fields)
        )

    def record_run_started(self, tenant_id: str, run_id: str, mode: str, at: datetime) -> None:
        fields = {
            "last_run_id": run_id,
            "last_mode": mode,
            "last_started_at": to_iso(at),
            "last_status": RunStatus.RUNNING.value,
            "last_error": None,
            "last_points": None,
        }
        self._update_item(
            tenant_id, "record the start", update_request(self._table, tenant_id, META, fields)
        )

    def record_run_failed(
        self,
        tenant_id: str,
        run_id: str,
        finished_at: datetime,
        error: str,
        *,
        points: float | None = None,
    ) -> None:
        fields: dict[str, str | None] = {
            "last_run_id": run_id,
            "last_finished_at": to_iso(finished_at),
            "last_status": RunStatus.FAILED.value,
            "last_error": truncate_error(error),
            "last_points": points_field(points),
        }
        # Release the lease in the same write if this run holds it; otherwise record only.
        releasing = update_request(
            self._table,
            tenant_id,
            META,
            {**fields, **dict.fromkeys(LEASE_FIELDS)},
            condition=_HOLDER,
            values={":holder": run_id},
        )
        if not self._update_item(tenant_id, "record the failure", releasing):
            plain = update_request(self._table, tenant_id, META, fields)
            self._update_item(tenant_id, "record the failure", plain)

    # -- lease -----------------------------------------------------------------------------

    def acquire_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> bool:
        now_iso = to_iso(now)
        fields = {
            "lease_run_id": run_id,
            "lease_acquired_at": now_iso,
            "lease_expires_at": lease_expiry(now, ttl),
        }
        update = update_request(
            self._table,
            tenant_id,
            META,
            fields,
            condition=_FREE_EXPIRED_OR_OURS,
            values={":now": now_iso, ":holder": run_id},
        )
        return self._update_item(tenant_id, "acquire the lease", update)

    def renew_lease(self, tenant_id: str, run_id: str, now: datetime, ttl: timedelta) -> None:
        update = update_request(
            self._table,
            tenant_id,
            META,
            {"lease_expires_at": lease_expiry(now, ttl)},
            condition=_HOLDER,
            values={":holder": run_id},
        )
        if not self._update_item(tenant_id, "renew the lease", update):
            raise LeaseLostError(f"run {run_id!r} does not hold the lease of {tenant_id!r}")

    def release_lease(self, tenant_id: str, run_id: str) -> None:
        update = update_request(
            self._table,
            tenant_id,
            META,
            dict.fromkeys(LEASE_FIELDS),
            condition=_HOLDER,
            values={":holder": run_id},
        )
        self._update_item(tenant_id, "release the lease", update)

    # -- streams ---------------------------------------------------------------------------

    def get_streams(self, tenant_id: str) -> dict[str, StreamState]:
        streams: dict[str, StreamState] = {}
        for item in self._query(tenant_id, STREAM_PREFIX):
            fields = fields_of(item)
            name = fields.get("stream") or item[SK].get("S", "").removeprefix(STREAM_PREFIX)
            streams[name] = stream_from_fields(tenant_id, name, fields)
        return dict(sorted(streams.items()))

    def commit_run(
        self,
        tenant_id: str,
        run_id: str,
        status: RunStatus,
        finished_at: datetime,
        cursors: Mapping[str, Cursor],
        *,
        release: bool = True,
        points: float | None = None,
    ) -> None:
        if len(cursors) + 1 > _MAX_TRANSACTION_ITEMS:
            raise StateError(
                f"cannot commit {len(cursors)} streams of tenant {tenant_id!r} in one transaction"
                f" (at most {_MAX_TRANSACTION_ITEMS - 1})"
            )
        meta: dict[str, str | None] = {
            "last_run_id": run_id,
            "last_status": status.value,
            "last_finished_at": to_iso(finished_at),
            "last_error": None,
            "last_points": points_field(points),
        }
        if release:
            meta.update(dict.fromkeys(LEASE_FIELDS))
        items: list[TransactWriteItemTypeDef] = [
            {
                "Update": update_request(
                    self._table,
                    tenant_id,
                    META,
                    meta,
                    condition=_HOLDER,
                    values={":holder": run_id},
                )
            }
        ]
        for stream, cursor in cursors.items():
            fields = {"stream": stream, **stream_commit_fields(cursor, run_id, status)}
            items.append(
                {"Update": update_request(self._table, tenant_id, STREAM_PREFIX + stream, fields)}
            )
        try:
            self.client.transact_write_items(TransactItems=items)
        except ClientError as exc:
            reasons = exc.response.get("CancellationReasons") or []
            if error_code(exc) == "TransactionCanceledException" and any(
                r.get("Code") == "ConditionalCheckFailed" for r in reasons
            ):
                raise LeaseLostError(
                    f"run {run_id!r} does not hold the lease of {tenant_id!r}; nothing committed"
                ) from exc
            raise self._error(exc, tenant_id, "commit the run") from exc
        except BotoCoreError as exc:
            raise self._error(exc, tenant_id, "commit the run") from exc

    # -- bulk operations -------------------------------------------------------------------

    def put_bulk_operation(self, record: BulkOperationRecord) -> None:
        fields = {"stream": record.stream, "operation_id": record.operation_id}
        fields.update((k, v) for k, v in bulk_to_fields(record).items() if v is not None)
        item = {name: {"S": value} for name, value in fields.items()}
        item_id = item_key(record.tenant_id, bulk_sk(record.stream, record.operation_id))
        with self._errors(record.tenant_id, "record the bulk operation"):
            self.client.put_item(TableName=self._table, Item={**item_id, **item})

    def list_bulk_operations(self, tenant_id: str) -> list[BulkOperationRecord]:
        records = []
        for item in self._query(tenant_id, BULK_PREFIX):
            fields = fields_of(item)
            stream, operation_id = fields.get("stream"), fields.get("operation_id")
            if stream is None or operation_id is None:
                raise StateError(f"malformed bulk operation item {item[SK]} of {tenant_id!r}")
            records.append(bulk_from_fields(tenant_id, stream, operation_id, fields))
        return sorted(records, key=bulk_sort_key)

    def delete_bulk_operation(self, tenant_id: str, stream: str, operation_id: str) -> None:
        with self._errors(tenant_id, "delete the bulk operation"):
            self.client.delete_item(
                TableName=self._table, Key=item_key(tenant_id, bulk_sk(stream, operation_id))
            )

    # -- plumbing --------------------------------------------------------------------------

    def _update_item(self, tenant_id: str, action: str, update: UpdateTypeDef) -> bool:
        """Run one UpdateItem; ``False`` if its condition failed."""
        try:
            self.client.update_item(**update)
        except ClientError as exc:
            if error_code(exc) == "ConditionalCheckFailedException":
                return False
            raise self._error(exc, tenant_id, action) from exc
        except BotoCoreError as exc:
            raise self._error(exc, tenant_id, action) from exc
        return True

    def _batch_get(self, keys: list[Key], tenant_ids: Sequence[str]) -> list[Item]:
        """One BatchGetItem, with ``UnprocessedKeys`` retried under capped, jittered backoff."""
        label = (
            tenant_ids[0] if len(tenant_ids) == 1 else f"{tenant_ids[0]} (+{len(tenant_ids) - 1})"
        )
        request: KeysAndAttributesTypeDef = {"Keys": keys, "ConsistentRead": True}
        items: list[Item] = []
        for attempt in range(BATCH_GET_ATTEMPTS):
            if attempt:
                _sleep(random.uniform(0, min(2.0, 0.05 * 2**attempt)))
            with self._errors(label, "read the state"):
                response = self.client.batch_get_item(RequestItems={self._table: request})
            items.extend(response.get("Responses", {}).get(self._table, []))
            unprocessed = response.get("UnprocessedKeys", {}).get(self._table)
            if unprocessed is None or not unprocessed["Keys"]:
                return items
            request = {"Keys": unprocessed["Keys"], "ConsistentRead": True}
        raise StateError(
            f"cannot read the state of tenant {label}: {len(request['Keys'])} keys still"
            f" unprocessed after {BATCH_GET_ATTEMPTS} attempts"
        )

    def _query(self, tenant_id: str, sk_prefix: str) -> Iterator[Item]:
        """Every item of one tenant whose sort key starts with ``sk_prefix``, all pages."""
        request: QueryInputTypeDef = {
            "TableName": self._table,
            "KeyConditionExpression": "#pk = :pk AND begins_with(#sk, :prefix)",
            "ExpressionAttributeNames": {"#pk": PK, "#sk": SK},
            "ExpressionAttributeValues": {
                ":pk": {"S": TENANT_PREFIX + tenant_id},
                ":prefix": {"S": sk_prefix},
            },
            "ConsistentRead": True,
        }
        while True:
            with self._errors(tenant_id, "query the state"):
                response = self.client.query(**request)
            yield from response.get("Items", [])
            if "LastEvaluatedKey" not in response:
                return
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    @contextmanager
    def _errors(self, tenant_id: str, action: str) -> Iterator[None]:
        try:
            yield
        except (ClientError, BotoCoreError) as exc:
            raise self._error(exc, tenant_id, action) from exc

    def _error(self, exc: ClientError | BotoCoreError, tenant_id: str, action: str) -> StateError:
        return StateError(f"cannot {action} of tenant {tenant_id!r} (table {self._table!r}): {exc}")
