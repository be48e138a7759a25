"""What the rating, the owners' votes and the demonstrations register when the app is ready."""


def ready() -> None:
    from . import jobs, menu  # noqa: F401  (jobs registers itself)

    menu.register()
