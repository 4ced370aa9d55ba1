"""Lambda: the scheduler. Every few minutes (EventBridge Scheduler), or on a resync request."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext

from shopsync import runtime
from shopsync.schedule.requests import BadSchedulerEvent, parse_scheduler_event
from shopsync.schedule.service import handle
from shopsync.settings import Settings

logger = Logger(service="shopsync")
tracer = Tracer(service="shopsync")
metrics = Metrics(service="scheduler")


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    try:
        request = parse_scheduler_event(event)
    except BadSchedulerEvent:
        metrics.add_metric("BadEvents", MetricUnit.Count, 1)
        raise
    settings = Settings()
    result = handle(request, settings, runtime.for_settings(settings).scheduler())
    for name, count in result.metrics.items():
        metrics.add_metric(name, MetricUnit.Count, count)
    document = result.as_dict()
    logger.info("scheduler done", extra={"result": document})
    return document
