"""``caseworker letter REFERENCE KIND [--format txt|html|docx] [--out PATH]``: render and check
one letter for a case at its current stage.

A letter that fails the check prints what is missing (one ``cannot issue: missing ...`` line
per item, on stderr) and exits 1 writing nothing; an unknown reference or kind exits 2.
Without ``--out`` the text is printed; ``--format docx`` needs ``--out``. When ``--format``
is left at its default and ``--out`` ends in ``.html`` or ``.docx``, that format is used.
"""

from __future__ import annotations

import sys
from pathlib import Path

from caseworker.cli import CommandError
from caseworker.commands.common import load, open_store


def _format(args) -> str:
    from caseworker.letters import FORMATS

    fmt = (args.format or "txt").lower().lstrip(".")
    if fmt not in FORMATS:
        raise CommandError(f"letter: --format: unknown format {args.format!r}: use txt, html or docx")
    if fmt == "txt" and args.out and Path(args.out).suffix.lower() in (".html", ".htm", ".docx"):
        fmt = "docx" if Path(args.out).suffix.lower() == ".docx" else "html"
    if fmt == "docx" and not args.out:
        raise CommandError("letter: --format docx needs --out PATH (a Word document cannot be printed to the terminal)")
    return fmt


def run(args) -> int:
    """Render, check and write or print one letter; see the module docstring for exit statuses."""
    from caseworker import letters

    if args.kind not in letters.KINDS:
        raise CommandError(f"letter: unknown letter kind {args.kind!r}: choose one of {', '.join(letters.KINDS)}")
    fmt = _format(args)
    settings = load()
    store = open_store(settings)
    try:
        from caseworker.store.queries_case import case_detail

        detail = case_detail(store, reference=args.reference)
        if detail is None:
            raise CommandError(f"letter: no case with reference {args.reference!r}")
        try:
            letter = letters.render(args.kind, detail, settings, store.today())
        except letters.LetterTemplateError as exc:
            raise CommandError(f"letter: {exc}") from None
        missing = letters.check(args.kind, detail, letter)
        if missing:
            for m in missing:
                print(f"cannot issue: missing {m}", file=sys.stderr)
            print(f"caseworker: the {args.kind} letter for {detail.header.reference} was not written", file=sys.stderr)
            return 1
        if not args.out:
            sys.stdout.write(letters.to_html(letter) if fmt == "html" else letters.to_text(letter))
            return 0
        try:
            path = letters.save(letter, args.out, fmt)
        except OSError as exc:
            raise CommandError(f"letter: --out: cannot write {args.out}: {exc.strerror or exc}", status=1) from None
        print(f"{args.kind} letter for {detail.header.reference} written to {path}", file=sys.stderr)
        return 0
    finally:
        store.engine.dispose()
