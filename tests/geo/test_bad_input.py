"""Bad input to the grid layer API: a clear Chinese 400 naming the field, never a server error."""

import pytest

from wangge.geo.models import GridLayer


@pytest.mark.parametrize("tolerance", ["-5", "nan", "inf", "-inf"])
def test_it_refuses_a_coverage_tolerance_that_is_negative_or_not_finite(api, people, tolerance):
    layer = GridLayer.objects.get(is_active=True)
    response = api.get(f"/api/grids/layers/{layer.pk}/coverage", params={"tolerance": tolerance}, token=people.district_official.token)
    assert response.status_code == 400, response.text
    assert response.json()["errors"] == [{"field": "tolerance", "reason": "容差 tolerance 应为不小于 0 的有限数（平方米）"}]


def test_it_still_checks_coverage_with_a_zero_tolerance(api, people):
    layer = GridLayer.objects.get(is_active=True)
    response = api.get(f"/api/grids/layers/{layer.pk}/coverage", params={"tolerance": "0"}, token=people.district_official.token)
    assert response.status_code == 200, response.text


@pytest.mark.parametrize("content_type", ["application/geo+json", "application/json", "text/plain"])
def test_it_refuses_a_layer_of_100000_nested_arrays_and_saves_nothing(api, people, content_type):
    layers = GridLayer.objects.count()
    deep = b'{"type": "FeatureCollection", "features": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = api.post("/api/grids/layers", token=people.district_official.token, data=deep, headers={"Content-Type": content_type})
    assert response.status_code == 400, response.text[:300]
    assert "嵌套" in response.json()["detail"]
    assert GridLayer.objects.count() == layers
