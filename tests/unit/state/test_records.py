"""The shared encoding: fixed-width UTC text that sorts like the instants it stands for."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shopsync.state._records import from_iso, to_iso, truncate_error


@pytest.mark.parametrize(
    ("at", "text"),
    [
        (datetime(2026, 3, 1, 12, tzinfo=UTC), "2026-03-01T12:00:00.000000Z"),
        (datetime(2026, 3, 1, 1, 2, 3, 4, tzinfo=UTC), "2026-03-01T01:02:03.000004Z"),
        (
            datetime(2026, 3, 1, 0, 30, tzinfo=timezone(timedelta(hours=5, minutes=30))),
            "2026-02-28T19:00:00.000000Z",
        ),
    ],
)
def test_to_iso_is_fixed_width_utc(at: datetime, text: str) -> None:
    assert to_iso(at) == text
    assert from_iso(text) == at
    assert from_iso(text).tzinfo == UTC


def test_text_order_is_time_order() -> None:
    rng = random.Random(7)
    base = datetime(2026, 1, 1, tzinfo=UTC)
    zones = [timezone(timedelta(hours=h)) for h in (-11, -3, 0, 2, 9, 14)]
    times = [
        (base + timedelta(seconds=rng.uniform(-1e8, 1e8))).astimezone(rng.choice(zones))
        for _ in range(500)
    ]
    times += [base, base + timedelta(microseconds=1), base + timedelta(seconds=1)]
    assert sorted(times, key=to_iso) == sorted(times)


def test_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        to_iso(datetime(2026, 3, 1))


@pytest.mark.parametrize(("length", "expected"), [(0, 0), (2_000, 2_000), (2_001, 2_000)])
def test_truncate_error(length: int, expected: int) -> None:
    error = "e" * length
    truncated = truncate_error(error)
    assert len(truncated) == expected
    assert truncated == error or truncated.endswith("\u2026")
