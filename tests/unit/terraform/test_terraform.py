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

from shopsync.bi import render
from shopsync.fanout.events import SafetyNetRequest, TickRequest, parse_scheduler_event
from shopsync.settings import Settings
from shopsync.warehouse.specs import TABLES

TERRAFORM = Path(__file__).resolve().parents[3] / "terraform"
MODULES = sorted(p for p in (TERRAFORM / "modules").iterdir() if p.is_dir())


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


def policy_statements() -> list[tuple[str, dict[str, Any]]]:
    statements = []
    for directory in [TERRAFORM, *MODULES]:
        for name, body in blocks(directory, "data").items():
            if name.startswith("aws_iam_policy_document."):
                for statement in body.get("statement", []):
                    statements.append((f"{directory.name}/{name}", statement))
    return statements


@pytest.mark.parametrize("module", MODULES, ids=lambda p: p.name)
def test_every_module_has_the_standard_files(module: Path) -> None:
    for name in ("main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md"):
        assert (module / name).is_file(), f"{module.name}/{name} is missing"


@pytest.mark.parametrize("directory", [TERRAFORM, *MODULES], ids=lambda p: p.name)
def test_every_variable_is_typed_and_described_and_every_output_described(
    directory: Path,
) -> None:
    for name, body in blocks(directory, "variable").items():
        assert "type" in body, f"{directory.name}: variable {name} has no type"
        assert body.get("description"), f"{directory.name}: variable {name} has no description"
    for name, body in blocks(directory, "output").items():
        assert body.get("description"), f"{directory.name}: output {name} has no description"


def test_module_inputs_match_their_variables() -> None:
    for name, call in blocks(TERRAFORM, "module").items():
        source = TERRAFORM / call["source"]
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
    assert "aws_secretsmanager_secret_version" not in str(secrets), "values never go in Terraform"
    assert blocks(TERRAFORM, "module")["secrets"]["secret_names"] == "${local.tenant_secret_names}"


#: Actions AWS does not scope to a resource ARN, so "*" is the only possible resource.
UNSCOPED_ACTIONS = {
    "xray:PutTraceSegments",
    "xray:PutTelemetryRecords",
    "redshift-data:DescribeStatement",  # authorised by statement owner
    "redshift-data:GetStatementResult",
    "redshift-data:CancelStatement",
}


def test_no_policy_grants_wildcard_actions_and_star_resources_only_where_unscoped() -> None:
    for where, statement in policy_statements():
        if statement.get("effect") == "Deny":
            continue
        actions = statement["actions"]
        assert all(a != "*" and not a.endswith(":*") for a in actions), (where, actions)
        if statement.get("resources") == ["*"]:
            assert set(actions) <= UNSCOPED_ACTIONS, (where, actions)


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
    land = _statement("ingestion", "LandRaw")
    assert land["resources"] == [
        "${module.storage.raw_bucket_arn}/tenant=*",
        "${module.storage.raw_bucket_arn}/_manifests/tenant=*",
    ]
    assert "s3:DeleteObject" not in land["actions"]
    secrets = _statement("ingestion", "TenantSecrets")
    assert secrets["actions"] == ["secretsmanager:GetSecretValue"]
    assert "module.secrets.secret_arns" in secrets["resources"]


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
    job = blocks(TERRAFORM / "modules" / "glue", "resource")["aws_glue_job.load"]
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
    assert "t.quicksight.groups" in root_locals["rls_rules"]
    assert blocks(TERRAFORM, "module")["load"]["rls_rules"] == "${local.rls_rules}"
    job = blocks(TERRAFORM / "modules" / "glue", "resource")["aws_glue_job.load"]
    assert job["default_arguments"]["--rls_rules"] == "${jsonencode(var.rls_rules)}"


def test_the_load_workflow_batches_events_and_starts_crawler_and_job_independently() -> None:
    glue = blocks(TERRAFORM / "modules" / "glue", "resource")
    trigger = glue["aws_glue_trigger.manifests"]
    assert trigger["type"] == "EVENT"
    batching = trigger["event_batching_condition"][0]
    assert batching == {
        "batch_size": "${var.batch_size}",
        "batch_window": "${var.batch_window_seconds}",
    }
    started = [next(iter(a.values())) for a in trigger["actions"]]
    assert started == ["${aws_glue_crawler.raw.name}", "${aws_glue_job.load.name}"]
    job = glue["aws_glue_job.load"]
    assert job["glue_version"] == "5.0"
    assert job["execution_property"][0]["max_concurrent_runs"] == 1  # runs apply in order
    for required in (
        "--raw_bucket",
        "--curated_bucket",
        "--redshift_database",
        "--redshift_iam_role",
    ):
        assert required in job["default_arguments"], required
    crawler = glue["aws_glue_crawler.raw"]
    assert crawler["s3_target"][0]["exclusions"] == ["_manifests/**"]


def test_quicksight_columns_file_matches_the_warehouse_specs() -> None:
    committed = (TERRAFORM / "quicksight_columns.json").read_text()
    assert committed == render(), "terraform/quicksight_columns.json is stale: run `make bi`"
    tables = json.loads(committed)["tables"]
    assert set(tables) == set(TABLES)
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
    assert quicksight["aws_quicksight_group.tenant"]["for_each"] == "${toset(var.groups)}"
    [root_locals] = [entry for entry in parse(TERRAFORM)["locals"] if "quicksight_groups" in entry]
    assert "local.rls_rules" in root_locals["quicksight_groups"]


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
    load = blocks(TERRAFORM, "module")["load"]
    assert load["redshift_workgroup"] == "${module.warehouse.workgroup_name}"
    assert load["redshift_copy_role_arn"] == "${module.warehouse.copy_role_arn}"
    assert load["redshift_secret_arn"] == "${module.warehouse.admin_secret_arn}"
