"""The check before issue: what the Code requires a letter to contain, looked for in the case
record AND in the rendered text, so neither a gap in the record nor a council template
that leaves a part out lets an incomplete letter go.

Response letters need items a to g of 6.9 (Stage 1) and 6.19 (Stage 2); extensions need
the Ombudsman's details (6.5, 6.16); refusals need the section 2 ground, the reasons and
the route to the Ombudsman (2.1, 2.2, 5.11).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from caseworker.letters.context import DECISION_LABELS, KINDS, long_date, text_lines
from caseworker.letters.engine import Letter, UnknownLetterKind
from caseworker.letters.formats import logo_problem
from caseworker.rules.money import format_pounds


@dataclass(frozen=True)
class Missing:
    """Something a letter must contain but does not: a short name, what it is, the Code paragraph."""

    item: str
    label: str
    code_ref: str

    def __str__(self) -> str:
        return f"{self.item}: {self.label}" + (f" (Code {self.code_ref})" if self.code_ref else "")


def _norm(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class _Text:
    """The rendered text, normalised for looking things up in it."""

    def __init__(self, text: str) -> None:
        self.n = _norm(text)

    def has(self, value: str | None) -> bool:
        value = _norm(value or "")
        return bool(value) and value in self.n

    def has_all(self, values) -> bool:
        values = [v for v in values if _norm(v)]
        return bool(values) and all(self.has(v) for v in values)

    def matches(self, pattern: str) -> bool:
        return re.search(pattern, self.n) is not None


def _stage(detail, number: int):
    return next((s for s in detail.stages if s.number == number), None)


def _ombudsman(letter: Letter, text: _Text, label: str, ref: str) -> list[Missing]:
    omb = letter.ombudsman
    if omb is None or not (text.has(omb.name) and text.has(omb.phone)):
        name = omb.name if omb else "the Ombudsman"
        return [Missing("ombudsman", f"{label}: {name}'s name and telephone number", ref)]
    return []


def check(kind: str, detail, letter: Letter) -> list[Missing]:
    """What ``letter`` (a ``kind`` letter for ``detail``) lacks; empty when it may be issued.

    Each item is looked for in the case data and in the rendered text. Items are named
    with the Code paragraph they come from, in the order the Code lists them.
    """
    if kind not in KINDS:
        raise UnknownLetterKind(kind)
    text = _Text(letter.text)
    st = _stage(detail, letter.stage)
    if st is None:
        return [Missing("stage", f"the case has no Stage {letter.stage}", "5.2")]
    return _CHECKS[kind](detail, letter, st, text) + _placeholders(letter) + _postal(letter)


def _placeholders(letter: Letter) -> list[Missing]:
    """Every organisation detail the letter prints must be the council's own, not an example."""
    where = letter.config_path or "the configuration file"
    out = [
        Missing(
            key,
            f"set {key.split('.', 1)[1]} in the [organisation] table of {where} (it is empty or "
            "still the example value)",
            "",
        )
        for key in letter.unset_config
    ]
    problem = logo_problem(letter.logo) if letter.logo else ""
    if problem:
        out.append(
            Missing(
                "organisation.logo", f"{problem}: correct logo in the [organisation] table of {where}, or remove it", ""
            )
        )
    return out


def _postal(letter: Letter) -> list[Missing]:
    """A letter sent by post needs the addressee's postal address."""
    a = letter.addressee
    if a.channel == "post" and not a.address:
        whose = {"representative": "the representative's", "member": "the member's office"}.get(
            a.role, "the resident's"
        )
        return [
            Missing(
                "address",
                f"{whose} postal address is not recorded, so the letter cannot go by post: "
                f"record the address of {a.name} (h on the case)",
                "",
            )
        ]
    return []


def _definition(st, text: _Text, ref: str, letter_kind: str) -> list[Missing]:
    issues, outcomes = text_lines(st.issues), text_lines(st.outcomes)
    if not issues or not outcomes:
        return [
            Missing(
                "definition",
                f"{letter_kind}the complaint definition (the issues and the outcomes sought) is not recorded: "
                "acknowledge the complaint and record it first",
                ref,
            )
        ]
    if not text.has_all(issues + outcomes):
        return [
            Missing(
                "definition",
                f"{letter_kind}the complaint definition (the issues and the outcomes sought) is not in the letter",
                ref,
            )
        ]
    return []


