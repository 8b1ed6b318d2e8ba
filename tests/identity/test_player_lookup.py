import csv
from importlib import resources

import pytest

from nbaprops.identity import aliases, normalize_name, player_lookup

LOOKUPS = [
    # name as written                 player_lookup
    ("Luka Dončić", "lukadoncic"),
    ("Jaren Jackson Jr.", "jarenjackson"),
    ("P.J. Washington", "pjwashington"),
    ("LeBron James", "lebronjames"),
    ("Lebron James", "lebronjames"),
    ("Gary Payton II", "garypayton"),
    ("Trey Murphy III", "treymurphy"),
    ("Lonnie Walker IV", "lonniewalker"),
    ("Marcus Morris Sr.", "marcusmorris"),
    ("Kelly Oubre Jr", "kellyoubre"),
    ("Shai Gilgeous-Alexander", "shaigilgeousalexander"),
    ("Kel'el Ware", "kelelware"),
    ("Royce O'Neale", "royceoneale"),
    ("  Nikola   Jokić ", "nikolajokic"),
    ("Kristaps Porziņģis", "kristapsporzingis"),
    ("Nikola Đurišić", "nikoladurisic"),
    ("Dāvis Bertāns", "davisbertans"),
    ("Portis, Bobby", "bobbyportis"),
    ("Trent, Gary Jr.", "garytrent"),
    ("Gary Trent, Jr.", "garytrent"),
    ("Daniel Theis (IND)", "danieltheis"),
    ("Jalen (2001) Johnson", "jalenjohnson"),
    ("V", "v"),
    ("", ""),
    ("...", ""),
]

ALIASED = [
    # prop-line name                   box-score name it is
    ("Nicolas Claxton", "Nic Claxton"),
    ("Moe Wagner", "Moritz Wagner"),
    ("Herb Jones", "Herbert Jones"),
    ("Cameron Thomas", "Cam Thomas"),
    ("Murray Dejounte", "Dejounte Murray"),
    ("G Antetokounmpo", "Giannis Antetokounmpo"),
    ("J. Isaac", "Jonathan Isaac"),
    ("Gregory Jackson", "GG Jackson"),
    ("Gregory Jackson II", "GG Jackson"),
    ("Kenyon Martin Jr.", "KJ Martin"),
    ("Vincent Williams Jr", "Vince Williams Jr."),
    ("B.J. Boston Jr", "Brandon Boston Jr."),
    ("Mil. Bridges", "Miles Bridges"),
]

NOT_ALIASED = [
    # ambiguous initials stay apart from every full name
    ("J. Green", "Jalen Green"),
    ("J. Green", "Jeff Green"),
    ("C. Martin", "Caleb Martin"),
    ("T. Young", "Trae Young"),
    ("Bronny James", "LeBron James"),
]


@pytest.mark.parametrize(("name", "expected"), LOOKUPS)
def test_player_lookup(name: str, expected: str) -> None:
    assert player_lookup(name) == expected


@pytest.mark.parametrize(("alias", "canonical"), ALIASED)
def test_aliases_join_prop_names_to_box_score_names(alias: str, canonical: str) -> None:
    assert player_lookup(alias) == player_lookup(canonical)
    assert normalize_name(alias) != normalize_name(canonical)


@pytest.mark.parametrize(("name", "other"), NOT_ALIASED)
def test_ambiguous_names_are_not_aliased(name: str, other: str) -> None:
    assert player_lookup(name) != player_lookup(other)


def _alias_rows() -> list[dict[str, str]]:
    text = resources.files("nbaprops.identity").joinpath("aliases.csv").read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def test_aliases_file_is_consistent() -> None:
    rows = _alias_rows()
    keys = [normalize_name(row["alias"]) for row in rows]
    assert len(keys) == len(set(keys)), "an alias is listed twice"
    table = aliases()
    for row in rows:
        alias, canonical = normalize_name(row["alias"]), normalize_name(row["canonical"])
        assert alias != canonical, row
        assert canonical not in table, f"{row['canonical']} is itself an alias: no chains"
        assert row["evidence"].strip(), f"{row['alias']} has no evidence"
    assert len(table) == len(rows)
