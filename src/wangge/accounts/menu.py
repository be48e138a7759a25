"""系统与账号 in the navigation: the accounts list for the two officers who keep accounts, the
audit trail for the auditor alone (三员分立)."""

from wangge.core.menu import register_menu_entry

from .models import Role
from .permissions import can_list_accounts, can_read_audit


def _keeps_accounts(user) -> bool:
    # The security administrator grants roles and the system administrator creates and disables
    # accounts: both start on the accounts list.
    return user.role in (Role.SECURITY_ADMIN, Role.SYSTEM_ADMIN)


def register() -> None:
    register_menu_entry("账号管理", "accounts-list", section="system", order=90, visible=can_list_accounts, lands=_keeps_accounts)
    register_menu_entry("审计记录", "audit-trail", section="system", order=91, visible=can_read_audit, lands=can_read_audit)