def _response(detail, letter: Letter, st, text: _Text) -> list[Missing]:
    ref = "6.9" if st.number == 1 else "6.19"
    out: list[Missing] = []
    # (a) the stage
    if not text.has(f"stage {st.number}"):
        out.append(Missing("stage", f"(a) the complaint stage (Stage {st.number})", f"{ref} a"))
    # (b) the complaint definition
    out += _definition(st, text, f"{ref} b", "(b) ")
    # (c) the decision
    label = DECISION_LABELS.get(st.decision)
    if label is None:
        out.append(
            Missing(
                "decision",
                "(c) the decision (upheld, partly upheld or not upheld) is not recorded: record the response first",
                f"{ref} c",
            )
        )
    elif not text.matches(r"(?<!not )(?<!partly )\bupheld\b" if label == "upheld" else rf"\b{re.escape(label)}\b"):
        out.append(Missing("decision", f"(c) the decision ({label}) is not in the letter", f"{ref} c"))
    # (d) the reasons
    used = letter.fields.get("reasons_text", "")
    if not st.reasons.strip():
        out.append(Missing("reasons", "(d) the reasons for the decision are not recorded", f"{ref} d"))
    elif not used.strip() or not text.has(used):
        out.append(Missing("reasons", "(d) the reasons for the decision are not in the letter", f"{ref} d"))
    # (e) the remedy, or an explicit "no remedy"
    remedies = [r for r in detail.remedies if r.stage_number == st.number]
    if remedies:
        if not text.has_all(r.description.rstrip(".,;: ") for r in remedies):
            out.append(Missing("remedy", "(e) the remedy offered is not (all) in the letter", f"{ref} e"))
    elif st.no_remedy:
        if not text.matches(r"\bno remed(y|ies)\b"):
            out.append(Missing("remedy", '(e) the letter does not say explicitly "no remedy"', f"{ref} e"))
    else:
        out.append(Missing("remedy", '(e) the remedy offered, or an explicit "no remedy", is not recorded', f"{ref} e"))
    # (f) the outstanding actions, or an explicit "none": every open action on the case, whichever
    # stage it came from (6.17), and this stage's
    open_actions = [a for a in detail.actions if not a.done]
    actions = [a for a in detail.actions if a.stage_number == st.number] + [
        a for a in open_actions if a.stage_number != st.number
    ]
    if open_actions and st.no_actions:
        out.append(
            Missing(
                "actions",
                f"the response records no outstanding actions, but {len(open_actions)} "
                f"{'is' if len(open_actions) == 1 else 'are'} still open on the case: "
                + "; ".join(a.description for a in open_actions),
                f"{ref} f, 6.17",
            )
        )
    if actions:
        if not text.has_all(a.description.rstrip(".,;: ") for a in actions):
            out.append(Missing("actions", "the outstanding actions are not (all) in the letter", f"{ref} f"))
    elif st.no_actions:
        if not text.matches(r"\bnone\b|\bno outstanding actions\b"):
            out.append(
                Missing(
                    "actions",
                    '(f) the letter does not say explicitly that there are no outstanding actions ("none")',
                    f"{ref} f",
                )
            )
    else:
        out.append(
            Missing("actions", '(f) the outstanding actions, or an explicit "none", are not recorded', f"{ref} f")
        )
    # (g) how to escalate: to Stage 2 after Stage 1, to the Ombudsman after Stage 2
    if st.number == 1:
        if not text.has("stage 2"):
            out.append(Missing("escalation", "(g) how to escalate the complaint to Stage 2", f"{ref} g"))
    else:
        out += _ombudsman(letter, text, "(g) how to escalate the complaint to the Ombudsman", f"{ref} g")
    return out


def _promise(letter: Letter, st, ref: str) -> list[Missing]:
    """A letter may not promise a response by a date already past (its date is today)."""
    if st.response_due is not None and letter.letter_date is not None and st.response_due < letter.letter_date:
        return [
            Missing(
                "response date",
                f"the response date this letter would promise, "
                f"{long_date(st.response_due)}, is already past (the letter is dated "
                f"{long_date(letter.letter_date)}): respond, or record an extension with a new date, first",
                ref,
            )
        ]
    return []


def _extension(detail, letter: Letter, st, text: _Text) -> list[Missing]:
    ref, omb_ref = ("6.4", "6.5") if st.number == 1 else ("6.15", "6.16")
    out: list[Missing] = []
    if not st.extensions:
        out.append(
            Missing(
                "extension",
                f"no extension is recorded at Stage {st.number}: record it (with its reason "
                "and the date the resident was told) first",
                ref,
            )
        )
    else:
        used = letter.fields.get("reasons_text", "")
        if not used.strip() or not text.has(used):
            out.append(Missing("reason", "the reason for the extension is not in the letter", ref))
        reasons = [e.reason for e in st.extensions] + [e.good_reason for e in st.extensions if e.good_reason]
        if not all(text.has(r) for r in reasons if r.strip()):
            out.append(
                Missing(
                    "reason",
                    "every extension's reason (and the good reason for going past the cap) must be in the letter",
                    ref,
                )
            )
        if st.response_due is None or not text.has(long_date(st.response_due)):
            out.append(Missing("new date", "the new date for our response is not in the letter", ref))
        out += _promise(letter, st, ref)
    out += _ombudsman(letter, text, "the Ombudsman's contact details", omb_ref)
    return out


