from wangge.core.menu import register_menu_entry

from .permissions import can_keep_deliberations


def register() -> None:
    register_menu_entry("议事协商", "deliberation-list", section="matching", order=110, visible=can_keep_deliberations)
