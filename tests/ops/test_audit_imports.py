"""Import discovery with `ast`: what counts as an import, and of which kind."""

from __future__ import annotations

from pathlib import Path

import pytest

from nbaprops.ops import find_imports

CASES = [
    ("import requests", [("requests", "required")]),
    ("import google.cloud.firestore", [("google.cloud.firestore", "required")]),
    ("from google.cloud import firestore", [("google.cloud.firestore", "required")]),
    ("from google.cloud import firestore, storage as gcs",
     [("google.cloud.firestore", "required"), ("google.cloud.storage", "required")]),
    ("from yaml import *", [("yaml", "required")]),
    ("from . import sibling", []),
    ("from .models import Thing", []),
    ("def f():\n    import lazy_thing\n", [("lazy_thing", "required")]),
    ("try:\n    import ujson\nexcept ImportError:\n    import json\n",
     [("ujson", "optional"), ("json", "required")]),
    ("try:\n    import orjson\nexcept (ModuleNotFoundError, ValueError):\n    pass\n",
     [("orjson", "optional")]),
    ("try:\n    import a_pkg\nexcept:\n    pass\n", [("a_pkg", "optional")]),
    ("try:\n    import b_pkg\nexcept KeyError:\n    pass\n", [("b_pkg", "required")]),
    ("try:\n    pass\nexcept ImportError:\n    pass\nelse:\n    import c_pkg\n",
     [("c_pkg", "required")]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from pandas import DataFrame\n",
     [("typing.TYPE_CHECKING", "required"), ("pandas.DataFrame", "type_checking")]),
    ("import typing\nif typing.TYPE_CHECKING:\n    import numpy\nelse:\n    import d_pkg\n",
     [("typing", "required"), ("numpy", "type_checking"), ("d_pkg", "required")]),
    ("if TYPE_CHECKING:\n    try:\n        import e_pkg\n    except ImportError:\n        pass\n",
     [("e_pkg", "type_checking")]),
    ("from contextlib import suppress\nwith suppress(ImportError):\n    import f_pkg\n",
     [("contextlib.suppress", "required"), ("f_pkg", "optional")]),
    ("class A:\n    def m(self):\n        if True:\n            from g_pkg.sub import x\n",
     [("g_pkg.sub.x", "required")]),
]


@pytest.mark.parametrize(("source", "expected"), CASES)
def test_find_imports_reports_module_and_kind(
    source: str, expected: list[tuple[str, str]]
) -> None:
    found = find_imports(source, path=Path("m.py"))
    assert [(m.qualified, m.kind) for m in found] == expected


def test_locations_and_top_level() -> None:
    source = '"""doc."""\n\nimport os\nfrom google.cloud import firestore\n'
    (_, firestore) = find_imports(source, path=Path("svc/app.py"))
    assert (firestore.module, firestore.name) == ("google.cloud", "firestore")
    assert firestore.top_level == "google"
    assert firestore.location == "svc/app.py:4"


def test_source_with_a_coding_cookie_is_read_as_bytes() -> None:
    source = "# -*- coding: latin-1 -*-\nname = 'caf\xe9'\nimport requests\n".encode("latin-1")
    assert [m.module for m in find_imports(source, path=Path("m.py"))] == ["requests"]


def test_syntax_errors_propagate_with_their_line() -> None:
    with pytest.raises(SyntaxError) as raised:
        find_imports("import ok\n\ndef broken(:\n", path=Path("m.py"))
    assert raised.value.lineno == 3
