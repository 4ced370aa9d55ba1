"""A run's session policy reaches its own store's data and nothing of any other store, read
the way IAM reads it (a small evaluator of the policy's own statements: actions, resources with
``*`` and ``?`` wildcards, and the two condition operators it uses); and the AWS runtime builds
a run's stores from the tenant-run role narrowed by that policy (moto's STS)."""

from __future__ import annotations

import fnmatch
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shopsync.lake.keys import InvalidKeyError
from shopsync.runtime import AwsRuntime, tenant_scope
from shopsync.settings import Settings
from tests.support.tenants import write_tenant_file

ACCOUNT, REGION = "123456789012", "eu-west-1"
BUCKET = "shopsync-raw"
TABLE = f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/shopsync-state"


def _policy(tenant: str) -> dict[str, Any]:
    return tenant_scope.session_policy(
        tenant,
        raw_bucket=BUCKET,
        state_table_arn=TABLE,
        secret_name=f"shopsync/tenants/{tenant}",
        region=REGION,
        account=ACCOUNT,
    )


def _matches(pattern: str, value: str) -> bool:
    return fnmatch.fnmatchcase(value, pattern)


def _condition_holds(condition: dict[str, Any], context: dict[str, list[str]]) -> bool:
    for operator, tests in condition.items():
        for key, allowed in tests.items():
            values = context.get(key)
            if values is None:
                return False
            if operator == "StringLike":
                if not all(any(_matches(a, v) for a in allowed) for v in values):
                    return False
            elif operator == "ForAllValues:StringEquals":
                if not all(v in allowed for v in values):
                    return False
            else:
                raise AssertionError(f"the evaluator does not know {operator}")
    return True


def allowed(policy: dict[str, Any], action: str, resource: str, **context: list[str]) -> bool:
    """Whether some Allow statement grants ``action`` on ``resource`` in ``context``."""
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        if not any(_matches(a, action) for a in statement["Action"]):
            continue
        if not any(_matches(r, resource) for r in statement["Resource"]):
            continue
        if _condition_holds(statement.get("Condition", {}), context):
            return True
    return False


OBJECT = f"arn:aws:s3:::{BUCKET}/"


@pytest.mark.parametrize(
    ("key", "ok"),
    [
        ("tenant=acme/stream=orders/date=2026-12-07/run=R/part-00000.jsonl.gz", True),
        ("_manifests/tenant=acme/run=R.json", True),
        ("tenant=acme_corp/stream=orders/date=2026-12-07/run=R/part-00000.jsonl.gz", False),
        ("_manifests/tenant=acme_corp/run=R.json", False),
        ("tenant=acmeX/part", False),
        ("tenant=acm/part", False),
        ("_manifests/tenant=acme", False),
        ("curated/tenant=acme/part", False),
    ],
)
def test_a_run_writes_and_reads_only_its_own_prefixes(key: str, ok: bool) -> None:
    policy = _policy("acme")
    for action in ("s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"):
        assert allowed(policy, action, OBJECT + key) is ok, (action, key)
    assert not allowed(policy, "s3:DeleteObject", OBJECT + key)


@pytest.mark.parametrize(
    ("prefix", "ok"),
    [
        ("tenant=acme/", True),
        ("_manifests/tenant=acme/run=2026", True),
        ("tenant=acme_corp/", False),
        ("_manifests/", False),
        ("", False),
        ("tenant=", False),
    ],
)
def test_a_run_lists_only_its_own_prefixes(prefix: str, ok: bool) -> None:
    bucket = f"arn:aws:s3:::{BUCKET}"
    assert allowed(_policy("acme"), "s3:ListBucket", bucket, **{"s3:prefix": [prefix]}) is ok


