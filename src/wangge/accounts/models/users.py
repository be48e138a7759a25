import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone

from wangge.geo.scope import scope_of


class Role(models.TextChoices):
    DISTRICT_OFFICIAL = "district_official", "区级干部"
    SUBDISTRICT_OFFICIAL = "subdistrict_official", "街道干部"
    COMMUNITY_OFFICIAL = "community_official", "社区干部"
    GRID_WORKER = "grid_worker", "网格员"
    DEPARTMENT_HANDLER = "department_handler", "职能部门经办人"
    PROPERTY_COMPANY = "property_company", "物业服务企业"
    SOCIAL_ORGANISATION = "social_organisation", "社区社会组织"
    RESOURCE_PROVIDER = "resource_provider", "资源提供方"
    RESIDENT = "resident", "居民"
    # 三员分立: three officers, each a different person, none of them an official.
    SYSTEM_ADMIN = "system_admin", "系统管理员"
    SECURITY_ADMIN = "security_admin", "安全管理员"
    AUDITOR = "auditor", "安全审计员"


OFFICERS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR)
OFFICIALS = (Role.DISTRICT_OFFICIAL, Role.SUBDISTRICT_OFFICIAL, Role.COMMUNITY_OFFICIAL)
OWN_RECORDS_ONLY = (Role.PROPERTY_COMPANY, Role.SOCIAL_ORGANISATION, Role.RESOURCE_PROVIDER)


class User(AbstractUser):
    """An account attached to one node of the district tree, which bounds all it may see.

    `scope_code` is a 12-digit division code (district, subdistrict or community) or a 15-digit
    level-3 grid code; see `wangge.geo.scope`.
    """

    full_name = models.CharField("姓名", max_length=50, blank=True)
    role = models.CharField("角色", max_length=32, choices=Role.choices, blank=True)
    scope_code = models.CharField("所属节点代码", max_length=15, blank=True, db_index=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    # Locked from every address (after WANGGE_ACCOUNT_LOCKOUT_FAILURES); one address's lock is an `AddressLock`.
    locked_until = models.DateTimeField("锁定至", null=True, blank=True)
    # Failed sign-ins before this no longer count towards a lock: set when an administrator unlocks.
    failures_counted_from = models.DateTimeField("登录失败计数起点", null=True, blank=True)

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.full_name or self.username

    # The role facts other apps ask the account itself (geo's permissions do), so that they
    # need not import this app; `accounts.permissions` states its predicates through them.

    @property
    def is_official(self) -> bool:
        """A district, subdistrict or community official."""
        return self.role in OFFICIALS

    @property
    def is_district_official(self) -> bool:
        return self.role == Role.DISTRICT_OFFICIAL

    @property
    def sees_own_records_only(self) -> bool:
        """Property companies and social organisations see their own records, never a part of
        the map: their geo scope is empty, and their apps scope their records by owner."""
        return self.role in OWN_RECORDS_ONLY

    @property
    def is_district_wide(self) -> bool:
        """The account's data scope is the whole district."""
        return scope_of(self).is_district


def token_expiry():
    """When a token issued now stops working (`WANGGE_TOKEN_DAYS`)."""
    return timezone.now() + timedelta(days=settings.WANGGE_TOKEN_DAYS)


class ApiToken(models.Model):
    """A bearer token; only its SHA-256 digest is stored, the token itself is shown once. It
    works until `expires_at`, and is deleted (revoked) by its owner, by any reset of the
    owner's password or second factor, by a password change and when the account is disabled."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="用户")
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    expires_at = models.DateTimeField("到期时间", default=token_expiry)

    class Meta:
        verbose_name = "接口令牌"
        verbose_name_plural = "接口令牌"

    def __str__(self) -> str:
        return f"{self.user} 的令牌"

    @staticmethod
    def digest_of(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()
