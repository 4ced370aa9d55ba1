"""The Terraform, parsed (terraform validate needs provider downloads, which CI may not have).

Asserts what matters: module layout and documentation, tenant-driven resources, and least
privilege in every policy the stack grants.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest

from shopsync.reporting.finance import VIEW_COLUMNS
from shopsync.reporting.quicksight import render
from shopsync.schedule.requests import SafetyNetRequest, TickRequest, parse_scheduler_event
from shopsync.settings import Settings
from shopsync.warehouse.specs import TABLES
from tests.support.paths import TERRAFORM_DIR

TERRAFORM = TERRAFORM_DIR
BOOTSTRAP = TERRAFORM / "bootstrap"
MODULES = sorted(p for p in (TERRAFORM / "modules").iterdir() if p.is_dir())
GLUE = TERRAFORM / "modules" / "glue"
#: Every directory of .tf files: the stack's root, the bootstrap root and the modules.
DIRECTORIES = [TERRAFORM, BOOTSTRAP, *MODULES]


def _unquote(value: Any) -> Any:
    if isinstance(value, dict):
        return {
            _unquote(k): _unquote(v)
            for k, v in value.items()
            if k not in ("__is_block__", "__comments__")
        }
    if isinstance(value, list):
        return [_unquote(v) for v in value]
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


@cache
def parse(directory: Path) -> dict[str, list[Any]]:
    merged: dict[str, list[Any]] = {}
    for path in sorted(directory.glob("*.tf")):
        for block, entries in _unquote(hcl2.loads(path.read_text())).items():
            merged.setdefault(block, []).extend(entries)
    return merged


def blocks(directory: Path, kind: str) -> dict[str, dict[str, Any]]:
    """``resource``/``data`` as {"type.name": body}; ``variable``/``output``/``module`` by name."""
    found: dict[str, dict[str, Any]] = {}
    for entry in parse(directory).get(kind, []):
        for first, rest in entry.items():
            if kind in ("resource", "data"):
                for name, body in rest.items():
                    found[f"{first}.{name}"] = body
            else:
                found[first] = rest
    return found


def hcl_value(expression: str) -> Any:
    """An object or list literal taken out of an expression (as hcl2 renders it, e.g. an
    argument of ``merge()``), parsed the way a file's values are."""
    return _unquote(hcl2.loads(f"value = {expression}"))["value"]


def document_statements(document: dict[str, Any]) -> list[dict[str, Any]]:
    """A policy document's statements: its ``statement`` blocks, then the ``content`` of its
    ``dynamic "statement"`` blocks (each rendered once per ``for_each`` item)."""
    found = list(document.get("statement", []))
    for dynamic in document.get("dynamic", []):
        found.extend(dynamic.get("statement", {}).get("content", []))
    return found


def policy_statements() -> list[tuple[str, dict[str, Any]]]:
    """Every statement of every ``aws_iam_policy_document``, dynamic ones included, as
    ("<directory>/aws_iam_policy_document.<name>", statement)."""
    statements = []
    for directory in DIRECTORIES:
        for name, body in blocks(directory, "data").items():
            if name.startswith("aws_iam_policy_document."):
                for statement in document_statements(body):
                    statements.append((f"{directory.name}/{name}", statement))
    return statements


def glue_job_arguments() -> tuple[dict[str, str], dict[str, str]]:
    """The load job's default_arguments: those of every stack, and those only a stack with a
    warehouse adds (``merge(always, var.warehouse == null ? {} : with_warehouse)``)."""
    expression = blocks(GLUE, "resource")["aws_glue_job.load"]["default_arguments"]
    prefix, middle, suffix = "${merge(", ", var.warehouse == null ? {} : ", ")}"
    assert expression.startswith(prefix), expression
    assert expression.endswith(suffix), expression
    always, found, with_warehouse = expression[len(prefix) : -len(suffix)].partition(middle)
    assert found, expression
    return hcl_value(always), hcl_value(with_warehouse)


def load_warehouse() -> dict[str, str]:
    """What the root passes the load module as ``warehouse``: the warehouse module's outputs
    when enable_redshift, else null."""
    expression = blocks(TERRAFORM, "module")["load"]["warehouse"]
    prefix, suffix = "${var.enable_redshift ? ", " : null}"
    assert expression.startswith(prefix), expression
    assert expression.endswith(suffix), expression
    return hcl_value(expression[len(prefix) : -len(suffix)])


