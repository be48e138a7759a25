"""Accounts, their sign-in records and the audit trail."""

from .audit import AuditRecord
from .exports import ExportApproval
from .resets import OfficerReset
from .signin import AddressLock, LoginAttempt, PasswordHistory, TotpDevice
from .users import ApiToken, Role, User

__all__ = ["AddressLock", "ApiToken", "AuditRecord", "ExportApproval", "LoginAttempt", "OfficerReset", "PasswordHistory", "Role", "TotpDevice", "User"]
