"""The footer every screen shows: the keys of the place the officer is in, on one line.

It looks like Textual's compact ``Footer`` (same colours from the theme's ``$footer-*``
variables, the command-palette key at the right edge behind a thin rule) but is ONE widget
that draws the line itself. Textual's footer is a container of one ``FooterKey`` widget per
key, each styled, laid out and drawn on its own: on the inbox, twelve keys were about 40%
of what caseworker does beyond a bare Textual app before its first frame
(``benchmarks/_startup.py``), and every change of keys built them all again.

The keys every screen has (:data:`FIRST`: help, quit) come first, then the screen's keys in
registry order; keys that would not fit whole are left out rather than cut in half (they
still work and are listed in F1 help and the command palette, ctrl+p). A key can be clicked
(a disabled one rings the bell) and shows its tooltip on hover, as Textual's do.
"""

from __future__ import annotations

from typing import ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

#: Registry ids of the keys shown first on every screen, in this order.
FIRST: tuple[str, ...] = ("app.help", "form.help", "app.quit")
#: The rule drawn left of the command-palette key (Textual's ``vkey`` border).
EDGE = "▏"
_DIM = Style(dim=True)


def key_width(key_display: str, description: str) -> int:
    """Cells one footer key takes: its key, a space, its description and the gap after it."""
    return cell_len(key_display) + (1 + cell_len(description) if description else 0) + 1


class ShownKey(NamedTuple):
    """One key on the footer line: what it runs and the cells it covers (``left`` to ``right - 1``)."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    is_palette: bool
    left: int
    right: int

    @property
    def text(self) -> str:
        """The key as the officer reads it, e.g. ``f1 Help``."""
        return f"{self.display} {self.description}" if self.description else self.display


class Footer(Widget, can_focus=False):
    """The screen's keys on one line: Help and Quit first, only whole keys, the palette key last."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--key",
        "footer--description",
        "footer--item",
        "footer--hover",
        "footer--edge",
    }
    DEFAULT_CSS = """
    Footer {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    Footer > .footer--key { color: $footer-key-foreground; background: $footer-key-background; text-style: bold; }
    Footer > .footer--description { color: $footer-description-foreground; background: $footer-description-background; }
    Footer > .footer--item { background: $footer-item-background; }
    Footer > .footer--hover { color: $footer-key-foreground; background: $block-hover-background; }
    Footer > .footer--edge { color: $foreground 20%; }
    """

    def __init__(self, *, compact: bool = True, show_command_palette: bool = True, id: str | None = None) -> None:
        """``compact`` is accepted for Textual's signature: this footer always has the compact look."""
        super().__init__(id=id)
        self.show_command_palette = show_command_palette
        self._hover: int | None = None
        self._drawn: tuple[ShownKey, ...] = ()

    # -- which keys, where ------------------------------------------------------------------

    def _ordered(self) -> list:
        """The screen's shown bindings (one per action): :data:`FIRST` first, then in binding order."""
        seen: dict[str, tuple] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled, tooltip)
        rank = {key_id: i for i, key_id in enumerate(FIRST)}
        return sorted(seen.values(), key=lambda item: rank.get(getattr(item[0], "id", None) or "", len(FIRST)))

    def keys(self, width: int | None = None) -> tuple[ShownKey, ...]:
        """The keys shown at ``width`` cells (default: the footer's width), left to right, the
        command-palette key (if shown) last, at the right edge."""
        if not self.is_attached:
            return ()
        width = width or self.size.width or self.app.size.width
        app = self.app
        palette = None
        if self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(app.COMMAND_PALETTE_BINDING)
        room = width
        if palette is not None:
            room -= key_width(app.get_key_display(palette[1]), palette[1].description) + 1  # its rule
        shown: list[ShownKey] = []
        used = 0
        for binding, enabled, tooltip in self._ordered():
            if palette is not None and binding.action == palette[1].action:
                continue
            display = app.get_key_display(binding)
            need = key_width(display, binding.description)
            if used + need > room and used:
                continue  # a shorter key further on may still fit
            shown.append(
                ShownKey(
                    binding.key,
                    display,
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                    False,
                    used,
                    used + need - 1,
                )
            )
            used += need
        if palette is not None:
            _node, binding, enabled, tooltip = palette
            display = app.get_key_display(binding)
            right = width - 1  # the gap after it is the last cell
            left = right - (key_width(display, binding.description) - 1)
            tip = binding.tooltip or binding.description
            shown.append(
                ShownKey(binding.key, display, binding.description, binding.action, enabled, tip, True, left, right)
            )
        return tuple(shown)

    def shown_keys(self) -> list[tuple[str, str, str]]:
        """The keys shown now (not the palette key), left to right: (key, key display, description)."""
        return [(k.key, k.display, k.description) for k in self.keys() if not k.is_palette]

    # -- drawing ----------------------------------------------------------------------------

    def render(self) -> Text:
        width = self.size.width
        keys = self._drawn = self.keys(width)
        key_style = self.get_component_rich_style("footer--key")
        description_style = self.get_component_rich_style("footer--description")
        item_style = self.get_component_rich_style("footer--item")
        line = Text(no_wrap=True, end="")
        for n, key in enumerate(keys):
            if key.is_palette:
                line.append(" " * (key.left - 1 - line.cell_len))
                line.append(EDGE, self.get_component_rich_style("footer--edge"))
            part = Text(no_wrap=True, end="")  # spans, not a base style: the key's item style goes under them
            part.append(key.display, key_style)
            if key.description:
                part.append(" " + key.description, description_style)
            under = self.get_component_rich_style("footer--hover") if n == self._hover else item_style
            part.stylize_before(under + _DIM if not key.enabled else under)
            line.append_text(part)
            line.append(" ")
        line.truncate(width)
        return line

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen) -> None:
        """The screen's keys changed (focus moved, a binding was enabled): draw again, only if
        what the footer shows is different (Textual signals this many times while starting)."""
        if self.is_attached and self.keys() != self._drawn:
            self.refresh()

    # -- the mouse ----------------------------------------------------------------------------

    def _at(self, x: int) -> int | None:
        for n, key in enumerate(self._drawn):
            if key.left <= x < key.right:
                return n
        return None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        """A click on a key runs it, as the key would; a disabled key rings the bell."""
        n = self._at(event.x)
        if n is None:
            return
        event.stop()
        key = self._drawn[n]
        if key.enabled:
            self.app.simulate_key(key.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        n = self._at(event.x)
        if n != self._hover:
            self._hover = n
            self.tooltip = (self._drawn[n].tooltip or None) if n is not None else None
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()


__all__ = ["EDGE", "FIRST", "Footer", "ShownKey", "key_width"]
