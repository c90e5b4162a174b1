"""The fixed tables the demo draws from: officers, first names and surnames, streets and
areas, service areas with their complaints and definitions, decisions, notes, disabilities
and adjustments, restrictions, and the case states the builder writes.

All of it fictional (Ofcom drama numbers, example.* e-mail domains). Kept apart from the
builder so the code that turns plans into rows is not separated by pages of text.
"""

from __future__ import annotations

from itertools import accumulate

from caseworker.rules.facts import Status

#: Case states, case reference prefixes and how each case type is named in a letter subject.
AWAIT, OPEN, RESPONDED = Status.AWAITING_ACK.value, Status.OPEN.value, Status.RESPONDED.value
NOT_ACCEPTED, REFUSED = Status.NOT_ACCEPTED.value, Status.ESCALATION_REFUSED.value
WITHDRAWN, CLOSED = Status.WITHDRAWN.value, Status.CLOSED.value
LIVE = (AWAIT, OPEN)
PREFIX = {"complaint": "CMP", "mp-enquiry": "MPE", "councillor-enquiry": "CLR"}
TYPE_WORDS = {"complaint": "complaint", "mp-enquiry": "MP enquiry", "councillor-enquiry": "councillor enquiry"}


# ---------------------------------------------------------------------------------------
# people and places (fictional; Ofcom drama numbers; example.* e-mail domains)

OFFICERS = (
    ("aokafor", "Amara Okafor", "officer"),
    ("bhughes", "Bethan Hughes", "supervisor"),
    ("cpatel", "Chirag Patel", "officer"),
    ("dmcallister", "Declan McAllister", "officer"),
    ("ewilliams", "Eleri Williams", "supervisor"),
    ("fkhan", "Farah Khan", "officer"),
    ("gthompson", "Grace Thompson", "administrator"),
    ("hnguyen", "Hoang Nguyen", "officer"),
)
#: Job titles the demo gives each role (letters are signed with the name and title).
DEMO_TITLES = {
    "officer": "Complaints Officer",
    "supervisor": "Complaints Team Manager",
    "administrator": "Customer Feedback Manager",
}
STAGE1_POOL = ("aokafor", "cpatel", "dmcallister", "fkhan", "hnguyen")
STAGE2_POOL = ("bhughes", "ewilliams", "cpatel", "fkhan", "aokafor")
SUPERVISORS = ("bhughes", "ewilliams")

