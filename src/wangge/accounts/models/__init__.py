"""Accounts, their sign-in records and the audit trail."""

from .audit import AuditRecord
from .exports import ExportApproval
from .resets import OfficerReset
from .signin import LoginAttempt, PasswordHistory, TotpDevice
from .users import ApiToken, Role, User

__all__ = ["ApiToken", "AuditRecord", "ExportApproval", "LoginAttempt", "OfficerReset", "PasswordHistory", "Role", "TotpDevice", "User"]
