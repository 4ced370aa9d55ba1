"""The safety net for lost events: start the load job for manifests that waited too long.

CloudTrail's delivery to EventBridge is best effort. The scheduler's tick (AWS) or
``shopsync load --older-than-minutes N`` (local) runs the job for manifests that finished at
least N minutes ago and are still absent from the ledger. Loading is idempotent, so a
manifest whose event was merely late is never loaded twice.
"""

from __future__ import annotations

import logging
from typing import Any

from botocore.exceptions import ClientError

logger = logging.getLogger(__name__)

DEFAULT_OLDER_THAN_MINUTES = 30


def start_load_job(
    glue: Any,
    job_name: str,
    *,
    older_than_minutes: float | None = None,
    tenant_id: str | None = None,
) -> str | None:
    """Start the deployed Glue load job (all pending manifests, or one tenant's, or only those
    older than ``older_than_minutes``); its job run id, or ``None`` when a load is already
    running (it loads whatever is pending, so nothing waits longer than that run)."""
    arguments = {}
    if older_than_minutes is not None:
        if older_than_minutes <= 0:
            raise ValueError("older_than_minutes must be positive")
        arguments["--older_than_minutes"] = f"{older_than_minutes:g}"
    if tenant_id is not None:
        arguments["--tenant"] = tenant_id
    try:
        started = glue.start_job_run(JobName=job_name, Arguments=arguments)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConcurrentRunsExceededException":
            logger.info("load job %s already running", job_name, extra={"load_tenant": tenant_id})
            return None
        raise
    run_id = str(started["JobRunId"])
    logger.info("load job started: %s %s", job_name, run_id, extra={"load_tenant": tenant_id})
    return run_id


def start_safety_net_load(
    glue: Any,
    job_name: str,
    *,
    older_than_minutes: float = DEFAULT_OLDER_THAN_MINUTES,
    tenant_id: str | None = None,
) -> str | None:
    """Start the Glue load job for late manifests; the job run id, or ``None`` when a load is
    already running (it, or the next safety-net run, will pick them up)."""
    return start_load_job(
        glue, job_name, older_than_minutes=older_than_minutes, tenant_id=tenant_id
    )
