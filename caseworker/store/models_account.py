"""SQLModel tables for the year's account (Code 8.1 and section 9): cases that went to the
Ombudsman with their findings and orders, learning from complaints (root cause, themes,
the service-improvement register) and the self-assessment kept per financial year.

Imported by :mod:`caseworker.store.models`, so every table is registered with the others.
Only ``store.services`` writes to these tables.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, Text
from sqlmodel import Field, SQLModel

from caseworker.store.models import Versioned


def _text() -> Column:
    return Column(Text, nullable=False, server_default="")


class OmbudsmanCase(SQLModel, table=True):
    """A complaint the resident took to the Ombudsman (HOS or LGSCO), with its dates.

    ``chfo_on`` and ``chfo_details``: a complaint-handling failure order made on the case.
    """

    __tablename__ = "ombudsman_case"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", index=True)
    ombudsman: str = Field(max_length=10)  # "hos" or "lgsco"
    reference: str = Field(max_length=60)
    referred_on: date
    info_requested_on: date | None = None
    info_sent_on: date | None = None
    determined_on: date | None = Field(default=None, index=True)
    chfo_on: date | None = None
    chfo_details: str = Field(default="", sa_column=_text())
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class OmbudsmanFinding(SQLModel, table=True):
    """The Ombudsman's finding on one element of the complaint (maladministration, ...)."""

    __tablename__ = "ombudsman_finding"

    id: int | None = Field(default=None, primary_key=True)
    ombudsman_case_id: int = Field(foreign_key="ombudsman_case.id", index=True)
    element: str = Field(sa_column=_text())
    finding: str = Field(max_length=40)
    created_at: datetime


class OmbudsmanOrder(Versioned, table=True):
    """An order or recommendation of the Ombudsman, due by a date, and its completion."""

    __tablename__ = "ombudsman_order"
    __table_args__ = (Index("ix_ombudsman_order_case_open", "case_id", "completed_on", "due"),)

    id: int | None = Field(default=None, primary_key=True)
    ombudsman_case_id: int = Field(foreign_key="ombudsman_case.id", index=True)
    case_id: int = Field(foreign_key="complaint_case.id")
    kind: str = Field(max_length=20)  # "order" or "recommendation"
    description: str = Field(sa_column=_text())
    due: date
    completed_on: date | None = None
    evidence: str = Field(default="", sa_column=_text())
    created_at: datetime


class CaseLearning(SQLModel, table=True):
    """What a complaint taught: its root cause and themes (Code 9.1, 9.2). One row per case."""

    __tablename__ = "case_learning"

    case_id: int = Field(foreign_key="complaint_case.id", primary_key=True)
    root_cause: str = Field(default="", max_length=100)
    themes: str = Field(default="", sa_column=_text())  # one theme per line
    recorded_by: str = Field(max_length=120)
    updated_at: datetime


class ServiceImprovement(Versioned, table=True):
    """One entry of the service-improvement register: what changed, who owns it, how far it got."""

    __tablename__ = "service_improvement"

    id: int | None = Field(default=None, primary_key=True)
    what_changed: str = Field(sa_column=_text())
    service_area: str = Field(default="", max_length=100)
    owner: str = Field(max_length=200)
    status: str = Field(max_length=20)  # "planned", "in-progress", "done"
    status_on: date = Field(index=True)
    recorded_by: str = Field(max_length=120)
    created_at: datetime


class ImprovementCase(SQLModel, table=True):
    """A complaint that prompted a service improvement."""

    __tablename__ = "improvement_case"

    improvement_id: int = Field(foreign_key="service_improvement.id", primary_key=True)
    case_id: int = Field(foreign_key="complaint_case.id", primary_key=True, index=True)


class ProvisionAssessment(SQLModel, table=True):
    """The self-assessment of one Code provision for one financial year (named by its start year)."""

    __tablename__ = "provision_assessment"

    year: int = Field(primary_key=True)
    provision: str = Field(primary_key=True, max_length=10)
    complies: str = Field(default="", max_length=10)  # "yes", "no", "partly" or "" (not yet assessed)
    evidence: str = Field(default="", sa_column=_text())
    commentary: str = Field(default="", sa_column=_text())
    updated_by: str = Field(max_length=120)
    updated_at: datetime
    #: Bumped by every save (``services.base.claim_row``), so of two officers saving one
    #: provision at once exactly one succeeds.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})


class AnnualAccount(SQLModel, table=True):
    """What the year's report carries beyond the record: the Ombudsman's annual letter (its
    key points), the governing body's response, and the supervisor's approval of the
    self-assessment."""

    __tablename__ = "annual_account"

    year: int = Field(primary_key=True)
    letter_received_on: date | None = None
    letter_key_points: str = Field(default="", sa_column=_text())
    response_on: date | None = None
    governing_body_response: str = Field(default="", sa_column=_text())
    approved_by: str = Field(default="", max_length=120)
    approved_at: datetime | None = None
    updated_by: str = Field(default="", max_length=120)
    updated_at: datetime | None = None
    #: Bumped by every save of any of the three parts (``services.base.claim_row``), so of two
    #: officers recording the year's parts at once exactly one succeeds.
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
