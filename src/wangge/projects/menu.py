"""Service projects' pages in the side menu (section 项目).

The entries name the back office's pages (`projects-list`, `projects-rounds`); `register()` is
called from the app's `ready()` once those pages are mounted, since the menu reverses each
entry's URL name when it draws the shell.
"""

from wangge.core.menu import register_menu_entry

from .permissions import can_read_projects, may_keep_categories


def register() -> None:
    register_menu_entry("服务项目", "projects-list", section="projects", order=76, visible=can_read_projects)
    register_menu_entry("居民投票", "projects-rounds", section="projects", order=77, visible=can_read_projects)
    register_menu_entry("项目类别", "projects-categories", section="projects", order=78, visible=may_keep_categories)
