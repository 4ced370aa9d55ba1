"""Glue job code: Spark transforms and warehouse loads."""
