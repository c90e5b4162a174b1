"""Settings: a TOML file in the user's config folder, with environment overrides.

``CASEWORKER_CONFIG`` names another configuration file, ``CASEWORKER_DATABASE_URL`` any
SQLAlchemy URL, and ``CASEWORKER_TODAY`` fixes today's date (training, demonstrations,
tests). Everything an administrator may need to change without a new release lives here:
region, closure days, policy profile, organisation and Ombudsman details.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs

from caseworker.rules.defaults import DEFAULT_POLICY, DEFAULT_REGION, DEFAULT_ROOT_CAUSES, DEFAULT_THEMES, REGIONS

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.rules.calendar import WorkingCalendar

APP_NAME = "caseworker"


class ConfigError(ValueError):
    """The configuration file or an environment override is wrong; names the file and key."""

    def __init__(self, where: str, key: str, problem: str) -> None:
        super().__init__(f"{where}: {key}: {problem}")
        self.where, self.key, self.problem = where, key, problem


@dataclass(frozen=True)
class Organisation:
    """The landlord or council whose complaints these are (letter heads and signatures).

    The defaults are examples: a letter is not issued while any of :data:`LETTER_KEYS` is
    empty or still its example value (see :func:`unset_organisation_keys`).
    """

    name: str = "Example Borough Council"
    address: tuple[str, ...] = ("Civic Offices", "1 High Street", "Exampletown", "EX1 1AA")
    phone: str = "01234 567890"
    email: str = "complaints@example.gov.uk"
    website: str = "www.example.gov.uk/complaints"
    complaints_team: str = "Complaints and Resolution Team"
    #: Lines under the officer's name and title at the foot of a letter (default: the team's name).
    signature: str = ""
    #: An image (PNG or JPEG) printed at the top left of the first page of every letter.
    logo: str = ""
    #: A line printed at the foot of every page of every letter (e.g. the registered address).
    footer: str = ""


#: The ``[organisation]`` keys every letter prints: none may be empty or an example value.
LETTER_KEYS = ("name", "address", "phone", "email", "website", "complaints_team")


def unset_organisation_keys(org: Organisation) -> list[str]:
    """The ``organisation.*`` keys of :data:`LETTER_KEYS` that are empty or still the shipped example.

    Returns:
        Keys as written in the configuration file, e.g. ``["organisation.phone"]``; empty when
        every key a letter prints has been set.
    """
    example = Organisation()
    out = []
    for key in LETTER_KEYS:
        value = getattr(org, key)
        blank = not any(str(v).strip() for v in value) if isinstance(value, tuple) else not str(value).strip()
        if blank or value == getattr(example, key):
            out.append(f"organisation.{key}")
    return out


@dataclass(frozen=True)
class Ombudsman:
    """Contact details of an Ombudsman, printed on letters (FACTS section 6)."""

    key: str
    name: str
    phone: str
    website: str
    address: tuple[str, ...]
    email: str = ""
    notes: str = ""


#: Defaults from FACTS section 6. Which Housing Ombudsman PO Box is current is not
#: confirmed, so the address is configuration an administrator can correct. From
#: 13 January 2026 HOS no longer takes new case enquiries by email.
DEFAULT_OMBUDSMEN: dict[str, Ombudsman] = {
    "hos": Ombudsman(
        key="hos",
        name="Housing Ombudsman Service",
        phone="0300 111 3000",
        website="www.housing-ombudsman.org.uk",
        address=("PO Box 1484", "Unit D", "Preston", "PR2 0ET"),
        email="",
        notes="Complaints can be made online at www.housing-ombudsman.org.uk/residents/make-a-complaint/",
    ),
    "lgsco": Ombudsman(
        key="lgsco",
        name="Local Government and Social Care Ombudsman",
        phone="0300 061 0614",
        website="www.lgo.org.uk",
        address=("PO Box 4771", "Coventry", "CV4 0EH"),
        notes="Lines are open Monday to Friday 10am to 4pm, except public holidays.",
    ),
}


@dataclass(frozen=True)
class Settings:
    """Everything configurable, resolved from file and environment."""

    database_url: str
    config_path: Path
    region: str = DEFAULT_REGION
    closure_days: dict[date, str] = field(default_factory=dict)
    policy: str = DEFAULT_POLICY
    policy_dirs: tuple[Path, ...] = ()
    letter_templates: Path | None = None
    homes: int = 10_000
    #: Large print size in points when the resident's adjustment does not say one (5.10).
    large_print_pt: float = 18.0
    organisation: Organisation = Organisation()
    ombudsmen: dict[str, Ombudsman] = field(default_factory=lambda: dict(DEFAULT_OMBUDSMEN))
    #: Service areas whose complaints go to the Local Government and Social Care
    #: Ombudsman; every other area goes to the Housing Ombudsman.
    lgsco_service_areas: tuple[str, ...] = ("Council Tax", "Planning", "Parking", "Waste", "Adult Social Care")
    #: Rebound keys from the ``[keys]`` table: a key id from the registry (``caseworker.keys``,
    #: shown in F1 help) to the key(s) to use instead, e.g. ``"inbox.search" = "f"``.
    keys: dict[str, str] = field(default_factory=dict)
    #: The largest file that may be attached to a case, in megabytes (documents live in the database).
    document_size_limit_mb: float = 25
    today: date | None = None
    #: Root causes and themes a complaint can be given (Code 9.1, 9.2): ``[learning]`` in the file.
    root_causes: tuple[str, ...] = DEFAULT_ROOT_CAUSES
    themes: tuple[str, ...] = DEFAULT_THEMES
    #: With ``policy = "hoc-2024"``, complaints received before 1 April 2024 are worked under
    #: ``hoc-2022`` (the Code then in force); false: every case uses the configured profile.
    policy_by_received_date: bool = True

    def calendar(self) -> WorkingCalendar:
        """The working-day calendar in force: region plus closure days."""
        from caseworker.rules.calendar import WorkingCalendar

        return WorkingCalendar(self.region, self.closure_days)

    def ombudsman_for(self, service_area: str) -> Ombudsman:
        """The Ombudsman a resident goes to for a complaint in ``service_area``."""
        wanted = {a.casefold() for a in self.lgsco_service_areas}
        return self.ombudsmen["lgsco" if service_area.casefold() in wanted else "hos"]

    def with_database(self, url: str) -> Settings:
        """A copy pointing at another database (the demo database, a test file)."""
        return replace(self, database_url=url)


def data_dir() -> Path:
    """The user's data folder (created if missing)."""
    path = platformdirs.user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_config_path() -> Path:
    """Where the configuration file is looked for unless ``CASEWORKER_CONFIG`` says otherwise."""
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def sqlite_url(path: Path) -> str:
    """A SQLAlchemy URL for a SQLite file."""
    return f"sqlite:///{path}"


