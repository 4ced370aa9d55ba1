"""Lambda: ingestion of one store per invocation (async, from the scheduler or itself)."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit, single_metric
from aws_lambda_powertools.utilities.typing import LambdaContext

from shopsync import runtime
from shopsync.extract.invocation import run_invocation
from shopsync.logcontext import log_context
from shopsync.schedule.invoker import LambdaInvoker
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings

logger = Logger(service="shopsync")
tracer = Tracer(service="shopsync")
metrics = Metrics(namespace="shopsync", service="ingestion")


def _emit(name: str, unit: str, value: float, dimensions: dict[str, str]) -> None:
    with single_metric(
        name=name, unit=MetricUnit(unit), value=value, namespace=metrics.namespace
    ) as metric:
        for key, dim in dimensions.items():
            metric.add_dimension(name=key, value=dim)


@logger.inject_lambda_context(clear_state=True)
@tracer.capture_lambda_handler
@metrics.log_metrics
def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    metrics.add_metric(name="Invocations", unit=MetricUnit.Count, value=1)
    payload = IngestionPayload.model_validate(event)
    settings = Settings()
    services = runtime.for_settings(settings).tenant_services(payload.tenant_id, payload.run_id)
    invoker = LambdaInvoker(context.function_name or settings.ingestion_function)
    with log_context(tenant_id=payload.tenant_id, run_id=payload.run_id):
        return run_invocation(
            payload,
            settings=settings,
            services=services,
            remaining_seconds=context.get_remaining_time_in_millis() / 1000,
            reinvoke=invoker.invoke,
            emit=_emit,
        )
