"""Garbage collection kept out of the officer's way: full collections run when the keyboard rests.

CPython collects cycles in three generations. The young ones are quick (a millisecond or two);
a full collection walks every tracked object the app made since start-up (the first inbox
pages, the case screen kept ready, Textual's render caches), some tens of milliseconds on
this machine and several times that when the CPU is shared. Left to the interpreter, one came
every 40-60 presses of a held arrow key and was the inbox's slowest key press (the key p99,
DESIGN section 4: "mind GC").

So after start-up (:func:`after_start_up`): what start-up made is frozen (``gc.freeze``: never
walked again), the young generations run as before, and a full collection is left to
:class:`IdleCollector`, which runs one when one is due (:data:`DUE` young collections since
the last full one, CPython's own count) and either no key or mouse event has come for
:data:`IDLE_SECONDS` or a screen has just been closed (a case, a form: what it made is garbage
now; the App calls :meth:`IdleCollector.collect_if_due` once the screen under it is drawn).
Without the second, opening and closing cases back to back held the closed screens' cycles
for many cases at a time (a long day of 150 cases ended at 1.47x the memory after the first
10, against 1.15x). The interpreter still starts one itself after :data:`FULL_AFTER` young
collections (twenty times its default), so memory held by cycles stays bounded even while
keys never stop.
"""

from __future__ import annotations

import gc
import time

#: Seconds without a key press or mouse event before a due full collection runs.
IDLE_SECONDS = 1.0
#: Generation-1 collections since the last full one that make a full one due (CPython's default threshold).
DUE = 10
#: Generation-1 collections after which the interpreter collects in full by itself, idle or not.
FULL_AFTER = 200


def after_start_up() -> None:
    """Freeze what start-up made, leave full collections to :class:`IdleCollector` (and to the
    interpreter after :data:`FULL_AFTER` young collections) and turn collection on."""
    gc.freeze()
    young, middle, _full = gc.get_threshold()
    gc.set_threshold(young, middle, FULL_AFTER)
    gc.enable()


class IdleCollector:
    """Runs a due full collection while the keyboard and mouse rest.

    Call :meth:`input_seen` for each input event, :meth:`check` now and then (a timer) and
    :meth:`collect_if_due` when a screen has been closed.
    """

    def __init__(self, idle_seconds: float = IDLE_SECONDS) -> None:
        self.idle_seconds = idle_seconds
        self.last_input = time.monotonic()
        #: Full collections this collector ran (for the benchmark and tests).
        self.collections = 0

    def input_seen(self) -> None:
        """A key or mouse event has just come."""
        self.last_input = time.monotonic()

    def check(self) -> bool:
        """Collect in full if one is due and no input has come for ``idle_seconds``.

        Returns:
            True if it collected.
        """
        if time.monotonic() - self.last_input < self.idle_seconds:
            return False
        return self.collect_if_due()

    def collect_if_due(self) -> bool:
        """Collect in full now if one is due (and collection is on).

        Returns:
            True if it collected.
        """
        if not gc.isenabled() or gc.get_count()[2] < DUE:
            return False
        gc.collect()
        self.collections += 1
        return True


__all__ = ["DUE", "FULL_AFTER", "IDLE_SECONDS", "IdleCollector", "after_start_up"]