@pytest.mark.parametrize("module", [*MODULES, BOOTSTRAP], ids=lambda p: p.name)
def test_every_module_has_the_standard_files(module: Path) -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (module / name).is_file(), f"{module.name}/{name} is missing"


@pytest.mark.parametrize("directory", DIRECTORIES, ids=lambda p: p.name)
def test_every_variable_is_typed_and_described_and_every_output_described(
    directory: Path,
) -> None:
    for name, body in blocks(directory, "variable").items():
        assert "type" in body, f"{directory.name}: variable {name} has no type"
        assert body.get("description"), f"{directory.name}: variable {name} has no description"
    for name, body in blocks(directory, "output").items():
        assert body.get("description"), f"{directory.name}: output {name} has no description"


@pytest.mark.parametrize("root", [TERRAFORM, BOOTSTRAP], ids=lambda p: p.name)
def test_module_inputs_match_their_variables(root: Path) -> None:
    calls = blocks(root, "module")
    assert calls, root
    for name, call in calls.items():
        source = root / call["source"]
        variables = blocks(source, "variable")
        passed = set(call) - {"source", "count", "for_each", "depends_on", "providers"}
        assert passed <= set(variables), (
            f"module {name} passes unknown inputs {passed - set(variables)}"
        )
        required = {v for v, body in variables.items() if "default" not in body}
        assert required <= passed, f"module {name} misses required inputs {required - passed}"


def test_tenants_drive_the_per_store_resources() -> None:
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "tenants" in entry]
    assert 'fileset(var.tenants_dir, "*.yaml")' in root_locals["tenant_files"]
    assert "yamldecode(file(" in root_locals["tenants"]
    assert "t.auth.secret" in root_locals["tenant_secret_names"]
    secrets = blocks(TERRAFORM / "modules" / "secrets", "resource")
    assert secrets["aws_secretsmanager_secret.tenant"]["for_each"] == "${var.secret_names}"
    # The tenants' values never go in Terraform: the one secret value it writes anywhere is the
    # reporting user's generated password.
    versions = {
        (directory.name, name): body
        for directory in DIRECTORIES
        for name, body in blocks(directory, "resource").items()
        if name.startswith("aws_secretsmanager_secret_version.")
    }
    assert set(versions) == {("secrets", "aws_secretsmanager_secret_version.reporting")}
    [version] = versions.values()
    assert version["secret_id"] == "${aws_secretsmanager_secret.reporting.id}"
    assert blocks(TERRAFORM, "module")["secrets"]["secret_names"] == "${local.tenant_secret_names}"


#: Actions AWS does not scope to a resource ARN, so "*" is the only possible resource.
UNSCOPED_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "redshift-data:DescribeStatement",  # authorised by statement owner
    "redshift-data:GetStatementResult",
    "redshift-data:CancelStatement",
    "ec2:DescribeSubnets",  # EC2 Describe* calls take no resource
    "ec2:DescribeSecurityGroups",
    "secretsmanager:GetRandomPassword",  # draws a password, touches no secret
}

#: Scopable actions one document grants on "*", each with why; nowhere else.
ACCEPTED_ON_STAR = {
    # QuickSight's VPC connection role, as AWS documents it: QuickSight creates (and later
    # modifies and deletes) its own network interfaces, which have no ARN to name beforehand.
    "quicksight/aws_iam_policy_document.vpc_connection": {
        "ec2:CreateNetworkInterface",
        "ec2:ModifyNetworkInterfaceAttribute",
        "ec2:DeleteNetworkInterface",
    },
    # The plan role decrypts the generated reporting secret during refresh. The stack's key is
    # made after the bootstrap, so its ARN cannot be named; the statement is confined to
    # Secrets Manager by kms:ViaService (test_delivery.py checks that condition).
    "github_oidc/aws_iam_policy_document.plan_state": {"kms:Decrypt"},
}

#: KMS key policies, not identity policies: in a key policy "*" is the key itself, and the
#: account root's "kms:*" statement is how the account administers that one key through IAM
#: (AWS's default key policy). Named one by one; the test below checks each is a key's policy.
KEY_POLICIES = {
    "encryption/aws_iam_policy_document.key",
    "bootstrap/aws_iam_policy_document.state_key",
}


