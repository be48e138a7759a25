from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wangge.accounts"
    verbose_name = "账号与权限"

    def ready(self) -> None:
        from wangge.core.outbox import sender

        from . import checks  # noqa: F401  (the checks register themselves)
        from .delivery import KIND, one_time_password_send
        from .menu import register

        sender(KIND, forget_once_sent=("password",))(one_time_password_send)
        register()
