"""The defaults the settings take from the rules: the region whose bank holidays count, the
policy profile, and the root causes and themes learning is recorded under.

Plain values only (no classes), so that reading the settings at start-up does not load the
rules themselves (``caseworker.config`` imports this module, not the calendar, the policy
profiles or the account rules); ``rules.calendar`` and ``rules.policy`` take theirs from here.
"""

from __future__ import annotations

#: Region keys accepted in configuration and on the command line, mapped to the
#: ``holidays`` package's subdivision codes for the United Kingdom.
REGIONS: dict[str, str] = {
    "england-and-wales": "ENG",
    "scotland": "SCT",
    "northern-ireland": "NIR",
}
DEFAULT_REGION = "england-and-wales"

#: The policy profile used unless the settings name another (``rules/policies/hoc-2024.toml``).
DEFAULT_POLICY = "hoc-2024"

#: Default root causes and themes; a council sets its own lists in configuration
#: (``[learning] root_causes = [...]``, ``themes = [...]``).
DEFAULT_ROOT_CAUSES: tuple[str, ...] = (
    "Communication",
    "Delay",
    "Quality of work",
    "Missed appointment",
    "Policy or procedure",
    "Staff conduct",
    "Record keeping",
    "Contractor",
    "Not the landlord's responsibility",
)
DEFAULT_THEMES: tuple[str, ...] = (
    "Damp and mould",
    "Repairs",
    "Heating and hot water",
    "Anti-social behaviour",
    "Communication",
    "Complaint handling",
    "Reasonable adjustments",
    "Rent and charges",
    "Estate services",
    "Safety",
)
