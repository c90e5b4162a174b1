"""What a letter template sees: the case, the organisation, the right Ombudsman, who the
letter goes to, and the resident's agreed adjustments, as plain values.

Everything here is computed from a :class:`~caseworker.store.queries.case.CaseDetail` and
the settings; nothing reads the database or the clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from caseworker import labels
from caseworker.config import Ombudsman, Settings
from caseworker.rules.money import format_pounds

#: Letter kinds, as on the command line and in the correspondence record.
KINDS = (
    "acknowledgement",
    "extension",
    "response",
    "not-accepted",
    "escalation-refused",
    "action-update",
    "remedy-offer",
)

#: The template file for each kind (a council's folder may hold a file of the same name).
TEMPLATES = {kind: kind.replace("-", "_") + ".j2" for kind in KINDS}

#: Free-text parts an officer may edit before issue, per kind (in the order shown).
FREE_TEXT: dict[str, tuple[str, ...]] = {
    "acknowledgement": ("opening", "closing"),
    "extension": ("opening", "reasons_text", "closing"),
    "response": ("opening", "reasons_text", "closing"),
    "not-accepted": ("opening", "reasons_text", "closing"),
    "escalation-refused": ("opening", "reasons_text", "closing"),
    "action-update": ("opening", "closing"),
    "remedy-offer": ("opening", "closing"),
}

#: How each free-text part is labelled where an officer edits it.
FREE_TEXT_LABELS = {
    "opening": "Opening paragraph",
    "reasons_text": "Reasons",
    "closing": "Closing paragraph",
}

#: The decision as a letter says it mid-sentence ("your complaint is partly upheld").
DECISION_LABELS = {code: words.lower() for code, words in labels.DECISION.items()}

REMEDY_KIND_LABELS = {
    "apology": "Apology",
    "explanation": "Explanation",
    "action": "Action to put things right",
    "financial": "Financial remedy",
}

#: When a resident should go to each Ombudsman. LGSCO's wording is its own model text
#: for councils (FACTS section 6); the Housing Ombudsman Scheme asks residents to come
#: normally within 12 months of the end of the landlord's complaints procedure.
TIME_LIMITS = {
    "hos": "You should normally refer your complaint to the Ombudsman within 12 months of the end of our "
    "complaints procedure (the date of our final response).",
    "lgsco": "You should normally contact the Ombudsman within 12 months of when you first knew about the "
    "matter you are complaining about.",
}
#: The same, in a letter to an MP or councillor about their constituent.
MEMBER_TIME_LIMITS = {
    "hos": "Your constituent should normally refer their complaint to the Ombudsman within 12 months of the end "
    "of our complaints procedure (the date of our final response).",
    "lgsco": "Your constituent should normally contact the Ombudsman within 12 months of when they first knew "
    "about the matter they are complaining about.",
}

SUBJECTS = {
    "acknowledgement": "Your complaint: acknowledgement at Stage {stage}",
    "extension": "Your complaint: we need more time for our Stage {stage} response",
    "response": "Your complaint: our Stage {stage} response",
    "not-accepted": "Your complaint: our decision not to accept it",
    "escalation-refused": "Your complaint: our decision not to escalate it to Stage 2",
    "action-update": "Your complaint: update on the actions we agreed",
    "remedy-offer": "Your complaint: what we will do to put things right",
}


def long_date(d: date | None) -> str:
    """``30 December 2025`` (empty for no date)."""
    return "" if d is None else f"{d.day} {d:%B %Y}"


def day_date(d: date | None) -> str:
    """``Tuesday 30 December 2025`` (empty for no date)."""
    return "" if d is None else f"{d:%A} {d.day} {d:%B %Y}"


def text_lines(text: str | None) -> list[str]:
    """The non-empty lines of ``text``, without list markers ("- ", "* ", "1. ")."""
    out = []
    for line in (text or "").splitlines():
        line = re.sub(r"^\s*(?:[-*\u2022]|\d+[.)])\s+", "", line).strip()
        if line:
            out.append(line)
    return out


def address_lines(text: str | None) -> tuple[str, ...]:
    """A stored address (one line with commas, or several lines) as letter lines."""
    parts = re.split(r"[\n,]", text or "")
    return tuple(p.strip() for p in parts if p.strip())


@dataclass(frozen=True)
class Addressee:
    """Who the letter goes to, how, and who else gets a copy."""

    name: str
    address: tuple[str, ...]
    email: str
    channel: str  # "post" or "email"
    salutation: str
    on_behalf_of: str = ""  # the resident's name when a representative receives the letter
    copies: tuple[str, ...] = ()  # e.g. "Sam Lee (your advocate)"
    #: The constituent's name when the letter goes to their MP or councillor (about them, not for them).
    about: str = ""
    #: "resident", "representative" or "member" (MP or councillor).
    role: str = "resident"


@dataclass(frozen=True)
class AdjustmentEffects:
    """How a resident's active adjustments change a letter."""

    large_print: bool
    easy_read: bool
    channel: str  # "post" or "email", from the adjustment or the resident's preference
    advocate: str  # details of an advocate adjustment, or ""
    notes: tuple[str, ...]  # sentences for the covering note (other than easy read)
    kinds: tuple[str, ...]  # the active adjustments, as recorded
    large_print_pt: float | None = None  # the size the adjustment records ("16pt Arial"), if it says


