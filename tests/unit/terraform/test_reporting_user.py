"""QuickSight connects as the read-only reporting user, and only the load job reads its secret.

The HCL parsed as in test_terraform.py: the reporting user's secret is generated in the
redshift module, QuickSight's data source takes it instead of the admin's, the Glue job gets its
ARN as an argument and may read exactly that secret and the admin's, and the user name
Terraform accepts is one :mod:`shopsync.warehouse.grants` accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shopsync.warehouse import grants
from tests.unit.terraform.test_terraform import TERRAFORM, blocks, parse, policy_statements

REDSHIFT = TERRAFORM / "modules" / "redshift"
QUICKSIGHT = TERRAFORM / "modules" / "quicksight"
GLUE = TERRAFORM / "modules" / "glue"


def test_quicksight_connects_with_the_reporting_secret_not_the_admin_one() -> None:
    source = blocks(QUICKSIGHT, "resource")["aws_quicksight_data_source.warehouse"]
    assert source["credentials"] == [{"secret_arn": "${var.reporting_secret_arn}"}]
    bi = blocks(TERRAFORM, "module")["bi"]
    assert bi["reporting_secret_arn"] == "${module.warehouse.reporting_secret_arn}"
    assert not any("admin" in str(value) for value in bi.values()), bi
    assert not any("admin" in name for name in blocks(QUICKSIGHT, "variable"))


def test_the_reporting_secret_holds_a_generated_password_redshift_accepts() -> None:
    resources = blocks(REDSHIFT, "resource")
    password = resources["random_password.reporting"]
    # Redshift's clear-text rules: 8-64 characters with upper, lower and a digit; no special
    # characters, so none of ' " \ / @ can appear.
    assert 8 <= password["length"] <= 64
    assert password["special"] is False
    assert password["min_upper"] >= 1
    assert password["min_lower"] >= 1
    assert password["min_numeric"] >= 1
    secret = resources["aws_secretsmanager_secret.reporting"]
    assert "${var.reporting_username}" in secret["name"]
    version = resources["aws_secretsmanager_secret_version.reporting"]
    assert version["secret_id"] == "${aws_secretsmanager_secret.reporting.id}"
    # The JSON QuickSight reads: {"username": ..., "password": ...}.
    assert re.search(r"\busername = var\.reporting_username\b", version["secret_string"])
    assert re.search(r"\bpassword = random_password\.reporting\.result\b", version["secret_string"])
    outputs = blocks(REDSHIFT, "output")
    assert outputs["reporting_secret_arn"]["value"] == (
        "${aws_secretsmanager_secret_version.reporting.arn}"  # readers wait for the value
    )


@pytest.mark.parametrize("directory", [TERRAFORM, REDSHIFT], ids=lambda p: p.name)
def test_the_random_provider_is_declared_where_it_is_used(directory: Path) -> None:
    [settings] = parse(directory)["terraform"]
    providers = settings["required_providers"][0]
    assert providers["random"]["source"] == "hashicorp/random"


def test_the_load_job_gets_the_reporting_secret_as_an_argument() -> None:
    job = blocks(GLUE, "resource")["aws_glue_job.load"]
    assert job["default_arguments"]["--redshift_reporting_secret_arn"] == (
        "${var.reporting_secret_arn}"
    )
    load = blocks(TERRAFORM, "module")["load"]
    assert load["reporting_secret_arn"] == "${module.warehouse.reporting_secret_arn}"
    assert load["redshift_secret_arn"] == "${module.warehouse.admin_secret_arn}"  # loads as admin
    outputs = blocks(TERRAFORM, "output")
    assert outputs["reporting_secret_arn"]["value"] == "${module.warehouse.reporting_secret_arn}"


def test_only_the_load_job_reads_secrets_beyond_the_tenants_and_only_those_two() -> None:
    readers: dict[str, list[str]] = {}
    for where, statement in policy_statements():
        secret_actions = [a for a in statement["actions"] if a.startswith("secretsmanager:")]
        if secret_actions:
            assert secret_actions == ["secretsmanager:GetSecretValue"], (where, statement)
            readers.setdefault(where, []).extend(statement["resources"])
    assert readers["glue/aws_iam_policy_document.glue"] == [
        "${var.redshift_secret_arn}",
        "${var.reporting_secret_arn}",
    ]
    assert set(readers) == {
        "glue/aws_iam_policy_document.glue",
        "terraform/aws_iam_policy_document.ingestion",
    }
    assert "reporting" not in str(readers["terraform/aws_iam_policy_document.ingestion"])


def test_terraform_accepts_the_user_names_the_grants_accept() -> None:
    variable = blocks(REDSHIFT, "variable")["reporting_username"]
    condition = variable["validation"][0]["condition"]
    assert f'regex("{grants.USER_PATTERN}", var.reporting_username)' in condition
    for reserved in ("public", "rdsdb", "pg_"):
        assert f'"{reserved}"' in condition
    assert grants.check_user(variable["default"]) == variable["default"]
    root = blocks(TERRAFORM, "variable")["reporting_username"]
    assert root["default"] == variable["default"]
    assert blocks(TERRAFORM, "module")["warehouse"]["reporting_username"] == (
        "${var.reporting_username}"
    )
