"""Demo case plans: random cases as they come (mostly answered in time, some late or
extended, about 1 in 6 escalated) over the history, and scripted cases that make sure every
state of every case type is shown with due dates spread around today.

Cases received before the Code became statutory keep the council's older procedure.
"""

from __future__ import annotations

from datetime import date, timedelta

from caseworker.rules.facts import Ground
from caseworker.rules.policy import Policy
from caseworker.store.demo.data import (
    AREA_CUM,
    AREA_NAMES,
    CHANNEL_CUM,
    CHANNEL_NAMES,
    SERVICES,
    STAGE1_POOL,
    STAGE2_POOL,
)
from caseworker.store.demo.model import Plan
from caseworker.store.demo.people import PeopleRows
from caseworker.store.demo.timelines import CaseTimelines


class PlanMaker(CaseTimelines, PeopleRows):
    """Plans for random and scripted cases (played by :class:`CaseTimelines`)."""

    # -- plans ---------------------------------------------------------------------------

    def _policy_for(self, received: date) -> Policy:
        return self.old_policy if received < self.cutover else self.policy

    def _pick_area(self) -> tuple[str, int]:
        area = self.weighted(AREA_NAMES, AREA_CUM)
        return area, int(self._random() * len(SERVICES[area][1]))

    def base_plan(self, case_type: str, received: date, resident: int, o1: str | None = None) -> Plan:
        rng = self.rng
        area, summary = self._pick_area()
        category = SERVICES[area][1][summary]
        officer = self.officers[o1 or self.pick(STAGE1_POOL + (self.me,))]
        logger = officer if rng.random() < 0.7 else self.officers[self.pick(STAGE1_POOL)]
        channel = self.weighted(CHANNEL_NAMES, CHANNEL_CUM)
        if case_type != "complaint":
            channel = "email" if rng.random() < 0.7 else "letter"
        pool = [x for x in STAGE2_POOL if x != officer.login]
        return Plan(
            case_type=case_type,
            received=received,
            policy=self._policy_for(received),
            resident=resident,
            o1=officer,
            logger=logger,
            area=area,
            category=category,
            summary=summary,
            channel=channel,
            o2=self.officers[self.pick(pool)],
        )

    def random_plan(self, received: date, resident: int) -> Plan:
        """A case as they come: mostly answered in time, some late, some extended, about 1 in 6 escalated."""
        rng = self.rng
        r = rng.random()
        case_type = "complaint" if r < 0.88 else "mp-enquiry" if r < 0.96 else "councillor-enquiry"
        p = self.base_plan(case_type, received, resident)
        p.representative = self.representative_for(resident, case_type, received)
        r = rng.random()
        if r < 0.035:
            p.not_accepted = self.weighted([g.value for g in Ground], (5, 7, 10))
            p.na_lag = self.between(1, 5)
            if p.not_accepted == Ground.OVER_TWELVE_MONTHS.value:
                p.issue_date = received - timedelta(days=self.between(400, 900))
            return p
        if r < 0.05:
            p.withdraw, p.withdraw_lag = "awaiting", self.between(1, 3)
            return p
        if rng.random() < 0.02:
            p.issue_date = received - timedelta(days=self.between(380, 600))
            p.discretion = (
                "The resident was in hospital for much of the year and raised the matter as soon as "
                "they could; the problem is ongoing."
            )
        p.ack1 = self.weighted((0, 1, 2, 3, 4, 5, 6, 7, 8), (3, 21, 43, 63, 78, 90, 95, 98, 100))
        if rng.random() < 0.02:
            p.withdraw, p.withdraw_lag = "open", self.between(1, 6)
            return p
        r = rng.random()
        if r < 0.015:
            p.ext1 = (self.pick((5, 10)), self.between(3, 8))  # beyond the cap: good reason and supervisor approval
        elif r < 0.11:
            p.ext1 = (self.pick((5, 5, 10, 8)),)
        late = rng.random() < (0.1 if p.ext1 else 0.13)
        p.resp1 = self.between(1, 12) if late else -self.weighted(range(8), (30, 48, 62, 74, 84, 92, 97, 100))
        p.decision1 = self.weighted(("upheld", "partly-upheld", "not-upheld"), (30, 62, 100))
        escalate = rng.random() < (0.19 if case_type == "complaint" else 0.08)
        if not escalate:
            p.close = self.between(8, 30)
            return p
        p.esc = self.weighted((1, 2, 3, 5, 8, 12, 18, 25), (8, 22, 38, 56, 72, 84, 93, 100))
        p.esc_reason = self.pick(
            (
                "",
                "",
                "The repair is still not done.",
                "The compensation offered is too low.",
                "You did not answer all of my points.",
            )
        )
        if rng.random() < 0.04:
            p.refuse, p.refuse_lag = self.pick(("stage1", "stage2")), self.between(1, 4)
            p.refuse_ground = self.pick((Ground.PREVIOUSLY_CONSIDERED.value, Ground.LEGAL_PROCEEDINGS.value))
            return p
        p.assign2 = self.pick((0, 0, 1, 1, 2, 3))
        p.ack2 = max(p.assign2, self.weighted((1, 2, 3, 4, 5, 6, 7), (10, 30, 52, 70, 86, 94, 100)))
        r = rng.random()
        if r < 0.01:
            p.ext2 = (self.pick((10, 20)), self.between(5, 10))
        elif r < 0.09:
            p.ext2 = (self.pick((10, 15, 20)),)
        late = rng.random() < 0.12
        p.resp2 = self.between(1, 10) if late else -self.weighted(range(10), (25, 40, 52, 62, 72, 80, 87, 93, 97, 100))
        p.decision2 = self.weighted(("upheld", "partly-upheld", "not-upheld"), (18, 48, 100))
        p.close = self.between(8, 30)
        return p

    def scripted_plans(self, residents: list[int], limit: int) -> list[tuple[Plan, int | None]]:
        """Cases that make sure the demo shows every state, with due dates spread around today.

        Returns (plan, index of the plan this one is a related case of, or None), most important first.
        """
        today = self.today
        C, MP, CL = "complaint", "mp-enquiry", "councillor-enquiry"
        out: list[tuple[Plan, int | None]] = []
        special = residents[:12]

        def target(k: int) -> date:
            base = self.today_wd
            if base != today and k <= 0:  # at a weekend "due today" is impossible: the last working day is overdue
                k -= 1
            return self.add(base, k) if k >= 0 else self.back(base, -k)

        def plan(case_type: str, i: int) -> Plan:
            rid = special[i % len(special)] if i % 2 == 0 else residents[int(self._random() * len(residents))]
            p = self.base_plan(case_type, today, rid)
            p.policy = self.policy
            p.representative = self.representative_for(rid, case_type, today - timedelta(days=120))
            return p

        def stage1(p: Plan, *, ext: tuple[int, ...] = (), resp: int | None = None, ack: int | None = None) -> None:
            p.ack1 = self.pick((1, 2, 3, 4)) if ack is None else ack
            p.ext1 = ext
            p.resp1 = resp
            p.decision1 = self.pick(("upheld", "partly-upheld", "not-upheld"))

        def stage2(
            p: Plan, *, officer: bool = True, ack: bool = True, ext: tuple[int, ...] = (), resp: int | None = None
        ) -> None:
            stage1(p, resp=-self.between(0, 3))
            p.esc = self.pick((2, 3, 5))
            p.assign2 = self.pick((0, 1)) if officer else None
            p.ack2 = (p.assign2 or 0) + self.pick((1, 2, 3)) if officer and ack else None
            p.ext2 = ext
            p.resp2 = resp
            p.decision2 = self.pick(("upheld", "partly-upheld", "not-upheld"))

        specs: list[tuple[str, str, int, dict]] = [
            # (what, case type, working days left today or days ago, options)
            ("s1-await", C, -2, {}),
            ("s1-await", C, 0, {}),
            ("s1-await", MP, 1, {}),
            ("s1-await", CL, 2, {}),
            ("s1-open", C, -3, {}),
            ("s1-open", C, 0, {}),
            ("s1-open", MP, 1, {}),
            ("s1-open", CL, 2, {}),
            ("s1-open", C, 5, {"ext": (5,)}),
            ("s1-open", C, 4, {"ext": (10, 5)}),
            ("s2-await-officer", C, 3, {}),
            ("s2-await", C, 1, {}),
            ("s2-open", C, -1, {}),
            ("s2-open", C, 6, {}),
            ("s1-responded", C, 6, {"actions": "overdue"}),
            ("s2-responded", C, 8, {}),
            ("not-accepted", C, 10, {"ground": Ground.OVER_TWELVE_MONTHS.value}),
            ("not-accepted", CL, 25, {"ground": Ground.LEGAL_PROCEEDINGS.value}),
            ("not-accepted", MP, 40, {"ground": Ground.PREVIOUSLY_CONSIDERED.value}),
            ("refused", C, 12, {"where": "stage1"}),
            ("withdrawn", C, 9, {"where": "awaiting"}),
            ("closed", C, 15, {}),
            ("closed", MP, 30, {}),
            ("s2-closed", C, 20, {}),
            ("s1-await", C, 4, {}),
            ("s1-await", MP, -1, {}),
            ("s1-await", CL, 0, {}),
            ("s1-await", C, 3, {}),
            ("s1-open", MP, -1, {"ext": (5,)}),
            ("s1-open", C, 7, {"ext": (10,)}),
            ("s1-open", CL, 9, {"ext": (6, 8)}),
            ("s1-open", C, 8, {}),
            ("s1-open", MP, 6, {}),
            ("s1-open", CL, -2, {}),
            ("s1-open", C, 1, {}),
            ("s2-await-officer", MP, -1, {}),
            ("s2-await-officer", CL, 1, {}),
            ("s2-await", CL, 0, {}),
            ("s2-await", MP, 2, {}),
            ("s2-open", MP, 0, {}),
            ("s2-open", CL, 2, {}),
            ("s2-open", C, 12, {}),
            ("s2-open", C, 5, {"ext": (10,)}),
            ("s2-open", C, 15, {"ext": (20, 5)}),
            ("s2-open", C, 2, {}),
            ("s1-responded", MP, 3, {}),
            ("s1-responded", CL, 20, {"actions": "overdue"}),
            ("s1-responded", C, 1, {}),
            ("s2-responded", MP, 30, {"actions": "overdue"}),
            ("s2-responded", CL, 12, {}),
            ("refused", MP, 30, {"where": "stage2"}),
            ("refused", CL, 50, {"where": "stage1"}),
            ("withdrawn", MP, 14, {"where": "open"}),
            ("withdrawn", CL, 35, {"where": "awaiting"}),
            ("not-accepted", C, 60, {"ground": Ground.LEGAL_PROCEEDINGS.value}),
            ("not-accepted", C, 5, {"ground": Ground.PREVIOUSLY_CONSIDERED.value}),
            ("closed", CL, 45, {}),
            ("s2-closed", MP, 60, {}),
            ("related", C, 2, {"parent": 21}),
        ]
        for i, (what, case_type, k, opt) in enumerate(specs[:limit]):
            p = plan(case_type, i)
            p.actions = opt.get("actions", "none" if "closed" in what else "random")
            related_to = None
            if what == "s1-await":
                self.anchor_received(p, "ack_due1", target(k))
            elif what in ("s1-open", "related"):
                stage1(p, ext=opt.get("ext", ()))
                self.anchor_received(p, "due1", target(k))
                if what == "related" and opt["parent"] < len(out):
                    related_to = opt["parent"]
                    parent = out[related_to][0]
                    p.resident, p.representative, p.case_type = parent.resident, parent.representative, parent.case_type
            elif what.startswith("s2-await") or what == "s2-open":
                stage2(p, officer=what != "s2-await-officer", ack=what == "s2-open", ext=opt.get("ext", ()))
                self.anchor_received(p, "ack_due2" if what.startswith("s2-await") else "due2", target(k))
            elif what == "s1-responded":
                stage1(p, resp=-self.between(0, 3))
                p.decision1 = "upheld" if opt.get("actions") == "overdue" else p.decision1
                self.anchor_received(p, "P1", self.back(self.today_wd, k))
            elif what == "s2-responded":
                stage2(p, resp=-self.between(0, 4))
                p.decision2 = "partly-upheld" if opt.get("actions") == "overdue" else p.decision2
                self.anchor_received(p, "P2", self.back(self.today_wd, k))
            elif what in ("closed", "s2-closed"):
                if what == "closed":
                    stage1(p, resp=-self.between(0, 3))
                else:
                    stage2(p, resp=-self.between(0, 3))
                p.close = self.between(5, 10)
                self.anchor_received(p, "close", self.back(self.today_wd, k))
            elif what == "not-accepted":
                p.not_accepted, p.na_lag = opt["ground"], self.between(1, 4)
                if p.not_accepted == Ground.OVER_TWELVE_MONTHS.value:
                    p.issue_date = today - timedelta(days=500)
                self.anchor_received(p, "na", self.back(self.today_wd, k))
                if p.issue_date:
                    p.issue_date = p.received - timedelta(days=430)
            elif what == "refused":
                stage1(p, resp=-self.between(0, 3))
                p.esc, p.refuse, p.refuse_lag = self.between(2, 6), opt["where"], self.between(1, 3)
                p.refuse_ground = Ground.PREVIOUSLY_CONSIDERED.value if i % 2 else Ground.LEGAL_PROCEEDINGS.value
                self.anchor_received(p, "refused", self.back(self.today_wd, k))
            elif what == "withdrawn":
                p.withdraw, p.withdraw_lag = opt["where"], self.between(1, 3)
                if opt["where"] == "open":
                    stage1(p)
                self.anchor_received(p, "withdrawn", self.back(self.today_wd, k))
            out.append((p, related_to))
        return out
