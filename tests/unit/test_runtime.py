"""shopsync.runtime: the one place that reads the target and builds its adapters."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from shopsync import runtime
from shopsync.schedule.invoker import LambdaInvoker, LocalInvoker
from shopsync.settings import Settings
from shopsync.shopify import AwsSecrets, LocalSecrets
from shopsync.state import RunStatus
from shopsync.state.dynamodb import DynamoDBStateStore, create_table
from shopsync.state.sqlite import SqliteStateStore
from shopsync.storage import LocalObjectStore, S3ObjectStore

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
TABLE = "shopsync-state-test"


def test_local_target_uses_sqlite_under_home(tmp_path: Path) -> None:
    settings = Settings(target="local", home=tmp_path / "nested" / "home")
    store = runtime.LocalRuntime(settings).state
    assert isinstance(store, SqliteStateStore)
    try:
        assert store.path == tmp_path / "nested" / "home" / "state.sqlite"
        store.record_dispatch("acme", "run-1", "incremental", T0)
        assert settings.state_path.is_file()
    finally:
        store.close()


def test_local_target_from_the_environment() -> None:
    built = runtime.for_settings(Settings())
    assert isinstance(built, runtime.LocalRuntime)
    assert isinstance(built.state, SqliteStateStore)
    assert built.state.path.parent.name == "shopsync-home"  # SHOPSYNC_HOME from tests/conftest.py
    assert runtime.for_settings(Settings()) is built  # cached: a warm process reuses it


def test_local_adapters(tmp_path: Path) -> None:
    built = runtime.LocalRuntime(Settings(home=tmp_path, raw_bucket="raw"))
    assert isinstance(built.raw_store, LocalObjectStore)
    assert built.raw_store.root == tmp_path / "lake" / "raw"
    assert isinstance(built.secrets, LocalSecrets)
    assert built.secrets.path == tmp_path / "secrets.json"
    assert isinstance(built.invoker(lambda payload: None), LocalInvoker)
    assert built.scheduler().glue is None  # the local safety net is `shopsync load`


def test_aws_target_uses_the_table_in_the_region() -> None:
    with mock_aws():
        create_table(boto3.client("dynamodb", region_name="us-east-2"), TABLE)
        built = runtime.for_settings(Settings(target="aws", state_table=TABLE, region="us-east-2"))
        assert isinstance(built, runtime.AwsRuntime)
        store = built.state
        assert isinstance(store, DynamoDBStateStore)
        assert store.table_name == TABLE
        store.record_dispatch("acme", "run-1", "incremental", T0)
        assert store.get_tenant("acme").last_status is RunStatus.DISPATCHED
    runtime.for_settings.cache_clear()


def test_aws_adapters_build_no_client_until_used(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("client built eagerly")

    monkeypatch.setattr(boto3, "client", refuse)
    built = runtime.AwsRuntime(Settings(target="aws", region="us-east-2", raw_bucket="raw"))
    store = built.state
    assert isinstance(store, DynamoDBStateStore)
    remote = built.raw_store
    assert isinstance(remote, S3ObjectStore)
    assert remote.uri("a/b") == "s3://raw/a/b"
    assert isinstance(built.secrets, AwsSecrets)
    assert isinstance(built.invoker(), LambdaInvoker)
    adapters = built.scheduler()
    assert adapters.glue is not None
    with pytest.raises(AssertionError, match="eagerly"):
        _ = store.client
    with pytest.raises(AssertionError, match="eagerly"):
        adapters.glue()


def test_the_core_never_reads_the_target() -> None:
    """Only shopsync.runtime (and the CLI's own output) may branch on settings.target."""
    root = Path(runtime.__file__).parents[1]
    readers = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if "settings.target" in path.read_text() and "runtime" not in path.parts
    )
    assert readers == ["cli/schedule.py"]  # prints the target it started the resync on