def test_no_policy_grants_wildcard_actions_and_star_resources_only_where_unscoped() -> None:
    checked = set()
    for where, statement in policy_statements():
        if statement.get("effect") == "Deny" or where in KEY_POLICIES:
            continue
        checked.add(where)
        actions = statement["actions"]
        assert all(a != "*" and not a.endswith(":*") for a in actions), (where, actions)
        resources = statement.get("resources", [])
        if isinstance(resources, list) and "*" in resources:
            allowed = UNSCOPED_ACTIONS | ACCEPTED_ON_STAR.get(where, set())
            assert set(actions) <= allowed, (where, actions)
    # The dynamic statements (glue's warehouse ones) and the new modules' documents are seen.
    assert {
        "glue/aws_iam_policy_document.glue",
        "github_oidc/aws_iam_policy_document.plan_state",
        "network/aws_iam_policy_document.flow",
        "quicksight/aws_iam_policy_document.vpc_connection",
    } <= checked
    glue = {s.get("sid") for w, s in policy_statements() if w.startswith("glue/")}
    assert {"Warehouse", "WarehouseStatements", "WarehouseSecret"} <= glue


def test_the_documents_exempted_as_key_policies_are_only_key_policies() -> None:
    by_name = {directory.name: directory for directory in DIRECTORIES}
    for where in KEY_POLICIES:
        directory_name, document = where.split("/")
        reference = f"data.{document}.json"
        users = [
            name
            for name, body in blocks(by_name[directory_name], "resource").items()
            if reference in str(body)
        ]
        assert users, where
        assert all(name.startswith("aws_kms_key.") for name in users), (where, users)
        for name in users:
            assert blocks(by_name[directory_name], "resource")[name]["policy"] == (
                f"${{{reference}}}"
            )
        body = blocks(by_name[directory_name], "data")[document]
        for statement in document_statements(body):
            if "kms:*" in statement["actions"]:  # only the account itself administers the key
                [principal] = statement["principals"]
                assert principal["type"] == "AWS", (where, statement)
                assert [i.endswith(":root") for i in principal["identifiers"]] == [True]


def _statement(policy: str, sid: str) -> dict[str, Any]:
    document = blocks(TERRAFORM, "data")[f"aws_iam_policy_document.{policy}"]
    [statement] = [s for s in document["statement"] if s.get("sid") == sid]
    return statement


def test_the_scheduler_may_only_read_state_and_start_ingestion() -> None:
    document = blocks(TERRAFORM, "data")["aws_iam_policy_document.scheduler"]
    actions = sorted(a for s in document["statement"] for a in s["actions"])
    assert actions == [
        "dynamodb:BatchGetItem",
        "dynamodb:GetItem",
        "dynamodb:UpdateItem",
        "glue:StartJobRun",
        "lambda:InvokeFunction",
    ]
    assert _statement("scheduler", "LoadSafetyNet")["resources"][0].endswith(
        ":job/${local.load_job}"
    )
    assert _statement("scheduler", "StartIngestion")["resources"] == [
        "${local.lambda_arn_prefix}:${local.ingestion_function}"
    ]


def test_ingestion_writes_only_under_tenant_prefixes_and_reads_only_tenant_secrets() -> None:
    land = _statement("tenant_run", "LandRaw")
    assert land["resources"] == [
        "${module.storage.raw_bucket_arn}/tenant=*",
        "${module.storage.raw_bucket_arn}/_manifests/tenant=*",
    ]
    assert "s3:DeleteObject" not in land["actions"]
    secrets = _statement("tenant_run", "TenantSecrets")
    assert secrets["actions"] == ["secretsmanager:GetSecretValue"]
    assert "module.secrets.secret_arns" in secrets["resources"]


def test_the_ingestion_function_reaches_store_data_only_as_the_tenant_run_role() -> None:
    """The function's own role: assume the tenant-run role, invoke itself; no S3, state or
    secret. The tenant-run role trusts only that function's role, and each run narrows it to
    its store with a session policy (tests/unit/runtime/test_tenant_scope.py)."""
    document = blocks(TERRAFORM, "data")["aws_iam_policy_document.ingestion"]
    granted = {(s["sid"], tuple(s["actions"])) for s in document["statement"]}
    assert granted == {
        ("RunAsTheStore", ("sts:AssumeRole",)),
        ("Continue", ("lambda:InvokeFunction",)),
    }
    assert _statement("ingestion", "RunAsTheStore")["resources"] == ["${local.tenant_run_role_arn}"]
    [root_locals] = [e for e in parse(TERRAFORM)["locals"] if "tenant_run_role_arn" in e]
    assert root_locals["tenant_run_role_arn"].endswith(":role/${local.tenant_run_role_name}")
    trust = _statement("tenant_run_trust", "IngestionOnly")
    assert trust["actions"] == ["sts:AssumeRole"]
    [principal] = trust["principals"]
    assert principal["type"] == "AWS"
    assert principal["identifiers"] == [
        "arn:${data.aws_partition.current.partition}:iam::"
        "${data.aws_caller_identity.current.account_id}:role/${local.ingestion_function}"
    ]
    role = blocks(TERRAFORM, "resource")["aws_iam_role.tenant_run"]
    assert role["name"] == "${local.tenant_run_role_name}"
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.tenant_run_trust.json}"
    environment = next(e for e in parse(TERRAFORM)["locals"] if "environment" in e)
    assert environment["environment"]["SHOPSYNC_TENANT_ROLE_ARN"] == "${local.tenant_run_role_arn}"


