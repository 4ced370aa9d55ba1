"""A real SQLite state store and a recording invoker for the fan-out tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopsync.state.sqlite import SqliteStateStore
from tests.support.fanout import RecordingInvoker


@pytest.fixture
def state(tmp_path: Path) -> SqliteStateStore:
    return SqliteStateStore(tmp_path / "state.sqlite")


@pytest.fixture
def invoker() -> RecordingInvoker:
    return RecordingInvoker()
