"""The DynamoDB table layout of the sync state, shared with Terraform's declaration.

One table, keys ``pk`` (S) and ``sk`` (S), billed per request. Items of a tenant share
``pk = tenant#<tenant id>``; ``sk`` is ``meta`` (run fields and the lease), ``stream#<stream>``
(cursor and last run) or ``bulk#<stream>#<operation id>``. Every other attribute is a string.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from botocore.exceptions import ClientError

from ._records import LEASE_FIELDS
from .base import StateError

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import (
        AttributeValueTypeDef,
        UniversalAttributeValueTypeDef,
        UpdateTypeDef,
    )

    Item = Mapping[str, AttributeValueTypeDef]
    Key = dict[str, UniversalAttributeValueTypeDef]

PK = "pk"
SK = "sk"
TENANT_PREFIX = "tenant#"
META = "meta"
STREAM_PREFIX = "stream#"
BULK_PREFIX = "bulk#"


def create_table(client: DynamoDBClient, table_name: str) -> None:
    """Create the state table (the key schema Terraform declares) and wait until it is active.

    An existing table is left alone, so the local/dev path can call this on every start.
    """
    try:
        client.create_table(
            TableName=table_name,
            KeySchema=[
                {"AttributeName": PK, "KeyType": "HASH"},
                {"AttributeName": SK, "KeyType": "RANGE"},
            ],
            AttributeDefinitions=[
                {"AttributeName": PK, "AttributeType": "S"},
                {"AttributeName": SK, "AttributeType": "S"},
            ],
            BillingMode="PAY_PER_REQUEST",
        )
    except ClientError as exc:
        if error_code(exc) != "ResourceInUseException":
            raise StateError(f"cannot create state table {table_name!r}: {exc}") from exc
    client.get_waiter("table_exists").wait(
        TableName=table_name, WaiterConfig={"Delay": 1, "MaxAttempts": 120}
    )


def error_code(exc: ClientError) -> str:
    return str(exc.response.get("Error", {}).get("Code", ""))


def item_key(tenant_id: str, sk: str) -> Key:
    return {PK: {"S": TENANT_PREFIX + tenant_id}, SK: {"S": sk}}


def bulk_sk(stream: str, operation_id: str) -> str:
    return f"{BULK_PREFIX}{stream}#{operation_id}"


def fields_of(item: Item) -> dict[str, str | None]:
    return {name: value["S"] for name, value in item.items() if "S" in value}


def update_request(
    table: str,
    tenant_id: str,
    sk: str,
    fields: Mapping[str, str | None],
    *,
    condition: str | None = None,
    values: Mapping[str, str] | None = None,
) -> UpdateTypeDef:
    """An Update of string fields (``None`` removes one); conditions may use ``#<field>``
    for any field named in :data:`LEASE_FIELDS` or ``fields``."""
    names = {f"#{name}": name for name in fields}
    sets = [f"#{name} = :{name}" for name, value in fields.items() if value is not None]
    removes = [f"#{name}" for name, value in fields.items() if value is None]
    expression = " ".join(
        part
        for part in (
            "SET " + ", ".join(sets) if sets else "",
            "REMOVE " + ", ".join(removes) if removes else "",
        )
        if part
    )
    attribute_values: dict[str, UniversalAttributeValueTypeDef] = {
        f":{name}": {"S": value} for name, value in fields.items() if value is not None
    }
    attribute_values.update((name, {"S": value}) for name, value in (values or {}).items())
    update: UpdateTypeDef = {
        "TableName": table,
        "Key": item_key(tenant_id, sk),
        "UpdateExpression": expression,
        "ExpressionAttributeNames": names,
    }
    if condition is not None:
        names.update({f"#{name}": name for name in LEASE_FIELDS if f"#{name}" in condition})
        update["ConditionExpression"] = condition
    if attribute_values:
        update["ExpressionAttributeValues"] = attribute_values
    return update