def demo_database_url() -> str:
    """The demo database: a separate file, never the user's real one."""
    return sqlite_url(data_dir() / "demo.db")


def parse_iso_date(text: str, what: str) -> date:
    """A date (``YYYY-MM-DD``, or day first as ``19/12/2025``), read by
    :func:`caseworker.rules.typed.parse_date`, the reader the forms use too.

    Raises:
        ValueError: naming ``what`` in plain words ("DATE: 31/02/2026 is not a real date:
            February 2026 has 28 days").
    """
    from caseworker.rules import typed

    try:
        return typed.parse_date(str(text))
    except ValueError as exc:
        raise ValueError(f"{what}: {exc}") from None


#: Top-level keys of the configuration file that are not :class:`Settings` fields of the same
#: name (tables), and Settings fields that never come from the file.
_TABLE_KEYS = {"organisation", "ombudsman", "keys", "learning"}
_NOT_FROM_FILE = {"config_path", "today", "ombudsmen", "root_causes", "themes"}

#: The TOML type each top-level key must have, for keys whose type is not a table.
_KEY_TYPES: dict[str, tuple[type | tuple[type, ...], str]] = {
    "region": (str, 'a text value such as "scotland"'),
    "policy": (str, 'a text value such as "hoc-2024"'),
    "database_url": (str, "a text value (a SQLAlchemy URL)"),
    "letter_templates": (str, "a text value (a folder path)"),
    "policy_dirs": (list, "a list of folder paths"),
    "lgsco_service_areas": (list, "a list of service area names"),
    "closure_days": (list, "a list of dates or {from, to, name} tables"),
    "large_print_pt": ((int, float), "a number of points, such as 16"),
    "policy_by_received_date": (bool, "true or false"),
}


def known_keys() -> list[str]:
    """Every top-level key the configuration file may hold: the :class:`Settings` fields
    (less those that never come from the file) and the ``[organisation]`` and ``[ombudsman.*]`` tables.
    """
    return sorted({f.name for f in fields(Settings)} - _NOT_FROM_FILE | _TABLE_KEYS)


