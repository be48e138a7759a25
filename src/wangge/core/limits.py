"""Counting requests per window in Django's cache, for the limits that keep one address from
flooding a form or a public feed. With the default local-memory cache each process counts on
its own; a shared cache makes the count shared by every worker."""

from django.core.cache import cache

HOUR = 3600


def window_count(key: str, seconds: int) -> int:
    """One more for `key` in a window of `seconds` that starts with the first; the count so far."""
    cache.add(key, 0, seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, seconds)
        return 1
