"""Money as people type and read it, kept as whole pence (``int``) everywhere else.

:func:`parse_pounds` reads what an officer typed (``"£1,234.50"`` is 123450 pence);
:func:`format_pounds` writes pence back as pounds (``"£1,234.50"``). Floats are never money here.
"""

from __future__ import annotations

import re

_POUNDS = re.compile(r"(?P<int>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?P<frac>\d*))?")


def parse_pounds(text: str) -> int:
    """Parse a sum of money typed by a person into whole pence.

    Accepts an optional ``£``, thousands commas and up to two decimal places:
    ``"£1,234.50"`` is 123450, ``"1234.5"`` is 123450, ``"1234"`` is 123400 and
    ``"£0.1"`` is 10. Spaces around the text and after the ``£`` are ignored.

    Args:
        text: What was typed.

    Returns:
        The amount in pence (zero or more).

    Raises:
        ValueError: Naming the problem: empty, negative, not a sum of money, or more
            than two decimal places.
        TypeError: ``text`` is not a string (e.g. a float, which is never money here).
    """
    if not isinstance(text, str):
        raise TypeError(f"parse_pounds takes text, not {type(text).__name__}")
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("enter an amount in pounds, e.g. £120.50")
    body = cleaned
    if body.startswith(("-", "−")):
        raise ValueError(f"{cleaned!r}: an amount must not be negative")
    body = body.removeprefix("£").lstrip()
    if body.startswith(("-", "−")):
        raise ValueError(f"{cleaned!r}: an amount must not be negative")
    match = _POUNDS.fullmatch(body)
    if not match or not (match["int"] or match["frac"]):
        raise ValueError(f"{cleaned!r} is not a sum of money: use digits, e.g. £1,234.50")
    frac = match["frac"]
    if frac is not None and frac == "":
        raise ValueError(f"{cleaned!r} is not a sum of money: digits must follow the decimal point")
    if frac is not None and len(frac) > 2:
        raise ValueError(f"{cleaned!r} has more than 2 decimal places: give pounds and pence, e.g. £12.34")
    pounds = int(match["int"].replace(",", "") or "0")
    pence = int((frac or "0").ljust(2, "0"))
    return pounds * 100 + pence


def format_pounds(pence: int) -> str:
    """Format whole pence as pounds, always with two decimals: 123450 is ``"£1,234.50"``.

    Args:
        pence: The amount in pence; a negative amount gets a leading minus (``"-£5.00"``).

    Raises:
        TypeError: ``pence`` is not an ``int`` (floats are refused).
    """
    if isinstance(pence, bool) or not isinstance(pence, int):
        raise TypeError(f"format_pounds takes whole pence (int), not {type(pence).__name__}")
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"