def _norm(kind: str) -> str:
    return re.sub(r"[\s_\-]+", " ", kind.casefold()).strip()


def _channel(text: str) -> str:
    t = _norm(text)
    if "email" in t or "e mail" in t:
        return "email"
    if "post" in t or "letter" in t:
        return "post"
    return ""


def adjustment_effects(detail, org_phone: str) -> AdjustmentEffects:
    """Read the resident's active adjustments and preferred channel (5.10)."""
    active = [a for a in detail.adjustments if a.active]
    large = easy = False
    large_pt: float | None = None
    channel = _channel(detail.resident.preferred_channel)
    advocate = ""
    notes: list[str] = []
    for a in active:
        k = _norm(a.kind)
        if "large print" in k:
            large = True
            large_pt = points_in(a.details) or large_pt
        elif "easy read" in k:
            easy = True
        elif "advocate" in k:
            advocate = a.details.strip() or "your advocate"
        elif "preferred channel" in k or k in ("email", "by email", "post", "by post"):
            channel = _channel(a.details) or _channel(a.kind) or channel
        elif "braille" in k:
            notes.append("As agreed with you, we are also sending this letter in braille.")
        elif "bsl" in k or "sign language" in k:
            notes.append(
                f"As agreed with you, we can go through this letter with you with a British Sign Language "
                f"interpreter: contact us on {org_phone} to arrange it."
            )
        elif "interpret" in k or "translat" in k or "language" in k:
            extra = f" ({a.details.strip()})" if a.details.strip() else ""
            notes.append(
                f"As agreed with you, we can arrange an interpreter{extra} to go through this letter with you: "
                f"contact us on {org_phone}."
            )
    return AdjustmentEffects(
        large, easy, channel or "post", advocate, tuple(notes), tuple(a.kind for a in active), large_pt
    )


_POINTS = re.compile(r"(\d{1,2}(?:\.\d)?)\s*(?:pt\b|pts\b|point)", re.IGNORECASE)


def points_in(details: str) -> float | None:
    """The print size an adjustment's details record, e.g. ``"16pt Arial"`` -> 16.0; None if none (or out of 12-72)."""
    m = _POINTS.search(details or "")
    if not m:
        return None
    value = float(m.group(1))
    return value if 12 <= value <= 72 else None


MEMBER_CASE_TYPES = {"mp-enquiry": "MP", "councillor-enquiry": "councillor"}


