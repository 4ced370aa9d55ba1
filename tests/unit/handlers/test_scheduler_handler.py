"""The scheduler Lambda end to end on the AWS path: moto DynamoDB state and Lambda invokes."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shopsync import runtime
from shopsync.state.dynamodb import DynamoDBStateStore, create_table

REGION = "eu-west-1"
TABLE = "shopsync-state-test"
FUNCTION = "shopsync-ingestion-test"
LOAD_JOB = "shopsync-load-test"


@dataclass
class FakeContext:
    function_name: str = "shopsync-scheduler"
    memory_limit_in_mb: int = 256
    invoked_function_arn: str = "arn:aws:lambda:eu-west-1:123456789012:function:shopsync-scheduler"
    aws_request_id: str = "6f1c2b9e-1d3a-4f7e-9d1b-0c8e2f3a4b5c"


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, example_tenants_dir: Path) -> Iterator[list[Any]]:
    """Deployed-like environment; yields the list of ingestion payloads sent to Lambda."""
    monkeypatch.setenv("SHOPSYNC_TARGET", "aws")
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(example_tenants_dir))
    monkeypatch.setenv("SHOPSYNC_STATE_TABLE", TABLE)
    monkeypatch.setenv("SHOPSYNC_INGESTION_FUNCTION", FUNCTION)
    monkeypatch.setenv("SHOPSYNC_REGION", REGION)
    monkeypatch.setenv("SHOPSYNC_LOAD_JOB", LOAD_JOB)
    runtime.for_settings.cache_clear()
    sent: list[Any] = []
    with mock_aws(config={"lambda": {"use_docker": False}}):
        create_table(boto3.client("dynamodb", region_name=REGION), TABLE)
        role = boto3.client("iam", region_name=REGION).create_role(
            RoleName="ingestion", AssumeRolePolicyDocument="{}"
        )["Role"]["Arn"]
        code = io.BytesIO()
        with zipfile.ZipFile(code, "w") as archive:
            archive.writestr("h.py", "def handler(event, context):\n    return None\n")
        boto3.client("lambda", region_name=REGION).create_function(
            FunctionName=FUNCTION,
            Runtime="python3.11",
            Role=role,
            Handler="h.handler",
            Code={"ZipFile": code.getvalue()},
        )

        def record(request: Any, **_: Any) -> None:
            if request.url.endswith(f"/functions/{FUNCTION}/invocations"):
                sent.append(json.loads(request.body))

        boto3.DEFAULT_SESSION = None
        session_events = boto3._get_default_session().events
        session_events.register("before-send.lambda.Invoke", record)
        yield sent
    runtime.for_settings.cache_clear()
    boto3.DEFAULT_SESSION = None


def _emf(stdout: str) -> dict[str, Any]:
    for line in stdout.splitlines():
        if line.startswith("{") and '"_aws"' in line:
            document: dict[str, Any] = json.loads(line)
            return document
    raise AssertionError(f"no EMF metrics line in {stdout!r}")


def test_a_tick_invokes_every_due_tenant_and_emits_metrics(
    aws: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from shopsync.handlers.scheduler import handler

    event = {"action": "tick", "scheduled_time": "2026-11-24T10:00:00Z"}
    result = handler(event, FakeContext())

    assert sorted(result["invoked"]) == ["acme_outdoor", "bluebird_books", "coral_cosmetics"]
    assert result["failed"] == {}
    assert sorted(p["tenant_id"] for p in aws) == sorted(result["invoked"])
    assert all(p["mode"] == "incremental" and p["since"] is None for p in aws)
    assert {p["run_id"] for p in aws} == set(result["invoked"].values())
    state = DynamoDBStateStore(TABLE, region=REGION)
    assert state.get_tenant("acme_outdoor").last_run_id == result["invoked"]["acme_outdoor"]

    metrics = _emf(capsys.readouterr().out)
    assert metrics["TenantsInvoked"] == [3.0]
    assert metrics["TenantsFailed"] == [0.0]

    again = handler(event, FakeContext())
    assert again["invoked"] == {}
    assert len(aws) == 3


def test_a_resync_event_invokes_one_tenant(aws: list[Any]) -> None:
    from shopsync.handlers.scheduler import handler

    result = handler(
        {
            "action": "resync",
            "tenant_id": "acme_outdoor",
            "streams": ["orders"],
            "since": "2025-06-01",
        },
        FakeContext(),
    )
    [payload] = aws
    assert payload == result["invoked"]
    assert (payload["tenant_id"], payload["mode"], payload["streams"], payload["since"]) == (
        "acme_outdoor",
        "resync",
        ["orders"],
        "2025-06-01T00:00:00Z",
    )


def test_a_malformed_event_fails_before_anything_runs(
    aws: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from shopsync.handlers.scheduler import handler
    from shopsync.schedule.requests import BadSchedulerEvent

    with pytest.raises(BadSchedulerEvent, match="unknown stream 'refunds'"):
        handler(
            {"action": "resync", "tenant_id": "acme_outdoor", "streams": ["refunds"]}, FakeContext()
        )
    assert aws == []
    assert _emf(capsys.readouterr().out)["BadEvents"] == [1.0]


def test_the_safety_net_starts_the_load_job_for_late_manifests(
    aws: list[Any], capsys: pytest.CaptureFixture[str]
) -> None:
    from shopsync.handlers.scheduler import handler

    glue = boto3.client("glue", region_name=REGION)
    glue.create_job(
        Name=LOAD_JOB,
        Role="arn:aws:iam::123456789012:role/glue",
        Command={"Name": "glueetl", "ScriptLocation": "s3://artifacts/glue/shopsync_load.py"},
    )
    result = handler({"action": "load_safety_net"}, FakeContext())

    assert result["job"] == LOAD_JOB
    run = glue.get_job_run(JobName=LOAD_JOB, RunId=result["job_run_id"])["JobRun"]
    assert run["Arguments"] == {"--older_than_minutes": "30"}
    assert _emf(capsys.readouterr().out)["SafetyNetLoads"] == [1.0]
    assert aws == []  # no ingestion was started


def test_the_safety_net_accepts_its_own_age() -> None:
    from shopsync.schedule.requests import SafetyNetRequest, parse_scheduler_event

    assert parse_scheduler_event({"action": "load_safety_net", "older_than_minutes": 45}) == (
        SafetyNetRequest(action="load_safety_net", older_than_minutes=45)
    )
