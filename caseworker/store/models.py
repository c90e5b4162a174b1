"""SQLModel tables: the complaint record the Code (5.12) requires, and its append-only audit.

Enumerations are stored as their string values (see ``rules.lifecycle``) so the database
stays readable by a council's own reporting tools. Money is integer pence. Timestamps are
timezone-aware UTC. Only ``store.services`` writes to these tables; screens never import them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlmodel import Field, SQLModel


def _text() -> Column:
    return Column(Text, nullable=False, server_default="")


class Versioned(SQLModel):
    """Who last changed a record two officers can change, when, and its version.

    The services bump ``version`` in the same transaction as the change, only if it still
    holds the version the officer read (``services.base.claim_row``): of two officers saving
    at once exactly one succeeds, and the other is told who changed it and when.
    """

    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    updated_at: datetime | None = None
    updated_by: str = Field(default="", max_length=120, sa_column_kwargs={"server_default": ""})


def _short(length: int) -> Column:
    # default too, so bulk Core inserts (import, demo) that leave the column out store "".
    return Column(String(length), nullable=False, default="", server_default="")


class Officer(Versioned, table=True):
    """Someone who works cases: officer, supervisor or administrator.

    ``login`` is who they are to the system (the operating-system account on a laptop, the
    PostgreSQL role in team mode); ``name`` (full name) and ``title`` (job title) are what
    letters, screens and reports show; ``email`` and ``phone`` are the contact line letters give.
    """

    id: int | None = Field(default=None, primary_key=True)
    login: str = Field(index=True, unique=True, max_length=120)
    name: str = Field(max_length=200)
    title: str = Field(default="", sa_column=_short(200))
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", sa_column=_short(60))
    role: str = Field(default="officer", max_length=20)
    active: bool = True
    created_at: datetime


class Resident(Versioned, table=True):
    """A resident who complains (or on whose behalf someone does). Their name, address and
    contacts are corrected under the version check (``services.corrections.correct_person``)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, max_length=200)
    address: str = Field(default="", sa_column=_text())
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=60)
    preferred_channel: str = Field(default="", max_length=40)
    vulnerable: bool = False
    vulnerability_notes: str = Field(default="", sa_column=_text())
    created_at: datetime