def test_the_state_table_key_schema_is_the_one_the_code_uses() -> None:
    table = blocks(TERRAFORM / "modules" / "state", "resource")["aws_dynamodb_table.state"]
    assert (table["hash_key"], table["range_key"]) == ("pk", "sk")
    assert {(a["name"], a["type"]) for a in table["attribute"]} == {("pk", "S"), ("sk", "S")}
    assert table["billing_mode"] == "PAY_PER_REQUEST"


def test_functions_point_at_importable_handlers_and_known_settings() -> None:
    modules = blocks(TERRAFORM, "module")
    for name in ("scheduler", "ingestion"):
        module_name, _, attr = modules[name]["handler"].rpartition(".")
        assert callable(getattr(importlib.import_module(module_name), attr)), name
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "environment" in entry]
    fields = set(Settings.model_fields)
    for variable in root_locals["environment"]:
        assert variable.startswith("SHOPSYNC_")
        assert variable.removeprefix("SHOPSYNC_").lower() in fields, variable


def test_both_schedules_send_events_the_scheduler_parses() -> None:
    modules = blocks(TERRAFORM, "module")
    tick = dict(modules["tick"]["input"])
    assert tick["scheduled_time"] == "<aws.scheduler.scheduled-time>"
    tick["scheduled_time"] = "2026-11-24T10:05:00Z"  # what EventBridge Scheduler substitutes
    assert isinstance(parse_scheduler_event(tick), TickRequest)
    assert isinstance(parse_scheduler_event(modules["load_safety_net"]["input"]), SafetyNetRequest)
    schedule = blocks(TERRAFORM / "modules" / "eventbridge_scheduler", "resource")
    target = schedule["aws_scheduler_schedule.tick"]["target"][0]
    assert target["input"] == "${jsonencode(var.input)}"


def test_the_safety_net_starts_the_job_the_glue_module_creates() -> None:
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "load_job" in entry]
    assert root_locals["load_job"] == "${local.name}-load"
    assert blocks(TERRAFORM, "module")["load"]["name"] == "${local.name}"
    job = blocks(GLUE, "resource")["aws_glue_job.load"]
    assert job["name"] == "${var.name}-load"
    assert root_locals["environment"]["SHOPSYNC_LOAD_JOB"] == "${local.load_job}"


def test_the_manifest_rule_uses_the_pattern_files_the_local_bus_matches() -> None:
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "event_patterns" in entry]
    patterns = root_locals["event_patterns"]
    for source, path in patterns.items():
        relative = path.replace("${path.module}/", "")
        assert (TERRAFORM / relative).is_file(), (source, path)
    assert set(patterns) == {"cloudtrail", "s3_native"}
    rule = blocks(TERRAFORM / "modules" / "eventbridge_rule", "resource")
    pattern = rule["aws_cloudwatch_event_rule.manifests"]["event_pattern"]
    assert "templatefile(var.pattern_file" in pattern
    assert "raw_bucket = var.raw_bucket_name" in pattern


def test_the_event_source_switch_creates_exactly_one_path() -> None:
    modules = blocks(TERRAFORM, "module")
    assert modules["trail"]["count"] == '${var.event_source == "cloudtrail" ? 1 : 0}'
    notification = blocks(TERRAFORM, "resource")["aws_s3_bucket_notification.raw_to_eventbridge"]
    assert notification["count"] == '${var.event_source == "s3_native" ? 1 : 0}'
    assert notification["eventbridge"] is True
    trail = blocks(TERRAFORM / "modules" / "cloudtrail", "resource")["aws_cloudtrail.manifests"]
    selectors = trail["advanced_event_selector"][0]["field_selector"]
    arn = next(f for f in selectors if f["field"] == "resources.ARN")
    assert arn["starts_with"][0].endswith("${var.raw_bucket_name}/_manifests/")


