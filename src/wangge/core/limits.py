"""Counting requests per window in Django's cache, for the limits that keep one address from
flooding a form or a public feed, one account from searching the registry through the queues,
and anyone from guessing sign-up details.

The counts are per process under the default local-memory cache: with N gunicorn workers a
limit of L lets through up to N x L. Production shares them by setting CACHE_URL to a shared
cache (redis://, memcached:// or db://, read in settings.py), which every worker then counts
in. Tests start from an empty cache (the autouse fixture in tests/conftest.py)."""

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
