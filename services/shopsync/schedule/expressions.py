"""AWS schedule expressions (``rate(...)`` / ``cron(...)``) and when a tenant is due.

Syntax follows the EventBridge references (all evaluated in UTC):
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rate-expressions.html and
https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html

Beyond the documented forms this accepts what AWS's Quartz-style parser also takes: ``LW``
(last weekday of the month), ``nL`` in day-of-week (``6L`` = last Friday, 1 = Sunday) and
names in any case. ``L-n`` and ``/`` in day-of-week are rejected (not in the reference table).

Cron fields are validated here, then translated to a five-field croniter expression
(day-of-week shifted from AWS 1-7 to croniter 0-6; the ``?`` side becomes ``*``, so croniter's
day-of-month OR day-of-week rule never applies). The year field is enforced here because
croniter's own year field stops at 2099.
"""

from __future__ import annotations

import abc
import bisect
import functools
import re
from datetime import UTC, datetime, timedelta

from croniter import CroniterBadCronError, CroniterBadDateError, croniter

#: ``next_due`` of a schedule that will never fire again (its year field is in the past).
NEVER = datetime.max.replace(tzinfo=UTC)

_MINUTE = timedelta(minutes=1)
_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
_DAYS = {name: i for i, name in enumerate(("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 1)}
_MAX_DAYS = (0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)  # index = month; Feb in a leap year


class ScheduleError(ValueError):
    """A schedule expression AWS would reject; the message says what is wrong."""


def _utc(value: datetime, name: str) -> datetime:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise TypeError(f"{name} must be timezone-aware (UTC), got naive {value.isoformat()}")
    return value.astimezone(UTC)


def _floor_minute(value: datetime) -> datetime:
    return value.replace(second=0, microsecond=0)


class ScheduleExpression(abc.ABC):
    """A parsed schedule. ``last_activity`` is when the tenant's last run started, or None."""

    def __init__(self, text: str) -> None:
        self.text = text

    @abc.abstractmethod
    def is_due(self, now: datetime, last_activity: datetime | None) -> bool:
        """Whether a run should start at ``now``."""

    @abc.abstractmethod
    def next_due(self, now: datetime, last_activity: datetime | None) -> datetime:
        """The earliest time >= ``now`` at which :meth:`is_due` is true (``now`` if due now)."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.text == self.text

    def __hash__(self) -> int:
        return hash((type(self).__name__, self.text))


class RateSchedule(ScheduleExpression):
    """``rate(value unit)``: due once ``interval`` has passed since the last run's minute."""

    def __init__(self, text: str, interval: timedelta) -> None:
        super().__init__(text)
        self.interval = interval

    def _due_at(self, last_activity: datetime) -> datetime:
        # Flooring to the minute stops drift when a tick dispatches a few seconds late.
        try:
            return _floor_minute(_utc(last_activity, "last_activity")) + self.interval
        except OverflowError:
            return NEVER

    def is_due(self, now: datetime, last_activity: datetime | None) -> bool:
        now = _utc(now, "now")
        return last_activity is None or now >= self._due_at(last_activity)

    def next_due(self, now: datetime, last_activity: datetime | None) -> datetime:
        now = _utc(now, "now")
        return now if last_activity is None else max(now, self._due_at(last_activity))


class CronSchedule(ScheduleExpression):
    """``cron(...)``: due when a fire time has passed since the last run (caught up once).

    A tenant that never ran is due as soon as the expression has fired at least once, so a
    year field that only starts in the future holds it back until then.
    """

    def __init__(self, text: str, croniter_expr: str, years: tuple[int, ...]) -> None:
        super().__init__(text)
        self._expr = croniter_expr  # five croniter fields, without the year
        self._years = years  # sorted
        self._year_set = frozenset(years)
        # previous_fire depends only on the minute; one tick asks for the same minute many
        # times (tenants share expressions through parse_schedule's cache). Replaced whole.
        self._memo: tuple[datetime, datetime | None] | None = None

    def _step(self, start: datetime, *, backwards: bool) -> datetime | None:
        """croniter's fire strictly before/after naive-UTC ``start``, ignoring the year field."""
        try:
            it = croniter(self._expr, start)
            found: datetime = it.get_prev(datetime) if backwards else it.get_next(datetime)
        except CroniterBadDateError:  # nothing within croniter's search horizon
            return None
        return found

    def previous_fire(self, at: datetime) -> datetime | None:
        """The latest fire time <= ``at``, or None if there is none."""
        key = _floor_minute(_utc(at, "at"))
        memo = self._memo
        if memo is not None and memo[0] == key:
            return memo[1]
        before = key.replace(tzinfo=None) + _MINUTE  # search strictly before this
        result: datetime | None = None
        while True:
            latest_year = (before - _MINUTE).year
            i = bisect.bisect_right(self._years, latest_year)
            if i == 0:
                break
            year = self._years[i - 1]
            if year < latest_year:
                before = datetime(year + 1, 1, 1)
            fire = self._step(before, backwards=True)
            if fire is None:
                break
            if fire.year in self._year_set:
                result = fire.replace(tzinfo=UTC)
                break
            before = datetime(fire.year, 1, 1)
        self._memo = (key, result)
        return result

    def next_fire(self, after: datetime) -> datetime | None:
        """The earliest fire time > ``after``, or None if the year field has no later years."""
        start = _floor_minute(_utc(after, "after")).replace(tzinfo=None)  # search strictly after
        while True:
            i = bisect.bisect_left(self._years, start.year)
            if i == len(self._years):
                return None
            year = self._years[i]
            if year > start.year:
                start = datetime(year, 1, 1) - _MINUTE
            fire = self._step(start, backwards=False)
            if fire is None:
                return None
            if fire.year in self._year_set:
                return fire.replace(tzinfo=UTC)
            start = datetime(fire.year + 1, 1, 1) - _MINUTE

    def is_due(self, now: datetime, last_activity: datetime | None) -> bool:
        last = None if last_activity is None else _utc(last_activity, "last_activity")
        fired = self.previous_fire(now)
        return fired is not None and (last is None or fired > last)

    def next_due(self, now: datetime, last_activity: datetime | None) -> datetime:
        now = _utc(now, "now")
        if self.is_due(now, last_activity):
            return now
        start = now if last_activity is None else max(now, _utc(last_activity, "last_activity"))
        fire = self.next_fire(start)
        return NEVER if fire is None else fire


# --- parsing -----------------------------------------------------------------------------

_RATE_RE = re.compile(r"rate\((?P<value>[^ ]*) (?P<unit>[^ ]*)\)")
_RATE_UNITS = {"minute": 1, "hour": 60, "day": 24 * 60}
_CRON_RE = re.compile(r"cron\((?P<body>.*)\)", re.DOTALL)
_CRON_FIELDS = "minutes hours day-of-month month day-of-week year"


def _parse_rate(text: str) -> RateSchedule:
    match = _RATE_RE.fullmatch(text)
    if match is None:
        raise ScheduleError(
            f"{text!r} is not a rate expression: write rate(value unit) with one space, "
            "e.g. rate(5 minutes)"
        )
    value_text, unit = match["value"], match["unit"]
    if not value_text.isascii() or not value_text.isdigit() or int(value_text) == 0:
        raise ScheduleError(f"rate(...) value must be a positive whole number, got {value_text!r}")
    value = int(value_text)
    singular = unit[:-1] if unit.endswith("s") else unit
    if singular not in _RATE_UNITS:
        raise ScheduleError(f"rate(...) unit must be minute(s), hour(s) or day(s), got {unit!r}")
    if value == 1 and unit != singular:
        raise ScheduleError(
            f"rate(1 ...) needs the singular unit: rate(1 {singular}), not {unit!r}"
        )
    if value > 1 and unit == singular:
        raise ScheduleError(
            f"rate({value} ...) needs the plural unit: rate({value} {singular}s), not {unit!r}"
        )
    try:
        interval = timedelta(minutes=value * _RATE_UNITS[singular])
    except OverflowError:
        raise ScheduleError(f"rate(...) value {value} is too large") from None
    return RateSchedule(text, interval)


class _Field:
    def __init__(self, name: str, low: int, high: int, names: dict[str, int] | None = None):
        self.name, self.low, self.high, self.names = name, low, high, names

    def error(self, problem: str) -> ScheduleError:
        return ScheduleError(f"{self.name}: {problem}")

    def value(self, token: str) -> int:
        if self.names is not None and token.upper() in self.names:
            return self.names[token.upper()]
        if not token.isascii() or not token.isdigit():
            kind = f" (use {self.low}-{self.high} or {self.example_names})" if self.names else ""
            raise self.error(f"{token!r} is not a valid value{kind}")
        number = int(token)
        if not self.low <= number <= self.high:
            raise self.error(f"{number} is out of range {self.low}-{self.high}")
        return number

    @property
    def example_names(self) -> str:
        names = list(self.names or ())
        return f"{names[0]}-{names[-1]}"

    def values(self, text: str, *, steps: bool = True) -> frozenset[int]:
        """Expand a list of ``*``, ``a``, ``a-b`` items, each optionally ``/step``."""
        result: set[int] = set()
        for item in text.split(","):
            if not item:
                raise self.error(f"empty item in list {text!r}")
            base, slash, step_text = item.partition("/")
            step = 1
            if slash:
                if not steps:
                    raise self.error(f"'/' is not allowed in {item!r}")
                span = self.high - self.low
                if not step_text.isascii() or not step_text.isdigit():
                    raise self.error(f"step {step_text!r} in {item!r} is not a whole number")
                step = int(step_text)
                if not 1 <= step <= span:
                    raise self.error(f"step {step} in {item!r} is out of range 1-{span}")
            if base == "*":
                first, last = self.low, self.high
            elif "-" in base:
                start_text, _, end_text = base.partition("-")
                first, last = self.value(start_text), self.value(end_text)
                if first > last:
                    raise self.error(f"range {base!r} is reversed (start is after end)")
            else:
                first = self.value(base)
                last = self.high if slash else first
            result.update(range(first, last + 1, step))
        return frozenset(result)

    def croniter_list(self, values: frozenset[int], shift: int = 0) -> str:
        if len(values) == self.high - self.low + 1:
            return "*"
        return ",".join(str(v + shift) for v in sorted(values))


_MINUTES = _Field("minutes", 0, 59)
_HOURS = _Field("hours", 0, 23)
_DOM = _Field("day-of-month", 1, 31)
_MONTH = _Field("month", 1, 12, _MONTHS)
_DOW = _Field("day-of-week", 1, 7, _DAYS)
_YEAR = _Field("year", 1970, 2199)
_NTH_RE = re.compile(r"(?P<day>\w+)#(?P<nth>\w*)")


def _day_of_month(text: str, months: frozenset[int]) -> str:
    """The croniter day-of-month field for an AWS one that is not ``?``."""
    upper = text.upper()
    if upper in ("L", "LW"):
        # croniter clamps nW to the month's last day, so 31W is the last weekday.
        return "L" if upper == "L" else "31W"
    if upper.startswith("L"):
        raise _DOM.error(f"{text!r} is not supported; use L (last day) or LW (last weekday)")
    if upper.endswith("W"):
        if "," in upper or "-" in upper or "/" in upper:
            raise _DOM.error(f"W takes a single day, e.g. 15W, got {text!r}")
        return f"{_DOM.value(upper[:-1])}W"
    if "?" in text or "L" in upper or "W" in upper:
        raise _DOM.error(f"{text!r} mixes ?, L or W with other values; they must stand alone")
    days = _DOM.values(text)
    if all(day > _MAX_DAYS[month] for day in days for month in months):
        names = ",".join(_MONTH_NAMES[m - 1] for m in sorted(months))
        raise _DOM.error(f"{text!r} never occurs in month {names}")
    return _DOM.croniter_list(days)


def _day_of_week(text: str) -> str:
    """The croniter day-of-week field (0 = Sunday) for an AWS one (1 = Sunday), not ``?``."""
    nth = _NTH_RE.fullmatch(text)
    if nth is not None:
        if not nth["nth"].isascii() or not nth["nth"].isdigit() or not 1 <= int(nth["nth"]) <= 5:
            raise _DOW.error(f"the number after # must be 1-5, got {text!r}")
        return f"{_DOW.value(nth['day']) - 1}#{int(nth['nth'])}"
    if "#" in text:
        raise _DOW.error(
            f"# takes a single day, e.g. 3#2 (AWS rejects lists like 3#1,6#3): {text!r}"
        )
    upper = text.upper()
    if upper == "L":  # the last day of the week
        return str(_DOW.value("SAT") - 1)
    if upper.endswith("L"):
        if "," in upper or "-" in upper or "/" in upper:
            raise _DOW.error(f"L takes a single day, e.g. 6L (last Friday), got {text!r}")
        return f"L{_DOW.value(upper[:-1]) - 1}"
    if "?" in text or "L" in upper:
        raise _DOW.error(f"{text!r} mixes ? or L with other values; they must stand alone")
    if "/" in text:
        raise _DOW.error(f"'/' is not allowed in day-of-week (AWS allows , - * ? L #): {text!r}")
    return _DOW.croniter_list(_DOW.values(text), shift=-1)


def _parse_cron(text: str) -> CronSchedule:
    match = _CRON_RE.fullmatch(text)
    if match is None:
        raise ScheduleError(f"{text!r} is not a cron expression: write cron({_CRON_FIELDS})")
    fields = match["body"].split()
    if len(fields) != 6:
        raise ScheduleError(f"cron(...) needs 6 fields ({_CRON_FIELDS}), got {len(fields)}")
    minutes, hours, dom, month, dow, year = fields
    for field, value in ((_MINUTES, minutes), (_HOURS, hours), (_MONTH, month), (_YEAR, year)):
        if "?" in value:
            raise field.error("'?' is only allowed in day-of-month or day-of-week")
    if (dom == "?") == (dow == "?"):
        problem = "both are '?'" if dom == "?" else "you can't specify both"
        raise ScheduleError(
            f"day-of-month and day-of-week: exactly one must be '?' ({problem}; "
            f"got {dom!r} and {dow!r})"
        )
    months = _MONTH.values(month)
    parts = (
        _MINUTES.croniter_list(_MINUTES.values(minutes)),
        _HOURS.croniter_list(_HOURS.values(hours)),
        "*" if dom == "?" else _day_of_month(dom, months),
        _MONTH.croniter_list(months),
        "*" if dow == "?" else _day_of_week(dow),
    )
    expr = " ".join(parts)
    try:
        croniter(expr)
    except CroniterBadCronError as exc:  # a translation this module should not produce
        raise ScheduleError(f"cron(...) could not be evaluated: {exc}") from exc
    schedule = CronSchedule(text, expr, tuple(sorted(_YEAR.values(year))))
    if schedule.next_fire(datetime(1969, 12, 31, 23, 59, tzinfo=UTC)) is None:
        raise ScheduleError(
            "cron(...) never fires: no date matches its day-of-month, month, day-of-week "
            "and year together"
        )
    return schedule


@functools.lru_cache(maxsize=4096)
def parse_schedule(text: str) -> ScheduleExpression:
    """Parse an EventBridge ``rate(...)`` or ``cron(...)`` expression; cached per text."""
    if not isinstance(text, str):
        raise ScheduleError(f"a schedule must be a string, got {type(text).__name__}")
    if text.startswith("rate("):
        return _parse_rate(text)
    if text.startswith("cron("):
        return _parse_cron(text)
    raise ScheduleError(
        f"{text!r} is not a schedule expression: use rate(value unit) or cron(...) "
        "(lower case, no surrounding spaces)"
    )
