"""Demo case timelines: a plan's received date and working-day lags turned into the date of
every step by the calendar (pure), a received date found so a step falls on a wanted day,
and a plan *played*: the rows of every step dated up to today, with the case and stage rows
and their stored due dates computed as the services compute them.

Recent cases are anchored backwards from the due date they should show today, so the inbox
always has cases overdue, due today, due soon and later.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from datetime import date, timedelta

from caseworker import labels
from caseworker.rules.deadlines import next_due, stage_due_dates
from caseworker.rules.policy import stage2_policy_key
from caseworker.store.demo.data import (
    AWAIT,
    HOME_AREAS,
    LIVE,
    NOT_ACCEPTED,
    NOTES,
    OPEN,
    PREFIX,
    REFUSED,
    REPAIR_NOTES,
    RESPONDED,
    SERVICES,
    SUPERVISORS,
    TYPE_WORDS,
    WITHDRAWN,
)
from caseworker.store.demo.model import Plan, StageRun
from caseworker.store.demo.steps import StepRows

#: The months' names as ``strftime("%B")`` gives them here (read once, not once a case), by month number.
_MONTHS = ("", *(date(2000, m, 1).strftime("%B") for m in range(1, 13)))


class CaseTimelines(StepRows):
    """Plans turned into dated timelines, and timelines played into rows."""

    # -- timelines -----------------------------------------------------------------------

    def _start(self, event: str, received: date, requested: date | None, acknowledged: date | None) -> date | None:
        return received if event == "received" else requested if event == "requested" else acknowledged

    def _extensions(
        self, chunks: tuple[int, ...], start: date, days: int, floor: date
    ) -> tuple[list[tuple[date, int]], date]:
        """When each extension is recorded (on or before the due date then current, never after today) and the final due date."""
        out = []
        total = 0
        for wd in chunks:
            current = self.add(start, days + total)
            rec = self.back(current, int(self.rng.random() * 4))
            rec = max(floor, min(rec, self.today_wd))
            if rec > current:
                break  # the due date had already passed: no extension can be recorded (the breach stays)
            out.append((rec, wd))
            total += wd
        return out, self.add(start, days + total)

    def _answer(self, due: date, offset: int, acknowledged: date) -> date:
        day = self.back(due, -offset) if offset <= 0 else self.add(due, offset)
        return day if day > acknowledged else self.add(acknowledged, 1)

    def timeline(self, p: Plan) -> dict:
        """The date of every planned step, from the received date and the lags (pure: no rows written)."""
        t: dict = {}
        R = p.received
        sp1, sp2 = p.policy.stage1, p.policy.stage2
        t["ack_due1"] = self.add(self._start(sp1.acknowledge.start, R, R, None), sp1.acknowledge.days)
        if p.not_accepted:
            t["na"] = self.add(R, p.na_lag)
            return t
        if p.withdraw == "awaiting":
            t["withdrawn"] = self.add(R, p.withdraw_lag)
            return t
        if p.ack1 is None:
            return t
        A1 = t["A1"] = self.add(R, p.ack1)
        if p.withdraw == "open":
            t["withdrawn"] = self.add(A1, p.withdraw_lag)
            return t
        start = self._start(sp1.response.start, R, R, A1)
        t["ext1"], due1 = self._extensions(p.ext1, start, sp1.response.days, A1)
        t["due1"] = due1
        if p.resp1 is None:
            return t
        P1 = t["P1"] = self._answer(due1, p.resp1, A1)
        if p.esc is None:
            if p.close is not None:
                t["close"] = self.add(P1, p.close)
            return t
        Q = t["Q"] = self.add(P1, p.esc)
        if p.refuse == "stage1":
            t["refused"] = self.add(Q, p.refuse_lag)
            return t
        t["ack_due2"] = self.add(self._start(sp2.acknowledge.start, R, Q, None), sp2.acknowledge.days)
        if p.refuse == "stage2":
            t["refused"] = self.add(Q, p.refuse_lag)
            return t
        if p.assign2 is None:
            return t
        G = t["G"] = self.add(Q, p.assign2)
        if p.ack2 is None:
            return t
        A2 = t["A2"] = max(self.add(Q, p.ack2), G)
        start = self._start(sp2.response.start, R, Q, A2)
        t["ext2"], due2 = self._extensions(p.ext2, start, sp2.response.days, A2)
        t["due2"] = due2
        if p.resp2 is None:
            return t
        P2 = t["P2"] = self._answer(due2, p.resp2, A2)
        if p.close is not None:
            t["close"] = self.add(P2, p.close)
        return t

    def anchor_received(self, p: Plan, anchor: str, target: date) -> None:
        """Set ``p.received`` to the working day whose timeline puts ``anchor`` on ``target`` (or just after)."""
        lo, hi = 0, bisect_right(self.wd, self.today.toordinal()) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            p.received = date.fromordinal(self.wd[mid])
            if self.timeline(p)[anchor] >= target:
                hi = mid
            else:
                lo = mid + 1
        p.received = date.fromordinal(self.wd[lo])

    # -- playing a plan ------------------------------------------------------------------

    def play(self, p: Plan) -> int:
        """Write the case's rows for every step dated up to today; return the case id."""
        rng, today = self.rng, self.today
        t = self.timeline(p)
        cid = self.next_id("complaint_case")
        ref = f"{PREFIX[p.case_type]}-{cid:06d}"
        self._day = None
        R = p.received
        area = SERVICES[p.area]
        summary = area[2][p.summary].format(
            month=_MONTHS[(R - timedelta(days=self.between(20, 200))).month], n=self.between(2, 5)
        )
        if p.service_request is not None:  # the request the complaint came from asked about the same thing (1.5)
            for row in self.rows["servicerequest"]:
                if row["id"] == p.service_request:
                    row["description"] = summary.split(";")[0].rstrip(".") + "."
        state = {"status": AWAIT, "version": 1}
        stages: list[StageRun] = [StageRun(self.next_id("stage"), 1, R, p.o1)]
        actions_open: list[dict] = []
        last_done: list[date] = []

        def change(day: date, actor: str, action: str, detail: str, after: str = "", before: str = "") -> None:
            at = self.audit(day, actor, action, detail, cid, after=after, before=before)
            state["version"] += 1
            state["updated"] = (at, actor)

        # logged
        created = self.audit(
            R,
            p.logger.login,
            "logged",
            f"{labels.case_type(p.case_type)} logged",
            cid,
            after=(
                f'{{"case_type": "{p.case_type}", "category": "{p.category}", "channel": "{p.channel}", '
                f'"received": "{R}", "service_area": "{p.area}"}}'
            ),
        )
        state["updated"] = (created, p.logger.login)
        full = (
            R >= self.full_record_from
        )  # older cases keep a lighter record: no incoming mail, notes or progress updates
        if full:
            self.correspondence(
                cid,
                R,
                p.logger.login,
                "email" if p.channel in ("email", "online form") else "phone" if p.channel == "phone" else "letter",
                f"{TYPE_WORDS[p.case_type].capitalize()} received",
                summary,
                direction="in",
            )
        if p.discretion:
            self.audit(R, p.logger.login, "accepted out of time", p.discretion, cid)

        def finish() -> int:
            status = state["status"]
            self.statuses[status] += 1
            for s in stages:
                # A Stage 2 requested once the 2024 Code was in force is worked under it (rules.policy.stage2_policy_key).
                s_key = stage2_policy_key(p.policy.key, s.requested) if s.number == 2 else p.policy.key
                s_policy = p.policy if s_key == p.policy.key else self.policy_named(s_key)
                s_ack, s_resp = stage_due_dates(
                    s_policy, self.cal, s.number, R, s.requested, s.acknowledged, s.ext_days
                )
                current_dues = (s_ack, s_resp)
                self.rows["stage"].append(
                    {
                        "id": s.id,
                        "case_id": cid,
                        "number": s.number,
                        "officer_id": s.officer.id if s.officer else None,
                        "requested": s.requested,
                        "request_reason": s.request_reason,
                        "acknowledged": s.acknowledged,
                        "responded": s.responded,
                        "ack_due": s_ack,
                        "response_due": s_resp,
                        "issues": s.issues,
                        "outcomes": s.outcomes,
                        "responsible": s.responsible,
                        "not_responsible": s.not_responsible,
                        "decision": s.decision,
                        "reasons": s.reasons,
                        "no_remedy": s.no_remedy,
                        "no_actions": s.no_actions,
                        "policy_key": "" if s_key == p.policy.key else s_key,
                    }
                )
            current = stages[-1]
            due, kind = next_due(status, *current_dues)
            updated_at, updated_by = state["updated"]
            self.rows["complaint_case"].append(
                {
                    "id": cid,
                    "reference": ref,
                    "case_type": p.case_type,
                    "resident_id": p.resident,
                    "representative_id": p.representative,
                    "channel": p.channel,
                    "service_area": p.area,
                    "category": p.category,
                    "summary": summary,
                    "received": R,
                    "issue_date": p.issue_date,
                    "discretion_reason": p.discretion,
                    "policy_key": p.policy.key,
                    "stage": current.number,
                    "status": status,
                    "closed": status not in LIVE,
                    "officer_id": current.officer.id if current.officer else None,
                    "next_due": due,
                    "next_due_kind": kind,
                    "related_case_id": p.related,
                    "service_request_id": p.service_request,
                    "version": state["version"],
                    "created_at": created,
                    "updated_at": updated_at,
                    "updated_by": updated_by,
                }
            )
            return cid

        def reached(key: str) -> date | None:
            day = t.get(key)
            return day if day is not None and day <= today else None

        # not accepted (2.1, 2.2)
        if p.not_accepted:
            day = reached("na")
            if day:
                self._exclusion(cid, "not-accepted", p.not_accepted, day, p.o1.login, change, ref, p)
                state["status"] = NOT_ACCEPTED
            return finish()
        if p.withdraw == "awaiting":
            day = reached("withdrawn")
            if day:
                self._withdraw(cid, day, p.o1.login, change)
                state["status"] = WITHDRAWN
            return finish()

        # Stage 1
        s1 = stages[0]
        A1 = reached("A1")
        if not A1:
            return finish()
        self._acknowledge(cid, ref, s1, A1, area, change, p)
        state["status"] = OPEN
        if p.withdraw == "open":
            day = reached("withdrawn")
            if day:
                self._withdraw(cid, day, p.o1.login, change)
                state["status"] = WITHDRAWN
            return finish()
        if full and rng.random() < 0.3:
            note_day = self.add(A1, 1 + int(rng.random() * 4))
            if note_day <= today:
                notes = NOTES + REPAIR_NOTES if p.area in HOME_AREAS else NOTES
                text = self.pick(notes).format(n=self.between(2, 6), area=p.area.lower())
                self.correspondence(cid, note_day, p.o1.login, "note", "", text)
        self._extend(cid, ref, s1, t["ext1"], p.policy.stage1, change, p)
        P1 = reached("P1")
        if not P1:
            return finish()
        self._respond(cid, ref, s1, P1, p.decision1, area, change, p, actions_open, last_done)
        state["status"] = RESPONDED

        if p.esc is None or "Q" not in t:
            self._maybe_close(cid, t, change, p, actions_open, last_done, state)
            return finish()
        Q = reached("Q")
        if not Q:
            return finish()
        if p.refuse == "stage1":
            self.correspondence(
                cid,
                Q,
                p.o1.login,
                "email",
                "Asks for the complaint to go to Stage 2",
                p.esc_reason or "I am not satisfied with your response and want Stage 2.",
                direction="in",
            )
            day = reached("refused")
            if day:
                self._exclusion(cid, "escalation-refused", p.refuse_ground, day, SUPERVISORS[cid % 2], change, ref, p)
                state["status"] = REFUSED
            return finish()
        s2 = StageRun(self.next_id("stage"), 2, Q, None, request_reason=p.esc_reason)
        stages.append(s2)
        state["status"] = AWAIT
        escalated_by = p.logger.login
        change(
            Q,
            escalated_by,
            "escalated",
            "Stage 2 requested",
            after=json.dumps({"on": Q.isoformat(), "reason": p.esc_reason, "officer": None}),
        )
        self.correspondence(
            cid,
            Q,
            escalated_by,
            "email",
            "Request to escalate to Stage 2",
            p.esc_reason or "Please take my complaint to Stage 2.",
            direction="in",
        )
        if p.refuse == "stage2":
            day = reached("refused")
            if day:
                self._exclusion(cid, "escalation-refused", p.refuse_ground, day, SUPERVISORS[cid % 2], change, ref, p)
                state["status"] = REFUSED
            return finish()
        G = reached("G")
        if not G or p.o2 is None:
            return finish()
        supervisor = self.officers[SUPERVISORS[(cid // 2) % 2]]
        s2.officer = p.o2
        change(
            G,
            supervisor.login,
            "assigned",
            f"Stage 2 assigned to {p.o2.login}",
            before='{"officer": null}',
            after=json.dumps({"officer": p.o2.login}),
        )
        A2 = reached("A2")
        if not A2:
            return finish()
        self._acknowledge(cid, ref, s2, A2, area, change, p)
        state["status"] = OPEN
        self._extend(cid, ref, s2, t["ext2"], p.policy.stage2, change, p)
        P2 = reached("P2")
        if not P2:
            return finish()
        self._respond(cid, ref, s2, P2, p.decision2, area, change, p, actions_open, last_done)
        state["status"] = RESPONDED
        self._maybe_close(cid, t, change, p, actions_open, last_done, state)
        return finish()
