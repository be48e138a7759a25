"""Writing the demo district into the database, through the same services as real data."""

from django.db import transaction

from wangge.accounts.models import Role, User
from wangge.geo import services as geo_services
from wangge.geo.models import Division
from wangge.people.models import Building

from .generator import generate


class DemoRefused(Exception):
    pass


def database_is_empty() -> bool:
    return not Division.objects.exists()


@transaction.atomic
def demo_build(*, seed: int = 410104) -> dict:
    """Build the demo district in an empty database; returns what was made."""
    if not database_is_empty():
        raise DemoRefused("数据库中已有区划数据，演示区只能建在空数据库中")
    demo = generate(seed)
    saved: dict[str, Division] = {}
    for row in demo.divisions:
        saved[row["code"]] = Division.objects.create(
            code=row["code"], name=row["name"], kind=row["kind"], parent=saved.get(row["parent"]), geometry=row["geometry"]
        )
    Building.objects.bulk_create(
        [
            Building(community=saved[b["community_code"]], **{k: b[k] for k in ("grid_code", "name", "address", "lon", "lat", "households", "population")})
            for b in demo.buildings
        ],
        batch_size=1000,
    )
    workers = [
        User(username=f"gw{w['grid_code']}", full_name=w["name"], role=Role.GRID_WORKER, scope_code=w["grid_code"], password="!")
        for w in demo.grid_workers
    ]
    User.objects.bulk_create(workers, batch_size=1000)
    features = geo_services.layer_parse(data=demo.feature_collection(), crs="wgs84")
    layer = geo_services.grid_layer_import(features=features, name=f"演示网格图层（种子 {seed}）", crs="wgs84")
    geo_services.grid_layer_activate(layer=layer, reason="演示区初始化")
    return {"layer": layer.pk, "divisions": len(saved), "grids": len(features), "buildings": len(demo.buildings), "grid_workers": len(workers)}
