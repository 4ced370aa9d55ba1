"""The events EventBridge delivers when an object lands in the raw bucket.

:func:`cloudtrail_object_event` builds the ``AWS API Call via CloudTrail`` shape of an S3 data
event (the default path); :func:`s3_object_created_event` the native ``Object Created`` one.
Both carry only what the rules and the job read, in the field layout AWS documents.
:func:`object_key` reads the key back out of either shape.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, Literal

CloudTrailEventName = Literal["PutObject", "CompleteMultipartUpload", "CopyObject"]
LOCAL_ACCOUNT = "000000000000"


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def cloudtrail_object_event(
    bucket: str,
    key: str,
    *,
    event_name: CloudTrailEventName = "PutObject",
    at: datetime | None = None,
    region: str = "eu-west-1",
    account: str = LOCAL_ACCOUNT,
    event_id: str | None = None,
    error_code: str | None = None,
) -> dict[str, Any]:
    """A CloudTrail S3 data event as EventBridge delivers it."""
    when = at or datetime.now(UTC)
    eid = event_id or str(uuid.uuid4())
    detail: dict[str, Any] = {
        "eventVersion": "1.09",
        "userIdentity": {"type": "AssumedRole", "accountId": account},
        "eventTime": _iso(when),
        "eventSource": "s3.amazonaws.com",
        "eventName": event_name,
        "awsRegion": region,
        "sourceIPAddress": "127.0.0.1",
        "userAgent": "shopsync",
        "requestParameters": {
            "bucketName": bucket,
            "Host": f"{bucket}.s3.{region}.amazonaws.com",
            "key": key,
        },
        "responseElements": None,
        "requestID": uuid.uuid5(uuid.NAMESPACE_URL, eid).hex[:16].upper(),
        "eventID": eid,
        "readOnly": False,
        "resources": [
            {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"},
            {"accountId": account, "type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}"},
        ],
        "eventType": "AwsApiCall",
        "managementEvent": False,
        "recipientAccountId": account,
        "eventCategory": "Data",
    }
    if error_code is not None:
        detail["errorCode"] = error_code
    return {
        "version": "0",
        "id": eid,
        "detail-type": "AWS API Call via CloudTrail",
        "source": "aws.s3",
        "account": account,
        "time": _iso(when),
        "region": region,
        "resources": [],
        "detail": detail,
    }


def s3_object_created_event(
    bucket: str,
    key: str,
    *,
    size: int = 0,
    reason: str = "PutObject",
    at: datetime | None = None,
    region: str = "eu-west-1",
    account: str = LOCAL_ACCOUNT,
    event_id: str | None = None,
) -> dict[str, Any]:
    """S3's native EventBridge notification for a new object."""
    when = at or datetime.now(UTC)
    return {
        "version": "0",
        "id": event_id or str(uuid.uuid4()),
        "detail-type": "Object Created",
        "source": "aws.s3",
        "account": account,
        "time": _iso(when),
        "region": region,
        "resources": [f"arn:aws:s3:::{bucket}"],
        "detail": {
            "version": "0",
            "bucket": {"name": bucket},
            "object": {"key": key, "size": size, "sequencer": f"{int(when.timestamp()):016X}"},
            "request-id": "LOCAL",
            "requester": account,
            "reason": reason,
        },
    }


def object_key(event: Mapping[str, Any]) -> str | None:
    """The object key an S3 event is about (either shape), or ``None``."""
    detail = event.get("detail")
    if not isinstance(detail, Mapping):
        return None
    params = detail.get("requestParameters")
    if isinstance(params, Mapping) and isinstance(params.get("key"), str):
        return str(params["key"])
    obj = detail.get("object")
    if isinstance(obj, Mapping) and isinstance(obj.get("key"), str):
        return str(obj["key"])
    return None
