"""Start-up hygiene: the app paints before SQLAlchemy is imported (DESIGN section 2)."""

import subprocess
import sys


def _modules_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return set(out.split())


def test_importing_the_app_does_not_import_sqlalchemy():
    loaded = _modules_after("import caseworker.app, caseworker.screens.inbox")
    assert "caseworker.app" in loaded
    assert not any(m == "sqlalchemy" or m.startswith("sqlalchemy.") for m in loaded)
    assert not any(m.startswith("sqlmodel") for m in loaded)


def test_deadline_command_does_not_import_the_store():
    loaded = _modules_after("from caseworker.cli import main; main(['deadline', '2025-12-19', '5'])")
    assert "caseworker.commands.deadline" in loaded
    assert "sqlalchemy" not in loaded


def test_importing_the_app_does_not_import_holidays_or_alembic():
    loaded = _modules_after("import caseworker.app, caseworker.screens.inbox")
    assert "holidays" not in loaded
    assert not any(m == "alembic" or m.startswith("alembic.") for m in loaded)
