"""AWS schedule expressions (``rate(...)`` / ``cron(...)``) and when a tenant is due."""
