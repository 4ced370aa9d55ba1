"""``shopsync load --target aws`` starts the deployed Glue load job (moto)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws
from typer.testing import CliRunner

from shopsync import runtime
from shopsync.cli import app

JOB = "shopsync-test-load"


@pytest.fixture
def glue(monkeypatch: pytest.MonkeyPatch, example_tenants_dir: Path) -> Iterator[Any]:
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(example_tenants_dir))
    monkeypatch.setenv("SHOPSYNC_LOAD_JOB", JOB)
    monkeypatch.setenv("SHOPSYNC_REGION", "eu-west-1")
    runtime.for_settings.cache_clear()
    with mock_aws():
        client = boto3.client("glue", region_name="eu-west-1")
        client.create_job(
            Name=JOB,
            Role="arn:aws:iam::123456789012:role/glue",
            Command={"Name": "glueetl", "ScriptLocation": "s3://artifacts/glue/load.py"},
        )
        yield client
    runtime.for_settings.cache_clear()


def _runs(glue: Any) -> list[dict[str, Any]]:
    runs: list[dict[str, Any]] = glue.get_job_runs(JobName=JOB)["JobRuns"]
    return runs


def test_load_on_aws_starts_the_job_for_one_tenant(glue: Any) -> None:
    result = CliRunner().invoke(app, ["load", "--target", "aws", "--tenant", "acme_outdoor"])
    assert result.exit_code == 0, result.output
    [run] = _runs(glue)
    assert run["Arguments"] == {"--tenant": "acme_outdoor"}
    assert f"started {JOB} run {run['Id']}" in result.stdout


def test_load_on_aws_passes_the_safety_net_age(glue: Any) -> None:
    result = CliRunner().invoke(app, ["load", "--target", "aws", "--older-than-minutes", "45"])
    assert result.exit_code == 0, result.output
    assert _runs(glue)[0]["Arguments"] == {"--older_than_minutes": "45"}


def test_load_on_aws_refuses_an_unknown_tenant_and_starts_nothing(glue: Any) -> None:
    result = CliRunner().invoke(app, ["load", "--target", "aws", "--tenant", "acme"])
    assert result.exit_code == 2
    assert _runs(glue) == []


def test_load_on_aws_names_the_job_when_it_cannot_start(glue: Any) -> None:
    glue.delete_job(JobName=JOB)
    result = CliRunner().invoke(app, ["load", "--target", "aws"])
    assert result.exit_code == 1
    assert f"starting Glue job {JOB} failed" in result.stderr
