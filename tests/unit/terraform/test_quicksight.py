"""QuickSight's groups, permissions and network, parsed as in test_terraform.py: tenant groups
may use the table datasets (the RLS rules filter their rows), the admin group owns everything
and alone sees the rules, membership is code, and QuickSight reaches the private workgroup
through its own VPC connection (or one given by ARN).
"""

from __future__ import annotations

from typing import Any

from tests.unit.terraform.test_terraform import TERRAFORM, blocks, parse

QUICKSIGHT = TERRAFORM / "modules" / "quicksight"


def _resources() -> dict[str, dict[str, Any]]:
    return blocks(QUICKSIGHT, "resource")


def _locals() -> dict[str, Any]:
    return {k: v for entry in parse(QUICKSIGHT)["locals"] for k, v in entry.items()}


ADMIN = "${local.group_arn[var.admin_group]}"


def test_tenant_groups_may_only_use_datasets_and_the_admin_group_owns_them() -> None:
    resources = _resources()
    assert resources["aws_quicksight_group.tenant"]["for_each"] == (
        "${setsubtract(toset(var.groups), [var.admin_group])}"
    )
    assert resources["aws_quicksight_group.admin"]["group_name"] == "${var.admin_group}"
    assert "distinct(concat(var.groups, [var.admin_group]))" in _locals()["group_arn"]
    # Readers describe, list and pass (build analyses on) a dataset; never change or share it.
    for action in _locals()["reader_actions"]:
        verb = action.removeprefix("quicksight:")
        assert verb.startswith(("Describe", "List")) or verb == "PassDataSet", action
    owner = _locals()["owner_actions"]
    assert owner.startswith("${concat(local.reader_actions, [")
    table = resources["aws_quicksight_data_set.table"]
    [tenants] = [d["permissions"] for d in table["dynamic"] if "permissions" in d]
    assert tenants["for_each"] == "${var.groups}"
    assert tenants["content"] == [
        {"principal": "${local.group_arn[permissions.value]}", "actions": "${local.reader_actions}"}
    ]
    assert table["permissions"] == [{"principal": ADMIN, "actions": "${local.owner_actions}"}]
    # The rules name every group and tenant: the admin group alone may see that dataset.
    rules = resources["aws_quicksight_data_set.rls_rules"]
    assert rules["permissions"] == [{"principal": ADMIN, "actions": "${local.owner_actions}"}]
    assert "dynamic" not in rules
    [source_permission] = resources["aws_quicksight_data_source.warehouse"]["permission"]
    assert source_permission["principal"] == ADMIN


def test_group_membership_is_reviewed_code() -> None:
    membership = _resources()["aws_quicksight_group_membership.this"]
    assert membership["for_each"] == "${local.memberships}"
    assert "var.group_members" in _locals()["memberships"]
    assert set(membership["depends_on"]) == {
        "${aws_quicksight_group.tenant}",
        "${aws_quicksight_group.admin}",
    }
    bi = blocks(TERRAFORM, "module")["bi"]
    assert bi["group_members"] == "${var.quicksight_group_members}"
    assert blocks(TERRAFORM, "variable")["quicksight_group_members"]["default"] == {}


def test_quicksight_reaches_the_warehouse_through_its_own_or_a_given_vpc_connection() -> None:
    resources = _resources()
    created = "${var.vpc_connection_arn == null ? 1 : 0}"
    for name in (
        "aws_quicksight_vpc_connection.this",
        "aws_iam_role.vpc_connection",
        "aws_iam_role_policy.vpc_connection",
    ):
        assert resources[name]["count"] == created, name
    connection = resources["aws_quicksight_vpc_connection.this"]
    assert connection["role_arn"] == "${aws_iam_role.vpc_connection[0].arn}"
    assert connection["subnet_ids"] == "${var.subnet_ids}"
    assert connection["security_group_ids"] == "${var.security_group_ids}"
    [properties] = resources["aws_quicksight_data_source.warehouse"]["vpc_connection_properties"]
    assert properties["vpc_connection_arn"] == (
        "${var.vpc_connection_arn != null ? var.vpc_connection_arn : "
        "aws_quicksight_vpc_connection.this[0].arn}"
    )
    bi = blocks(TERRAFORM, "module")["bi"]
    assert bi["vpc_connection_arn"] == "${var.quicksight_vpc_connection_arn}"


def test_the_secrets_role_is_quicksight_s_and_optional() -> None:
    resources = _resources()
    role = resources["aws_iam_role.secrets"]
    assert (role["name"], role["path"]) == (
        "aws-quicksight-secretsmanager-role-v0",
        "/service-role/",
    )
    assert role["count"] == "${var.manage_secrets_role ? 1 : 0}"
    assert resources["aws_iam_role_policy.secrets"]["count"] == "${var.manage_secrets_role ? 1 : 0}"
    assert resources["aws_iam_role_policy.secrets"]["policy"] == (
        "${data.aws_iam_policy_document.secrets.json}"
    )
    bi = blocks(TERRAFORM, "module")["bi"]
    assert bi["manage_secrets_role"] == "${var.quicksight_manage_secrets_role}"
