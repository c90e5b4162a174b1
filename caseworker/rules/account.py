"""Rules for the year's account: what the Ombudsman found and ordered, learning from
complaints (Code section 9) and the self-assessment (8.1). Pure: no SQL, no Textual.

Each ``check_*`` returns a :class:`Refusal` naming the field and the Code paragraph, or None.
"""

from __future__ import annotations

from datetime import date

from caseworker.rules.facts import Refusal

#: The Ombudsman's findings on an element of a complaint (FACTS 2.1), in the order reports list them.
FINDINGS: tuple[tuple[str, str], ...] = (
    ("severe-maladministration", "Severe maladministration"),
    ("maladministration", "Maladministration"),
    ("service-failure", "Service failure"),
    ("reasonable-redress", "Reasonable redress"),
    ("no-maladministration", "No maladministration"),
    ("outside-jurisdiction", "Outside jurisdiction"),
)
FINDING_LABELS = dict(FINDINGS)

#: Findings that mean the landlord fell short: the report's "findings of non-compliance" (8.1).
ADVERSE_FINDINGS = frozenset({"severe-maladministration", "maladministration", "service-failure"})

#: What the Ombudsman can require: an order must be complied with; a recommendation should be.
ORDER_KINDS: tuple[tuple[str, str], ...] = (("order", "Order"), ("recommendation", "Recommendation"))
ORDER_KIND_LABELS = dict(ORDER_KINDS)

#: The two Ombudsmen a case can go to (the service area decides which, as letters do).
OMBUDSMEN = {"hos": "Housing Ombudsman Service", "lgsco": "Local Government and Social Care Ombudsman"}

#: The states of a service improvement in the register.
IMPROVEMENT_STATUSES: tuple[tuple[str, str], ...] = (
    ("planned", "Planned"),
    ("in-progress", "In progress"),
    ("done", "Done"),
)
IMPROVEMENT_STATUS_LABELS = dict(IMPROVEMENT_STATUSES)

#: How far a provision is met, as a self-assessment records it.
COMPLIES: tuple[tuple[str, str], ...] = (("yes", "Yes"), ("partly", "Partly"), ("no", "No"))
COMPLIES_LABELS = dict(COMPLIES)


def _blank(value: str, field: str, what: str, ref: str) -> Refusal | None:
    return Refusal(f"give {what}", ref, field) if not value.strip() else None


def check_ombudsman_case(
    ombudsman: str,
    reference: str,
    referred_on: date | None,
    today: date,
    info_requested_on: date | None = None,
    info_sent_on: date | None = None,
    determined_on: date | None = None,
) -> Refusal | None:
    """Recording that a case went to the Ombudsman: who, their reference, and dates in order, none in the future."""
    if ombudsman not in OMBUDSMEN:
        return Refusal(f"unknown Ombudsman {ombudsman!r}: use hos or lgsco", "7.4", "ombudsman")
    if (r := _blank(reference, "reference", "the Ombudsman's reference for the case", "5.12")) is not None:
        return r
    if referred_on is None:
        return Refusal("give the date the Ombudsman told you the complaint was referred", "5.12", "referred_on")
    dates = (
        ("referred_on", "referred", referred_on),
        ("info_requested_on", "information requested", info_requested_on),
        ("info_sent_on", "information sent", info_sent_on),
        ("determined_on", "determination", determined_on),
    )
    for field, label, day in dates:
        if day is not None and day > today:
            return Refusal(
                f"the {label} date {day:%d %b %Y} is in the future: record it when it has happened", "5.12", field
            )
        if day is not None and day < referred_on:
            return Refusal(
                f"the {label} date {day:%d %b %Y} is before the referral ({referred_on:%d %b %Y})", "5.12", field
            )
    if info_sent_on is not None and info_requested_on is not None and info_sent_on < info_requested_on:
        return Refusal("the information was sent before it was requested: check the dates", "5.12", "info_sent_on")
    return None


def check_finding(element: str, finding: str) -> Refusal | None:
    """A finding names the element of the complaint and one of :data:`FINDINGS`."""
    if (r := _blank(element, "element", "the element of the complaint the finding is about", "8.1")) is not None:
        return r
    if finding not in FINDING_LABELS:
        allowed = ", ".join(k for k, _ in FINDINGS)
        return Refusal(f"unknown finding {finding!r}: use one of {allowed}", "8.1", "finding")
    return None


