"""How code and changes reach AWS, parsed as in test_terraform.py: GitHub signs in with OIDC
(pull requests plan read-only, only main in the protected environment applies), the bootstrap
keeps the state, and the functions and the load job run exactly what the deploy workflow
uploaded to the artifacts bucket.
"""

from __future__ import annotations

import posixpath
import re
from typing import Any

import hcl2
import yaml

from tests.unit.terraform.test_terraform import (
    BOOTSTRAP,
    DIRECTORIES,
    GLUE,
    TERRAFORM,
    UNSCOPED_ACTIONS,
    _unquote,
    blocks,
    document_statements,
    glue_job_arguments,
    hcl_value,
    parse,
)

OIDC = TERRAFORM / "modules" / "github_oidc"
LAMBDA = TERRAFORM / "modules" / "lambda_function"
WORKFLOW = TERRAFORM.parent / ".github" / "workflows" / "deploy.yml"
ISSUER = "token.actions.githubusercontent.com"


def _oidc_locals() -> dict[str, Any]:
    [found] = parse(OIDC)["locals"]
    return found


def _trust(document: str) -> dict[str, Any]:
    [statement] = blocks(OIDC, "data")[f"aws_iam_policy_document.{document}"]["statement"]
    assert statement["actions"] == ["sts:AssumeRoleWithWebIdentity"]
    assert statement["principals"] == [
        {"type": "Federated", "identifiers": ["${local.provider_arn}"]}
    ]
    return statement


def _conditions(statement: dict[str, Any]) -> dict[str, dict[str, Any]]:
    conditions = {c["variable"]: c for c in statement["condition"]}
    assert len(conditions) == len(statement["condition"]), statement  # one test per key
    return conditions


def _coalesce_default(expression: str, variable: str) -> Any:
    """The fallback of ``coalesce(var.<variable>, <fallback>)``."""
    prefix = f"${{coalesce(var.{variable}, "
    assert expression.startswith(prefix), expression
    assert expression.endswith(")}"), expression
    return hcl_value(expression.removeprefix(prefix).removesuffix(")}"))


def test_github_signs_in_through_its_oidc_provider_for_sts() -> None:
    assert _oidc_locals()["issuer"] == ISSUER
    provider = blocks(OIDC, "resource")["aws_iam_openid_connect_provider.github"]
    assert provider["url"] == "https://${local.issuer}"
    assert provider["client_id_list"] == ["sts.amazonaws.com"]
    assert provider["count"] == "${var.existing_provider_arn == null ? 1 : 0}"


def test_the_apply_role_trusts_one_subject_main_in_the_protected_environment() -> None:
    statement = _trust("apply_trust")
    conditions = _conditions(statement)
    assert set(conditions) == {"${local.issuer}:aud", "${local.issuer}:sub"}
    audience = conditions["${local.issuer}:aud"]
    assert (audience["test"], audience["values"]) == ("StringEquals", ["sts.amazonaws.com"])
    subject = conditions["${local.issuer}:sub"]
    assert subject["test"] == "StringEquals"  # never StringLike: no pattern can match more
    assert subject["values"] == ["${local.apply_subject}"]
    default = _coalesce_default(_oidc_locals()["apply_subject"], "apply_subject")
    assert default == "repo:${var.repository}:environment:${var.environment}:ref:refs/heads/main"
    assert "*" not in default
    assert "?" not in default
    role = blocks(OIDC, "resource")["aws_iam_role.apply"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.apply_trust.json}"