def is_member_enquiry(detail) -> bool:
    """An MP or councillor enquiry with the member recorded: letters go to the member."""
    return detail.header.case_type in MEMBER_CASE_TYPES and detail.representative is not None


#: Who a letter may be addressed to: the usual addressee, or the resident's own copy.
RECIPIENTS = ("usual", "resident")

NO_EFFECTS = AdjustmentEffects(False, False, "post", "", (), ())


def addressee_for(detail, effects: AdjustmentEffects, recipient: str = "usual") -> Addressee:
    """Who the letter goes to.

    An MP or councillor enquiry: the member, at their office, about their constituent; a
    complaint: a representative acting with consent recorded (3.6) on the resident's
    behalf, else the resident. ``recipient="resident"`` is the resident's own copy.
    """
    res, rep = detail.resident, detail.representative
    if recipient == "usual" and is_member_enquiry(detail):
        channel = "email" if not rep.address.strip() and rep.email else "post"
        return Addressee(
            name=rep.name,
            address=address_lines(rep.address),
            email=rep.email,
            channel=channel,
            salutation=rep.name,
            about=res.name,
            role="member",
        )
    copies = (f"{effects.advocate} (advocate)",) if effects.advocate else ()
    if recipient == "usual" and rep is not None and rep.consent_recorded:
        email = rep.email
        channel = "email" if effects.channel == "email" and email else "post"
        return Addressee(
            name=rep.name,
            address=address_lines(rep.address),
            email=email,
            channel=channel,
            salutation=rep.name,
            on_behalf_of=res.name,
            copies=copies,
            role="representative",
        )
    channel = "email" if effects.channel == "email" and res.email else "post"
    return Addressee(
        name=res.name,
        address=address_lines(res.address),
        email=res.email,
        channel=channel,
        salutation=res.name,
        copies=copies,
    )


def covering_note(kind: str, ctx: Mapping[str, Any], effects: AdjustmentEffects, addressee: Addressee) -> str:
    """The covering note: the adjustments the letter honours, in the resident's own terms."""
    lines: list[str] = []
    if addressee.role == "member":
        member = MEMBER_CASE_TYPES.get(ctx["case"].case_type, "member")
        lines.append(
            f"Thank you for contacting us on behalf of your constituent, {addressee.about}. This letter is about "
            f"their {'complaint' if ctx['case'].case_type == 'complaint' else 'enquiry'}, which we are handling "
            f"under our complaints procedure; please share it with them as you see fit. We are writing to you as "
            f"their {member}; we send {addressee.about} their own copy where they have asked us to."
        )
        return "\n".join(lines)
    # The adjustments are the resident's: to a representative, say whose they are.
    agreed_with = addressee.on_behalf_of or "you"
    if effects.easy_read:
        lines.append(easy_read_summary(kind, ctx))
    if effects.large_print:
        lines.append(f"This letter is in large print, as agreed with {agreed_with}.")
    if addressee.channel == "email":
        lines.append(f"We are sending this letter by email to {addressee.email}, as {agreed_with} asked.")
    elif effects.channel == "email":
        asked = "You asked" if not addressee.on_behalf_of else f"{addressee.on_behalf_of} asked"
        lines.append(
            f"{asked} us to write by email, but we do not have an email address for you, so this letter "
            "is sent by post. Please let us know your email address."
        )
    if addressee.on_behalf_of:
        rep = ctx["representative"]
        consent = f" (consent recorded on {long_date(rep.consent_date)})" if rep.consent_date else ""
        lines.append(
            f"We are writing to you on behalf of {addressee.on_behalf_of}, who has agreed that you may act for "
            f"them in this complaint{consent}."
        )
    if effects.advocate:
        whose = f"{addressee.on_behalf_of}'s" if addressee.on_behalf_of else "your"
        lines.append(f"As agreed, we are sending a copy of this letter to {whose} advocate, {effects.advocate}.")
    lines.extend(effects.notes)
    return "\n".join(lines)


