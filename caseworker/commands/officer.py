"""``caseworker officer add|list|set|deactivate|activate``: administrators manage officers and roles.

Whoever runs the command is asked of the system, never of the environment: the operating
system account on a laptop (SQLite), the PostgreSQL role of the connection in team mode. On a
database with no officers yet, the first person to run it becomes its administrator.

Exit 0 on success; exit 2 with one line naming the field on bad input (duplicate or unknown
login, unknown role, missing name, a caller who is not an administrator, the last
administrator); exit 1 when the database cannot be used.
"""

from __future__ import annotations

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store

HEADER = ("LOGIN", "NAME", "TITLE", "ROLE", "ACTIVE", "OPEN CASES")


def add_arguments(sub) -> None:
    """The ``officer`` sub-command and its actions."""
    p = sub.add_parser("officer", help="administrators manage officers and roles")
    actions = p.add_subparsers(dest="officer_action", parser_class=type(p), required=True, metavar="ACTION")

    def details(q, *, adding: bool) -> None:
        q.add_argument("--name", required=adding, help="full name, as letters are signed")
        q.add_argument("--title", default="" if adding else None, help='job title, e.g. "Complaints Officer"')
        q.add_argument("--role", default="officer" if adding else None, help="officer, supervisor or administrator")
        q.add_argument("--email", default="" if adding else None, help="email address letters give")
        q.add_argument("--phone", default="" if adding else None, help="telephone number letters give")

    q = actions.add_parser("add", help="add an officer")
    q.add_argument("login", help="their login: operating-system account, or PostgreSQL role in team mode")
    details(q, adding=True)
    actions.add_parser("list", help="login, name, title, role, active, open cases")
    q = actions.add_parser("set", help="change an officer's name, title, role or contact line")
    q.add_argument("login")
    details(q, adding=False)
    for action in ("deactivate", "activate"):
        q = actions.add_parser(action, help=f"{action} an officer")
        q.add_argument("login")


def _clean(value: str | None) -> str | None:
    """Typed text with the characters a letter cannot carry removed (the input boundary)."""
    from caseworker.inert import clean

    return clean(value)


def _terminal(value: object) -> str:
    """Stored text for the terminal: control characters shown as visible marks."""
    from caseworker.inert import terminal

    return terminal(value)


def run(args) -> int:
    """Run one ``officer`` action (see the module docstring for exit statuses)."""
    from caseworker.store import services as sv
    from caseworker.store.db import StoreUnavailable

    store = open_store(load())
    try:
        try:
            me = sv.current_officer(store)
            return _ACTIONS[args.officer_action](store, me.login, args)
        except sv.DomainError as exc:
            field = exc.refusal.field
            raise CommandError(f"officer {args.officer_action}: {field + ': ' if field else ''}{exc}") from None
        except StoreUnavailable as exc:
            raise CommandError(str(exc), status=1) from None
    finally:
        store.engine.dispose()


def _add(store, me: str, args) -> int:
    from caseworker.store import services as sv

    sv.add_officer(
        store,
        me,
        _clean(args.login) or "",
        _clean(args.name) or "",
        args.role,
        _clean(args.email) or "",
        title=_clean(args.title) or "",
        phone=_clean(args.phone) or "",
    )
    _say(f"Added {args.name.strip()} ({args.login}) as {args.role.strip().lower()}.")
    _team_note(store, args.login)
    return 0


def _set(store, me: str, args) -> int:
    from caseworker.store import services as sv

    changes = {k: _clean(getattr(args, k)) for k in ("name", "title", "role", "email", "phone")}
    if all(v is None for v in changes.values()):
        raise CommandError("officer set: say what to change: --name, --title, --role, --email or --phone")
    sv.set_officer(
        store,
        me,
        args.login,
        name=changes["name"],
        title=changes["title"],
        role=changes["role"],
        email=changes["email"],
        phone=changes["phone"],
    )
    _say(f"Changed {args.login}.")
    _team_note(store, args.login)
    return 0


def _deactivate(store, me: str, args) -> int:
    from caseworker.store import services as sv

    sv.deactivate_officer(store, me, args.login)
    _say(f"Deactivated {args.login}: their history stays; they can no longer work cases.")
    return 0


def _activate(store, me: str, args) -> int:
    from caseworker.store import services as sv

    sv.activate_officer(store, me, args.login)
    _say(f"Activated {args.login}.")
    _team_note(store, args.login)
    return 0


def _list(store, me: str, args) -> int:
    from caseworker.store.queries.officers import officer_list

    rows = officer_list(store)
    table = [HEADER] + [
        (
            _terminal(r.officer.login),
            _terminal(r.officer.display_name),
            _terminal(r.officer.title) or "-",
            r.officer.role,
            "yes" if r.officer.active else "no",
            str(r.open_cases),
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in table) for i in range(len(HEADER))]
    for row in table:
        print("  ".join(cell.ljust(widths[i]) for i, cell in enumerate(row)).rstrip())
    return 0


def _say(line: str) -> None:
    print(_terminal(line))


def _team_note(store, login: str) -> None:
    """Team mode: say what a database administrator must still run for the login role, if anything."""
    if store.engine.dialect.name != "postgresql":
        return
    from caseworker.rules.facts import Role
    from caseworker.store import team
    from caseworker.store.queries.officers import officer_by_login

    info = officer_by_login(store, login)
    if info is None:
        return
    with store.session() as session:
        note = team.login_role_note(session, login, Role(info.role), info.active)
    if note:
        _say(f"Note: {note}")


_ACTIONS = {"add": _add, "list": _list, "set": _set, "deactivate": _deactivate, "activate": _activate}
