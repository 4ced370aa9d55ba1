"""One store's run with credentials that reach only that store's data.

The ingestion function runs every store's runs, so its own role could reach every store's
prefixes, state and secret; a bug (or a payload naming one tenant and a key of another) would
then be stopped by the code alone. Instead each run assumes the tenant-run role
(``SHOPSYNC_TENANT_ROLE_ARN``) with a session policy naming its store: the run's credentials
allow only the intersection of the role's policy and that session policy, so IAM itself refuses
another store's raw parts, manifests, state items or Shopify secret.

What the session policy allows (``<t>``: the tenant id, checked against the id pattern):

- S3: objects under ``tenant=<t>/`` and ``_manifests/tenant=<t>/`` (put, get, abort an
  upload), and listing only those prefixes;
- DynamoDB: the state items whose partition key is ``tenant#<t>`` (``dynamodb:LeadingKeys``);
- Secrets Manager: ``GetSecretValue`` of the tenant's own secret (its name, then Secrets
  Manager's six-character suffix);
- KMS: decrypt and data keys (the role allows them for the stack key only).

The trailing ``/`` matters: ``tenant=acme/*`` does not match ``tenant=acme_corp/...``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import boto3

from shopsync.lake.keys import check_tenant_id, manifest_prefix, tenant_prefix
from shopsync.state._dynamodb_items import TENANT_PREFIX

#: Session credentials last this long: longer than a Lambda invocation (15 minutes), which
#: assumes the role again when it continues in a new one.
SESSION_SECONDS = 1800

#: ``RoleSessionName``: 2 to 64 of ``[\w+=,.@-]``; CloudTrail shows it, so it names the run.
_SESSION_NAME = re.compile(r"[^\w+=,.@-]")


def session_policy(
    tenant_id: str,
    *,
    raw_bucket: str,
    state_table_arn: str,
    secret_name: str,
    region: str,
    account: str,
    partition: str = "aws",
) -> dict[str, Any]:
    """The session policy of one run of ``tenant_id`` (see the module's docstring)."""
    tenant_id = check_tenant_id(tenant_id)
    bucket = f"arn:{partition}:s3:::{raw_bucket}"
    prefixes = [tenant_prefix(tenant_id), manifest_prefix(tenant_id)]
    secret = f"arn:{partition}:secretsmanager:{region}:{account}:secret:{secret_name}-??????"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "OwnObjects",
                "Effect": "Allow",
                "Action": ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload"],
                "Resource": [f"{bucket}/{p}*" for p in prefixes],
            },
            {
                "Sid": "ListOwnPrefixes",
                "Effect": "Allow",
                "Action": ["s3:ListBucket"],
                "Resource": [bucket],
                "Condition": {"StringLike": {"s3:prefix": [f"{p}*" for p in prefixes]}},
            },
            {
                "Sid": "OwnState",
                "Effect": "Allow",
                "Action": [
                    "dynamodb:GetItem",
                    "dynamodb:BatchGetItem",
                    "dynamodb:Query",
                    "dynamodb:PutItem",
                    "dynamodb:UpdateItem",
                    "dynamodb:DeleteItem",
                    "dynamodb:ConditionCheckItem",
                ],
                "Resource": [state_table_arn],
                "Condition": {
                    "ForAllValues:StringEquals": {
                        "dynamodb:LeadingKeys": [TENANT_PREFIX + tenant_id]
                    }
                },
            },
            {
                "Sid": "OwnSecret",
                "Effect": "Allow",
                "Action": ["secretsmanager:GetSecretValue"],
                "Resource": [secret],
            },
            {
                "Sid": "StackKey",
                "Effect": "Allow",
                "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
                "Resource": ["*"],
            },
        ],
    }


def session_name(tenant_id: str, run_id: str) -> str:
    """``<tenant>@<run>`` as a ``RoleSessionName`` (CloudTrail shows whose run it was)."""
    return _SESSION_NAME.sub("-", f"{tenant_id}@{run_id}")[:64]


def assume(
    sts: Any, role_arn: str, tenant_id: str, run_id: str, policy: dict[str, Any], region: str
) -> boto3.Session:
    """A session with the tenant-run role's credentials narrowed by ``policy``."""
    answer = sts.assume_role(
        RoleArn=role_arn,
        RoleSessionName=session_name(tenant_id, run_id),
        Policy=json.dumps(policy, separators=(",", ":")),
        DurationSeconds=SESSION_SECONDS,
    )
    credentials = answer["Credentials"]
    return boto3.Session(
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
        region_name=region,
    )
