"""Shared fixtures: the demo district (built once per run), named personas, a real HTTP server.

The demo district is written once into the test database; every test runs inside a
transaction that is rolled back, so tests may change it freely.
"""

import pytest
from django.core.cache import cache
from django.test import override_settings

from tests.personas import Personas
from tests.server import LiveApi, start_server
from wangge.cases.reference import reference_clear
from wangge.demo.services import demo_build

DEMO_SEED = 410104
# What reaches the suite's database: a test that asks for one of these is run on PostgreSQL too.
SUITE_DATABASE = {"db", "transactional_db", "api", "people"}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_build(seed=DEMO_SEED)


@pytest.fixture
def people(db) -> Personas:
    return Personas.create()


@pytest.fixture(scope="session", autouse=True)
def _media_root(tmp_path_factory):
    """Files the tests store (case photos) go to a temporary place, never to var/media."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(scope="session", autouse=True)
def _sms_dir(tmp_path_factory):
    """Text messages the tests send (one-time passwords) go to a temporary place, never to var/sms."""
    with override_settings(WANGGE_SMS_DIR=tmp_path_factory.mktemp("sms") / "sms"):
        yield


@pytest.fixture(autouse=True)
def _audit_checkpoints(tmp_path_factory):
    """Each test seals the audit trail (the worker does) into a place of its own: a checkpoint
    outlives the rollback of the rows it sealed, and would fail the next test's verification."""
    with override_settings(WANGGE_AUDIT_CHECKPOINT_DIR=tmp_path_factory.mktemp("audit-checkpoints")):
        yield


@pytest.fixture(autouse=True)
def _fresh_reference_copies():
    """Each test starts without the per-process copies of the calendar and deadlines, which an
    earlier test may have filled with rows its rollback has since removed."""
    reference_clear()
    yield
    reference_clear()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Every test starts and ends with an empty cache: the rate limits count in it (sign-up
    refusals, case searches, Open311 reads, portal submissions) and the portal keeps pages and
    figures there, and a rollback clears none of them, so a test never inherits another's."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _server():
    server = start_server()
    yield server
    server.stop()


@pytest.fixture
def api(db, _server) -> LiveApi:
    """The platform served over real HTTP, sharing this test's database transaction."""
    with _server.sharing_connection():
        yield LiveApi(_server.url)


# The two longest files (pytest --durations): started first among the late ones, so that
# neither is left to run alone at the end.
LONGEST = ("tests/e2e/test_phones.py", "tests/ops/test_backup.py")


def _late(item) -> bool:
    """A browser test, or one that sets up installations of its own. Playwright keeps an event
    loop running in the worker once a browser test has run, and Django then refuses database
    work in that process, so on each worker these come after every test of the suite's database."""
    return bool(item.get_closest_marker("e2e") or item.get_closest_marker("own_database"))


def _order(item) -> tuple[bool, bool]:
    late = _late(item)
    return late, late and item.nodeid.split("::")[0] not in LONGEST


def pytest_collection_modifyitems(items):
    """Under xdist (`make test` runs the suite on every core, `--dist loadfile`) each file's tests
    run on one worker, so that a module's fixture (the restore drill's source, the phones' signed-in
    browsers) is built once; `--no-loadscope-reorder` keeps the order set here."""
    for item in items:
        if item.get_closest_marker("own_database") and (used := SUITE_DATABASE & set(item.fixturenames)):
            raise pytest.UsageError(f"{item.nodeid} is marked own_database but uses the suite's database: {sorted(used)}")
    items.sort(key=_order)  # stable: the order within each part is kept