def _refusal(kind: str, ground_ref: str, reasons_ref: str):
    what = "not to accept the complaint" if kind == "not-accepted" else "not to escalate the complaint"

    def run(detail, letter: Letter, st, text: _Text) -> list[Missing]:
        decision = next((x for x in reversed(detail.exclusions) if x.kind == kind), None)
        out: list[Missing] = []
        if decision is None:
            out.append(
                Missing("ground", f"no decision {what} is recorded, so there is no section 2 ground", ground_ref)
            )
        else:
            if not text.has(decision.ground_label):
                out.append(
                    Missing(
                        "ground", f"the section 2 ground ({decision.ground_label}) is not in the letter", ground_ref
                    )
                )
            used = letter.fields.get("reasons_text", "")
            if not decision.reasons.strip():
                out.append(Missing("reasons", f"the reasons for the decision {what} are not recorded", reasons_ref))
            elif not used.strip() or not text.has(used):
                out.append(
                    Missing("reasons", f"the reasons for the decision {what} are not in the letter", reasons_ref)
                )
        out += _ombudsman(letter, text, "the right to take the decision to the Ombudsman", reasons_ref)
        return out

    return run


def _acknowledgement(detail, letter: Letter, st, text: _Text) -> list[Missing]:
    ref = "6.2" if st.number == 1 else "6.11"
    out: list[Missing] = []
    if not text.has(f"stage {st.number}"):
        out.append(Missing("stage", f"the complaint stage (Stage {st.number})", ref))
    out += _definition(st, text, "5.6", "")
    responsible = text_lines(st.responsible)
    if not responsible:
        out.append(
            Missing("responsibility", "what we are responsible for is not recorded in the complaint definition", "5.7")
        )
    elif not text.has_all(responsible + text_lines(st.not_responsible)):
        out.append(Missing("responsibility", "what we are and are not responsible for is not in the letter", "5.7"))
    officer = st.officer_name or detail.header.officer_name
    if not officer:
        out.append(
            Missing("officer", f"no officer is assigned at Stage {st.number}", "6.13" if st.number == 2 else ref)
        )
    elif not text.has(officer):
        out.append(Missing("officer", "the officer dealing with the complaint is not in the letter", ref))
    if st.response_due is None:
        out.append(
            Missing("response date", "the date of our response is not known: record the acknowledgement first", ref)
        )
    elif not text.has(long_date(st.response_due)):
        out.append(Missing("response date", "the date of our response is not in the letter", ref))
    else:
        out += _promise(letter, st, ref)
    return out


def _action_update(detail, letter: Letter, st, text: _Text) -> list[Missing]:
    ref = "6.6" if st.number == 1 else "6.17"
    if not detail.actions:
        return [Missing("actions", "no outstanding actions are recorded on this case", ref)]
    shown = [a for a in detail.actions if not a.done] or list(detail.actions)
    if not text.has_all(a.description.rstrip(".,;: ") for a in shown):
        return [Missing("actions", "the outstanding actions are not (all) in the letter", ref)]
    return []


def _remedy_offer(detail, letter: Letter, st, text: _Text) -> list[Missing]:
    offered = [r for r in detail.remedies if r.state == "offered"]
    settled = [r for r in detail.remedies if r.state not in ("offered", "declined")]
    if not offered and not settled:
        return [Missing("remedy", "no remedy is offered or agreed on this case", "7.3")]
    out: list[Missing] = []
    if not text.has_all(r.description.rstrip(".,;: ") for r in offered + settled):
        out.append(Missing("remedy", "what will happen is not (all) in the letter", "7.3"))
    if not all(r.by_when and text.has(long_date(r.by_when)) for r in offered):
        out.append(Missing("by when", "by when each remedy will happen is not (all) in the letter", "7.3"))
    if not all(text.has(format_pounds(r.amount_pence)) for r in offered + settled if r.amount_pence):
        out.append(Missing("amount", "the amount offered is not in the letter", "7.3"))
    return out


_CHECKS = {
    "acknowledgement": _acknowledgement,
    "extension": _extension,
    "response": _response,
    "not-accepted": _refusal("not-accepted", "2.2", "2.1"),
    "escalation-refused": _refusal("escalation-refused", "5.11", "5.11"),
    "action-update": _action_update,
    "remedy-offer": _remedy_offer,
}
