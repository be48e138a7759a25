"""Supply and demand's pages in the side menu (section 供需)."""

from wangge.core.menu import register_menu_entry

from .permissions import can_keep_matching, is_grid_worker, is_provider


def register() -> None:
    register_menu_entry("资源清单", "matching-resources", section="matching", order=76, visible=lambda u: can_keep_matching(u) or is_provider(u), lands=is_provider)
    register_menu_entry("需求清单", "matching-needs", section="matching", order=77, visible=lambda u: can_keep_matching(u) or is_grid_worker(u))
    register_menu_entry("供需匹配", "matching-proposals", section="matching", order=78, visible=can_keep_matching)
    register_menu_entry("社洽会", "matching-fairs", section="matching", order=79, visible=lambda u: can_keep_matching(u) or is_provider(u))
