"""Start a program in a real pseudo-terminal and time what appears on it.

The child gets a fresh pty of 160x50 with ``TERM=xterm-256color`` as its stdin, stdout
and stderr, so Textual uses its real Linux driver and writes real escape sequences. The
clock starts just before the spawn. The parent drains the pty all the time (a full pty
buffer would stall the app) and notes, for each marker, when its bytes were first read
after the switch to the alternate screen (``ESC[?1049h``, Textual's first act). That is
when a terminal would have drawn it: what the user sees, not what the app believes.

Markers must be text that Textual writes in one run (one style); the harness checks
that each one really appeared and reports a missing one as a failure, never as 0.
"""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import subprocess
import termios
import time
from dataclasses import dataclass, field
from pathlib import Path

ALT_SCREEN = b"\x1b[?1049h"
CTRL_Q = b"\x11"


@dataclass
class PtyRun:
    """What one run saw: seconds from spawn to each marker, and the child's memory."""

    seen: dict[str, float] = field(default_factory=dict)  # marker name -> seconds after spawn
    spawn_epoch: float = 0.0  # time.time() just before the spawn
    vm_hwm_kib: int | None = None  # peak resident set (VmHWM) when the last marker had been seen
    vm_rss_kib: int | None = None
    output: bytes = b""
    exit_code: int | None = None


def _proc_status(pid: int) -> dict[str, int]:
    out: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return out
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            out[key] = int(value.split()[0])
    return out


def run_in_pty(
    argv: list[str],
    markers: dict[str, bytes],
    *,
    env: dict[str, str] | None = None,
    size: tuple[int, int] = (160, 50),
    timeout: float = 30.0,
    settle: float = 0.3,
    cwd: str | None = None,
) -> PtyRun:
    """Run ``argv`` in a pty until every marker has appeared (or ``timeout``), then quit it.

    Args:
        argv: the program and its arguments.
        markers: name to the bytes that show it happened, searched after the alternate screen.
        env: extra environment (on top of os.environ, with TERM=xterm-256color).
        size: columns and rows of the terminal.
        timeout: seconds to wait for all markers.
        settle: seconds to keep draining after the last marker before reading memory.
        cwd: working directory of the child.
    """
    cols, rows = size
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    child_env = dict(os.environ)
    child_env.update({"TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows), "COLORTERM": "truecolor"})
    child_env.pop("TEXTUAL", None)
    if env:
        child_env.update(env)

    run = PtyRun()
    run.spawn_epoch = time.time()
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, stdin=slave, stdout=slave, stderr=slave, env=child_env, cwd=cwd, start_new_session=True, close_fds=True
    )
    os.close(slave)
    buf = bytearray()
    alt_at: int | None = None
    scanned: dict[str, int] = {name: 0 for name in markers}
    deadline = start + timeout
    last_seen: float | None = None

    def drain(wait: float) -> bool:
        """Read what is there; False when the child's side has closed."""
        ready, _, _ = select.select([master], [], [], wait)
        if not ready:
            return True
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:
            return False
        if not chunk:
            return False
        buf.extend(chunk)
        return True

    try:
        alive = True
        while alive and time.perf_counter() < deadline:
            alive = drain(0.02)
            now = time.perf_counter()
            if alt_at is None:
                i = buf.find(ALT_SCREEN)
                if i < 0:
                    continue
                alt_at = i
                scanned = {name: i for name in markers}
            for name, needle in markers.items():
                if name in run.seen:
                    continue
                if buf.find(needle, scanned[name]) >= 0:
                    run.seen[name] = now - start
                else:
                    scanned[name] = max(alt_at, len(buf) - len(needle))
            if len(run.seen) == len(markers):
                last_seen = now
                break
        if last_seen is not None:
            settle_until = time.perf_counter() + settle
            while alive and time.perf_counter() < settle_until:
                alive = drain(0.02)
            status = _proc_status(proc.pid)
            run.vm_hwm_kib, run.vm_rss_kib = status.get("VmHWM"), status.get("VmRSS")
        # quit politely (ctrl+q), then firmly
        try:
            os.write(master, CTRL_Q)
        except OSError:
            pass
        quit_by = time.perf_counter() + 5
        while alive and proc.poll() is None and time.perf_counter() < quit_by:
            alive = drain(0.05)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(3)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        run.exit_code = proc.wait()
    finally:
        os.close(master)
    run.output = bytes(buf)
    return run


def read_timings(path: Path, spawn_epoch: float) -> dict[str, float]:
    """``CASEWORKER_TIMINGS`` lines ``<what> <secs since App()> <epoch>`` as seconds after spawn."""
    out: dict[str, float] = {}
    if not path.exists():
        return out
    for line in path.read_text().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] not in out:
            out[parts[0]] = float(parts[2]) - spawn_epoch
    return out
