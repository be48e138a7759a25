"""The portal's back office in the navigation."""

from wangge.core.menu import register_menu_entry

from .permissions import may_use_office


def register() -> None:
    register_menu_entry("门户后台", "office-disclosures", section="portal", order=30, visible=may_use_office)