def test_the_plan_role_trusts_only_pull_requests_and_only_reads() -> None:
    statement = _trust("plan_trust")
    conditions = _conditions(statement)
    audience = conditions["${local.issuer}:aud"]
    assert (audience["test"], audience["values"]) == ("StringEquals", ["sts.amazonaws.com"])
    assert conditions["${local.issuer}:sub"]["values"] == "${local.plan_subjects}"
    subjects = _coalesce_default(_oidc_locals()["plan_subjects"], "plan_subjects")
    assert subjects
    for subject in subjects:
        assert subject.startswith("repo:${var.repository}:pull_request:"), subject
        assert "environment" not in subject, subject
        assert "refs/heads" not in subject, subject
    resources = blocks(OIDC, "resource")
    assert resources["aws_iam_role.plan"]["assume_role_policy"] == (
        "${data.aws_iam_policy_document.plan_trust.json}"
    )
    # Its managed policy is ReadOnlyAccess and nothing else...
    attached = {
        name: body
        for name, body in resources.items()
        if name.startswith("aws_iam_role_policy_attachment.")
        and body["role"] == "${aws_iam_role.plan.name}"
    }
    assert attached == {
        "aws_iam_role_policy_attachment.plan_read_only": {
            "role": "${aws_iam_role.plan.name}",
            "policy_arn": "${local.arn}:iam::aws:policy/ReadOnlyAccess",
        }
    }
    # ...and its own policy reads the state (no lock, no writes) and the generated secret.
    inline = [body for body in resources.values() if body.get("role") == "${aws_iam_role.plan.id}"]
    assert [body["policy"] for body in inline] == [
        "${data.aws_iam_policy_document.plan_state.json}"
    ]
    document = blocks(OIDC, "data")["aws_iam_policy_document.plan_state"]
    actions = {a for s in document_statements(document) for a in s["actions"]}
    assert actions == {
        "s3:GetObject",
        "s3:ListBucket",
        "kms:Decrypt",
        "secretsmanager:GetSecretValue",
        "secretsmanager:GetRandomPassword",
    }
    [decrypt_any] = [
        s
        for s in document_statements(document)
        if s["resources"] == ["*"] and "kms:Decrypt" in s["actions"]
    ]
    [via] = decrypt_any["condition"]
    assert (via["test"], via["variable"]) == ("StringLike", "kms:ViaService")
    assert via["values"] == ["secretsmanager.*.amazonaws.com"]


def test_the_plan_role_can_refresh_the_reporting_secret_and_no_tenant_secret() -> None:
    prefix = blocks(OIDC, "variable")["generated_secrets_prefix"]["default"]
    assert "generated_secrets_prefix" not in blocks(BOOTSTRAP, "module")["github_oidc"]
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "name" in entry]
    assert root_locals["name"] == "shopsync-${var.stage}"
    assert root_locals["name"].startswith(prefix)
    name = blocks(TERRAFORM, "module")["secrets"]["reporting_secret_name"]
    assert name.startswith("${local.name}/"), name
    # A tenant's Shopify token under the prefix would be readable from any pull request.
    tenants_dir = (TERRAFORM / blocks(TERRAFORM, "variable")["tenants_dir"]["default"]).resolve()
    tenants = sorted(tenants_dir.glob("*.yaml"))
    assert tenants
    for path in tenants:
        secret = yaml.safe_load(path.read_text())["auth"]["secret"]
        assert not secret.startswith(prefix), (path.name, secret)


def test_the_apply_role_manages_every_role_the_stack_creates() -> None:
    prefix = blocks(OIDC, "variable")["role_prefix"]["default"]
    assert "role_prefix" not in blocks(BOOTSTRAP, "module")["github_oidc"]
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "name" in entry]
    assert root_locals["name"].startswith(prefix)
    [managed] = [
        s
        for s in document_statements(blocks(OIDC, "data")["aws_iam_policy_document.apply_iam"])
        if s.get("sid") == "StackRoles"
    ]
    all_locals = {k: v for entry in parse(TERRAFORM)["locals"] for k, v in entry.items()}
    roles = 0
    for module, call in blocks(TERRAFORM, "module").items():
        for name, role in blocks(TERRAFORM / call["source"], "resource").items():
            if not name.startswith("aws_iam_role."):
                continue
            roles += 1
            named = re.match(r"\$\{var\.(\w+)\}", role["name"])
            if named:  # a name the root passes: it must start with local.name
                passed = call[named[1]]
                local = re.match(r"\$\{local\.(\w+)\}", passed)
                if local and local[1] != "name":  # e.g. local.ingestion_function
                    passed = all_locals[local[1]]
                assert passed.startswith("${local.name}"), (module, name, passed)
            else:  # a fixed name: the apply role must name it
                path = role.get("path", "/").strip("/")
                arn = "/".join(filter(None, [path, role["name"]]))
                assert any(r.endswith(f":role/{arn}") for r in managed["resources"]), arn
    assert roles >= 8


