"""The run manifest (ARCHITECTURE §3): written last, once; the object that triggers loading.

Version 2 added ``skipped`` (streams the token lacks a scope for, with the scopes missing);
a version 1 manifest has none, reads as if nothing was skipped and still loads.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_serializer, model_validator

from shopsync.lake.keys import is_tenant_key, manifest_key
from shopsync.schedule.payload import Mode
from shopsync.state.base import Cursor
from shopsync.storage import ObjectStore
from shopsync.streams.scopes import describe

from .keys import iso_utc

SCHEMA_VERSION: Literal[2] = 2


class ManifestExistsError(RuntimeError):
    """A manifest is written once; a second write for the same run is refused."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StreamManifest(_Frozen):
    parts: tuple[str, ...] = ()
    records: int = Field(default=0, ge=0)
    cursor_from: Cursor | None = None
    cursor_to: Cursor | None = None
    complete_snapshot: bool = False


class Manifest(_Frozen):
    schema_version: Literal[1, 2] = SCHEMA_VERSION
    tenant_id: str
    run_id: str
    mode: Mode
    api_version: str
    started_at: AwareDatetime
    finished_at: AwareDatetime
    streams: dict[str, StreamManifest]
    #: stream -> the access scopes it needs that the token lacks: not fetched, cursor unmoved
    skipped: dict[str, tuple[str, ...]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _skipped_streams_are_not_fetched(self) -> Manifest:
        both = sorted(set(self.skipped) & set(self.streams))
        if both:
            raise ValueError(f"streams both fetched and skipped: {', '.join(both)}")
        if any(not scopes for scopes in self.skipped.values()):
            raise ValueError("a skipped stream names the scopes it lacks")
        return self

    @field_serializer("started_at", "finished_at")
    def _utc(self, value: datetime) -> str:
        return iso_utc(value)

    @property
    def key(self) -> str:
        return manifest_key(self.tenant_id, self.run_id)

    def check_parts_belong_to_tenant(self) -> None:
        for stream, entry in self.streams.items():
            for part in entry.parts:
                if not is_tenant_key(self.tenant_id, part):
                    raise ValueError(f"{stream}: part {part!r} is outside the tenant's prefix")

    def to_json(self) -> bytes:
        return json.dumps(self.model_dump(mode="json"), indent=2, sort_keys=True).encode() + b"\n"


def describe_skipped(skipped: Mapping[str, Sequence[str]]) -> str:
    """``orders (missing read_orders), ...``: how runs and ``shopsync status`` say it."""
    return ", ".join(
        f"{stream} (missing {', '.join(map(describe, scopes))})"
        for stream, scopes in sorted(skipped.items())
    )


def write_manifest(store: ObjectStore, manifest: Manifest) -> str:
    """Write the run's manifest; :class:`ManifestExistsError` if the run already has one."""
    manifest.check_parts_belong_to_tenant()
    key = manifest.key
    if store.exists(key):
        raise ManifestExistsError(f"manifest {key} already exists")
    store.put_bytes(key, manifest.to_json())
    return key


def read_manifest(store: ObjectStore, tenant_id: str, run_id: str) -> Manifest:
    return Manifest.model_validate_json(store.get(manifest_key(tenant_id, run_id)))
