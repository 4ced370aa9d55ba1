"""The real Terraform, planned, applied, re-planned and destroyed against a moto server.

The deploy workflow's order: a targeted apply of ``module.storage`` (the artifacts bucket), the
Lambda package uploaded to it, then the whole stack. moto has no Redshift Serverless and little
of QuickSight, so the stack is applied with ``enable_redshift = false`` and
``enable_quicksight = false`` (the documented switch); their HCL is covered by ``terraform
validate`` and the static tests. Then the deployed code runs in-process against what Terraform
made, with the environment Terraform gave the functions: a name that differs between Terraform
and the code fails here.

Skipped, saying why, only where the machine has no terraform or no offline aws provider.
"""

from __future__ import annotations

import io
import json
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
import pytest

from shopsync.schedule.invoker import LambdaInvoker
from shopsync.schedule.payload import IngestionPayload
from shopsync.tenants import load_registry
from shopsync_simulator import running_simulator
from shopsync_simulator.store.config import StoreSize
from tests.lambda_context import LambdaContext
from tests.terraform_stack import (
    ACCOUNT_ID,
    REGION,
    REPO_ROOT,
    MotoServer,
    Stack,
    missing_tools,
    moto_server,
)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(1500),
    pytest.mark.skipif(missing_tools() is not None, reason=str(missing_tools())),
]

TENANTS_DIR = REPO_ROOT / "tenants"
STAGE = "test"
PATTERN = REPO_ROOT / "services" / "shopsync" / "events" / "patterns" / "cloudtrail_manifest.json"
SMALL = StoreSize(products=12, variants_per_product=2, locations=2, customers=10, orders=15)


@dataclass
class Deployed:
    stack: Stack
    moto: MotoServer
    outputs: dict[str, Any]
    workdir: Path

    def client(self, service: str) -> Any:
        return boto3.client(
            service,
            region_name=REGION,
            endpoint_url=self.moto.endpoint,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            verify=str(self.moto.ca_bundle),
        )


