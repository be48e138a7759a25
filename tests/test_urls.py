"""No page's address is taken by another's pattern: the portal's public patterns come early in
`wangge/urls.py` (they are the busiest), and the order must not change what any address reaches."""

import re

from django.urls import URLResolver, get_resolver, path
from django.urls.resolvers import RoutePattern

SAMPLES = {
    "int": "7", "slug": "some-code", "str": "some-code", "path": "some/where", "uuid": "12345678-1234-5678-1234-567812345678",
    "open311fmt": "json",
}

# Taken on purpose: the admin's own sign-in form would skip the second factor and the lockout.
REPLACED = {"/admin/login/"}


def _sample(route: str) -> str:
    """An address the route matches: each converter replaced by a value of its kind."""
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES[m.group(1) or "str"], route)


def _routes(patterns, prefix=""):
    """(sample address, pattern) for every page pattern written as a route. The API is left out:
    it comes first, and its methods share one pattern per path, told apart by its own router."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        address = prefix + _sample(str(pattern.pattern._route))
        if address.startswith("api/"):
            continue
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, address)
        else:
            yield "/" + address, pattern


def _taken(resolver) -> list[str]:
    """The patterns whose address another pattern, tried before, reaches first."""
    taken = []
    for address, pattern in _routes(resolver.url_patterns):
        if address in REPLACED:
            continue
        match = resolver.resolve(address)
        if (match.func, match.url_name) != (pattern.callback, pattern.name):
            taken.append(f"{address} ({pattern.name}) reaches {match.url_name}")
    return taken


def test_every_page_pattern_reaches_its_own_view():
    resolver = get_resolver()
    assert len(list(_routes(resolver.url_patterns))) > 200  # the whole back office and portal, not a part of it
    assert _taken(resolver) == []


def test_a_pattern_that_takes_another_address_is_found_out():
    resolver = get_resolver()
    resolver.url_patterns.insert(0, path("news/<str:code>", lambda request, code: None, name="shadow"))
    try:
        taken = _taken(resolver)
    finally:
        resolver.url_patterns.pop(0)
        resolver._populate()
    assert "/news/7 (portal-article) reaches shadow" in taken
