"""A simulator with a frozen clock, and ingestion services pointed at it (all on loopback)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from .harness import Harness, make_harness


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    with make_harness(tmp_path) as made:
        yield made