def _unknown_key(where: str, key: str, known: list[str]) -> ConfigError:
    """A ConfigError for an unknown ``key``, suggesting the nearest known key if any is close."""
    leaf = key.rsplit(".", 1)[-1]
    import difflib

    near = difflib.get_close_matches(leaf, known, n=1, cutoff=0.6)
    hint = f" (did you mean '{near[0]}'?)" if near else f" (known settings: {', '.join(known)})"
    return ConfigError(where, key, f"unknown setting{hint}")


def _check_keys(data: dict, where: str) -> None:
    """Refuse unknown or misspelt top-level keys and values of the wrong type, naming the key.

    Raises:
        ConfigError: naming the file, the key, and the nearest known key or the type wanted.
    """
    known = known_keys()
    for key, value in data.items():
        if key not in known:
            raise _unknown_key(where, key, known)
        wanted = _KEY_TYPES.get(key)
        if wanted and not isinstance(value, wanted[0]):
            raise ConfigError(where, key, f"must be {wanted[1]} (got {value!r})")
        if wanted and wanted[0] is list and key != "closure_days":
            for item in value:
                if not isinstance(item, str):
                    raise ConfigError(where, key, f"must be {wanted[1]} (got {item!r} in the list)")
        if key in _TABLE_KEYS and not isinstance(value, dict):
            raise ConfigError(where, key, f"must be a table ([{key}] ...)")


def _closure_days(raw: object, where: str) -> dict[date, str]:
    """``closure_days`` entries: ``"2025-12-24"``, or ``{date=..., name=...}``, or ``{from=..., to=..., name=...}``."""
    if not isinstance(raw, list):
        raise ConfigError(where, "closure_days", "must be a list")
    out: dict[date, str] = {}
    for i, item in enumerate(raw, 1):
        key = f"closure_days[{i}]"
        try:
            if isinstance(item, (str, date)):
                out[item if isinstance(item, date) else parse_iso_date(item, key)] = "closure day"
            elif isinstance(item, dict):
                name = str(item.get("name", "closure day"))
                if "date" in item:
                    d = item["date"]
                    out[d if isinstance(d, date) else parse_iso_date(str(d), key)] = name
                elif "from" in item and "to" in item:
                    a, b = item["from"], item["to"]
                    a = a if isinstance(a, date) else parse_iso_date(str(a), f"{key}.from")
                    b = b if isinstance(b, date) else parse_iso_date(str(b), f"{key}.to")
                    if b < a:
                        raise ValueError(f"{key}: 'to' ({b}) is before 'from' ({a})")
                    while a <= b:
                        out[a] = name
                        a += timedelta(days=1)
                else:
                    raise ValueError(f"{key}: give 'date', or 'from' and 'to'")
            else:
                raise ValueError(f"{key}: {item!r} is not a date")
        except ValueError as exc:
            raise ConfigError(where, "closure_days", str(exc)) from None
    return out


def _table_values(table: dict, cls: type, prefix: str, where: str) -> dict:
    """The values of a ``[organisation]`` or ``[ombudsman.*]`` table, checked against ``cls``'s fields.

    ``address`` is a list of lines; every other value is text.

    Raises:
        ConfigError: for an unknown key (with the nearest known one) or a value of the wrong type.
    """
    known = sorted(f.name for f in fields(cls) if f.name != "key")
    out: dict = {}
    for k, v in table.items():
        if k not in known:
            raise _unknown_key(where, f"{prefix}.{k}", known)
        if k == "address":
            if not isinstance(v, list) or not all(isinstance(line, str) for line in v):
                raise ConfigError(where, f"{prefix}.{k}", f"must be a list of address lines (got {v!r})")
            out[k] = tuple(v)
        elif isinstance(v, str):
            out[k] = v
        else:
            raise ConfigError(where, f"{prefix}.{k}", f"must be a text value in quotes (got {v!r})")
    return out


