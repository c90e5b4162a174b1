"""Stored codes in words: a case's status, its type, the decision and how it came in. Every
screen, the command line (``caseworker due``, ``caseworker case``), the case file and the
letters say them the same way, and never show the codes themselves (``awaiting-acknowledgement``).

Pure: imports nothing at all, so rules/ may use it too (refusals name a status in words).
"""

from __future__ import annotations

#: A case's status (``rules.facts.Status``) in words.
STATUS = {
    "awaiting-acknowledgement": "to acknowledge",
    "open": "investigating",
    "responded": "responded",
    "not-accepted": "not accepted",
    "escalation-refused": "escalation refused",
    "withdrawn": "withdrawn",
    "closed": "closed",
}

#: A case's status as the end of "the case is ..." (refusals: "cannot respond: the case is
#: awaiting acknowledgement at Stage 1").
STATUS_PHRASE = {
    "awaiting-acknowledgement": "awaiting acknowledgement",
    "open": "under investigation",
    "responded": "responded to",
    "not-accepted": "not accepted",
    "escalation-refused": "closed: escalation refused",
    "withdrawn": "withdrawn",
    "closed": "closed",
}

#: A case's type (``rules.facts.CaseType``) in words.
CASE_TYPE = {"complaint": "Complaint", "mp-enquiry": "MP enquiry", "councillor-enquiry": "Councillor enquiry"}

#: A stage's decision in words.
DECISION = {"upheld": "Upheld", "partly-upheld": "Partly upheld", "not-upheld": "Not upheld"}

#: "received ... <phrase>": the channel as the end of that sentence.
_RECEIVED = {
    "phone": "by phone",
    "email": "by email",
    "letter": "by letter",
    "post": "by post",
    "online form": "through the online form",
    "web form": "through the online form",
    "in person": "in person",
    "social media": "on social media",
    "mp": "through an MP",
    "councillor": "through a councillor",
}


def _words(code: str) -> str:
    """A code not in a table (a newer one): its words, never the hyphenated code."""
    return code.replace("-", " ").replace("_", " ")


def status(code: str) -> str:
    """A case status in words (``awaiting-acknowledgement`` -> ``to acknowledge``)."""
    return STATUS.get(code, _words(code))


def status_phrase(code: str) -> str:
    """A case status to end "the case is ..." (``awaiting-acknowledgement`` -> ``awaiting acknowledgement``)."""
    return STATUS_PHRASE.get(code, _words(code))


def case_type(code: str) -> str:
    """A case type in words (``mp-enquiry`` -> ``MP enquiry``)."""
    return CASE_TYPE.get(code, _words(code).capitalize())


def decision(code: str) -> str:
    """A stage's decision in words (``partly-upheld`` -> ``Partly upheld``); "" for none."""
    return DECISION.get(code, _words(code).capitalize()) if code else ""


def listed_status(code: str, due_kind: str) -> str:
    """The status shown in a list of deadlines: "actions open" for a case listed only for its
    open actions (answered, with an action still to do: Code 6.6, 6.17), else the status."""
    if due_kind == "action" and code not in ("awaiting-acknowledgement", "open"):
        return "actions open"
    return status(code)


def received_by(channel: str) -> str:
    """How the complaint came in, to follow "received 3 Dec 2025": ``by phone``, ``in person``,
    ``through the online form``; a channel typed in by hand as ``by <it>``; "" for none (and
    for "not recorded", which tracker imports before December 2026 stored for a blank channel)."""
    text = channel.strip()
    if not text or text.lower() == "not recorded":
        return ""
    known = _RECEIVED.get(text.lower())
    if known:
        return known
    lowered = text.lower()
    if lowered.startswith(("by ", "in ", "on ", "through ", "via ")):
        return text
    return f"by {text}"
