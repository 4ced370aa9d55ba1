"""Bulk operations: ``bulkOperationRunQuery`` runs in the background and writes JSONL."""
