"""The rate limits' counters (`core.limits`) and the cache they count in: each test starts from
none (the shared fixture), and CACHE_URL chooses a cache every worker shares."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from wangge.core.limits import HOUR, window_count
from wangge.settings import cache_config

KEY = "wangge:test:limits"


# The two runs below pass in either order only if each starts with an empty cache.
@pytest.mark.parametrize("run", ["first", "second"])
def test_each_test_starts_counting_from_nothing(run):
    assert window_count(KEY, HOUR) == 1
    assert window_count(KEY, HOUR) == 2


@pytest.mark.parametrize(
    ("url", "backend", "location"),
    [
        ("", "django.core.cache.backends.locmem.LocMemCache", ""),
        ("redis://10.0.0.5:6379/1", "django.core.cache.backends.redis.RedisCache", "redis://10.0.0.5:6379/1"),
        ("memcached://10.0.0.6:11211", "django.core.cache.backends.memcached.PyMemcacheCache", "10.0.0.6:11211"),
        ("db://", "django.core.cache.backends.db.DatabaseCache", "wangge_cache"),
    ],
)
def test_cache_url_chooses_the_cache(url, backend, location):
    assert cache_config(url) == {"BACKEND": backend, "LOCATION": location}


def test_an_unknown_cache_url_is_refused_in_chinese():
    with pytest.raises(ImproperlyConfigured, match="CACHE_URL 的协议无法识别：mongo"):
        cache_config("mongo://10.0.0.7")
