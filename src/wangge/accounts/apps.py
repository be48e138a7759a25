from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from . import audit_writes, checks, jobs  # noqa: F401  (checks and jobs register themselves)

        audit_writes.connect()
        from wangge.cases.outbox import sender  # the outbox moves to the shared floor later

        from .delivery import KIND, one_time_password_send

        sender(KIND)(one_time_password_send)
