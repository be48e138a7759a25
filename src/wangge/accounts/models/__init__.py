"""Accounts and their sign-in records."""

from .exports import ExportApproval
from .resets import OfficerReset
from .signin import AddressLock, LoginAttempt, PasswordHistory, TotpDevice
from .users import ApiToken, Role, User

__all__ = ["AddressLock", "ApiToken", "ExportApproval", "LoginAttempt", "OfficerReset", "PasswordHistory", "Role", "TotpDevice", "User"]
