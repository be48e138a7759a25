import pytest


@pytest.fixture
def home(people) -> str:
    """The community code of the community official's community."""
    return people.home_grid.community.code


@pytest.fixture
def away(people) -> str:
    """A community of another subdistrict."""
    return people.other_grid.community.code
