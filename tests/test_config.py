"""The configuration file: every key read, environment overrides, and mistakes named (SPEC 6)."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from caseworker.config import ConfigError, load_settings


def settings_from(tmp_path: Path, text: str, **env: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings({"CASEWORKER_CONFIG": str(path), **env})


def refusal(tmp_path: Path, text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        settings_from(tmp_path, text)
    return info.value


def test_no_file_gives_the_defaults(tmp_path: Path) -> None:
    settings = load_settings({})
    assert settings.region == "england-and-wales"
    assert settings.policy == "hoc-2024"
    assert settings.homes == 10_000
    assert settings.closure_days == {}
    assert settings.database_url.startswith("sqlite:///") and settings.database_url.endswith("caseworker.db")


def test_every_top_level_key_is_read(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        """
region = "scotland"
policy = "mkcc-corporate"
policy_dirs = ["/srv/policies"]
letter_templates = "/srv/letters"
homes = 12500
database_url = "sqlite:////srv/cw.db"
lgsco_service_areas = ["Parking"]
document_size_limit_mb = 10
closure_days = [{ from = "2025-12-29", to = "2025-12-31", name = "Christmas shutdown" }, "2026-01-02"]
policy_by_received_date = false

[organisation]
name = "Northshire Council"
address = ["Town Hall", "NS1 1AA"]
phone = "01632 960000"

[ombudsman.hos]
address = ["PO Box 1", "Preston", "PR1 1AA"]
""",
    )
    assert settings.region == "scotland"
    assert settings.policy == "mkcc-corporate"
    assert settings.policy_dirs == (Path("/srv/policies"),)
    assert settings.letter_templates == Path("/srv/letters")
    assert settings.homes == 12500
    assert settings.database_url == "sqlite:////srv/cw.db"
    assert settings.lgsco_service_areas == ("Parking",)
    assert settings.document_size_limit_mb == 10
    assert settings.policy_by_received_date is False
    assert settings.closure_days == {
        date(2025, 12, 29): "Christmas shutdown",
        date(2025, 12, 30): "Christmas shutdown",
        date(2025, 12, 31): "Christmas shutdown",
        date(2026, 1, 2): "closure day",
    }
    assert settings.organisation.name == "Northshire Council"
    assert settings.organisation.address == ("Town Hall", "NS1 1AA")
    assert settings.organisation.phone == "01632 960000"
    assert settings.ombudsmen["hos"].address == ("PO Box 1", "Preston", "PR1 1AA")
    assert settings.ombudsman_for("Parking").key == "lgsco"
    assert settings.ombudsman_for("Repairs").key == "hos"


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    settings = settings_from(
        tmp_path,
        'database_url = "sqlite:////file.db"\n',
        CASEWORKER_DATABASE_URL="sqlite:////env.db",
        CASEWORKER_TODAY="2026-03-02",
    )
    assert settings.database_url == "sqlite:////env.db"
    assert settings.today == date(2026, 3, 2)


def test_a_misspelt_key_is_named_with_the_nearest_known_key(tmp_path: Path) -> None:
    error = refusal(tmp_path, 'regoin = "scotland"\n')
    assert error.key == "regoin"
    assert "did you mean 'region'" in str(error)
    assert str(tmp_path / "config.toml") in str(error)


def test_an_unknown_key_far_from_any_lists_the_known_ones(tmp_path: Path) -> None:
    error = refusal(tmp_path, "zzzzzz = 1\n")
    assert error.key == "zzzzzz"
    for key in ("region", "closure_days", "organisation"):
        assert key in str(error)


def test_a_misspelt_key_inside_a_table_is_named_in_full(tmp_path: Path) -> None:
    error = refusal(tmp_path, '[organisation]\nphnoe = "01632 960000"\n')
    assert error.key == "organisation.phnoe"
    assert "did you mean 'phone'" in str(error)
    error = refusal(tmp_path, '[ombudsman.hos]\nwebsit = "x"\n')
    assert error.key == "ombudsman.hos.websit" and "did you mean 'website'" in str(error)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("region = 3\n", "region"),
        ('policy = ["hoc-2024"]\n', "policy"),
        ('homes = "many"\n', "homes"),
        ("homes = -5\n", "homes"),
        ("homes = true\n", "homes"),
        ('policy_dirs = "/srv"\n', "policy_dirs"),
        ("policy_dirs = [1]\n", "policy_dirs"),
        ('lgsco_service_areas = "Parking"\n', "lgsco_service_areas"),
        ('closure_days = "2025-12-25"\n', "closure_days"),
        ('closure_days = ["2025-02-30"]\n', "closure_days"),
        ('closure_days = [{ from = "2025-12-31", to = "2025-12-29" }]\n', "closure_days"),
        ("database_url = 5\n", "database_url"),
        ("letter_templates = false\n", "letter_templates"),
        ('organisation = "Northshire"\n', "organisation"),
        ('[organisation]\naddress = "Town Hall"\n', "organisation.address"),
        ("[organisation]\nphone = 1632960000\n", "organisation.phone"),
        ('[ombudsman.xyz]\nphone = "1"\n', "ombudsman.xyz"),
        ('region = "wales"\n', "region"),
        ("document_size_limit_mb = 0\n", "document_size_limit_mb"),
        ('document_size_limit_mb = "10MB"\n', "document_size_limit_mb"),
    ],
)
def test_wrong_values_are_named(tmp_path: Path, text: str, key: str) -> None:
    assert refusal(tmp_path, text).key == key


def test_not_toml_and_missing_file_are_named(tmp_path: Path) -> None:
    assert refusal(tmp_path, "region = \n").key == "(file)"
    with pytest.raises(ConfigError) as info:
        load_settings({"CASEWORKER_CONFIG": str(tmp_path / "absent.toml")})
    assert "no such configuration file" in str(info.value)


def test_a_bad_today_is_named() -> None:
    with pytest.raises(ConfigError) as info:
        load_settings({"CASEWORKER_TODAY": "2026-02-30"})
    assert info.value.key == "CASEWORKER_TODAY"


def test_the_readme_example_loads(tmp_path: Path) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    block = readme.split("```toml", 1)[1].split("```", 1)[0]
    settings = settings_from(tmp_path, block)
    assert settings.region == "england-and-wales"
    assert date(2025, 12, 30) in settings.closure_days


def test_caseworker_due_exits_2_naming_the_misspelt_key(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('regoin = "scotland"\n', encoding="utf-8")
    env = {
        "CASEWORKER_CONFIG": str(path),
        "PATH": "",
        "XDG_DATA_HOME": str(tmp_path / "d"),
        "XDG_CONFIG_HOME": str(tmp_path / "c"),
    }
    done = subprocess.run(
        [sys.executable, "-m", "caseworker", "due"], capture_output=True, text=True, env={**_base_env(), **env}
    )
    assert done.returncode == 2
    assert "regoin" in done.stderr and "did you mean 'region'" in done.stderr
    assert "Traceback" not in done.stderr


def _base_env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if not k.startswith("CASEWORKER_")}


def test_version_is_printed() -> None:
    from caseworker import __version__

    done = subprocess.run(
        [sys.executable, "-m", "caseworker", "--version"], capture_output=True, text=True, env=_base_env()
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"caseworker {__version__}"
