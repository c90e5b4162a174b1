"""Issued letters kept as sent: the print choices stored with the text, and the reprint.

When a letter is issued the case record keeps its rendered text, the date printed on it and
:func:`format_record` (JSON). :func:`reprint` rebuilds exactly that letter from the record,
marked as a copy on every page, whatever has changed on the case since (5.12).
"""

from __future__ import annotations

import json
from dataclasses import asdict

from caseworker.letters.context import Addressee
from caseworker.letters.engine import Letter, as_copy

_KEPT = (
    "kind",
    "subject",
    "stage",
    "reference",
    "large_print",
    "font_pt",
    "easy_read",
    "logo",
    "footer",
    "organisation",
    "template",
)


def format_record(letter: Letter) -> str:
    """The print choices of ``letter`` as JSON: addressee, stage, large print size, logo, footer, ..."""
    data = {k: getattr(letter, k) for k in _KEPT}
    data["addressee"] = asdict(letter.addressee)
    data["letter_date"] = letter.letter_date.isoformat() if letter.letter_date else None
    return json.dumps(data, ensure_ascii=False, sort_keys=True)


def reprint(correspondence) -> Letter:
    """The issued letter ``correspondence`` (a ``CorrespondenceInfo``) as sent, marked as a copy.

    Raises:
        ValueError: it is not an issued letter.
    """
    if correspondence.kind != "letter" or correspondence.direction != "out" or not correspondence.letter_kind:
        raise ValueError("only an issued letter can be reprinted")
    try:
        data = json.loads(correspondence.letter_format or "{}")
    except ValueError:
        data = {}
    a = data.get("addressee") or {}
    addressee = Addressee(
        name=a.get("name", ""),
        address=tuple(a.get("address", ())),
        email=a.get("email", ""),
        channel=a.get("channel", "post"),
        salutation=a.get("salutation", ""),
        on_behalf_of=a.get("on_behalf_of", ""),
        copies=tuple(a.get("copies", ())),
        about=a.get("about", ""),
        role=a.get("role", "resident"),
    )
    issued = correspondence.letter_date or correspondence.at.date()
    letter = Letter(
        kind=correspondence.letter_kind,
        subject=correspondence.subject,
        text=correspondence.body,
        large_print=bool(data.get("large_print", False)),
        addressee=addressee,
        covering_note="",
        stage=int(data.get("stage", 1)),
        reference=data.get("reference", ""),
        organisation=data.get("organisation", ""),
        template=data.get("template", ""),
        letter_date=issued,
        font_pt=float(data.get("font_pt", 12.0)),
        easy_read=bool(data.get("easy_read", False)),
        logo=data.get("logo", ""),
        footer=data.get("footer", ""),
    )
    return as_copy(letter, issued)


def latest_issued(detail, kind: str):
    """The most recently issued ``kind`` letter on the case (a ``CorrespondenceInfo``), or None."""
    issued = [c for c in detail.correspondence if c.kind == "letter" and c.direction == "out" and c.letter_kind == kind]
    return issued[-1] if issued else None


__all__ = ["format_record", "latest_issued", "reprint"]
