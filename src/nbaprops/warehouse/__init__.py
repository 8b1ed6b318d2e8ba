"""The warehouse (DuckDB, or PostgreSQL by URL): versioned migrations and atomic partition writes."""

from nbaprops.warehouse._versions import DatedReads, by_date
from nbaprops.warehouse.warehouse import Warehouse, is_postgres_url

__all__ = ["DatedReads", "Warehouse", "by_date", "is_postgres_url"]