def easy_read_summary(kind: str, ctx: Mapping[str, Any]) -> str:
    """A few short sentences in plain words saying what the letter is about (easy read)."""
    stage, ref = ctx["stage"], ctx["reference"]
    phone = ctx["org"].phone
    if kind == "acknowledgement":
        body = (
            f"We have got your complaint. {ctx['officer_name'] or 'An officer'} will look into it. "
            f"We will write to you by {long_date(ctx['response_due'])}."
            if ctx["response_due"]
            else f"We have got your complaint. {ctx['officer_name'] or 'An officer'} will look into it."
        )
    elif kind == "extension":
        body = (
            f"We need more time to answer your complaint. We will answer by {long_date(ctx['response_due'])}. "
            "If you are not happy about this, you can contact the Ombudsman."
        )
    elif kind == "response":
        decision = ctx["decision_label"] or "not yet made"
        nxt = (
            "If you are not happy with our answer, you can ask us to look again (Stage 2)."
            if stage == 1
            else "If you are not happy with our answer, you can ask the Ombudsman to look at it."
        )
        body = f"We have looked at your complaint. Our decision: your complaint is {decision}. {nxt}"
    elif kind == "not-accepted":
        body = "We cannot take your complaint. The reason is in this letter. You can ask the Ombudsman to look at this."
    elif kind == "escalation-refused":
        body = (
            "We cannot look at your complaint again at Stage 2. The reason is in this letter. "
            "You can ask the Ombudsman to look at this."
        )
    elif kind == "action-update":
        body = "This letter tells you how we are getting on with the things we said we would do."
    else:
        body = "This letter tells you what we will do to put things right, and when."
    return f"In short: {body} Call us on {phone} if you have questions. Our reference is {ref}."


def clause(text: str | None) -> str:
    """``text`` without trailing full stops, commas or semicolons, so a sentence can go on after it."""
    return (text or "").strip().rstrip(".,;: ").strip()


@dataclass(frozen=True)
class RemedyView:
    """A remedy as a letter shows it; ``amount`` is empty when the description already gives it."""

    kind: str
    kind_label: str
    description: str
    by_when: date | None
    amount: str  # "£150.00", or "" (none, or already in the description)
    rationale: str
    state: str
    status: str  # "", or e.g. "you accepted this on 3 December 2025; paid on 5 December 2025"
    stage: int = 1

    @property
    def offered(self) -> bool:
        """Still an offer waiting for the resident's answer."""
        return self.state == "offered"


@dataclass(frozen=True)
class ActionView:
    """An outstanding action as a letter shows it (owner by name and job title)."""

    description: str
    owner: str
    due: date
    done: bool
    completed_on: date | None
    overdue: bool
    latest_update: str
    latest_update_on: date | None
    stage: int


def _remedy_status(r) -> str:
    parts = []
    if r.accepted_on:
        parts.append(f"you accepted this on {long_date(r.accepted_on)}")
    if r.declined_on:
        parts.append(f"you declined this on {long_date(r.declined_on)}")
    if r.paid_on:
        parts.append(f"paid on {long_date(r.paid_on)}")
    if r.completed_on:
        parts.append(f"completed on {long_date(r.completed_on)}")
    if not parts and r.state != "offered":
        parts.append(
            {"accepted": "accepted", "declined": "declined", "paid": "paid", "completed": "completed"}.get(
                r.state, r.state.replace("-", " ")
            )
        )
    return "; ".join(parts)


def _remedy_view(r) -> RemedyView:
    amount = format_pounds(r.amount_pence) if r.amount_pence else ""
    if amount and amount in (r.description or ""):
        amount = ""  # the description already says how much: say it once
    return RemedyView(
        kind=r.kind,
        kind_label=REMEDY_KIND_LABELS.get(r.kind, r.kind.replace("-", " ").capitalize()),
        description=clause(r.description),
        by_when=r.by_when,
        amount=amount,
        rationale=r.rationale,
        state=r.state,
        status=_remedy_status(r),
        stage=r.stage_number,
    )


