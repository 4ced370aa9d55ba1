"""The payload and event models refuse anything the scheduler or ingestion cannot act on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from pydantic import ValidationError

from shopsync.schedule.payload import IngestionPayload, as_utc_datetime
from shopsync.schedule.requests import (
    BadSchedulerEvent,
    ResyncRequest,
    TickRequest,
    parse_scheduler_event,
)

VALID: dict[str, Any] = {
    "tenant_id": "acme_outdoor",
    "run_id": "20261124T201500Z-0a1b2c3d",
    "mode": "incremental",
    "streams": ["orders", "products", "orders"],
}


def test_payload_keeps_streams_in_canonical_order_without_repeats() -> None:
    assert IngestionPayload.model_validate(VALID).streams == ("products", "orders")


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"tenant_id": "Acme"}, "tenant_id"),
        ({"tenant_id": "acme-outdoor"}, "tenant_id"),
        ({"run_id": "latest"}, "run_id"),
        ({"mode": "everything"}, "mode"),
        ({"streams": ["products", "refunds"]}, "unknown stream 'refunds'"),
        ({"streams": []}, "streams"),
        ({"since": "2026-01-01T00:00:00"}, "since"),
        ({"extra": 1}, "extra"),
    ],
)
def test_payload_rejects(change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(ValidationError, match=fragment):
        IngestionPayload.model_validate(VALID | change)


def test_payload_reads_a_date_as_midnight_utc() -> None:
    payload = IngestionPayload.model_validate(VALID | {"since": "2026-03-01"})
    assert payload.since == datetime(2026, 3, 1, tzinfo=UTC)


def test_as_utc_datetime_refuses_to_guess_a_timezone() -> None:
    assert as_utc_datetime(date(2026, 1, 2)) == datetime(2026, 1, 2, tzinfo=UTC)
    with pytest.raises(ValueError, match="needs a timezone"):
        as_utc_datetime(datetime(2026, 1, 2, 3, 4))


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        ({}, TickRequest()),
        (
            {"action": "tick", "scheduled_time": "2026-11-24T10:00:00Z"},
            TickRequest(scheduled_time=datetime(2026, 11, 24, 10, tzinfo=UTC)),
        ),
        (
            {
                "version": "0",
                "id": "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
                "detail-type": "Scheduled Event",
                "source": "aws.events",
                "account": "123456789012",
                "time": "2026-11-24T10:05:00Z",
                "region": "eu-west-1",
                "resources": ["arn:aws:events:eu-west-1:123456789012:rule/shopsync-tick"],
                "detail": {},
            },
            TickRequest(scheduled_time=datetime(2026, 11, 24, 10, 5, tzinfo=UTC)),
        ),
        (
            {"action": "resync", "tenant_id": "acme_outdoor", "streams": ["orders"]},
            ResyncRequest(action="resync", tenant_id="acme_outdoor", streams=("orders",)),
        ),
    ],
)
def test_scheduler_events_parse(event: dict[str, Any], expected: object) -> None:
    assert parse_scheduler_event(event) == expected


@pytest.mark.parametrize(
    ("event", "fragment"),
    [
        ([], "expected a JSON object"),
        ({"action": "delete_everything"}, "delete_everything"),
        ({"action": "resync"}, "tenant_id"),
        ({"action": "resync", "tenant_id": "acme", "streams": ["x"]}, "unknown stream 'x'"),
        ({"action": "tick", "scheduled_time": "yesterday"}, "scheduled_time"),
        ({"detail-type": "Scheduled Event", "source": "aws.events"}, "time"),
    ],
)
def test_bad_scheduler_events_name_the_problem(event: Any, fragment: str) -> None:
    with pytest.raises(BadSchedulerEvent, match=fragment):
        parse_scheduler_event(event)