def test_the_bootstrap_keeps_the_state_private_versioned_encrypted_and_local() -> None:
    [settings] = parse(BOOTSTRAP)["terraform"]
    assert "backend" not in settings  # the bootstrap makes the bucket every other state is in
    resources = blocks(BOOTSTRAP, "resource")
    public = resources["aws_s3_bucket_public_access_block.state"]
    for setting in (
        "block_public_acls",
        "block_public_policy",
        "ignore_public_acls",
        "restrict_public_buckets",
    ):
        assert public[setting] is True, setting
    versioning = resources["aws_s3_bucket_versioning.state"]
    assert versioning["versioning_configuration"] == [{"status": "Enabled"}]
    [rule] = resources["aws_s3_bucket_server_side_encryption_configuration.state"]["rule"]
    assert rule["apply_server_side_encryption_by_default"] == [
        {"sse_algorithm": "aws:kms", "kms_master_key_id": "${aws_kms_key.state.arn}"}
    ]
    policy = resources["aws_s3_bucket_policy.state"]
    assert policy["policy"] == "${data.aws_iam_policy_document.state_tls_only.json}"
    [deny] = blocks(BOOTSTRAP, "data")["aws_iam_policy_document.state_tls_only"]["statement"]
    assert deny["effect"] == "Deny"
    assert deny["condition"] == [
        {"test": "Bool", "variable": "aws:SecureTransport", "values": ["false"]}
    ]
    oidc = blocks(BOOTSTRAP, "module")["github_oidc"]
    assert oidc["source"] == "../modules/github_oidc"
    assert oidc["repository"] == "${var.github_repository}"
    assert oidc["state_bucket_arn"] == "${aws_s3_bucket.state.arn}"
    assert oidc["state_key_arn"] == "${aws_kms_key.state.arn}"
    outputs = blocks(BOOTSTRAP, "output")
    assert outputs["plan_role_arn"]["value"] == "${module.github_oidc.plan_role_arn}"
    assert outputs["apply_role_arn"]["value"] == "${module.github_oidc.apply_role_arn}"


def test_the_workflow_applies_only_main_in_the_environment_the_apply_role_trusts() -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    jobs = workflow["jobs"]
    applying = {name: job for name, job in jobs.items() if "apply" in str(job.get("steps", []))}
    assert applying
    environment = blocks(OIDC, "variable")["environment"]["default"]
    for name, job in applying.items():
        assert job["environment"] == environment, name
        assert "github.ref == 'refs/heads/main'" in job["if"], name
        assert "AWS_APPLY_ROLE_ARN" in str(job["steps"]), name
    for name, job in jobs.items():
        if "AWS_PLAN_ROLE_ARN" in str(job.get("steps", [])):
            assert "pull_request" in job["if"], name
            assert "environment" not in job, name  # its token's sub is the pull request's


def test_the_workflow_uploads_the_code_where_the_stack_reads_it() -> None:
    steps = str(yaml.safe_load(WORKFLOW.read_text())["jobs"])
    variables = blocks(TERRAFORM, "variable")
    for key in ("lambda_s3_key", "glue_script_s3_key"):
        assert f'"s3://${{bucket}}/{variables[key]["default"]}"' in steps, key
    # The wheel's key is passed to the plan; it shares the script's directory (JobCode).
    script_dir = posixpath.dirname(variables["glue_script_s3_key"]["default"])
    assert f'"s3://${{bucket}}/{script_dir}/${{wheel}}"' in steps
    assert "glue_wheel_s3_key=${{ steps.upload.outputs.wheel_key }}" in steps
    assert posixpath.dirname(variables["glue_wheel_s3_key"]["default"]) == script_dir


