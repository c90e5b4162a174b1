"""Which tracker column holds which field: the known column names and their aliases."""

from __future__ import annotations

import re

from caseworker.rules.facts import Decision

#: The tracker's columns, as named in the header (case-insensitive; spaces, underscores and
#: hyphens are the same). Only ``resident`` and ``received`` are required.
COLUMNS = (
    "reference", "resident", "address", "email", "phone", "received", "channel", "service area", "category",
    "stage", "stage 1 officer", "acknowledged", "stage 1 response", "stage 2 requested", "stage 2 officer",
    "stage 2 acknowledged", "stage 2 response", "outcome",
)
REQUIRED_COLUMNS = ("resident", "received")
DATE_COLUMNS = (
    "received", "acknowledged", "stage 1 response", "stage 2 requested", "stage 2 acknowledged", "stage 2 response",
)

#: Outcome words accepted in the ``outcome`` column, to the decision (or withdrawal) they mean.
OUTCOMES = {
    "upheld": Decision.UPHELD.value,
    "partly upheld": Decision.PARTLY_UPHELD.value,
    "partially upheld": Decision.PARTLY_UPHELD.value,
    "part upheld": Decision.PARTLY_UPHELD.value,
    "not upheld": Decision.NOT_UPHELD.value,
    "withdrawn": "withdrawn",
}

_ALIASES = {
    "ref": "reference", "case reference": "reference", "name": "resident", "resident name": "resident",
    "date received": "received", "received date": "received", "service": "service area",
    "stage1 officer": "stage 1 officer", "officer": "stage 1 officer", "stage 1 acknowledged": "acknowledged",
    "stage1 response": "stage 1 response", "stage 1 responded": "stage 1 response",
    "stage2 requested": "stage 2 requested", "stage2 officer": "stage 2 officer",
    "stage2 acknowledged": "stage 2 acknowledged", "stage2 response": "stage 2 response",
    "stage 2 responded": "stage 2 response", "decision": "outcome",
}



def column_key(header: str) -> str:
    """The field a header names (case-insensitive; spaces, underscores and hyphens alike), or the folded header."""
    words = re.sub(r"[\s_\-]+", " ", header.strip().lower()).strip()
    words = re.sub(r"\bstage(\d)", r"stage \1", words)
    return _ALIASES.get(words, words)
