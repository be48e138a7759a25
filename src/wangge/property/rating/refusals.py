"""How the rating's, votes' and demonstrations' pages run a service: the refusal in Chinese, or None."""

from collections.abc import Callable

from django.core.exceptions import PermissionDenied, ValidationError


def attempted(action: Callable[[], object]) -> str | None:
    """Run `action()`; None when done, else why it was refused (a refused service changes nothing)."""
    try:
        action()
    except ValidationError as error:
        return "；".join(error.messages)
    except PermissionDenied as error:
        return str(error) or "没有权限进行此操作"
    return None