def test_functions_run_the_package_version_in_the_artifacts_bucket() -> None:
    function = blocks(LAMBDA, "resource")["aws_lambda_function.this"]
    assert function["s3_bucket"] == "${var.code.bucket}"
    assert function["s3_key"] == "${var.code.key}"
    assert function["s3_object_version"] == "${var.code.version}"
    for local_package in ("filename", "source_code_hash", "image_uri"):
        assert local_package not in function, local_package
    code = blocks(LAMBDA, "variable")["code"]
    assert "default" not in code
    for field in ("bucket", "key", "version"):
        assert f"{field} = string" in code["type"], field
    modules = blocks(TERRAFORM, "module")
    for name in ("ingestion", "scheduler"):
        assert modules[name]["code"] == "${local.lambda_code}", name
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "lambda_code" in entry]
    assert root_locals["lambda_code"] == {
        "bucket": "${module.storage.artifacts_bucket_name}",
        "key": "${var.lambda_s3_key}",
        "version": "${data.aws_s3_object.lambda_package.version_id}",
    }
    assert blocks(TERRAFORM, "data")["aws_s3_object.lambda_package"] == {
        "bucket": "${module.storage.artifacts_bucket_name}",
        "key": "${var.lambda_s3_key}",
    }
    assert blocks(TERRAFORM, "output")["lambda_code_version"]["value"] == (
        "${local.lambda_code.version}"
    )
    # Nothing zips or uploads code inside Terraform any more.
    for directory in DIRECTORIES:
        for kind in ("resource", "data"):
            for name in blocks(directory, kind):
                assert not name.startswith(("archive_", "aws_s3_object.")) or (
                    directory == TERRAFORM and name == "aws_s3_object.lambda_package"
                ), (directory.name, name)


def test_functions_run_in_the_vpc_with_a_dead_letter_queue_and_the_stack_key() -> None:
    resources = blocks(LAMBDA, "resource")
    function = resources["aws_lambda_function.this"]
    assert function["vpc_config"] == [
        {"subnet_ids": "${var.subnet_ids}", "security_group_ids": "${var.security_group_ids}"}
    ]
    assert function["dead_letter_config"] == [{"target_arn": "${aws_sqs_queue.dead_letters.arn}"}]
    assert function["kms_key_arn"] == "${var.kms_key_arn}"
    assert "${aws_iam_role_policy_attachment.vpc}" in function["depends_on"]
    variables = blocks(LAMBDA, "variable")
    for required in ("subnet_ids", "security_group_ids", "kms_key_arn"):
        assert "default" not in variables[required], required
    assert resources["aws_sqs_queue.dead_letters"]["kms_master_key_id"] == "${var.kms_key_arn}"
    assert resources["aws_cloudwatch_log_group.this"]["kms_key_id"] == "${var.kms_key_arn}"
    assert resources["aws_iam_role_policy_attachment.vpc"]["policy_arn"].endswith(
        ":iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
    )
    runtime = blocks(LAMBDA, "data")["aws_iam_policy_document.runtime"]
    by_sid = {s["sid"]: s for s in document_statements(runtime)}
    assert by_sid["DeadLetters"]["actions"] == ["sqs:SendMessage"]
    assert by_sid["DeadLetters"]["resources"] == ["${aws_sqs_queue.dead_letters.arn}"]
    assert by_sid["StackKey"]["resources"] == ["${var.kms_key_arn}"]


#: Arguments that reserve Lambda concurrency, in module calls and resources.
RESERVATIONS = re.compile(r"reserved_concurren")


def _reservations(body: Any, where: str) -> list[tuple[str, Any]]:
    found = []
    if isinstance(body, dict):
        for key, value in body.items():
            if RESERVATIONS.search(key):
                found.append((f"{where}.{key}", value))
            found.extend(_reservations(value, f"{where}.{key}"))
    elif isinstance(body, list):
        for item in body:
            found.extend(_reservations(item, where))
    return found


