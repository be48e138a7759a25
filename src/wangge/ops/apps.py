from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "wangge.ops"
    verbose_name = "运维"
