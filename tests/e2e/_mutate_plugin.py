import json
import os

import pytest

MUTATION = json.loads(os.environ.get("E2E_MUTATION", "null"))


@pytest.fixture(autouse=True)
def _mutate(request):
    if not MUTATION or "context" not in request.fixturenames:
        return
    context = request.getfixturevalue("context")
    old, new = MUTATION

    def handler(route):
        response = route.fetch()
        body = response.text()
        assert old in body, old
        route.fulfill(response=response, body=body.replace(old, new))

    context.route("**/geo/grid_map.js*", handler)