def _keymap(table: dict, where: str) -> dict[str, str]:
    """The ``[keys]`` table: registry key ids to key strings, each id checked against the registry.

    Raises:
        ConfigError: for an id the registry does not know (nearest id suggested) or a value
            that is not a key name in quotes.
    """
    from caseworker.keys import KEYS

    known = sorted({k.id for k in KEYS})
    out: dict[str, str] = {}
    for key_id, value in table.items():
        if key_id not in known:
            import difflib

            near = difflib.get_close_matches(key_id, known, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'?" if near else "F1 in the app shows each key's id"
            raise ConfigError(where, f"keys.{key_id}", f"unknown key id ({hint})")
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(
                where, f"keys.{key_id}", f'must be a key name in quotes, e.g. "f" or "ctrl+f" (got {value!r})'
            )
        out[key_id] = value.strip()
    return out


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read the configuration file (if any) and apply the environment overrides."""
    env = dict(os.environ) if env is None else env
    path = Path(env["CASEWORKER_CONFIG"]) if env.get("CASEWORKER_CONFIG") else default_config_path()
    where = str(path)
    data: dict = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(where, "(file)", f"not valid TOML: {exc}") from None
    elif env.get("CASEWORKER_CONFIG"):
        raise ConfigError(where, "(file)", "no such configuration file (named by CASEWORKER_CONFIG)")

    _check_keys(data, where)
    region = data.get("region", DEFAULT_REGION)
    if region not in REGIONS:
        raise ConfigError(where, "region", f"unknown region {region!r}: choose one of {', '.join(sorted(REGIONS))}")
    homes = data.get("homes", 10_000)
    if not isinstance(homes, int) or isinstance(homes, bool) or homes <= 0:
        raise ConfigError(where, "homes", f"must be a positive whole number (got {homes!r})")

    limit_mb = data.get("document_size_limit_mb", 25)
    if not isinstance(limit_mb, (int, float)) or isinstance(limit_mb, bool) or not 0 < limit_mb <= 1024:
        raise ConfigError(
            where, "document_size_limit_mb", f"must be a number of megabytes from 0.1 to 1024 (got {limit_mb!r})"
        )

    large_pt = data.get("large_print_pt", 18.0)
    if isinstance(large_pt, bool) or not isinstance(large_pt, (int, float)) or not 12 <= large_pt <= 72:
        raise ConfigError(where, "large_print_pt", f"must be a number of points from 12 to 72 (got {large_pt!r})")

    org = Organisation()
    if "organisation" in data:
        o = data["organisation"]
        if not isinstance(o, dict):
            raise ConfigError(where, "organisation", "must be a table")
        org = replace(org, **_table_values(o, Organisation, "organisation", where))

    ombudsmen = dict(DEFAULT_OMBUDSMEN)
    for key, o in (data.get("ombudsman") or {}).items():
        if key not in ombudsmen or not isinstance(o, dict):
            raise ConfigError(where, f"ombudsman.{key}", "use [ombudsman.hos] or [ombudsman.lgsco]")
        ombudsmen[key] = replace(ombudsmen[key], **_table_values(o, Ombudsman, f"ombudsman.{key}", where))

    database_url = (
        env.get("CASEWORKER_DATABASE_URL") or data.get("database_url") or sqlite_url(data_dir() / "caseworker.db")
    )
    today = None
    if env.get("CASEWORKER_TODAY"):
        try:
            today = parse_iso_date(env["CASEWORKER_TODAY"], "CASEWORKER_TODAY")
        except ValueError as exc:
            raise ConfigError("environment", "CASEWORKER_TODAY", str(exc)) from None
    templates = data.get("letter_templates")
    by_date = data.get("policy_by_received_date", True)
    if not isinstance(by_date, bool):
        raise ConfigError(where, "policy_by_received_date", f"must be true or false (got {by_date!r})")

    learning = data.get("learning") or {}
    if not isinstance(learning, dict):
        raise ConfigError(where, "learning", "must be a table")
    lists = {}
    for key, default in (("root_causes", DEFAULT_ROOT_CAUSES), ("themes", DEFAULT_THEMES)):
        items = learning.get(key, list(default))
        if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
            raise ConfigError(where, f"learning.{key}", 'must be a list of names, e.g. ["Delay", "Communication"]')
        lists[key] = tuple(dict.fromkeys(i.strip() for i in items))
    unknown = sorted(set(learning) - {"root_causes", "themes"})
    if unknown:
        raise ConfigError(where, f"learning.{unknown[0]}", "unknown setting")

    return Settings(
        database_url=database_url,
        config_path=path,
        region=region,
        closure_days=_closure_days(data.get("closure_days", []), where),
        policy=str(data.get("policy", DEFAULT_POLICY)),
        policy_dirs=tuple(Path(p) for p in data.get("policy_dirs", [])),
        letter_templates=Path(templates) if templates else None,
        homes=homes,
        large_print_pt=float(large_pt),
        organisation=org,
        ombudsmen=ombudsmen,
        lgsco_service_areas=tuple(
            data.get("lgsco_service_areas", Settings.__dataclass_fields__["lgsco_service_areas"].default)
        ),
        keys=_keymap(data.get("keys", {}), where),
        document_size_limit_mb=limit_mb,
        today=today,
        root_causes=lists["root_causes"],
        themes=lists["themes"],
        policy_by_received_date=by_date,
    )
