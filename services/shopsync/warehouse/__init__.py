"""The per-tenant warehouse: table specs, the Warehouse interface, DuckDB and Redshift."""