FIRST = [
    "Oliver",
    "George",
    "Harry",
    "Jack",
    "Noah",
    "Mohammed",
    "Muhammad",
    "Leo",
    "Arthur",
    "Oscar",
    "Jacob",
    "Charlie",
    "Thomas",
    "William",
    "James",
    "Alfie",
    "Ethan",
    "Joshua",
    "Daniel",
    "Samuel",
    "Ryan",
    "Callum",
    "Liam",
    "Connor",
    "Kieran",
    "Dylan",
    "Owen",
    "Rhys",
    "Gareth",
    "Dafydd",
    "Hamish",
    "Ewan",
    "Fraser",
    "Tomasz",
    "Piotr",
    "Marek",
    "Ahmed",
    "Ali",
    "Hassan",
    "Yusuf",
    "Ibrahim",
    "Omar",
    "Imran",
    "Sanjay",
    "Rajesh",
    "Arjun",
    "Dev",
    "Kwame",
    "Kofi",
    "Chinedu",
    "Emeka",
    "Tunde",
    "David",
    "Michael",
    "Paul",
    "Peter",
    "Mark",
    "Stephen",
    "Andrew",
    "Robert",
    "John",
    "Brian",
    "Kevin",
    "Terence",
    "Dennis",
    "Keith",
    "Olivia",
    "Amelia",
    "Isla",
    "Ava",
    "Mia",
    "Ivy",
    "Lily",
    "Isabella",
    "Rosie",
    "Sophia",
    "Grace",
    "Freya",
    "Florence",
    "Evie",
    "Poppy",
    "Ella",
    "Emily",
    "Charlotte",
    "Jessica",
    "Megan",
    "Chloe",
    "Bethany",
    "Rhiannon",
    "Ffion",
    "Seren",
    "Eilidh",
    "Morag",
    "Niamh",
    "Siobhan",
    "Aoife",
    "Katarzyna",
    "Agnieszka",
    "Zofia",
    "Fatima",
    "Aisha",
    "Zainab",
    "Maryam",
    "Amina",
    "Priya",
    "Anjali",
    "Sunita",
    "Nisha",
    "Ngozi",
    "Adaeze",
    "Folake",
    "Blessing",
    "Abena",
    "Susan",
    "Margaret",
    "Patricia",
    "Linda",
    "Barbara",
    "Elizabeth",
    "Jennifer",
    "Sandra",
    "Carol",
    "Janet",
    "Christine",
    "Maureen",
    "Pauline",
    "Denise",
    "Tracey",
    "Julie",
    "Karen",
    "Donna",
    "Sharon",
    "Kelly",
    "Nicola",
    "Gemma",
    "Leanne",
    "Stacey",
    "Jade",
    "Shannon",
    "Demi",
]
SURNAMES = [
    "Smith",
    "Jones",
    "Williams",
    "Taylor",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Johnson",
    "Roberts",
    "Robinson",
    "Thompson",
    "Wright",
    "Walker",
    "White",
    "Edwards",
    "Hughes",
    "Green",
    "Hall",
    "Lewis",
    "Harris",
    "Clarke",
    "Patel",
    "Jackson",
    "Wood",
    "Turner",
    "Martin",
    "Cooper",
    "Hill",
    "Ward",
    "Morris",
    "Moore",
    "Clark",
    "Lee",
    "King",
    "Baker",
    "Harrison",
    "Morgan",
    "Allen",
    "James",
    "Scott",
    "Phillips",
    "Watson",
    "Davis",
    "Parker",
    "Price",
    "Bennett",
    "Young",
    "Griffiths",
    "Mitchell",
    "Kelly",
    "Cook",
    "Carter",
    "Richardson",
    "Bailey",
    "Collins",
    "Bell",
    "Shaw",
    "Murphy",
    "Miller",
    "Cox",
    "Richards",
    "Khan",
    "Marshall",
    "Anderson",
    "Simpson",
    "Ellis",
    "Adams",
    "Singh",
    "Begum",
    "Wilkinson",
    "Foster",
    "Chapman",
    "Powell",
    "Webb",
    "Rogers",
    "Gray",
    "Mason",
    "Ali",
    "Hussain",
    "Campbell",
    "Matthews",
    "Owen",
    "Palmer",
    "Holmes",
    "Mills",
    "Barnes",
    "Knight",
    "Lloyd",
    "Butler",
    "Russell",
    "Barker",
    "Fisher",
    "Stevens",
    "Jenkins",
    "Murray",
    "Dixon",
    "Harvey",
    "Graham",
    "Pearson",
    "Ahmed",
    "Fletcher",
    "Walsh",
    "Kaur",
    "Gibson",
    "Howard",
    "Andrews",
    "Stewart",
    "Elliott",
    "Reynolds",
    "Saunders",
    "Payne",
    "Fox",
    "Ford",
    "Pearce",
    "Day",
    "Brooks",
    "West",
    "Lawrence",
    "Cole",
    "Atkinson",
    "Bradley",
    "Spencer",
    "Gill",
    "Dawson",
    "Ball",
    "Burton",
    "O'Brien",
    "Watts",
    "Rose",
    "Booth",
    "Perry",
    "Ryan",
    "Grant",
    "Wells",
    "Armstrong",
    "Francis",
    "Rees",
    "Hayes",
    "Hunt",
    "Kowalski",
    "Nowak",
    "Wisniewski",
    "Okonkwo",
    "Adeyemi",
    "Mensah",
    "Osei",
    "Nguyen",
    "Chowdhury",
    "Rahman",
    "Uddin",
    "Mistry",
    "Shah",
    "McDonald",
    "MacLeod",
    "Fraser",
    "Reid",
    "Docherty",
    "O'Neill",
    "Byrne",
    "Doyle",
    "Quinn",
    "Gallagher",
]
STREETS = (
    "Alma Road",
    "Beech Grove",
    "Chapel Street",
    "Dock Road",
    "Elm Close",
    "Foundry Lane",
    "Gasworks Road",
    "Hawthorn Avenue",
    "Ivy Court",
    "Jubilee Way",
    "Kingfisher Drive",
    "Lime Walk",
    "Mill Lane",
    "Nelson Street",
    "Orchard Way",
    "Park View",
    "Queen's Crescent",
    "Railway Terrace",
    "Station Road",
    "Tannery Row",
    "Union Street",
    "Victoria Road",
    "Wharf Lane",
    "Yew Tree Close",
    "Albert Terrace",
    "Brook Street",
    "Canal Side",
    "Drover's Way",
    "Eastfield Road",
    "Ferry Lane",
    "Gladstone Street",
    "Harbour View",
    "Ironworks Close",
    "Kestrel Rise",
    "Lark Hill",
    "Meadow Bank",
    "Nightingale Walk",
    "Oak Tree Road",
)
BLOCKS = (
    "Ashdown House",
    "Beacon Court",
    "Cedar Tower",
    "Dunmore House",
    "Elder Court",
    "Fenwick House",
    "Granary Court",
    "Hilltop Tower",
    "Linden House",
    "Marlowe Court",
)
AREAS = ("Northside", "Riverside", "Eastfield", "Old Town", "Westgate", "Southmead", "Hillcrest", "Canal Quarter")
TOWN = "Exampletown"
MPS = ("Helen Marsh MP", "David Ashworth MP")
#: Where a member's letters go: the MP's office at the House of Commons, a councillor's at the Civic Offices.
MEMBER_OFFICES = {
    "MP": "House of Commons\nLondon\nSW1A 0AA",
    "councillor": "Members' Services\nCivic Offices\n1 High Street\nExampletown\nEX1 1AA",
}
COUNCILLORS = ("Cllr Raj Mistry", "Cllr Joanne Pryce", "Cllr Tom Fairweather", "Cllr Adebayo Cole")

