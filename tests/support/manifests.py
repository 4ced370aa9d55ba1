"""A manifest of one run with nothing landed, for tests of which manifests the load finds."""

from __future__ import annotations

from datetime import UTC, datetime

from shopsync.lake.manifest import Manifest, StreamManifest

AT = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def empty_manifest(tenant: str, run: str, finished: datetime = AT) -> Manifest:
    return Manifest(
        tenant_id=tenant,
        run_id=run,
        mode="incremental",
        api_version="2026-10",
        started_at=finished,
        finished_at=finished,
        streams={"products": StreamManifest()},
    )