def _action_view(a, owners: Mapping[str, str] | None = None) -> ActionView:
    last = a.updates[-1] if a.updates else None
    owner = getattr(a, "owner_name", "") or (owners or {}).get(a.owner, "") or a.owner
    return ActionView(
        description=clause(a.description),
        owner=owner,
        due=a.due,
        done=a.done,
        completed_on=a.completed_on,
        overdue=a.overdue,
        latest_update=last.text if last else "",
        latest_update_on=last.on if last else None,
        stage=a.stage_number,
    )


def original_due(response_due: date | None, extended_days: int, settings: Settings) -> date | None:
    """The response date before any extension: ``response_due`` less ``extended_days`` working days."""
    if response_due is None or extended_days <= 0:
        return response_due
    cal = settings.calendar()
    day, left = response_due, extended_days
    while left:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            left -= 1
    while not cal.is_working_day(day):  # pragma: no cover - a due date is always a working day
        day -= timedelta(days=1)
    return day


def stage_of(detail, stage: int | None = None):
    """The stage a letter is about: ``stage`` if given, else the case's current stage."""
    number = stage or detail.header.stage
    found = next((s for s in detail.stages if s.number == number), None)
    if found is None:
        raise ValueError(f"{detail.header.reference} has no Stage {number}")
    return found


def ombudsman_for(detail, settings: Settings) -> Ombudsman:
    """The Ombudsman for the case's service area: LGSCO for other council services, else HOS."""
    return settings.ombudsman_for(detail.header.service_area)


