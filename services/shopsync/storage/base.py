"""The object store interface, implemented for S3 (:mod:`.s3`) and a directory (:mod:`.local`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from typing import Protocol


class ObjectStoreError(RuntimeError):
    """An object store operation failed."""


class ObjectNotFoundError(ObjectStoreError, KeyError):
    """No object at that key."""

    def __str__(self) -> str:
        return f"no object at {self.args[0]!r}" if self.args else "no such object"


class WritableStream(Protocol):
    def write(self, data: bytes, /) -> int: ...

    def flush(self) -> None: ...


class ReadableStream(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...


class ObjectStore(Protocol):
    """Keys are ``/``-separated, relative and normalised (see :func:`.keys.check_key`).

    A write is all or nothing: readers and listings never see a partial object, and an
    ``open_write`` block that raises leaves no object behind.
    """

    def put_bytes(self, key: str, data: bytes) -> None: ...

    def open_write(self, key: str) -> AbstractContextManager[WritableStream]:
        """Stream an object; it appears when the block exits cleanly."""
        ...

    def get(self, key: str) -> bytes:
        """The object's bytes; :class:`ObjectNotFoundError` if absent."""
        ...

    def open_read(self, key: str) -> AbstractContextManager[ReadableStream]: ...

    def list(self, prefix: str = "", *, start_after: str | None = None) -> Iterator[str]:
        """Every key starting with ``prefix``, in lexicographic order; only those after
        ``start_after`` when given (S3's ``StartAfter``: the listing skips them, it does not
        read and drop them)."""
        ...

    def list_prefixes(self, prefix: str) -> Iterator[str]:
        """The "directories" one level below ``prefix`` (which ends in ``/``): each distinct
        ``prefix + <name> + "/"`` that some key starts with, in order (S3's common prefixes
        with the delimiter ``/``)."""
        ...

    def exists(self, key: str) -> bool: ...

    def uri(self, key: str) -> str:
        """Where the object lives, for messages (``s3://bucket/key`` or a file path)."""
        ...
