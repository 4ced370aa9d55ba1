"""The local dashboard (ARCHITECTURE §1: QuickSight + RLS → the local dashboard): per-store
charts over the DuckDB warehouse's ``reporting`` tables, served on 127.0.0.1, every query
filtered through ``reporting.rls_rules`` as QuickSight's row-level security filters it."""
