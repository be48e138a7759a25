from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wangge.core"
    verbose_name = "公共基础"

    def ready(self) -> None:
        from . import audit_writes, housekeeping  # noqa: F401  (the floor's jobs register themselves)

        audit_writes.connect()
