"""A stand-in ingestion entry point for CLI tests (SHOPSYNC_LOCAL_INGESTION_ENTRY)."""

from __future__ import annotations

from shopsync.extract.service import Services
from shopsync.schedule.payload import IngestionPayload
from shopsync.settings import Settings

RUNS: list[IngestionPayload] = []
FAIL_FOR: set[str] = set()


def run_payload(payload: IngestionPayload, *, settings: Settings, services: Services) -> str:
    if payload.tenant_id in FAIL_FOR:
        raise RuntimeError(f"shop {payload.tenant_id} is locked")
    RUNS.append(payload)
    return "ok"
