"""Policy profiles: the timescales a case is worked under, loaded from TOML data files.

Timescales are data, not code (SPEC section 3): the shipped profiles live in
``rules/policies/*.toml`` and an administrator may add a file of their own in a folder
named in configuration. A case keeps the profile it was logged under.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from caseworker.rules.defaults import DEFAULT_POLICY

#: The profile for complaints received before the 2024 Code became statutory (1 April 2024).
PRE_2024_POLICY = "hoc-2022"
#: The day the Complaint Handling Code 2024 came into force (statutory, HOS monitoring began).
CODE_2024_IN_FORCE = date(2024, 4, 1)

#: The events a clock may start from.
CLOCK_EVENTS = ("received", "acknowledged", "requested")


class PolicyError(ValueError):
    """A policy file is missing, malformed or names something unknown."""

    def __init__(self, file: str, key: str, problem: str) -> None:
        super().__init__(f"policy file {file}: {key}: {problem}")
        self.file, self.key, self.problem = file, key, problem


@dataclass(frozen=True)
class Clock:
    """A deadline: ``days`` working days after the event ``start``, under Code ``code_ref``."""

    days: int
    start: str
    code_ref: str
    #: Response clocks only: when the acknowledgement is late or missing, the clock runs from
    #: the date the acknowledgement was due (the earlier of the two), so a late
    #: acknowledgement never buys time.
    from_due_if_late: bool = False


@dataclass(frozen=True)
class StagePolicy:
    """Timescales for one stage."""

    acknowledge: Clock
    response: Clock
    extension_cap: int | None  # None: no cap set, every extension needs a supervisor
    extension_code_ref: str


@dataclass(frozen=True)
class Policy:
    """One policy profile."""

    key: str
    name: str
    source: str
    stage1: StagePolicy
    stage2: StagePolicy
    age_limit_months: int
    age_limit_code_ref: str

    def stage(self, number: int) -> StagePolicy:
        """The timescales of stage 1 or 2."""
        if number == 1:
            return self.stage1
        if number == 2:
            return self.stage2
        raise ValueError(f"there are only two stages (got {number})")


def _shipped_dir() -> Path:
    return Path(str(resources.files("caseworker.rules") / "policies"))


def _get(table: dict, path: str, file: str, kind: type, *, required: bool = True):
    node: object = table
    for part in path.split("."):
        if not isinstance(node, dict) or part not in node:
            if required:
                raise PolicyError(file, path, "missing")
            return None
        node = node[part]
    if kind is int and (isinstance(node, bool) or not isinstance(node, int)):
        raise PolicyError(file, path, f"must be a whole number of days, not {node!r}")
    if kind is int and isinstance(node, int) and node < 0:
        raise PolicyError(file, path, f"must not be negative (got {node})")
    if kind is bool and not isinstance(node, bool):
        raise PolicyError(file, path, f"must be true or false, not {node!r}")
    if kind is str and not isinstance(node, str):
        raise PolicyError(file, path, f"must be text, not {node!r}")
    return node


def _clock(data: dict, path: str, file: str) -> Clock:
    start = _get(data, f"{path}.from", file, str)
    if start not in CLOCK_EVENTS:
        raise PolicyError(file, f"{path}.from", f"unknown event {start!r}: use one of {', '.join(CLOCK_EVENTS)}")
    late = _get(data, f"{path}.from_due_if_late", file, bool, required=False)
    if late and start != "acknowledged":
        raise PolicyError(file, f"{path}.from_due_if_late", 'applies only to a clock that runs from "acknowledged"')
    return Clock(
        days=_get(data, f"{path}.days", file, int),
        start=start,
        code_ref=_get(data, f"{path}.code_ref", file, str),
        from_due_if_late=bool(late),
    )


def _stage(data: dict, number: int, file: str) -> StagePolicy:
    prefix = f"stage{number}"
    return StagePolicy(
        acknowledge=_clock(data, f"{prefix}.acknowledge", file),
        response=_clock(data, f"{prefix}.response", file),
        extension_cap=_get(data, f"{prefix}.extension.cap", file, int, required=False),
        extension_code_ref=_get(data, f"{prefix}.extension.code_ref", file, str),
    )


#: Every key a policy file may hold; anything else is a misspelling and is refused, so that
#: ``cpa = 20`` does not load quietly as "no cap".
_SHAPE: dict = {
    "key": None,
    "name": None,
    "source": None,
    "age_limit": {"months": None, "code_ref": None},
    **{
        f"stage{n}": {
            "acknowledge": {"days": None, "from": None, "code_ref": None},
            "response": {"days": None, "from": None, "code_ref": None, "from_due_if_late": None},
            "extension": {"cap": None, "code_ref": None},
        }
        for n in (1, 2)
    },
}


def _unknown_keys(data: dict, shape: dict, file: str, prefix: str = "") -> None:
    for name, value in data.items():
        path = f"{prefix}{name}"
        if name not in shape:
            raise PolicyError(file, path, "unknown key (misspelt?)")
        if isinstance(shape[name], dict):
            if not isinstance(value, dict):
                raise PolicyError(file, path, "must be a table")
            _unknown_keys(value, shape[name], file, path + ".")


def parse_policy(text: str, file: str = "<policy>") -> Policy:
    """Parse one policy file's text; errors name the file and the key."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(file, "(file)", f"not valid TOML: {exc}") from None
    _unknown_keys(data, _SHAPE, file)
    return Policy(
        key=_get(data, "key", file, str),
        name=_get(data, "name", file, str),
        source=_get(data, "source", file, str, required=False) or "",
        stage1=_stage(data, 1, file),
        stage2=_stage(data, 2, file),
        age_limit_months=_get(data, "age_limit.months", file, int),
        age_limit_code_ref=_get(data, "age_limit.code_ref", file, str),
    )


