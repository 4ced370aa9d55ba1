"""The deployed stack: DynamoDB, S3, Secrets Manager, Lambda, Glue, Redshift's Data API."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from functools import cached_property
from typing import Any, ClassVar

import boto3
from botocore.exceptions import BotoCoreError, ClientError
from pydantic import ValidationError

from shopsync.events import start_load_job
from shopsync.extract.config import IngestionConfig
from shopsync.extract.service import Services
from shopsync.schedule.invoker import EntryPoint, LambdaInvoker
from shopsync.schedule.service import Adapters
from shopsync.settings import Target, env_name
from shopsync.shopify import AwsSecrets
from shopsync.state.dynamodb import DynamoDBStateStore
from shopsync.storage import S3ObjectStore
from shopsync.tenants import Registry, load_registry
from shopsync.warehouse.base import WarehouseError
from shopsync.warehouse.redshift import RedshiftDataApiWarehouse
from shopsync.warehouse.status import TenantStatus, tenant_status

from .base import LoadStarted, Runtime, RuntimeSettingsError, RuntimeUnavailableError

#: What reading Redshift needs; the secret ARN is optional (unset: the caller's IAM identity).
WAREHOUSE_SETTINGS = ("redshift_workgroup", "redshift_database")
#: A statement still running after this long is cancelled (a paused workgroup resumes well
#: within it).
WAREHOUSE_TIMEOUT_SECONDS = 300.0


class AwsRuntime(Runtime):
    target: ClassVar[Target] = "aws"
    # The catalog shows a database user only the tables it may read: a user without SELECT on
    # shopsync_ops and the tenant schemas sees a warehouse that was never loaded.
    never_loaded_hint: ClassVar[str | None] = (
        "no tenant has a loaded run in this warehouse. If loads have run, the Data API's "
        "database user may lack SELECT on shopsync_ops and the shop_* schemas (check "
        f"{env_name('redshift_secret_arn')})."
    )

    def _state_store(self) -> DynamoDBStateStore:
        # The client is built on first use, so a tick that reads nothing pays for nothing.
        return DynamoDBStateStore(self.settings.state_table, region=self.settings.region)

    def _raw_store(self) -> S3ObjectStore:
        return S3ObjectStore(self.settings.raw_bucket, region=self.settings.region)

    def _secrets(self, config: IngestionConfig) -> AwsSecrets:
        return AwsSecrets(max_age=config.secret_cache_seconds)

    def tenant_services(self, tenant_id: str, run_id: str) -> Services:
        """With ``SHOPSYNC_TENANT_ROLE_ARN`` (Terraform sets it), the run's stores and secret
        use credentials of the tenant-run role narrowed to ``tenant_id``
        (:mod:`.tenant_scope`): IAM refuses every other store's prefixes, state and secret."""
        role = self.settings.tenant_role_arn
        if not role:
            return self.services()
        from aws_lambda_powertools.utilities import parameters

        from . import tenant_scope

        registry = load_registry(self.settings.tenants_dir)
        tenant = registry.get(tenant_id)
        partition, account = _arn_parts(role)
        region = self.settings.region
        policy = tenant_scope.session_policy(
            tenant.id,
            raw_bucket=self.settings.raw_bucket,
            state_table_arn=(
                f"arn:{partition}:dynamodb:{region}:{account}:table/{self.settings.state_table}"
            ),
            secret_name=tenant.secret_name,
            region=region,
            account=account,
            partition=partition,
        )
        sts = boto3.client("sts", region_name=region)
        session = tenant_scope.assume(sts, role, tenant.id, run_id, policy, region)
        config = IngestionConfig()
        return Services(
            state=DynamoDBStateStore(
                self.settings.state_table, client=session.client("dynamodb"), region=region
            ),
            store=S3ObjectStore(self.settings.raw_bucket, client=session.client("s3")),
            registry=registry,
            secrets=AwsSecrets(
                max_age=config.secret_cache_seconds,
                provider=parameters.SecretsProvider(boto3_session=session),
            ),
            config=config,
        )

    def invoker(self, entry_point: EntryPoint | None = None) -> LambdaInvoker:
        """Lambda's asynchronous invoke; the deployed function is the entry point."""
        return LambdaInvoker(self.settings.ingestion_function, region=self.settings.region)

    @cached_property
    def glue(self) -> Any:
        return boto3.client("glue", region_name=self.settings.region)

    def scheduler(self) -> Adapters:
        return Adapters(self.state, self.invoker(), glue=lambda: self.glue)

    def load(
        self,
        registry: Registry,
        *,
        tenant_id: str | None = None,
        older_than: timedelta | None = None,
    ) -> LoadStarted:
        """Start the deployed Glue load job; it runs on its own."""
        job = self.settings.load_job
        minutes = older_than.total_seconds() / 60 if older_than else None
        try:
            job_run = start_load_job(
                self.glue, job, older_than_minutes=minutes or None, tenant_id=tenant_id
            )
        except (BotoCoreError, ClientError) as exc:
            raise RuntimeUnavailableError(f"starting Glue job {job} failed: {exc}") from exc
        if job_run is None:
            raise RuntimeUnavailableError(
                f"a run of {job} is in progress; it loads everything pending"
            )
        return LoadStarted(job, job_run)

    def warehouse_status(self, tenant_ids: Sequence[str]) -> list[TenantStatus]:
        """Redshift Serverless through the Data API."""
        s = self.settings
        missing = s.missing(*WAREHOUSE_SETTINGS)
        if missing:
            raise RuntimeSettingsError(
                f"--target aws reads Redshift through the Data API: set {', '.join(missing)}"
            )
        where = f"Redshift workgroup {s.redshift_workgroup}, database {s.redshift_database}"
        try:
            warehouse = RedshiftDataApiWarehouse(
                database=str(s.redshift_database),
                workgroup=str(s.redshift_workgroup),
                secret_arn=s.redshift_secret_arn or None,
                client=self.data_api(),
                timeout_seconds=WAREHOUSE_TIMEOUT_SECONDS,
            )
            return tenant_status(warehouse.execute, tenant_ids)
        except WarehouseError as exc:
            # Without the failing statement: the SQL is long and says nothing the error does not.
            reason = str(exc).partition("\n-- failing statement:")[0]
            raise RuntimeUnavailableError(f"reading status from {where} failed: {reason}") from exc
        except (BotoCoreError, ClientError) as exc:
            raise RuntimeUnavailableError(f"reading status from {where} failed: {exc}") from exc
        except ValidationError as exc:
            raise RuntimeUnavailableError(
                f"reading status from {where}: unexpected result: {exc}"
            ) from exc

    def data_api(self) -> Any:
        """The Redshift Data API client of the deployed stack."""
        return boto3.client("redshift-data", region_name=self.settings.region)


def _arn_parts(arn: str) -> tuple[str, str]:
    """``(partition, account)`` of an ARN (``arn:<partition>:<service>::<account>:...``)."""
    parts = arn.split(":")
    if len(parts) < 6 or parts[0] != "arn" or not parts[4].isdigit():
        raise RuntimeSettingsError(f"SHOPSYNC_TENANT_ROLE_ARN is not a role ARN: {arn!r}")
    return parts[1], parts[4]
