"""The OpenAPI schema, and the API fuzzed against it: no input makes the server fail."""

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error


def test_it_publishes_every_route_in_the_schema(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    for path in ("/api/grids/layers", "/api/grids/layers/{layer_id}/activate", "/api/grids/layers/{layer_id}/coverage",
                 "/api/grids/layers/{layer_id}/geojson", "/api/locate", "/api/stats/headline", "/api/buildings/{building_id}"):
        assert path in paths


def test_no_generated_request_makes_the_server_fail(api, people):
    schema = schemathesis.openapi.from_url(f"{api.url}/api/openapi.json")
    # The widest scope reaches the most code.
    headers = {"Authorization": f"Bearer {people.district_official.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=12, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
        def fuzz(case):
            case.validate_response(case.call(headers=headers), checks=[not_a_server_error])

        fuzz()
