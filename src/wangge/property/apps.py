from django.apps import AppConfig


class PropertyConfig(AppConfig):
    name = "wangge.property"
    label = "property"
    verbose_name = "红色物业"

    def ready(self) -> None:
        from .headline import register_red_property

        register_red_property()
