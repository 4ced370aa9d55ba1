"""Deletions streams: Shopify's destroy events of one subject type (products, orders,
customers), from the ``events`` log. Each lands the events of its window; the load job curates
them to ``(subject_type, subject_id, deleted_at)`` and soft-deletes the rows of every table
deleted with that subject (:attr:`~.tables.TableSpec.deleted_with`), children included.

Shopify's ``EventSubjectType`` lists ``PRODUCT``, ``ORDER`` and ``CUSTOMER``, and ``events``
filters on it (``subject_type:``) and on the action (``action:destroy``) in every supported
version; its fields need no access scope.
"""

from __future__ import annotations

from .model import Deletes, StreamDeclaration, StreamGroup

#: What the load reads of each event (``subjectId``: the deleted record's gid).
EVENT_FIELDS = ("id", "action", "createdAt", "subjectId", "subjectType")


def deletions_stream(
    name: str, group: StreamGroup, subject: str, *, of: str, subject_scope: str
) -> StreamDeclaration:
    """The destroy events of ``subject`` records, which stream ``of`` lands; skipped by a run
    whose token lacks ``subject_scope``."""
    return StreamDeclaration(
        name=name,
        group=group,
        node_type="Event",
        root="events",
        sort_key="CREATED_AT",
        cursor_field="createdAt",
        search_field="created_at",
        base_query=f"action:destroy AND subject_type:{subject}",
        snapshot_capable=False,
        bulk=False,
        scopes=(),  # Shopify's schema asks no scope for events
        deletes=Deletes(subject=subject, stream=of, subject_scope=subject_scope),
        fields="""
            id
            action
            createdAt
            message
            ... on BasicEvent { subjectId subjectType }
        """,
    )
