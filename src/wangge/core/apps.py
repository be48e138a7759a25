from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "wangge.core"
    verbose_name = "公共基础"
