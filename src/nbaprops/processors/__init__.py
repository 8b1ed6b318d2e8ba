"""Processors: the units of the pipeline, one (table, game_date) partition each, and their runner."""
