"""Who may run the platform's machinery from the back office."""

from wangge.accounts.permissions import can_manage_accounts


def may_watch_outbox(user) -> bool:
    """The outbox (what is still to be sent, what failed) is the system administrator's (三员分立),
    and the development superuser's."""
    return user.is_authenticated and (user.is_superuser or can_manage_accounts(user))
