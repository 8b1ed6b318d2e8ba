"""Reliability: circuit breakers per source (more to come: budgets, incidents, diagnosis)."""
