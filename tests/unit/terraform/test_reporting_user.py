"""QuickSight connects as the read-only reporting user, and only its readers read its secret.

The HCL parsed as in test_terraform.py: the reporting user's secret is made in the secrets
module with a password Secrets Manager generates (no random provider), QuickSight's data source
takes it instead of the admin's, the Glue job gets its ARN as an argument and may read exactly
that secret and the warehouse admin's, and the user name Terraform accepts is one
:mod:`shopsync.reporting.grants` accepts.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shopsync.reporting import grants
from tests.unit.terraform.test_terraform import (
    DIRECTORIES,
    KEY_POLICIES,
    TERRAFORM,
    blocks,
    document_statements,
    glue_job_arguments,
    load_warehouse,
    parse,
    policy_statements,
)

REDSHIFT = TERRAFORM / "modules" / "redshift"
SECRETS = TERRAFORM / "modules" / "secrets"
QUICKSIGHT = TERRAFORM / "modules" / "quicksight"
GLUE = TERRAFORM / "modules" / "glue"


def test_quicksight_connects_with_the_reporting_secret_not_the_admin_one() -> None:
    source = blocks(QUICKSIGHT, "resource")["aws_quicksight_data_source.warehouse"]
    assert source["credentials"] == [{"secret_arn": "${var.reporting_secret_arn}"}]
    bi = blocks(TERRAFORM, "module")["bi"]
    assert bi["reporting_secret_arn"] == "${module.secrets.reporting_secret_arn}"
    # The warehouse admin's secret never reaches QuickSight; the one "admin" input is
    # QuickSight's own admin group.
    assert not any("admin_secret" in str(value) for value in bi.values()), bi
    assert bi["admin_group"] == "${var.quicksight_admin_group}"
    variables = blocks(QUICKSIGHT, "variable")
    assert {name for name in variables if "admin" in name} == {"admin_group"}
    assert {name for name in variables if "secret_arn" in name} == {"reporting_secret_arn"}
    # And the role QuickSight reads data-source secrets with may read that secret alone.
    document = blocks(QUICKSIGHT, "data")["aws_iam_policy_document.secrets"]
    read = [s for s in document_statements(document) if s["sid"] == "ReportingSecret"]
    assert [s["resources"] for s in read] == [["${var.reporting_secret_arn}"]]


def test_the_reporting_secret_holds_a_password_secrets_manager_generates_once() -> None:
    password = blocks(SECRETS, "data")["aws_secretsmanager_random_password.reporting"]
    # Redshift's clear-text rules: 8-64 characters with upper, lower and a digit; no
    # punctuation, so none of ' " \ / @ can appear, and no space.
    assert 8 <= password["password_length"] <= 64
    assert password["exclude_punctuation"] is True
    assert password["require_each_included_type"] is True
    for excluded in ("exclude_uppercase", "exclude_lowercase", "exclude_numbers", "include_space"):
        assert password.get(excluded, False) is False, excluded
    resources = blocks(SECRETS, "resource")
    secret = resources["aws_secretsmanager_secret.reporting"]
    assert secret["name"] == "${var.reporting_secret_name}"
    assert secret["kms_key_id"] == "${var.kms_key_arn}"
    assert (
        "${var.reporting_username}"
        in blocks(TERRAFORM, "module")["secrets"]["reporting_secret_name"]
    )
    version = resources["aws_secretsmanager_secret_version.reporting"]
    assert version["secret_id"] == "${aws_secretsmanager_secret.reporting.id}"
    # The JSON QuickSight reads: {"username": ..., "password": ...}.
    assert re.search(r"\busername = var\.reporting_username\b", version["secret_string"])
    assert re.search(
        r"\bpassword = data\.aws_secretsmanager_random_password\.reporting\.random_password\b",
        version["secret_string"],
    )
    # The data source draws a new password on every plan: the version keeps the first one.
    [lifecycle] = version["lifecycle"]
    assert "secret_string" in lifecycle["ignore_changes"]
    outputs = blocks(SECRETS, "output")
    assert outputs["reporting_secret_arn"]["value"] == (
        "${aws_secretsmanager_secret_version.reporting.arn}"  # readers wait for the value
    )
    # The redshift module no longer makes a reporting secret of its own.
    assert not [name for name in blocks(REDSHIFT, "resource") if "secret" in name]


@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda p: p.name)
def test_no_random_provider_is_required_or_used(directory: Path) -> None:
    [settings] = parse(directory)["terraform"]
    providers = settings["required_providers"][0]
    assert "random" not in providers, directory.name
    assert all(p.get("source") != "hashicorp/random" for p in providers.values()), providers
    for kind in ("resource", "data"):
        used = [name for name in blocks(directory, kind) if name.startswith("random_")]
        assert not used, (directory.name, used)


def test_the_lock_file_pins_no_random_provider() -> None:
    lock = (TERRAFORM / ".terraform.lock.hcl").read_text()
    assert 'provider "registry.terraform.io/hashicorp/aws"' in lock
    assert "hashicorp/random" not in lock


def test_the_load_job_gets_the_reporting_secret_as_an_argument() -> None:
    always, with_warehouse = glue_job_arguments()
    assert always["--redshift_reporting_secret_arn"] == "${var.reporting_secret_arn}"
    assert with_warehouse["--redshift_secret_arn"] == "${var.warehouse.admin_secret_arn}"
    load = blocks(TERRAFORM, "module")["load"]
    assert load["reporting_secret_arn"] == "${module.secrets.reporting_secret_arn}"
    # It loads as the admin.
    assert load_warehouse()["admin_secret_arn"] == "${module.warehouse[0].admin_secret_arn}"
    outputs = blocks(TERRAFORM, "output")
    assert outputs["reporting_secret_arn"]["value"] == "${module.secrets.reporting_secret_arn}"


#: Who may read which secret: the load job (the warehouse admin's, the reporting user's),
#: ingestion (the tenants'), QuickSight's secrets role (the reporting user's) and the plan role
#: (the secrets Terraform generates, for refresh).
SECRET_READERS = {
    "glue/aws_iam_policy_document.glue": [
        "${statement.value.admin_secret_arn}",  # dynamic: only with a warehouse
        "${var.reporting_secret_arn}",
    ],
    "quicksight/aws_iam_policy_document.secrets": ["${var.reporting_secret_arn}"],
    "github_oidc/aws_iam_policy_document.plan_state": [
        "${local.arn}:secretsmanager:*:*:secret:${var.generated_secrets_prefix}*/redshift/*"
    ],
}


def test_each_secret_reader_reads_only_its_own_secrets() -> None:
    readers: dict[str, list[str]] = {}
    for where, statement in policy_statements():
        if statement.get("effect") == "Deny" or where in KEY_POLICIES:
            continue  # TLS-only denials and key policies
        secret_actions = [a for a in statement["actions"] if a.startswith("secretsmanager:")]
        if not secret_actions or secret_actions == ["secretsmanager:GetRandomPassword"]:
            continue  # drawing a password reads no secret
        expected = {"secretsmanager:GetSecretValue"}
        if where == "quicksight/aws_iam_policy_document.secrets":
            expected.add("secretsmanager:DescribeSecret")  # QuickSight describes it first
        assert set(secret_actions) <= expected, (where, statement)
        resources = statement["resources"]
        readers.setdefault(where, []).extend(
            [resources] if isinstance(resources, str) else resources
        )
    tenants = readers.pop("terraform/aws_iam_policy_document.tenant_run")
    [tenant_secrets] = tenants
    assert "values(module.secrets.secret_arns)" in tenant_secrets
    assert "reporting" not in tenant_secrets
    assert {where: sorted(found) for where, found in readers.items()} == {
        where: sorted(found) for where, found in SECRET_READERS.items()
    }
    # The load job reads the admin secret only through the warehouse object, and only when
    # there is one.
    glue = blocks(GLUE, "data")["aws_iam_policy_document.glue"]
    [admin] = [
        d["statement"]
        for d in glue["dynamic"]
        if d["statement"]["content"][0]["sid"] == "WarehouseSecret"
    ]
    assert admin["for_each"] == "${var.warehouse == null ? [] : [var.warehouse]}"


def test_terraform_accepts_the_user_names_the_grants_accept() -> None:
    variable = blocks(SECRETS, "variable")["reporting_username"]
    condition = variable["validation"][0]["condition"]
    assert f'regex("{grants.USER_PATTERN}", var.reporting_username)' in condition
    for reserved in ("public", "rdsdb", "pg_"):
        assert f'"{reserved}"' in condition
    assert grants.check_user(variable["default"]) == variable["default"]
    root = blocks(TERRAFORM, "variable")["reporting_username"]
    assert root["default"] == variable["default"]
    assert blocks(TERRAFORM, "module")["secrets"]["reporting_username"] == (
        "${var.reporting_username}"
    )
    assert "reporting_username" not in blocks(REDSHIFT, "variable")
