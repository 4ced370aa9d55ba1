"""A read-only subset of the legacy REST Admin API over the same store."""
