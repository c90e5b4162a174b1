"""Handing a file to the desktop: open it with the system's viewer without waiting for it
(``os.startfile`` on Windows, ``open`` on macOS, ``xdg-open`` elsewhere), and save a copy of
stored bytes without overwriting anything."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path


class DesktopError(Exception):
    """The file could not be opened or saved; the message says why and what to do."""


def safe_file_name(name: str) -> str:
    """``name`` without folders or characters Windows refuses (never empty)."""
    cleaned = re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip(" .")
    return cleaned[:150] or "document"


def open_with_viewer(name: str, content: bytes) -> Path:
    """Write ``content`` to a private temporary file called ``name`` and open it with the system's
    viewer, without waiting for the viewer to close. Returns the temporary file.

    Raises:
        DesktopError: no viewer could be started (save a copy instead).
    """
    folder = Path(tempfile.mkdtemp(prefix="caseworker-"))
    path = folder / safe_file_name(name)
    path.write_bytes(content)
    try:
        if sys.platform == "win32":
            os.startfile(str(path))  # noqa: S606 - the user asked to open it
        else:
            command = ["open", str(path)] if sys.platform == "darwin" else ["xdg-open", str(path)]
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # noqa: S603
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
    except (OSError, FileNotFoundError) as exc:
        raise DesktopError(
            f"no viewer could be started for {name} ({exc.strerror or exc}): save a copy with s and open it yourself"
        ) from None
    return path


def save_copy(name: str, content: bytes, destination: str | Path) -> Path:
    """Save ``content`` as ``destination`` (a file path, or a folder to save ``name`` into; a path
    ending in a slash names a folder, made if it is new).

    Raises:
        DesktopError: the file exists already (nothing is overwritten), or cannot be written.
    """
    dest = Path(str(destination).strip()).expanduser()
    if not str(destination).strip():
        raise DesktopError("say where to save the copy (a folder or a file name)")
    if str(destination).strip().endswith(("/", "\\")) and not dest.exists():
        try:
            dest.mkdir(parents=True)  # "reports/" names a folder to save into, even a new one
        except OSError as exc:
            raise DesktopError(f"the folder {dest} could not be made: {exc.strerror or exc}") from None
    if dest.is_dir():
        dest = dest / safe_file_name(name)
    if dest.exists():
        raise DesktopError(f"{dest} already exists: choose another name (nothing was overwritten)")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "xb") as fh:
            fh.write(content)
    except OSError as exc:
        raise DesktopError(f"the copy could not be saved as {dest}: {exc.strerror or exc}") from None
    return dest
