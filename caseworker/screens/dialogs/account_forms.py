"""The forms the case screen and the Ombudsman and learning screen share: recording that a
case went to the Ombudsman, and a complaint's root cause and themes (Code 9.1, 9.2); and the
self-assessment screen's :class:`YearPartForm` (the year's annual letter and governing body's response).

Each factory returns a :class:`~caseworker.screens.dialogs.form.FormDialog` whose live check is the rule in ``rules.account``
and whose save is the service, run in a thread worker by the form.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from caseworker.rules import account as rules
from caseworker.screens.dialogs.form import REFERENCE_EXAMPLE, Field, FormDialog

if TYPE_CHECKING:  # pragma: no cover
    from caseworker.store.context import Store
    from caseworker.store.queries.account import AccountInfo, LearningInfo


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


class YearPartForm(FormDialog[bool]):
    """Record the Ombudsman's annual letter (``which="letter"``, 8.1) or the governing body's
    response (``"response"``, 8.2) for the financial year ``account.year``, starting from what
    is on record; the dates are checked live (a day to come is refused as it is typed).

    The save gives back the version of the year's account the form was opened with. When
    another officer recorded a part of the year since, the refusal is shown, the form reads
    the year again, says what is recorded now and checks the next save against it, with what
    was typed kept. ``refused()`` is called after every refused save (the screen reads the
    year again). Dismissed with True once saved, or None.
    """

    def __init__(
        self, which: str, account: AccountInfo, today: date, refused: Callable[[], None] | None = None
    ) -> None:
        if which not in ("letter", "response"):
            raise ValueError(f"unknown part of the year's report {which!r}")
        from caseworker.reporting.period import Period

        self.which, self.account, self.today, self._refused = which, account, today, refused
        label = Period.financial_year(account.year).label
        if which == "letter":
            self.FORM_TITLE = f"The Ombudsman's annual letter for {label}"
            self.INTRO = "Its key points go into the annual report (8.1); they are kept as text."
        else:
            self.FORM_TITLE = f"The governing body's response to the {label} report"
            self.INTRO = "Published alongside the report (8.2)."
        if self._recorded(account):
            self.INTRO += " What is on record is filled in below: saving replaces it."
        super().__init__()

    def _recorded(self, account: AccountInfo) -> bool:
        return bool(account.letter_key_points if self.which == "letter" else account.governing_body_response)

    def fields(self):
        a = self.account
        if self.which == "letter":
            return (
                Field(
                    "letter_received_on",
                    "Received",
                    "date",
                    required=True,
                    default=a.letter_received_on,
                    help="The day it came (not a day to come).",
                ),
                Field(
                    "letter_key_points",
                    "Key points",
                    "textarea",
                    required=True,
                    default=a.letter_key_points,
                    placeholder="the letter's key points, as text",
                ),
            )
        return (
            Field(
                "response_on",
                "Given on",
                "date",
                required=True,
                default=a.response_on,
                help="The day the governing body gave it (not a day to come).",
            ),
            Field(
                "governing_body_response",
                "Response",
                "textarea",
                required=True,
                default=a.governing_body_response,
                placeholder="the governing body's response",
            ),
        )

    def validate(self, values: dict[str, Any]):
        year = self.account.year
        if self.which == "letter":
            return rules.check_annual_letter(
                year, values["letter_received_on"], values["letter_key_points"] or "", self.today
            )
        return rules.check_governing_body_response(
            year, values["response_on"], values["governing_body_response"] or "", self.today
        )

    def perform(self, store, login, values) -> bool:
        from caseworker.store import services as sv

        a = self.account
        if self.which == "letter":
            sv.record_annual_letter(
                store, login, a.year, values["letter_received_on"], values["letter_key_points"], version=a.version
            )
        else:
            sv.record_governing_body_response(
                store, login, a.year, values["response_on"], values["governing_body_response"], version=a.version
            )
        return True

    def save_failed(self, exc: Exception) -> None:
        """Someone recorded a part of the year meanwhile: read the year again and say what is
        recorded now; the next save is checked against that. Every refusal tells the screen."""
        from caseworker.store.services import ConcurrentChange

        if self._refused is not None:
            self._refused()
        if isinstance(exc, ConcurrentChange) and self.workspace is not None:
            from caseworker.store.queries.account import year_account

            self._changed_by = exc.refusal.message.split(";")[0]
            self.run_db(
                lambda store, year: year_account(store, year)[0],
                self.workspace.store,
                self.account.year,
                done=self._reread,
                group="year-reread",
            )

    def _reread(self, account: AccountInfo) -> None:
        self.account = account
        if self.which == "letter":
            now = (
                f"Recorded now: received {account.letter_received_on:%d %b %Y}: "
                + " ".join(account.letter_key_points.split())
                if account.letter_key_points
                else "No letter is recorded now."
            )
        else:
            now = (
                f"Recorded now: given {account.response_on:%d %b %Y}: "
                + " ".join(account.governing_body_response.split())
                if account.governing_body_response
                else "No response is recorded now."
            )
        if len(now) > 300:
            now = now[:299].rstrip() + "…"
        elif not now.endswith((".", "!", "?")):
            now += "."
        message = self._changed_by
        self.notice(
            f"{message[:1].upper()}{message[1:]}. {now} What you typed is kept: save again to replace what is recorded."
        )
        self._tried = False
        self.refresh_form()