def letter_context(
    detail,
    settings: Settings,
    today: date,
    *,
    kind: str = "response",
    stage: int | None = None,
    recipient: str = "usual",
) -> dict[str, Any]:
    """Everything a template may use, for ``detail`` at ``stage`` (default: its current stage).

    Free-text parts (``opening``, ``reasons_text``, ``closing``) get their defaults here;
    :func:`caseworker.letters.render` replaces them with an officer's edits.
    """
    st = stage_of(detail, stage)
    org = settings.organisation
    omb = ombudsman_for(detail, settings)
    effects = adjustment_effects(detail, org.phone)
    addressee = addressee_for(detail, effects, recipient)
    if addressee.role == "member":
        effects = NO_EFFECTS  # the resident's adjustments are for the resident, not their MP or councillor
    remedies = [_remedy_view(r) for r in detail.remedies if r.stage_number == st.number]
    actions = [_action_view(a) for a in detail.actions if a.stage_number == st.number]
    # Every open action on the case, whichever stage it came from (6.17), and this stage's done ones.
    open_actions = [_action_view(a) for a in detail.actions if not a.done]
    done_actions = [_action_view(a) for a in detail.actions if a.done and a.stage_number == st.number]
    exclusions = {x.kind: x for x in detail.exclusions}  # the latest of each kind
    ext = st.extensions[-1] if st.extensions else None
    ctx: dict[str, Any] = {
        "kind": kind,
        "today": today,
        "reference": detail.header.reference,
        "case": detail.header,
        "service_area": detail.header.service_area,
        "org": org,
        "org_address": tuple(org.address),
        "signature_lines": text_lines(org.signature) or [org.complaints_team],
        "ombudsman": omb,
        "ombudsman_time_limit": (MEMBER_TIME_LIMITS if addressee.role == "member" else TIME_LIMITS).get(
            omb.key, (MEMBER_TIME_LIMITS if addressee.role == "member" else TIME_LIMITS)["hos"]
        ),
        "resident": detail.resident,
        "representative": detail.representative,
        "addressee": addressee,
        # To an MP or councillor the letter speaks of their constituent, never "your complaint".
        **spoken_of(addressee),
        "stage": st.number,
        "stage_name": f"Stage {st.number}",
        "final": st.number == 2,
        "stage_info": st,
        "officer_name": st.officer_name or detail.header.officer_name,
        # An officer's job title, once the officer record holds one (signature line under the name).
        "officer_title": getattr(st, "officer_title", "") or getattr(detail.header, "officer_title", ""),
        "received": detail.header.received,
        "requested": st.requested,
        "acknowledged": st.acknowledged,
        "response_due": st.response_due,
        "responded": st.responded,
        "issues": text_lines(st.issues),
        "outcomes": text_lines(st.outcomes),
        "responsible": text_lines(st.responsible),
        "not_responsible": text_lines(st.not_responsible),
        "decision": st.decision,
        "decision_label": DECISION_LABELS.get(st.decision, st.decision.replace("-", " ")),
        "reasons": st.reasons,
        "remedies": remedies,
        "no_remedy": st.no_remedy,
        "actions": actions,
        "no_actions": st.no_actions,
        "open_actions": open_actions,
        "done_actions": done_actions,
        "all_actions": [_action_view(a) for a in detail.actions],
        "offered_remedies": [_remedy_view(r) for r in detail.remedies if r.state == "offered"],
        "settled_remedies": [_remedy_view(r) for r in detail.remedies if r.state not in ("offered", "declined")],
        "earlier_remedies": [_remedy_view(r) for r in detail.remedies if r.stage_number < st.number],
        "extension": ext,
        "extensions": list(st.extensions),
        "extended_days": sum(e.working_days for e in st.extensions),
        "original_due": original_due(st.response_due, sum(e.working_days for e in st.extensions), settings),
        "not_accepted": exclusions.get("not-accepted"),
        "escalation_refused": exclusions.get("escalation-refused"),
        "large_print": effects.large_print,
        "font_pt": (effects.large_print_pt or settings.large_print_pt) if effects.large_print else 12.0,
        "easy_read": effects.easy_read,
        "adjustments": list(effects.kinds),
    }
    subject = SUBJECTS[kind].format(stage=st.number) if kind in SUBJECTS else ""
    if addressee.role == "member":
        subject = subject.replace("Your complaint", f"Your constituent {detail.resident.name}'s enquiry")
    ctx["subject"] = f"{subject} ({detail.header.reference})" if subject else ""
    ctx["covering_note"] = covering_note(kind, ctx, effects, addressee)
    ctx.update(free_text_defaults(kind, ctx))
    return ctx


def spoken_of(addressee: Addressee) -> dict[str, Any]:
    """How a letter speaks of the resident to its addressee: ``member`` (True for an MP or
    councillor), ``your`` / ``Your`` ("your", or "your constituent's" to a member) and ``you``
    ("you", or "your constituent"), so the templates never tell a member "your complaint"."""
    member = addressee.role == "member"
    return {
        "member": member,
        "your": "your constituent's" if member else "your",
        "Your": "Your constituent's" if member else "Your",
        "you": "your constituent" if member else "you",
    }


def extension_reasons(extensions) -> str:
    """Every extension's reason, and the good reason for going past the cap, one paragraph each."""
    parts = []
    for e in extensions:
        text = e.reason.strip()
        if e.good_reason.strip():
            text += f"\n{e.good_reason.strip()}"
        parts.append(text)
    return "\n\n".join(p for p in parts if p)


