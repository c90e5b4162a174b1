"""The architecture's layers and types, checked on every run (DESIGN section 1; README architecture).

The import-linter contracts in pyproject.toml: ``rules/`` imports neither Textual nor SQLAlchemy
nor any other caseworker layer, screens never import the tables or open sessions, and
``reporting/`` is in layers (no import cycle). mypy checks the modules ``[tool.mypy] files``
names: everything that does not touch SQLModel's columns (the screens and the app included).
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contracts_hold(monkeypatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_type_check(monkeypatch) -> None:
    """mypy over the modules pyproject.toml names (``[tool.mypy] files``: all but those touching
    SQLModel's columns), with its configuration there."""
    from mypy import api

    monkeypatch.chdir(ROOT)
    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml")])
    assert status == 0, out + err
    assert "Success: no issues found" in out, out