def test_no_function_reserves_a_concurrency_of_one() -> None:
    """A reservation of 1 fails in new accounts (quota 10, of which Lambda keeps 10 unreserved)
    and serialises ticks that leases already keep apart."""
    settings = []
    for directory in DIRECTORIES:
        for kind in ("module", "resource", "variable"):
            settings += _reservations(blocks(directory, kind), f"{directory.name}/{kind}")
    tfvars = sorted((TERRAFORM / "environments").glob("*.tfvars"))
    for path in tfvars:
        values = _unquote(hcl2.loads(path.read_text()))
        settings += _reservations(values, path.name)
    assert settings
    for where, value in settings:
        assert value not in (1, "1"), where
    assert blocks(LAMBDA, "variable")["reserved_concurrency"]["default"] == -1
    assert blocks(TERRAFORM, "variable")["scheduler_reserved_concurrency"]["default"] == -1
    function = blocks(LAMBDA, "resource")["aws_lambda_function.this"]
    assert function["reserved_concurrent_executions"] == "${var.reserved_concurrency}"
    modules = blocks(TERRAFORM, "module")
    assert modules["scheduler"]["reserved_concurrency"] == "${var.scheduler_reserved_concurrency}"
    variables = blocks(TERRAFORM, "variable")
    assert variables["ingestion_reserved_concurrency"]["default"] == -1
    assert modules["ingestion"]["reserved_concurrency"] == "${var.ingestion_reserved_concurrency}"


def test_the_load_job_runs_the_script_and_wheel_the_deploy_uploaded() -> None:
    resources = blocks(GLUE, "resource")
    assert not [name for name in resources if name.startswith("aws_s3_object.")]
    job = resources["aws_glue_job.load"]
    [command] = job["command"]
    assert command["script_location"] == "s3://${var.artifacts_bucket}/${var.script_key}"
    always, _ = glue_job_arguments()
    assert always["--additional-python-modules"] == "s3://${var.artifacts_bucket}/${var.wheel_key}"
    load = blocks(TERRAFORM, "module")["load"]
    assert load["artifacts_bucket"] == "${module.storage.artifacts_bucket_name}"
    assert load["script_key"] == "${var.glue_script_s3_key}"
    assert load["wheel_key"] == "${var.glue_wheel_s3_key}"
    # The job may read the script's directory of the artifacts bucket, which holds the wheel.
    glue = blocks(GLUE, "data")["aws_iam_policy_document.glue"]
    [code] = [s for s in document_statements(glue) if s.get("sid") == "JobCode"]
    assert code["actions"] == ["s3:GetObject"]
    assert code["resources"] == [
        "${local.arn_prefix}:s3:::${var.artifacts_bucket}/${dirname(var.script_key)}/*"
    ]
    # Everything Glue writes is encrypted with the stack key.
    for name in ("aws_glue_job.load", "aws_glue_crawler.raw"):
        assert resources[name]["security_configuration"] == (
            "${aws_glue_security_configuration.this.name}"
        ), name
    [encryption] = resources["aws_glue_security_configuration.this"]["encryption_configuration"]
    for setting in ("cloudwatch_encryption", "job_bookmarks_encryption", "s3_encryption"):
        [configured] = encryption[setting]
        assert configured["kms_key_arn"] == "${var.kms_key_arn}", setting


def test_the_load_job_may_use_the_one_workgroup_it_loads() -> None:
    glue = blocks(GLUE, "data")["aws_iam_policy_document.glue"]
    statements = {s.get("sid"): s for s in document_statements(glue)}
    warehouse = statements["Warehouse"]
    assert warehouse["resources"] == ["${statement.value.workgroup_arn}"]
    assert sorted(warehouse["actions"]) == [
        "redshift-data:BatchExecuteStatement",
        "redshift-data:ExecuteStatement",
        "redshift-serverless:GetCredentials",
    ]
    # Only with a warehouse, and statement.value is var.warehouse.
    for dynamic in glue["dynamic"]:
        assert dynamic["statement"]["for_each"] == "${var.warehouse == null ? [] : [var.warehouse]}"
    # Nothing else names a workgroup, and the polling actions alone take "*".
    source = (GLUE / "main.tf").read_text()
    assert "workgroup/*" not in source
    for sid, statement in statements.items():
        if sid == "Warehouse":
            continue
        assert not [a for a in statement["actions"] if a.startswith("redshift")] or (
            statement["resources"] == ["*"] and set(statement["actions"]) <= UNSCOPED_ACTIONS
        ), sid
