"""Runtime settings: explicit argument, then ``SHOPSYNC_*`` environment, then default."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

Target = Literal["local", "aws"]
DEFAULT_API_VERSION = "2026-10"


class Settings(BaseSettings):
    """Everything that differs between a laptop and a deployed stack.

    Reading the environment happens when a ``Settings`` is built, never at import time.
    """

    model_config = SettingsConfigDict(env_prefix="SHOPSYNC_", frozen=True, extra="ignore")

    target: Target = "local"
    home: Path = Field(
        default=Path(".shopsync"), description="local lake, state, warehouse, secrets"
    )
    tenants_dir: Path = Path("tenants")
    default_api_version: str = DEFAULT_API_VERSION

    # AWS resource names (the Terraform outputs); unused by the local target.
    region: str = "eu-west-1"
    raw_bucket: str = "shopsync-raw"
    curated_bucket: str = "shopsync-curated"
    state_table: str = "shopsync-state"
    ingestion_function: str = "shopsync-ingestion"
    load_job: str = "shopsync-load"
    secret_prefix: str = "shopsync/tenants/"  # noqa: S105 - a name prefix, not a secret

    tenant_role_arn: str | None = Field(
        default=None,
        description="role each ingestion run assumes, narrowed to its own store by a session "
        "policy (Terraform output tenant_run_role_arn); unset: the function's own role",
    )

    # The warehouse read through the Redshift Data API (`shopsync status --target aws`); no
    # defaults: a wrong workgroup or database would read some other warehouse.
    redshift_workgroup: str | None = Field(
        default=None,
        description="Redshift Serverless workgroup (Terraform output warehouse_workgroup)",
    )
    redshift_database: str | None = Field(
        default=None,
        description="Redshift database of the tenant schemas (Terraform var redshift_database)",
    )
    redshift_secret_arn: str | None = Field(
        default=None,
        description="ARN of the Secrets Manager secret the Data API signs in with; unset: the "
        "caller's IAM identity (temporary credentials from the workgroup)",
    )

    # Fan-out.
    lease_ttl_seconds: int = Field(default=16 * 60, gt=0, description="longer than a Lambda run")
    local_workers: int = Field(default=4, ge=1, le=64)
    tick_seconds: int = Field(default=60, ge=1)
    max_dispatch_per_tick: int | None = Field(
        default=None,
        ge=1,
        description="most ingestion runs one scheduler tick starts (unset: every due store)",
    )
    safety_net_minutes: float = Field(
        default=30, gt=0, description="load manifests whose event has not come after this long"
    )
    local_ingestion_entry: str = Field(
        default="shopsync.extract.service:run_payload",
        pattern=r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$",
        description="module:function the local invoker runs for each ingestion payload",
    )

    def missing(self, *names: str) -> list[str]:
        """The environment variables of the named settings that are unset or empty."""
        return [env_name(n) for n in names if not getattr(self, n)]

    @cached_property
    def state_path(self) -> Path:
        return self.home / "state.sqlite"

    @cached_property
    def lake_path(self) -> Path:
        return self.home / "lake"

    @cached_property
    def secrets_path(self) -> Path:
        return self.home / "secrets.json"

    @cached_property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"


def env_name(setting: str) -> str:
    """The environment variable of a setting: ``redshift_database`` is
    ``SHOPSYNC_REDSHIFT_DATABASE``."""
    if setting not in Settings.model_fields:
        raise KeyError(f"no setting {setting!r}")
    return f"{Settings.model_config.get('env_prefix', '')}{setting}".upper()
