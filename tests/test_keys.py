"""The one key registry (caseworker.keys) feeds every binding, the F1 help and rebinding from
the configuration's ``[keys]`` table (DESIGN section 2: posting's keymap)."""

from __future__ import annotations

import importlib
import pkgutil
from datetime import date
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.dom import DOMNode

import caseworker
from caseworker import keys
from caseworker.config import ConfigError, load_settings


def our_classes() -> list[type]:
    for info in pkgutil.walk_packages(caseworker.__path__, "caseworker."):
        if info.name.startswith(("caseworker.screens", "caseworker.widgets", "caseworker.app")):
            importlib.import_module(info.name)
    seen, todo = [], [DOMNode]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            todo.append(sub)
            if sub.__module__.startswith("caseworker."):
                seen.append(sub)
    return seen


def test_every_binding_of_every_screen_and_widget_comes_from_the_registry() -> None:
    by_id = {k.id: k for k in keys.KEYS}
    classes = our_classes()
    assert len(classes) > 10
    for cls in classes:
        for binding in cls.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{cls.__qualname__}: {binding!r} is not a Binding"
            assert binding.id in by_id, f"{cls.__module__}.{cls.__qualname__}: key {binding.key!r} has no registry id"
            entry = by_id[binding.id]
            assert (binding.key, binding.action) == (entry.key, entry.action), f"{binding.id} differs from the registry"


def test_registry_ids_are_unique() -> None:
    ids = [k.id for k in keys.KEYS]
    assert len(ids) == len(set(ids))


def test_keys_table_rebinds_by_id_and_refuses_unknown_ids(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"inbox.search" = "f"\n', encoding="utf-8")
    assert load_settings({"CASEWORKER_CONFIG": str(path)}).keys == {"inbox.search": "f"}
    path.write_text('[keys]\n"inbox.serch" = "f"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings({"CASEWORKER_CONFIG": str(path)})
    assert info.value.key == "keys.inbox.serch" and "did you mean 'inbox.search'" in str(info.value)
    path.write_text('[keys]\n"inbox.search" = 5\n', encoding="utf-8")
    with pytest.raises(ConfigError):
        load_settings({"CASEWORKER_CONFIG": str(path)})


async def test_a_rebound_key_works_and_f1_shows_it(tmp_path: Path) -> None:
    from textual.widgets import Input

    from caseworker.app import CaseworkerApp
    from caseworker.clock import Clock
    from caseworker.config import Settings
    from caseworker.screens.dialogs.messages import HelpScreen

    url = f"sqlite:///{tmp_path / 'keys.db'}"
    settings = Settings(database_url=url, config_path=tmp_path / "c.toml", keys={"inbox.search": "f"})
    app = CaseworkerApp(settings, clock=Clock.at(date(2025, 12, 10)), login="admin")
    async with app.run_test(size=(160, 50)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("f")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#search", Input)
        await pilot.press("escape")
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        search = next(k for k in app.screen.shown_keys if k.id == "inbox.search")
        assert search.key == "f"


def test_no_two_keys_of_one_place_share_a_key() -> None:
    """Two actions on one key in one place: only one could ever run (updates and corrections once shared y)."""
    seen: dict[tuple[str, str], str] = {}
    for k in keys.KEYS:
        for part in k.key.split(","):
            other = seen.setdefault((k.scope, part), k.id)
            assert other == k.id, f"{k.id} and {other} are both {part!r} in {k.scope}"


async def test_the_yes_or_no_question_names_its_keys_as_rebound(tmp_path: Path) -> None:
    """With ``"confirm.yes" = "j"`` the question says 'j: yes' (not the registry's y), j answers
    yes, and y is one of the keys that do not answer."""
    from textual.app import App
    from textual.widgets import Static

    from caseworker.screens.dialogs.remedy_forms import Confirm

    answers: list[bool | None] = []

    class Host(App):
        def on_mount(self) -> None:
            self.set_keymap({"confirm.yes": "j"})
            self.push_screen(Confirm("Go ahead?"), answers.append)

    app = Host()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        line = app.screen.query_one(".keys", Static)
        assert str(line.render()) == "j: yes · n / Esc: no"
        await pilot.press("y")
        await pilot.pause()
        assert str(line.render()) == "y does not answer: press j for yes, n / Esc for no."
        await pilot.press("left_square_bracket")  # shown as typed, not read as markup
        await pilot.pause()
        assert str(line.render()) == "[ does not answer: press j for yes, n / Esc for no."
        assert answers == []
        await pilot.press("j")
        await pilot.pause()
    assert answers == [True]
