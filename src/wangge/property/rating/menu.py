"""星级评定 in the property section of the side menu."""

from wangge.accounts.models import Role
from wangge.core.menu import register_menu_entry


def _is_official(user) -> bool:
    return user.is_official


def _is_company(user) -> bool:
    return user.role == Role.PROPERTY_COMPANY


def _is_grid_worker(user) -> bool:
    return user.role == Role.GRID_WORKER


def register() -> None:
    register_menu_entry("星级评定", "rating-rounds", section="property", order=46, visible=_is_official)
    register_menu_entry("本企业评定结果", "rating-mine", section="property", order=47, visible=_is_company)
    register_menu_entry("入户满意度调查", "rating-survey-visits", section="property", order=48, visible=_is_grid_worker)
