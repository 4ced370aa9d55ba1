"""The log context: ``tenant_id`` and ``run_id`` set once per run, on every record inside it.

A run sets its keys with :func:`log_context`; every record logged while the block runs, by any
module, carries them as attributes, which Powertools' JSON formatter (Lambda), the CLI and the
Glue job's handlers all print. The keys live in a :class:`~contextvars.ContextVar`, so runs on
different threads never see each other's keys; work handed to a pool keeps its run's keys when
submitted with :func:`submit`.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from types import MappingProxyType
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

_EMPTY: Mapping[str, object] = MappingProxyType({})
_keys: contextvars.ContextVar[Mapping[str, object]] = contextvars.ContextVar(
    "shopsync_log_context", default=_EMPTY
)


@contextmanager
def log_context(**keys: object) -> Iterator[None]:
    """Add ``keys`` to every record logged inside the block (nested blocks add to them)."""
    token = _keys.set(MappingProxyType({**_keys.get(), **keys}))
    try:
        yield
    finally:
        _keys.reset(token)


def current() -> Mapping[str, object]:
    return _keys.get()


def submit(pool: Executor, fn: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> Future[R]:
    """``pool.submit`` that runs ``fn`` in a copy of the caller's context (its log keys)."""
    context = contextvars.copy_context()

    def run() -> R:
        return context.run(fn, *args, **kwargs)

    return pool.submit(run)


def _install() -> None:
    """Wrap the log record factory, once. Records get the keys as they are made, so a call
    must not pass them again in ``extra`` (logging refuses to overwrite an attribute):
    ``tests/unit/test_logcontext.py`` checks that no module does."""
    previous = logging.getLogRecordFactory()
    if getattr(previous, "_shopsync_log_context", False):
        return

    def factory(*args: object, **kwargs: object) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        for key, value in _keys.get().items():
            record.__dict__[key] = value
        return record

    factory._shopsync_log_context = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


_install()
