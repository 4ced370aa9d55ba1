"""Every GraphQL document shopsync sends, by name (each one validated by a test).

The streams' documents (paged, completing a nested connection, bulk) are generated from their
declarations (:mod:`shopsync.streams.documents`); the documents that drive a bulk operation
(``bulk_run``, ``bulk_status``, ``bulk_cancel``) are the ``.graphql`` files of this package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from shopsync.streams.documents import documents as stream_documents


@cache
def load(name: str) -> str:
    """The text of the document ``name``: a stream's, or ``<name>.graphql`` in this package."""
    if not name.replace("_", "").isalnum():
        raise ValueError(f"invalid query name {name!r}")
    generated = stream_documents().get(name)
    if generated is not None:
        return generated
    return resources.files(__name__).joinpath(f"{name}.graphql").read_text(encoding="utf-8")


def names() -> list[str]:
    files = [
        p.name.removesuffix(".graphql")
        for p in resources.files(__name__).iterdir()
        if p.name.endswith(".graphql")
    ]
    return sorted({*files, *stream_documents()})
