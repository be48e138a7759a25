from wangge.core.menu import register_menu_entry

from .permissions import can_keep_facilities


def register() -> None:
    register_menu_entry("服务设施", "facility-list", section="matching", order=111, visible=can_keep_facilities)
