"""运维 in the navigation: the outbox's unsent messages, for the system administrator."""

from wangge.core.menu import register_menu_entry

from .permissions import may_watch_outbox


def register() -> None:
    register_menu_entry("消息发送", "ops-outbox", section="system", order=95, visible=may_watch_outbox)
