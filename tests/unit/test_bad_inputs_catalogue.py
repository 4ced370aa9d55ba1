"""``docs/BAD_INPUTS.md``: every row names at least one test, and every test it names exists
(a renamed or deleted test would leave a row that proves nothing)."""

from __future__ import annotations

import re

from tests.support.paths import REPO_ROOT

CATALOGUE = REPO_ROOT / "docs" / "BAD_INPUTS.md"
TEST_ID = re.compile(r"`(tests/[\w/]+\.py)::(\w+)`")


def _rows() -> list[str]:
    lines = CATALOGUE.read_text().splitlines()
    return [line for line in lines if line.startswith("| ") and not line.startswith("| category")]


def test_every_row_names_a_test_and_every_named_test_exists() -> None:
    rows = _rows()
    assert len(rows) >= 60
    missing = []
    for row in rows:
        found = TEST_ID.findall(row.rsplit(" | ", 1)[-1])
        assert found, f"a row without a test: {row[:80]}"
        for path, name in found:
            source = REPO_ROOT / path
            if not source.is_file() or f"def {name}(" not in source.read_text():
                missing.append(f"{path}::{name}")
    assert missing == []