def test_a_run_reaches_only_its_own_state_items() -> None:
    policy = _policy("acme")
    keys = "dynamodb:LeadingKeys"
    for action in ("dynamodb:GetItem", "dynamodb:UpdateItem", "dynamodb:Query"):
        assert allowed(policy, action, TABLE, **{keys: ["tenant#acme"]})
        assert not allowed(policy, action, TABLE, **{keys: ["tenant#acme_corp"]})
        assert not allowed(policy, action, TABLE, **{keys: ["tenant#acme", "tenant#acme_corp"]})
    assert not allowed(policy, "dynamodb:Scan", TABLE, **{keys: ["tenant#acme"]})


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("shopsync/tenants/acme-AbC123", True),
        ("shopsync/tenants/acme_corp-AbC123", False),
        ("shopsync/tenants/acme-x-AbC123", False),
        ("shopsync/tenants/acm-AbC123", False),
        ("shopsync/reporting-AbC123", False),
    ],
)
def test_a_run_reads_only_its_own_secret(name: str, ok: bool) -> None:
    arn = f"arn:aws:secretsmanager:{REGION}:{ACCOUNT}:secret:{name}"
    assert allowed(_policy("acme"), "secretsmanager:GetSecretValue", arn) is ok


@pytest.mark.parametrize("bad", ["acme/../x", "ACME", "acme*", "a" * 100, "acme\n"])
def test_an_id_that_is_not_a_tenant_id_gets_no_policy(bad: str) -> None:
    with pytest.raises(InvalidKeyError, match="invalid tenant id"):
        _policy(bad)


def test_the_session_is_named_after_the_run_within_sts_limits() -> None:
    name = tenant_scope.session_name("acme_outdoor", "20261207T120000Z-1a2b3c4d")
    assert name == "acme_outdoor@20261207T120000Z-1a2b3c4d"
    assert len(tenant_scope.session_name("a" * 63, "20261207T120000Z-1a2b3c4d")) == 64


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Settings]:
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(key, "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    tenants = tmp_path / "tenants"
    tenants.mkdir()
    write_tenant_file(tenants, "acme")
    write_tenant_file(tenants, "acme_corp")
    with mock_aws():
        iam = boto3.client("iam", region_name=REGION)
        trust = {"Version": "2012-10-17", "Statement": []}
        role = iam.create_role(
            RoleName="shopsync-tenant-run", AssumeRolePolicyDocument=json.dumps(trust)
        )
        boto3.client("s3", region_name=REGION).create_bucket(
            Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION}
        )
        yield Settings(
            target="aws",
            tenants_dir=tenants,
            region=REGION,
            raw_bucket=BUCKET,
            tenant_role_arn=role["Role"]["Arn"],
        )


def test_the_aws_runtime_builds_a_run_s_stores_from_the_narrowed_role(
    aws: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[tuple[str, str, str, dict[str, Any]]] = []
    real = tenant_scope.assume

    def spy(sts: Any, role: str, tenant: str, run: str, policy: Any, region: str) -> Any:
        asked.append((role, tenant, run, policy))
        return real(sts, role, tenant, run, policy, region)

    monkeypatch.setattr(tenant_scope, "assume", spy)
    services = AwsRuntime(aws).tenant_services("acme", "20261207T120000Z-1a2b3c4d")
    [(role, tenant, run, policy)] = asked
    assert (role, tenant, run) == (aws.tenant_role_arn, "acme", "20261207T120000Z-1a2b3c4d")
    assert policy == tenant_scope.session_policy(
        "acme",
        raw_bucket=BUCKET,
        state_table_arn=f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/{aws.state_table}",
        secret_name="shopsync/tenants/acme",
        region=REGION,
        account=ACCOUNT,
    )
    # The stores use the assumed (temporary) credentials, not the function's own.
    client = services.store.client  # type: ignore[attr-defined]
    credentials = client._request_signer._credentials
    assert credentials.access_key != "testing"
    assert credentials.token
    services.store.put_bytes("tenant=acme/probe", b"ok")
    assert services.store.get("tenant=acme/probe") == b"ok"


def test_without_the_role_setting_a_run_uses_the_function_s_own_services(
    aws: Settings,
) -> None:
    plain = Settings(**{**aws.model_dump(), "tenant_role_arn": None})
    services = AwsRuntime(plain).tenant_services("acme", "20261207T120000Z-1a2b3c4d")
    assert services.registry.get("acme").id == "acme"
