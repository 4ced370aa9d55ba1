"""The Glue entry's arguments (argparse locally, same names as in Glue) and run properties."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from moto import mock_aws

from shopsync_glue.entry import (
    JobArgs,
    parse_args,
    reporting_credentials,
    warehouse,
    workflow_event_ids,
)

BASE = [
    "shopsync_load.py",
    "--raw_bucket",
    "raw",
    "--curated_bucket",
    "curated",
    "--redshift_database",
    "dev",
    "--redshift_iam_role",
    "arn:aws:iam::1:role/copy",
]


REPORTING_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:shopsync/reporting-AbCdEf"
PASSWORD = "Reporting1Password"


class FakeGlue:
    def __init__(self, properties: dict[str, str]) -> None:
        self.properties = properties
        self.calls: list[dict[str, str]] = []

    def get_workflow_run_properties(self, **kwargs: str) -> dict[str, Any]:
        self.calls.append(kwargs)
        return {"RunProperties": self.properties}


def test_required_and_glue_extras() -> None:
    args = parse_args([*BASE, "--job-bookmark-option", "job-bookmark-disable", "--JOB_ID", "j"])
    assert (args.raw_bucket, args.curated_bucket, args.redshift_workgroup) == (
        "raw",
        "curated",
        "shopsync",
    )
    assert args.rls_rules == ()
    assert args.workflow_name is None
    assert args.redshift_reporting_secret_arn is None


def test_optional_arguments() -> None:
    rules = json.dumps([["acme-analysts", "acme"], ["corp", "acme_corp"]])
    args = parse_args(
        [
            *BASE,
            "--tenant",
            "acme",
            "--rls_rules",
            rules,
            "--older_than_minutes",
            "30",
            "--WORKFLOW_NAME",
            "shopsync-load",
            "--WORKFLOW_RUN_ID",
            "wr_1",
            "--redshift_reporting_secret_arn",
            REPORTING_ARN,
        ]
    )
    assert args.redshift_reporting_secret_arn == REPORTING_ARN
    assert args.tenant == "acme"
    assert args.rls_rules == (("acme-analysts", "acme"), ("corp", "acme_corp"))
    assert args.older_than_minutes == 30.0
    assert (args.workflow_name, args.workflow_run_id) == ("shopsync-load", "wr_1")


def test_missing_required_argument_exits() -> None:
    with pytest.raises(SystemExit):
        parse_args(BASE[:-2])


@pytest.mark.parametrize("rules", ['{"a": "b"}', '[["only-one"]]', "[[1, 2]]"])
def test_bad_rls_rules(rules: str) -> None:
    with pytest.raises(ValueError, match="rls_rules"):
        parse_args([*BASE, "--rls_rules", rules])


def test_event_ids_from_the_workflow_run() -> None:
    args = JobArgs.from_mapping(
        {
            "raw_bucket": "r",
            "curated_bucket": "c",
            "redshift_database": "d",
            "redshift_iam_role": "i",
            "WORKFLOW_NAME": "wf",
            "WORKFLOW_RUN_ID": "wr_9",
        }
    )
    glue = FakeGlue({"aws:eventIds": json.dumps(["e1", "e2"])})
    assert workflow_event_ids(args, glue) == ["e1", "e2"]
    assert glue.calls == [{"Name": "wf", "RunId": "wr_9"}]
    assert workflow_event_ids(args, FakeGlue({})) == []
    standalone = JobArgs.from_mapping(
        {
            "raw_bucket": "r",
            "curated_bucket": "c",
            "redshift_database": "d",
            "redshift_iam_role": "i",
        }
    )
    assert workflow_event_ids(standalone, glue) == []
    assert len(glue.calls) == 1


@pytest.mark.parametrize("value", ["", "none", "None"])
def test_an_empty_reporting_secret_argument_is_unset(value: str) -> None:
    args = parse_args([*BASE, "--redshift_reporting_secret_arn", value])
    assert args.redshift_reporting_secret_arn is None


def _secret(secret_string: str) -> str:
    sm = boto3.client("secretsmanager", region_name="eu-west-1")
    created = sm.create_secret(Name="shopsync/reporting", SecretString=secret_string)
    return str(created["ARN"])


def test_the_warehouse_gets_the_reporting_user_from_its_secret() -> None:
    with mock_aws():
        arn = _secret(json.dumps({"username": "shopsync_reporting", "password": PASSWORD}))
        args = parse_args([*BASE, "--region", "eu-west-1", "--redshift_reporting_secret_arn", arn])
        built = warehouse(args)
    assert built.reporting is not None
    assert built.reporting.username == "shopsync_reporting"
    assert built.reporting.password.get_secret_value() == PASSWORD
    assert (built.iam_role, built.database, built.workgroup) == (
        "arn:aws:iam::1:role/copy",
        "dev",
        "shopsync",
    )


class NoSecrets:
    def get_secret_value(self, **kwargs: str) -> dict[str, Any]:
        raise AssertionError("no reporting secret was given: nothing to read")


def test_without_the_argument_no_secret_is_read_and_no_user_managed() -> None:
    built = warehouse(parse_args(BASE), secrets=NoSecrets())
    assert built.reporting is None


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        (json.dumps({"username": "shopsync_reporting"}), "must hold"),
        (json.dumps({"username": "shopsync_reporting", "password": "weak"}), "reporting password"),
        (f"not json {PASSWORD}", "not JSON"),
    ],
)
def test_a_bad_reporting_secret_fails_without_echoing_it(secret: str, message: str) -> None:
    with mock_aws():
        arn = _secret(secret)
        sm = boto3.client("secretsmanager", region_name="eu-west-1")
        with pytest.raises(ValueError, match=message) as raised:
            reporting_credentials(arn, sm)
    assert PASSWORD not in str(raised.value)
    assert "weak" not in str(raised.value)


def test_a_binary_reporting_secret_is_refused() -> None:
    with mock_aws():
        sm = boto3.client("secretsmanager", region_name="eu-west-1")
        arn = sm.create_secret(Name="shopsync/reporting", SecretBinary=b"\x00")["ARN"]
        with pytest.raises(ValueError, match="no SecretString"):
            reporting_credentials(arn, sm)
