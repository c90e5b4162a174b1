"""Letting go of widgets that are gone: Textual keeps a watcher until what it watches changes.

``widget.watch(obj, name, callback)`` stores ``(widget, callback)`` on ``obj`` and prunes
closed widgets only when ``obj.name`` next changes. Textual's Header watches the app's
``title`` (and Textual's Footer's keys watched the footer's ``compact``, before caseworker's
footer drew its keys itself): neither ever changes in caseworker, so every case screen's
header (four widgets) stayed alive all day. Measured with
``benchmarks/_long_day.py`` and guarded by ``tests/test_long_day.py``.
"""

from __future__ import annotations

from typing import Any


def forget_removed_watchers(obj: Any) -> int:
    """Drop the watchers on ``obj`` (an App or widget) registered by widgets no longer on screen.

    Returns:
        How many watchers were dropped.
    """
    watchers: dict[str, list] = getattr(obj, "__watchers", {})
    dropped = 0
    for entries in watchers.values():
        keep = [(node, callback) for node, callback in entries if node is obj or node.is_attached]
        dropped += len(entries) - len(keep)
        entries[:] = keep
    return dropped


__all__ = ["forget_removed_watchers"]
