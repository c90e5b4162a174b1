"""Rules for officers and their roles (SPEC rule 14, 15): who may manage officers, the last
administrator, deactivation with open cases, and logins derived from names.

Pure: no SQL. The store feeds in the counts; :mod:`caseworker.store.services.officers`
applies the verdicts.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

from caseworker.rules.facts import Refusal, Role

#: A login: what the operating system or PostgreSQL calls the officer. Letters, digits and
#: ``._-`` (and ``@`` or ``\\`` for domain accounts), starting with a letter, digit or underscore.
LOGIN_PATTERN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.@\\-]{0,119}")

ROLE_WORDS = ", ".join(r.value for r in Role)


def parse_role(text: str | Role | None) -> Role | Refusal:
    """The role named by ``text`` (officer, supervisor or administrator), or a refusal naming the field."""
    if isinstance(text, Role):
        return text
    try:
        return Role((text or "").strip().lower())
    except ValueError:
        return Refusal(f"unknown role {text!r}: give one of {ROLE_WORDS}", "", "role")


def check_login(login: str) -> Refusal | None:
    """A usable login, or why not (the field ``login``)."""
    if not login:
        return Refusal("a login is required", "", "login")
    if not LOGIN_PATTERN.fullmatch(login):
        return Refusal(
            f"the login {login!r} is not usable: use letters, digits and . _ - (at most 120), "
            "starting with a letter or digit",
            "",
            "login",
        )
    return None


def check_full_name(name: str) -> Refusal | None:
    """A full name is required: letters are signed with it (section 7)."""
    if not name.strip():
        return Refusal("the officer's full name is required (letters are signed with it)", "", "name")
    return None


def check_contact(email: str | None, phone: str | None) -> Refusal | None:
    """The email and phone letters give for an officer are real ones (or left empty)."""
    from caseworker.rules import typed

    if email and (problem := typed.email_problem(email)):
        return Refusal(problem, "", "email")
    if phone and (problem := typed.phone_problem(phone)):
        return Refusal(problem, "", "phone")
    return None


def check_manages_officers(actor_role: Role) -> Refusal | None:
    """Only an administrator adds officers, names them, sets roles and deactivates (rule 15)."""
    if actor_role != Role.ADMINISTRATOR:
        return Refusal("only an administrator manages officers and roles", "", "role")
    return None


def check_officer_change(
    *,
    current_role: Role,
    currently_active: bool,
    new_role: Role,
    new_active: bool,
    active_administrators: int,
    open_cases: int,
) -> Refusal | None:
    """Whether a change of role or active flag may be made to an officer.

    Args:
        current_role, currently_active: the officer as they are now.
        new_role, new_active: the officer as they would be after the change.
        active_administrators: how many active administrators there are now (including this one).
        open_cases: how many live cases this officer holds now.

    Returns:
        None when allowed; otherwise a refusal: the last active administrator can never be
        demoted or deactivated, and an officer holding open cases is deactivated only once
        those cases are reassigned.
    """
    was_admin = currently_active and current_role == Role.ADMINISTRATOR
    stays_admin = new_active and new_role == Role.ADMINISTRATOR
    if was_admin and not stays_admin and active_administrators <= 1:
        return Refusal(
            "this is the last active administrator: make someone else an administrator first, "
            "or nobody could manage officers",
            "",
            "role" if new_active else "active",
        )
    if currently_active and not new_active and open_cases:
        return Refusal(
            f"this officer still holds {open_cases} open case{'s' if open_cases != 1 else ''}: "
            "reassign them first, then deactivate",
            "",
            "active",
        )
    return None


def derive_login(full_name: str, taken: Collection[str]) -> str:
    """A login for someone known only by name: initial + surname, lower case ASCII, unique.

    "Jo Smith" gives ``jsmith``; if taken, ``jsmith2``, ``jsmith3``... A single name gives
    that name; a name with no letters or digits gives ``officer``. ``taken`` is compared
    case-insensitively.
    """
    ascii_name = unicodedata.normalize("NFKD", full_name).encode("ascii", "ignore").decode()
    words = [w for w in re.split(r"[^A-Za-z0-9]+", ascii_name.lower()) if w]
    if not words:
        base = "officer"
    elif len(words) == 1:
        base = words[0]
    else:
        base = words[0][0] + words[-1]
    base = base[:100]
    if not base[0].isalnum():
        base = "o" + base
    lowered = {t.lower() for t in taken}
    login, n = base, 1
    while login in lowered:
        n += 1
        login = f"{base}{n}"
    return login
