"""Every screen keeps stored text out of markup, checked in the source so a screen written
later cannot forget it: text built at run time goes into a widget through
``caseworker.inert`` (a ``Text``), tables are ``widgets.table.Table``, nothing turns markup on.
"""

from __future__ import annotations

import ast
from pathlib import Path

import caseworker

ROOT = Path(caseworker.__file__).parent
UI = sorted([*ROOT.glob("screens/**/*.py"), *ROOT.glob("widgets/*.py"), ROOT / "app.py"])

#: Calls whose first argument Textual reads as markup when it is a plain string.
MARKUP_CALLS = {"Static", "Label", "update"}


def _built_string(node: ast.AST) -> bool:
    """A string made at run time: an f-string, a concatenation, ``%`` or ``.format``."""
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in node.values)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Mod)):
        return _built_string(node.left) or _built_string(node.right) or isinstance(node.left, ast.Constant)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "join"):
        return isinstance(node.func.value, (ast.Constant, ast.JoinedStr))  # "...".format(), ", ".join()
    return False


def _name(call: ast.Call) -> str:
    f = call.func
    return f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""


def _offences() -> list[str]:
    found = []
    for path in UI:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name, where = _name(call), f"{path.relative_to(ROOT)}:{call.lineno}"
            if name == "DataTable":
                found.append(f"{where}: DataTable(...) reads string cells as markup; use widgets.table.Table")
            if any(
                k.arg == "markup" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
            ):
                found.append(f"{where}: markup=True")
            if name in MARKUP_CALLS and call.args and _built_string(call.args[0]):
                found.append(f"{where}: {name}() given a string built at run time; wrap it in inert.text(...)")
    return found


def test_no_screen_puts_text_built_at_run_time_into_markup():
    assert _offences() == []


def test_the_check_finds_what_it_looks_for(tmp_path, monkeypatch):
    bad = tmp_path / "bad.py"
    bad.write_text(
        'Static(f"{name}")\nDataTable(id="x")\nbox.update("a" + name)\nn(markup=True)\n'
        'ok = Static(inert.text(f"{name}"))\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(__import__(__name__), "UI", [bad])
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    assert [o.split(": ", 1)[0] for o in _offences()] == ["bad.py:1", "bad.py:2", "bad.py:3", "bad.py:4"]
