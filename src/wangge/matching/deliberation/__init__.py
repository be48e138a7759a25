"""Deliberation by 一征三议两公开: models in `matching/models_deliberation.py`."""


def ready() -> None:
    """Called from the matching app's `ready()`."""
    from . import menu

    menu.register()