CHANNELS = (("online form", 34), ("email", 28), ("phone", 22), ("letter", 7), ("in person", 5), ("social media", 4))

#: Service area: (weight, categories, summaries, definition (issues, outcomes, responsible, not responsible),
#: remedy action, outstanding actions). Summary i is a complaint of category i; summaries may use {month} and {n}.
SERVICES: dict[str, tuple] = {
    "Repairs": (
        28,
        ("Missed appointment", "Heating and hot water", "Repeat repair", "Quality of work", "Delayed repair"),
        (
            "Reports a leak from the bathroom ceiling first reported in {month}; {n} appointments missed and still not fixed.",
            "Boiler has broken down {n} times since {month}; family without heating and hot water for days at a time.",
            "Kitchen window will not close since {month}; contractor attended twice but left without repairing it.",
            "Unhappy with the quality of the new kitchen fitted in {month}: doors misaligned and worktop water damaged.",
            "Front door lock broken since {month}; resident cannot secure the flat and has had {n} visits with no fix.",
        ),
        (
            "The time taken to complete the repair, the missed appointments and the communication about them.",
            "The repair completed properly; an apology; compensation for the inconvenience and missed time off work.",
            "Repairs to the structure, exterior and installations of the home under the tenancy agreement (s.11 Landlord and Tenant Act 1985).",
            "Damage to the resident's own belongings, which is for their contents insurance.",
        ),
        "Complete the outstanding repair and confirm it in writing",
        (
            "Complete the outstanding repair and confirm in writing",
            "Post-inspection of the contractor's work",
            "Review the repairs appointment process with the contractor",
            "Arrange a surveyor's visit",
        ),
    ),
    "Damp and mould": (
        15,
        ("Damp and mould", "Damp and mould", "Leak", "Ventilation"),
        (
            "Black mould in the children's bedroom since {month}; reported {n} times, only a mould wash carried out.",
            "Damp patches spreading across the living-room wall since {month}; resident worried about their asthma.",
            "Water coming through the ceiling from the flat above since {month}; mould now on the walls and clothes.",
            "Condensation and mould in every room; extractor fans not working since {month}.",
        ),
        (
            "The landlord's response to the reports of damp and mould, the time taken, and the risk to the household's health.",
            "A lasting fix for the cause of the damp; mould treatment and redecoration; compensation for damaged belongings.",
            "Finding and fixing the cause of damp and mould and keeping the home fit for habitation (Awaab's Law timescales).",
            "Replacing the resident's damaged clothes and furniture, which is for their contents insurance.",
        ),
        "Survey, treat the cause of the damp and redecorate the affected rooms",
        (
            "Damp and mould survey",
            "Install a humidistat extractor fan in the bathroom",
            "Mould treatment and redecoration",
            "Follow-up inspection six weeks after the works",
        ),
    ),
    "Anti-social behaviour": (
        8,
        ("Noise nuisance", "Communication", "Handling of ASB report"),
        (
            "Reported noise from the neighbouring flat {n} times since {month}; no action plan and no updates.",
            "Harassment by a neighbour reported in {month}; the case was closed without the resident being told.",
            "Drug dealing in the stairwell reported since {month}; resident feels unsafe and unheard.",
        ),
        (
            "How the reports of anti-social behaviour were handled, the lack of updates and the closure of the ASB case.",
            "An action plan with the ASB team; regular updates; an apology.",
            "Investigating reports of anti-social behaviour under the ASB policy and keeping the resident updated.",
            "Criminal matters for the police; the neighbour's private tenancy with another landlord.",
        ),
        "Agree an ASB action plan with the resident and update them fortnightly",
        (
            "Agree an ASB action plan and named contact",
            "Install noise monitoring equipment",
            "Fortnightly update to the resident",
        ),
    ),
    "Rent and service charges": (
        8,
        ("Service charge dispute", "Rent account error", "Arrears handling"),
        (
            "Service charge for {month} includes a cleaning charge for a service that has not been delivered.",
            "Rent account shows arrears of £{n}00 that the resident says were paid by Universal Credit in {month}.",
            "Received a notice of seeking possession in {month} despite a payment plan being agreed.",
        ),
        (
            "The accuracy of the rent account and service charges, and how the arrears were pursued.",
            "The account corrected; the charge refunded; an apology for the stress caused.",
            "Accurate rent and service charge accounts and fair arrears recovery under the income policy.",
            "Universal Credit decisions, which are for the Department for Work and Pensions.",
        ),
        "Correct the rent account and send a statement",
        (
            "Correct the rent account and send a statement",
            "Refund the overcharged service charge",
            "Review the service charge schedule for the block",
        ),
    ),
    "Estate services": (
        8,
        ("Communal cleaning", "Lighting", "Pest control"),
        (
            "Communal stairwell has not been cleaned since {month}; rubbish left on the landings.",
            "Communal lighting on the estate broken since {month}; residents feel unsafe at night.",
            "Rats in the bin store reported {n} times since {month}.",
        ),
        (
            "The standard of estate services and the response to reports about them.",
            "The service put right; the service charge reduced for the period it was not delivered.",
            "Estate cleaning, grounds maintenance, communal lighting and pest control on landlord-owned land.",
            "Private land and the highway, which belong to others.",
        ),
        "Restore the communal service and reduce the service charge for the period",
        (
            "Repair the communal lighting",
            "Deep clean of the stairwell",
            "Pest control treatment of the bin store",
        ),
    ),
    "Lettings": (
        6,
        ("Void standard", "Mutual exchange", "Allocation decision"),
        (
            "Moved into the property in {month} and found it in poor condition: no flooring and a broken cooker.",
            "Mutual exchange application made in {month} has had no decision.",
            "Disagrees with the banding decision on the housing register made in {month}.",
        ),
        (
            "The condition of the home at the start of the tenancy, or the handling of the application.",
            "The home brought up to the lettable standard, or a decision on the application; an apology.",
            "The lettable standard of homes and decisions on applications under the allocations policy.",
            "Statutory reviews of homelessness decisions, which have their own procedure.",
        ),
        "Bring the home up to the lettable standard",
        (
            "Bring the home up to the lettable standard",
            "Decide the mutual exchange application",
        ),
    ),
    "Council Tax": (
        10,
        ("Discount or exemption", "Billing error", "Recovery action"),
        (
            "Single person discount removed in {month} without explanation; a summons followed.",
            "Council Tax bill for {month} charged for a property the resident had already left.",
            "Bailiffs instructed in {month} although the resident had asked for a payment arrangement.",
        ),
        (
            "The billing and recovery of Council Tax on the account.",
            "The bill corrected; recovery costs withdrawn; an apology.",
            "Billing, discounts and recovery of Council Tax under the council's procedures.",
            "Valuation bands, which are for the Valuation Office Agency.",
        ),
        "Correct the Council Tax account and withdraw the recovery costs",
        (
            "Correct the Council Tax account",
            "Withdraw the summons costs",
            "Recall the account from the enforcement agent",
        ),
    ),
    "Planning": (
        5,
        ("Enforcement", "Application handling"),
        (
            "Reported an unauthorised extension next door in {month}; no enforcement visit yet.",
            "Planning application submitted in {month} has missed its determination date with no update.",
        ),
        (
            "The handling of the planning enforcement report or application and the updates given.",
            "A decision or a site visit; updates; an apology for the delay.",
            "How the council handles enforcement reports and applications (not the planning merits).",
            "The planning merits of a decision, which can be appealed to the Planning Inspectorate.",
        ),
        "Arrange the enforcement site visit and report back",
        (
            "Enforcement site visit",
            "Write to the resident with the decision",
        ),
    ),
    "Waste": (
        12,
        ("Assisted collection", "Bulky waste", "Missed collection"),
        (
            "Bin missed {n} times since {month} despite an assisted collection being agreed.",
            "Paid for a bulky waste collection in {month} that never happened.",
            "Recycling not collected from the street for {n} weeks since {month}.",
        ),
        (
            "The missed collections and the handling of the resident's reports.",
            "Collections made as agreed; a refund; an apology.",
            "Household waste and recycling collections, including agreed assisted collections.",
            "Fly-tipping on private land, which is for the landowner.",
        ),
        "Add the property to the crew's assisted collection list and monitor for four weeks",
        (
            "Add the property to the assisted collection list",
            "Monitor collections for four weeks",
            "Refund the bulky waste fee",
        ),
    ),
}

