from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "wangge.demo"
    verbose_name = "演示数据"
