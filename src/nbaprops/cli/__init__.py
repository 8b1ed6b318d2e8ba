"""The `nbaprops` command line."""
