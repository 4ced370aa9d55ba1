"""Fixtures for the state stores: each contract test runs against SQLite and DynamoDB (moto)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import boto3
import pytest
from moto import mock_aws

from shopsync.state import StateStore
from shopsync.state.dynamodb import DynamoDBStateStore, create_table
from shopsync.state.sqlite import SqliteStateStore

from .times import TABLE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


@pytest.fixture
def dynamodb_client() -> Iterator[DynamoDBClient]:
    """A moto DynamoDB client with the state table created."""
    with mock_aws():
        client = boto3.client("dynamodb", region_name="eu-west-1")
        create_table(client, TABLE)
        yield client


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStateStore]:
    with SqliteStateStore(tmp_path / "home" / "state.sqlite") as store:
        yield store


class SerializedClient:
    """A client proxy making one request at a time.

    moto's in-memory DynamoDB checks a condition and applies the write as separate Python
    steps, so racing threads can both pass a condition; real DynamoDB applies each
    conditional write atomically. Serializing the requests gives moto that guarantee, and
    leaves the store's own condition expressions as the only thing a race test exercises.
    """

    def __init__(self, client: DynamoDBClient) -> None:
        self._client = client
        self._lock = threading.Lock()

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._client, name)
        if not callable(attribute):
            return attribute

        def call(*args: Any, **kwargs: Any) -> Any:
            with self._lock:
                return attribute(*args, **kwargs)

        return call


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request: pytest.FixtureRequest) -> StateStore:
    if request.param == "sqlite":
        sqlite: SqliteStateStore = request.getfixturevalue("sqlite_store")
        return sqlite
    client: DynamoDBClient = request.getfixturevalue("dynamodb_client")
    return DynamoDBStateStore(TABLE, client=cast("DynamoDBClient", SerializedClient(client)))
