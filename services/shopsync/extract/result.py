"""What one ingestion run reports back to its caller (invoker, handler, CLI)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Status = Literal["succeeded", "partial", "skipped", "failed"]


@dataclass(frozen=True)
class StreamSummary:
    records: int
    pages: int
    parts: int
    complete_snapshot: bool
    finished: bool


@dataclass(frozen=True)
class RunResult:
    tenant_id: str
    run_id: str
    status: Status
    message: str
    manifest_key: str | None = None
    streams: dict[str, StreamSummary] = field(default_factory=dict)
    stats: dict[str, float] = field(default_factory=dict)
    #: stream -> the access scopes it needs that the token lacks (not fetched)
    skipped: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status != "failed"

    @property
    def needs_continuation(self) -> bool:
        return self.status == "partial"

    @property
    def records(self) -> int:
        return sum(s.records for s in self.streams.values())

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class IngestionFailedError(RuntimeError):
    """The run failed: nothing was committed, the failure is recorded in state."""

    def __init__(self, result: RunResult) -> None:
        super().__init__(f"tenant {result.tenant_id} run {result.run_id}: {result.message}")
        self.result = result