def test_rls_rules_come_from_the_tenant_files() -> None:
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "rls_rules" in entry]
    pairs = root_locals["rls_pairs"]
    assert "t.quicksight.groups" in pairs
    # flatten() is recursive: flattening [group, tenant] lists would leave one flat list of
    # names (and break the plan). It only ever sees the pairs as objects...
    assert pairs.startswith("${flatten(["), pairs
    assert "{group = g, tenant = id}" in pairs, pairs
    # ...which become [group, tenant] lists after it; the admin group gets every tenant.
    assert root_locals["rls_rules"] == (
        "${concat([for rule in local.rls_pairs : [rule.group, rule.tenant]], "
        "[for id in sort(keys(local.tenants)) : [var.quicksight_admin_group, id]])}"
    )
    assert blocks(TERRAFORM, "module")["load"]["rls_rules"] == "${local.rls_rules}"
    assert blocks(GLUE, "variable")["rls_rules"]["type"] == "${list(list(string))}"
    always, _ = glue_job_arguments()
    assert always["--rls_rules"] == "${jsonencode(var.rls_rules)}"
    assert blocks(TERRAFORM, "output")["rls_rules"]["value"] == "${local.rls_rules}"


def test_the_load_workflow_batches_events_and_starts_the_job_the_crawler_runs_on_its_own() -> None:
    glue = blocks(GLUE, "resource")
    trigger = glue["aws_glue_trigger.manifests"]
    assert trigger["type"] == "EVENT"
    batching = trigger["event_batching_condition"][0]
    assert batching == {
        "batch_size": "${var.batch_size}",
        "batch_window": "${var.batch_window_seconds}",
    }
    started = [next(iter(a.values())) for a in trigger["actions"]]
    assert started == ["${aws_glue_job.load.name}"]
    crawl = glue["aws_glue_trigger.crawl"]
    assert (crawl["type"], crawl["schedule"]) == ("SCHEDULED", "${var.crawler_schedule}")
    assert "workflow_name" not in crawl  # not a step of the load
    assert [next(iter(a.values())) for a in crawl["actions"]] == ["${aws_glue_crawler.raw.name}"]
    job = glue["aws_glue_job.load"]
    assert job["glue_version"] == "5.0"
    assert job["execution_property"][0]["max_concurrent_runs"] == 1  # runs apply in order
    always, with_warehouse = glue_job_arguments()
    assert always["--raw_bucket"] == "${var.raw_bucket_name}"
    assert always["--curated_bucket"] == "${var.curated_bucket_name}"
    assert with_warehouse["--redshift_database"] == "${var.warehouse.database}"
    assert with_warehouse["--redshift_iam_role"] == "${var.warehouse.copy_role_arn}"
    crawler = glue["aws_glue_crawler.raw"]
    assert crawler["s3_target"][0]["exclusions"] == ["_manifests/**"]


def test_quicksight_columns_file_matches_the_warehouse_specs() -> None:
    committed = (TERRAFORM / "quicksight_columns.json").read_text()
    assert committed == render(), "terraform/quicksight_columns.json is stale: run `make bi`"
    tables = json.loads(committed)["tables"]
    # A dataset per reporting view: every table's, and the finance views.
    assert set(tables) == set(TABLES) | set(VIEW_COLUMNS)
    for name, columns in tables.items():
        assert columns[0] == {"name": "tenant_id", "type": "STRING"}, name  # what RLS filters
        assert {"name": "_raw", "type": "STRING"} not in columns


def test_every_dataset_has_row_level_security_from_the_rules_view() -> None:
    quicksight = blocks(TERRAFORM / "modules" / "quicksight", "resource")
    dataset = quicksight["aws_quicksight_data_set.table"]
    assert dataset["for_each"] == "${local.columns.tables}"
    rls = dataset["row_level_permission_data_set"][0]
    assert rls["arn"] == "${aws_quicksight_data_set.rls_rules.arn}"
    assert (rls["permission_policy"], rls["status"]) == ("GRANT_ACCESS", "ENABLED")
    assert dataset["physical_table_map"][0]["relational_table"][0]["schema"] == "reporting"
    rules = quicksight["aws_quicksight_data_set.rls_rules"]
    table = rules["physical_table_map"][0]["relational_table"][0]
    assert (table["schema"], table["name"]) == ("reporting", "rls_rules")
    rename = rules["logical_table_map"][0]["data_transforms"][0]["rename_column_operation"][0]
    assert (rename["column_name"], rename["new_column_name"]) == ("groupname", "GroupName")
    # The admin group is made once, even if a tenant file names it.
    assert quicksight["aws_quicksight_group.tenant"]["for_each"] == (
        "${setsubtract(toset(var.groups), [var.admin_group])}"
    )
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "quicksight_groups" in entry]
    assert root_locals["quicksight_groups"] == (
        "${distinct([for rule in local.rls_pairs : rule.group])}"
    )
    assert blocks(TERRAFORM, "module")["bi"]["groups"] == "${local.quicksight_groups}"


