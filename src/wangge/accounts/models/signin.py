from django.db import models

from wangge.core.pii import EncryptedField

from .users import User


class PasswordHistory(models.Model):
    """Hashes of a user's earlier passwords, so that recent ones are not used again."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history", verbose_name="用户")
    password = models.CharField("密码哈希", max_length=256)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d}"


class LoginAttempt(models.Model):
    """Every sign-in attempt, by the name typed and the source address; lockout counts these."""

    username = models.CharField("用户名", max_length=150, db_index=True)
    address = models.GenericIPAddressField("来源地址", null=True, blank=True, db_index=True)
    succeeded = models.BooleanField("成功")
    # Refused before the password was looked at (a lock or the address limit held): such an
    # attempt guesses nothing, so it keeps an address refused but does not lock an account.
    refused = models.BooleanField("未核对即拒绝", default=False)
    at = models.DateTimeField("时间", auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = "登录尝试"
        verbose_name_plural = "登录尝试"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} {'成功' if self.succeeded else '失败'}"


class AddressLock(models.Model):
    """An account locked for sign-ins from one source address only, so that whoever types
    wrong passwords for a name locks that name out of their own address, not everyone's."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="address_locks", verbose_name="用户")
    address = models.GenericIPAddressField("来源地址", null=True, blank=True)
    locked_until = models.DateTimeField("锁定至")

    class Meta:
        verbose_name = "按地址锁定"
        verbose_name_plural = "按地址锁定"
        constraints = [models.UniqueConstraint(fields=["user", "address"], name="address_lock_once")]

    def __str__(self) -> str:
        return f"{self.user} 自 {self.address or '未知地址'} 锁定至 {self.locked_until:%Y-%m-%d %H:%M}"


class TotpDevice(models.Model):
    """A user's TOTP (RFC 6238) second factor; the shared secret is stored encrypted."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp", verbose_name="用户")
    secret = EncryptedField("密钥")
    confirmed_at = models.DateTimeField("启用时间", null=True, blank=True)
    last_step = models.BigIntegerField("最近使用的时间步", default=0)

    class Meta:
        verbose_name = "动态口令"
        verbose_name_plural = "动态口令"

    def __str__(self) -> str:
        return f"{self.user} 的动态口令"
