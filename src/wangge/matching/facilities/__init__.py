"""Service facilities and the portal's facility map: models in `matching/models_facilities.py`."""


def ready() -> None:
    """Called from the matching app's `ready()`."""
    from . import menu

    menu.register()
