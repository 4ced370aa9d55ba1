"""Shared fixtures: no test ever sees real AWS credentials or a developer's environment."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.support.paths import EXAMPLE_TENANTS_DIR

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

_AWS_ENV = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ENDPOINT_URL",
)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Fake AWS credentials, no SHOPSYNC_* leaking in, SHOPSYNC_HOME in a temp dir."""
    for name in _AWS_ENV:
        monkeypatch.delenv(name, raising=False)
    for name in [n for n in os.environ if n.startswith("SHOPSYNC_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "eu-west-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("SHOPSYNC_HOME", str(tmp_path / "shopsync-home"))
    monkeypatch.setenv("POWERTOOLS_SERVICE_NAME", "shopsync-test")
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "shopsync-test")
    monkeypatch.setenv("POWERTOOLS_TRACE_DISABLED", "true")


@pytest.fixture
def example_tenants_dir() -> Path:
    return EXAMPLE_TENANTS_DIR


@pytest.fixture(scope="session")
def spark() -> SparkSession:
    """One Spark session (local[2], 2 shuffle partitions, UI off) for every Spark test."""
    from shopsync_glue.session import local_session

    return local_session("local[2]", 2)