AREA_NAMES = list(SERVICES)
AREA_CUM = list(accumulate(v[0] for v in SERVICES.values()))
CHANNEL_NAMES = [c for c, _ in CHANNELS]
CHANNEL_CUM = list(accumulate(w for _, w in CHANNELS))

REASONS = {
    "upheld": (
        "We have upheld your complaint. Our records confirm the delays you described and that we did not keep "
        "you updated. This fell short of the service you should expect, and we apologise."
    ),
    "partly-upheld": (
        "We have partly upheld your complaint. We agree that our communication was poor and that we did not do "
        "what we said we would when we said we would, but the service itself was provided within our published "
        "standards."
    ),
    "not-upheld": (
        "We have not upheld your complaint. Our records show that we responded to each report within our "
        "published timescales and kept you informed; we have explained the reasons for the decisions made."
    ),
}

#: Case notes that fit any service area ({area} is the case's, in lower case; {n} a small number).
NOTES = (
    "Called the resident to talk through the complaint; agreed to call again by the end of the week.",
    "Spoke to the {area} team leader: the resident's request had been closed in error and has been reopened.",
    "Checked the history: {n} earlier reports about the same {area} matter.",
    "Resident emailed photographs; saved to the case.",
    "Left a voicemail for the resident asking them to call back.",
    "Discussed with the team leader; agreed the remedy proposed.",
)
#: Notes that only fit homes the council lets and repairs (the Repairs and Damp and mould areas).
REPAIR_NOTES = (
    "Called the resident to arrange an inspection; agreed a morning appointment.",
    "Spoke to the contractor's supervisor: the job was closed in error and has been reopened.",
    "Checked the repairs history: {n} previous jobs raised for the same issue.",
)
HOME_AREAS = frozenset({"Repairs", "Damp and mould"})

