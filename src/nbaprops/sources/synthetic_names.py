"""Invented player names, some with accents, apostrophes and Jr./III suffixes, unique per lookup."""

from __future__ import annotations

import re
import unicodedata

import numpy as np

_FIRST = (
    "Aaron", "Andre", "Anthony", "Brandon", "Caleb", "Cameron", "Chris", "Cole", "Darius", "Dante",
    "Derek", "Devin", "Dominic", "Elijah", "Eric", "Evan", "Gabe", "Grant", "Isaiah", "Jalen",
    "Jamal", "Jaden", "Jordan", "Josh", "Julian", "Justin", "Kevin", "Kyle", "Landon", "Lamar",
    "Marcus", "Malik", "Miles", "Myles", "Nate", "Nolan", "Omar", "Quentin", "Reggie", "Rashad",
    "Scottie", "Shawn", "Terrence", "Trey", "Tyrese", "Victor", "Xavier", "Zach", "Keon", "Jabari",
)
_LAST = (
    "Allen", "Barnes", "Bridges", "Brooks", "Carter", "Coleman", "Cooper", "Dawson", "Ellis",
    "Fletcher", "Franklin", "Gaines", "Graham", "Harper", "Hayes", "Holloway", "Irving", "Jenkins",
    "Keller", "Lawson", "Mason", "McBride", "Merritt", "Mitchell", "Morrow", "Nash", "Owens",
    "Parker", "Prescott", "Quinn", "Reeves", "Robinson", "Sanders", "Shelton", "Simmons", "Sutton",
    "Thornton", "Tillman", "Vaughn", "Walker", "Warren", "Whitfield", "Wilder", "Winslow", "Yates",
    "Boone", "Calloway", "Dorsey", "Fairley", "Kendrick",
)
# Invented European-style names whose accents the identity code must fold.
_ACCENTED = (
    ("Nikola", "Jokavić"), ("Luka", "Dončević"), ("Bogdan", "Šarović"), ("Goran", "Žižković"),
    ("Théo", "Marchésin"), ("José", "Alcántara"), ("Álvaro", "Núñez"), ("Dāvis", "Bērziņš"),
    ("Jürgen", "Schröder"), ("Björn", "Löfgren"), ("Jusuf", "Nurkić-Begović"), ("Dario", "Šimunić"),
)
_APOSTROPHE_FIRST = ("De'Andre", "Ja'Von", "D'Marcus", "Jae'Len", "Day'Shawn")
_SUFFIXES = ((" Jr.", 0.05), (" III", 0.02), (" II", 0.01), (" Sr.", 0.005))
_SUFFIX_WORDS = re.compile(r"\b(jr|sr|ii|iii|iv)\.?$", re.IGNORECASE)


def name_key(name: str) -> str:
    """A key at least as coarse as `player_lookup`: accents folded, suffix dropped, letters only."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    folded = _SUFFIX_WORDS.sub("", folded.strip())
    return re.sub(r"[^a-z]", "", folded.lower())


def ascii_name(name: str) -> str:
    """The name with accents folded, as some books and feeds print it."""
    return unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")


def without_suffix(name: str) -> str:
    """The name without a trailing Jr./Sr./II/III/IV."""
    return _SUFFIX_WORDS.sub("", name.strip()).strip()


def normalized_name(name: str) -> str:
    """The `player_normalized` column of player game logs: folded, no suffix, title case."""
    return without_suffix(ascii_name(name)).title()


def invent_names(rng: np.random.Generator, *, count: int) -> list[str]:
    """`count` distinct names whose `name_key`s are distinct too."""
    names: list[str] = []
    taken: set[str] = set()
    accented = list(_ACCENTED)
    while len(names) < count:
        draw = rng.random()
        if draw < 0.04 and accented:
            first, last = accented.pop(int(rng.integers(len(accented))))
        elif draw < 0.07:
            first, last = _pick(rng, _APOSTROPHE_FIRST), _pick(rng, _LAST)
        else:
            first, last = _pick(rng, _FIRST), _pick(rng, _LAST)
        name = f"{first} {last}"
        suffix_draw = rng.random()
        threshold = 0.0
        for suffix, share in _SUFFIXES:
            threshold += share
            if suffix_draw < threshold:
                name += suffix
                break
        key = name_key(name)
        if key in taken:
            continue
        taken.add(key)
        names.append(name)
    return names


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(len(options)))]