def _resident_opening(kind: str, stage: int, received: str, requested: str) -> str:
    """The default opening of a letter to the resident (or their representative)."""
    return {
        "acknowledgement": (
            f"Thank you for your complaint, which we received on {received}. This letter sets out what we "
            "understand your complaint to be, who is dealing with it and when you will have our response."
            if stage == 1
            else f"Thank you for asking us, on {requested}, to look at your complaint again. This letter sets out what "
            "we understand your complaint to be, who is dealing with it and when you will have our final response."
        ),
        "extension": (
            f"We are writing about your complaint at Stage {stage} of our complaints procedure. We are sorry, but "
            "we need more time to give you a full response."
        ),
        "response": (
            "Thank you for your patience while we looked into your complaint. This letter sets out what we found, "
            "what we have decided and why, and what happens next."
        ),
        "not-accepted": (
            f"Thank you for contacting us on {received}. We have considered carefully whether we can deal with "
            "what you raised as a complaint under our complaints procedure, and we have decided that we cannot "
            "accept it."
        ),
        "escalation-refused": (
            "Thank you for asking us" + (f", on {requested}," if stage == 2 else "") + " to escalate your complaint "
            "to Stage 2 of our complaints procedure. We have considered your request carefully and we have decided "
            "that we cannot escalate it."
        ),
        "action-update": (
            "When we responded to your complaint we told you about some actions we would take. This letter tells "
            "you how they are progressing."
        ),
        "remedy-offer": (
            "We are sorry for what went wrong. This letter sets out what we will do to put things right, and by when."
        ),
    }[kind]


def free_text_defaults(kind: str, ctx: Mapping[str, Any]) -> dict[str, str]:
    """The default wording of each free-text part of a ``kind`` letter (to an MP or councillor,
    about their constituent by name: never "your complaint")."""
    org, stage = ctx["org"], ctx["stage"]
    received, requested = long_date(ctx["received"]), long_date(ctx["requested"])
    if ctx.get("member"):
        name = ctx["resident"].name
        whose = f"{name}'s"
        opening = {
            "acknowledgement": (
                f"Thank you for your enquiry about {whose} complaint, which we received on {received}. This letter "
                f"sets out what we understand {whose} complaint to be, who is dealing with it and when we will respond."
                if stage == 1
                else f"On {requested} we were asked to look at {whose} complaint again. This letter sets out what we "
                f"understand the complaint to be, who is dealing with it and when we will send our final response."
            ),
            "extension": (
                f"We are writing about {whose} complaint at Stage {stage} of our complaints procedure. We are sorry, "
                f"but we need more time to give a full response."
            ),
            "response": (
                f"Thank you for your patience while we looked into {whose} complaint. This letter sets out what we "
                "found, what we have decided and why, and what happens next."
            ),
            "not-accepted": (
                f"Thank you for contacting us on {received} about {name}. We have considered carefully whether we can "
                f"deal with what {name} raised as a complaint under our complaints procedure, and we have decided "
                "that we cannot accept it."
            ),
            "escalation-refused": (
                "Thank you for asking us"
                + (f", on {requested}," if stage == 2 else "")
                + f" to escalate {whose} complaint to Stage 2 of our complaints procedure. We have considered the "
                "request carefully and we have decided that we cannot escalate it."
            ),
            "action-update": (
                f"When we responded to {whose} complaint we said we would take some actions. This letter tells you "
                "how they are progressing."
            ),
            "remedy-offer": (
                f"We are sorry for what went wrong for {name}. This letter sets out what we will do to put things "
                "right, and by when."
            ),
        }[kind]
    else:
        opening = _resident_opening(kind, stage, received, requested)
    closing = (
        f"If anything in this letter is wrong or unclear, or you need it in another format, please contact our "
        f"{org.complaints_team} on {org.phone} or at {org.email}, quoting reference {ctx['reference']}."
    )
    defaults = {"opening": opening, "closing": closing}
    if "reasons_text" in FREE_TEXT[kind]:
        source = {
            "response": ctx["reasons"],
            "extension": extension_reasons(ctx["extensions"]),
            "not-accepted": ctx["not_accepted"].reasons if ctx["not_accepted"] else "",
            "escalation-refused": ctx["escalation_refused"].reasons if ctx["escalation_refused"] else "",
        }[kind]
        defaults["reasons_text"] = source or ""
    return defaults
