"""Red Property's pages in the side menu (section 物业)."""

from wangge.core.menu import register_menu_entry

from .permissions import (
    can_keep_property,
    can_read_property,
    can_read_property_reports,
    is_company_account,
)


def register() -> None:
    register_menu_entry("我的企业", "property-my-company", section="property", order=80, visible=is_company_account, lands=is_company_account)
    register_menu_entry("物管平台", "property-platform", section="property", order=80, visible=can_read_property_reports)
    register_menu_entry("小区（楼院）", "property-compounds", section="property", order=81, visible=can_read_property)
    register_menu_entry("物业服务企业", "property-companies", section="property", order=82, visible=can_keep_property)
    register_menu_entry("无主管楼院托底", "property-ownerless-report", section="property", order=83, visible=can_read_property_reports)
    register_menu_entry("企业党建", "property-party-report", section="property", order=84, visible=can_read_property_reports)
    register_menu_entry("交叉任职", "property-cross-report", section="property", order=85, visible=can_read_property_reports)
