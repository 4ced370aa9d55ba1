"""make_state_store picks the implementation from the target, nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import boto3
import pytest

from shopsync.settings import Settings
from shopsync.state import RunStatus, make_state_store
from shopsync.state.dynamodb import DynamoDBStateStore
from shopsync.state.sqlite import SqliteStateStore

from .conftest import T0, TABLE

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient


def test_local_target_uses_sqlite_under_home(tmp_path: Path) -> None:
    settings = Settings(target="local", home=tmp_path / "nested" / "home")
    store = make_state_store(settings)
    assert isinstance(store, SqliteStateStore)
    try:
        assert store.path == tmp_path / "nested" / "home" / "state.sqlite"
        store.record_dispatch("acme", "run-1", "incremental", T0)
        assert settings.state_path.is_file()
    finally:
        store.close()


def test_local_target_from_the_environment() -> None:
    store = make_state_store(Settings())
    assert isinstance(store, SqliteStateStore)
    store.close()
    assert store.path.parent.name == "shopsync-home"  # SHOPSYNC_HOME from tests/conftest.py


def test_aws_target_uses_the_table_and_the_given_client(dynamodb_client: DynamoDBClient) -> None:
    settings = Settings(target="aws", state_table=TABLE)
    store = make_state_store(settings, dynamodb_client=dynamodb_client)
    assert isinstance(store, DynamoDBStateStore)
    assert store.table_name == TABLE
    assert store.client is dynamodb_client
    store.record_dispatch("acme", "run-1", "incremental", T0)
    assert store.get_tenant("acme").last_status is RunStatus.DISPATCHED


def test_aws_target_builds_no_client_until_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("client built eagerly")

    monkeypatch.setattr(boto3, "client", refuse)
    store = make_state_store(Settings(target="aws", region="us-east-2"))
    assert isinstance(store, DynamoDBStateStore)
    with pytest.raises(AssertionError, match="eagerly"):
        _ = store.client
