"""Letters: every letter the Code requires, written from the case record, checked before it goes,
and exported in the formats officers send.

::

    from caseworker import letters
    letter = letters.render("response", detail, settings, today, overrides={"closing": "..."})
    missing = letters.check("response", detail, letter)   # [] when it may be issued
    letters.to_docx(letter, "CMP-000001-response.docx")

Templates are Jinja2 files in ``templates/`` beside these modules (package data); a council
may point ``letter_templates`` in the configuration at its own folder, whose files override
the shipped ones by name. Undefined variables are errors naming the template and line.

Modules: :mod:`.context` (what templates see: addressee, adjustments, Ombudsman),
:mod:`.engine` (environment and rendering), :mod:`.check` (the contents the Code requires),
:mod:`.formats` (text, HTML, Word, PDF; all A4),
:mod:`.record` (issued letters kept as sent, and their reprint).
"""

from caseworker.letters.check import Missing, check
from caseworker.letters.context import (
    FREE_TEXT,
    FREE_TEXT_LABELS,
    KINDS,
    TEMPLATES,
    Addressee,
    AdjustmentEffects,
    adjustment_effects,
    letter_context,
)
from caseworker.letters.engine import (
    DRAFT_MARK,
    Letter,
    LetterTemplateError,
    UnknownLetterKind,
    as_copy,
    as_draft,
    environment,
    free_text,
    render,
    shipped_templates,
)
from caseworker.letters.formats import (
    FORMATS,
    blocks,
    format_for,
    layout,
    save,
    to_docx,
    to_html,
    to_pdf,
    to_text,
)
from caseworker.letters.record import format_record, latest_issued, reprint

__all__ = [
    "DRAFT_MARK",
    "FORMATS",
    "FREE_TEXT",
    "FREE_TEXT_LABELS",
    "KINDS",
    "TEMPLATES",
    "Addressee",
    "AdjustmentEffects",
    "Letter",
    "LetterTemplateError",
    "Missing",
    "UnknownLetterKind",
    "adjustment_effects",
    "as_copy",
    "as_draft",
    "blocks",
    "check",
    "environment",
    "format_for",
    "format_record",
    "free_text",
    "latest_issued",
    "layout",
    "letter_context",
    "render",
    "reprint",
    "save",
    "shipped_templates",
    "to_docx",
    "to_html",
    "to_pdf",
    "to_text",
]
