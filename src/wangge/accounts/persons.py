"""The person behind an account, as far as accounts needs to know one.

An account belongs to a person in the registry, and its one-time passwords go to that person's
registered mobile. The registry is kept by the people app, which stands above accounts: people
plugs its answers in here from its `ready()`, so that accounts reaches persons without importing
the app that keeps them. A person is used through `pk`, `name`, `user_id` and `save()` only.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class PersonRegistry:
    by_id_number: Callable[[str], object | None]  # the district's person holding the number, or None
    find_or_create: Callable[[str, str], object]  # (id_number, name): the person, registered if new
    mobile_of: Callable[[object], str]  # the mobile registered for the person linked to an account


_registry: list[PersonRegistry] = []


def register_person_registry(registry: PersonRegistry) -> None:
    _registry[:] = [registry]


def persons() -> PersonRegistry:
    if not _registry:
        raise ImproperlyConfigured("人员登记未接入账号模块：wangge.people 须在 INSTALLED_APPS 中")
    return _registry[0]
