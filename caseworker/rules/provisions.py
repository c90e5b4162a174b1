"""The Code provisions a self-assessment covers (Code 8.1), read from
``rules/code-2024-provisions.toml``: each number with a short title in our own words.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROVISIONS_FILE = Path(__file__).with_name("code-2024-provisions.toml")


@dataclass(frozen=True)
class Provision:
    """One provision: its number (``"6.2"``), section number and our short title."""

    number: str
    section: int
    title: str

    @property
    def sort_key(self) -> tuple[int, int]:
        """``(6, 2)`` for 6.2, so that 6.10 sorts after 6.9."""
        major, minor = self.number.split(".")
        return int(major), int(minor)


@dataclass(frozen=True)
class ProvisionList:
    """Every provision in Code order, with the section names and where the list came from."""

    provisions: tuple[Provision, ...]
    sections: dict[int, str]
    source: str

    def get(self, number: str) -> Provision:
        """The provision ``number``.

        Raises:
            KeyError: no such provision in the list.
        """
        for p in self.provisions:
            if p.number == number:
                return p
        raise KeyError(number)

    @property
    def numbers(self) -> tuple[str, ...]:
        """Every provision number in Code order."""
        return tuple(p.number for p in self.provisions)


@cache
def code_provisions(path: Path = PROVISIONS_FILE) -> ProvisionList:
    """The provisions in ``path`` (the shipped 2024 list by default), sorted by number.

    Raises:
        ValueError: a number is not ``section.paragraph`` or its section is not named.
    """
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    sections = {int(k): str(v) for k, v in data.get("sections", {}).items()}
    out = []
    for number, title in data.get("provisions", {}).items():
        major, _, minor = number.partition(".")
        if not (major.isdigit() and minor.isdigit()) or int(major) not in sections:
            raise ValueError(f"{path.name}: provision {number!r} is not a numbered provision of a named section")
        out.append(Provision(number, int(major), str(title)))
    out.sort(key=lambda p: p.sort_key)
    return ProvisionList(tuple(out), sections, str(data.get("source", "")))
