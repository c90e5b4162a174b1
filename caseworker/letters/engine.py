"""Rendering: the Jinja2 environment over the shipped templates and a council's own folder,
and :func:`render`, which turns a case into a :class:`Letter`.

Templates render with ``StrictUndefined``: a variable a template uses but the context does
not have is an error naming the template file and line (:class:`LetterTemplateError`),
never blank text in a letter that goes to a resident.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import Path

import jinja2

from caseworker.config import Ombudsman, Settings, unset_organisation_keys
from caseworker.letters.context import (
    FREE_TEXT,
    KINDS,
    TEMPLATES,
    Addressee,
    day_date,
    letter_context,
    long_date,
    text_lines,
)
from caseworker.rules.calendar import short_date
from caseworker.rules.money import format_pounds


class LetterTemplateError(Exception):
    """A template could not be found, parsed or rendered; names the file and line."""

    def __init__(self, message: str, template: str = "", lineno: int | None = None, path: str = "") -> None:
        where = template + (f", line {lineno}" if lineno else "")
        super().__init__(f"letter template {where}: {message}" if where else f"letter template: {message}")
        self.template, self.lineno, self.path, self.problem = template, lineno, path, message


class UnknownLetterKind(ValueError):
    """A letter kind that is not one of :data:`KINDS`."""

    def __init__(self, kind: str) -> None:
        super().__init__(f"unknown letter kind {kind!r}: choose one of {', '.join(KINDS)}")
        self.kind = kind


@dataclass(frozen=True)
class Letter:
    """A rendered letter, ready for the check and for export."""

    kind: str
    subject: str
    text: str
    large_print: bool
    addressee: Addressee
    covering_note: str
    stage: int = 1
    reference: str = ""
    #: The free-text parts as used (defaults or an officer's edits): the check reads them.
    fields: Mapping[str, str] = field(default_factory=dict)
    ombudsman: Ombudsman | None = None
    organisation: str = ""
    template: str = ""
    #: The date printed on the letter.
    letter_date: date | None = None
    #: Body text size in points: 12, or the large print size the adjustment records (5.10).
    font_pt: float = 12.0
    easy_read: bool = False
    #: The organisation's logo (an image path) and page footer, from the configuration.
    logo: str = ""
    footer: str = ""
    #: ``organisation.*`` configuration keys still empty or an example value: the check refuses.
    unset_config: tuple[str, ...] = ()
    config_path: str = ""
    #: Printed on every page: "DRAFT: not for issue", or "COPY ..." for a reprint.
    mark: str = ""
    #: What a draft still lacks (printed after the letter).
    missing_notes: tuple[str, ...] = ()

    @property
    def address_block(self) -> tuple[str, ...]:
        """The lines shown in the envelope window: name, "On behalf of" line if any, address."""
        a = self.addressee
        behalf = (f"On behalf of {a.on_behalf_of}",) if a.on_behalf_of and not a.about else ()
        return (a.name, *behalf, *a.address)


DRAFT_MARK = "DRAFT: not for issue"


def as_draft(letter: Letter, missing) -> Letter:
    """``letter`` marked "DRAFT: not for issue" on every page, listing what it still lacks."""
    return replace(letter, mark=DRAFT_MARK, missing_notes=tuple(str(m) for m in missing))


def as_copy(letter: Letter, issued_on: date) -> Letter:
    """``letter`` marked as a copy of the one issued on ``issued_on`` (a reprint)."""
    return replace(letter, mark=f"COPY of the letter issued on {long_date(issued_on)}", missing_notes=())


def shipped_templates() -> Path:
    """The folder of the shipped letter templates, ``caseworker/letters/templates``: package data
    beside this module, the same in the checkout and in the installed wheel."""
    return Path(__file__).resolve().parent / "templates"


def _heading(title: str, underline: str = "-") -> str:
    """A heading in the plain-text structure: the title, then a line of ``-`` (or ``=``) under it."""
    title = str(title)
    return f"{title}\n{underline * max(3, len(title))}"


def _pounds(pence: int | None) -> str:
    return "" if pence is None else format_pounds(pence)


@lru_cache(maxsize=8)
def _environment(council: str | None, shipped: str) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if council:
        loaders.append(jinja2.FileSystemLoader(council))
    loaders.append(jinja2.FileSystemLoader(shipped))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # plain text; HTML and Word escape on export
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(long_date=long_date, day_date=day_date, short_date=short_date, pounds=_pounds, lines=text_lines)
    env.globals.update(heading=_heading)
    return env


def environment(settings: Settings | None = None) -> jinja2.Environment:
    """The Jinja2 environment: the council's folder first (overrides by file name), then the shipped one."""
    council = None
    if settings is not None and settings.letter_templates is not None:
        council = Path(settings.letter_templates).expanduser()
        if not council.is_absolute():  # relative to the configuration file that names it
            council = Path(settings.config_path).expanduser().parent / council
    if council is not None and not council.is_dir():
        raise LetterTemplateError(
            f"the council's letter_templates folder {council} does not exist (see the configuration)"
        )
    return _environment(str(council) if council else None, str(shipped_templates()))


