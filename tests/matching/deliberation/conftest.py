import pytest

from tests.matching.deliberation.steps import Steps


@pytest.fixture
def steps(people) -> Steps:
    return Steps(people)
