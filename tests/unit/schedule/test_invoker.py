"""LambdaInvoker against moto (exact payload on the wire) and LocalInvoker's thread pool."""

from __future__ import annotations

import io
import json
import threading
import zipfile
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import Stubber
from moto import mock_aws

from shopsync.schedule.invoker import InvokeError, LambdaInvoker, LocalInvoker
from shopsync.schedule.payload import IngestionPayload

FUNCTION = "shopsync-ingestion"


def _payload(tenant_id: str = "acme_outdoor", **overrides: Any) -> IngestionPayload:
    fields: dict[str, Any] = {
        "tenant_id": tenant_id,
        "run_id": "20261124T201500Z-0a1b2c3d",
        "mode": "incremental",
        "streams": ["products", "orders"],
    }
    return IngestionPayload.model_validate(fields | overrides)


@pytest.fixture
def lambda_client() -> Iterator[Any]:
    with mock_aws(config={"lambda": {"use_docker": False}}):
        iam = boto3.client("iam", region_name="eu-west-1")
        role = iam.create_role(
            RoleName="ingestion",
            AssumeRolePolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": []}),
        )["Role"]["Arn"]
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("handler.py", "def handler(event, context):\n    return event\n")
        client = boto3.client("lambda", region_name="eu-west-1")
        client.create_function(
            FunctionName=FUNCTION,
            Runtime="python3.11",
            Role=role,
            Handler="handler.handler",
            Code={"ZipFile": buffer.getvalue()},
        )
        yield client


def _text(value: str | bytes | None) -> str | None:
    return value.decode() if isinstance(value, bytes) else value


def _capture_invokes(client: Any) -> list[dict[str, Any]]:
    """Record each Invoke request exactly as botocore sends it."""
    sent: list[dict[str, Any]] = []

    def before_send(request: Any, **_: Any) -> None:
        sent.append(
            {
                "url": request.url,
                "invocation_type": _text(request.headers.get("X-Amz-Invocation-Type")),
                "body": json.loads(request.body),
            }
        )

    client.meta.events.register("before-send.lambda.Invoke", before_send)
    return sent


def test_lambda_invoker_sends_the_exact_payload_as_an_async_event(lambda_client: Any) -> None:
    sent = _capture_invokes(lambda_client)
    invoker = LambdaInvoker(FUNCTION, client=lambda_client)

    invoker.invoke(_payload())
    invoker.invoke(_payload("bluebird_books", mode="resync", since="2026-01-01"))

    assert [s["invocation_type"] for s in sent] == ["Event", "Event"]
    assert all(s["url"].endswith(f"/functions/{FUNCTION}/invocations") for s in sent)
    assert sent[0]["body"] == {
        "tenant_id": "acme_outdoor",
        "run_id": "20261124T201500Z-0a1b2c3d",
        "mode": "incremental",
        "streams": ["products", "orders"],
        "since": None,
    }
    assert sent[1]["body"] == {
        "tenant_id": "bluebird_books",
        "run_id": "20261124T201500Z-0a1b2c3d",
        "mode": "resync",
        "streams": ["products", "orders"],
        "since": "2026-01-01T00:00:00Z",
    }


@pytest.mark.parametrize(
    ("stub", "fragment"),
    [
        (
            lambda s: s.add_client_error(
                "invoke", "ResourceNotFoundException", http_status_code=404
            ),
            r"tenant acme_outdoor: invoking shopsync-ingestion failed: .*ResourceNotFoundException",
        ),
        (
            lambda s: s.add_client_error(
                "invoke", "TooManyRequestsException", http_status_code=429
            ),
            r"tenant acme_outdoor: invoking shopsync-ingestion failed: .*TooManyRequests",
        ),
        (
            lambda s: s.add_response("invoke", {"StatusCode": 200}),
            r"tenant acme_outdoor: shopsync-ingestion answered 200, not 202",
        ),
    ],
)
def test_lambda_invoker_errors_name_the_tenant(stub: Any, fragment: str) -> None:
    client = boto3.client("lambda", region_name="eu-west-1")
    with Stubber(client) as stubber:
        stub(stubber)
        with pytest.raises(InvokeError, match=fragment):
            LambdaInvoker(FUNCTION, client=client).invoke(_payload())


def test_lambda_invoker_builds_its_client_lazily() -> None:
    invoker = LambdaInvoker(FUNCTION, region="eu-west-1")
    assert invoker._client is None
    with mock_aws():
        assert invoker.client.meta.region_name == "eu-west-1"


def test_local_invoker_returns_at_once_and_runs_in_parallel() -> None:
    started = threading.Barrier(3, timeout=10)
    seen: list[IngestionPayload] = []

    def entry(payload: IngestionPayload) -> str:
        started.wait()  # only passes when three runs are in flight at once
        seen.append(payload)
        return payload.tenant_id

    with LocalInvoker(entry, max_workers=3) as invoker:
        for tenant in ("acme_outdoor", "bluebird_books", "coral_cosmetics"):
            invoker.invoke(_payload(tenant))
        runs = invoker.wait()
    assert sorted(r.future.result() for r in runs) == [
        "acme_outdoor",
        "bluebird_books",
        "coral_cosmetics",
    ]
    assert all(isinstance(p, IngestionPayload) for p in seen)


def test_local_invoker_keeps_a_failing_run_from_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    def entry(payload: IngestionPayload) -> str:
        if payload.tenant_id == "broken_store":
            raise RuntimeError("shop locked")
        return "ok"

    with LocalInvoker(entry, max_workers=2) as invoker:
        invoker.invoke(_payload("broken_store"))
        invoker.invoke(_payload("acme_outdoor"))
        runs = {r.payload.tenant_id: r for r in invoker.wait()}

    assert isinstance(runs["broken_store"].future.exception(), RuntimeError)
    assert runs["acme_outdoor"].future.result() == "ok"
    failure = next(r for r in caplog.records if r.message == "ingestion run failed")
    assert failure.__dict__["tenant_id"] == "broken_store"
