"""The warehouse (DuckDB, or PostgreSQL by URL): versioned migrations and atomic partition writes."""

from nbaprops.warehouse.warehouse import Warehouse, is_postgres_url

__all__ = ["Warehouse", "is_postgres_url"]
