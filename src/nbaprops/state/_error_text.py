"""How a failed run's error reads in a signal, a reason or a table: one line, bounded."""

from __future__ import annotations


def error_text(error_class: str | None, message: str | None, *, limit: int = 160) -> str:
    """`Class: first line of the message`, at most `limit` characters (cut with an ellipsis)."""
    line = f"{error_class or 'error'}: {(message or 'no message').splitlines()[0]}"
    return shorten(line, limit)


def shorten(text: str | None, limit: int = 160) -> str:
    """The first line of `text`, at most `limit` characters (cut with an ellipsis)."""
    line = (text or "no message").splitlines()[0]
    return line if len(line) <= limit else line[: limit - 1] + "…"
