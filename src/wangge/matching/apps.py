from django.apps import AppConfig


class MatchingConfig(AppConfig):
    name = "wangge.matching"
    verbose_name = "供需对接"

    def ready(self) -> None:
        from . import deliberation, facilities, headline, menu

        menu.register()
        headline.register()
        deliberation.ready(), facilities.ready()