WITHDRAW_REASONS = (
    "Resident phoned to say the matter has now been put right and they no longer wish to complain.",
    "Resident emailed to withdraw: the matter was resolved directly with the service.",
    "Resident said they had raised it as a complaint by mistake and only wanted the service request chased.",
)

#: A claim filed at court about the same matters (2.2 b), as it would be in each service area.
LEGAL_CLAIMS = {
    "Repairs": "The resident's solicitor has filed a housing disrepair claim at Exampletown County Court about the "
    "same repairs (claim form and particulars of claim filed).",
    "Damp and mould": "The resident's solicitor has filed a housing disrepair claim at Exampletown County Court "
    "about the same damp and mould (claim form and particulars of claim filed).",
    "Anti-social behaviour": "The resident has filed a claim at Exampletown County Court against the council about "
    "its handling of the same anti-social behaviour reports (claim form and particulars of claim filed).",
    "Rent and service charges": "The resident has filed a claim at Exampletown County Court disputing the same "
    "service charges (claim form and particulars of claim filed).",
    "Estate services": "The resident's solicitor has filed a personal injury claim at Exampletown County Court about "
    "the same fall on the estate (claim form and particulars of claim filed).",
    "Lettings": "The resident's solicitor has filed a claim for judicial review of the same lettings decision "
    "(claim form filed at the Administrative Court).",
    "Council Tax": "The same Council Tax liability is before the Valuation Tribunal on the resident's appeal, filed "
    "before the complaint was made.",
    "Planning": "The resident has filed a claim for judicial review of the same planning decision (claim form filed "
    "at the Planning Court).",
    "Waste": "The resident has filed a small claim at Exampletown County Court for a refund of the same bulky waste "
    "fee (claim form filed).",
}
#: What a resident asked for in a service request (1.4), by service area.
SERVICE_ASKS = {
    "Repairs": ("Reported a leaking tap in the kitchen", "Asked for the broken front door lock to be repaired"),
    "Damp and mould": ("Reported mould on the bedroom ceiling", "Asked for an extractor fan in the bathroom"),
    "Anti-social behaviour": (
        "Reported loud music from the flat above late at night",
        "Reported a neighbour's dog barking",
    ),
    "Rent and service charges": ("Asked for a breakdown of the service charge", "Asked for a rent statement"),
    "Estate services": ("Reported a broken light in the stairwell", "Asked for the communal grass to be cut"),
    "Lettings": ("Asked to join the transfer list", "Asked for the housing register banding to be reviewed"),
    "Council Tax": ("Asked for a single person discount", "Asked for the instalments to be moved to the 15th"),
    "Planning": ("Reported building work next door without permission", "Asked when a planning decision is due"),
    "Waste": ("Reported a missed bin collection", "Booked a bulky waste collection for a sofa"),
}
#: What was done to close a service request, by service area.
SERVICE_DONE = {
    "Repairs": "Job marked complete by the contractor and closed.",
    "Damp and mould": "Mould wash carried out and the job closed.",
    "Anti-social behaviour": "Passed to the ASB team; diary sheets sent to the resident.",
    "Rent and service charges": "Account checked and a statement sent to the resident.",
    "Estate services": "Work order raised with the estate services team and closed.",
    "Lettings": "Application processed and the resident told the outcome in writing.",
    "Council Tax": "Account reviewed and a bill sent.",
    "Planning": "Passed to planning enforcement; resident given the case number.",
    "Waste": "Passed to the collection crew and closed.",
}

