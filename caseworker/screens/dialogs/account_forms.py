"""The forms the case screen and the Ombudsman and learning screen share: recording that a
case went to the Ombudsman, and a complaint's root cause and themes (Code 9.1, 9.2).

Each factory returns a :class:`QuickForm` whose live check is the rule in ``rules.account``
and whose save is the service, run in a thread worker by the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.rules import account as rules
from caseworker.screens.dialogs.quick_form import FormField, QuickForm

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.context import Store
    from caseworker.store.queries.account import LearningInfo

DATE_HINT = "YYYY-MM-DD or DD/MM/YYYY"


def case_id_of(store: Store, reference: str) -> int:
    """The id of the case ``reference``, or a DomainError naming the field (run in a worker)."""
    from caseworker.store.queries.case import case_id_for_reference
    from caseworker.store.services import DomainError

    case_id = case_id_for_reference(store, reference)
    if case_id is None:
        raise DomainError(f"no case {reference.strip()!r}: give the case's reference", "", "reference")
    return case_id


def ombudsman_form(store: Store, login: str, reference: str = "") -> QuickForm:
    """Record that a case went to the Ombudsman: their reference and the dates so far."""
    from caseworker.store import services as sv

    fields = [
        FormField("reference", "Case reference", value=reference, placeholder="e.g. CMP-000123"),
        FormField("om_reference", "Ombudsman's ref", placeholder="their reference for the case"),
        FormField("referred_on", "Referred on", "date", placeholder=DATE_HINT),
        FormField("info_requested_on", "Info requested", "date", placeholder=DATE_HINT + " (if any)"),
        FormField("info_sent_on", "Info sent", "date", placeholder=DATE_HINT + " (if any)"),
        FormField("determined_on", "Determination", "date", placeholder=DATE_HINT + " (when made)"),
    ]

    def check(v):
        return rules.check_ombudsman_case(
            "hos",
            v["om_reference"],
            v["referred_on"],
            store.today(),
            v["info_requested_on"],
            v["info_sent_on"],
            v["determined_on"],
        )

    def save(v):
        return sv.record_ombudsman_case(
            store,
            login,
            case_id_of(store, v["reference"]),
            v["om_reference"],
            v["referred_on"],
            info_requested_on=v["info_requested_on"],
            info_sent_on=v["info_sent_on"],
            determined_on=v["determined_on"],
        )

    intro = (
        "The Ombudsman is the one the case's service area routes to, as its letters say: the "
        f"{rules.OMBUDSMEN['hos']} or the {rules.OMBUDSMEN['lgsco']}. Findings and orders are added on the "
        "Ombudsman and learning screen."
    )
    return QuickForm("Record a case taken to the Ombudsman", fields, intro=intro, check=check, save=save)


def learning_form(store: Store, login: str, reference: str = "", current: LearningInfo | None = None) -> QuickForm:
    """A complaint's root cause and themes, from the lists in configuration (Code 9.1, 9.2)."""
    from caseworker.store import services as sv

    settings = store.settings
    fields = [
        FormField("reference", "Case reference", value=reference, placeholder="e.g. CMP-000123"),
        FormField(
            "root_cause",
            "Root cause",
            "choice",
            value=current.root_cause if current else "",
            choices=(("(none)", ""), *((c, c) for c in settings.root_causes)),
        ),
        FormField(
            "themes",
            "Themes",
            value=", ".join(current.themes) if current else "",
            placeholder="comma-separated: " + ", ".join(settings.themes[:3]) + ", …",
            suggestions=settings.themes,
        ),
    ]

    def check(v):
        unknown = [t.strip() for t in v["themes"].split(",") if t.strip() and t.strip() not in settings.themes]
        if unknown:
            return rules.Refusal(f"unknown theme {unknown[0]!r}: choose from the list above", "9.2", "themes")
        return None

    def save(v):
        themes = [t.strip() for t in v["themes"].split(",")]
        return sv.set_learning(store, login, case_id_of(store, v["reference"]), v["root_cause"], themes)

    return QuickForm(
        "Root cause and themes of a complaint",
        fields,
        check=check,
        save=save,
        intro="Themes: " + ", ".join(settings.themes) + ". The annual report summarises them by "
        "service area and quarter (Code 9.1 to 9.3).",
    )