def check_order(kind: str, description: str, due: date | None) -> Refusal | None:
    """An order or recommendation says what must be done and by when (the Ombudsman's date, past or future)."""
    if kind not in ORDER_KIND_LABELS:
        return Refusal(f"unknown kind {kind!r}: use order or recommendation", "7.4", "kind")
    if (r := _blank(description, "description", "what the Ombudsman ordered or recommended", "7.4")) is not None:
        return r
    if due is None:
        return Refusal("give the date the Ombudsman set for compliance", "7.4", "due")
    return None


def check_order_completion(completed_on: date | None, evidence: str, today: date) -> Refusal | None:
    """Completing an order needs the date it was done (not in the future) and the evidence of it."""
    if completed_on is None:
        return Refusal("give the date the order was complied with", "7.4", "completed_on")
    if completed_on > today:
        return Refusal(
            f"{completed_on:%d %b %Y} is in the future: record compliance when it has happened", "7.4", "completed_on"
        )
    return _blank(evidence, "evidence", "the evidence of compliance sent to the Ombudsman", "7.4")


def check_improvement(
    what_changed: str, owner: str, status: str, status_on: date | None, today: date
) -> Refusal | None:
    """A service improvement says what changed, who owns it, its status and the date of that status (9.1)."""
    if (r := _blank(what_changed, "what_changed", "what changed (or will change) in the service", "9.1")) is not None:
        return r
    if (r := _blank(owner, "owner", "who owns the improvement", "9.1")) is not None:
        return r
    if status not in IMPROVEMENT_STATUS_LABELS:
        allowed = ", ".join(k for k, _ in IMPROVEMENT_STATUSES)
        return Refusal(f"unknown status {status!r}: use one of {allowed}", "9.1", "status")
    if status_on is None:
        return Refusal("give the date of the status", "9.1", "status_on")
    if status == "done" and status_on > today:
        return Refusal("an improvement cannot be done on a date in the future", "9.1", "status_on")
    return None


def financial_year_label(year: int) -> str:
    """The financial year starting 1 April ``year`` as reports name it: 2025 -> "2025-26"."""
    return f"{year}-{(year + 1) % 100:02d}"


def check_annual_letter(year: int, received_on: date | None, key_points: str, today: date) -> Refusal | None:
    """The Ombudsman's annual letter as recorded for the report on the financial year starting
    April ``year`` (8.1): the day it was received (not a day to come, nor before 1 April of the
    year before: a slip of the year) and its key points. Returns the first refusal, or None."""
    if received_on is None:
        return Refusal("give the date the Ombudsman's annual letter was received", "8.1", "letter_received_on")
    if received_on > today:
        return Refusal(
            f"the letter's received date {received_on:%d %b %Y} is in the future: record it when it has come",
            "8.1",
            "letter_received_on",
        )
    earliest = date(year - 1, 4, 1)  # the letter on the year before, received as the year began, at the earliest
    if received_on < earliest:
        return Refusal(
            f"the annual letter for the {financial_year_label(year)} report cannot have been received before "
            f"{earliest:%d %b %Y}: check the year of the date",
            "8.1",
            "letter_received_on",
        )
    return _blank(key_points, "letter_key_points", "the letter's key points", "8.1")


def check_governing_body_response(year: int, response_on: date | None, text: str, today: date) -> Refusal | None:
    """The governing body's response to the report on the financial year starting April
    ``year`` (8.2): the day it was given (not a day to come, nor before the year began) and
    what it said. Returns the first refusal, or None."""
    if response_on is None:
        return Refusal("give the date of the governing body's response", "8.2", "response_on")
    if response_on > today:
        return Refusal(
            f"the response date {response_on:%d %b %Y} is in the future: record it when it has been given",
            "8.2",
            "response_on",
        )
    began = date(year, 4, 1)
    if response_on < began:
        return Refusal(
            f"the governing body's response to the {financial_year_label(year)} report cannot be dated before the "
            f"year began ({began:%d %b %Y}): check the year of the date",
            "8.2",
            "response_on",
        )
    return _blank(text, "governing_body_response", "the governing body's response", "8.2")


def check_assessment(complies: str) -> Refusal | None:
    """A provision's self-assessment is yes, partly, no, or not yet assessed ("")."""
    if complies and complies not in COMPLIES_LABELS:
        return Refusal(f"unknown answer {complies!r}: use yes, partly or no", "8.1", "complies")
    return None
