"""The matcher against the examples in the EventBridge user guide (content filtering)."""

from __future__ import annotations

from typing import Any

import pytest

from shopsync.events.pattern import PatternError, matches, validate

EC2_EVENT: dict[str, Any] = {
    "version": "0",
    "id": "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
    "detail-type": "EC2 Instance State-change Notification",
    "source": "aws.ec2",
    "account": "111122223333",
    "time": "2017-12-22T18:43:48Z",
    "region": "us-west-1",
    "resources": ["arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0"],
    "detail": {"instance-id": "i-1234567890abcdef0", "state": "terminated"},
}


def _detail(**fields: Any) -> dict[str, Any]:
    return {"detail": fields}


@pytest.mark.parametrize(
    ("pattern", "event", "expected"),
    [
        # exact values, AND across keys, OR within the array
        ({"source": ["aws.ec2"], "detail": {"state": ["terminated"]}}, EC2_EVENT, True),
        ({"source": ["aws.ec2"], "detail": {"state": ["running", "pending"]}}, EC2_EVENT, False),
        ({"source": ["aws.ec2"], "detail": {"state": ["running", "terminated"]}}, EC2_EVENT, True),
        ({"source": ["aws.s3"]}, EC2_EVENT, False),
        ({"detail": {"missing": ["x"]}}, EC2_EVENT, False),
        ({"detail": {"state": ["Terminated"]}}, EC2_EVENT, False),  # case-sensitive
        # arrays in the event: a non-empty intersection matches
        (
            {
                "resources": [
                    "arn:aws:ec2:us-east-1:123456789012:instance/i-b188560f",
                    "arn:aws:ec2:us-west-1:123456789012:instance/i-1234567890abcdef0",
                ]
            },
            EC2_EVENT,
            True,
        ),
        ({"resources": ["arn:aws:ec2:us-east-1:1:instance/i-other"]}, EC2_EVENT, False),
        # prefix, prefix ignoring case, suffix, suffix ignoring case
        ({"time": [{"prefix": "2017-12-22"}]}, EC2_EVENT, True),
        ({"time": [{"prefix": "2017-10-02"}]}, EC2_EVENT, False),
        (
            {"detail": {"service": [{"prefix": {"equals-ignore-case": "EventB"}}]}},
            _detail(service="eventbridge"),
            True,
        ),
        ({"FileName": [{"suffix": ".png"}]}, {"FileName": "cat.png"}, True),
        ({"FileName": [{"suffix": ".png"}]}, {"FileName": "cat.PNG"}, False),
        (
            {"FileName": [{"suffix": {"equals-ignore-case": ".png"}}]},
            {"FileName": "cat.PNG"},
            True,
        ),
        ({"detail": {"state": [{"equals-ignore-case": "TERMINATED"}]}}, EC2_EVENT, True),
        # anything-but: value, number, list, prefix, suffix, ignore case
        ({"detail": {"state": [{"anything-but": "initializing"}]}}, EC2_EVENT, True),
        ({"detail": {"state": [{"anything-but": "terminated"}]}}, EC2_EVENT, False),
        ({"detail": {"x-limit": [{"anything-but": 123}]}}, _detail(**{"x-limit": 123}), False),
        ({"detail": {"x-limit": [{"anything-but": 123}]}}, _detail(**{"x-limit": 12}), True),
        (
            {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
            _detail(state="stopped"),
            False,
        ),
        (
            {"detail": {"state": [{"anything-but": ["stopped", "overloaded"]}]}},
            _detail(state="running"),
            True,
        ),
        ({"detail": {"state": [{"anything-but": {"prefix": "init"}}]}}, EC2_EVENT, True),
        (
            {"detail": {"state": [{"anything-but": {"prefix": "init"}}]}},
            _detail(state="initializing"),
            False,
        ),
        (
            {"detail": {"FileName": [{"anything-but": {"suffix": ".txt"}}]}},
            _detail(FileName="notes.txt"),
            False,
        ),
        (
            {"detail": {"state": [{"anything-but": {"equals-ignore-case": "INITIALIZING"}}]}},
            _detail(state="initializing"),
            False,
        ),
        # anything-but needs the field
        ({"detail": {"gone": [{"anything-but": "x"}]}}, EC2_EVENT, False),
        # exists
        ({"detail": {"state": [{"exists": True}]}}, EC2_EVENT, True),
        ({"detail": {"state": [{"exists": False}]}}, EC2_EVENT, False),
        ({"detail": {"errorCode": [{"exists": False}]}}, EC2_EVENT, True),
        ({"detail": {"errorCode": [{"exists": True}]}}, EC2_EVENT, False),
        ({"detail": {"nested": [{"exists": True}]}}, _detail(nested={"a": 1}), False),  # leaf only
        # numeric (the guide's example)
        (
            {
                "detail": {
                    "c-count": [{"numeric": [">", 0, "<=", 5]}],
                    "d-count": [{"numeric": ["<", 10]}],
                    "x-limit": [{"numeric": ["=", 3.018e2]}],
                }
            },
            _detail(**{"c-count": 5, "d-count": 7, "x-limit": 301.8}),
            True,
        ),
        (
            {"detail": {"c-count": [{"numeric": [">", 0, "<=", 5]}]}},
            _detail(**{"c-count": 6}),
            False,
        ),
        ({"detail": {"c-count": [{"numeric": [">", 0]}]}}, _detail(**{"c-count": "5"}), False),
        # null and empty string are exact values
        ({"detail": {"responseElements": [None]}}, _detail(responseElements=None), True),
        ({"detail": {"responseElements": [None]}}, _detail(), False),
        ({"detail": {"eventVersion": [""]}}, _detail(eventVersion=""), True),
        ({"detail": {"eventVersion": [""]}}, _detail(eventVersion="1"), False),
        # types: the string "5" is not the number 5
        ({"detail": {"n": [5]}}, _detail(n="5"), False),
        ({"detail": {"n": [5]}}, _detail(n=5.0), True),
        # a nested pattern against an array of objects
        (
            {"detail": {"resources": {"type": ["AWS::S3::Object"]}}},
            _detail(resources=[{"type": "AWS::S3::Bucket"}, {"type": "AWS::S3::Object"}]),
            True,
        ),
        ({"detail": {"state": {"name": ["x"]}}}, EC2_EVENT, False),  # object pattern, leaf value
    ],
)
def test_documented_examples(
    pattern: dict[str, Any], event: dict[str, Any], expected: bool
) -> None:
    assert matches(pattern, event) is expected


@pytest.mark.parametrize(
    "pattern",
    [
        {"source": []},
        {"source": "aws.s3"},
        {"source": [{"wildcard": "aws.*"}]},
        {"source": [{"prefix": 3}]},
        {"n": [{"numeric": [">"]}]},
        {"n": [{"numeric": ["~", 1]}]},
        {"n": [{"exists": "yes"}]},
        {"n": [{"prefix": "a", "suffix": "b"}]},
        {"n": [{"anything-but": ["a", 1]}]},
        {"detail": {"n": [{"cidr": "10.0.0.0/24"}]}},
    ],
)
def test_malformed_or_unsupported_patterns_raise(pattern: dict[str, Any]) -> None:
    with pytest.raises(PatternError):
        validate(pattern)
