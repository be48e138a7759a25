"""The back office's side menu: each app registers its own entries from its `AppConfig.ready()`
into one of the SECTIONS declared here, and the project's context processor asks
`menu_sections_for(user)`. An entry shows only to those its `visible` predicate lets open the
page, so the menu never offers what a page would refuse.

An entry may also say whom it receives after sign-in (`lands`): `landing_for(user)` is the first
such entry, in menu order, that the user may open — each role lands on its work.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

# The domain sections, in the order the side menu shows them. Apps name a section by its key;
# a section without a visible entry is not shown.
SECTIONS: list[tuple[str, str]] = [
    ("geo", "网格"),
    ("people", "人员"),
    ("cases", "案件"),
    ("property", "物业"),
    ("projects", "项目"),
    ("matching", "供需"),
    ("portal", "门户"),
    ("dashboard", "数据看板"),
    ("system", "系统与账号"),
]
_SECTION_LABELS = dict(SECTIONS)


def _nobody(user) -> bool:
    return False


@dataclass(frozen=True)
class MenuEntry:
    label: str
    target: str  # a URL name, or a path starting with "/"
    section: str
    order: int
    visible: Callable[..., bool]
    lands: Callable[..., bool] = _nobody

    @property
    def url(self) -> str:
        return self.target if self.target.startswith("/") else reverse(self.target)

    @property
    def section_label(self) -> str:
        return _SECTION_LABELS[self.section]


@dataclass(frozen=True)
class MenuSection:
    key: str
    label: str
    entries: list[MenuEntry]


_ENTRIES: dict[tuple[str, str], MenuEntry] = {}


def register_menu_entry(label: str, url_name_or_path: str, *, section: str, order: int, visible: Callable[..., bool],
                        lands: Callable[..., bool] | None = None) -> None:
    if section not in _SECTION_LABELS:
        raise ValueError(f"unknown menu section {section!r}; declare it in core.menu.SECTIONS")
    # Keyed by section and label, so that an app set up twice (tests) still shows one entry.
    _ENTRIES[(section, label)] = MenuEntry(label, url_name_or_path, section, order, visible, lands or _nobody)


def menu_for(user) -> list[MenuEntry]:
    """The entries `user` may open, in their order; none for someone not signed in."""
    if not user.is_authenticated:
        return []
    return [entry for entry in sorted(_ENTRIES.values(), key=lambda e: e.order) if entry.visible(user)]


def menu_sections_for(user) -> list[MenuSection]:
    """The entries `user` may open, grouped by section in SECTIONS' order; empty sections left out."""
    entries = menu_for(user)
    grouped = [MenuSection(key, label, [e for e in entries if e.section == key]) for key, label in SECTIONS]
    return [section for section in grouped if section.entries]


def active_entry(entries: list[MenuEntry], path: str) -> MenuEntry | None:
    """The entry whose page (or a page under it) is `path`: the longest matching URL wins."""
    matching = [e for e in entries if path == e.url or path.startswith(e.url.rstrip("/") + "/")]
    return max(matching, key=lambda e: len(e.url), default=None)


def landing_for(user) -> str | None:
    """Where `user` starts after signing in: the first entry, in menu order, that receives them."""
    for entry in menu_for(user):
        if entry.lands(user):
            return entry.url
    return None