def test_the_warehouse_is_private_and_the_load_uses_it() -> None:
    redshift = blocks(TERRAFORM / "modules" / "redshift", "resource")
    assert redshift["aws_redshiftserverless_workgroup.this"]["publicly_accessible"] is False
    namespace = redshift["aws_redshiftserverless_namespace.this"]
    assert namespace["manage_admin_password"] is True
    assert "admin_user_password" not in namespace
    copy = blocks(TERRAFORM / "modules" / "redshift", "data")["aws_iam_policy_document.copy"]
    read = next(s for s in copy["statement"] if s["sid"] == "ReadCurated")
    assert read["actions"] == ["s3:GetObject"]
    assert read["resources"] == ["${var.curated_bucket_arn}/tenant=*"]
    modules = blocks(TERRAFORM, "module")
    assert modules["warehouse"]["count"] == "${var.enable_redshift ? 1 : 0}"
    assert modules["bi"]["count"] == "${var.enable_redshift && var.enable_quicksight ? 1 : 0}"
    # The load gets the workgroup (by name and by ARN), the COPY role and the admin secret when
    # there is a warehouse, and null when there is none.
    assert load_warehouse() == {
        "workgroup_name": "${module.warehouse[0].workgroup_name}",
        "workgroup_arn": "${module.warehouse[0].workgroup_arn}",
        "database": "${var.redshift_database}",
        "copy_role_arn": "${module.warehouse[0].copy_role_arn}",
        "admin_secret_arn": "${module.warehouse[0].admin_secret_arn}",
    }
    variable = blocks(GLUE, "variable")["warehouse"]
    assert variable["default"] is None
    for field in load_warehouse():
        assert f"{field} = string" in variable["type"], field
    outputs = blocks(TERRAFORM / "modules" / "redshift", "output")
    assert outputs["workgroup_arn"]["value"] == "${aws_redshiftserverless_workgroup.this.arn}"
    _, with_warehouse = glue_job_arguments()
    assert with_warehouse == {
        "--redshift_workgroup": "${var.warehouse.workgroup_name}",
        "--redshift_database": "${var.warehouse.database}",
        "--redshift_iam_role": "${var.warehouse.copy_role_arn}",
        "--redshift_secret_arn": "${var.warehouse.admin_secret_arn}",
    }


def test_the_tenant_run_role_grants_what_the_session_policy_narrows() -> None:
    """A session policy only narrows: each of its statements (but the stack key's) must be
    one the role grants, with the same actions, or the run would be refused its own data."""
    from shopsync.runtime.tenant_scope import session_policy

    policy = session_policy(
        "acme",
        raw_bucket="b",
        state_table_arn="arn:aws:dynamodb:eu-west-1:1:table/t",
        secret_name="shopsync/tenants/acme",
        region="eu-west-1",
        account="1",
    )
    narrowed = {s["Sid"]: sorted(s["Action"]) for s in policy["Statement"]}
    role = {
        sid: sorted(_statement("tenant_run", sid)["actions"])
        for sid in ("LandRaw", "ListOwnPrefixes", "SyncState", "TenantSecrets", "StackKey")
    }
    assert narrowed == {
        "OwnObjects": role["LandRaw"],
        "ListOwnPrefixes": role["ListOwnPrefixes"],
        "OwnState": role["SyncState"],
        "OwnSecret": role["TenantSecrets"],
        "StackKey": role["StackKey"],
    }


def test_the_deployed_admin_group_is_the_one_the_local_rules_and_dashboard_use() -> None:
    from shopsync.reporting.tables import ADMIN_GROUP

    variables = blocks(TERRAFORM_DIR, "variable")
    assert variables["quicksight_admin_group"]["default"] == ADMIN_GROUP
