"""Fixtures shared by the cases tests."""

import pytest

from wangge.cases.models import Department


@pytest.fixture
def department(people) -> Department:
    """A department whose handler is the department_handler persona."""
    department = Department.objects.create(code="city_management", name="城市管理局")
    department.handlers.add(people.department_handler.user)
    return department



@pytest.fixture
def media(settings, tmp_path):
    """Photos written under a directory of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
