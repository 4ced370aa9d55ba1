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


def start_safety_net_load(
    glue: Any,
    job_name: str,
    *,
    older_than_minutes: float = DEFAULT_OLDER_THAN_MINUTES,
    tenant_id: str | None = None,
) -> str | None:
    """Start the Glue load job for late manifests; the job run id, or ``None`` when a load is
    already running (it, or the next tick, will pick them up)."""
    if older_than_minutes <= 0:
        raise ValueError("older_than_minutes must be positive")
    arguments = {"--older_than_minutes": f"{older_than_minutes:g}"}
    if tenant_id is not None:
        arguments["--tenant"] = tenant_id
    try:
        started = glue.start_job_run(JobName=job_name, Arguments=arguments)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ConcurrentRunsExceededException":
            logger.info("load job %s already running; the safety net waits", job_name)
            return None
        raise
    run_id = str(started["JobRunId"])
    logger.info("safety-net load started: %s %s", job_name, run_id, extra={"tenant_id": tenant_id})
    return run_id
