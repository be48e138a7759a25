from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import audit_writes, checks  # noqa: F401  (checks registers itself)

        audit_writes.connect()
