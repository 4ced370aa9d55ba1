"""A simulator with a frozen clock, and ingestion services pointed at it (all on loopback)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shopsync.shopify.client import ShopifyClient

from .harness import Harness, make_harness


@pytest.fixture
def harness(tmp_path: Path) -> Iterator[Harness]:
    with make_harness(tmp_path) as made:
        yield made


@pytest.fixture
def shapes(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """Requests sent from now on, by document (the client's ``shape`` without its size)."""
    sent: Counter[str] = Counter()
    real = ShopifyClient.execute

    def execute(self: ShopifyClient, document: str, variables: Any = None, *, shape: str) -> Any:
        sent[shape.split(":", 1)[0]] += 1
        return real(self, document, variables, shape=shape)

    monkeypatch.setattr(ShopifyClient, "execute", execute)
    return sent
