from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "wangge.projects"
    label = "projects"
    verbose_name = "社区服务项目"

    def ready(self) -> None:
        from . import headline, jobs, menu  # noqa: F401  (jobs registers the worker's jobs)

        headline.register()
        menu.register()
