"""The safety-net start of the Glue load job (a recording Glue client, and a busy job)."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.exceptions import ClientError

from shopsync.events.safety_net import start_safety_net_load


class RecordingGlue:
    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def start_job_run(self, **kwargs: Any) -> dict[str, str]:
        self.calls.append(kwargs)
        return {"JobRunId": "jr_1"}


def test_starts_the_job_with_the_age_argument() -> None:
    glue = RecordingGlue()
    assert start_safety_net_load(glue, "shopsync-load", older_than_minutes=30) == "jr_1"
    assert glue.calls == [{"JobName": "shopsync-load", "Arguments": {"--older_than_minutes": "30"}}]


class BusyGlue:
    def __init__(self, code: str) -> None:
        self.code = code
        self.calls: list[dict[str, Any]] = []

    def start_job_run(self, **kwargs: Any) -> dict[str, str]:
        self.calls.append(kwargs)
        raise ClientError({"Error": {"Code": self.code, "Message": "x"}}, "StartJobRun")


def test_a_running_load_is_not_an_error() -> None:
    glue = BusyGlue("ConcurrentRunsExceededException")
    assert start_safety_net_load(glue, "j", older_than_minutes=15, tenant_id="acme") is None
    assert glue.calls[0]["Arguments"] == {"--older_than_minutes": "15", "--tenant": "acme"}


def test_other_errors_surface() -> None:
    with pytest.raises(ClientError):
        start_safety_net_load(BusyGlue("AccessDeniedException"), "j")
    with pytest.raises(ValueError, match="positive"):
        start_safety_net_load(BusyGlue("x"), "j", older_than_minutes=0)
