"""Schedule expressions: AWS syntax, fire times and the due rule, all on fixed UTC clocks."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

import pytest

from shopsync.schedule.expressions import (
    NEVER,
    CronSchedule,
    RateSchedule,
    ScheduleError,
    parse_schedule,
)


def utc(year: int, month: int, day: int, *hms: int) -> datetime:
    """utc(2026, 3, 10, 12, 5) -> 2026-03-10 12:05:00 UTC."""
    hour, minute, second = (*hms, 0, 0, 0)[:3]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def cron(text: str) -> CronSchedule:
    schedule = parse_schedule(text)
    assert isinstance(schedule, CronSchedule)
    return schedule


def fires(text: str, start: datetime, end: datetime) -> list[datetime]:
    """Every fire time in (start, end], walked with next_fire."""
    schedule, found, at = cron(text), [], start
    while (fire := schedule.next_fire(at)) is not None and fire <= end:
        found.append(fire)
        at = fire
    return found


# --- parsing -----------------------------------------------------------------------------

ACCEPTED = [
    ("rate(1 minute)", timedelta(minutes=1)),
    ("rate(5 minutes)", timedelta(minutes=5)),
    ("rate(1 hour)", timedelta(hours=1)),
    ("rate(12 hours)", timedelta(hours=12)),
    ("rate(1 day)", timedelta(days=1)),
    ("rate(7 days)", timedelta(days=7)),
    ("cron(0 10 * * ? *)", None),
    ("cron(15 12 * * ? *)", None),
    ("cron(0 18 ? * MON-FRI *)", None),
    ("cron(0 8 1 * ? *)", None),
    ("cron(0/15 * * * ? *)", None),
    ("cron(0/10 * ? * MON-FRI *)", None),
    ("cron(0/5 8-17 ? * MON-FRI *)", None),
    ("cron(1,31 */2 1-15/2 JAN,MAR-MAY ? 2026-2030/2)", None),
    ("cron(0 2 L * ? *)", None),
    ("cron(0 2 LW * ? *)", None),
    ("cron(0 2 15W * ? *)", None),
    ("cron(0 2 ? * L *)", None),
    ("cron(0 2 ? * 6L *)", None),
    ("cron(0 2 ? * 3#2 *)", None),
    ("cron(0 2 ? * fri#1 *)", None),
    ("cron(0 2 ? jan,Dec sun *)", None),
    ("cron(0  2 * * ? *)", None),
    ("cron(0 0 1 1 ? 1970)", None),
    ("cron(0 0 1 1 ? 2199)", None),
    ("cron(0 0 29 FEB ? *)", None),
]


@pytest.mark.parametrize(("text", "interval"), ACCEPTED)
def test_accepts(text: str, interval: timedelta | None) -> None:
    schedule = parse_schedule(text)
    assert schedule.text == text
    if interval is None:
        assert isinstance(schedule, CronSchedule)
    else:
        assert isinstance(schedule, RateSchedule)
        assert schedule.interval == interval


REJECTED = [
    # rate
    ("rate(1 minutes)", "singular unit: rate(1 minute)"),
    ("rate(5 minute)", "plural unit: rate(5 minutes)"),
    ("rate(1 hours)", "singular"),
    ("rate(2 day)", "plural"),
    ("rate(0 minutes)", "positive whole number, got '0'"),
    ("rate(-5 minutes)", "positive whole number"),
    ("rate(1.5 hours)", "positive whole number"),
    ("rate(5 weeks)", "unit must be minute(s), hour(s) or day(s), got 'weeks'"),
    ("rate(5 Minutes)", "got 'Minutes'"),
    ("rate(5  minutes)", "one space"),
    ("rate( 5 minutes)", "one space"),
    ("rate(5minutes)", "one space"),
    ("rate(5 minutes", "not a rate expression"),
    ("rate(99999999999999 days)", "too large"),
    # not an expression at all
    ("", "not a schedule expression"),
    ("every 5 minutes", "not a schedule expression"),
    ("RATE(5 minutes)", "not a schedule expression"),
    (" rate(5 minutes)", "not a schedule expression"),
    ("cron(0 2 * * ? *) ", "not a cron expression"),
    # cron shape
    (
        "cron(0 2 * * ?)",
        "needs 6 fields (minutes hours day-of-month month day-of-week year), got 5",
    ),
    ("cron(0 0 2 * * ? *)", "got 7"),
    ("cron()", "got 0"),
    # day-of-month / day-of-week pairing
    ("cron(0 2 * * * *)", "exactly one must be '?' (you can't specify both"),
    ("cron(0 2 1 * MON *)", "you can't specify both"),
    ("cron(0 2 ? * ? *)", "both are '?'"),
    # ranges and values
    ("cron(60 * * * ? *)", "minutes: 60 is out of range 0-59"),
    ("cron(0 24 * * ? *)", "hours: 24 is out of range 0-23"),
    ("cron(0 0 0 * ? *)", "day-of-month: 0 is out of range 1-31"),
    ("cron(0 0 32 * ? *)", "day-of-month: 32 is out of range 1-31"),
    ("cron(0 0 1 13 ? *)", "month: 13 is out of range 1-12"),
    ("cron(0 0 1 FOO ? *)", "month: 'FOO' is not a valid value (use 1-12 or JAN-DEC)"),
    ("cron(0 0 ? * 8 *)", "day-of-week: 8 is out of range 1-7"),
    ("cron(0 0 ? * 0 *)", "day-of-week: 0 is out of range 1-7"),
    ("cron(0 0 ? * FUN *)", "day-of-week: 'FUN' is not a valid value (use 1-7 or SUN-SAT)"),
    ("cron(0 0 1 * ? 1969)", "year: 1969 is out of range 1970-2199"),
    ("cron(0 0 1 * ? 2200)", "year: 2200 is out of range 1970-2199"),
    ("cron(x * * * ? *)", "minutes: 'x' is not a valid value"),
    ("cron(5-1 * * * ? *)", "minutes: range '5-1' is reversed"),
    ("cron(0 0 ? * FRI-MON *)", "day-of-week: range 'FRI-MON' is reversed"),
    ("cron(1,,2 * * * ? *)", "minutes: empty item"),
    ("cron(0/0 * * * ? *)", "minutes: step 0 in '0/0' is out of range 1-59"),
    ("cron(0/60 * * * ? *)", "minutes: step 60"),
    ("cron(*/x * * * ? *)", "minutes: step 'x' in '*/x' is not a whole number"),
    ("cron(0 0 30 FEB ? *)", "day-of-month: '30' never occurs in month FEB"),
    ("cron(0 0 31 APR,JUN ? *)", "never occurs in month APR,JUN"),
    # wildcards where AWS does not allow them
    ("cron(? * 1 * ? *)", "minutes: '?' is only allowed in day-of-month or day-of-week"),
    ("cron(0 0 1 * ? ?)", "year: '?'"),
    ("cron(L * * * ? *)", "minutes: 'L' is not a valid value"),
    ("cron(0 0 ? * 1/2 *)", "day-of-week: '/' is not allowed"),
    ("cron(0 0 ? * 3#1,6#3 *)", "day-of-week: # takes a single day"),
    ("cron(0 0 ? * 3#6 *)", "day-of-week: the number after # must be 1-5"),
    ("cron(0 0 ? * 3# *)", "the number after # must be 1-5"),
    ("cron(0 0 ? * 8#1 *)", "day-of-week: 8 is out of range 1-7"),
    ("cron(0 0 ? * 2L,6L *)", "day-of-week: L takes a single day"),
    ("cron(0 0 ? * 9L *)", "day-of-week: 9 is out of range 1-7"),
    ("cron(0 0 ? * 1,L *)", "day-of-week: L takes a single day"),
    ("cron(0 0 L-3 * ? *)", "day-of-month: 'L-3' is not supported"),
    ("cron(0 0 1,L * ? *)", "day-of-month: '1,L' mixes ?, L or W"),
    ("cron(0 0 1,15W * ? *)", "day-of-month: W takes a single day"),
    ("cron(0 0 32W * ? *)", "day-of-month: 32 is out of range 1-31"),
    ("cron(0 0 W * ? *)", "day-of-month: '' is not a valid value"),
    ("cron(0 0 1W ? * *)", "month: '?'"),
    ("cron(0 0 29 FEB ? 2025-2027)", "never fires"),
    ("cron(0 0 ? FEB MON#5 2026)", "never fires"),
]


@pytest.mark.parametrize(("text", "fragment"), REJECTED)
def test_rejects_with_a_message_naming_the_problem(text: str, fragment: str) -> None:
    with pytest.raises(ScheduleError) as caught:
        parse_schedule(text)
    assert fragment in str(caught.value)


def test_schedule_error_is_a_value_error_and_non_strings_are_rejected() -> None:
    assert issubclass(ScheduleError, ValueError)
    with pytest.raises(ScheduleError, match="must be a string, got int"):
        parse_schedule(5)


def test_parse_is_cached() -> None:
    parse_schedule.cache_clear()
    first = parse_schedule("cron(0 2 * * ? *)")
    assert parse_schedule("cron(0 2 * * ? *)") is first
    assert parse_schedule.cache_info().hits == 1
    assert first == cron("cron(0 2 * * ? *)")
    assert first != parse_schedule("cron(0 3 * * ? *)")


# --- fire times --------------------------------------------------------------------------

PREVIOUS_FIRE = [
    # expression, at, latest fire <= at
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 7, 59), utc(2026, 3, 10, 12, 0)),
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 15), utc(2026, 3, 10, 12, 15)),
    ("cron(1/20 * * * ? *)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 11, 41)),
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 1, 59, 59), utc(2026, 3, 9, 2, 0)),
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 2, 0, 0), utc(2026, 3, 10, 2, 0)),
    ("cron(0 9 ? * MON-FRI *)", utc(2026, 3, 9, 8, 0), utc(2026, 3, 6, 9, 0)),  # Mon -> Fri
    ("cron(0 0 L * ? *)", utc(2026, 3, 15), utc(2026, 2, 28)),
    ("cron(0 0 1 1 ? 2027)", utc(2026, 12, 31, 23, 59, 59), None),
    ("cron(0 0 1 1 ? 2020,2024)", utc(2026, 6, 1), utc(2024, 1, 1)),
    ("cron(0 0 29 FEB ? 2027-2199)", utc(2030, 1, 1), utc(2028, 2, 29)),
    ("cron(0 0 1 1 ? 2150)", utc(2199, 1, 1), utc(2150, 1, 1)),
    # croniter's own answer (2024-02-29) falls in a year the expression excludes
    ("cron(0 0 29 FEB ? 2020,2025)", utc(2026, 6, 1), utc(2020, 2, 29)),
]


@pytest.mark.parametrize(("text", "at", "expected"), PREVIOUS_FIRE)
def test_previous_fire(text: str, at: datetime, expected: datetime | None) -> None:
    assert cron(text).previous_fire(at) == expected


NEXT_FIRE = [
    # expression, after, earliest fire > after
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 12, 15)),
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 14, 59), utc(2026, 3, 10, 12, 15)),
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 2, 0, 1), utc(2026, 3, 11, 2, 0)),
    ("cron(0 0 1 1 ? 2027)", utc(2026, 6, 1), utc(2027, 1, 1)),
    ("cron(0 0 1 1 ? 2027)", utc(2027, 1, 1), None),
    ("cron(0 0 1 1 ? 2020)", utc(2026, 6, 1), None),
    ("cron(0 0 29 FEB ? 2100-2199)", utc(2026, 1, 1), utc(2104, 2, 29)),  # 2100 is no leap year
    ("cron(30 23 31 DEC ? 2190/5)", utc(2026, 1, 1), utc(2190, 12, 31, 23, 30)),
    ("cron(0 0 29 FEB ? 2025,2028)", utc(2024, 6, 1), utc(2028, 2, 29)),
]


@pytest.mark.parametrize(("text", "after", "expected"), NEXT_FIRE)
def test_next_fire(text: str, after: datetime, expected: datetime | None) -> None:
    assert cron(text).next_fire(after) == expected


DAY_RULES = [
    # (expression, first day of the month walked, fire days in that month)
    ("cron(0 0 L * ? *)", utc(2026, 1, 1), [31]),
    ("cron(0 0 L * ? *)", utc(2026, 2, 1), [28]),
    ("cron(0 0 L * ? *)", utc(2028, 2, 1), [29]),
    ("cron(0 0 L * ? *)", utc(2026, 4, 1), [30]),
    ("cron(0 0 15W * ? *)", utc(2026, 3, 1), [16]),  # 15th is a Sunday -> Monday
    ("cron(0 0 14W * ? *)", utc(2026, 3, 1), [13]),  # 14th is a Saturday -> Friday
    ("cron(0 0 1W * ? *)", utc(2026, 8, 1), [3]),  # 1st is a Saturday -> Monday, same month
    ("cron(0 0 LW * ? *)", utc(2026, 5, 1), [29]),  # 31st is a Sunday -> Friday
    ("cron(0 0 LW * ? *)", utc(2026, 2, 1), [27]),  # 28th is a Saturday -> Friday
    ("cron(0 0 LW * ? *)", utc(2026, 4, 1), [30]),
    ("cron(0 0 LW * ? *)", utc(2028, 2, 1), [29]),
    ("cron(0 0 ? * 1#1 *)", utc(2026, 3, 1), [1]),  # first Sunday
    ("cron(0 0 ? * 2#3 *)", utc(2026, 3, 1), [16]),  # third Monday
    ("cron(0 0 ? * MON#5 *)", utc(2026, 3, 1), [30]),
    ("cron(0 0 ? * MON#5 *)", utc(2026, 2, 1), []),  # February 2026 has four Mondays
    ("cron(0 0 ? * 5L *)", utc(2026, 3, 1), [26]),  # 5 = Thursday: last Thursday
    ("cron(0 0 ? * 6L *)", utc(2026, 3, 1), [27]),  # 6 = Friday (AWS example)
    ("cron(0 0 ? * L *)", utc(2026, 3, 1), [7, 14, 21, 28]),  # L alone = Saturday
    ("cron(0 0 ? * 1 *)", utc(2026, 3, 1), [1, 8, 15, 22, 29]),  # 1 = Sunday
    # one side is '?': croniter must not OR the other side with "any day"
    ("cron(0 0 ? * MON *)", utc(2026, 3, 1), [2, 9, 16, 23, 30]),
    ("cron(0 0 15 * ? *)", utc(2026, 3, 1), [15]),
    (
        "cron(0 0 ? * MON-FRI *)",
        utc(2026, 3, 1),
        [2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18, 19, 20, 23, 24, 25, 26, 27, 30, 31],
    ),
]


@pytest.mark.parametrize(("text", "month_start", "days"), DAY_RULES)
def test_day_rules(text: str, month_start: datetime, days: list[int]) -> None:
    month_end = (month_start + timedelta(days=32)).replace(day=1)
    found = fires(text, month_start - timedelta(minutes=1), month_end - timedelta(minutes=1))
    assert [fire.day for fire in found] == days
    assert all(fire.month == month_start.month for fire in found)


# --- due rule ----------------------------------------------------------------------------

DUE = [
    # (expression, last_activity, now, due)
    # never run
    ("rate(5 minutes)", None, utc(2026, 3, 10, 12, 0), True),
    ("cron(0 2 * * ? *)", None, utc(2026, 3, 10, 1, 0), True),
    # rate: minutes, hours, days
    ("rate(15 minutes)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 12, 14, 59), False),
    ("rate(15 minutes)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 12, 15), True),
    ("rate(2 hours)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 13, 59), False),
    ("rate(2 hours)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 14, 0), True),
    ("rate(1 day)", utc(2026, 3, 1, 2, 0, 5), utc(2026, 3, 2, 1, 59), False),
    ("rate(1 day)", utc(2026, 3, 1, 2, 0, 5), utc(2026, 3, 2, 2, 0), True),
    # rate after an outage: due, and next_due is now (not the missed due time)
    ("rate(2 hours)", utc(2026, 3, 10, 12, 0), utc(2026, 3, 10, 19, 30), True),
    # rate: a tick that dispatched 40 s late does not push the next run 40 s later
    ("rate(15 minutes)", utc(2026, 3, 10, 12, 0, 40), utc(2026, 3, 10, 12, 15, 0), True),
    ("rate(15 minutes)", utc(2026, 3, 10, 12, 0, 40), utc(2026, 3, 10, 12, 14, 59), False),
    # cron every 15 minutes, exactly at and just before a fire time
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 0, 3), utc(2026, 3, 10, 12, 14, 59), False),
    ("cron(0/15 * * * ? *)", utc(2026, 3, 10, 12, 0, 3), utc(2026, 3, 10, 12, 15), True),
    # cron daily at 02:00
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 2, 0, 4), utc(2026, 3, 10, 23, 0), False),
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 2, 0, 4), utc(2026, 3, 11, 1, 59, 59), False),
    ("cron(0 2 * * ? *)", utc(2026, 3, 10, 2, 0, 4), utc(2026, 3, 11, 2, 0), True),
    # a run that started exactly at the fire time has consumed that fire
    ("cron(0 2 * * ? *)", utc(2026, 3, 11, 2, 0), utc(2026, 3, 11, 2, 0, 30), False),
    # weekdays: nothing over the weekend, due again on Monday
    ("cron(0 9 ? * MON-FRI *)", utc(2026, 3, 6, 9, 0, 2), utc(2026, 3, 8, 23, 59), False),
    ("cron(0 9 ? * MON-FRI *)", utc(2026, 3, 6, 9, 0, 2), utc(2026, 3, 9, 9, 0), True),
    # catch up after a long outage: due once...
    ("cron(0 2 * * ? *)", utc(2026, 3, 1, 2, 0, 10), utc(2026, 3, 5, 9, 0), True),
    # ... and once that catch-up run started, not again until the next fire time
    ("cron(0 2 * * ? *)", utc(2026, 3, 5, 9, 0, 1), utc(2026, 3, 5, 9, 15), False),
    ("cron(0 2 * * ? *)", utc(2026, 3, 5, 9, 0, 1), utc(2026, 3, 6, 2, 0), True),
    # year field
    ("cron(0 0 1 1 ? 2027)", None, utc(2026, 6, 1), False),
    ("cron(0 0 1 1 ? 2027)", None, utc(2026, 12, 31, 23, 59, 59), False),
    ("cron(0 0 1 1 ? 2027)", utc(2025, 6, 1), utc(2026, 12, 31, 23, 59), False),
    ("cron(0 0 1 1 ? 2027)", utc(2025, 6, 1), utc(2027, 1, 1), True),
    ("cron(0 0 1 1 ? 2027)", None, utc(2027, 1, 1, 0, 10), True),
    ("cron(0 0 1 1 ? 2027)", utc(2027, 1, 1, 0, 0, 9), utc(2030, 1, 1), False),
    # last day of the month
    ("cron(0 0 L * ? *)", utc(2026, 1, 31, 0, 0, 5), utc(2026, 2, 27, 23, 59), False),
    ("cron(0 0 L * ? *)", utc(2026, 1, 31, 0, 0, 5), utc(2026, 2, 28), True),
    ("cron(0 0 L * ? *)", utc(2028, 1, 31, 0, 0, 5), utc(2028, 2, 28, 23, 59), False),
    ("cron(0 0 L * ? *)", utc(2028, 1, 31, 0, 0, 5), utc(2028, 2, 29), True),
]


@pytest.mark.parametrize(("text", "last", "now", "due"), DUE)
def test_is_due(text: str, last: datetime | None, now: datetime, due: bool) -> None:
    assert parse_schedule(text).is_due(now, last) is due


@pytest.mark.parametrize(("text", "last", "now", "due"), DUE)
def test_next_due_agrees_with_is_due(
    text: str, last: datetime | None, now: datetime, due: bool
) -> None:
    schedule = parse_schedule(text)
    at = schedule.next_due(now, last)
    if due:
        assert at == now
        return
    assert at > now
    if at is NEVER:
        assert not schedule.is_due(utc(2199, 12, 31, 23, 59), last)
        return
    assert schedule.is_due(at, last)
    assert not schedule.is_due(at - timedelta(seconds=1), last)


def test_next_due_values() -> None:
    assert parse_schedule("rate(15 minutes)").next_due(
        utc(2026, 3, 10, 12, 3), utc(2026, 3, 10, 12, 0, 40)
    ) == utc(2026, 3, 10, 12, 15)
    assert cron("cron(0 2 * * ? *)").next_due(
        utc(2026, 3, 10, 3), utc(2026, 3, 10, 2, 0, 1)
    ) == utc(2026, 3, 11, 2)
    assert cron("cron(0 0 1 1 ? 2027)").next_due(utc(2026, 6, 1), None) == utc(2027, 1, 1)
    assert cron("cron(0 0 1 1 ? 2020)").next_due(utc(2026, 6, 1), utc(2020, 1, 1, 0, 1)) is NEVER


def test_next_due_when_last_activity_is_after_now() -> None:
    # Clock skew: the last run is recorded as starting after "now"; the fire it consumed
    # (02:00) must not be reported as the next due time.
    schedule = cron("cron(0/30 * * * ? *)")
    now, last = utc(2026, 3, 10, 1, 50), utc(2026, 3, 10, 2, 0, 5)
    assert not schedule.is_due(now, last)
    assert schedule.next_due(now, last) == utc(2026, 3, 10, 2, 30)


@pytest.fixture
def berlin_local_time() -> Iterator[None]:
    """Make the process-local zone one with DST, to show it plays no part."""
    previous = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop("TZ")
        else:
            os.environ["TZ"] = previous
        time.tzset()


@pytest.mark.usefixtures("berlin_local_time")
def test_utc_only_across_a_european_dst_switch() -> None:
    # Europe moves its clocks at 01:00 UTC on 2026-03-29; in UTC nothing happens.
    daily = cron("cron(30 1 * * ? *)")
    assert fires("cron(30 1 * * ? *)", utc(2026, 3, 27), utc(2026, 3, 31)) == [
        utc(2026, 3, 27, 1, 30),
        utc(2026, 3, 28, 1, 30),
        utc(2026, 3, 29, 1, 30),
        utc(2026, 3, 30, 1, 30),
    ]
    assert daily.is_due(utc(2026, 3, 29, 1, 30), utc(2026, 3, 28, 1, 30, 2))
    hourly = parse_schedule("rate(1 hour)")
    assert not hourly.is_due(utc(2026, 3, 29, 1, 29), utc(2026, 3, 29, 0, 30))
    assert hourly.is_due(utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 0, 30))


def test_other_utc_offsets_are_converted_not_misread() -> None:
    plus_two = timezone(timedelta(hours=2))
    schedule = cron("cron(0 2 * * ? *)")
    # 03:30+02:00 is 01:30 UTC: before today's 02:00 UTC fire.
    assert schedule.previous_fire(datetime(2026, 3, 10, 3, 30, tzinfo=plus_two)) == utc(
        2026, 3, 9, 2
    )
    assert schedule.next_fire(datetime(2026, 3, 10, 3, 30, tzinfo=plus_two)) == utc(2026, 3, 10, 2)


NAIVE = datetime(2026, 3, 10, 12, 0)


@pytest.mark.parametrize(
    ("text", "call"),
    [
        ("rate(5 minutes)", lambda s: s.is_due(NAIVE, None)),
        ("rate(5 minutes)", lambda s: s.is_due(utc(2026, 3, 10), NAIVE)),
        ("rate(5 minutes)", lambda s: s.next_due(NAIVE, None)),
        ("cron(0 2 * * ? *)", lambda s: s.is_due(NAIVE, None)),
        ("cron(0 2 * * ? *)", lambda s: s.is_due(utc(2026, 3, 10, 3), NAIVE)),
        ("cron(0 0 1 1 ? 2027)", lambda s: s.is_due(utc(2026, 3, 10), NAIVE)),  # no fire yet
        ("cron(0 2 * * ? *)", lambda s: s.next_due(utc(2026, 3, 10, 1), NAIVE)),
        ("cron(0 2 * * ? *)", lambda s: s.previous_fire(NAIVE)),
        ("cron(0 2 * * ? *)", lambda s: s.next_fire(NAIVE)),
    ],
)
def test_naive_datetimes_are_rejected(text: str, call: object) -> None:
    schedule = parse_schedule(text)
    with pytest.raises(TypeError, match="timezone-aware"):
        call(schedule)  # type: ignore[operator]


def test_year_field_is_searched_by_jumping_not_year_by_year(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    schedule = cron("cron(30 23 31 DEC ? 2190/5)")
    calls: list[datetime] = []
    step = CronSchedule._step

    def counting(self: CronSchedule, start: datetime, *, backwards: bool) -> datetime | None:
        calls.append(start)
        return step(self, start, backwards=backwards)

    monkeypatch.setattr(CronSchedule, "_step", counting)
    assert schedule.next_fire(utc(2026, 1, 1)) == utc(2190, 12, 31, 23, 30)
    assert schedule.previous_fire(utc(2199, 6, 1)) == utc(2195, 12, 31, 23, 30)
    assert len(calls) == 2
