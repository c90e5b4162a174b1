"""The demo database: realistic officers, residents and cases for training and demonstrations.

:func:`build_demo` deletes and rebuilds a separate database (``config.demo_database_url()``,
never the user's own) full of cases worked the way the Complaint Handling Code 2024 says:
every case type in every state, due dates spread around today, extensions within and
beyond the cap, Stage 2 with a different officer (6.13), refusals on each section 2 ground,
remedies worked out by the remedy calculator, outstanding actions (some overdue),
reasonable adjustments (some reviews overdue), contact restrictions, and over two full
financial years of history for the reports.

How it is built: each case is a *plan* (its received date and the working-day lags of each
step) turned into a *timeline* by the calendar; the steps dated up to today are written,
the rest have not happened yet. Recent cases are planned backwards from the due date they
should show today, so the inbox always has cases overdue, due today, due within 2 working
days and later. Rows go in with SQLAlchemy Core executemany in one transaction, ids
precomputed (100,000 cases in well under a minute; SQLModel objects would be several
times slower). Stored due dates are computed by the same arithmetic as
``services.refresh_deadlines``; the tests compare them with ``rules.deadlines``.
A SQLite demo is built in a temporary file beside the target and moved into place, so a
half-built demo is never left behind.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate
from pathlib import Path

from sqlalchemy import Table, inspect, select
from sqlmodel import SQLModel

from caseworker.config import Settings
from caseworker.rules import remedies as rem
from caseworker.rules.calendar import WorkingCalendar
from caseworker.rules.facts import GROUND_LABELS, Ground, Status
from caseworker.rules.policy import Policy, load_policy
from caseworker.store import models as m
from caseworker.store.db import is_sqlite, make_engine, sqlite_path
from caseworker.store.tracker_import import (
    insert_rows,
    next_due,
    reset_sequences,
    stage_due_dates,
)

#: Key of the Setting row that marks a database as a demo built here (JSON: today, cases, seed).
DEMO_SETTING = "demo"

_AWAIT, _OPEN, _RESPONDED = Status.AWAITING_ACK.value, Status.OPEN.value, Status.RESPONDED.value
_NOT_ACCEPTED, _REFUSED = Status.NOT_ACCEPTED.value, Status.ESCALATION_REFUSED.value
_WITHDRAWN, _CLOSED = Status.WITHDRAWN.value, Status.CLOSED.value
_LIVE = (_AWAIT, _OPEN)
_PREFIX = {"complaint": "CMP", "mp-enquiry": "MPE", "councillor-enquiry": "CLR"}
_TYPE_WORDS = {"complaint": "complaint", "mp-enquiry": "MP enquiry", "councillor-enquiry": "councillor enquiry"}

#: Insert order: parents before children (foreign keys are checked row by row on SQLite).
_TABLES: tuple[type[SQLModel], ...] = (
    m.Officer, m.Resident, m.Representative, m.Disability, m.Adjustment, m.Restriction, m.Review,
    m.ServiceRequest, m.Case, m.Stage, m.Extension, m.Exclusion, m.Remedy, m.Action, m.ActionUpdate,
    m.Correspondence, m.AuditEvent, m.Setting,
)


class NotADemoDatabase(RuntimeError):
    """The target holds cases but no demo marker: it may be someone's real data, so it is left alone."""


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`build_demo` built."""

    url: str
    today: date
    cases: int
    officers: int
    residents: int
    statuses: dict[str, int]
    seconds: float
    rows: int = 0
    first_received: date | None = None
    path: Path | None = None

    @property
    def live(self) -> int:
        """Cases with a live Code deadline (awaiting acknowledgement or open)."""
        return sum(self.statuses.get(s, 0) for s in _LIVE)


# ---------------------------------------------------------------------------------------
# people and places (fictional; Ofcom drama numbers; example.* e-mail domains)

_OFFICERS = (
    ("aokafor", "Amara Okafor", "officer"),
    ("bhughes", "Bethan Hughes", "supervisor"),
    ("cpatel", "Chirag Patel", "officer"),
    ("dmcallister", "Declan McAllister", "officer"),
    ("ewilliams", "Eleri Williams", "supervisor"),
    ("fkhan", "Farah Khan", "officer"),
    ("gthompson", "Grace Thompson", "administrator"),
    ("hnguyen", "Hoang Nguyen", "officer"),
)
_STAGE1_POOL = ("aokafor", "cpatel", "dmcallister", "fkhan", "hnguyen")
_STAGE2_POOL = ("bhughes", "ewilliams", "cpatel", "fkhan", "aokafor")
_SUPERVISORS = ("bhughes", "ewilliams")

_FIRST = ["Oliver", "George", "Harry", "Jack", "Noah", "Mohammed", "Muhammad", "Leo", "Arthur", "Oscar", "Jacob", "Charlie", "Thomas", "William", "James", "Alfie", "Ethan", "Joshua", "Daniel", "Samuel", "Ryan", "Callum", "Liam", "Connor", "Kieran", "Dylan", "Owen", "Rhys", "Gareth", "Dafydd", "Hamish", "Ewan", "Fraser", "Tomasz", "Piotr", "Marek", "Ahmed", "Ali", "Hassan", "Yusuf", "Ibrahim", "Omar", "Imran", "Sanjay", "Rajesh", "Arjun", "Dev", "Kwame", "Kofi", "Chinedu", "Emeka", "Tunde", "David", "Michael", "Paul", "Peter", "Mark", "Stephen", "Andrew", "Robert", "John", "Brian", "Kevin", "Terence", "Dennis", "Keith", "Olivia", "Amelia", "Isla", "Ava", "Mia", "Ivy", "Lily", "Isabella", "Rosie", "Sophia", "Grace", "Freya", "Florence", "Evie", "Poppy", "Ella", "Emily", "Charlotte", "Jessica", "Megan", "Chloe", "Bethany", "Rhiannon", "Ffion", "Seren", "Eilidh", "Morag", "Niamh", "Siobhan", "Aoife", "Katarzyna", "Agnieszka", "Zofia", "Fatima", "Aisha", "Zainab", "Maryam", "Amina", "Priya", "Anjali", "Sunita", "Nisha", "Ngozi", "Adaeze", "Folake", "Blessing", "Abena", "Susan", "Margaret", "Patricia", "Linda", "Barbara", "Elizabeth", "Jennifer", "Sandra", "Carol", "Janet", "Christine", "Maureen", "Pauline", "Denise", "Tracey", "Julie", "Karen", "Donna", "Sharon", "Kelly", "Nicola", "Gemma", "Leanne", "Stacey", "Jade", "Shannon", "Demi"]
_SURNAMES = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson", "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall", "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill", "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen", "James", "Scott", "Phillips", "Watson", "Davis", "Parker", "Price", "Bennett", "Young", "Griffiths", "Mitchell", "Kelly", "Cook", "Carter", "Richardson", "Bailey", "Collins", "Bell", "Shaw", "Murphy", "Miller", "Cox", "Richards", "Khan", "Marshall", "Anderson", "Simpson", "Ellis", "Adams", "Singh", "Begum", "Wilkinson", "Foster", "Chapman", "Powell", "Webb", "Rogers", "Gray", "Mason", "Ali", "Hussain", "Campbell", "Matthews", "Owen", "Palmer", "Holmes", "Mills", "Barnes", "Knight", "Lloyd", "Butler", "Russell", "Barker", "Fisher", "Stevens", "Jenkins", "Murray", "Dixon", "Harvey", "Graham", "Pearson", "Ahmed", "Fletcher", "Walsh", "Kaur", "Gibson", "Howard", "Andrews", "Stewart", "Elliott", "Reynolds", "Saunders", "Payne", "Fox", "Ford", "Pearce", "Day", "Brooks", "West", "Lawrence", "Cole", "Atkinson", "Bradley", "Spencer", "Gill", "Dawson", "Ball", "Burton", "O'Brien", "Watts", "Rose", "Booth", "Perry", "Ryan", "Grant", "Wells", "Armstrong", "Francis", "Rees", "Hayes", "Hunt", "Kowalski", "Nowak", "Wisniewski", "Okonkwo", "Adeyemi", "Mensah", "Osei", "Nguyen", "Chowdhury", "Rahman", "Uddin", "Mistry", "Shah", "McDonald", "MacLeod", "Fraser", "Reid", "Docherty", "O'Neill", "Byrne", "Doyle", "Quinn", "Gallagher"]
_STREETS = (
    "Alma Road", "Beech Grove", "Chapel Street", "Dock Road", "Elm Close", "Foundry Lane", "Gasworks Road",
    "Hawthorn Avenue", "Ivy Court", "Jubilee Way", "Kingfisher Drive", "Lime Walk", "Mill Lane", "Nelson Street",
    "Orchard Way", "Park View", "Queen's Crescent", "Railway Terrace", "Station Road", "Tannery Row",
    "Union Street", "Victoria Road", "Wharf Lane", "Yew Tree Close", "Albert Terrace", "Brook Street",
    "Canal Side", "Drover's Way", "Eastfield Road", "Ferry Lane", "Gladstone Street", "Harbour View",
    "Ironworks Close", "Kestrel Rise", "Lark Hill", "Meadow Bank", "Nightingale Walk", "Oak Tree Road",
)
_BLOCKS = ("Ashdown House", "Beacon Court", "Cedar Tower", "Dunmore House", "Elder Court", "Fenwick House",
           "Granary Court", "Hilltop Tower", "Linden House", "Marlowe Court")
_AREAS = ("Northside", "Riverside", "Eastfield", "Old Town", "Westgate", "Southmead", "Hillcrest", "Canal Quarter")
_TOWN = "Exampletown"
_MPS = ("Helen Marsh MP", "David Ashworth MP")
_COUNCILLORS = ("Cllr Raj Mistry", "Cllr Joanne Pryce", "Cllr Tom Fairweather", "Cllr Adebayo Cole")

_CHANNELS = (("online form", 34), ("email", 28), ("phone", 22), ("letter", 7), ("in person", 5), ("social media", 4))

#: Service area: (weight, categories, summaries, definition (issues, outcomes, responsible, not responsible),
#: remedy action, outstanding actions). Summary i is a complaint of category i; summaries may use {month} and {n}.
_SERVICES: dict[str, tuple] = {
    "Repairs": (28, ("Missed appointment", "Heating and hot water", "Repeat repair", "Quality of work", "Delayed repair"), (
        "Reports a leak from the bathroom ceiling first reported in {month}; {n} appointments missed and still not fixed.",
        "Boiler has broken down {n} times since {month}; family without heating and hot water for days at a time.",
        "Kitchen window will not close since {month}; contractor attended twice but left without repairing it.",
        "Unhappy with the quality of the new kitchen fitted in {month}: doors misaligned and worktop water damaged.",
        "Front door lock broken since {month}; resident cannot secure the flat and has had {n} visits with no fix.",
    ), (
        "The time taken to complete the repair, the missed appointments and the communication about them.",
        "The repair completed properly; an apology; compensation for the inconvenience and missed time off work.",
        "Repairs to the structure, exterior and installations of the home under the tenancy agreement (s.11 Landlord and Tenant Act 1985).",
        "Damage to the resident's own belongings, which is for their contents insurance.",
    ), "Complete the outstanding repair and confirm it in writing", (
        "Complete the outstanding repair and confirm in writing", "Post-inspection of the contractor's work",
        "Review the repairs appointment process with the contractor", "Arrange a surveyor's visit",
    )),
    "Damp and mould": (15, ("Damp and mould", "Damp and mould", "Leak", "Ventilation"), (
        "Black mould in the children's bedroom since {month}; reported {n} times, only a mould wash carried out.",
        "Damp patches spreading across the living-room wall since {month}; resident worried about their asthma.",
        "Water coming through the ceiling from the flat above since {month}; mould now on the walls and clothes.",
        "Condensation and mould in every room; extractor fans not working since {month}.",
    ), (
        "The landlord's response to the reports of damp and mould, the time taken, and the risk to the household's health.",
        "A lasting fix for the cause of the damp; mould treatment and redecoration; compensation for damaged belongings.",
        "Finding and fixing the cause of damp and mould and keeping the home fit for habitation (Awaab's Law timescales).",
        "Replacing the resident's damaged clothes and furniture, which is for their contents insurance.",
    ), "Survey, treat the cause of the damp and redecorate the affected rooms", (
        "Damp and mould survey", "Install a humidistat extractor fan in the bathroom", "Mould treatment and redecoration",
        "Follow-up inspection six weeks after the works",
    )),
    "Anti-social behaviour": (8, ("Noise nuisance", "Communication", "Handling of ASB report"), (
        "Reported noise from the neighbouring flat {n} times since {month}; no action plan and no updates.",
        "Harassment by a neighbour reported in {month}; the case was closed without the resident being told.",
        "Drug dealing in the stairwell reported since {month}; resident feels unsafe and unheard.",
    ), (
        "How the reports of anti-social behaviour were handled, the lack of updates and the closure of the ASB case.",
        "An action plan with the ASB team; regular updates; an apology.",
        "Investigating reports of anti-social behaviour under the ASB policy and keeping the resident updated.",
        "Criminal matters for the police; the neighbour's private tenancy with another landlord.",
    ), "Agree an ASB action plan with the resident and update them fortnightly", (
        "Agree an ASB action plan and named contact", "Install noise monitoring equipment", "Fortnightly update to the resident",
    )),
    "Rent and service charges": (8, ("Service charge dispute", "Rent account error", "Arrears handling"), (
        "Service charge for {month} includes a cleaning charge for a service that has not been delivered.",
        "Rent account shows arrears of £{n}00 that the resident says were paid by Universal Credit in {month}.",
        "Received a notice of seeking possession in {month} despite a payment plan being agreed.",
    ), (
        "The accuracy of the rent account and service charges, and how the arrears were pursued.",
        "The account corrected; the charge refunded; an apology for the stress caused.",
        "Accurate rent and service charge accounts and fair arrears recovery under the income policy.",
        "Universal Credit decisions, which are for the Department for Work and Pensions.",
    ), "Correct the rent account and send a statement", (
        "Correct the rent account and send a statement", "Refund the overcharged service charge",
        "Review the service charge schedule for the block",
    )),
    "Estate services": (8, ("Communal cleaning", "Lighting", "Pest control"), (
        "Communal stairwell has not been cleaned since {month}; rubbish left on the landings.",
        "Communal lighting on the estate broken since {month}; residents feel unsafe at night.",
        "Rats in the bin store reported {n} times since {month}.",
    ), (
        "The standard of estate services and the response to reports about them.",
        "The service put right; the service charge reduced for the period it was not delivered.",
        "Estate cleaning, grounds maintenance, communal lighting and pest control on landlord-owned land.",
        "Private land and the highway, which belong to others.",
    ), "Restore the communal service and reduce the service charge for the period", (
        "Repair the communal lighting", "Deep clean of the stairwell", "Pest control treatment of the bin store",
    )),
    "Lettings": (6, ("Void standard", "Mutual exchange", "Allocation decision"), (
        "Moved into the property in {month} and found it in poor condition: no flooring and a broken cooker.",
        "Mutual exchange application made in {month} has had no decision.",
        "Disagrees with the banding decision on the housing register made in {month}.",
    ), (
        "The condition of the home at the start of the tenancy, or the handling of the application.",
        "The home brought up to the lettable standard, or a decision on the application; an apology.",
        "The lettable standard of homes and decisions on applications under the allocations policy.",
        "Statutory reviews of homelessness decisions, which have their own procedure.",
    ), "Bring the home up to the lettable standard", (
        "Bring the home up to the lettable standard", "Decide the mutual exchange application",
    )),
    "Council Tax": (10, ("Discount or exemption", "Billing error", "Recovery action"), (
        "Single person discount removed in {month} without explanation; a summons followed.",
        "Council Tax bill for {month} charged for a property the resident had already left.",
        "Bailiffs instructed in {month} although the resident had asked for a payment arrangement.",
    ), (
        "The billing and recovery of Council Tax on the account.",
        "The bill corrected; recovery costs withdrawn; an apology.",
        "Billing, discounts and recovery of Council Tax under the council's procedures.",
        "Valuation bands, which are for the Valuation Office Agency.",
    ), "Correct the Council Tax account and withdraw the recovery costs", (
        "Correct the Council Tax account", "Withdraw the summons costs", "Recall the account from the enforcement agent",
    )),
    "Planning": (5, ("Enforcement", "Application handling"), (
        "Reported an unauthorised extension next door in {month}; no enforcement visit yet.",
        "Planning application submitted in {month} has missed its determination date with no update.",
    ), (
        "The handling of the planning enforcement report or application and the updates given.",
        "A decision or a site visit; updates; an apology for the delay.",
        "How the council handles enforcement reports and applications (not the planning merits).",
        "The planning merits of a decision, which can be appealed to the Planning Inspectorate.",
    ), "Arrange the enforcement site visit and report back", (
        "Enforcement site visit", "Write to the resident with the decision",
    )),
    "Waste": (12, ("Assisted collection", "Bulky waste", "Missed collection"), (
        "Bin missed {n} times since {month} despite an assisted collection being agreed.",
        "Paid for a bulky waste collection in {month} that never happened.",
        "Recycling not collected from the street for {n} weeks since {month}.",
    ), (
        "The missed collections and the handling of the resident's reports.",
        "Collections made as agreed; a refund; an apology.",
        "Household waste and recycling collections, including agreed assisted collections.",
        "Fly-tipping on private land, which is for the landowner.",
    ), "Add the property to the crew's assisted collection list and monitor for four weeks", (
        "Add the property to the assisted collection list", "Monitor collections for four weeks", "Refund the bulky waste fee",
    )),
}

_AREA_NAMES = list(_SERVICES)
_AREA_CUM = list(accumulate(v[0] for v in _SERVICES.values()))
_CHANNEL_NAMES = [c for c, _ in _CHANNELS]
_CHANNEL_CUM = list(accumulate(w for _, w in _CHANNELS))

_REASONS = {
    "upheld": (
        "We have upheld your complaint. Our records confirm the delays you described and that we did not keep "
        "you updated. This fell short of the service you should expect, and we apologise."
    ),
    "partly-upheld": (
        "We have partly upheld your complaint. We agree that our communication was poor and that an appointment "
        "was missed, but the works themselves were completed within our published timescales."
    ),
    "not-upheld": (
        "We have not upheld your complaint. Our records show that we responded to each report within our "
        "published timescales and kept you informed; we have explained the reasons for the decisions made."
    ),
}

_NOTES = (
    "Called the resident to arrange an inspection; agreed a morning appointment.",
    "Spoke to the contractor's supervisor: the job was closed in error and has been reopened.",
    "Checked the repairs history: {n} previous jobs raised for the same issue.",
    "Resident emailed photographs of the problem; saved to the case.",
    "Left a voicemail for the resident asking them to call back about access.",
    "Discussed with the team leader; agreed the remedy proposed.",
)

_WITHDRAW_REASONS = (
    "Resident phoned to say the repair has now been done and they no longer wish to complain.",
    "Resident emailed to withdraw: the matter was resolved directly with the contractor.",
    "Resident said they had raised it as a complaint by mistake and only wanted the service request chased.",
)

_DISABILITIES = (
    ("Partially sighted (macular degeneration)", ("large print", "Letters in 16pt Arial, matt paper")),
    ("Registered blind", ("braille", "Letters in Grade 2 braille; phone call to say a letter is on its way")),
    ("Deaf; British Sign Language user", ("BSL", "BSL interpreter for meetings and visits; contact by text or video relay")),
    ("Dyslexia", ("easy read", "Short letters in plain English with a summary box")),
    ("Learning disability", ("advocate", "Copy letters to the resident's advocate; easy read versions")),
    ("Anxiety and depression", ("preferred channel", "Email only; no unannounced phone calls")),
    ("Mobility impairment (wheelchair user)", ("extra time", "Extra time to provide information; visits at home rather than the office")),
    ("Autism", ("preferred channel", "Written contact only, with a named officer")),
    ("Chronic fatigue syndrome (ME)", ("extra time", "Appointments after 11am; extra time to reply")),
)
_INTERPRETERS = ("Polish", "Arabic", "Bengali", "Romanian", "Somali", "Urdu", "Tigrinya")
_VULNERABILITY = (
    "Lives alone; recent bereavement.",
    "Older resident (87), hard of hearing; daughter helps with post.",
    "Young child with asthma in the household (damp).",
    "Mental health condition disclosed; prefers calls in the morning.",
    "Pregnant; due date in the spring.",
    "Recently discharged from hospital after surgery.",
    "Care leaver in first tenancy.",
)

_RESTRICTIONS = (
    (
        "All contact by email to the named case officer only; no calls to the contact centre for six months.",
        "Repeated abusive calls to the contact centre (call recordings of 3, 5 and 9 June kept); warning letter sent 12 June.",
    ),
    (
        "Face-to-face meetings only with two officers present; no home visits by lone officers.",
        "Threatening behaviour towards a surveyor during a home visit (incident report and witness statement on file).",
    ),
)


# ---------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Off:
    id: int
    login: str
    name: str
    role: str


@dataclass(slots=True)
class _Plan:
    """One case: its received date and the working-day lag of every step (None: not yet)."""

    case_type: str
    received: date
    policy: Policy
    resident: int
    o1: _Off
    logger: _Off
    area: str
    category: str
    channel: str
    summary: int = 0  # which of the area's summaries (and so its category)
    representative: int | None = None
    issue_date: date | None = None
    discretion: str = ""
    not_accepted: str | None = None  # a Ground value
    na_lag: int = 2
    withdraw: str | None = None  # "awaiting" or "open"
    withdraw_lag: int = 2
    ack1: int | None = None
    ext1: tuple[int, ...] = ()
    resp1: int | None = None  # working days from the due date: <= 0 in time, > 0 late
    decision1: str = "upheld"
    esc: int | None = None
    esc_reason: str = ""
    refuse: str | None = None  # "stage1" or "stage2"
    refuse_lag: int = 2
    refuse_ground: str = Ground.PREVIOUSLY_CONSIDERED.value
    o2: _Off | None = None
    assign2: int | None = None
    ack2: int | None = None
    ext2: tuple[int, ...] = ()
    resp2: int | None = None
    decision2: str = "not-upheld"
    close: int | None = None
    actions: str = "random"  # "random", "none" or "overdue"
    related: int | None = None
    service_request: int | None = None


@dataclass(slots=True)
class _StageRun:
    id: int
    number: int
    requested: date
    officer: _Off | None
    acknowledged: date | None = None
    responded: date | None = None
    ext_days: int = 0
    request_reason: str = ""
    issues: str = ""
    outcomes: str = ""
    responsible: str = ""
    not_responsible: str = ""
    decision: str = ""
    reasons: str = ""
    no_remedy: bool = False
    no_actions: bool = False


class _Builder:
    """Turns plans into rows, kept per table until flushed."""

    def __init__(self, rng: random.Random, today: date, cal: WorkingCalendar, policy: Policy, old_policy: Policy,
                 cutover: date, me: str, history_start: date) -> None:
        self.rng, self.today, self.cal = rng, today, cal
        self.policy, self.old_policy, self.cutover = policy, old_policy, cutover
        self.me = me
        self.history_start = history_start
        self.full_record_from = today - timedelta(days=180)
        self.rows: dict[str, list[dict]] = {t.__table__.name: [] for t in _TABLES}
        self.ids: Counter[str] = Counter()
        self.statuses: Counter[str] = Counter()
        self.total_rows = 0
        first, last = history_start - timedelta(days=800), today + timedelta(days=800)
        day, wd = first, []
        while day <= last:
            if cal.is_working_day(day):
                wd.append(day.toordinal())
            day += timedelta(days=1)
        self.wd = wd
        self.today_wd = self.last_wd(today)
        self._calc_cache: dict[tuple, rem.Calculation] = {}
        self._guidance: dict[date, rem.Guidance] = {}
        self._times: dict[int, datetime] = {}
        self._random = rng.random
        self._audit_id = 0
        self._audit_rows = self.rows["audit_event"]
        self._definitions: dict[str, str] = {}
        self._minute = 0
        self._day: date | None = None
        self.officers: dict[str, _Off] = {}
        self.reps: dict[tuple[int, str], int] = {}
        self.resident_since: dict[int, date] = {}

    # -- working days --------------------------------------------------------------------

    def add(self, day: date, n: int) -> date:
        return self.cal.add(day, n)

    def back(self, day: date, n: int) -> date:
        """The working day with exactly ``n`` working days in (it, ``day``]; ``day`` must be a working day."""
        i = bisect_left(self.wd, day.toordinal())
        assert self.wd[i] == day.toordinal(), day
        return date.fromordinal(self.wd[i - n])

    def last_wd(self, day: date) -> date:
        return date.fromordinal(self.wd[bisect_right(self.wd, day.toordinal()) - 1])

    def random_wd(self, first: date, last: date) -> date:
        lo, hi = bisect_left(self.wd, first.toordinal()), bisect_right(self.wd, last.toordinal()) - 1
        return date.fromordinal(self.wd[self.rng.randint(lo, hi)])

    # -- rows ----------------------------------------------------------------------------

    def next_id(self, table: str) -> int:
        self.ids[table] += 1
        return self.ids[table]

    def at(self, day: date) -> datetime:
        """A time on ``day`` (office hours), later than the previous event of the case on the same day."""
        if day != self._day:
            self._day = day
            self._minute = 510 + int(self._random() * 300)
        else:
            self._minute += 1 + int(self._random() * 25)
        key = day.toordinal() * 1440 + (self._minute if self._minute < 1440 else 1439)
        at = self._times.get(key)
        if at is None:
            if len(self._times) > 100_000:
                self._times.clear()
            minute = key % 1440
            at = self._times[key] = datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=UTC)
        return at

    def audit(self, day: date, actor: str, action: str, detail: str, case_id: int | None,
              after: str = "", before: str = "") -> datetime:
        at = self.at(day)
        self._audit_id += 1
        self._audit_rows.append({
            "id": self._audit_id, "at": at, "actor": actor, "case_id": case_id, "action": action,
            "detail": detail, "before": before, "after": after,
        })
        return at

    def correspondence(self, case_id: int, day: date, by: str, kind: str, subject: str, body: str, *,
                       direction: str = "internal", letter_kind: str = "") -> None:
        at = self.at(day)
        cid = self.next_id("correspondence")
        self.rows["correspondence"].append({
            "id": cid, "case_id": case_id, "kind": kind, "direction": direction, "letter_kind": letter_kind,
            "subject": subject, "body": body, "at": at, "by": by,
        })
        if letter_kind:
            self.audit(day, by, "letter issued", subject, case_id, after=f'{{"correspondence_id": {cid}, "letter_kind": "{letter_kind}"}}')
        elif direction == "internal" or kind == "note":
            self.audit(day, by, f"{kind} added", body[:120], case_id, after=f'{{"correspondence_id": {cid}, "letter_kind": ""}}')
        else:
            self.audit(day, by, f"{kind} added", subject or body[:120], case_id,
                       after=f'{{"correspondence_id": {cid}, "letter_kind": ""}}')

    def take(self) -> dict[str, list[dict]]:
        """Everything collected so far (to insert); collecting starts again empty."""
        taken = self.rows
        self.rows = {name: [] for name in taken}
        self._audit_rows = self.rows["audit_event"]
        self.total_rows += sum(len(rows) for rows in taken.values())
        return taken


    # -- people --------------------------------------------------------------------------

    def add_officers(self) -> None:
        created = datetime.combine(self.history_start - timedelta(days=400), datetime.min.time(), UTC)
        people = list(_OFFICERS)
        me = self.me
        if me not in {p[0] for p in people}:
            people.append((me, _display_name(me), "administrator"))
        for login, name, role in people:
            if login == me:
                role = "administrator"
            oid = self.next_id("officer")
            self.officers[login] = _Off(oid, login, name, role)
            self.rows["officer"].append({
                "id": oid, "login": login, "name": name, "email": f"{login}@example.gov.uk", "role": role,
                "active": True, "created_at": created,
            })
            self.audit(created.date(), "gthompson" if login != "gthompson" else login, "officer added",
                       f"{login} ({role})", None, after=json.dumps({"login": login, "role": role}))

    def add_residents(self, count: int) -> list[int]:
        """Residents; the first dozen carry the adjustments, restrictions and vulnerabilities the demo shows."""
        rng, today = self.rng, self.today
        ids: list[int] = []
        used_names: set[str] = set()
        for i in range(count):
            rid = self.next_id("resident")
            ids.append(rid)
            while True:
                first, last = rng.choice(_FIRST), rng.choice(_SURNAMES)
                name = f"{first} {last}"
                if name not in used_names or len(used_names) > len(_FIRST) * len(_SURNAMES) // 2:
                    used_names.add(name)
                    break
            if rng.random() < 0.35:
                address = f"Flat {rng.randint(1, 48)}, {rng.choice(_BLOCKS)}, {rng.choice(_STREETS)}"
            else:
                address = f"{rng.randint(1, 180)} {rng.choice(_STREETS)}"
            address += f", {rng.choice(_AREAS)}, {_TOWN} EX{rng.randint(1, 9)} {rng.randint(1, 9)}{rng.choice('ABDEFGHJLNPQRSTUWXY')}{rng.choice('ABDEFGHJLNPQRSTUWXY')}"
            email = ""
            if rng.random() < 0.65:
                email = f"{first}.{last}{rng.randint(1, 99)}@example.{rng.choice(('com', 'org', 'net'))}".lower().replace("'", "")
            phone = f"07700 900{rng.randint(0, 999):03d}" if rng.random() < 0.8 else f"01632 960{rng.randint(0, 999):03d}"
            special = i < 12
            vulnerable = (special and i % 3 == 0) or rng.random() < 0.07
            since = self.history_start - timedelta(days=rng.randint(30, 3000))
            self.resident_since[rid] = since
            created = datetime.combine(since, datetime.min.time(), UTC) + timedelta(hours=10)
            self.rows["resident"].append({
                "id": rid, "name": name, "address": address, "email": email, "phone": phone,
                "preferred_channel": "email" if email and rng.random() < 0.5 else ("phone" if rng.random() < 0.6 else "letter"),
                "vulnerable": vulnerable, "vulnerability_notes": rng.choice(_VULNERABILITY) if vulnerable else "",
                "created_at": created,
            })
            self.audit(since, rng.choice(_STAGE1_POOL), "resident added", name, None, after=json.dumps({"name": name}))
            if (special and i % 2 == 0) or rng.random() < 0.05:
                self._disability(rid, i, since)
            elif special and i % 4 == 1 or rng.random() < 0.015:
                lang = rng.choice(_INTERPRETERS)
                self._adjustment(rid, "interpreter", f"{lang} interpreter for calls and meetings; letters translated", since, i)
            if (special and i in (3, 7)) or rng.random() < 0.04:
                self._representative(rid, rng.choice(("advocate", "family member", "support worker")), since)
        # Contact restrictions: one or two (more for a large demo), authorised by a supervisor.
        for n in range(max(2, count // 5000)):
            rid = ids[5 + n * 4] if 5 + n * 4 < len(ids) else ids[-1]
            text, evidence = _RESTRICTIONS[n % len(_RESTRICTIONS)]
            starts = today - timedelta(days=60 + 150 * n)
            review = today + timedelta(days=40) if n % 2 == 0 else today - timedelta(days=9)  # the second is overdue
            self.rows["restriction"].append({
                "id": self.next_id("restriction"), "resident_id": rid, "restriction": text, "evidence": evidence,
                "authorised_by": _SUPERVISORS[n % 2], "starts_on": starts, "review_date": review, "active": True,
                "created_at": self.at(starts),
            })
            self.audit(starts, _SUPERVISORS[n % 2], "restriction recorded", text, None,
                       after=json.dumps({"resident_id": rid, "authorised_by": _SUPERVISORS[n % 2], "review_date": review.isoformat()}))
        return ids

    def _disability(self, rid: int, i: int, since: date) -> None:
        rng, today = self.rng, self.today
        description, (kind, details) = _DISABILITIES[(i // 2) % len(_DISABILITIES)] if i < 12 else rng.choice(_DISABILITIES)
        disclosed = max(since, today - timedelta(days=rng.randint(60, 900)))
        by = rng.choice(_STAGE1_POOL)
        self.rows["disability"].append({
            "id": self.next_id("disability"), "resident_id": rid, "description": description, "disclosed_on": disclosed,
            "recorded_by": by, "created_at": self.at(disclosed),
        })
        self.audit(disclosed, by, "disability recorded", description, None, after=json.dumps({"resident_id": rid}))
        self._adjustment(rid, kind, details, disclosed, i)
        if kind == "braille" or (kind == "large print" and rng.random() < 0.5):
            self._adjustment(rid, "preferred channel", "Phone call before any letter is sent", disclosed, i + 1)

    def _adjustment(self, rid: int, kind: str, details: str, agreed: date, i: int) -> None:
        """An agreed adjustment; about a third have their review overdue (some with an earlier review on record)."""
        rng, today = self.rng, self.today
        overdue = (i < 12 and i % 4 == 0) or (i >= 12 and rng.random() < 0.3)
        if overdue:
            review = today - timedelta(days=rng.randint(3, 120))
        else:
            review = today + timedelta(days=rng.randint(10, 300))
        agreed = min(agreed, review - timedelta(days=180))
        by = rng.choice(_STAGE1_POOL)
        aid = self.next_id("adjustment")
        self.rows["adjustment"].append({
            "id": aid, "resident_id": rid, "kind": kind, "details": details, "agreed_on": agreed, "review_date": review,
            "active": True, "recorded_by": by, "created_at": self.at(agreed),
        })
        self.audit(agreed, by, "adjustment agreed", f"{kind}: {details}", None,
                   after=json.dumps({"resident_id": rid, "kind": kind, "review_date": review.isoformat()}))
        reviewed = review - timedelta(days=182)
        if reviewed > agreed + timedelta(days=60) and reviewed < today:
            self.rows["review"].append({
                "id": self.next_id("review"), "subject": "adjustment", "subject_id": aid, "reviewed_on": reviewed,
                "outcome": "Reviewed with the resident: still needed and working well.", "next_review": review,
                "reviewed_by": by, "created_at": self.at(reviewed),
            })
            self.audit(reviewed, by, "adjustment reviewed", "Reviewed with the resident: still needed and working well.",
                       None, after=json.dumps({"review_date": review.isoformat(), "active": True}))

    def _representative(self, rid: int, relationship: str, since: date, name: str | None = None) -> int:
        rng = self.rng
        name = name or f"{rng.choice(_FIRST)} {rng.choice(_SURNAMES)}"
        consent = since + timedelta(days=rng.randint(1, 30))
        rep = self.next_id("representative")
        self.rows["representative"].append({
            "id": rep, "resident_id": rid, "name": name, "relationship": relationship,
            "address": "" if relationship in ("MP", "councillor") else f"{rng.randint(1, 99)} {rng.choice(_STREETS)}, {_TOWN}",
            "email": "", "consent_recorded": True, "consent_date": consent,
            "consent_notes": "Signed consent form on file" if relationship not in ("MP", "councillor")
            else "Resident's consent confirmed in the enquiry",
            "created_at": self.at(consent),
        })
        self.audit(consent, rng.choice(_STAGE1_POOL), "representative added", f"{name} ({relationship})", None,
                   after=json.dumps({"name": name, "consent_date": consent.isoformat()}))
        self.reps[(rid, relationship)] = rep
        return rep

    def representative_for(self, rid: int, case_type: str, received: date) -> int | None:
        """The MP or councillor for an enquiry (created on first use), or an existing representative now and then."""
        if case_type == "mp-enquiry":
            key = (rid, "MP")
            return self.reps.get(key) or self._representative(rid, "MP", received - timedelta(days=31), _MPS[rid % 2])
        if case_type == "councillor-enquiry":
            key = (rid, "councillor")
            return self.reps.get(key) or self._representative(rid, "councillor", received - timedelta(days=31),
                                                              _COUNCILLORS[rid % len(_COUNCILLORS)])
        for rel in ("advocate", "family member", "support worker"):
            rep = self.reps.get((rid, rel))
            if rep and self.rng.random() < 0.6:
                return rep
        return None

    def service_request(self, rid: int, received: date, area: str) -> int:
        day = received - timedelta(days=self.rng.randint(5, 40))
        sid = self.next_id("servicerequest")
        self.rows["servicerequest"].append({
            "id": sid, "reference": f"SR-{sid:06d}", "resident_id": rid, "received": day, "service_area": area,
            "description": f"{area}: reported by the resident and passed to the service", "status": "open",
            "created_at": self.at(day),
        })
        self.audit(day, self.rng.choice(_STAGE1_POOL), "service request recorded", f"SR-{sid:06d}: {area}", None)
        return sid

    # -- timelines -----------------------------------------------------------------------

    def _start(self, event: str, received: date, requested: date | None, acknowledged: date | None) -> date | None:
        return received if event == "received" else requested if event == "requested" else acknowledged

    def _extensions(self, chunks: tuple[int, ...], start: date, days: int, floor: date) -> tuple[list[tuple[date, int]], date]:
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

    def timeline(self, p: _Plan) -> dict:
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

    def anchor_received(self, p: _Plan, anchor: str, target: date) -> None:
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

    def play(self, p: _Plan) -> int:
        """Write the case's rows for every step dated up to today; return the case id."""
        rng, today = self.rng, self.today
        t = self.timeline(p)
        cid = self.next_id("complaint_case")
        ref = f"{_PREFIX[p.case_type]}-{cid:06d}"
        self._day = None
        R = p.received
        area = _SERVICES[p.area]
        summary = area[2][p.summary].format(
            month=(R - timedelta(days=rng.randint(20, 200))).strftime("%B"), n=rng.randint(2, 5))
        state = {"status": _AWAIT, "version": 1}
        stages: list[_StageRun] = [_StageRun(self.next_id("stage"), 1, R, p.o1)]
        actions_open: list[dict] = []
        last_done: list[date] = []

        def change(day: date, actor: str, action: str, detail: str, after: str = "", before: str = "") -> None:
            at = self.audit(day, actor, action, detail, cid, after=after, before=before)
            state["version"] += 1
            state["updated"] = (at, actor)

        # logged
        created = self.audit(R, p.logger.login, "logged", f"{p.case_type} logged", cid, after=(
            f'{{"case_type": "{p.case_type}", "category": "{p.category}", "channel": "{p.channel}", '
            f'"received": "{R}", "service_area": "{p.area}"}}'))
        state["updated"] = (created, p.logger.login)
        full = R >= self.full_record_from  # older cases keep a lighter record: no incoming mail, notes or progress updates
        if full:
            self.correspondence(cid, R, p.logger.login, "email" if p.channel in ("email", "online form") else
                                "phone" if p.channel == "phone" else "letter",
                                f"{_TYPE_WORDS[p.case_type].capitalize()} received", summary, direction="in")
        if p.discretion:
            self.audit(R, p.logger.login, "accepted out of time", p.discretion, cid)

        def finish() -> int:
            status = state["status"]
            self.statuses[status] += 1
            for s in stages:
                s_ack, s_resp = stage_due_dates(p.policy, self.cal, s.number, R, s.requested, s.acknowledged, s.ext_days)
                current_dues = (s_ack, s_resp)
                self.rows["stage"].append({
                    "id": s.id, "case_id": cid, "number": s.number, "officer_id": s.officer.id if s.officer else None,
                    "requested": s.requested, "request_reason": s.request_reason, "acknowledged": s.acknowledged,
                    "responded": s.responded, "ack_due": s_ack, "response_due": s_resp, "issues": s.issues,
                    "outcomes": s.outcomes, "responsible": s.responsible, "not_responsible": s.not_responsible,
                    "decision": s.decision, "reasons": s.reasons, "no_remedy": s.no_remedy, "no_actions": s.no_actions,
                })
            current = stages[-1]
            due, kind = next_due(status, *current_dues)
            updated_at, updated_by = state["updated"]
            self.rows["complaint_case"].append({
                "id": cid, "reference": ref, "case_type": p.case_type, "resident_id": p.resident,
                "representative_id": p.representative, "channel": p.channel, "service_area": p.area,
                "category": p.category, "summary": summary, "received": R, "issue_date": p.issue_date,
                "discretion_reason": p.discretion, "policy_key": p.policy.key, "stage": current.number,
                "status": status, "closed": status not in _LIVE,
                "officer_id": current.officer.id if current.officer else None, "next_due": due, "next_due_kind": kind,
                "related_case_id": p.related, "service_request_id": p.service_request, "version": state["version"],
                "created_at": created, "updated_at": updated_at, "updated_by": updated_by,
            })
            return cid

        def reached(key: str) -> date | None:
            day = t.get(key)
            return day if day is not None and day <= today else None

        # not accepted (2.1, 2.2)
        if p.not_accepted:
            day = reached("na")
            if day:
                self._exclusion(cid, "not-accepted", p.not_accepted, day, p.o1.login, change, ref, p)
                state["status"] = _NOT_ACCEPTED
            return finish()
        if p.withdraw == "awaiting":
            day = reached("withdrawn")
            if day:
                self._withdraw(cid, day, p.o1.login, change)
                state["status"] = _WITHDRAWN
            return finish()

        # Stage 1
        s1 = stages[0]
        A1 = reached("A1")
        if not A1:
            return finish()
        self._acknowledge(cid, ref, s1, A1, area, change, p)
        state["status"] = _OPEN
        if p.withdraw == "open":
            day = reached("withdrawn")
            if day:
                self._withdraw(cid, day, p.o1.login, change)
                state["status"] = _WITHDRAWN
            return finish()
        if full and rng.random() < 0.3:
            note_day = self.add(A1, 1 + int(rng.random() * 4))
            if note_day <= today:
                self.correspondence(cid, note_day, p.o1.login, "note", "", rng.choice(_NOTES).format(n=rng.randint(2, 6)))
        self._extend(cid, ref, s1, t["ext1"], p.policy.stage1, change, p)
        P1 = reached("P1")
        if not P1:
            return finish()
        self._respond(cid, ref, s1, P1, p.decision1, area, change, p, actions_open, last_done)
        state["status"] = _RESPONDED

        if p.esc is None or "Q" not in t:
            self._maybe_close(cid, t, change, p, actions_open, last_done, state)
            return finish()
        Q = reached("Q")
        if not Q:
            return finish()
        if p.refuse == "stage1":
            self.correspondence(cid, Q, p.o1.login, "email", "Asks for the complaint to go to Stage 2",
                                p.esc_reason or "I am not satisfied with your response and want Stage 2.", direction="in")
            day = reached("refused")
            if day:
                self._exclusion(cid, "escalation-refused", p.refuse_ground, day, _SUPERVISORS[cid % 2], change, ref, p)
                state["status"] = _REFUSED
            return finish()
        s2 = _StageRun(self.next_id("stage"), 2, Q, None, request_reason=p.esc_reason)
        stages.append(s2)
        state["status"] = _AWAIT
        escalated_by = p.logger.login
        change(Q, escalated_by, "escalated", "Stage 2 requested",
               after=json.dumps({"on": Q.isoformat(), "reason": p.esc_reason, "officer": None}))
        self.correspondence(cid, Q, escalated_by, "email", "Request to escalate to Stage 2",
                            p.esc_reason or "Please take my complaint to Stage 2.", direction="in")
        if p.refuse == "stage2":
            day = reached("refused")
            if day:
                self._exclusion(cid, "escalation-refused", p.refuse_ground, day, _SUPERVISORS[cid % 2], change, ref, p)
                state["status"] = _REFUSED
            return finish()
        G = reached("G")
        if not G or p.o2 is None:
            return finish()
        supervisor = self.officers[_SUPERVISORS[(cid // 2) % 2]]
        s2.officer = p.o2
        change(G, supervisor.login, "assigned", f"Stage 2 assigned to {p.o2.login}",
               before='{"officer": null}', after=json.dumps({"officer": p.o2.login}))
        A2 = reached("A2")
        if not A2:
            return finish()
        self._acknowledge(cid, ref, s2, A2, area, change, p)
        state["status"] = _OPEN
        self._extend(cid, ref, s2, t["ext2"], p.policy.stage2, change, p)
        P2 = reached("P2")
        if not P2:
            return finish()
        self._respond(cid, ref, s2, P2, p.decision2, area, change, p, actions_open, last_done)
        state["status"] = _RESPONDED
        self._maybe_close(cid, t, change, p, actions_open, last_done, state)
        return finish()

    # -- steps ---------------------------------------------------------------------------

    def _exclusion(self, cid, kind, ground, day, by, change, ref, p) -> None:
        reasons = {
            Ground.OVER_TWELVE_MONTHS.value: (
                f"The issue arose in {p.issue_date:%B %Y}, over 12 months before the complaint; the resident gave no "
                "reason why it could not have been raised sooner." if p.issue_date else
                "The issue arose over 12 months before the complaint was made."),
            Ground.LEGAL_PROCEEDINGS.value: (
                "The resident's solicitor has filed a disrepair claim at Exampletown County Court about the same "
                "matters (claim form and particulars of claim filed)."),
            Ground.PREVIOUSLY_CONSIDERED.value: (
                "The same matter was fully considered under our complaints policy last year and answered at Stage 2; "
                "no new issues have been raised."),
        }[ground]
        self.rows["exclusion"].append({
            "id": self.next_id("exclusion"), "case_id": cid, "kind": kind, "ground": ground, "reasons": reasons,
            "decided_on": day, "decided_by": by, "created_at": self.at(day),
        })
        change(day, by, kind, f"{GROUND_LABELS[Ground(ground)]}: {reasons}",
               after=json.dumps({"ground": ground, "reasons": reasons}))
        subject = f"{ref}: " + ("we cannot accept your complaint" if kind == "not-accepted" else "we cannot escalate your complaint")
        body = (f"{subject}.\n\n{reasons}\n\nIf you disagree with this decision you can ask the Ombudsman to look "
                "at it (see the contact details below).")
        self.correspondence(cid, day, by, "letter", subject, body, direction="out", letter_kind=kind)

    def _withdraw(self, cid, day, by, change) -> None:
        reason = self.rng.choice(_WITHDRAW_REASONS)
        self.correspondence(cid, day, by, "phone", "Resident withdrew the complaint", reason, direction="in")
        change(day, by, "withdrawn", reason)

    def _acknowledge(self, cid, ref, s: _StageRun, day, area, change, p) -> None:
        issues, outcomes, responsible, not_responsible = area[3]
        if s.number == 2:
            issues = f"The resident remains unhappy with the Stage 1 response: {issues[0].lower()}{issues[1:]}"
        s.acknowledged = day
        s.issues, s.outcomes, s.responsible, s.not_responsible = issues, outcomes, responsible, not_responsible
        by = s.officer.login if s.officer else p.o1.login
        change(day, by, "acknowledged", f"Stage {s.number} acknowledged and defined",
               after=self._definition_json(day, issues, area) if day >= self.full_record_from else f'{{"on": "{day}"}}')
        self.correspondence(cid, day, by, "letter", f"{ref}: we have received your Stage {s.number} complaint",
                            f"Our understanding of your complaint: {issues}\nWhat you would like: {outcomes}",
                            direction="out", letter_kind="acknowledgement")

    def _definition_json(self, day: date, issues: str, area: tuple) -> str:
        """The acknowledged event's JSON as the services write it: the date and the complaint definition."""
        cached = self._definitions.get(issues)
        if cached is None:
            _, outcomes, responsible, not_responsible = area[3]
            cached = self._definitions[issues] = json.dumps({"definition": {
                "issues": issues, "outcomes": outcomes, "responsible": responsible, "not_responsible": not_responsible,
            }, "on": "@@"}, sort_keys=True)
        return cached.replace("@@", day.isoformat())

    def _extend(self, cid, ref, s: _StageRun, recorded: list[tuple[date, int]], sp, change, p) -> None:
        cap = sp.extension_cap
        for day, wd in recorded:
            total = s.ext_days + wd
            beyond = cap is None or total > cap
            actor = s.officer if s.officer and (not beyond or s.officer.role != "officer") else \
                self.officers[_SUPERVISORS[cid % 2]]
            reason = ("We are waiting for a specialist survey report before we can give you a full answer."
                      if s.ext_days == 0 else "The contractor's report has been delayed by access problems.")
            good = ("The survey found structural problems needing an engineer's report; a full answer without it "
                    "would not resolve the complaint.") if beyond else ""
            self.rows["extension"].append({
                "id": self.next_id("extension"), "stage_id": s.id, "working_days": wd, "reason": reason,
                "good_reason": good, "approved_by": actor.login if beyond else None, "beyond_cap": beyond,
                "resident_told": day, "recorded_on": day, "recorded_by": actor.login, "created_at": self.at(day),
            })
            s.ext_days = total
            change(day, actor.login, "extended",
                   f"Stage {s.number} response extended by {wd} working days: {reason}",
                   after=json.dumps({"extension": {"working_days": wd, "beyond_cap": beyond}}))
            self.correspondence(cid, day, actor.login, "letter", f"{ref}: we need more time to respond",
                                f"{reason} You can contact the Ombudsman at any time (details below).",
                                direction="out", letter_kind="extension")

    def _respond(self, cid, ref, s: _StageRun, day, decision, area, change, p, actions_open, last_done) -> None:
        rng = self.rng
        by = s.officer.login if s.officer else p.o1.login
        remedies = 0
        if decision != "not-upheld" or rng.random() < 0.25:
            remedies = self._remedies(cid, s.number, day, decision, area, by)
        actions = 0
        mode = p.actions
        if mode == "overdue" or (mode == "random" and decision != "not-upheld" and rng.random() < 0.4):
            actions = self._actions(cid, s.number, day, p.area, by, mode == "overdue", actions_open, last_done)
        s.responded, s.decision, s.reasons = day, decision, _REASONS[decision]
        s.no_remedy, s.no_actions = remedies == 0, actions == 0
        change(day, by, "responded", f"Stage {s.number} response: {decision}",
               after=f'{{"actions": {actions}, "decision": "{decision}", "on": "{day}", "remedies": {remedies}}}')
        next_step = ("If you are not satisfied you can ask us to consider your complaint at Stage 2."
                     if s.number == 1 else "If you remain dissatisfied you can refer your complaint to the Ombudsman.")
        self.correspondence(cid, day, by, "letter", f"{ref}: our Stage {s.number} response",
                            f"{_REASONS[decision]}\n{next_step}", direction="out",
                            letter_kind="response")

    def _calc(self, day: date, decision: str) -> rem.Calculation:
        """A financial remedy worked out by the remedy calculator under the guidance in force on ``day``."""
        rng = self.rng
        guidance = self._guidance.get(day)
        if guidance is None:
            guidance = self._guidance[day] = rem.guidance_for(day)
        if guidance.bands:
            if decision == "upheld" and rng.random() < 0.7:
                key = ("maladministration_adverse", 100 * 25 * rng.randint(4, 24))  # £100 to £600
            else:
                key = ("service_failure_minimal", 100 * 25 * rng.randint(2, 4))  # £50 to £100
            inputs: tuple = (guidance.key, "band") + key
        else:
            lines = [("missed_appointment", rng.randint(1, 3), None, "")]
            if rng.random() < 0.5:
                lines.append(("heating_and_hot_water", rng.randint(2, 14), None, ""))
            if decision == "upheld":
                lines.append(("distress_inconvenience", 1, 100 * 50 * rng.randint(1, 6),
                              "Time and trouble chasing the repair over several weeks"))
            inputs = (guidance.key, "lines", tuple(lines))
        calc = self._calc_cache.get(inputs)
        if calc is None:
            if inputs[1] == "band":
                calc = rem.calculate(guidance, band=rem.BandChoice(inputs[2], inputs[3]))
            else:
                calc = rem.calculate(guidance, [rem.LineInput(k, quantity=q, amount_pence=a, note=n) for k, q, a, n in inputs[2]])
            self._calc_cache[inputs] = calc
        return calc

    def _remedies(self, cid, stage_no, day, decision, area, by) -> int:
        rng, today = self.rng, self.today
        offers: list[tuple[str, str, int | None, rem.Calculation | None]] = []
        if decision == "not-upheld":
            offers.append(("explanation", "A full explanation of the decisions made and the policy applied", None, None))
        else:
            if rng.random() < 0.9:
                offers.append(("apology", "A written apology from the service manager", None, None))
            if rng.random() < (0.6 if decision == "upheld" else 0.3):
                calc = self._calc(day, decision)
                what = (f"{rem.format_pounds(calc.total_pence)} compensation, paid to the resident's bank account or "
                        "credited to the rent account")
                offers.append(("financial", what, calc.total_pence, calc))
            if rng.random() < 0.35:
                offers.append(("action", area[4], None, None))
        for kind, description, amount, calc in offers:
            by_when = self.add(day, 10 + int(rng.random() * 15))
            state, accepted, declined, paid, completed = "offered", None, None, None, None
            if (today - day).days >= 7:
                if rng.random() < 0.88:
                    accepted = min(today, day + timedelta(days=rng.randint(2, 10)))
                    state = "accepted"
                    finish = accepted + timedelta(days=rng.randint(0 if kind in ("apology", "explanation") else 3, 25))
                    if finish <= today:
                        if kind == "financial":
                            state, paid = "paid", finish
                        else:
                            state, completed = "completed", finish
                else:
                    declined = min(today, day + timedelta(days=rng.randint(2, 14)))
                    state = "declined"
            rid = self.next_id("remedy")
            self.rows["remedy"].append({
                "id": rid, "case_id": cid, "stage_number": stage_no, "kind": kind, "description": description,
                "by_when": by_when, "amount_pence": amount, "guidance_key": calc.guidance_key if calc else "",
                "calculation_basis": calc.basis if calc else "", "rationale": calc.rationale if calc else "",
                "state": state, "offered_on": day, "accepted_on": accepted, "declined_on": declined, "paid_on": paid,
                "completed_on": completed, "created_at": self.at(day),
            })
            money = f" {rem.format_pounds(amount)}" if amount else ""
            self.audit(day, by, "remedy offered", f"{kind}{money}: {description}", cid,
                       after=f'{{"amount_pence": {"null" if amount is None else amount}, "by_when": "{by_when}", '
                             f'"guidance": "{calc.guidance_key if calc else ""}", "kind": "{kind}"}}')
            previous = "offered"
            for target, when in (("accepted", accepted), ("declined", declined), ("paid", paid), ("completed", completed)):
                if when is not None:
                    self.audit(when, by, f"remedy {target}", description, cid, before=f'{{"state": "{previous}"}}',
                               after=f'{{"on": "{when}", "state": "{target}"}}')
                    previous = target
        return len(offers)

    def _actions(self, cid, stage_no, day, area_name, by, force_overdue, actions_open, last_done) -> int:
        rng, today = self.rng, self.today
        area = _SERVICES[area_name]
        count = 1 if force_overdue or rng.random() < 0.7 else 2
        owners = (by, by, f"{area_name} team")
        for i in range(count):
            description = rng.choice(area[5])
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
            owner = rng.choice(owners)
            self.rows["action"].append({
                "id": aid, "case_id": cid, "stage_number": stage_no, "description": description, "owner": owner,
                "due": due, "done": done, "completed_on": completed if done else None, "created_at": self.at(day),
            })
            self.audit(day, by, "action added", f"{description} (owner {owner}, due {due.isoformat()})", cid,
                       after=f'{{"description": "{description}", "due": "{due}", "owner": "{owner}"}}')
            update_day = self.add(day, 2 + int(rng.random() * 5))
            if day >= self.full_record_from and update_day <= today and (completed is None or update_day < completed) \
                    and rng.random() < 0.5:
                told = rng.random() < 0.8
                text_ = "Contractor booked; resident told the date." if told else "Waiting for the contractor to confirm a date."
                self.rows["actionupdate"].append({
                    "id": self.next_id("actionupdate"), "action_id": aid, "on": update_day, "text": text_,
                    "resident_told": told, "by": by, "created_at": self.at(update_day),
                })
                self.audit(update_day, by, "action updated", text_, cid,
                           after='{"done": false, "resident_told": true}' if told else '{"done": false, "resident_told": false}')
            if done:
                self.rows["actionupdate"].append({
                    "id": self.next_id("actionupdate"), "action_id": aid, "on": completed,
                    "text": "Completed and confirmed with the resident.", "resident_told": True, "by": by,
                    "created_at": self.at(completed),
                })
                self.audit(completed, by, "action completed", "Completed and confirmed with the resident.", cid,
                           after='{"done": true, "resident_told": true}')
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
        change(day, p.o1.login if p.esc is None else (p.o2.login if p.o2 else p.o1.login), "closed",
               f"closed after the Stage {2 if p.esc is not None else 1} response")
        state["status"] = _CLOSED

    # -- plans ---------------------------------------------------------------------------

    def _policy_for(self, received: date) -> Policy:
        return self.old_policy if received < self.cutover else self.policy

    def _pick_area(self) -> tuple[str, int]:
        area = self.rng.choices(_AREA_NAMES, cum_weights=_AREA_CUM)[0]
        return area, int(self._random() * len(_SERVICES[area][1]))

    def base_plan(self, case_type: str, received: date, resident: int, o1: str | None = None) -> _Plan:
        rng = self.rng
        area, summary = self._pick_area()
        category = _SERVICES[area][1][summary]
        officer = self.officers[o1 or rng.choice(_STAGE1_POOL + (self.me,))]
        logger = officer if rng.random() < 0.7 else self.officers[rng.choice(_STAGE1_POOL)]
        channel = rng.choices(_CHANNEL_NAMES, cum_weights=_CHANNEL_CUM)[0]
        if case_type != "complaint":
            channel = "email" if rng.random() < 0.7 else "letter"
        pool = [x for x in _STAGE2_POOL if x != officer.login]
        return _Plan(case_type=case_type, received=received, policy=self._policy_for(received), resident=resident,
                     o1=officer, logger=logger, area=area, category=category, summary=summary, channel=channel,
                     o2=self.officers[rng.choice(pool)])

    def random_plan(self, received: date, resident: int) -> _Plan:
        """A case as they come: mostly answered in time, some late, some extended, about 1 in 6 escalated."""
        rng = self.rng
        r = rng.random()
        case_type = "complaint" if r < 0.88 else "mp-enquiry" if r < 0.96 else "councillor-enquiry"
        p = self.base_plan(case_type, received, resident)
        p.representative = self.representative_for(resident, case_type, received)
        r = rng.random()
        if r < 0.035:
            p.not_accepted = rng.choices([g.value for g in Ground], cum_weights=(5, 7, 10))[0]
            p.na_lag = rng.randint(1, 5)
            if p.not_accepted == Ground.OVER_TWELVE_MONTHS.value:
                p.issue_date = received - timedelta(days=rng.randint(400, 900))
            return p
        if r < 0.05:
            p.withdraw, p.withdraw_lag = "awaiting", rng.randint(1, 3)
            return p
        if rng.random() < 0.02:
            p.issue_date = received - timedelta(days=rng.randint(380, 600))
            p.discretion = ("The resident was in hospital for much of the year and raised the matter as soon as "
                            "they could; the problem is ongoing.")
        p.ack1 = rng.choices((0, 1, 2, 3, 4, 5, 6, 7, 8), cum_weights=(3, 21, 43, 63, 78, 90, 95, 98, 100))[0]
        if rng.random() < 0.02:
            p.withdraw, p.withdraw_lag = "open", rng.randint(1, 6)
            return p
        r = rng.random()
        if r < 0.015:
            p.ext1 = (rng.choice((5, 10)), rng.randint(3, 8))  # beyond the cap: good reason and supervisor approval
        elif r < 0.11:
            p.ext1 = (rng.choice((5, 5, 10, 8)),)
        late = rng.random() < (0.1 if p.ext1 else 0.13)
        p.resp1 = rng.randint(1, 12) if late else -rng.choices(range(8), cum_weights=(30, 48, 62, 74, 84, 92, 97, 100))[0]
        p.decision1 = rng.choices(("upheld", "partly-upheld", "not-upheld"), cum_weights=(30, 62, 100))[0]
        escalate = rng.random() < (0.19 if case_type == "complaint" else 0.08)
        if not escalate:
            p.close = rng.randint(8, 30)
            return p
        p.esc = rng.choices((1, 2, 3, 5, 8, 12, 18, 25), cum_weights=(8, 22, 38, 56, 72, 84, 93, 100))[0]
        p.esc_reason = rng.choice(("", "", "The repair is still not done.", "The compensation offered is too low.",
                                   "You did not answer all of my points."))
        if rng.random() < 0.04:
            p.refuse, p.refuse_lag = rng.choice(("stage1", "stage2")), rng.randint(1, 4)
            p.refuse_ground = rng.choice((Ground.PREVIOUSLY_CONSIDERED.value, Ground.LEGAL_PROCEEDINGS.value))
            return p
        p.assign2 = rng.choice((0, 0, 1, 1, 2, 3))
        p.ack2 = max(p.assign2, rng.choices((1, 2, 3, 4, 5, 6, 7), cum_weights=(10, 30, 52, 70, 86, 94, 100))[0])
        r = rng.random()
        if r < 0.01:
            p.ext2 = (rng.choice((10, 20)), rng.randint(5, 10))
        elif r < 0.09:
            p.ext2 = (rng.choice((10, 15, 20)),)
        late = rng.random() < 0.12
        p.resp2 = rng.randint(1, 10) if late else -rng.choices(range(10), cum_weights=(25, 40, 52, 62, 72, 80, 87, 93, 97, 100))[0]
        p.decision2 = rng.choices(("upheld", "partly-upheld", "not-upheld"), cum_weights=(18, 48, 100))[0]
        p.close = rng.randint(8, 30)
        return p

    def scripted_plans(self, residents: list[int], limit: int) -> list[tuple[_Plan, int | None]]:
        """Cases that make sure the demo shows every state, with due dates spread around today.

        Returns (plan, index of the plan this one is a related case of, or None), most important first.
        """
        rng, today = self.rng, self.today
        C, MP, CL = "complaint", "mp-enquiry", "councillor-enquiry"
        out: list[tuple[_Plan, int | None]] = []
        special = residents[:12]

        def target(k: int) -> date:
            base = self.today_wd
            if base != today and k <= 0:  # at a weekend "due today" is impossible: the last working day is overdue
                k -= 1
            return self.add(base, k) if k >= 0 else self.back(base, -k)

        def plan(case_type: str, i: int) -> _Plan:
            rid = special[i % len(special)] if i % 2 == 0 else residents[rng.randrange(len(residents))]
            p = self.base_plan(case_type, today, rid)
            p.policy = self.policy
            p.representative = self.representative_for(rid, case_type, today - timedelta(days=120))
            return p

        def stage1(p: _Plan, *, ext: tuple[int, ...] = (), resp: int | None = None, ack: int | None = None) -> None:
            p.ack1 = rng.choice((1, 2, 3, 4)) if ack is None else ack
            p.ext1 = ext
            p.resp1 = resp
            p.decision1 = rng.choice(("upheld", "partly-upheld", "not-upheld"))

        def stage2(p: _Plan, *, officer: bool = True, ack: bool = True, ext: tuple[int, ...] = (), resp: int | None = None) -> None:
            stage1(p, resp=-rng.randint(0, 3))
            p.esc = rng.choice((2, 3, 5))
            p.assign2 = rng.choice((0, 1)) if officer else None
            p.ack2 = (p.assign2 or 0) + rng.choice((1, 2, 3)) if officer and ack else None
            p.ext2 = ext
            p.resp2 = resp
            p.decision2 = rng.choice(("upheld", "partly-upheld", "not-upheld"))

        specs: list[tuple[str, str, int, dict]] = [
            # (what, case type, working days left today or days ago, options)
            ("s1-await", C, -2, {}), ("s1-await", C, 0, {}), ("s1-await", MP, 1, {}), ("s1-await", CL, 2, {}),
            ("s1-open", C, -3, {}), ("s1-open", C, 0, {}), ("s1-open", MP, 1, {}), ("s1-open", CL, 2, {}),
            ("s1-open", C, 5, {"ext": (5,)}), ("s1-open", C, 4, {"ext": (10, 5)}),
            ("s2-await-officer", C, 3, {}), ("s2-await", C, 1, {}), ("s2-open", C, -1, {}), ("s2-open", C, 6, {}),
            ("s1-responded", C, 6, {"actions": "overdue"}), ("s2-responded", C, 8, {}),
            ("not-accepted", C, 10, {"ground": Ground.OVER_TWELVE_MONTHS.value}),
            ("not-accepted", CL, 25, {"ground": Ground.LEGAL_PROCEEDINGS.value}),
            ("not-accepted", MP, 40, {"ground": Ground.PREVIOUSLY_CONSIDERED.value}),
            ("refused", C, 12, {"where": "stage1"}), ("withdrawn", C, 9, {"where": "awaiting"}),
            ("closed", C, 15, {}), ("closed", MP, 30, {}), ("s2-closed", C, 20, {}),
            ("s1-await", C, 4, {}), ("s1-await", MP, -1, {}), ("s1-await", CL, 0, {}), ("s1-await", C, 3, {}),
            ("s1-open", MP, -1, {"ext": (5,)}), ("s1-open", C, 7, {"ext": (10,)}), ("s1-open", CL, 9, {"ext": (6, 8)}),
            ("s1-open", C, 8, {}), ("s1-open", MP, 6, {}), ("s1-open", CL, -2, {}), ("s1-open", C, 1, {}),
            ("s2-await-officer", MP, -1, {}), ("s2-await-officer", CL, 1, {}), ("s2-await", CL, 0, {}),
            ("s2-await", MP, 2, {}), ("s2-open", MP, 0, {}), ("s2-open", CL, 2, {}), ("s2-open", C, 12, {}),
            ("s2-open", C, 5, {"ext": (10,)}), ("s2-open", C, 15, {"ext": (20, 5)}), ("s2-open", C, 2, {}),
            ("s1-responded", MP, 3, {}), ("s1-responded", CL, 20, {"actions": "overdue"}), ("s1-responded", C, 1, {}),
            ("s2-responded", MP, 30, {"actions": "overdue"}), ("s2-responded", CL, 12, {}),
            ("refused", MP, 30, {"where": "stage2"}), ("refused", CL, 50, {"where": "stage1"}),
            ("withdrawn", MP, 14, {"where": "open"}), ("withdrawn", CL, 35, {"where": "awaiting"}),
            ("not-accepted", C, 60, {"ground": Ground.LEGAL_PROCEEDINGS.value}),
            ("not-accepted", C, 5, {"ground": Ground.PREVIOUSLY_CONSIDERED.value}),
            ("closed", CL, 45, {}), ("s2-closed", MP, 60, {}),
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
                stage1(p, resp=-rng.randint(0, 3))
                p.decision1 = "upheld" if opt.get("actions") == "overdue" else p.decision1
                self.anchor_received(p, "P1", self.back(self.today_wd, k))
            elif what == "s2-responded":
                stage2(p, resp=-rng.randint(0, 4))
                p.decision2 = "partly-upheld" if opt.get("actions") == "overdue" else p.decision2
                self.anchor_received(p, "P2", self.back(self.today_wd, k))
            elif what in ("closed", "s2-closed"):
                if what == "closed":
                    stage1(p, resp=-rng.randint(0, 3))
                else:
                    stage2(p, resp=-rng.randint(0, 3))
                p.close = rng.randint(5, 10)
                self.anchor_received(p, "close", self.back(self.today_wd, k))
            elif what == "not-accepted":
                p.not_accepted, p.na_lag = opt["ground"], rng.randint(1, 4)
                if p.not_accepted == Ground.OVER_TWELVE_MONTHS.value:
                    p.issue_date = today - timedelta(days=500)
                self.anchor_received(p, "na", self.back(self.today_wd, k))
                if p.issue_date:
                    p.issue_date = p.received - timedelta(days=430)
            elif what == "refused":
                stage1(p, resp=-rng.randint(0, 3))
                p.esc, p.refuse, p.refuse_lag = rng.randint(2, 6), opt["where"], rng.randint(1, 3)
                p.refuse_ground = Ground.PREVIOUSLY_CONSIDERED.value if i % 2 else Ground.LEGAL_PROCEEDINGS.value
                self.anchor_received(p, "refused", self.back(self.today_wd, k))
            elif what == "withdrawn":
                p.withdraw, p.withdraw_lag = opt["where"], rng.randint(1, 3)
                if opt["where"] == "open":
                    stage1(p)
                self.anchor_received(p, "withdrawn", self.back(self.today_wd, k))
            out.append((p, related_to))
        return out


def _insert_batch(conn, rows: dict[str, list[dict]]) -> None:
    """Insert one batch of rows, parents first."""
    for model in _TABLES:
        table: Table = model.__table__
        if rows[table.name]:
            insert_rows(conn, table, rows[table.name])


class _Writer:
    """Inserts batches on one background thread, in order, while the next batch is generated.

    The database driver does its work with the GIL released, so on two cores generating and
    inserting overlap. At most two batches wait, bounding memory; an error in the writer is
    raised in the caller at the next submit or at ``finish``.
    """

    def __init__(self, conn) -> None:
        from concurrent.futures import ThreadPoolExecutor

        self.conn = conn
        self.pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="demo-writer")
        self.pending: list = []

    def submit(self, rows: dict[str, list[dict]]) -> None:
        while len(self.pending) >= 2:
            self.pending.pop(0).result()
        self.pending.append(self.pool.submit(_insert_batch, self.conn, rows))

    def finish(self) -> None:
        """Wait for every batch; raise the writer's error if it had one."""
        try:
            for future in self.pending:
                future.result()
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)

    def abandon(self) -> None:
        """Stop after the batch in hand (the caller is failing and will roll back)."""
        self.pool.shutdown(wait=True, cancel_futures=True)


def _play_all(b: _Builder, queue, scripted, residents, writer: _Writer, progress) -> None:
    """Play every case in order of receipt, handing each batch of rows to the writer."""
    rng = b.rng
    scripted_ids: dict[int, int] = {}
    for n, (day, random_case, i) in enumerate(queue, 1):
        if random_case:
            rid = residents[rng.randrange(len(residents))]
            p = b.random_plan(day, rid)
            if rng.random() < 0.03:
                p.service_request = b.service_request(rid, day, p.area)
            b.play(p)
        else:
            p, related_to = scripted[i]
            parent = scripted_ids.get(related_to) if related_to is not None else None
            if parent is not None:
                p.related = parent
                b.audit(p.received, p.o1.login, "related issue split",
                        "New issue raised after the response: logged as a new linked complaint (6.8)", parent)
            scripted_ids[i] = b.play(p)
        if n % 1000 == 0:
            writer.submit(b.take())
            if progress and n % 20000 == 0:
                progress(f"  {n:,} cases...")

def _display_name(login: str) -> str:
    """The person's full name from the system account where there is one, else the login."""
    try:
        import pwd

        gecos = pwd.getpwnam(login).pw_gecos.split(",")[0].strip()
        if gecos:
            return gecos
    except (ImportError, KeyError, OSError):
        pass
    return login


# ---------------------------------------------------------------------------------------


def _refuse_if_not_demo(url: str) -> None:
    """Refuse to delete a database that has cases but no demo marker."""
    path = sqlite_path(url) if is_sqlite(url) else None
    if is_sqlite(url):
        if path is None or not path.exists():
            return
        try:
            con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
            try:
                tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                has_cases = "complaint_case" in tables and con.execute("SELECT 1 FROM complaint_case LIMIT 1").fetchone()
                marked = "setting" in tables and con.execute(
                    "SELECT 1 FROM setting WHERE key = ?", (DEMO_SETTING,)).fetchone()
            finally:
                con.close()
        except sqlite3.DatabaseError as exc:
            raise NotADemoDatabase(f"{path} is not a caseworker demo database ({exc}); delete it by hand to rebuild the demo") from None
        if has_cases and not marked:
            raise NotADemoDatabase(f"{path} holds cases but was not built as a demo: it is left alone. "
                                   "Delete or move it by hand to rebuild the demo there")
        return
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            if "complaint_case" not in tables:
                return
            has_cases = conn.execute(select(m.Case.__table__.c.id).limit(1)).first()
            marked = "setting" in tables and conn.execute(
                select(m.Setting.__table__.c.key).where(m.Setting.__table__.c.key == DEMO_SETTING)).first()
        if has_cases and not marked:
            raise NotADemoDatabase(f"{engine.url.render_as_string(hide_password=True)} holds cases but was not built "
                                   "as a demo: it is left alone")
    finally:
        engine.dispose()


def _drop_everything(url: str) -> None:
    """Drop caseworker's tables (and the audit trigger function) from a server database."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            SQLModel.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
            if conn.dialect.name == "postgresql":
                conn.exec_driver_sql("DROP FUNCTION IF EXISTS audit_event_append_only() CASCADE")
    finally:
        engine.dispose()


def _remove_sqlite(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def build_demo(
    url: str, cases: int = 200, *, today: date | None = None, seed: int = 2025, settings: Settings | None = None,
    progress: Callable[[str], None] | None = None,
) -> DemoSummary:
    """Delete and rebuild the demo database at ``url`` with ``cases`` realistic cases.

    Args:
        url: the demo database (``config.demo_database_url()`` from the command line; any
            SQLAlchemy URL works). A database holding cases without the demo marker is refused.
        cases: how many cases (at least 1).
        today: the day the demo is built for (due dates are spread around it).
        seed: the random seed: the same seed, day and settings build the same database.
        settings: region, closure days and policy profile (defaults when None).
        progress: called with a line of text now and then (for the command line).

    Raises:
        NotADemoDatabase: ``url`` holds cases that were not built as a demo.
        ValueError: ``cases`` is less than 1.
    """
    from caseworker.store.migrate import open_store

    if cases < 1:
        raise ValueError(f"cases: at least 1 case is needed (got {cases})")
    started = time.perf_counter()
    today = today or date.today()
    settings = settings or Settings(database_url=url, config_path=Path("demo.toml"))
    from caseworker.store.services import system_login

    _refuse_if_not_demo(url)
    target_path = sqlite_path(url) if is_sqlite(url) else None
    if target_path is not None:
        build_path = target_path.with_name(target_path.name + ".building")
        _remove_sqlite(build_path)
        build_url = f"sqlite:///{build_path}"
    elif is_sqlite(url):
        build_url = url  # in memory
    else:
        _drop_everything(url)
        build_url = url

    engine = open_store(build_url)
    try:
        cal = settings.calendar()
        policy = load_policy(settings.policy, settings.policy_dirs)
        old_policy = load_policy("mkcc-corporate", settings.policy_dirs)
        rng = random.Random(seed)
        fy = today.year if today.month >= 4 else today.year - 1
        history_start = date(fy - 2, 3, 1)  # two full financial years before this one, and a month before
        cutover = date(2024, 4, 1)  # the Code became statutory: earlier cases keep the older council procedure
        b = _Builder(rng, today, cal, policy, old_policy, cutover, system_login(), history_start)
        b.add_officers()
        residents = b.add_residents(max(20, int(cases * 0.7)))

        scripted = b.scripted_plans(residents, min(cases, 60))
        n_random = cases - len(scripted)
        recent = min(round(0.25 * n_random), 40)
        first_recent = today - timedelta(days=45)
        dates = [b.random_wd(first_recent, today) for _ in range(recent)]
        for _ in range(n_random - recent):
            day = b.random_wd(history_start, today)
            if rng.random() < 0.06:  # some complaints arrive at weekends (online forms, emails)
                day = min(today, day + timedelta(days=rng.choice((-2, -1, 1))))
                day = max(day, history_start)
            dates.append(day)
        dates.sort()

        # Every case in order of receipt, so references run with the dates as in a live system.
        queue: list[tuple[date, int, int]] = [(p.received, 0, i) for i, (p, _) in enumerate(scripted)]
        queue += [(day, 1, i) for i, day in enumerate(dates)]
        queue.sort()
        with engine.connect() as conn:
            indexes: list[str] = []
            if target_path is not None:
                # A private file, thrown away if the build fails: no WAL, no syncs, a bigger page cache,
                # and the secondary indexes built once at the end (from the migrations' own DDL) rather
                # than row by row.
                for pragma in ("journal_mode=MEMORY", "synchronous=OFF", "cache_size=-65536"):
                    conn.exec_driver_sql(f"PRAGMA {pragma}")
                found = conn.exec_driver_sql(
                    "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                    "AND sql NOT LIKE 'CREATE UNIQUE%'").all()
                for name, ddl in found:
                    conn.exec_driver_sql(f'DROP INDEX "{name}"')
                    indexes.append(ddl)
                conn.commit()
            if conn.dialect.name == "sqlite":
                conn.exec_driver_sql("BEGIN IMMEDIATE")
            writer = _Writer(conn)
            try:
                _play_all(b, queue, scripted, residents, writer, progress)
            except BaseException:
                writer.abandon()
                raise
            signature = ",".join(f"{d.isoformat()}={name}" for d, name in sorted(cal.closure_days.items()))
            b.rows["setting"].extend([
                {"key": DEMO_SETTING, "value": json.dumps({"today": today.isoformat(), "cases": cases, "seed": seed,
                                                           "built_at": datetime.now(UTC).isoformat(timespec="seconds")})},
                {"key": "calendar", "value": f"{cal.region};{signature}"},
            ])
            writer.submit(b.take())
            writer.finish()
            for ddl in indexes:
                conn.exec_driver_sql(ddl)
            reset_sequences(conn, [t.__table__ for t in _TABLES if "id" in t.__table__.c])
            conn.commit()
        if target_path is not None:
            with engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA journal_mode=DELETE")  # one self-contained file to move into place
    finally:
        engine.dispose()
    if target_path is not None:
        _remove_sqlite(target_path)
        os.replace(build_path, target_path)
        _remove_sqlite(build_path)
    first = min([p.received for p, _ in scripted] + dates[:1])
    return DemoSummary(
        url=url, today=today, cases=cases, officers=len(b.officers), residents=len(residents),
        statuses=dict(b.statuses), seconds=time.perf_counter() - started, rows=b.total_rows, first_received=first,
        path=target_path,
    )
