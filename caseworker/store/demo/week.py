"""The demo's current week, recorded through the services (rules checked, audited) once the bulk
history is in: what a trainee should find on opening the demo.

- two extension requests past the cap waiting in the supervisors' queue (F10; rule 14);
- an interval of updates agreed with the resident on an extended case (5.9), so the next
  update stands as a deadline in the inbox and on the board;
- documents on two live cases (the resident's email, a surveyor's note) and one withdrawn with
  its reason (5.12);
- service requests of the last few weeks that are not complaints (1.4), one of them closed.

Every step is done as the officer who would do it; a step the rules refuse on a particular
build (a case no longer fitting) is skipped, never forced.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from sqlalchemy import Engine, select

from caseworker.clock import Clock
from caseworker.config import Settings
from caseworker.rules.facts import Extension
from caseworker.store import models as m
from caseworker.store.context import Store
from caseworker.store.demo.data import SERVICE_ASKS, SERVICE_DONE, STAGE1_POOL

EMAIL = """From: {name}
To: complaints@example.gov.uk
Subject: Complaint {ref}

Dear Complaints Team,

I am writing again about my complaint. Nothing has changed since I first reported it and I would
like to know when it will be put right.

Yours faithfully,
{name}
"""
SURVEY = """Surveyor's visit note, {ref}

Visited the property with the resident's agreement. Findings recorded with photographs on file.
Recommended works passed to the service team with a target of 20 working days.
"""


def _live_cases(store: Store) -> list[tuple[int, str, int, str, str, str]]:
    """Stage 1 cases awaiting their response, the response not yet due, held by a plain officer:
    (case id, reference, version, officer login, resident name, service area), oldest first."""
    today = store.today()
    with store.session() as s:
        rows = s.execute(
            select(m.Case.id, m.Case.reference, m.Case.version, m.Officer.login, m.Resident.name, m.Case.service_area)
            .join(m.Officer, m.Officer.id == m.Case.officer_id)
            .join(m.Resident, m.Resident.id == m.Case.resident_id)
            .where(
                m.Case.status == "open",
                m.Case.stage == 1,
                m.Case.next_due_kind == "respond",
                m.Case.next_due >= today,
                m.Officer.role == "officer",
            )
            .order_by(m.Case.received, m.Case.id)
        ).all()
    return [tuple(r) for r in rows]


def finish_week(engine: Engine, settings: Settings, today: date, seed: int) -> None:
    """Record the demo's current week through the services (see the module's docstring)."""
    from caseworker.store import services as sv

    store = Store(engine, settings, Clock.at(today))
    rng = random.Random(seed + 14)
    cases = _live_cases(store)
    used: set[int] = set()

    # Extension requests past the cap, waiting for a supervisor who does not hold the case (F10).
    asked = 0
    for cid, _ref, version, officer, _name, area in cases:
        if asked == 2:
            break
        ext = Extension(
            15,
            f"The {area.lower()} investigation needs a specialist's report, which cannot be ready in time.",
            today,
            "The specialist cannot visit sooner; the resident agreed to wait for a full answer.",
        )
        try:
            sv.request_extension(store, officer, cid, version, ext)
        except sv.DomainError:
            continue
        used.add(cid)
        asked += 1

    # An extension within the cap, with the updates agreed with the resident (5.9).
    for cid, _ref, version, officer, _name, area in cases:
        if cid in used:
            continue
        try:
            sv.extend(
                store, officer, cid, version, Extension(5, f"Waiting for the {area.lower()} team's records.", today)
            )
            sv.agree_update_interval(store, officer, cid, 2, today, how="phone", notes="Resident asked for calls")
        except sv.DomainError:
            continue
        used.add(cid)
        break

    # Documents on the record: the resident's email and a surveyor's note; a wrong one withdrawn.
    attached = 0
    for cid, ref, _version, officer, name, _area in cases:
        if attached == 2 or cid in used:
            continue
        sv.attach_document(
            store, officer, cid, f"{ref} email from resident.eml", EMAIL.format(name=name, ref=ref).encode()
        )
        doc = sv.attach_document(
            store,
            officer,
            cid,
            "surveyor visit note.txt",
            SURVEY.format(ref=ref).encode(),
            description="surveyor's visit note",
        )
        if attached == 1:
            sv.withdraw_document(store, officer, doc, "Attached to the wrong case: the note is for a neighbour's flat")
        attached += 1
        used.add(cid)

    # Service requests of the last few weeks that are not complaints (1.4), one closed.
    with store.session() as s:
        residents = [r for (r,) in s.execute(select(m.Resident.id).order_by(m.Resident.id).limit(200)).all()]
    if residents:
        for i, area in enumerate(("Repairs", "Waste", "Estate services", "Council Tax")):
            received = today - timedelta(days=rng.randint(2, 25))
            owner = rng.choice(STAGE1_POOL)
            try:
                sid = sv.add_service_request(
                    store, owner, rng.choice(residents), received, area, rng.choice(SERVICE_ASKS[area]), owner=owner
                )
                if i == 1:
                    sv.close_service_request(store, owner, sid, SERVICE_DONE[area])
            except sv.DomainError:
                continue


__all__ = ["finish_week"]
