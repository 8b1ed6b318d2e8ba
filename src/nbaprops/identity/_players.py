"""The player_lookup key that joins prop-line names to box-score names."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from functools import cache, lru_cache
from importlib import resources

SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv", "v"})
ALIASES_FILE = "aliases.csv"

# Letters NFKD does not split into a base letter and a mark.
_LETTERS = str.maketrans({
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ø": "o", "Ø": "O", "ı": "i", "æ": "ae", "Æ": "AE",
    "œ": "oe", "Œ": "OE", "ß": "ss", "þ": "th", "ð": "d",
})
_PARENTHESES = re.compile(r"\([^)]*\)")
_SEPARATORS = re.compile(r"[^a-z0-9]+")


def normalize_name(name: str) -> str:
    """A name's key before aliases: "Luka Dončić" -> "lukadoncic", "Portis, Bobby" -> "bobbyportis".

    NFKD with accents stripped, lower case, parenthesised notes ("(IND)") and the suffixes
    jr, sr, ii, iii, iv, v dropped, "Last, First" turned around, punctuation and spaces dropped.
    """
    text = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PARENTHESES.sub(" ", text).lower()
    if text.count(",") == 1:
        before, after = text.split(",")
        given = _without_suffixes(_tokens(after))
        if given:  # "Portis, Bobby"; "Trent, Jr." only has a suffix after its comma
            text = " ".join([*given, before])
    tokens = _tokens(text)
    return "".join(tokens[:1] + _without_suffixes(tokens[1:]))


def _tokens(text: str) -> list[str]:
    return [token for token in _SEPARATORS.split(text) if token]


def _without_suffixes(tokens: list[str]) -> list[str]:
    end = len(tokens)
    while end and tokens[end - 1] in SUFFIXES:
        end -= 1
    return tokens[:end]


@cache
def _aliases() -> dict[str, str]:
    text = resources.files("nbaprops.identity").joinpath(ALIASES_FILE).read_text(encoding="utf-8")
    return {
        normalize_name(row["alias"]): normalize_name(row["canonical"])
        for row in csv.DictReader(io.StringIO(text))
    }


@lru_cache(maxsize=1 << 16)  # a season has a few hundred names, each seen hundreds of times
def player_lookup(name: str) -> str:
    """The key joining player names across sources: `normalize_name` plus the known aliases.

    "Jaren Jackson Jr." -> "jarenjackson", "P.J. Washington" -> "pjwashington", and an alias
    such as "Nicolas Claxton" -> "nicclaxton" (the name in the box scores).
    """
    key = normalize_name(name)
    return _aliases().get(key, key)


def aliases() -> dict[str, str]:
    """Every alias key and the canonical key it maps to (read from aliases.csv)."""
    return dict(_aliases())
