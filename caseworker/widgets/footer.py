"""The footer every screen shows: Textual's Footer, keeping Help and Quit in sight.

Textual's ``Footer`` lays the keys out in binding order and cuts the row at the terminal's
edge, so at 80x24 the screen's own keys pushed F1 Help and Quit off the end. This footer puts
the keys every screen has (:data:`FIRST`: help, quit) first, then the screen's keys in
registry order, and leaves out whole keys that would not fit rather than cutting one in half.
Keys left out still work and are listed in F1 help and the command palette (ctrl+p).

Each key Textual's footer builds is bound to the footer's ``compact`` setting, a watcher held by
the footer and dropped only when ``compact`` changes, which in caseworker it never does. Each
time the keys change (a case opened, a dialog closed) the removed keys stayed referenced: about
20 per case opened and closed on the inbox's footer, which lives all day. ``compose`` lets go of
them first (:func:`caseworker.widgets.watchers.forget_removed_watchers`).
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.widgets import Footer as TextualFooter
from textual.widgets._footer import FooterKey

from caseworker.widgets.watchers import forget_removed_watchers

#: Registry ids of the keys shown first on every screen, in this order.
FIRST: tuple[str, ...] = ("app.help", "form.help", "app.quit")


def key_width(key_display: str, description: str) -> int:
    """Cells one compact footer key takes: its key, a space, its description and the gap after it."""
    return cell_len(key_display) + (1 + cell_len(description) if description else 0) + 1


class Footer(TextualFooter):
    """Textual's Footer with Help and Quit first and only whole keys shown (same look otherwise)."""

    def shown_keys(self) -> list[tuple[str, str, str]]:
        """The keys this footer shows now, left to right, as (key, key display, description).

        Help and Quit come first, then the screen's own keys while they fit in the width left
        beside the command-palette key; the palette key itself is not listed here.
        """
        return [
            (k.key, k.key_display, k.description) for k in self.query(FooterKey) if "-command-palette" not in k.classes
        ]

    def _ordered(self) -> list:
        """The footer's bindings (shown ones, one per action): :data:`FIRST` first, then in binding order."""
        seen: dict[str, tuple] = {}
        for _, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen[binding.action] = (binding, enabled, tooltip)
        rank = {key_id: i for i, key_id in enumerate(FIRST)}
        return sorted(seen.values(), key=lambda item: rank.get(getattr(item[0], "id", None) or "", len(FIRST)))

    def _wanted(self) -> tuple[tuple, ...]:
        """The keys to show at the present width, left to right: (key, key display, description,
        action, enabled, tooltip, is the palette key); empty until the bindings are known."""
        if not self._bindings_ready:
            return ()
        width = self.app.size.width
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = self.screen.active_bindings.get(self.app.COMMAND_PALETTE_BINDING)
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            width -= key_width(self.app.get_key_display(binding), binding.description) + 1  # its left border
        wanted = []
        used = 0
        for binding, enabled, tooltip in self._ordered():
            display = self.app.get_key_display(binding)
            need = key_width(display, binding.description)
            if used + need > width and used:
                continue  # a shorter key further on may still fit
            used += need
            wanted.append((binding.key, display, binding.description, binding.action, enabled, tooltip, False))
        if palette is not None:
            _node, binding, enabled, tooltip = palette
            display = self.app.get_key_display(binding)
            tip = binding.tooltip or binding.description
            wanted.append((binding.key, display, binding.description, binding.action, enabled, tip, True))
        return tuple(wanted)

    def compose(self) -> ComposeResult:
        """Build the keys: Help and Quit first, then as many of the screen's keys as fit whole
        (after dropping the watchers of the keys removed last time)."""
        forget_removed_watchers(self)
        self._composed = wanted = self._wanted()
        for key, display, description, action, enabled, tooltip, is_palette in wanted:
            if is_palette:
                yield FooterKey(
                    key, display, description, action, classes="-command-palette", disabled=not enabled, tooltip=tooltip
                )
            else:
                yield FooterKey(key, display, description, action, disabled=not enabled, tooltip=tooltip).data_bind(
                    compact=TextualFooter.compact
                )

    async def recompose(self) -> None:
        """Build the keys again, unless the keys to show are the ones shown: Textual asks for
        this at every change of bindings and focus (seven times while the app starts), and
        each time built every key anew."""
        if self.is_attached and self._wanted() == getattr(self, "_composed", None):
            return
        await super().recompose()

    def on_resize(self) -> None:
        """A new width: lay the keys out again so the ones that fit are the ones shown."""
        if self._bindings_ready and self.is_attached:
            self.call_after_refresh(self.recompose)


__all__ = ["FIRST", "Footer", "key_width"]
