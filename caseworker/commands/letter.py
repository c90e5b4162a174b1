"""``caseworker letter REFERENCE KIND [--format txt,html,docx,pdf] [--out DIR] [--draft | --copy] [--to resident]``:
render and check one letter for a case at its current stage, like ``caseworker report``.

``--to resident`` gives the resident's own copy (with their adjustments) of a letter that
goes to their MP, councillor or representative. ``--copy`` reprints the last issued KIND letter as it was sent (its text, date and print
choices), marked "COPY of the letter issued on ..." on every page; no check is needed.

With ``--out`` it writes ``REFERENCE-KIND.FORMAT`` for each format into the folder (created
if missing) and prints each path on standard output; without it, a single txt letter is
printed (other formats need ``--out``).

A letter that fails the check writes nothing: one ``cannot issue: missing ...`` line per
item on stderr, exit 1. With ``--draft`` it is written anyway, marked "DRAFT: not for
issue" on every page and listing what is missing (exit 0). An unknown reference, kind or
format exits 2.
"""

from __future__ import annotations

import sys
from pathlib import Path

from caseworker import inert
from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store


def _formats(text: str) -> list[str]:
    from caseworker.letters import FORMATS

    chosen = [f.strip().lower().lstrip(".") for f in (text or "txt").split(",") if f.strip()]
    if not chosen:
        raise CommandError("letter: --format: give one or more of txt, html, docx, pdf (comma-separated)")
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise CommandError(
            f"letter: --format: unknown format {unknown[0]!r}; choose from txt, html, docx, pdf (comma-separated)"
        )
    return list(dict.fromkeys(chosen))


def run(args) -> int:
    """Render, check and write or print one letter; see the module docstring for exit statuses."""
    from caseworker import letters

    if args.kind not in letters.KINDS:
        raise CommandError(f"letter: unknown letter kind {args.kind!r}: choose one of {', '.join(letters.KINDS)}")
    formats = _formats(args.format)
    if args.copy and args.draft:
        raise CommandError("letter: --copy reprints an issued letter; it cannot be a --draft")
    if args.out is None and formats != ["txt"]:
        raise CommandError("letter: --out: give a folder to write html, docx or pdf into (only txt can be printed)")
    settings = load()
    store = open_store(settings)
    try:
        from caseworker.store.queries.case import case_detail

        detail = case_detail(store, reference=args.reference)
        if detail is None:
            raise CommandError(f"letter: no case with reference {args.reference!r}")
        if args.copy:
            issued = letters.latest_issued(detail, args.kind)
            if issued is None:
                raise CommandError(
                    f"letter: --copy: no {args.kind} letter has been issued on {detail.header.reference}", status=1
                )
            return _write(letters.reprint(issued), args, formats, f"{detail.header.reference}-{args.kind}-COPY")
        try:
            letter = letters.render(args.kind, detail, settings, store.today(), recipient=getattr(args, "to", "usual"))
        except letters.LetterTemplateError as exc:
            raise CommandError(f"letter: {exc}") from None
        missing = letters.check(args.kind, detail, letter)
        if missing:
            for m in missing:
                print(inert.terminal(f"cannot issue: missing {m}"), file=sys.stderr)
            if not args.draft:
                print(
                    inert.terminal(
                        f"caseworker: the {args.kind} letter for {detail.header.reference} was not written "
                        "(--draft writes it marked as a draft)"
                    ),
                    file=sys.stderr,
                )
                return 1
            letter = letters.as_draft(letter, missing)
        return _write(letter, args, formats, f"{detail.header.reference}-{args.kind}" + ("-DRAFT" if missing else ""))
    finally:
        store.engine.dispose()


def _write(letter, args, formats: list[str], stem: str) -> int:
    """Print the text (no ``--out``) or write one file per format into the folder, printing each path."""
    from caseworker import letters

    if args.out is None:
        # Printed literally: control characters in the record show as visible marks, never act.
        sys.stdout.write(inert.terminal(letters.to_text(letter)))
        return 0
    folder = Path(args.out).expanduser()
    for fmt in formats:
        target = folder / f"{stem}.{fmt}"
        try:
            path = letters.save(letter, target, fmt)
        except OSError as exc:
            raise CommandError(f"letter: --out: cannot write {target}: {exc.strerror or exc}", status=1) from None
        print(inert.terminal(str(path)))
    return 0
