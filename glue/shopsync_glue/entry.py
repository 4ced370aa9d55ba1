"""Arguments and wiring of the Glue job; ``glue/jobs/shopsync_load.py`` only calls :func:`main`.

In Glue, arguments come from ``awsglue.utils.getResolvedOptions``; locally from argparse with
the same names. When a workflow started the job, Glue passes ``--WORKFLOW_NAME`` and
``--WORKFLOW_RUN_ID``; the run properties (``aws:eventIds`` for an EVENT trigger) are read
and logged. The events never decide what is loaded: the manifests do.

``--redshift_reporting_secret_arn`` names the read-only reporting user's secret
(``{"username": ..., "password": ...}``, what QuickSight connects with); when given, the job
reads it and every reporting refresh creates or updates that user and its grants.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from pyspark.sql import SparkSession

if TYPE_CHECKING:
    from shopsync.reporting.grants import ReportingCredentials
    from shopsync.warehouse.redshift import RedshiftDataApiWarehouse

logger = logging.getLogger(__name__)

REQUIRED = ("raw_bucket", "curated_bucket", "redshift_database", "redshift_iam_role")
OPTIONAL = (
    "redshift_workgroup",
    "redshift_secret_arn",
    "redshift_reporting_secret_arn",
    "region",
    "tenant",
    "rls_rules",
    "older_than_minutes",
    "WORKFLOW_NAME",
    "WORKFLOW_RUN_ID",
)


@dataclass(frozen=True)
class JobArgs:
    raw_bucket: str
    curated_bucket: str
    redshift_database: str
    redshift_iam_role: str
    redshift_workgroup: str = "shopsync"
    redshift_secret_arn: str | None = None
    #: the reporting user's secret; unset: the job manages no reporting user
    redshift_reporting_secret_arn: str | None = None
    region: str | None = None
    tenant: str | None = None
    #: ``[["group", "tenant_id"], ...]``, rendered by Terraform from the tenant files
    rls_rules: tuple[tuple[str, str], ...] = ()
    older_than_minutes: float | None = None
    workflow_name: str | None = None
    workflow_run_id: str | None = None

    @classmethod
    def from_mapping(cls, values: dict[str, Any]) -> JobArgs:
        def opt(name: str) -> str | None:
            value = values.get(name)
            return None if value in (None, "", "none", "None") else str(value)

        rules = json.loads(opt("rls_rules") or "[]")
        if not isinstance(rules, list) or not all(
            isinstance(r, list) and len(r) == 2 and all(isinstance(x, str) for x in r)
            for r in rules
        ):
            raise ValueError('--rls_rules: expected JSON [["group", "tenant_id"], ...]')
        older = opt("older_than_minutes")
        return cls(
            raw_bucket=str(values["raw_bucket"]),
            curated_bucket=str(values["curated_bucket"]),
            redshift_database=str(values["redshift_database"]),
            redshift_iam_role=str(values["redshift_iam_role"]),
            redshift_workgroup=opt("redshift_workgroup") or "shopsync",
            redshift_secret_arn=opt("redshift_secret_arn"),
            redshift_reporting_secret_arn=opt("redshift_reporting_secret_arn"),
            region=opt("region"),
            tenant=opt("tenant"),
            rls_rules=tuple((g, t) for g, t in rules),
            older_than_minutes=float(older) if older is not None else None,
            workflow_name=opt("WORKFLOW_NAME"),
            workflow_run_id=opt("WORKFLOW_RUN_ID"),
        )


def parse_args(argv: Sequence[str]) -> JobArgs:
    """Glue's resolver when ``awsglue`` is importable, argparse otherwise (same names)."""
    try:
        from awsglue.utils import getResolvedOptions
    except ImportError:
        parser = argparse.ArgumentParser(prog="shopsync_load")
        for name in REQUIRED:
            parser.add_argument(f"--{name}", required=True)
        for name in OPTIONAL:
            parser.add_argument(f"--{name}")
        known, _glue_extras = parser.parse_known_args(list(argv)[1:])
        return JobArgs.from_mapping(vars(known))
    # getResolvedOptions fails on absent names, so optional ones are asked for only if given.
    present = [n for n in OPTIONAL if f"--{n}" in argv]
    return JobArgs.from_mapping(getResolvedOptions(list(argv), [*REQUIRED, *present]))


