"""Stack-wide hardening, parsed as in test_terraform.py: every service role trusts its service
only on this account's behalf, every checkov skip says why, and no directory of Terraform
escapes the static tests.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tests.unit.terraform.test_terraform import (
    DIRECTORIES,
    TERRAFORM,
    blocks,
    document_statements,
    policy_statements,
)

#: The condition keys that stop a service acting for another account (confused deputy).
CONFUSED_DEPUTY_KEYS = {"aws:SourceAccount", "aws:SourceArn"}


def _service_principals(statement: dict[str, Any]) -> list[str]:
    return [
        identifier
        for principal in statement.get("principals", [])
        if principal["type"] == "Service"
        for identifier in principal["identifiers"]
    ]


def _condition_keys(statement: dict[str, Any]) -> dict[str, list[Any]]:
    return {c["variable"]: c["values"] for c in statement.get("condition", [])}


def test_every_service_trust_is_limited_to_this_account_or_resource() -> None:
    trusts = set()
    for where, statement in policy_statements():
        if "sts:AssumeRole" not in statement["actions"] or not _service_principals(statement):
            continue
        trusts.add(where)
        conditions = _condition_keys(statement)
        keys = CONFUSED_DEPUTY_KEYS & set(conditions)
        assert keys, (where, statement)
        for key in keys:
            assert conditions[key], (where, key)
            assert "*" not in conditions[key], (where, key, conditions[key])
    # Every service role of the stack, so the check above is not vacuous.
    assert {
        "glue/aws_iam_policy_document.assume",
        "lambda_function/aws_iam_policy_document.assume",
        "redshift/aws_iam_policy_document.assume",
        "quicksight/aws_iam_policy_document.assume",
        "eventbridge_rule/aws_iam_policy_document.assume",
        "eventbridge_scheduler/aws_iam_policy_document.assume",
        "network/aws_iam_policy_document.flow_assume",
    } <= trusts


def test_every_role_trust_is_a_policy_document_the_checks_see() -> None:
    roles = 0
    for directory in DIRECTORIES:
        documents = {
            name
            for name in blocks(directory, "data")
            if name.startswith("aws_iam_policy_document.")
        }
        for name, body in blocks(directory, "resource").items():
            if name.startswith("aws_iam_role."):
                roles += 1
                match = re.fullmatch(
                    r"\$\{data\.(aws_iam_policy_document\.\w+)\.json\}", body["assume_role_policy"]
                )
                assert match, (directory.name, name)
                assert match[1] in documents, (directory.name, name)
    assert roles >= 10


def test_every_service_granted_access_by_a_resource_policy_is_scoped_too() -> None:
    """Bucket and key policies: a service principal acts only for this account (CloudWatch Logs,
    which a key policy scopes by its encryption context, as AWS documents)."""
    for where, statement in policy_statements():
        services = _service_principals(statement)
        if statement.get("effect") == "Deny" or not services:
            continue
        conditions = _condition_keys(statement)
        if CONFUSED_DEPUTY_KEYS & set(conditions):
            continue
        assert all(re.fullmatch(r"logs\.\$\{[\w.]+\}\.amazonaws\.com", s) for s in services), (
            where,
            statement,
        )
        context = conditions.get("kms:EncryptionContext:aws:logs:arn")
        assert context, (where, statement)
        assert all(":log-group:" in v for v in context), (where, statement)


def test_every_kms_key_rotates_and_has_a_key_policy() -> None:
    by_name = {directory.name: directory for directory in DIRECTORIES}
    keys = {
        (directory.name, name): body
        for directory in DIRECTORIES
        for name, body in blocks(directory, "resource").items()
        if name.startswith("aws_kms_key.")
    }
    assert set(keys) == {("bootstrap", "aws_kms_key.state"), ("encryption", "aws_kms_key.this")}
    for (directory, name), key in keys.items():
        assert key["enable_key_rotation"] is True, name
        [document] = re.findall(r"data\.(aws_iam_policy_document\.\w+)\.json", key["policy"])
        assert document_statements(blocks(by_name[directory], "data")[document]), name


#: A checkov skip: ``checkov:skip=<check id>: <why>``.
CHECKOV_SKIP = re.compile(r"checkov:skip=(?P<check>CKV2?_[A-Z0-9]+_\d+):(?P<reason>.*)$")


def _terraform_files() -> list[Path]:
    return sorted(
        path
        for pattern in ("*.tf", "*.tfvars", "*.hcl")
        for path in TERRAFORM.rglob(pattern)
        if ".terraform" not in path.relative_to(TERRAFORM).parts
    )


def test_every_checkov_skip_says_why() -> None:
    skips = 0
    for path in _terraform_files():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if "checkov" not in line:
                continue
            where = f"{path.relative_to(TERRAFORM)}:{number}"
            comment = re.search(r"(#|//)\s*(?P<text>checkov.*)$", line)
            assert comment, f"{where}: checkov outside a comment"
            skip = CHECKOV_SKIP.fullmatch(comment["text"].rstrip())
            assert skip, f"{where}: not `checkov:skip=<CHECK_ID>: <reason>`: {line.strip()}"
            assert len(skip["reason"].strip()) >= 20, f"{where}: {skip['check']} has no reason"
            skips += 1
    assert skips >= 10


def test_every_directory_of_terraform_is_checked() -> None:
    with_tf = {
        path.parent
        for path in TERRAFORM.rglob("*.tf")
        if ".terraform" not in path.relative_to(TERRAFORM).parts
    }
    assert with_tf == set(DIRECTORIES)