class Representative(Versioned, table=True):
    """Someone acting for a resident, with the resident's consent recorded (3.6); for an MP or
    councillor enquiry, the member, with their office address (letters go there)."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    name: str = Field(max_length=200)
    relationship: str = Field(default="", max_length=100)  # e.g. advocate, family member, MP
    address: str = Field(default="", sa_column=_text())
    email: str = Field(default="", max_length=200)
    phone: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    consent_recorded: bool = False
    consent_date: date | None = None
    consent_notes: str = Field(default="", sa_column=_text())
    created_at: datetime


class Disability(SQLModel, table=True):
    """A disability the resident has disclosed (5.10)."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    description: str = Field(sa_column=_text())
    disclosed_on: date
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class Adjustment(Versioned, table=True):
    """A reasonable adjustment agreed with a resident, kept under active review (5.10)."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    kind: str = Field(max_length=60)  # large print, easy read, interpreter, BSL, braille, ...
    details: str = Field(default="", sa_column=_text())
    agreed_on: date
    review_date: date = Field(index=True)
    active: bool = True
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class Restriction(Versioned, table=True):
    """A contact restriction for unacceptable behaviour (5.14, 5.15)."""

    id: int | None = Field(default=None, primary_key=True)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    restriction: str = Field(sa_column=_text())
    evidence: str = Field(sa_column=_text())
    authorised_by: str = Field(max_length=120)
    starts_on: date
    review_date: date = Field(index=True)
    active: bool = True
    created_at: datetime


class Review(SQLModel, table=True):
    """A review of an adjustment or restriction: what was decided and the next review date."""

    id: int | None = Field(default=None, primary_key=True)
    subject: str = Field(max_length=20)  # "adjustment" or "restriction"
    subject_id: int = Field(index=True)
    reviewed_on: date
    outcome: str = Field(sa_column=_text())
    next_review: date | None = None
    reviewed_by: str = Field(max_length=120)
    created_at: datetime


class ServiceRequest(Versioned, table=True):
    """A service request (1.4): not a complaint, but recorded, monitored and reviewed."""

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(index=True, unique=True, max_length=40)
    resident_id: int = Field(foreign_key="resident.id", index=True)
    received: date
    service_area: str = Field(max_length=100)
    description: str = Field(sa_column=_text())
    status: str = Field(default="open", max_length=20, index=True)  # "open" or "closed"
    owner: str = Field(default="", max_length=120)  # login of the officer who owns it
    closed_on: date | None = None
    closed_by: str = Field(default="", max_length=120)
    outcome: str = Field(default="", sa_column=_text())  # what was done, when closed
    created_at: datetime


class Case(SQLModel, table=True):
    """A complaint, MP enquiry or councillor enquiry, with its denormalised next deadline.

    ``next_due``, ``next_due_kind`` and ``officer_id`` are kept by the services so the
    inbox and deadline board are plain indexed queries. ``version`` guards against two
    officers saving the same case at once.
    """

    __tablename__ = "complaint_case"
    __table_args__ = (
        Index("ix_case_open_due", "closed", "next_due", "id"),
        Index("ix_case_officer_due", "officer_id", "closed", "next_due", "id"),
        Index("ix_case_status_due", "status", "next_due", "id"),  # the inbox's status filter
        Index("ix_case_stage_due", "closed", "stage", "next_due", "id"),  # its stage filter
        Index("ix_case_officer_stage_due", "officer_id", "closed", "stage", "next_due", "id"),  # my cases, a stage
        Index("ix_case_resident_open", "resident_id", "closed", "next_due", "id"),  # a resident's open cases
        # the same, of open cases only (0012a: search by name probes it once per resident matched)
        Index(
            "ix_open_case_resident",
            "resident_id",
            "closed",
            "next_due",
            "id",
            sqlite_where=sql_text("closed = 0"),
            postgresql_where=sql_text("NOT closed"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    reference: str = Field(index=True, unique=True, max_length=40)
    case_type: str = Field(default="complaint", max_length=30)
    # no index of its own: ix_case_resident_open leads with it (0013a)
    resident_id: int = Field(foreign_key="resident.id")
    representative_id: int | None = Field(default=None, foreign_key="representative.id")
    channel: str = Field(default="", max_length=40)
    service_area: str = Field(default="", max_length=100, index=True)
    category: str = Field(default="", max_length=100)
    summary: str = Field(default="", sa_column=_text())
    received: date = Field(index=True)  # when the resident first complained to anyone at the landlord (3.2)
    logged: date | None = None  # when it was logged, if later than received; clocks run from received
    issue_date: date | None = None
    discretion_reason: str = Field(default="", sa_column=_text())
    policy_key: str = Field(default="hoc-2024", max_length=60)
    stage: int = 1
    # no index of its own: ix_case_status_due leads with it (0013a; PostgreSQL keeps ix_case_status_pg)
    status: str = Field(default="awaiting-acknowledgement", max_length=30)
    closed: bool = False  # no live Code deadline (responded, closed, withdrawn, ...)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    next_due: date | None = None
    next_due_kind: str = Field(default="", max_length=20)
    related_case_id: int | None = Field(default=None, foreign_key="complaint_case.id", index=True)
    service_request_id: int | None = Field(default=None, foreign_key="servicerequest.id")
    version: int = 1
    created_at: datetime
    updated_at: datetime
    updated_by: str = Field(default="", max_length=120)


class Stage(SQLModel, table=True):
    """One stage of a case with its complaint definition and response."""

    __table_args__ = (UniqueConstraint("case_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    number: int
    officer_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    requested: date  # received at Stage 1; the escalation request at Stage 2
    request_reason: str = Field(default="", sa_column=_text())  # optional: never required (6.12)
    acknowledged: date | None = None
    responded: date | None = None
    ack_due: date | None = None
    response_due: date | None = None
    issues: str = Field(default="", sa_column=_text())
    outcomes: str = Field(default="", sa_column=_text())
    responsible: str = Field(default="", sa_column=_text())
    not_responsible: str = Field(default="", sa_column=_text())
    decision: str = Field(default="", max_length=20)
    reasons: str = Field(default="", sa_column=_text())
    no_remedy: bool = False
    no_actions: bool = False
    #: The profile this stage is worked under when it is not the case's ("" = the case's):
    #: a Stage 2 requested on or after 1 April 2024 on a 2022-Code case.
    policy_key: str = Field(default="", max_length=60, sa_column_kwargs={"server_default": ""})
    #: The response date promised to the resident in an issued letter (acknowledgement or
    #: extension), which stays the stage's deadline while no extension has been counted since.
    promised_due: date | None = None
    promised_ext_days: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    promised_in: str = Field(default="", max_length=30, sa_column_kwargs={"server_default": ""})


class Extension(SQLModel, table=True):
    """An extension to a stage's response deadline (6.4, 6.5, 6.15, 6.16)."""

    id: int | None = Field(default=None, primary_key=True)
    stage_id: int = Field(foreign_key="stage.id", index=True)
    working_days: int
    reason: str = Field(sa_column=_text())
    good_reason: str = Field(default="", sa_column=_text())
    approved_by: str | None = Field(default=None, max_length=120)
    beyond_cap: bool = False
    told_late: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})  # after the response was due
    resident_told: date
    recorded_on: date
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class ExtensionRequest(Versioned, table=True):
    """An officer's request for an extension past the cap, awaiting a supervisor (6.4, 6.15, rule 14).

    The clock keeps running while it waits: nothing changes the due date until a supervisor who
    does not hold the case approves it (an :class:`Extension` row is then written, linked here).
    ``state`` is "pending", "approved" or "declined"; a decision records who, when and why.
    """

    __tablename__ = "extension_request"
    __table_args__ = (Index("ix_extension_request_state", "state", "requested_at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    stage_id: int = Field(foreign_key="stage.id")
    working_days: int
    reason: str = Field(sa_column=_text())
    good_reason: str = Field(sa_column=_text())
    resident_told: date
    requested_by: str = Field(max_length=120)
    requested_at: datetime
    state: str = Field(default="pending", max_length=20)
    decided_by: str | None = Field(default=None, max_length=120)
    decided_at: datetime | None = None
    decision_reason: str = Field(default="", sa_column=_text())
    extension_id: int | None = Field(default=None, foreign_key="extension.id")


class Exclusion(SQLModel, table=True):
    """A decision not to accept a complaint or not to escalate it, with its section 2 ground."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    kind: str = Field(max_length=30)  # "not-accepted" or "escalation-refused"
    ground: str = Field(max_length=40)
    reasons: str = Field(sa_column=_text())
    decided_on: date
    decided_by: str = Field(max_length=120)
    created_at: datetime


class Remedy(Versioned, table=True):
    """A remedy offered (section 7): what will happen and by when, and how far it has got."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    stage_number: int
    kind: str = Field(max_length=20)
    description: str = Field(sa_column=_text())
    by_when: date
    amount_pence: int | None = None
    guidance_key: str = Field(default="", max_length=60)
    calculation_basis: str = Field(default="", sa_column=_text())
    rationale: str = Field(default="", sa_column=_text())
    state: str = Field(default="offered", max_length=20)
    offered_on: date
    accepted_on: date | None = None
    declined_on: date | None = None
    paid_on: date | None = None
    completed_on: date | None = None
    payment_reference: str = Field(
        default="", max_length=60, sa_column_kwargs={"server_default": ""}
    )  # "" not recorded
    guidance_reason: str = Field(default="", sa_column=_text())  # why guidance not in force was used (7.4)
    created_at: datetime


class Action(Versioned, table=True):
    """An outstanding action after a response (6.6, 6.17)."""

    __table_args__ = (Index("ix_action_open_due", "done", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    stage_number: int
    description: str = Field(sa_column=_text())
    owner: str = Field(max_length=120)
    due: date
    done: bool = False
    completed_on: date | None = None
    created_at: datetime


class ActionUpdate(SQLModel, table=True):
    """An update on an outstanding action, and whether the resident was told."""

    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(foreign_key="action.id", index=True)
    on: date
    text: str = Field(sa_column=_text())
    resident_told: bool = False
    by: str = Field(max_length=120)
    created_at: datetime


class Correspondence(SQLModel, table=True):
    """A note, letter, email or call on a case; issued letters keep their rendered text."""

    __table_args__ = (Index("ix_correspondence_case_at", "case_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    kind: str = Field(max_length=20)  # note, letter, email, phone, visit
    direction: str = Field(default="internal", max_length=10)  # in, out, internal
    letter_kind: str = Field(default="", max_length=30)
    subject: str = Field(default="", max_length=300)
    body: str = Field(default="", sa_column=_text())
    #: An issued letter as sent: the date printed on it and its print choices (JSON: stage,
    #: addressee, channel, large print size, easy read, logo, footer), so a reprint is the same.
    letter_date: date | None = None
    letter_format: str = Field(default="", sa_column=Column(Text, nullable=False, server_default="", default=""))
    dated: date | None = None  # the date it was made or sent (a chaser, a call), when not the day recorded
    at: datetime
    by: str = Field(max_length=120)


class AuditEvent(SQLModel, table=True):
    """One entry of the append-only case history: who, when, what, before and after (5.12).

    Never updated or deleted: the services only insert, and database triggers refuse
    UPDATE and DELETE on this table (PostgreSQL and SQLite alike).
    """

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_case_at", "case_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    at: datetime
    actor: str = Field(max_length=120)
    case_id: int | None = Field(default=None)
    action: str = Field(max_length=60)
    detail: str = Field(default="", sa_column=_text())
    before: str = Field(default="", sa_column=_text())  # JSON
    after: str = Field(default="", sa_column=_text())  # JSON


class Setting(SQLModel, table=True):
    """Key-value settings kept in the database (e.g. the closure days last used for due dates)."""

    key: str = Field(primary_key=True, max_length=80)
    value: str = Field(default="", sa_column=_text())


class ImportBatch(SQLModel, table=True):
    """One tracker import: the file, who and when, and the id ranges of what it created.

    The import holds the write lock while it allocates ids, so what one batch created is
    exactly the ids ``*_first`` to ``*_last`` (0 to 0 when it created none): undoing the batch
    removes those rows, unless anything has been done to them since (audit events after
    ``audit_last``).
    """

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    source: str = Field(max_length=300)
    kind: str = Field(default="", max_length=100)
    imported_at: datetime
    imported_by: str = Field(max_length=120)
    rows: int = 0
    case_first: int = 0
    case_last: int = 0
    resident_first: int = 0
    resident_last: int = 0
    officer_first: int = 0
    officer_last: int = 0
    audit_last: int = 0
    undone_at: datetime | None = None
    undone_by: str = Field(default="", max_length=120)


# The year's account (Ombudsman cases, learning, self-assessment) lives in its own module;
# importing it here registers its tables with the rest.
from caseworker.store.models_account import (  # noqa: E402, F401
    AnnualAccount,
    CaseLearning,
    ImprovementCase,
    OmbudsmanCase,
    OmbudsmanFinding,
    OmbudsmanOrder,
    ProvisionAssessment,
    ServiceImprovement,
)

# -- the working week: documents, agreed update intervals, updates given, action owners --

#: An action's owner finds it in their own inbox: open actions by owner, with the case (covering).
Index("ix_action_owner_open_case", Action.__table__.c.owner, Action.__table__.c.done, Action.__table__.c.case_id)


class Document(SQLModel, table=True):
    """A file on the case record (5.12), stored inside the database so team mode holds it too.

    Never altered once stored (database triggers refuse UPDATE and DELETE); a wrong
    attachment is withdrawn with a reason (:class:`DocumentWithdrawal`), never deleted.
    """

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    name: str = Field(max_length=255)
    media_type: str = Field(default="application/octet-stream", max_length=120)
    size: int  # bytes
    sha256: str = Field(max_length=64)
    description: str = Field(default="", sa_column=_text())
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    added_by: str = Field(max_length=120)
    added_at: datetime


class DocumentWithdrawal(SQLModel, table=True):
    """A document withdrawn from the case record, why and by whom (it stays stored)."""

    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id", index=True, unique=True)
    reason: str = Field(sa_column=_text())
    by: str = Field(max_length=120)
    at: datetime


class UpdateInterval(SQLModel, table=True):
    """How often the resident agreed to be updated while a response is late or extended (5.9)."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    stage_number: int
    every_days: int  # working days between updates
    agreed_on: date
    how: str = Field(default="", max_length=40)  # the channel agreed (phone, email, letter, ...)
    notes: str = Field(default="", sa_column=_text())
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class ResidentUpdate(SQLModel, table=True):
    """An update given to the resident on progress (5.9, 6.6): when, how and what they were told."""

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    given_on: date
    how: str = Field(default="", max_length=40)
    summary: str = Field(sa_column=_text())
    by: str = Field(max_length=120)
    created_at: datetime
