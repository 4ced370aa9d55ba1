"""DynamoDB specifics: table and item layout, batching, retries, error mapping, lazy client."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest
from botocore.stub import Stubber

from shopsync.state import Cursor, LeaseLostError, RunStatus, StateError, TenantState
from shopsync.state import dynamodb as dynamodb_module
from shopsync.state.dynamodb import DynamoDBStateStore, create_table

from .test_contract import bulk
from .times import T0, TABLE, TTL

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def test_table_key_schema_and_billing(dynamodb_client: DynamoDBClient) -> None:
    table = dynamodb_client.describe_table(TableName=TABLE)["Table"]
    assert table["KeySchema"] == [
        {"AttributeName": "pk", "KeyType": "HASH"},
        {"AttributeName": "sk", "KeyType": "RANGE"},
    ]
    assert table["BillingModeSummary"]["BillingMode"] == "PAY_PER_REQUEST"
    create_table(dynamodb_client, TABLE)  # a second call leaves the table alone
    assert dynamodb_client.list_tables()["TableNames"] == [TABLE]


def test_item_layout(dynamodb_client: DynamoDBClient) -> None:
    store = DynamoDBStateStore(TABLE, client=dynamodb_client)
    assert store.acquire_lease("acme", "run-1", T0, TTL)
    store.commit_run(
        "acme", "run-1", RunStatus.SUCCEEDED, T0, {"orders": Cursor(updated_at=T0)}, release=False
    )
    store.put_bulk_operation(bulk("acme", "orders", "7", 1))

    items = dynamodb_client.scan(TableName=TABLE)["Items"]
    keys = sorted((i["pk"]["S"], i["sk"]["S"]) for i in items)
    assert keys == [
        ("tenant#acme", "bulk#orders#gid://shopify/BulkOperation/7"),
        ("tenant#acme", "meta"),
        ("tenant#acme", "stream#orders"),
    ]
    meta = next(i for i in items if i["sk"]["S"] == "meta")
    assert meta["lease_run_id"] == {"S": "run-1"}
    assert meta["lease_expires_at"] == {"S": "2026-03-01T12:10:00.000000Z"}
    assert meta["last_status"] == {"S": "succeeded"}


class RecordingClient:
    """Delegates to moto; records BatchGetItem sizes and withholds keys ``withhold`` times."""

    def __init__(self, client: DynamoDBClient, withhold: int = 0) -> None:
        self._client = client
        self.withhold = withhold
        self.batch_sizes: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)

    def batch_get_item(self, **kwargs: Any) -> Any:
        keys = kwargs["RequestItems"][TABLE]["Keys"]
        assert kwargs["RequestItems"][TABLE]["ConsistentRead"] is True
        self.batch_sizes.append(len(keys))
        if self.withhold:
            self.withhold -= 1
            half = len(keys) // 2
            response: dict[str, Any] = {"Responses": {TABLE: []}}
            if half:
                served = dict(kwargs, RequestItems={TABLE: {"Keys": keys[:half]}})
                response = dict(self._client.batch_get_item(**served))
            response["UnprocessedKeys"] = {TABLE: {"Keys": keys[half:]}}
            return response
        return self._client.batch_get_item(**kwargs)


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    recorded: list[float] = []
    monkeypatch.setattr(dynamodb_module, "_sleep", recorded.append)
    return recorded


def test_get_tenants_batches_by_one_hundred(dynamodb_client: DynamoDBClient) -> None:
    recording = RecordingClient(dynamodb_client)
    store = DynamoDBStateStore(TABLE, client=cast("DynamoDBClient", recording))
    states = store.get_tenants([f"shop-{i}" for i in range(250)])
    assert recording.batch_sizes == [100, 100, 50]
    assert len(states) == 250


def test_unprocessed_keys_are_retried_with_backoff(
    dynamodb_client: DynamoDBClient, sleeps: list[float]
) -> None:
    ids = [f"shop-{i}" for i in range(120)]
    writer = DynamoDBStateStore(TABLE, client=dynamodb_client)
    for tenant_id in ids:
        writer.record_dispatch(tenant_id, f"run-{tenant_id}", "incremental", T0)
    recording = RecordingClient(dynamodb_client, withhold=3)
    store = DynamoDBStateStore(TABLE, client=cast("DynamoDBClient", recording))

    states = store.get_tenants(ids)

    assert all(states[t].last_run_id == f"run-{t}" for t in ids)
    assert recording.batch_sizes == [100, 50, 25, 13, 20]
    assert len(sleeps) == 3
    assert all(0 <= s <= 2.0 for s in sleeps)


def test_keys_left_unprocessed_too_long_is_a_state_error(
    dynamodb_client: DynamoDBClient, sleeps: list[float]
) -> None:
    recording = RecordingClient(dynamodb_client, withhold=1_000)
    store = DynamoDBStateStore(TABLE, client=cast("DynamoDBClient", recording))
    with pytest.raises(StateError, match="unprocessed"):
        store.get_tenants([f"shop-{i}" for i in range(100)])
    assert len(recording.batch_sizes) == dynamodb_module.BATCH_GET_ATTEMPTS
    assert len(sleeps) == dynamodb_module.BATCH_GET_ATTEMPTS - 1


@pytest.mark.parametrize(
    "call",
    [
        pytest.param(lambda s: s.get_tenant("acme"), id="get_tenant"),
        pytest.param(lambda s: s.get_tenants(["acme"]), id="get_tenants"),
        pytest.param(lambda s: s.get_streams("acme"), id="get_streams"),
        pytest.param(lambda s: s.acquire_lease("acme", "r", T0, TTL), id="acquire_lease"),
        pytest.param(lambda s: s.renew_lease("acme", "r", T0, TTL), id="renew_lease"),
        pytest.param(lambda s: s.release_lease("acme", "r"), id="release_lease"),
        pytest.param(lambda s: s.record_dispatch("acme", "r", "m", T0), id="record_dispatch"),
        pytest.param(lambda s: s.record_run_failed("acme", "r", T0, "e"), id="record_run_failed"),
        pytest.param(
            lambda s: s.commit_run("acme", "r", RunStatus.SUCCEEDED, T0, {}), id="commit_run"
        ),
        pytest.param(lambda s: s.list_bulk_operations("acme"), id="list_bulk_operations"),
        pytest.param(lambda s: s.delete_bulk_operation("acme", "o", "1"), id="delete_bulk"),
    ],
)
def test_client_errors_become_state_errors_naming_the_tenant(
    dynamodb_client: DynamoDBClient, call: Any
) -> None:
    store = DynamoDBStateStore("no-such-table", client=dynamodb_client)
    with pytest.raises(StateError, match="'acme'") as caught:
        call(store)
    assert not isinstance(caught.value, LeaseLostError)
    assert "ResourceNotFound" in str(caught.value)


def _stubbed_store() -> tuple[DynamoDBStateStore, Stubber]:
    client = boto3.client("dynamodb", region_name="eu-west-1")
    return DynamoDBStateStore(TABLE, client=client), Stubber(client)


@pytest.mark.parametrize(
    ("reasons", "expected"),
    [
        ([{"Code": "ConditionalCheckFailed"}, {"Code": "None"}], LeaseLostError),
        ([{"Code": "None"}, {"Code": "TransactionConflict"}], StateError),
        (None, StateError),
    ],
)
def test_transaction_cancellation_mapping(
    reasons: list[dict[str, str]] | None, expected: type[StateError]
) -> None:
    store, stubber = _stubbed_store()
    if reasons is None:
        stubber.add_client_error("transact_write_items", service_error_code="InternalServerError")
    else:
        stubber.add_client_error(
            "transact_write_items",
            service_error_code="TransactionCanceledException",
            modeled_fields={"CancellationReasons": reasons},
        )
    with stubber, pytest.raises(StateError, match="'acme'") as caught:
        store.commit_run("acme", "r", RunStatus.SUCCEEDED, T0, {"orders": Cursor(updated_at=T0)})
    assert type(caught.value) is expected
    stubber.assert_no_pending_responses()


def test_an_unexpected_error_on_a_lease_write_is_a_state_error_not_a_refusal() -> None:
    store, stubber = _stubbed_store()
    stubber.add_client_error("update_item", service_error_code="ValidationException")
    with stubber, pytest.raises(StateError, match="acquire the lease"):
        store.acquire_lease("acme", "r", T0, TTL)


def test_commit_of_too_many_streams_is_refused_before_any_call() -> None:
    store, stubber = _stubbed_store()
    cursors = {f"s{i}": Cursor(updated_at=T0) for i in range(100)}
    with stubber, pytest.raises(StateError, match="at most 99"):
        store.commit_run("acme", "r", RunStatus.SUCCEEDED, T0, cursors)


def test_client_is_created_lazily_with_the_region(
    monkeypatch: pytest.MonkeyPatch, dynamodb_client: DynamoDBClient
) -> None:
    created: list[tuple[str, str | None]] = []

    def fake_client(service: str, region_name: str | None = None) -> DynamoDBClient:
        created.append((service, region_name))
        return dynamodb_client

    monkeypatch.setattr(boto3, "client", fake_client)
    store = DynamoDBStateStore(TABLE, region="eu-central-1")
    assert created == []
    assert store.get_tenant("acme") == TenantState(tenant_id="acme")
    store.get_tenant("acme")
    assert created == [("dynamodb", "eu-central-1")]
