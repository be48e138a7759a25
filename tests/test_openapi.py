"""The OpenAPI schema, and the API fuzzed against it: no input makes the server fail, and every
answer whose status code the schema documents has the documented shape."""

import json
from collections import defaultdict
from datetime import timedelta

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error, response_schema_conformance

HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
EXAMPLES_PER_OPERATION = 12


def test_it_publishes_every_route_in_the_schema(api):
    paths = api.get("/api/openapi.json").json()["paths"]
    for path in ("/api/grids/layers", "/api/grids/layers/{layer_id}/activate", "/api/grids/layers/{layer_id}/coverage",
                 "/api/grids/layers/{layer_id}/geojson", "/api/locate", "/api/stats/headline", "/api/buildings/{building_id}"):
        assert path in paths


def test_no_two_schemas_share_a_name():
    # The document keys its components by class name: a second schema of the same name would
    # silently describe the first one's routes with the wrong shape.
    from ninja import Schema

    from wangge.api import api as ninja_api

    ninja_api.get_openapi_schema()  # every router imported
    seen, stack = defaultdict(set), [Schema]
    while stack:
        for sub in stack.pop().__subclasses__():
            stack.append(sub)
            if sub.__module__.startswith("wangge."):
                seen[sub.__name__].add(sub.__module__)
    assert not {name: modules for name, modules in seen.items() if len(modules) > 1}


def _documented_operations(document: dict) -> set[str]:
    return {f"{method.upper()} {path}" for path, item in document["paths"].items() for method in item if method in HTTP_METHODS}


def _real_ids(people) -> dict[str, int | str]:
    """Path parameters naming objects that exist in the caller's scope: a random id is almost
    always a 404, which never reaches the handler's own checks."""
    from wangge.cases.models import Case
    from wangge.geo.models import Division, GridLayer
    from wangge.people.models import Building, GridPost, Person

    found = {
        "layer_id": GridLayer.objects.filter(is_active=True).first(),
        "grid_id": people.home_grid,
        "building_id": Building.objects.order_by("pk").first(),
        "case_id": Case.objects.order_by("pk").first(),
        "person_id": Person.objects.order_by("pk").first(),
        "post_id": GridPost.objects.order_by("pk").first(),
        "account_id": people.grid_worker.user,
    }
    ids: dict[str, int | str] = {name: row.pk for name, row in found.items() if row is not None}
    return {**ids, "code": Division.objects.get(kind=Division.Kind.DISTRICT).code}


def test_every_generated_request_gets_a_documented_answer_and_no_server_error(api, people):
    document = api.get("/api/openapi.json").json()
    schema = schemathesis.openapi.from_url(f"{api.url}/api/openapi.json")
    # The widest scope reaches the most code.
    headers = {"Authorization": f"Bearer {people.district_official.token}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    # Revoking one's own tokens may revoke the one this run signs with: that operation goes last.
    operations.sort(key=lambda operation: operation.label == "DELETE /api/account/tokens/{token_id}")
    statuses: dict[str, set[int]] = defaultdict(set)
    failures: dict[str, str] = {}
    real_ids = _real_ids(people)

    for operation in operations:

        # derandomize: the same requests on every run, so that CI does not pass by luck.
        @given(case=operation.as_strategy(), use_real_ids=st.booleans())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, suppress_health_check=list(HealthCheck), database=None, derandomize=True)
        def fuzz(case, use_real_ids):
            if use_real_ids and case.path_parameters:
                case.path_parameters = {name: real_ids.get(name, value) for name, value in case.path_parameters.items()}
            # A bounded wait: a request that hangs fails the run instead of stalling CI.
            response = case.call(headers=headers, timeout=60)
            statuses[case.operation.label].add(response.status_code)
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])

        try:
            fuzz()
        except (Exception, BaseExceptionGroup) as failure:  # collected: one run reports every operation
            failures[operation.label] = str(failure)

    assert not failures, "\n\n".join(f"{label}:\n{text}" for label, text in failures.items())
    # Every operation the schema documents was generated for and answered.
    assert {operation.label for operation in operations} == _documented_operations(document)
    assert set(statuses) == _documented_operations(document)


def test_the_conformance_check_catches_a_wrong_answer():
    # Guards the fuzz run above against a check that silently passes everything.
    body = {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}
    document = {"openapi": "3.1.0", "info": {"title": "probe", "version": "1"}, "paths": {"/probe": {"get": {"responses": {
        "200": {"description": "ok", "content": {"application/json": {"schema": body}}}}}}}}
    case = schemathesis.openapi.from_dict(document)["/probe"]["GET"].Case()
    response = requests.Response()
    response.status_code, response._content, response.url = 200, json.dumps({"count": "many"}).encode(), "http://probe/probe"
    response.headers["Content-Type"] = "application/json"
    response.request, response.elapsed = requests.Request("GET", response.url).prepare(), timedelta(0)
    with pytest.raises(BaseExceptionGroup) as raised:
        case.validate_response(response, checks=[response_schema_conformance])
    assert any("violates schema" in str(failure) for failure in raised.value.exceptions)