DISABILITIES = (
    ("Partially sighted (macular degeneration)", ("large print", "Letters in 16pt Arial, matt paper")),
    ("Registered blind", ("braille", "Letters in Grade 2 braille; phone call to say a letter is on its way")),
    (
        "Deaf; British Sign Language user",
        ("BSL", "BSL interpreter for meetings and visits; contact by text or video relay"),
    ),
    ("Dyslexia", ("easy read", "Short letters in plain English with a summary box")),
    ("Learning disability", ("advocate", "Copy letters to the resident's advocate; easy read versions")),
    ("Anxiety and depression", ("preferred channel", "Email only; no unannounced phone calls")),
    (
        "Mobility impairment (wheelchair user)",
        ("extra time", "Extra time to provide information; visits at home rather than the office"),
    ),
    ("Autism", ("preferred channel", "Written contact only, with a named officer")),
    ("Chronic fatigue syndrome (ME)", ("extra time", "Appointments after 11am; extra time to reply")),
)
INTERPRETERS = ("Polish", "Arabic", "Bengali", "Romanian", "Somali", "Urdu", "Tigrinya")
VULNERABILITY = (
    "Lives alone; recent bereavement.",
    "Older resident (87), hard of hearing; daughter helps with post.",
    "Young child with asthma in the household (damp).",
    "Mental health condition disclosed; prefers calls in the morning.",
    "Pregnant; due date in the spring.",
    "Recently discharged from hospital after surgery.",
    "Care leaver in first tenancy.",
)

RESTRICTIONS = (
    (
        "All contact by email to the named case officer only; no calls to the contact centre for six months.",
        "Repeated abusive calls to the contact centre (call recordings of 3, 5 and 9 June kept); warning letter sent 12 June.",
    ),
    (
        "Face-to-face meetings only with two officers present; no home visits by lone officers.",
        "Threatening behaviour towards a surveyor during a home visit (incident report and witness statement on file).",
    ),
)