def lambda_package() -> bytes:
    """A stand-in zip (moto stores the code, it does not run it; `make package` is tested on
    its own)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("shopsync/__init__.py", "")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def deployed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployed]:
    workdir = tmp_path_factory.mktemp("terraform-moto")
    with moto_server(workdir) as moto:
        stack = Stack(workdir, moto, TENANTS_DIR)
        stack.write_variables(
            {
                "stage": STAGE,
                "region": REGION,
                "enable_redshift": False,
                "enable_quicksight": False,
                "force_destroy": True,  # a throwaway stage: destroy takes the objects too
            }
        )
        stack.init()
        # The workflow's order: the artifacts bucket first, the code into it, then the rest.
        stack.run("apply", "-auto-approve", "-target=module.storage")
        deployed = Deployed(stack, moto, stack.outputs(), workdir)
        deployed.client("s3").put_object(
            Bucket=deployed.outputs["artifacts_bucket"],
            Key="lambda/lambda.zip",
            Body=lambda_package(),
        )
        stack.run("apply", "-auto-approve")
        deployed.outputs = stack.outputs()
        yield deployed


def test_buckets_are_private_encrypted_versioned_and_tls_only(deployed: Deployed) -> None:
    s3 = deployed.client("s3")
    key = deployed.outputs["kms_key_arn"]
    for name in (
        deployed.outputs["raw_bucket"],
        deployed.outputs["curated_bucket"],
        deployed.outputs["artifacts_bucket"],
    ):
        block = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
        assert all(block.values()), (name, block)
        rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]
        default = rule["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        assert (default["SSEAlgorithm"], default["KMSMasterKeyID"]) == ("aws:kms", key), name
        assert s3.get_bucket_versioning(Bucket=name)["Status"] == "Enabled", name
        policy = json.loads(s3.get_bucket_policy(Bucket=name)["Policy"])
        [deny] = [s for s in policy["Statement"] if s["Sid"] == "DenyInsecureTransport"]
        assert deny["Effect"] == "Deny"
        assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        logging = s3.get_bucket_logging(Bucket=name)["LoggingEnabled"]
        assert logging["TargetBucket"].startswith(f"shopsync-{STAGE}-access-logs-")


def test_state_table_and_one_secret_per_tenant(deployed: Deployed) -> None:
    table = deployed.client("dynamodb").describe_table(TableName=deployed.outputs["state_table"])
    keys = {k["AttributeName"]: k["KeyType"] for k in table["Table"]["KeySchema"]}
    assert keys == {"pk": "HASH", "sk": "RANGE"}
    secrets = deployed.client("secretsmanager")
    names = {s["Name"] for s in secrets.list_secrets()["SecretList"]}
    registry = load_registry(TENANTS_DIR)
    wanted = {t.auth.secret for t in registry.tenants}
    assert wanted <= names
    reporting = f"shopsync-{STAGE}/redshift/shopsync_reporting"
    assert names - wanted == {reporting}
    value = json.loads(secrets.get_secret_value(SecretId=reporting)["SecretString"])
    assert value["username"] == "shopsync_reporting"
    password = value["password"]
    assert len(password) == 40
    assert any(c.isupper() for c in password)
    assert any(c.isdigit() for c in password)
    for tenant in registry.tenants:  # Terraform makes the secret, never its value
        with pytest.raises(secrets.exceptions.ResourceNotFoundException):
            secrets.get_secret_value(SecretId=tenant.auth.secret)


def test_functions_have_the_environment_the_code_reads(deployed: Deployed) -> None:
    lam = deployed.client("lambda")
    outputs = deployed.outputs
    for name in (outputs["ingestion_function"], outputs["scheduler_function"]):
        config = lam.get_function_configuration(FunctionName=name)
        env = config["Environment"]["Variables"]
        assert env["SHOPSYNC_TARGET"] == "aws"
        assert env["SHOPSYNC_RAW_BUCKET"] == outputs["raw_bucket"]
        assert env["SHOPSYNC_CURATED_BUCKET"] == outputs["curated_bucket"]
        assert env["SHOPSYNC_STATE_TABLE"] == outputs["state_table"]
        assert env["SHOPSYNC_INGESTION_FUNCTION"] == outputs["ingestion_function"]
        assert env["SHOPSYNC_LOAD_JOB"] == outputs["load_job"]
        assert env["SHOPSYNC_REGION"] == REGION
        assert config["Runtime"] == "python3.11"
        assert len(config["VpcConfig"]["SubnetIds"]) == 3
        assert config["DeadLetterConfig"]["TargetArn"].endswith(f":{name}-dlq")
        assert config["KMSKeyArn"] == outputs["kms_key_arn"]


def test_roles_grant_what_each_function_needs(deployed: Deployed) -> None:
    iam = deployed.client("iam")
    outputs = deployed.outputs
    ingestion = iam.get_role(RoleName=outputs["ingestion_function"])["Role"]
    trust = ingestion["AssumeRolePolicyDocument"]["Statement"][0]
    assert trust["Principal"] == {"Service": "lambda.amazonaws.com"}
    assert trust["Condition"]["StringEquals"]["aws:SourceAccount"] == ACCOUNT_ID
    service = iam.get_role_policy(RoleName=outputs["ingestion_function"], PolicyName="service")
    own = {s["Sid"]: s for s in service["PolicyDocument"]["Statement"]}
    # The function reaches the stores' data only as the tenant-run role, narrowed per run.
    assert set(own) == {"RunAsTheStore", "Continue"}
    tenant_run = outputs["tenant_run_role_arn"]
    assert own["RunAsTheStore"]["Resource"] == tenant_run
    role = iam.get_role(RoleName=tenant_run.rsplit("/", 1)[1])["Role"]
    [trusted] = role["AssumeRolePolicyDocument"]["Statement"]
    assert trusted["Principal"] == {"AWS": ingestion["Arn"]}
    data = iam.get_role_policy(RoleName=role["RoleName"], PolicyName="store-data")
    statements = {s["Sid"]: s for s in data["PolicyDocument"]["Statement"]}
    raw_arn = f"arn:aws:s3:::{outputs['raw_bucket']}"
    assert statements["LandRaw"]["Resource"] == [
        f"{raw_arn}/tenant=*",
        f"{raw_arn}/_manifests/tenant=*",
    ]
    secrets = statements["TenantSecrets"]["Resource"]
    assert len(secrets) == len(load_registry(TENANTS_DIR).tenants)
    attached = iam.list_attached_role_policies(RoleName=outputs["scheduler_function"])
    assert [p["PolicyName"] for p in attached["AttachedPolicies"]] == [
        "AWSLambdaVPCAccessExecutionRole"
    ]


def test_events_reach_the_load_workflow(deployed: Deployed) -> None:
    name = f"shopsync-{STAGE}"
    raw = deployed.outputs["raw_bucket"]
    events = deployed.client("events")
    rule = events.describe_rule(Name=f"{name}-manifests")
    expected = json.loads(PATTERN.read_text().replace("${raw_bucket}", raw))
    assert json.loads(rule["EventPattern"]) == expected
    [target] = events.list_targets_by_rule(Rule=f"{name}-manifests")["Targets"]
    assert target["Arn"].endswith(f":workflow/{name}-load")

    trail = deployed.client("cloudtrail")
    selectors = trail.get_event_selectors(TrailName=f"{name}-manifests")["AdvancedEventSelectors"]
    fields = {f["Field"]: f for f in selectors[0]["FieldSelectors"]}
    assert fields["resources.ARN"]["StartsWith"] == [f"arn:aws:s3:::{raw}/_manifests/"]
    assert fields["readOnly"]["Equals"] == ["false"]

    glue = deployed.client("glue")
    job = glue.get_job(JobName=deployed.outputs["load_job"])["Job"]
    artifacts = deployed.outputs["artifacts_bucket"]
    assert job["Command"]["ScriptLocation"] == f"s3://{artifacts}/glue/shopsync_load.py"
    args = job["DefaultArguments"]
    assert args["--raw_bucket"] == raw
    assert args["--curated_bucket"] == deployed.outputs["curated_bucket"]
    rules = json.loads(args["--rls_rules"])
    assert all(len(rule) == 2 for rule in rules)  # [group, tenant] pairs, not flattened
    assert sorted(rules) == sorted(deployed.outputs["rls_rules"])
    trigger = glue.get_trigger(Name=f"{name}-manifests")["Trigger"]
    assert trigger["Type"] == "EVENT"
    assert [a.get("JobName") for a in trigger["Actions"]] == [f"{name}-load"]
    crawl = glue.get_trigger(Name=f"{name}-crawl")["Trigger"]
    assert (crawl["Type"], crawl["Schedule"]) == ("SCHEDULED", "cron(15 1 * * ? *)")
    assert [a.get("CrawlerName") for a in crawl["Actions"]] == [f"{name}-raw"]
    assert glue.get_crawler(Name=f"{name}-raw")["Crawler"]["Targets"]["S3Targets"][0][
        "Exclusions"
    ] == ["_manifests/**"]
    assert glue.get_workflow(Name=f"{name}-load")["Workflow"]["Name"] == f"{name}-load"

    scheduler = deployed.client("scheduler")
    tick = scheduler.get_schedule(Name=f"{name}-tick")
    assert tick["Target"]["Arn"].endswith(f":function:{deployed.outputs['scheduler_function']}")
    assert json.loads(tick["Target"]["Input"])["action"] == "tick"


def test_the_network_gives_one_egress_address(deployed: Deployed) -> None:
    ec2 = deployed.client("ec2")
    [nat] = ec2.describe_nat_gateways()["NatGateways"]
    [address] = nat["NatGatewayAddresses"]
    assert address["PublicIp"] == deployed.outputs["shopify_egress_ip"]
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [nat["VpcId"]]}])
    zones = {s["AvailabilityZone"] for s in subnets["Subnets"]}
    assert zones == {f"{REGION}a", f"{REGION}b", f"{REGION}c"}
    endpoints = ec2.describe_vpc_endpoints()["VpcEndpoints"]
    services = {e["ServiceName"].rsplit(".", 1)[-1] for e in endpoints}
    assert services == {"s3", "dynamodb", "secretsmanager", "sts", "redshift-data"}
    assert ec2.describe_flow_logs()["FlowLogs"][0]["ResourceId"] == nat["VpcId"]


def test_a_second_plan_changes_nothing(deployed: Deployed) -> None:
    result = deployed.stack.run("plan", "-detailed-exitcode", "-input=false", check=False)
    assert result.returncode == 0, f"the second plan is not empty:\n{result.stdout[-8000:]}"


def test_the_deployed_code_finds_what_terraform_made(
    deployed: Deployed, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Scheduler tick → ingestion invoke → Shopify → raw parts + manifest + state, all in the
    resources Terraform made, configured only by the environment Terraform set."""
    from shopsync.handlers import ingestion as ingestion_handler
    from shopsync.handlers import scheduler as scheduler_handler

    lam = deployed.client("lambda")
    for name in (deployed.outputs["ingestion_function"], deployed.outputs["scheduler_function"]):
        env = lam.get_function_configuration(FunctionName=name)["Environment"]["Variables"]
        for key, value in env.items():
            monkeypatch.setenv(key, value)
    # The package carries tenants/ at /var/task/tenants; here they are the repository's.
    monkeypatch.setenv("SHOPSYNC_TENANTS_DIR", str(TENANTS_DIR))
    monkeypatch.setenv("AWS_ENDPOINT_URL", deployed.moto.endpoint)
    monkeypatch.setenv("AWS_CA_BUNDLE", str(deployed.moto.ca_bundle))
    tenant = load_registry(TENANTS_DIR).tenants[0]

    invoked: list[IngestionPayload] = []
    real_invoke = LambdaInvoker.invoke

    def record(self: LambdaInvoker, payload: IngestionPayload) -> None:
        real_invoke(self, payload)  # the real Invoke call, on the function Terraform made
        invoked.append(payload)

    monkeypatch.setattr(LambdaInvoker, "invoke", record)
    secrets = deployed.client("secretsmanager")
    with running_simulator(
        [(tenant.id, tenant.shop, tenant.plan)], size=SMALL, secrets_path=tmp_path / "tokens.json"
    ) as sim:
        monkeypatch.setenv("SHOPSYNC_SHOPIFY_BASE_URL", f"{sim.url}/shops/{{shop}}")
        # The operator's step: the store's token into the secret Terraform made.
        secrets.put_secret_value(
            SecretId=tenant.auth.secret,
            SecretString=json.dumps({"access_token": sim.token(tenant.id)}),
        )
        context = LambdaContext(function_name=os.environ["SHOPSYNC_INGESTION_FUNCTION"])
        tick = scheduler_handler.handler(
            {"action": "tick", "scheduled_time": "2026-12-03T10:00:00Z"}, context
        )
        assert tenant.id in tick["invoked"], tick
        [payload] = [p for p in invoked if p.tenant_id == tenant.id]
        result = ingestion_handler.handler(json.loads(payload.model_dump_json()), context)
    assert result["status"] == "succeeded", result

    s3 = deployed.client("s3")
    raw = deployed.outputs["raw_bucket"]
    manifest_key = f"_manifests/tenant={tenant.id}/run={payload.run_id}.json"
    manifest = json.loads(s3.get_object(Bucket=raw, Key=manifest_key)["Body"].read())
    assert manifest["tenant_id"] == tenant.id
    parts = [k for stream in manifest["streams"].values() for k in stream["parts"]]
    assert parts
    for key in parts:
        assert s3.head_object(Bucket=raw, Key=key)["ServerSideEncryption"] == "aws:kms"
    items = deployed.client("dynamodb").query(
        TableName=deployed.outputs["state_table"],
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"tenant#{tenant.id}"}},
    )["Items"]
    assert any(item["sk"]["S"].startswith("stream#") for item in items), items


def test_destroy_removes_the_stack(deployed: Deployed) -> None:
    """The buckets still hold the package, the raw parts and the manifest (force_destroy)."""
    deployed.stack.run("destroy", "-auto-approve", "-input=false")
    state = json.loads(deployed.stack.run("show", "-json").stdout)
    assert not state.get("values", {}).get("root_module", {}).get("resources")
    assert deployed.client("s3").list_buckets()["Buckets"] == []
    assert deployed.client("lambda").list_functions()["Functions"] == []
    assert deployed.client("dynamodb").list_tables()["TableNames"] == []
