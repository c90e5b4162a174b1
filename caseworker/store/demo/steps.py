"""The steps of a demo case as rows: refusals (not accepted, escalation refused),
withdrawal, acknowledgement with the complaint definition, extensions within and beyond the
cap, responses with remedies from the remedy calculator and outstanding actions, and
closing, each with its audit events and letters.

Called by :meth:`CaseTimelines.play <caseworker.store.demo.timelines.CaseTimelines.play>`
for each step dated up to today.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from caseworker.rules import remedy_calculator as calculator
from caseworker.rules.facts import GROUND_LABELS, Ground
from caseworker.rules.money import format_pounds
from caseworker.rules.remedy_record import kind_label
from caseworker.store.demo.base import BuilderBase
from caseworker.store.demo.data import (
    CLOSED,
    LEGAL_CLAIMS,
    REASONS,
    SERVICES,
    SUPERVISORS,
    WITHDRAW_REASONS,
)
from caseworker.store.demo.model import StageRun


class StepRows(BuilderBase):
    """The rows of one step of a case (the case id, stage and an audit ``change`` callback passed in)."""

    # -- steps ---------------------------------------------------------------------------

    def _exclusion(self, cid, kind, ground, day, by, change, ref, p) -> None:
        reasons = {
            Ground.OVER_TWELVE_MONTHS.value: (
                f"The issue arose in {p.issue_date:%B %Y}, over 12 months before the complaint; the resident gave no "
                "reason why it could not have been raised sooner."
                if p.issue_date
                else "The issue arose over 12 months before the complaint was made."
            ),
            Ground.LEGAL_PROCEEDINGS.value: LEGAL_CLAIMS.get(
                p.area,
                "The resident has filed a claim at Exampletown County Court about the same matters (claim form and "
                "particulars of claim filed).",
            ),
            Ground.PREVIOUSLY_CONSIDERED.value: (
                "The same matter was fully considered under our complaints policy last year and answered at Stage 2; "
                "no new issues have been raised."
            ),
        }[ground]
        self.rows["exclusion"].append(
            {
                "id": self.next_id("exclusion"),
                "case_id": cid,
                "kind": kind,
                "ground": ground,
                "reasons": reasons,
                "decided_on": day,
                "decided_by": by,
                "created_at": self.at(day),
            }
        )
        change(
            day,
            by,
            kind,
            f"{GROUND_LABELS[Ground(ground)]}: {reasons}",
            after=json.dumps({"ground": ground, "reasons": reasons}),
        )
        subject = f"{ref}: " + (
            "we cannot accept your complaint" if kind == "not-accepted" else "we cannot escalate your complaint"
        )
        body = (
            f"{subject}.\n\n{reasons}\n\nIf you disagree with this decision you can ask the Ombudsman to look "
            "at it (see the contact details below)."
        )
        self.correspondence(cid, day, by, "letter", subject, body, direction="out", letter_kind=kind)

    def _withdraw(self, cid, day, by, change) -> None:
        reason = self.pick(WITHDRAW_REASONS)
        self.correspondence(cid, day, by, "phone", "Resident withdrew the complaint", reason, direction="in")
        change(day, by, "withdrawn", reason)

    def _acknowledge(self, cid, ref, s: StageRun, day, area, change, p) -> None:
        issues, outcomes, responsible, not_responsible = area[3]
        if s.number == 2:
            issues = f"The resident remains unhappy with the Stage 1 response: {issues[0].lower()}{issues[1:]}"
        s.acknowledged = day
        s.issues, s.outcomes, s.responsible, s.not_responsible = issues, outcomes, responsible, not_responsible
        by = s.officer.login if s.officer else p.o1.login
        change(
            day,
            by,
            "acknowledged",
            f"Stage {s.number} acknowledged and defined",
            after=self._definition_json(day, issues, area) if day >= self.full_record_from else f'{{"on": "{day}"}}',
        )
        self.correspondence(
            cid,
            day,
            by,
            "letter",
            f"{ref}: we have received your Stage {s.number} complaint",
            f"Our understanding of your complaint: {issues}\nWhat you would like: {outcomes}",
            direction="out",
            letter_kind="acknowledgement",
        )

    def _definition_json(self, day: date, issues: str, area: tuple) -> str:
        """The acknowledged event's JSON as the services write it: the date and the complaint definition."""
        cached = self._definitions.get(issues)
        if cached is None:
            _, outcomes, responsible, not_responsible = area[3]
            cached = self._definitions[issues] = json.dumps(
                {
                    "definition": {
                        "issues": issues,
                        "outcomes": outcomes,
                        "responsible": responsible,
                        "not_responsible": not_responsible,
                    },
                    "on": "@@",
                },
                sort_keys=True,
            )
        return cached.replace("@@", day.isoformat())

    def _extend(self, cid, ref, s: StageRun, recorded: list[tuple[date, int]], sp, change, p) -> None:
        cap = sp.extension_cap
        for day, wd in recorded:
            total = s.ext_days + wd
            beyond = cap is None or total > cap
            actor = (
                s.officer
                if s.officer and (not beyond or s.officer.role != "officer")
                else self.officers[SUPERVISORS[cid % 2]]
            )
            reason = (
                "We are waiting for a specialist survey report before we can give you a full answer."
                if s.ext_days == 0
                else "The contractor's report has been delayed by access problems."
            )
            good = (
                (
                    "The survey found structural problems needing an engineer's report; a full answer without it "
                    "would not resolve the complaint."
                )
                if beyond
                else ""
            )
            self.rows["extension"].append(
                {
                    "id": self.next_id("extension"),
                    "stage_id": s.id,
                    "working_days": wd,
                    "reason": reason,
                    "good_reason": good,
                    "approved_by": actor.login if beyond else None,
                    "beyond_cap": beyond,
                    "resident_told": day,
                    "recorded_on": day,
                    "recorded_by": actor.login,
                    "created_at": self.at(day),
                }
            )
            s.ext_days = total
            change(
                day,
                actor.login,
                "extended",
                f"Stage {s.number} response extended by {wd} working days: {reason}",
                after=json.dumps({"extension": {"working_days": wd, "beyond_cap": beyond}}),
            )
            self.correspondence(
                cid,
                day,
                actor.login,
                "letter",
                f"{ref}: we need more time to respond",
                f"{reason} You can contact the Ombudsman at any time (details below).",
                direction="out",
                letter_kind="extension",
            )

    def _respond(self, cid, ref, s: StageRun, day, decision, area, change, p, actions_open, last_done) -> None:
        rng = self.rng
        by = s.officer.login if s.officer else p.o1.login
        remedies = 0
        if decision != "not-upheld" or rng.random() < 0.25:
            remedies = self._remedies(cid, s.number, day, decision, area, by)
        actions = 0
        mode = p.actions
        if mode == "overdue" or (mode == "random" and decision != "not-upheld" and rng.random() < 0.4):
            actions = self._actions(cid, s.number, day, p.area, by, mode == "overdue", actions_open, last_done)
        s.responded, s.decision, s.reasons = day, decision, REASONS[decision]
        s.no_remedy, s.no_actions = remedies == 0, actions == 0
        change(
            day,
            by,
            "responded",
            f"Stage {s.number} response: {decision}",
            after=f'{{"actions": {actions}, "decision": "{decision}", "on": "{day}", "remedies": {remedies}}}',
        )
        next_step = (
            "If you are not satisfied you can ask us to consider your complaint at Stage 2."
            if s.number == 1
            else "If you remain dissatisfied you can refer your complaint to the Ombudsman."
        )
        self.correspondence(
            cid,
            day,
            by,
            "letter",
            f"{ref}: our Stage {s.number} response",
            f"{REASONS[decision]}\n{next_step}",
            direction="out",
            letter_kind="response",
        )

    def _calc(self, day: date, decision: str) -> calculator.Calculation:
        """A financial remedy worked out by the remedy calculator under the guidance in force on ``day``."""
        rng = self.rng
        guidance = self._guidance.get(day)
        if guidance is None:
            guidance = self._guidance[day] = calculator.guidance_for(day)
        if guidance.bands:
            if decision == "upheld" and rng.random() < 0.7:
                key = ("maladministration_adverse", 100 * 25 * self.between(4, 24))  # £100 to £600
            else:
                key = ("service_failure_minimal", 100 * 25 * self.between(2, 4))  # £50 to £100
            inputs: tuple = (guidance.key, "band") + key
        else:
            lines = [("missed_appointment", self.between(1, 3), None, "")]
            if rng.random() < 0.5:
                lines.append(("heating_and_hot_water", self.between(2, 14), None, ""))
            if decision == "upheld":
                lines.append(
                    (
                        "distress_inconvenience",
                        1,
                        100 * 50 * self.between(1, 6),
                        "Time and trouble chasing the repair over several weeks",
                    )
                )
            inputs = (guidance.key, "lines", tuple(lines))
        calc = self._calc_cache.get(inputs)
        if calc is None:
            if inputs[1] == "band":
                calc = calculator.calculate(guidance, band=calculator.BandChoice(inputs[2], inputs[3]))
            else:
                calc = calculator.calculate(
                    guidance, [calculator.LineInput(k, quantity=q, amount_pence=a, note=n) for k, q, a, n in inputs[2]]
                )
            self._calc_cache[inputs] = calc
        return calc

    def _remedies(self, cid, stage_no, day, decision, area, by) -> int:
        rng, today = self.rng, self.today
        offers: list[tuple[str, str, int | None, calculator.Calculation | None]] = []
        if decision == "not-upheld":
            offers.append(
                ("explanation", "A full explanation of the decisions made and the policy applied", None, None)
            )
        else:
            if rng.random() < 0.9:
                offers.append(("apology", "A written apology from the service manager", None, None))
            if rng.random() < (0.6 if decision == "upheld" else 0.3):
                calc = self._calc(day, decision)
                what = (
                    f"{format_pounds(calc.total_pence)} compensation, paid to the resident's bank account or "
                    "credited to the rent account"
                )
                offers.append(("financial", what, calc.total_pence, calc))
            if rng.random() < 0.35:
                offers.append(("action", area[4], None, None))
        for kind, description, amount, calc in offers:
            by_when = self.add(day, 10 + int(rng.random() * 15))
            state, accepted, declined, paid, completed = "offered", None, None, None, None
            if (today - day).days >= 7:
                if rng.random() < 0.88:
                    accepted = min(today, day + timedelta(days=self.between(2, 10)))
                    state = "accepted"
                    finish = accepted + timedelta(days=self.between(0 if kind in ("apology", "explanation") else 3, 25))
                    if finish <= today:
                        if kind == "financial":
                            state, paid = "paid", finish
                        else:
                            state, completed = "completed", finish
                else:
                    declined = min(today, day + timedelta(days=self.between(2, 14)))
                    state = "declined"
            rid = self.next_id("remedy")
            self.rows["remedy"].append(
                {
                    "id": rid,
                    "case_id": cid,
                    "stage_number": stage_no,
                    "kind": kind,
                    "description": description,
                    "by_when": by_when,
                    "amount_pence": amount,
                    "guidance_key": calc.guidance_key if calc else "",
                    "calculation_basis": calc.basis if calc else "",
                    "rationale": calc.rationale if calc else "",
                    "state": state,
                    "offered_on": day,
                    "accepted_on": accepted,
                    "declined_on": declined,
                    "paid_on": paid,
                    "completed_on": completed,
                    "payment_reference": f"BACS {rid:07d}" if paid else "",
                    "guidance_reason": "",
                    "created_at": self.at(day),
                }
            )
            money = f" {format_pounds(amount)}" if amount else ""
            self.audit(
                day,
                by,
                "remedy offered",
                f"{kind_label(kind)}{money}: {description}",
                cid,
                after=f'{{"amount_pence": {"null" if amount is None else amount}, "by_when": "{by_when}", '
                f'"guidance": "{calc.guidance_key if calc else ""}", "kind": "{kind}"}}',
            )
            previous = "offered"
            for target, when in (
                ("accepted", accepted),
                ("declined", declined),
                ("paid", paid),
                ("completed", completed),
            ):
                if when is not None:
                    self.audit(
                        when,
                        by,
                        f"remedy {target}",
                        description + (f" (payment reference BACS {rid:07d})" if target == "paid" else ""),
                        cid,
                        before=f'{{"state": "{previous}"}}',
                        after=f'{{"on": "{when}", "state": "{target}"}}'
                        if target != "paid"
                        else f'{{"on": "{when}", "payment_reference": "BACS {rid:07d}", "state": "paid"}}',
                    )
                    previous = target
        return len(offers)

    def _actions(self, cid, stage_no, day, area_name, by, force_overdue, actions_open, last_done) -> int:
        rng, today = self.rng, self.today
        area = SERVICES[area_name]
        count = 1 if force_overdue or rng.random() < 0.7 else 2
        owners = (by, by, f"{area_name} team")
        for i in range(count):
            description = self.pick(area[5])
            due = self.add(day, 5 + int(rng.random() * 30))
            if force_overdue and i == 0:
                due = min(due, self.back(self.today_wd, 1 + int(rng.random() * 6)))
                due = max(due, day)
            done = False
            completed = None
            if not (force_overdue and i == 0):
                age = (today - due).days
                p_done = 0.97 if age > 90 else 0.7 if age > 0 else 0.25
                if rng.random() < p_done:
                    completed = min(today, self.add(day, 1 + int(rng.random() * max(1, (due - day).days * 0.8 + 5))))
                    done = completed <= today
            aid = self.next_id("action")
            owner = self.pick(owners)
            self.rows["action"].append(
                {
                    "id": aid,
                    "case_id": cid,
                    "stage_number": stage_no,
                    "description": description,
                    "owner": owner,
                    "due": due,
                    "done": done,
                    "completed_on": completed if done else None,
                    "created_at": self.at(day),
                }
            )
            self.audit(
                day,
                by,
                "action added",
                f"{description} (owner {owner}, due {due.isoformat()})",
                cid,
                after=f'{{"description": "{description}", "due": "{due}", "owner": "{owner}"}}',
            )
            update_day = self.add(day, 2 + int(rng.random() * 5))
            if (
                day >= self.full_record_from
                and update_day <= today
                and (completed is None or update_day < completed)
                and rng.random() < 0.5
            ):
                told = rng.random() < 0.8
                text_ = (
                    "Contractor booked; resident told the date."
                    if told
                    else "Waiting for the contractor to confirm a date."
                )
                self.rows["actionupdate"].append(
                    {
                        "id": self.next_id("actionupdate"),
                        "action_id": aid,
                        "on": update_day,
                        "text": text_,
                        "resident_told": told,
                        "by": by,
                        "created_at": self.at(update_day),
                    }
                )
                self.audit(
                    update_day,
                    by,
                    "action updated",
                    text_,
                    cid,
                    after='{"done": false, "resident_told": true}'
                    if told
                    else '{"done": false, "resident_told": false}',
                )
            if done:
                self.rows["actionupdate"].append(
                    {
                        "id": self.next_id("actionupdate"),
                        "action_id": aid,
                        "on": completed,
                        "text": "Completed and confirmed with the resident.",
                        "resident_told": True,
                        "by": by,
                        "created_at": self.at(completed),
                    }
                )
                self.audit(
                    completed,
                    by,
                    "action completed",
                    "Completed and confirmed with the resident.",
                    cid,
                    after='{"done": true, "resident_told": true}',
                )
                last_done.append(completed)
            else:
                actions_open.append({"id": aid})
        return count

    def _maybe_close(self, cid, t, change, p, actions_open, last_done, state) -> None:
        day = t.get("close")
        if day is None or actions_open:
            return
        if last_done:
            day = max(day, self.add(max(last_done), 1))
        if day > self.today:
            return
        change(
            day,
            p.o1.login if p.esc is None else (p.o2.login if p.o2 else p.o1.login),
            "closed",
            f"closed after the Stage {2 if p.esc is not None else 1} response",
        )
        state["status"] = CLOSED
