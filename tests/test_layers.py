"""The architecture's layers and types, checked on every run (DESIGN section 1; README architecture).

The import-linter contracts in pyproject.toml: ``rules/`` imports neither Textual nor SQLAlchemy
nor any other caseworker layer, and screens never import the tables or open sessions. mypy
checks ``rules/`` (pure Python, no SQLModel columns) strictly enough to catch wrong types.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_layer_contracts_hold(monkeypatch) -> None:
    from importlinter.cli import lint_imports

    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml")) == 0


def test_rules_type_check() -> None:
    from mypy import api

    out, err, status = api.run(["--config-file", str(ROOT / "pyproject.toml"), str(ROOT / "caseworker" / "rules")])
    assert status == 0, out + err
