"""The forms the case screen and the Ombudsman and learning screen share: recording that a
case went to the Ombudsman, and a complaint's root cause and themes (Code 9.1, 9.2).

Each factory returns a :class:`~caseworker.screens.dialogs.form.FormDialog` whose live check is the rule in ``rules.account``
and whose save is the service, run in a thread worker by the form.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from caseworker.rules import account as rules
from caseworker.screens.dialogs.form import REFERENCE_EXAMPLE, Field, FormDialog

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.context import Store
    from caseworker.store.queries.account import LearningInfo


def case_id_of(store: Store, reference: str) -> int:
    """The id of the case ``reference``, or a DomainError naming the field (run in a worker)."""
    from caseworker.store.queries.case import case_id_for_reference
    from caseworker.store.services import DomainError

    case_id = case_id_for_reference(store, reference)
    if case_id is None:
        raise DomainError(f"no case {reference.strip()!r}: give the case's reference", "", "reference")
    return case_id


def ombudsman_form(store: Store, login: str, reference: str = "") -> FormDialog:
    """Record that a case went to the Ombudsman: their reference and the dates so far."""
    from caseworker.store import services as sv

    fields = [
        Field("reference", "Case reference", default=reference, required=True, placeholder=REFERENCE_EXAMPLE),
        Field("om_reference", "Ombudsman's ref", placeholder="their reference for the case"),
        Field("referred_on", "Referred on", "date"),
        Field("info_requested_on", "Info requested", "date", help="If any."),
        Field("info_sent_on", "Info sent", "date", help="If any."),
        Field("determined_on", "Determination", "date", help="When made."),
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
    return FormDialog("Record a case taken to the Ombudsman", fields, intro=intro, check=check, save=save)


def learning_form(store: Store, login: str, reference: str = "", current: LearningInfo | None = None) -> FormDialog:
    """A complaint's root cause and themes, from the lists in configuration (Code 9.1, 9.2)."""
    from caseworker.store import services as sv

    settings = store.settings
    fields = [
        Field("reference", "Case reference", default=reference, required=True, placeholder=REFERENCE_EXAMPLE),
        Field(
            "root_cause",
            "Root cause",
            "select",
            default=current.root_cause if current else "",
            options=(("(none)", ""), *((c, c) for c in settings.root_causes)),
        ),
        Field(
            "themes",
            "Themes",
            default=", ".join(current.themes) if current else "",
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

    return FormDialog(
        "Root cause and themes of a complaint",
        fields,
        check=check,
        save=save,
        intro="Themes: " + ", ".join(settings.themes) + ". The annual report summarises them by "
        "service area and quarter (Code 9.1 to 9.3).",
    )
