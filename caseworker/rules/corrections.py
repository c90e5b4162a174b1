"""Corrections: putting right a fact of a case or a person that was recorded wrongly (5.12).

A correction is not an edit: a reason is required, the old and new values are kept on the
case's timeline, and the due dates and the reports follow the corrected facts. Issued
letters are never altered. These guards are pure; ``store.services.corrections`` applies them.
"""

from __future__ import annotations

from datetime import date

from caseworker.rules.facts import CaseFacts, CaseType, Refusal, first
from caseworker.rules.guards import not_future

#: Facts of a case that may be corrected, with the words a complaint handler uses.
CASE_FIELDS: dict[str, str] = {
    "service_area": "service area",
    "category": "category",
    "channel": "channel (how the complaint was made)",
    "case_type": "type of case",
    "received": "date received",
    "logged": "date logged",
    "issue_date": "date the issue arose",
}
#: Details of a resident that may be corrected.
RESIDENT_FIELDS: dict[str, str] = {"name": "name", "address": "address", "email": "email", "phone": "phone"}
#: Details of a representative that may be corrected.
REPRESENTATIVE_FIELDS: dict[str, str] = {"name": "name", "address": "address", "email": "email"}
DATE_FIELDS = frozenset({"received", "logged", "issue_date"})
REQUIRED = frozenset({"service_area", "channel", "case_type", "received", "name"})


def check_reason(reason: str) -> Refusal | None:
    """Every correction needs a reason (5.12: a full record)."""
    if not reason.strip():
        return Refusal("say why the record is being corrected (the reason is kept on the timeline)", "5.12", "reason")
    return None


def check_fields(changes: dict[str, object], allowed: dict[str, str], current: dict[str, object]) -> Refusal | None:
    """Known fields, required ones not blanked, and at least one value actually different."""
    for name, value in changes.items():
        if name not in allowed:
            return Refusal(f"{name!r} cannot be corrected here: use one of {', '.join(allowed)}", "5.12", name)
        if name in REQUIRED and (value is None or (isinstance(value, str) and not value.strip())):
            return Refusal(f"the {allowed[name]} cannot be blank", "5.12", name)
    if all(current.get(k) == v for k, v in changes.items()):
        return Refusal("nothing to correct: the new values are the same as the recorded ones", "5.12", "")
    return None


def check_case_correction(
    case: CaseFacts,
    current: dict[str, object],
    changes: dict[str, object],
    reason: str,
    today: date,
) -> Refusal | None:
    """Guards on correcting a case's facts: the dates must still make sense together (3.2, 2.3)."""
    refusal = first([check_reason(reason), check_fields(changes, CASE_FIELDS, current)])
    if refusal:
        return refusal
    if "case_type" in changes and changes["case_type"] not in {t.value for t in CaseType}:
        return Refusal(f"unknown type of case {changes['case_type']!r}", "5.12", "case_type")
    for name in DATE_FIELDS & changes.keys():
        value = changes[name]
        if value is not None and not isinstance(value, date):
            return Refusal(f"the {CASE_FIELDS[name]} must be a date", "5.12", name)
    received = changes.get("received", current.get("received"))
    logged = changes.get("logged", current.get("logged"))
    issue = changes.get("issue_date", current.get("issue_date"))
    assert isinstance(received, date)
    s1 = case.stage1
    later = [
        (d, what)
        for d, what in ((s1.acknowledged, "the Stage 1 acknowledgement"), (s1.responded, "the Stage 1 response"))
        if d is not None
    ]
    return first(
        [
            not_future(received, today, "received", "date received"),
            not_future(logged if isinstance(logged, date) else None, today, "logged", "date logged"),
            not_future(issue if isinstance(issue, date) else None, today, "issue_date", "date the issue arose"),
            Refusal(
                f"the date logged ({logged:%d %b %Y}) cannot be before the date received ({received:%d %b %Y}): "
                "received is when the resident first complained to anyone at the landlord",
                "3.2",
                "logged",
            )
            if isinstance(logged, date) and logged < received
            else None,
            Refusal(
                f"the date the issue arose ({issue:%d %b %Y}) cannot be after the date received", "2.3", "issue_date"
            )
            if isinstance(issue, date) and issue > received
            else None,
            *(
                Refusal(f"the date received cannot be after {what} ({d:%d %b %Y})", "3.2", "received")
                for d, what in later
                if received > d
            ),
        ]
    )
