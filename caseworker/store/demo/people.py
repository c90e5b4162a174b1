"""The demo's people and registers: officers (and the person at the keyboard), residents,
disabilities and reasonable adjustments (about a third with the review overdue),
representatives with consent, contact restrictions and service requests, each with its
audit event.

The first dozen residents carry the adjustments, restrictions and vulnerabilities the demo
must show; the rest are drawn at random.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from caseworker.store.demo.base import BuilderBase
from caseworker.store.demo.data import (
    AREAS,
    BLOCKS,
    COUNCILLORS,
    DEMO_TITLES,
    DISABILITIES,
    FIRST,
    INTERPRETERS,
    MEMBER_OFFICES,
    MPS,
    OFFICERS,
    RESTRICTIONS,
    SERVICE_ASKS,
    SERVICE_DONE,
    STAGE1_POOL,
    STREETS,
    SUPERVISORS,
    SURNAMES,
    TOWN,
    VULNERABILITY,
)
from caseworker.store.demo.model import Off


class PeopleRows(BuilderBase):
    """Rows for officers, residents, their registers and representatives, and service requests."""

    # -- people --------------------------------------------------------------------------

    def add_officers(self) -> None:
        """The demo team: officers, supervisors and an administrator, with job titles and phone lines."""
        created = datetime.combine(self.history_start - timedelta(days=400), datetime.min.time(), UTC)
        people = list(OFFICERS)
        me = self.me
        if me not in {p[0] for p in people}:
            people.append((me, display_name(me), "administrator"))
        for login, name, role in people:
            if login == me:
                role = "administrator"
            oid = self.next_id("officer")
            self.officers[login] = Off(oid, login, name, role)
            self.rows["officer"].append(
                {
                    "id": oid,
                    "login": login,
                    "name": name,
                    "title": DEMO_TITLES[role],
                    "email": f"{login}@example.gov.uk",
                    "phone": f"01632 960{100 + oid:03d}",
                    "role": role,
                    "active": True,
                    "created_at": created,
                }
            )
            self.audit(
                created.date(),
                "gthompson" if login != "gthompson" else login,
                "officer added",
                f"{login} ({role})",
                None,
                after=json.dumps({"login": login, "role": role}),
            )

    def add_residents(self, count: int) -> list[int]:
        """Residents (planned by :meth:`plan_residents`, then every one's rows); their ids."""
        ids = self.plan_residents(count)
        self.resident_rows(ids)
        return ids

    def plan_residents(self, count: int) -> list[int]:
        """What crosses the worker processes of a large demo (:mod:`.parallel`), decided here: the
        residents' ids, which of them has a representative on file (its id and relationship,
        so a case can name them), and the contact restrictions; their ids. The rest of each
        resident (name, address, registers) is made by :meth:`resident_rows`, in a worker."""
        rng, today = self.rng, self.today
        ids: list[int] = []
        self.first_resident = self.ids["resident"] + 1
        for i in range(count):
            rid = self.next_id("resident")
            ids.append(rid)
            if (i < 12 and i in (3, 7)) or rng.random() < 0.04:
                relationship = self.pick(("advocate", "family member", "support worker"))
                rep = self.next_id("representative")
                self.reps[(rid, relationship)] = rep
                self.planned_reps[rid] = (relationship, rep)
        # Contact restrictions: one or two (more for a large demo), authorised by a supervisor.
        for n in range(max(2, count // 5000)):
            rid = ids[5 + n * 4] if 5 + n * 4 < len(ids) else ids[-1]
            text, evidence = RESTRICTIONS[n % len(RESTRICTIONS)]
            starts = today - timedelta(days=60 + 150 * n)
            review = today + timedelta(days=40) if n % 2 == 0 else today - timedelta(days=9)  # the second is overdue
            self.rows["restriction"].append(
                {
                    "id": self.next_id("restriction"),
                    "resident_id": rid,
                    "restriction": text,
                    "evidence": evidence,
                    "authorised_by": SUPERVISORS[n % 2],
                    "starts_on": starts,
                    "review_date": review,
                    "active": True,
                    "created_at": self.at(starts),
                }
            )
            self.audit(
                starts,
                SUPERVISORS[n % 2],
                "restriction recorded",
                text,
                None,
                after=json.dumps(
                    {"resident_id": rid, "authorised_by": SUPERVISORS[n % 2], "review_date": review.isoformat()}
                ),
            )
        return ids

    def resident_rows(self, ids: list[int]) -> None:
        """The rows of residents ``ids`` (planned by :meth:`plan_residents`): name, address, contact
        details; the first dozen carry the adjustments, restrictions and vulnerabilities the demo
        shows, the rest are drawn at random."""
        rng = self.rng
        used_names: set[str] = set()
        for rid in ids:
            i = rid - self.first_resident
            while True:
                first, last = self.pick(FIRST), self.pick(SURNAMES)
                name = f"{first} {last}"
                if name not in used_names or len(used_names) > len(FIRST) * len(SURNAMES) // 2:
                    used_names.add(name)
                    break
            if rng.random() < 0.35:
                address = f"Flat {self.between(1, 48)}, {self.pick(BLOCKS)}, {self.pick(STREETS)}"
            else:
                address = f"{self.between(1, 180)} {self.pick(STREETS)}"
            address += f", {self.pick(AREAS)}, {TOWN} EX{self.between(1, 9)} {self.between(1, 9)}{self.pick('ABDEFGHJLNPQRSTUWXY')}{self.pick('ABDEFGHJLNPQRSTUWXY')}"
            email = ""
            if rng.random() < 0.65:
                email = (
                    f"{first}.{last}{self.between(1, 99)}@example.{self.pick(('com', 'org', 'net'))}".lower().replace(
                        "'", ""
                    )
                )
            phone = (
                f"07700 900{self.between(0, 999):03d}" if rng.random() < 0.8 else f"01632 960{self.between(0, 999):03d}"
            )
            special = i < 12
            vulnerable = (special and i % 3 == 0) or rng.random() < 0.07
            since = self.history_start - timedelta(days=self.between(30, 3000))
            created = datetime.combine(since, datetime.min.time(), UTC) + timedelta(hours=10)
            self.rows["resident"].append(
                {
                    "id": rid,
                    "name": name,
                    "address": address,
                    "email": email,
                    "phone": phone,
                    "preferred_channel": "email"
                    if email and rng.random() < 0.5
                    else ("phone" if rng.random() < 0.6 else "letter"),
                    "vulnerable": vulnerable,
                    "vulnerability_notes": self.pick(VULNERABILITY) if vulnerable else "",
                    "created_at": created,
                }
            )
            self.audit(since, self.pick(STAGE1_POOL), "resident added", name, None, after=json.dumps({"name": name}))
            if (special and i % 2 == 0) or rng.random() < 0.05:
                self._disability(rid, i, since)
            elif special and i % 4 == 1 or rng.random() < 0.015:
                lang = self.pick(INTERPRETERS)
                self._adjustment(
                    rid, "interpreter", f"{lang} interpreter for calls and meetings; letters translated", since, i
                )
            planned = self.planned_reps.get(rid)
            if planned is not None:
                self._representative(rid, planned[0], since, rep=planned[1])

    def _disability(self, rid: int, i: int, since: date) -> None:
        rng, today = self.rng, self.today
        description, (kind, details) = DISABILITIES[(i // 2) % len(DISABILITIES)] if i < 12 else self.pick(DISABILITIES)
        disclosed = max(since, today - timedelta(days=self.between(60, 900)))
        by = self.pick(STAGE1_POOL)
        self.rows["disability"].append(
            {
                "id": self.next_id("disability"),
                "resident_id": rid,
                "description": description,
                "disclosed_on": disclosed,
                "recorded_by": by,
                "created_at": self.at(disclosed),
            }
        )
        self.audit(disclosed, by, "disability recorded", description, None, after=json.dumps({"resident_id": rid}))
        self._adjustment(rid, kind, details, disclosed, i)
        if kind == "braille" or (kind == "large print" and rng.random() < 0.5):
            self._adjustment(rid, "preferred channel", "Phone call before any letter is sent", disclosed, i + 1)

    def _adjustment(self, rid: int, kind: str, details: str, agreed: date, i: int) -> None:
        """An agreed adjustment; about a third have their review overdue (some with an earlier review on record)."""
        rng, today = self.rng, self.today
        overdue = (i < 12 and i % 4 == 0) or (i >= 12 and rng.random() < 0.3)
        if overdue:
            review = today - timedelta(days=self.between(3, 120))
        else:
            review = today + timedelta(days=self.between(10, 300))
        agreed = min(agreed, review - timedelta(days=180))
        by = self.pick(STAGE1_POOL)
        aid = self.next_id("adjustment")
        self.rows["adjustment"].append(
            {
                "id": aid,
                "resident_id": rid,
                "kind": kind,
                "details": details,
                "agreed_on": agreed,
                "review_date": review,
                "active": True,
                "recorded_by": by,
                "created_at": self.at(agreed),
            }
        )
        self.audit(
            agreed,
            by,
            "adjustment agreed",
            f"{kind}: {details}",
            None,
            after=json.dumps({"resident_id": rid, "kind": kind, "review_date": review.isoformat()}),
        )
        reviewed = review - timedelta(days=182)
        if reviewed > agreed + timedelta(days=60) and reviewed < today:
            self.rows["review"].append(
                {
                    "id": self.next_id("review"),
                    "subject": "adjustment",
                    "subject_id": aid,
                    "reviewed_on": reviewed,
                    "outcome": "Reviewed with the resident: still needed and working well.",
                    "next_review": review,
                    "reviewed_by": by,
                    "created_at": self.at(reviewed),
                }
            )
            self.audit(
                reviewed,
                by,
                "adjustment reviewed",
                "Reviewed with the resident: still needed and working well.",
                None,
                after=json.dumps({"review_date": review.isoformat(), "active": True}),
            )

    def _representative(
        self, rid: int, relationship: str, since: date, name: str | None = None, rep: int | None = None
    ) -> int:
        """A representative of resident ``rid`` with their consent on file (``rep``: the id planned for them)."""
        name = name or f"{self.pick(FIRST)} {self.pick(SURNAMES)}"
        consent = since + timedelta(days=self.between(1, 30))
        if rep is None:
            rep = self.next_id("representative")
        self.rows["representative"].append(
            {
                "id": rep,
                "resident_id": rid,
                "name": name,
                "relationship": relationship,
                "address": MEMBER_OFFICES[relationship]
                if relationship in ("MP", "councillor")
                else f"{self.between(1, 99)} {self.pick(STREETS)}, {TOWN}",
                "email": "",
                "consent_recorded": True,
                "consent_date": consent,
                "consent_notes": "Signed consent form on file"
                if relationship not in ("MP", "councillor")
                else "Resident's consent confirmed in the enquiry",
                "created_at": self.at(consent),
            }
        )
        self.audit(
            consent,
            self.pick(STAGE1_POOL),
            "representative added",
            f"{name} ({relationship})",
            None,
            after=json.dumps({"name": name, "consent_date": consent.isoformat()}),
        )
        self.reps[(rid, relationship)] = rep
        return rep

    def representative_for(self, rid: int, case_type: str, received: date) -> int | None:
        """The MP or councillor for an enquiry (created on first use), or an existing representative now and then."""
        if case_type == "mp-enquiry":
            key = (rid, "MP")
            return self.reps.get(key) or self._representative(rid, "MP", received - timedelta(days=31), MPS[rid % 2])
        if case_type == "councillor-enquiry":
            key = (rid, "councillor")
            return self.reps.get(key) or self._representative(
                rid, "councillor", received - timedelta(days=31), COUNCILLORS[rid % len(COUNCILLORS)]
            )
        for rel in ("advocate", "family member", "support worker"):
            rep = self.reps.get((rid, rel))
            if rep and self.rng.random() < 0.6:
                return rep
        return None

    def service_request(self, rid: int, received: date, area: str) -> int:
        """A service request (1.4) the complaint received on ``received`` was raised from (1.5): what the
        resident asked for in that area; most requests of more than a few weeks ago are closed since."""
        day = received - timedelta(days=self.between(5, 40))
        sid = self.next_id("servicerequest")
        by = self.pick(STAGE1_POOL)
        asked = self.pick(SERVICE_ASKS.get(area, (f"Asked the {area.lower()} service for help",)))
        closed_on = day + timedelta(days=self.between(3, 30)) if self.rng.random() < 0.75 else None
        if closed_on is not None and closed_on > self.today:
            closed_on = None  # still being dealt with
        outcome = SERVICE_DONE.get(area, "Dealt with by the service.") if closed_on else ""
        self.rows["servicerequest"].append(
            {
                "id": sid,
                "reference": f"SR-{sid:06d}",
                "resident_id": rid,
                "received": day,
                "service_area": area,
                "description": asked,
                "status": "closed" if closed_on else "open",
                "owner": by,
                "closed_on": closed_on,
                "closed_by": by if closed_on else "",
                "outcome": outcome,
                "created_at": self.at(day),
            }
        )
        self.audit(day, by, "service request recorded", f"SR-{sid:06d}: {area}: {asked}", None)
        if closed_on:
            self.audit(closed_on, by, "service request closed", f"SR-{sid:06d}: {outcome}", None)
        return sid


def display_name(login: str) -> str:
    """The person's full name from the system account where there is one, else the login."""
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError, OSError):
        pass
    return login
