"""The navigation menu: each app registers its own entries from its `AppConfig.ready()`, and
the project's context processor asks `menu_for(user)`. An entry shows only to those its
`visible` predicate lets open the page, so the menu never offers what a page would refuse."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuEntry:
    label: str
    target: str  # a URL name, or a path starting with "/"
    section: str
    order: int
    visible: Callable[..., bool]

    @property
    def url(self) -> str:
        return self.target if self.target.startswith("/") else reverse(self.target)


_ENTRIES: dict[tuple[str, str], MenuEntry] = {}


def register_menu_entry(label: str, url_name_or_path: str, *, section: str, order: int, visible: Callable[..., bool]) -> None:
    # Keyed by section and label, so that an app set up twice (tests) still shows one entry.
    _ENTRIES[(section, label)] = MenuEntry(label, url_name_or_path, section, order, visible)


def menu_for(user) -> list[MenuEntry]:
    """The entries `user` may open, in their order; none for someone not signed in."""
    if not user.is_authenticated:
        return []
    return [entry for entry in sorted(_ENTRIES.values(), key=lambda e: e.order) if entry.visible(user)]