def workflow_event_ids(args: JobArgs, glue: Any) -> list[str]:
    """The ``aws:eventIds`` run property of the workflow run that started the job, if any."""
    if not (args.workflow_name and args.workflow_run_id):
        return []
    props = glue.get_workflow_run_properties(Name=args.workflow_name, RunId=args.workflow_run_id)
    raw = props.get("RunProperties", {}).get("aws:eventIds")
    if not raw:
        return []
    ids = json.loads(raw) if raw.startswith("[") else [i.strip() for i in raw.split(",")]
    return [str(i) for i in ids]


def reporting_credentials(secret_arn: str, secrets: Any) -> ReportingCredentials:
    """The reporting user's secret, read with ``secrets`` (a Secrets Manager client)."""
    from shopsync.reporting.grants import parse_reporting_secret

    value = secrets.get_secret_value(SecretId=secret_arn)
    if "SecretString" not in value:
        raise ValueError(f"reporting secret {secret_arn}: no SecretString")
    return parse_reporting_secret(value["SecretString"])


def warehouse(args: JobArgs, *, secrets: Any | None = None) -> RedshiftDataApiWarehouse:
    """The job's warehouse; the reporting user's credentials when the job was given them
    (``secrets``: a Secrets Manager client, created only then when not given)."""
    import boto3

    from shopsync.warehouse.redshift import RedshiftDataApiWarehouse

    reporting = None
    if args.redshift_reporting_secret_arn:
        if secrets is None:
            secrets = boto3.client("secretsmanager", region_name=args.region)
        reporting = reporting_credentials(args.redshift_reporting_secret_arn, secrets)
    return RedshiftDataApiWarehouse(
        database=args.redshift_database,
        workgroup=args.redshift_workgroup,
        iam_role=args.redshift_iam_role,
        secret_arn=args.redshift_secret_arn,
        region=args.region,
        reporting=reporting,
    )


def spark_session() -> SparkSession:
    """Glue's session inside Glue; a local one elsewhere. Glue setup lives only here."""
    try:
        from awsglue.context import GlueContext
        from pyspark.context import SparkContext
    except ImportError:
        from .session import local_session

        return local_session()
    context = SparkContext.getOrCreate()
    session: SparkSession = GlueContext(context).spark_session
    from .session import HADOOP_CONF, SESSION_CONF

    for key, value in SESSION_CONF.items():
        session.conf.set(key, value)
    hadoop = context._jsc.hadoopConfiguration()
    for key, value in HADOOP_CONF.items():
        hadoop.set(key, value)
    return session


def main(argv: Sequence[str] | None = None) -> int:
    import boto3

    from shopsync.storage import S3ObjectStore

    from .job import CuratedLake, run_job

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s %(message)s")
    args = parse_args(list(sys.argv if argv is None else argv))
    events = workflow_event_ids(args, boto3.client("glue", region_name=args.region))
    logger.info(
        "shopsync load job: workflow %s run %s, aws:eventIds=%s",
        args.workflow_name,
        args.workflow_run_id,
        events,
    )
    summary = run_job(
        spark_session(),
        S3ObjectStore(args.raw_bucket, region=args.region),
        CuratedLake(f"s3://{args.curated_bucket}"),
        warehouse(args),
        tenant_id=args.tenant,
        rls=args.rls_rules,
        older_than=(
            timedelta(minutes=args.older_than_minutes) if args.older_than_minutes else None
        ),
    )
    loaded = [r for r in summary.loaded if not r.skipped]
    logger.info("loaded %d run(s); %d failed check(s)", len(loaded), len(summary.failed_checks))
    for error in summary.errors:
        logger.error("load failed: %s", error)
    return 0 if summary.ok else 1
