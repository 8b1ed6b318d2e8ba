"""The DuckDB warehouse: versioned migrations and atomic partition writes."""

from nbaprops.warehouse.warehouse import Warehouse

__all__ = ["Warehouse"]
