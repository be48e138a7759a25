"""Forms that only draw: the back office's pages whose rules live in the services.

A `ShownForm` renders its fields through the shell's field (`shell/field.html`: label, control,
the field's own error beside it) with the values posted, and carries the errors the service
raised. It checks nothing itself, so that each rule is stated once, in the service."""

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict


def posted_pk(text: str) -> int:
    """A record's id as a form posts it; 0, which no row has, for anything else (never a server error)."""
    return int(text) if (text or "").isdigit() and len(text) < 12 else 0


def error_messages(error: ValidationError) -> dict[str, str]:
    """A service's refusal as {field: "message；message"}; one without a field under "__all__"."""
    if hasattr(error, "error_dict"):
        return {field: "；".join(found) for field, found in error.message_dict.items()}
    return {"__all__": "；".join(error.messages)}


def attempted(action: Callable[[], object]) -> str | None:
    """Run `action()`, a service call; None when done, else why it was refused in Chinese (a refused
    service changes nothing): for pages that show one refusal above their forms."""
    try:
        action()
    except ValidationError as error:
        return "；".join(error.messages)
    except PermissionDenied as error:
        return str(error) or "没有权限进行此操作"
    return None


class ShownForm(forms.Form):
    def __init__(self, data=None, *, initial: dict | None = None, errors: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(data, initial=initial, **kwargs)
        self.service_errors = errors or {}

    def full_clean(self) -> None:
        self._errors = ErrorDict()
        self.cleaned_data = {}
        for name, message in self.service_errors.items():
            if name in self.fields:
                self._errors[name] = self.error_class([message])

    @property
    def other_errors(self) -> list[str]:
        """The refusals no field of the form stands for, shown above it."""
        return [message for name, message in self.service_errors.items() if name not in self.fields]
