import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The portal keeps rendered pages, figures and submission counts in Django's cache: each
    test starts and ends without them."""
    cache.clear()
    yield
    cache.clear()
