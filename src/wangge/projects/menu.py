"""Service projects' pages in the side menu (section 项目), registered from the app's `ready()`."""

from wangge.core.menu import register_menu_entry

from .funds.permissions import can_read_funds
from .permissions import can_read_projects


def register() -> None:
    register_menu_entry("服务项目", "projects-list", section="projects", order=76, visible=can_read_projects)
    register_menu_entry("居民投票", "projects-rounds", section="projects", order=77, visible=can_read_projects)
    register_menu_entry("资金台账", "projects-ledger", section="projects", order=78, visible=can_read_funds)
