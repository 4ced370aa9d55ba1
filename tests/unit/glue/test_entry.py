"""The Glue entry's arguments (argparse locally, same names as in Glue) and run properties."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shopsync_glue.entry import JobArgs, parse_args, workflow_event_ids

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
        ]
    )
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