def policy_files(extra_dirs: Iterable[Path] = ()) -> dict[str, Path]:
    """Policy key (file stem) to file, shipped first, then each extra folder's files overriding."""
    found: dict[str, Path] = {}
    for folder in [_shipped_dir(), *map(Path, extra_dirs)]:
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")):
                found[path.stem] = path
    return found


_cache: dict[tuple[str, tuple[str, ...]], Policy] = {}


def load_policy(key: str = DEFAULT_POLICY, extra_dirs: Iterable[Path] = ()) -> Policy:
    """Load the profile ``key`` from the shipped files or an administrator's folder."""
    dirs = tuple(str(d) for d in extra_dirs)
    cached = _cache.get((key, dirs))
    if cached:
        return cached
    files = policy_files(extra_dirs)
    if key not in files:
        raise PolicyError(f"{key}.toml", "key", f"no policy profile named {key!r}; known: {', '.join(sorted(files))}")
    path = files[key]
    policy = parse_policy(path.read_text(encoding="utf-8"), str(path))
    if policy.key != key:
        raise PolicyError(str(path), "key", f"says {policy.key!r} but the file is named {key}.toml")
    _cache[(key, dirs)] = policy
    return policy


def policy_key_for_received(configured: str, received: date, by_received_date: bool = True) -> str:
    """The profile a complaint received on ``received`` is worked under.

    When the configured profile is ``hoc-2024`` and ``by_received_date`` is on (the
    ``policy_by_received_date`` setting), a complaint received before 1 April 2024 is worked
    under ``hoc-2022``, the Code in force when it was made. Any other configured profile is
    used as it is.
    """
    if by_received_date and configured == DEFAULT_POLICY and received < CODE_2024_IN_FORCE:
        return PRE_2024_POLICY
    return configured


def stage2_policy_key(case_key: str, requested: date, by_received_date: bool = True) -> str:
    """The profile a Stage 2 is worked under, given the case's profile and the escalation request date.

    Decision (a case that straddles 1 April 2024): a Stage 2 is judged under the Code in
    force on the day the resident asked to escalate. So a complaint received under the 2022
    Code whose escalation was requested on or after 1 April 2024 has its Stage 2 worked
    under ``hoc-2024`` (acknowledge in 5 working days, respond 20 working days after the
    acknowledgement); an escalation requested before that day stays under ``hoc-2022``.
    With ``by_received_date`` off, Stage 2 uses the case's profile.
    """
    if by_received_date and case_key == PRE_2024_POLICY and requested >= CODE_2024_IN_FORCE:
        return DEFAULT_POLICY
    return case_key