def _search_dirs(env: jinja2.Environment) -> list[Path]:
    loader = env.loader
    loaders = loader.loaders if isinstance(loader, jinja2.ChoiceLoader) else [loader] if loader else []
    return [Path(p) for ld in loaders if isinstance(ld, jinja2.FileSystemLoader) for p in ld.searchpath]


def _template_name(env: jinja2.Environment, filename: str) -> str:
    path = Path(filename)
    for base in _search_dirs(env):
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.name


def _template_error(env: jinja2.Environment, exc: Exception, default: str) -> LetterTemplateError:
    """Turn a Jinja2 error into one naming the template file and line."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        name = exc.name or (_template_name(env, exc.filename) if exc.filename else default)
        return LetterTemplateError(exc.message or str(exc), name, exc.lineno, exc.filename or "")
    if isinstance(exc, jinja2.TemplateNotFound):
        return LetterTemplateError(
            f"no template named {exc.name!r} in {', '.join(map(str, _search_dirs(env)))}", default
        )
    frame = None
    for f, lineno in traceback.walk_tb(exc.__traceback__):
        if "__jinja_exception__" in f.f_globals:  # a frame Jinja2 rewrote to point into a template
            frame = (f.f_code.co_filename, lineno)
    message = getattr(exc, "message", None) or str(exc)
    if isinstance(exc, jinja2.UndefinedError):
        message = f"{message} (a variable the template uses is not available for this letter)"
    if frame is None:
        return LetterTemplateError(message, default)
    return LetterTemplateError(message, _template_name(env, frame[0]), frame[1], frame[0])


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.splitlines()]
    out = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    return out + "\n"


def render(
    kind: str,
    detail,
    settings: Settings,
    today: date,
    overrides: Mapping[str, str] | None = None,
    *,
    stage: int | None = None,
    recipient: str = "usual",
) -> Letter:
    """Render a ``kind`` letter for ``detail`` at its current stage (or ``stage``).

    Args:
        kind: One of :data:`KINDS`.
        detail: The case, from :func:`caseworker.store.queries.case.case_detail`.
        settings: Organisation, Ombudsmen and the council's template folder.
        today: The date printed on the letter.
        overrides: An officer's edits of the free-text parts (``opening``, ``reasons_text``,
            ``closing``; see :data:`FREE_TEXT`).
        stage: The stage the letter is about, when not the current one.
        recipient: ``"usual"`` (the member for an MP or councillor enquiry, a representative with
            consent, else the resident) or ``"resident"`` (the resident's own copy, with their
            adjustments).

    Raises:
        UnknownLetterKind: ``kind`` is not a letter kind.
        ValueError: an override names a part this kind of letter does not have.
        LetterTemplateError: a template is missing, malformed or uses an undefined variable.
    """
    if kind not in KINDS:
        raise UnknownLetterKind(kind)
    ctx = letter_context(detail, settings, today, kind=kind, stage=stage, recipient=recipient)
    for key, value in (overrides or {}).items():
        if key not in FREE_TEXT[kind]:
            raise ValueError(f"a {kind} letter has no free-text part {key!r}: it has {', '.join(FREE_TEXT[kind])}")
        ctx[key] = value.strip()
    env = environment(settings)
    name = TEMPLATES[kind]
    try:
        text = env.get_template(name).render(ctx)
    except Exception as exc:  # noqa: BLE001 - any failure inside a template is reported with its file and line
        raise _template_error(env, exc, name) from None
    return Letter(
        kind=kind,
        subject=ctx["subject"],
        text=_tidy(text),
        large_print=ctx["large_print"],
        addressee=ctx["addressee"],
        covering_note=ctx["covering_note"],
        stage=ctx["stage"],
        reference=ctx["reference"],
        fields={k: ctx[k] for k in FREE_TEXT[kind]},
        ombudsman=ctx["ombudsman"],
        organisation=ctx["org"].name,
        template=name,
        letter_date=today,
        font_pt=ctx["font_pt"],
        easy_read=ctx["easy_read"],
        logo=_config_path(settings, ctx["org"].logo),
        footer=ctx["org"].footer,
        unset_config=tuple(unset_organisation_keys(ctx["org"])),
        config_path=str(settings.config_path),
    )


def _config_path(settings: Settings, value: str) -> str:
    """A path from the configuration: relative paths are relative to the configuration file."""
    if not value:
        return ""
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path(settings.config_path).expanduser().parent / path
    return str(path)


def free_text(
    kind: str, detail, settings: Settings, today: date, *, stage: int | None = None, recipient: str = "usual"
) -> dict[str, str]:
    """The free-text parts of a ``kind`` letter with their default wording, in display order."""
    if kind not in KINDS:
        raise UnknownLetterKind(kind)
    ctx = letter_context(detail, settings, today, kind=kind, stage=stage, recipient=recipient)
    return {k: ctx[k] for k in FREE_TEXT[kind]}
