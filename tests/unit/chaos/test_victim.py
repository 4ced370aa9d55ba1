"""The kill points count the calls they wrap, before or after, and pass them through."""

from __future__ import annotations

from typing import Any

from shopsync_chaos import victim


class Target:
    def work(self, value: int, *, twice: bool = False) -> int:
        return value * (2 if twice else 1)


def test_before_and_after_count_each_call_and_keep_its_result() -> None:
    for wrap in (victim._before, victim._after):
        owner: Any = type("Owner", (Target,), {})
        countdown = victim.Countdown(100)
        wrap(owner, "work", countdown)
        assert owner().work(3, twice=True) == 6
        assert owner().work(4) == 4
        assert countdown.left == 98
